"""The checkout form lays out the inputs and keeps what was typed; the checks are the checkout's
(``checkout.purchase_place``), so the page and the API refuse the same input with the same words.

Special goods (C000-04/05/06) add their own inputs, one set per cart line whose product needs
them, named ``special-<sku id>-<field>``; the checkout names a bad one ``special.<sku id>.<field>``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from candor.addresses.selectors import masked_mobile, region_text
from candor.errors import CandorError
from candor.orders import special
from candor.orders.checkout import IDEMPOTENCY_KEY, CheckoutForm
from candor.orders.models import PaymentMethod

NEW_RECIPIENT = "new"
RECIPIENT_FIELDS = ("recipient_name", "mobile", "province", "city", "district", "detail", "landline")
_TRUE = {"on", "true", "1"}


def new_idempotency_key() -> str:
    """A fresh key for one rendering of the checkout page: submitting it twice buys once."""
    return secrets.token_urlsafe(24)  # 32 of A-Za-z0-9_-


def _text(label: Any, max_length: int, *, autocomplete: str = "off", **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete, "maxlength": str(max_length), **attrs}),
    )


def _number(label: Any, maximum: int) -> forms.CharField:
    return _text(label, len(str(maximum)), inputmode="numeric")


# The inputs each kind of special goods needs, in the order the page shows them.
SPECIAL_INPUTS: dict[str, list[tuple[str, Any]]] = {
    special.PHONE_CARD: [
        ("holder_name", lambda: _text(_("Card holder's name"), 32, autocomplete="name")),
        ("holder_id_number", lambda: _text(_("Card holder's ID card number"), 18)),
    ],
    special.HOME: [
        ("house_layout", lambda: _text(_("Layout"), 64, placeholder=_("e.g. 3 rooms, 2 halls"))),
        (
            "house_status",
            lambda: forms.ChoiceField(
                label=_("The house is"),
                required=False,
                choices=[
                    ("", "—"),
                    ("new", _("New, not lived in")),
                    ("lived_in", _("Lived in")),
                    ("renovating", _("Being renovated")),
                ],
            ),
        ),
        ("house_area_m2", lambda: _number(_("Floor area (m²)"), 10_000)),
        ("budget_yuan", lambda: _number(_("Budget (yuan)"), 100_000_000)),
    ],
    special.INSURANCE: [
        ("imei", lambda: _text(_("The phone's IMEI (dial *#06#)"), 17, inputmode="numeric")),
    ],
}
SPECIAL_NOTES = {
    special.PHONE_CARD: _(
        "Mobile numbers are sold under real-name registration: the card is activated only for this holder."
    ),
    special.HOME: _("The designer needs the house to plan the work and quote."),
    special.INSURANCE: _("The insurance covers the one phone with this IMEI."),
}


@dataclass(frozen=True)
class SpecialLine:
    sku_id: int
    kind: str
    name: str


def special_lines(lines: Iterable[Any]) -> list[SpecialLine]:
    """The cart lines (``cart.selectors.CartLine``) whose product needs extra details."""
    return [
        SpecialLine(line.sku_id, line.sku.product.special, line.product_name)
        for line in lines
        if line.sku.product.special in SPECIAL_INPUTS
    ]


def special_name(sku_id: int, field: str) -> str:
    return f"special-{sku_id}-{field}"


class CheckoutPageForm(forms.Form):
    address_id = forms.ChoiceField(label=_("Deliver to"), required=False, widget=forms.RadioSelect)
    recipient_name = _text(_("Recipient"), 32, autocomplete="name")
    mobile = _text(_("Mobile number"), 20, autocomplete="tel", type="tel", inputmode="tel")
    province = _text(_("Province"), 32, autocomplete="address-level1", placeholder=_("e.g. Zhejiang"))
    city = _text(_("City"), 32, autocomplete="address-level2", placeholder=_("e.g. Hangzhou"))
    district = _text(
        _("District or county"), 32, autocomplete="address-level3", placeholder=_("e.g. Xihu District")
    )
    detail = forms.CharField(
        label=_("Detailed address"),
        required=False,
        help_text=_("Street, building, unit and room."),
        widget=forms.Textarea(attrs={"autocomplete": "street-address", "rows": "2", "maxlength": "120"}),
    )
    landline = _text(_("Landline (optional)"), 24, autocomplete="tel", inputmode="tel")
    email = forms.CharField(
        label=_("Email (optional)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "maxlength": "254"}),
    )
    for_someone_else = forms.BooleanField(label=_("I am ordering for someone else"), required=False)
    recipient_agreed = forms.BooleanField(
        label=_(
            "The person I am ordering for agreed to give me their name, mobile and address for this order"
        ),
        required=False,
    )
    warehouse_name = _text(_("Receiving warehouse (business buyers, optional)"), 64)
    invoice_title = _text(_("Invoice title (optional)"), 100, autocomplete="organization")
    tax_number = _text(_("Taxpayer number (optional)"), 20)
    note = forms.CharField(
        label=_("Note to the merchant (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": "2", "maxlength": "200"}),
    )
    payment_method = forms.ChoiceField(
        label=_("Payment method"), required=False, choices=PaymentMethod.choices, widget=forms.RadioSelect
    )

    def __init__(
        self, *args: Any, addresses: Sequence[Any] = (), specials: Sequence[SpecialLine] = (), **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["address_id"].choices = [
            *(
                (
                    str(a.pk),
                    f"{a.recipient_name or ''} {masked_mobile(a)} {region_text(a)} {a.detail or ''}".strip(),
                )
                for a in addresses
            ),
            (NEW_RECIPIENT, _("A new recipient (enter below)")),
        ]
        self.specials = list(specials)
        for line in self.specials:
            for name, make in SPECIAL_INPUTS[line.kind]:
                self.fields[special_name(line.sku_id, name)] = make()

    def special_groups(self) -> list[dict[str, Any]]:
        """Per special line: its product name, why it is asked, and its bound inputs."""
        return [
            {
                "line": line,
                "note": SPECIAL_NOTES[line.kind],
                "fields": [
                    self[special_name(line.sku_id, name)] for name, _make in SPECIAL_INPUTS[line.kind]
                ],
            }
            for line in self.specials
        ]

    def _value(self, name: str) -> str:
        return str(self.data.get(name, "") or "")

    def idempotency_key(self) -> str:
        return self._value("idempotency_key")

    def checkout_form(self) -> CheckoutForm:
        """What the buyer typed, as the checkout takes it (raw text: the checkout cleans)."""
        chosen = self._value("address_id")
        expected = self._value("expected_total_fen").strip()
        return CheckoutForm(
            payment_method=self._value("payment_method"),
            address_id=int(chosen) if chosen.isdigit() and len(chosen) < 19 else None,
            recipient={name: self._value(name) for name in RECIPIENT_FIELDS},
            email=self._value("email"),
            for_someone_else=self._value("for_someone_else") in _TRUE,
            recipient_agreed=self._value("recipient_agreed") in _TRUE,
            warehouse_name=self._value("warehouse_name"),
            invoice_title=self._value("invoice_title"),
            tax_number=self._value("tax_number"),
            note=self._value("note"),
            expected_total_fen=int(expected) if expected.isdigit() and len(expected) < 19 else None,
            special={
                line.sku_id: {
                    name: self._value(special_name(line.sku_id, name))
                    for name, _make in SPECIAL_INPUTS[line.kind]
                }
                for line in self.specials
            },
        )

    def apply_error(self, error: CandorError) -> None:
        """Put the checkout's refusal on the form: each named field under its input, the rest
        (and the message itself) at the top."""
        self.is_valid()  # build cleaned_data so that add_error can attach the messages
        self.errors.clear()  # the checkout's words only, not the form's own second opinion
        self.add_error(None, str(error.message))
        for key, texts in error.fields.items():
            name = key
            if key.startswith("special."):
                _prefix, _sep, rest = key.partition(".")
                sku, _sep, field = rest.partition(".")
                name = special_name(int(sku), field) if sku.isdigit() else key
            messages = [str(text) for text in texts]
            if name in self.fields:
                self.add_error(name, messages)
            else:
                self.add_error(None, messages)


def key_or_new(value: str) -> str:
    """The page's key again after a refusal (nothing was created under it), or a fresh one when
    the one sent was not a valid key."""
    return value if IDEMPOTENCY_KEY.fullmatch(value or "") else new_idempotency_key()
