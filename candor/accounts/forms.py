"""Forms only parse what the browser sends; the services decide what is acceptable."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from candor.accounts.selectors import login_name
from candor.accounts.services import password_set


class RegisterForm(forms.Form):
    username = forms.CharField(label=_("Account name"), max_length=150)
    password = forms.CharField(label=_("Password"), max_length=256, widget=forms.PasswordInput)
    phone = forms.CharField(label=_("Mobile number"), max_length=32)
    code = forms.CharField(label=_("SMS code"), max_length=12, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254)
    birthday = forms.DateField(
        label=_("Date of birth (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    accept_policy = forms.BooleanField(label=_("I have read and accept the privacy policy"), required=False)


class SmsLoginForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=32)
    code = forms.CharField(label=_("SMS code"), max_length=12)


class SmsResetForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=32)
    code = forms.CharField(label=_("SMS code"), max_length=12)
    password = forms.CharField(label=_("New password"), max_length=256, widget=forms.PasswordInput)


class SendCodeForm(forms.Form):
    phone = forms.CharField(max_length=32)
    purpose = forms.ChoiceField(choices=[("register", ""), ("login", ""), ("reset_password", "")])


class ProfileForm(forms.Form):
    nickname = forms.CharField(label=_("Nickname"), max_length=200, required=False)
    gender = forms.ChoiceField(
        label=_("Gender"),
        required=False,
        choices=[("", _("Not said")), ("female", _("Female")), ("male", _("Male")), ("other", _("Other"))],
    )
    birthday = forms.DateField(
        label=_("Birthday"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    residence = forms.CharField(label=_("Place of residence"), max_length=400, required=False)
    interests = forms.CharField(label=_("Interests"), max_length=400, required=False)
    landline = forms.CharField(label=_("Landline"), max_length=100, required=False)
    avatar = forms.FileField(label=_("Avatar"), required=False)
    remove_avatar = forms.BooleanField(label=_("Remove the avatar"), required=False)


class PasswordLoginForm(AuthenticationForm):
    """Django's login form, which also takes the mobile number in place of the account name."""

    def clean(self) -> dict[str, object]:
        if self.cleaned_data.get("username"):
            self.cleaned_data["username"] = login_name(self.cleaned_data["username"])
        return super().clean()


class AuditedSetPasswordForm(SetPasswordForm):
    """The e-mail reset link's form: the new password is set by the service, which audits it."""

    def save(self, commit: bool = True) -> object:
        return password_set(user=self.user, password=self.cleaned_data["new_password1"], via="email")
