"""The identity pages: real-name status and form, face verification, and the guardian steps.

Each view lays out a form, calls one service, and shows the service's error in the form. The
face upload is read into memory only: the view allows no upload handler that writes a
temporary file, so a photo larger than the in-memory limit is refused, never spooled to disk.
"""

from __future__ import annotations

import contextlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from candor.devices import network
from candor.errors import CandorError
from candor.identity import selectors, services
from candor.identity.forms import FaceForm, GuardianDecideForm, GuardianPhoneForm, RealNameForm
from candor.identity.personal_data import FACE_PURPOSE
from candor.privacy import consent, taxonomy


def _show_error(form: object, error: CandorError) -> None:
    form.is_valid()  # type: ignore[attr-defined]
    placed = False
    for name, texts in error.fields.items():
        if name in form.fields:  # type: ignore[attr-defined]
            form.add_error(name, texts)  # type: ignore[attr-defined]
            placed = True
    if not placed:
        form.add_error(None, str(error.message))  # type: ignore[attr-defined]


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _realname_page(request: HttpRequest, form: RealNameForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "state": selectors.realname_state(request.user),
        "consented": consent.has(request.user.pk, taxonomy.REAL_NAME),
        "face": selectors.latest_face_check(request.user),
    }
    return render(request, "identity/realname.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def realname(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _realname_page(request, RealNameForm())
    form = RealNameForm(request.POST)
    try:
        services.realname_verify(
            user=request.user,
            name=request.POST.get("name", ""),
            id_number=request.POST.get("id_number", ""),
            consent_given=request.POST.get("consent") == "on",
            channel=consent.Channel.WEB,
        )
    except CandorError as error:
        _show_error(form, error)
        return _realname_page(request, form, status=error.status if error.status < 500 else 503)
    messages.success(request, _("Your real name is verified."))
    return redirect("identity:realname")


def _face_page(request: HttpRequest, form: FaceForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "verified": selectors.is_realname_verified(request.user),
        "consented": consent.has(request.user.pk, FACE_PURPOSE),
        "face": selectors.latest_face_check(request.user),
    }
    return render(request, "identity/face.html", context, status=status)


@csrf_exempt  # the upload handlers must be set before CSRF reads the body; checked just below
@login_required
@require_http_methods(["GET", "POST"])
def face(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        request.upload_handlers = [MemoryFileUploadHandler(request)]
    return _face_checked(request)


@csrf_protect
def _face_checked(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _face_page(request, FaceForm())
    form = FaceForm(request.POST, request.FILES)
    upload = request.FILES.get("image")
    try:
        services.face_verify(
            user=request.user,
            image=upload.read() if upload is not None else b"",
            consent_given=request.POST.get("consent") == "on",
            channel=consent.Channel.WEB,
        )
    except CandorError as error:
        _show_error(form, error)
        return _face_page(request, form, status=error.status if error.status < 500 else 503)
    finally:
        if upload is not None:
            upload.close()
    return redirect("identity:face")


@login_required
@require_http_methods(["GET", "POST"])
def guardian(request: HttpRequest) -> HttpResponse:
    """Step 1: the guardian's phone gets a code. Step 2: code, relation, consent or refusal."""
    row = selectors.guardianship_of(request.user)
    step = selectors.pending_step(request.user)
    context: dict[str, object] = {
        "row": row, "step": step, "next": _next(request), "grace_days": settings.CANDOR_GUARDIAN_GRACE_DAYS,
    }  # fmt: skip
    status = 200
    action = request.POST.get("action", "") if request.method == "POST" else ""
    phone_form: GuardianPhoneForm = GuardianPhoneForm()
    decide_form: GuardianDecideForm | None = None
    if action == "send":
        phone_form = GuardianPhoneForm(request.POST)
        try:
            services.guardian_code_send(
                user=request.user, phone=request.POST.get("phone", ""), ip=network.client_ip(request) or ""
            )
        except CandorError as error:
            _show_error(phone_form, error)
            status = error.status
        else:
            decide_form = GuardianDecideForm(initial={"phone": request.POST.get("phone", "")})
    elif action in {"consent", "refuse"}:
        decide_form = GuardianDecideForm(request.POST)
        try:
            services.guardian_decide(
                user=request.user,
                phone=request.POST.get("phone", ""),
                code=request.POST.get("code", ""),
                relation=request.POST.get("relation", ""),
                consent_given=action == "consent",
                channel=consent.Channel.WEB,
            )
        except CandorError as error:
            _show_error(decide_form, error)
            status = error.status
        else:
            if action == "consent":
                messages.success(
                    request, _("Thank you. Your guardian has consented and the account is ready.")
                )
                return redirect(_next(request))
            return redirect("identity:guardian")
    context.update(
        {"phone_form": phone_form, "decide_form": decide_form, "row": selectors.guardianship_of(request.user)}
    )
    return render(request, "identity/guardian.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def guardian_notice(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        # Already acknowledged (a second tab): nothing more to record.
        with contextlib.suppress(services.GuardianNotRequired):
            services.guardian_notice_acknowledge(user=request.user, channel=consent.Channel.WEB)
        return redirect(_next(request))
    return render(request, "identity/guardian_notice.html", {"next": _next(request)})
