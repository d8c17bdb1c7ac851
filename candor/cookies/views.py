"""The cookie page (``/cookies/``), the choice form behind the banner and that page, and the
page-view beacon.

The banner is two buttons in a plain form posting here, so it works without JavaScript and
under the strict CSP; the choice is written to the ledger (members) and to this browser's
cookies, then the visitor is sent back to the page they were on. The beacon answers 204 when a
view was counted and 403 without consent, storing nothing then.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from candor.cookies import inventory, jar, selectors, services
from candor.errors import CandorError
from candor.privacy import taxonomy
from candor.privacy.consent import ConsentRequired


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("cookies:list")


def _page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    choice = selectors.consent_choice(request)
    state = "unset" if choice is None else ("analytics" if choice.analytics else "essential")
    context: dict[str, Any] = {
        "cookies": inventory.cookies(),
        "choice": choice,
        "state": state,
        "error": error,
    }
    return render(request, "cookies/list.html", context, status=status)


@require_GET
def cookie_list(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
def consent_choose(request: HttpRequest) -> HttpResponse:
    value = request.POST.get("analytics", "")
    if value not in {"0", "1"}:
        return _page(request, error=_("Choose “Accept analytics” or “Essential only”."), status=400)
    analytics = value == "1"
    target = _next(request)
    user = request.user
    services.consent_choose(
        user_id=int(user.pk) if user.is_authenticated else None,
        analytics=analytics,
        aid=jar.read_aid(request),
        page=target,
    )
    selectors.forget_choice(request)
    response = redirect(target)
    jar.apply_choice(request, response, analytics=analytics)
    messages.success(
        request,
        _("Analytics cookies are on. You can change this at any time on the cookie page.")
        if analytics
        else _("Only essential cookies are used. You can change this at any time on the cookie page."),
    )
    return response


def _text(message: object, status: int) -> HttpResponse:
    return HttpResponse(str(message), status=status, content_type="text/plain; charset=utf-8")


@require_POST
def beacon(request: HttpRequest) -> HttpResponse:
    if not selectors.analytics_allowed(request):
        return _text(ConsentRequired(taxonomy.ANALYTICS).message, 403)
    # Consent given on another device (the member's ledger) and no id here yet: make one.
    known = jar.read_aid(request)
    aid = known or jar.new_aid()
    try:
        services.page_view_record(
            aid=aid,
            path=request.POST.get("path", ""),
            referrer=request.POST.get("referrer", ""),
        )
    except CandorError as error:
        return _text(error.message, error.status)
    response = HttpResponse(status=204)
    if known is None:
        jar.write_aid(response, aid)
    return response
