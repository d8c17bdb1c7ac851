"""Form layouts for the identity pages; the services validate (one set of rules and messages
for pages and API)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from candor.identity.models import Guardianship


class RealNameForm(forms.Form):
    name = forms.CharField(label=_("Name on your ID card"), max_length=64)
    id_number = forms.CharField(
        label=_("ID card number"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that Candor sends my name and ID number to the identity verification authority "
            "to check that they match, and keeps them encrypted once verified."
        ),
        required=False,
    )


class FaceForm(forms.Form):
    image = forms.FileField(label=_("A clear photo of your face (JPEG or PNG)"), required=False)
    consent = forms.BooleanField(
        label=_(
            "I separately agree that Candor sends this photo, with my verified name and ID number, to "
            "the identity verification authority for one comparison. Candor keeps only the result, "
            "never the photo."
        ),
        required=False,
    )


class GuardianPhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Your guardian's mobile number"),
        max_length=32,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )


class GuardianDecideForm(forms.Form):
    phone = forms.CharField(widget=forms.HiddenInput, max_length=32)
    code = forms.CharField(
        label=_("Code sent to the guardian's phone"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    relation = forms.ChoiceField(
        label=_("The guardian is the child's"), choices=Guardianship.Relation.choices
    )
