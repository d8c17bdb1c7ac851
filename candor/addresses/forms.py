"""The address form lays out the inputs and keeps what was typed; the checks are the service's
(``services._clean``), so the page and the API refuse the same input with the same words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from candor.addresses.models import Address


def _text(label: Any, autocomplete: str, max_length: int, **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete, "maxlength": str(max_length), **attrs}),
    )


class AddressForm(forms.Form):
    recipient_name = _text(_("Recipient"), "name", 32)
    mobile = forms.CharField(
        label=_("Mobile number"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "maxlength": "20"}
        ),
    )
    province = _text(_("Province"), "address-level1", 32, placeholder=_("e.g. Zhejiang"))
    city = _text(_("City"), "address-level2", 32, placeholder=_("e.g. Hangzhou"))
    district = _text(_("District or county"), "address-level3", 32, placeholder=_("e.g. Xihu District"))
    detail = forms.CharField(
        label=_("Detailed address"),
        required=False,
        help_text=_("Street, building, unit and room."),
        widget=forms.Textarea(attrs={"autocomplete": "street-address", "rows": "2", "maxlength": "120"}),
    )
    postal_code = _text(_("Postal code (optional)"), "postal-code", 6, inputmode="numeric")
    landline = _text(_("Landline (optional)"), "tel", 24, inputmode="tel")
    label = forms.ChoiceField(
        label=_("Label"), required=False, choices=[("", _("None")), *Address.Label.choices]
    )
    is_default = forms.BooleanField(label=_("Use as my default address"), required=False)

    def service_values(self) -> dict[str, Any]:
        """What the service takes: the raw text (it cleans), the checkbox as a bool."""
        values: dict[str, Any] = {
            name: self.data.get(name, "") for name in self.fields if name != "is_default"
        }
        values["is_default"] = self.data.get("is_default") in {"on", "true", "1"}
        return values


def initial_of(address: Address) -> dict[str, object]:
    """The edit form shows the owner their address in full."""
    return {
        "recipient_name": address.recipient_name or "",
        "mobile": address.mobile or "",
        "province": address.province,
        "city": address.city,
        "district": address.district,
        "detail": address.detail or "",
        "postal_code": address.postal_code,
        "landline": address.landline or "",
        "label": address.label,
        "is_default": address.is_default,
    }
