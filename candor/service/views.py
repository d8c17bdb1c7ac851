"""The requester's pages under 我的 → 隐私 → 请求与投诉 (C002-24, C003-22, C004-25): ask a
question, complain or file a rights request, for oneself, one's child or a deceased relative;
follow its status and due date; read the answer; withdraw it while it is open; and type the
verification code staff sent to one's mobile. Each page calls a selector or a service and
renders; a request that is not the visitor's is a 404 page, like one that does not exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from candor.errors import CandorError
from candor.service import selectors, services
from candor.service.forms import CodeForm, RequestForm
from candor.service.models import Kind, RightsRequest


def _apply_error(form: RequestForm | CodeForm, error: CandorError) -> None:
    form.is_valid()  # build cleaned_data so that add_error can attach the service's messages
    if error.fields:
        for name, texts in error.fields.items():
            form.add_error(name if name in form.fields else None, texts)
    else:
        form.add_error(None, str(error.message))


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.request_list(user=request.user)
    return render(request, "service/list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        # Other pages link here for one kind, e.g. "contest this decision" (C003-21).
        kind = request.GET.get("kind", "")
        form = RequestForm(initial={"kind": kind if kind in Kind.values else Kind.QUESTION})
        return render(request, "service/new.html", {"form": form})
    form = RequestForm(request.POST)
    try:
        filed = services.request_file(user=request.user, channel="web", **form.service_values())
    except CandorError as error:
        if error.status not in (400, 429):
            raise
        _apply_error(form, error)
        return render(request, "service/new.html", {"form": form}, status=error.status)
    messages.success(
        request, _("Your request was received. We will answer by %(due)s.") % {"due": _day(filed)}
    )
    return redirect("service:detail", request_id=filed.pk)


def _day(filed: RightsRequest) -> str:
    return str(formats.date_format(timezone.localtime(filed.due_at), "DATE_FORMAT"))


def _detail(
    request: HttpRequest, request_id: int, code_form: CodeForm | None = None, status: int = 200
) -> HttpResponse:
    found = selectors.request_get(user=request.user, request_id=request_id)
    context = {
        "item": found,
        "events": selectors.request_events(request=found),
        "code_form": code_form or CodeForm(),
    }
    return render(request, "service/detail.html", context, status=status)


@login_required
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    return _detail(request, request_id)


@login_required
@require_POST
def request_withdraw(request: HttpRequest, request_id: int) -> HttpResponse:
    services.request_withdraw(user=request.user, request_id=request_id)
    messages.success(request, _("Your request was withdrawn."))
    return redirect("service:detail", request_id=request_id)


@login_required
@require_POST
def request_verify(request: HttpRequest, request_id: int) -> HttpResponse:
    form = CodeForm(request.POST)
    try:
        services.request_code_check(
            request_id=request_id,
            code=request.POST.get("code", ""),
            actor=request.user,
            requester=request.user,
        )
    except CandorError as error:
        if error.status == 404:
            raise
        _apply_error(form, error)
        return _detail(request, request_id, code_form=form, status=error.status)
    messages.success(request, _("Thank you: your identity is verified."))
    return redirect("service:detail", request_id=request_id)
