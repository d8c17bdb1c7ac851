"""The privacy centre's pages under 我的 → 隐私 (/me/privacy/): the hub, permissions and
consents (C001-16), automated decisions and personalization (C003-21, PIPL art. 24).

Each page calls a selector or a service and renders. A switch posts a plain form (htmx swaps
the section in place; without JavaScript the page reloads) and redirects back, so the next
page already shows the new state: nothing is cached between the ledger and the page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candor.centre import selectors, services
from candor.centre.errors import ContestInvalid
from candor.centre.forms import ContestForm
from candor.cookies import jar
from candor.privacy import taxonomy

_BACK = {"permissions": "centre:permissions", "decisions": "centre:decisions"}


def _quiet(request: HttpRequest) -> bool:
    """htmx swaps the section that shows the new state; a flash message would only linger."""
    return bool(request.headers.get("HX-Request"))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    rows = selectors.permission_rows(request.user)
    context = {
        "granted": sum(row.granted for row in rows),
        "total": len(rows),
        "personalized": selectors.personalized(request.user),
    }
    return render(request, "centre/home.html", context)


@login_required
def permissions(request: HttpRequest) -> HttpResponse:
    records = selectors.ledger(request.user)
    context = {
        "rows": selectors.permission_rows(request.user, records=records),
        "history": selectors.consent_history(request.user, records=records),
    }
    return render(request, "centre/permissions.html", context)


@login_required
@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    back = request.POST.get("back", "")
    back = back if back in _BACK else "permissions"
    on = request.POST.get("on") == "1"
    row = services.consent_switch(
        user=request.user, purpose=request.POST.get("purpose", ""), on=on, evidence={"page": back},
        aid=jar.read_aid(request),
    )  # fmt: skip
    if not _quiet(request):
        label = taxonomy.PURPOSES[row.purpose].label
        text = _("“%(label)s” is now on.") if on else _("“%(label)s” is now off.")
        messages.success(request, text % {"label": label})
    return redirect(_BACK[back])


def _decisions(request: HttpRequest, form: ContestForm, *, status: int = 200) -> HttpResponse:
    lang = get_language()
    services.profile_tags_refresh(user=request.user)
    context: dict[str, Any] = {
        "personalized": selectors.personalized(request.user),
        "tags": selectors.profile_tags(request.user, lang=lang),
        "deleted": selectors.deleted_tags(request.user, lang=lang),
        "form": form,
    }
    return render(request, "centre/decisions.html", context, status=status)


@login_required
def decisions(request: HttpRequest) -> HttpResponse:
    return _decisions(request, ContestForm())


@login_required
@require_POST
def tag_delete(request: HttpRequest) -> HttpResponse:
    services.profile_tag_delete(user=request.user, category_id=request.POST.get("category", ""))
    if not _quiet(request):
        messages.success(request, _("The tag was deleted; it will not be derived again."))
    return redirect("centre:decisions")


@login_required
@require_POST
def tag_allow(request: HttpRequest) -> HttpResponse:
    services.profile_tag_allow(user=request.user, category_id=request.POST.get("category", ""))
    if not _quiet(request):
        messages.success(request, _("The tag may be derived again."))
    return redirect("centre:decisions")


@login_required
@require_POST
def contest(request: HttpRequest) -> HttpResponse:
    form = ContestForm(request.POST)
    try:
        services.decision_contest(
            user=request.user,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        )
    except ContestInvalid as error:
        form.is_valid()
        for name, texts in error.fields.items():
            form.add_error(name if name in form.fields else None, texts)
        return _decisions(request, form, status=400)
    messages.success(
        request, _("Your objection was filed. A person will review the decision and answer you.")
    )
    return redirect("service:list")
