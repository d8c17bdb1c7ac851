"""The forms of the staff queue's steps. They only lay the inputs out: the services check them
(a refusal without a reason or an explanation, an erasure without confirmation), so every
caller is refused alike."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from candor.service.models import RefusalReason

_TEXT = forms.Textarea(attrs={"rows": 8, "cols": 80})
_NO_PERSONAL = _(
    "Written to the requester; it is stored encrypted and shown to them on their request's page."
)


class SendCodeForm(forms.Form):
    pass


class CheckCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code the requester received"), required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 6}),
    )  # fmt: skip


class DocumentsForm(forms.Form):
    seen = forms.BooleanField(
        label=_("I have seen documents that prove the requester's identity (and, when they act for a "
                "child or a deceased relative, their guardianship or kinship)."),
        required=True,
    )  # fmt: skip


class StartForm(forms.Form):
    pass


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), required=False, widget=_TEXT, help_text=_NO_PERSONAL)


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason (only the listed cases allow a refusal)"), required=False,
        choices=[("", "---------"), *RefusalReason.choices],
    )  # fmt: skip
    explanation = forms.CharField(
        label=_("Explanation for the requester"), required=False, widget=_TEXT, help_text=_NO_PERSONAL
    )


class ExportForm(forms.Form):
    pass


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Erase this account and its personal data now. This cannot be undone."), required=False
    )
