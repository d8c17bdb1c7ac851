"""The staff enrolment page (``staff:mfa``): set up, confirm or remove the TOTP second factor.

A staff user signed in with their password and without a device starts the set-up, scans the
QR code (or types the secret), and confirms with a current code; the session then counts as
verified, so the back office opens at once. Removing the device needs a current code too.
The page only calls services and selectors and shows their errors in the form.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from candor.errors import CandorError
from candor.staff import selectors, services


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("6-digit code"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("admin:index")


@never_cache  # the page shows a secret
def mfa(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not request.user.is_staff:
        return render(request, "staff/mfa.html", {"not_staff": True}, status=403)
    form = TokenForm(request.POST or None)
    action = request.POST.get("action", "")
    if request.method == "POST":
        try:
            if action == "start":
                services.totp_device_start(user=request.user)
                return HttpResponseRedirect(request.get_full_path())
            if form.is_valid():
                token = form.cleaned_data["token"]
                if action == "confirm":
                    device = services.totp_device_confirm(user=request.user, token=token)
                    otp_login(request, device)  # password and a fresh code: this session is verified
                    return HttpResponseRedirect(_next(request))
                if action == "remove":
                    services.totp_device_remove_own(user=request.user, token=token)
                    return HttpResponseRedirect(reverse("staff:mfa"))
        except CandorError as error:
            form.add_error("token" if "token" in error.fields else None, error.message)
    confirmed = selectors.confirmed_device(request.user)
    pending = None if confirmed else selectors.pending_device(request.user)
    context = {
        "form": form,
        "confirmed": confirmed,
        "pending": pending,
        "next": _next(request),
        "qr": selectors.qr_data_url(pending) if pending else "",
        "secret": selectors.secret_base32(pending) if pending else "",
    }
    return render(request, "staff/mfa.html", context, status=400 if form.errors else 200)
