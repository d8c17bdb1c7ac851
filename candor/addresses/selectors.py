"""Reads of the address book, always scoped to the owner: another user's address id answers
exactly like an id that does not exist (``AddressNotFound``, 404), so ids leak nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from candor.addresses.errors import AddressNotFound
from candor.addresses.models import Address
from candor.privacy import masking


def address_list(*, user: Any) -> QuerySet[Address]:
    """The owner's addresses, the default first, then the most recently changed."""
    return Address.objects.filter(user_id=user.pk).order_by("-is_default", "-updated_at", "-pk")


MAX_ID = 2**63 - 1  # a larger id cannot exist, and would overflow the database's integer


def address_get(*, user: Any, address_id: int) -> Address:
    if not 0 < address_id <= MAX_ID:
        raise AddressNotFound()
    address = Address.objects.filter(user_id=user.pk, pk=address_id).first()
    if address is None:
        raise AddressNotFound()
    return address


def address_default(*, user: Any) -> Address | None:
    return Address.objects.filter(user_id=user.pk, is_default=True).first()


def address_count(*, user: Any) -> int:
    return Address.objects.filter(user_id=user.pk).count()


def region_text(address: Address) -> str:
    """Province, city and district as one line ("浙江省 杭州市 西湖区"); a municipality named
    twice ("北京市 北京市") is said once."""
    parts: list[str] = []
    for part in (address.province, address.city, address.district):
        if part and part not in parts:
            parts.append(part)
    return " ".join(parts)


def masked_mobile(address: Address) -> str:
    """Lists show the mobile masked (C001-22); the edit form shows it in full to its owner."""
    return masking.mask("phone", address.mobile)


@dataclass(frozen=True)
class AddressValues:
    """An address as plain values, for an order to copy: the order keeps its own encrypted copy
    under its own declaration, so later edits here never rewrite an order."""

    recipient_name: str
    mobile: str
    province: str
    city: str
    district: str
    detail: str
    postal_code: str
    landline: str

    @property
    def full_address(self) -> str:
        parts: list[str] = []
        for part in (self.province, self.city, self.district, self.detail):
            if part and part not in parts:
                parts.append(part)
        return " ".join(parts)


def address_for_order(*, user: Any, address_id: int) -> AddressValues:
    """The owner's address ``address_id`` as plain values (404 for anyone else's)."""
    address = address_get(user=user, address_id=address_id)
    return AddressValues(
        recipient_name=address.recipient_name or "",
        mobile=address.mobile or "",
        province=address.province,
        city=address.city,
        district=address.district,
        detail=address.detail or "",
        postal_code=address.postal_code,
        landline=address.landline or "",
    )
