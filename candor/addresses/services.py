"""Writes to the address book. Each one runs in one transaction with its audit event (which
names the fields that changed, never their values), checks the owner first (another user's id
is simply not found), and keeps the two invariants: at most ``ADDRESS_LIMIT`` entries per
user, and at most one default — the services move the default, the database's partial unique
constraint refuses a second one should anything else try.

Input is checked here, not in forms or schemas, so the web page and the API refuse the same
input with the same messages, each on its own field, and nothing is stored when any is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from candor.addresses.errors import AddressInvalid, AddressLimitReached, AddressNotFound
from candor.addresses.models import Address
from candor.addresses.selectors import MAX_ID
from candor.privacy import audit, taxonomy
from candor.privacy.datamap import declaration_for
from candor.verification.phones import InvalidPhone, normalize_cn_mobile

ADDRESS_LIMIT = 20
TEXT_LIMITS = {"recipient_name": 32, "province": 32, "city": 32, "district": 32, "detail": 120}
REQUIRED = ("recipient_name", "mobile", "province", "city", "detail")
POSTAL_CODE = re.compile(r"[0-9]{6}")
# Area code, number and an optional extension: 010-12345678, 0571 8888 6666-123.
LANDLINE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _text(value: Any) -> str:
    """One line of text: control characters out, runs of white space as one space."""
    return " ".join(_CONTROL.sub(" ", str(value or "")).split())


def address_clean(data: Mapping[str, Any]) -> dict[str, str]:
    """The stored form of every field, or ``AddressInvalid`` naming each bad field (also the
    checkout's check of a recipient typed in at the order)."""
    errors: dict[str, list[str]] = {}
    clean = {
        name: _text(data.get(name)) for name in (*TEXT_LIMITS, "mobile", "postal_code", "landline", "label")
    }
    for name in REQUIRED:
        if not clean[name]:
            errors[name] = [_("This field is required.")]
    for name, limit in TEXT_LIMITS.items():
        if len(clean[name]) > limit:
            errors[name] = [_("Ensure this value has at most %(n)s characters.") % {"n": limit}]
    if clean["mobile"]:
        try:
            clean["mobile"] = normalize_cn_mobile(clean["mobile"])
        except InvalidPhone as exc:
            errors["mobile"] = [str(exc.message)]
    if clean["postal_code"] and not POSTAL_CODE.fullmatch(clean["postal_code"]):
        errors["postal_code"] = [_("A postal code is 6 digits.")]
    landline = clean["landline"].replace(" ", "")
    if landline and not LANDLINE.fullmatch(landline):
        errors["landline"] = [_("Enter a landline number with its area code, such as 010-12345678.")]
    clean["landline"] = landline
    if clean["label"] not in {"", *Address.Label.values}:
        errors["label"] = [_("Select a valid choice.")]
    if errors:
        raise AddressInvalid(errors)
    return clean


def _declared(names: list[str]) -> list[str]:
    declaration = declaration_for(Address)
    assert declaration is not None
    return [name for name in names if name in declaration.fields]


def _audit(address: Address, *, user: Any, operation: str, fields: list[str]) -> None:
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=user.pk,
        subject_id=user.pk,
        target=f"addresses.address:{address.pk}",
        fields=fields,
        purpose=taxonomy.DELIVERY.code,
        detail={"operation": operation},
    )


def _lock_owner(user: Any) -> None:
    """Serialize one user's address writes (the limit and the default are per user)."""
    get_user_model()._default_manager.select_for_update().filter(pk=user.pk).first()


def _owned(user: Any, address_id: int) -> Address:
    if not 0 < address_id <= MAX_ID:
        raise AddressNotFound()
    address = Address.objects.select_for_update().filter(user_id=user.pk, pk=address_id).first()
    if address is None:
        raise AddressNotFound()
    return address


def _make_default(user: Any, address: Address) -> None:
    # The old default goes first, so the partial unique index never sees two.
    Address.objects.filter(user_id=user.pk, is_default=True).exclude(pk=address.pk).update(is_default=False)
    Address.objects.filter(pk=address.pk).update(is_default=True)
    address.is_default = True


@transaction.atomic
def address_create(
    *,
    user: Any,
    recipient_name: str,
    mobile: str,
    province: str,
    city: str,
    detail: str,
    district: str = "",
    postal_code: str = "",
    landline: str = "",
    label: str = "",
    is_default: bool = False,
) -> Address:
    """Add an address; the first one, or one asked to be, becomes the default."""
    clean = address_clean(
        {
            "recipient_name": recipient_name, "mobile": mobile, "province": province, "city": city,
            "district": district, "detail": detail, "postal_code": postal_code, "landline": landline,
            "label": label,
        }
    )  # fmt: skip
    _lock_owner(user)
    if Address.objects.filter(user_id=user.pk).count() >= ADDRESS_LIMIT:
        raise AddressLimitReached(ADDRESS_LIMIT)
    first = not Address.objects.filter(user_id=user.pk).exists()
    address = Address(user=user, **clean)
    address.save()
    if first or is_default:
        _make_default(user, address)
    _audit(address, user=user, operation="create", fields=_declared([k for k, v in clean.items() if v]))
    return address


@transaction.atomic
def address_update(
    *,
    user: Any,
    address_id: int,
    recipient_name: str,
    mobile: str,
    province: str,
    city: str,
    detail: str,
    district: str = "",
    postal_code: str = "",
    landline: str = "",
    label: str = "",
    is_default: bool | None = None,
) -> Address:
    """Replace an address's fields (``is_default``: True makes it the default, False stops it
    being the default, None leaves it)."""
    clean = address_clean(
        {
            "recipient_name": recipient_name, "mobile": mobile, "province": province, "city": city,
            "district": district, "detail": detail, "postal_code": postal_code, "landline": landline,
            "label": label,
        }
    )  # fmt: skip
    _lock_owner(user)
    address = _owned(user, address_id)
    changed = [name for name, value in clean.items() if (getattr(address, name) or "") != value]
    for name in changed:
        setattr(address, name, clean[name])
    if changed:
        address.save()
    if is_default and not address.is_default:
        _make_default(user, address)
        changed.append("is_default")
    elif is_default is False and address.is_default:
        Address.objects.filter(pk=address.pk).update(is_default=False)
        address.is_default = False
        changed.append("is_default")
    if changed:
        _audit(address, user=user, operation="update", fields=changed)
    return address


@transaction.atomic
def address_delete(*, user: Any, address_id: int) -> None:
    """Delete an address; when it was the default, the most recently changed other one takes
    its place, so an order form always has one to offer while any is left."""
    _lock_owner(user)
    address = _owned(user, address_id)
    was_default = address.is_default
    declaration = declaration_for(Address)
    assert declaration is not None
    _audit(address, user=user, operation="delete", fields=list(declaration.fields))
    address.delete()
    if was_default:
        successor = Address.objects.filter(user_id=user.pk).order_by("-updated_at", "-pk").first()
        if successor is not None:
            _make_default(user, successor)


@transaction.atomic
def address_set_default(*, user: Any, address_id: int) -> Address:
    _lock_owner(user)
    address = _owned(user, address_id)
    if not address.is_default:
        _make_default(user, address)
        _audit(address, user=user, operation="set_default", fields=["is_default"])
    return address
