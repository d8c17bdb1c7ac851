"""Special goods (C000-04/05/06): what a line needs beyond an address, checked before the order.

- A phone card (``phone_card``) is activated only for a named holder: mobile numbers are sold
  under real-name registration, so the holder's name and ID number are required.
- A whole-house customization (``home_customization``) needs the house: layout, whether it is
  new, lived in or being renovated, the floor area and the budget.
- Phone insurance (``phone_insurance``) covers one handset, named by its 15-digit IMEI.

Each field is declared with its purpose in ``personal_data.py`` and encrypted where it names a
person or a device. Nothing is asked for goods that are not special.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from candor.catalog.models import Sku
from candor.identity import idnumbers
from candor.orders.errors import CheckoutInvalid
from candor.orders.models import OrderLine, SpecialDetails

PHONE_CARD = "phone_card"
HOME = "home_customization"
INSURANCE = "phone_insurance"
HOUSE_STATUS = ("new", "lived_in", "renovating")
MAX_BUDGET_FEN = 100_000_000_00  # one hundred million yuan


def imei_valid(value: str) -> bool:
    """15 digits whose last is the Luhn check digit of the first 14."""
    if len(value) != 15 or not value.isdigit():
        return False
    total = 0
    for index, char in enumerate(value[:14]):
        digit = int(char) * (2 if index % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return (10 - total % 10) % 10 == int(value[14])


def _text(values: Mapping[str, Any], name: str, limit: int) -> str:
    return " ".join(str(values.get(name) or "").split())[:limit]


def _positive(values: Mapping[str, Any], name: str) -> int | None:
    try:
        number = int(str(values.get(name) or "").strip())
    except ValueError:
        return None
    return number if number > 0 else None


def _phone_card(values: Mapping[str, Any], errors: dict[str, list[str]], prefix: str) -> dict[str, Any]:
    name = _text(values, "holder_name", 32)
    if not name:
        errors[f"{prefix}holder_name"] = [str(_("Enter the card holder's name."))]
    try:
        number = idnumbers.validate(str(values.get("holder_id_number") or ""))
    except idnumbers.InvalidIdNumber as exc:
        errors[f"{prefix}holder_id_number"] = [str(exc.message)]
        number = ""
    return {"holder_name": name, "holder_id_number": number}


def _home(values: Mapping[str, Any], errors: dict[str, list[str]], prefix: str) -> dict[str, Any]:
    layout = _text(values, "house_layout", 64)
    status = _text(values, "house_status", 32)
    area = _positive(values, "house_area_m2")
    budget_yuan = _positive(values, "budget_yuan")
    if not layout:
        errors[f"{prefix}house_layout"] = [str(_("Describe the layout, such as 3 rooms, 2 halls."))]
    if status not in HOUSE_STATUS:
        errors[f"{prefix}house_status"] = [
            str(_("Choose whether the house is new, lived in or being renovated."))
        ]
    if area is None or area > 10_000:
        errors[f"{prefix}house_area_m2"] = [str(_("Enter the floor area in square metres (1 to 10000)."))]
    if budget_yuan is None or budget_yuan * 100 > MAX_BUDGET_FEN:
        errors[f"{prefix}budget_yuan"] = [str(_("Enter a budget in yuan."))]
    return {
        "house_layout": layout, "house_status": status, "house_area_m2": str(area or ""),
        "budget_fen": str((budget_yuan or 0) * 100),
    }  # fmt: skip


def _insurance(values: Mapping[str, Any], errors: dict[str, list[str]], prefix: str) -> dict[str, Any]:
    imei = "".join(str(values.get("imei") or "").split())
    if not imei_valid(imei):
        errors[f"{prefix}imei"] = [str(_("Enter the phone's 15-digit IMEI (dial *#06# to see it)."))]
    return {"imei": imei}


_CHECKS = {PHONE_CARD: _phone_card, HOME: _home, INSURANCE: _insurance}


def check(
    *, lines: Sequence[tuple[Sku, int]], given: Mapping[int, Mapping[str, Any]]
) -> dict[int, dict[str, Any]]:
    """The clean extra fields per special SKU, or ``CheckoutInvalid`` naming each bad one
    (as ``special.<sku id>.<field>``)."""
    errors: dict[str, list[str]] = {}
    clean: dict[int, dict[str, Any]] = {}
    for sku, _quantity in lines:
        kind = sku.product.special
        if kind in _CHECKS:
            clean[sku.pk] = _CHECKS[kind](given.get(sku.pk) or {}, errors, f"special.{sku.pk}.")
    if errors:
        raise CheckoutInvalid(errors)
    return clean


def save(*, line: OrderLine, buyer_id: int, kind: str, values: Mapping[str, Any]) -> SpecialDetails:
    return SpecialDetails.objects.create(line=line, buyer_id=buyer_id, kind=kind, **values)
