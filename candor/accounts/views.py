"""Account pages: register, log in (password or SMS code), reset the password, edit the profile.

Views parse forms and call services; a service's ``CandorError`` becomes the form's errors, the
person's input is kept (never the password), and the status is the error's 4xx.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candor.accounts import cancellation, selectors, services
from candor.accounts.forms import (
    PasswordLoginForm,
    ProfileForm,
    RegisterForm,
    SendCodeForm,
    SmsLoginForm,
    SmsResetForm,
)
from candor.accounts.models import User
from candor.accounts.web import after_login, client_ip, send_email_verification
from candor.errors import CandorError
from candor.privacy import consent, masking
from candor.verification import services as codes
from candor.verification.phones import normalize_cn_mobile

_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _show(form: forms.Form, error: CandorError) -> None:
    """Put a service's error on the form: per field where it names fields, else on top."""
    for name, texts in error.fields.items():
        for text in texts:
            form.add_error(name if name in form.fields else None, text)
    if not error.fields:
        form.add_error(None, str(error.message))


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class PasswordLoginView(LoginView):
    template_name = "storefront/login.html"
    authentication_form = PasswordLoginForm

    def form_valid(self, form: PasswordLoginForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        assert isinstance(user, User)
        after_login(self.request, user, event="login")
        return response


def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("storefront:me")
    form = RegisterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = services.Registration(
                username=form.cleaned_data["username"].strip(),
                password=form.cleaned_data["password"],
                phone=form.cleaned_data["phone"],
                code=form.cleaned_data["code"],
                email=form.cleaned_data["email"].strip(),
                birthday=form.cleaned_data["birthday"],
                accepted_policy=form.cleaned_data["accept_policy"],
            )
            try:
                user = services.account_register(
                    data=data, ip=client_ip(request), channel=consent.Channel.WEB
                )
            except CandorError as error:
                _show(form, error)
                status = error.status
            else:
                login(request, user, backend=_BACKEND)
                after_login(request, user, event="register")
                if send_email_verification(request, user):
                    messages.info(request, _("We sent a verification link to your e-mail address."))
                messages.success(request, _("Welcome to Candor! Your account is ready."))
                return redirect("storefront:me")
        else:
            status = 400
    return render(request, "accounts/register.html", {"form": form}, status=status)


@require_POST
def send_code(request: HttpRequest) -> HttpResponse:
    """The "send code" button (htmx): a short status line, never the code itself."""
    form = SendCodeForm(request.POST)
    if not form.is_valid():
        return render(
            request, "accounts/_code_status.html", {"error": _("Enter your mobile number first.")}, status=400
        )
    try:
        phone = normalize_cn_mobile(form.cleaned_data["phone"])
        codes.code_send(
            channel="sms", target=phone, purpose=form.cleaned_data["purpose"], ip=client_ip(request)
        )
    except CandorError as error:
        return render(
            request, "accounts/_code_status.html", {"error": str(error.message)}, status=error.status
        )
    return render(request, "accounts/_code_status.html", {"sent_to": masking.phone(phone)})


def login_sms(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("storefront:me")
    form = SmsLoginForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                user = services.account_login_by_code(
                    phone=form.cleaned_data["phone"], code=form.cleaned_data["code"]
                )
            except CandorError as error:
                _show(form, error)
                status = error.status
            else:
                login(request, user, backend=_BACKEND)
                after_login(request, user, event="login")
                return redirect(_next_url(request, "storefront:me"))
        else:
            status = 400
    return render(
        request, "accounts/login_sms.html", {"form": form, "next": request.GET.get("next", "")}, status=status
    )


def password_reset_sms(request: HttpRequest) -> HttpResponse:
    form = SmsResetForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.password_reset_by_code(
                    phone=form.cleaned_data["phone"],
                    code=form.cleaned_data["code"],
                    password=form.cleaned_data["password"],
                )
            except CandorError as error:
                _show(form, error)
                status = error.status
            else:
                messages.success(request, _("Your password is changed. Log in with the new one."))
                return redirect("login")
        else:
            status = 400
    return render(request, "accounts/password_reset_sms.html", {"form": form}, status=status)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    current = selectors.profile_of(user=user)
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            changes: dict[str, Any] = {name: data[name] for name in services.PROFILE_FIELDS}
            upload = data.get("avatar")
            if data.get("remove_avatar"):
                changes["avatar"] = None
            elif upload is not None:
                # One byte past the limit is enough for the service to refuse it with its message.
                changes["avatar"] = upload.read(services.AVATAR_MAX_BYTES + 1)
            try:
                changed = services.profile_update(user=user, nickname=data["nickname"], changes=changes)
            except CandorError as error:
                _show(form, error)
                status = error.status
            else:
                messages.success(request, _("Profile saved.") if changed else _("Nothing changed."))
                return redirect("accounts:profile")
        else:
            status = 400
    else:
        form = ProfileForm(initial={**current, "nickname": user.nickname})
    return render(request, "accounts/profile.html", {"form": form, "profile": current}, status=status)


@login_required
def cancel(request: HttpRequest) -> HttpResponse:
    """注销账号: what it means, what blocks it, the 48-hour review and the way back."""
    user = request.user
    assert isinstance(user, User)
    status = 200
    errors: list[str] = []
    if request.method == "POST":
        try:
            if request.POST.get("action") == "withdraw":
                cancellation.cancellation_withdraw(user=user)
                messages.success(request, _("Your account stays. The cancellation is withdrawn."))
            else:
                cancellation.cancellation_request(
                    user=user, code=request.POST.get("code", ""), password=request.POST.get("password", "")
                )
                messages.info(request, _("Your cancellation is in review for 48 hours."))
            return redirect("accounts:cancel")
        except CandorError as error:
            errors = [str(error.message)]
            status = error.status
    context = {
        "open": cancellation.open_cancellation(user),
        "blockers": cancellation.blockers(user),
        "has_phone": bool(user.phone),
        "errors": errors,
    }
    return render(request, "accounts/cancel.html", context, status=status)


@login_required
@require_POST
def cancel_code(request: HttpRequest) -> HttpResponse:
    """The cancel page's "send code" button: to the account's own mobile, never another."""
    user = request.user
    assert isinstance(user, User)
    template = "accounts/_code_status.html"
    if not user.phone:
        return render(request, template, {"error": _("This account has no mobile number.")}, status=400)
    try:
        codes.code_send(channel="sms", target=user.phone, purpose="cancel_account", ip=client_ip(request))
    except CandorError as error:
        return render(request, template, {"error": str(error.message)}, status=error.status)
    return render(request, template, {"sent_to": masking.phone(user.phone)})
