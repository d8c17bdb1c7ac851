"""The contest form only lays the inputs out; the checks are the service's
(``services.decision_contest``), so the page and the API refuse the same input with the same
words."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from candor.centre.services import CONTEST_MAX, DECISIONS


class ContestForm(forms.Form):
    decision = forms.ChoiceField(label=_("Which decision"), required=False, choices=list(DECISIONS.items()))
    reason = forms.CharField(
        label=_("Why you contest it"),
        required=False,
        widget=forms.Textarea(attrs={"rows": "4", "maxlength": str(CONTEST_MAX)}),
    )
