"""The back office asks every staff user for a second factor (C002-16: multi-factor auth).

``StaffAdminSite`` is django-otp's ``OTPAdminSite`` — ``has_permission`` also requires
``request.user.is_verified()``, so a staff user with only a password is treated as not staff —
with a login form that takes the account name, the password and the 6-digit code in one step,
and audits every refused code. A staff user who has no device yet and gives the right password
is signed in with that first factor only and sent to the enrolment page (``staff:mfa``); the
admin stays closed until a device is confirmed. ``install_admin_gate`` turns the project's one
``admin.site`` into this class (see ``apps.py`` for why the object is kept).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.sites import AdminSite
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import empty
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, user_has_device
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.forms import OTPAuthenticationFormMixin

from candor.staff import services

NOT_ENROLLED = "mfa_not_enrolled"


class StaffAdminAuthenticationForm(OTPAdminAuthenticationForm):
    otp_token = forms.CharField(
        required=False,
        label=_("6-digit code"),
        help_text=_("The code your authenticator app shows now."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 8, "size": 8}
        ),
    )
    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": _("Enter the 6-digit code from your authenticator app."),
        "invalid_token": _("That code is not right. Enter the code your authenticator app shows now."),
        "device_required": _("Choose the device whose code you entered."),
    }

    def clean_otp(self, user: Any) -> None:
        if user is not None and not user_has_device(user):
            raise forms.ValidationError(_("You have not set up a second factor yet."), code=NOT_ENROLLED)
        super().clean_otp(user)

    def _chosen_device(self, user: Any) -> Any:
        # One device (the usual case): the code is for it, no need to ask which.
        device = super()._chosen_device(user)
        if device is None:
            devices = list(devices_for_user(user, for_verify=True))
            if len(devices) == 1:
                device = devices[0]
        return device

    def _verify_token(self, user: Any, token: str, device: Any = None) -> Any:
        try:
            return super()._verify_token(user, token, device)
        except forms.ValidationError:
            # Inside django-otp's transaction, which commits: the refusal stays recorded.
            services.token_failure_record(user=user, device=device, where="admin_login")
            raise

    def _update_form(self, user: Any) -> None:
        # django-otp would write the password back into the page for the second try; we ask again.
        if "otp_device" in self.fields:
            self.fields["otp_device"].widget.choices = self.device_choices(user)

    @property
    def several_devices(self) -> bool:
        user = self.get_user()
        return user is not None and len(list(devices_for_user(user))) > 1


class StaffAdminSite(OTPAdminSite):
    login_form = StaffAdminAuthenticationForm
    login_template = "staff/admin_login.html"

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        context = {"mfa_url": reverse("staff:mfa"), **(extra_context or {})}
        response = super().login(request, context)
        if request.method == "POST" and isinstance(response, TemplateResponse) and response.context_data:
            form = response.context_data.get("form")
            user = form.get_user() if form is not None else None
            if user is not None and form.has_error("__all__", NOT_ENROLLED):
                # The password was right and there is no second factor to ask for: sign in with
                # the first factor (which opens no admin page) and go set one up.
                login(request, user)
                index = reverse("admin:index", current_app=self.name)
                target = request.POST.get(REDIRECT_FIELD_NAME) or index
                query = urlencode({REDIRECT_FIELD_NAME: target})
                return HttpResponseRedirect(f"{reverse('staff:mfa')}?{query}")
        return response


def install_admin_gate() -> None:
    """Make the project's ``admin.site`` a ``StaffAdminSite``, keeping every registration."""
    site = admin.site
    wrapped = getattr(site, "_wrapped", site)
    if wrapped is empty:  # not built yet: build it, so that the class we change is the site's
        site._setup()
        wrapped = site._wrapped
    current = type(wrapped)
    if current is StaffAdminSite:
        return
    if current is not AdminSite:
        raise ImproperlyConfigured(
            f"admin.site is a {current.__name__}: the staff second-factor gate expects Django's AdminSite"
        )
    site.__class__ = StaffAdminSite  # LazyObject passes this on to the site it wraps
