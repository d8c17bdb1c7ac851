"""The request form lays out the inputs and keeps what was typed; the checks are the
service's (``services.request_file``), so the page and the API refuse the same input with the
same words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from candor.service import services
from candor.service.models import Kind, OnBehalf, Relationship


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What would you like?"), choices=Kind.choices, required=False)
    on_behalf = forms.ChoiceField(
        label=_("For whom"), choices=OnBehalf.choices, required=False, widget=forms.RadioSelect,
        initial=OnBehalf.SELF,
    )  # fmt: skip
    relation_name = forms.CharField(
        label=_("Name of the person concerned"), required=False,
        help_text=_("Only when you act for your child or for a deceased relative."),
        widget=forms.TextInput(attrs={"maxlength": str(services.NAME_MAX), "autocomplete": "off"}),
    )  # fmt: skip
    relationship = forms.ChoiceField(
        label=_("Your relationship to the deceased"), required=False,
        choices=[("", "---------"), *Relationship.choices],
    )  # fmt: skip
    body = forms.CharField(
        label=_("Your request"), required=False,
        help_text=_("Tell us what you need. Please do not include ID numbers or bank card numbers."),
        widget=forms.Textarea(attrs={"rows": "6", "maxlength": str(services.BODY_MAX)}),
    )  # fmt: skip

    def service_values(self) -> dict[str, Any]:
        return {name: self.data.get(name, "") for name in self.fields}


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"), required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "6"}
        ),
    )  # fmt: skip
