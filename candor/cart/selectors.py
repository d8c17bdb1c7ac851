"""Reads of the cart, the same for a guest (the session) and a member (the database): the
lines with their SKU, product, price and stock, and the count shown in the header badge.

A guest's session holds only ``{sku id: quantity}``; anything else found there (a tampered or
stale cookie-backed session) is ignored, never trusted: ids and quantities are range-checked
and SKUs that no longer exist drop out. The cart page costs two queries: the lines with their
SKU and product, and the stock of those SKUs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Sum
from django.utils import translation

from candor.cart.models import MAX_LINE_QUANTITY, MAX_LINES, CartItem
from candor.catalog.models import Sku, Stock

SESSION_KEY = "candor_cart"
MAX_ID = 2**63 - 1  # a larger id cannot exist, and would overflow the database's integer


def is_member(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def valid_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def session_cart(session: Mapping[str, Any] | None) -> dict[int, int]:
    """The guest cart in the session as ``{sku id: quantity}``, in the order added; malformed
    entries are left out."""
    raw = session.get(SESSION_KEY) if session is not None else None
    if not isinstance(raw, dict):
        return {}
    cart: dict[int, int] = {}
    for key, quantity in raw.items():
        if not (isinstance(key, str) and key.isdigit() and len(key) <= 19):
            continue
        sku_id = int(key)
        if valid_id(sku_id) and valid_id(quantity) and quantity <= MAX_LINE_QUANTITY:
            cart[sku_id] = quantity
        if len(cart) >= MAX_LINES:
            break
    return cart


def stock_of(skus: Iterable[Sku]) -> dict[int, int]:
    """Units available per SKU (its product loaded), summed over all warehouses; a SKU without
    stock rows has none. A service of the marketplace (``Product.is_service``) is not stocked:
    only the per-line maximum limits it."""
    skus = list(skus)
    ids = [sku.pk for sku in skus if not sku.product.is_service]
    available = {sku.pk: MAX_LINE_QUANTITY for sku in skus if sku.product.is_service}
    if ids:
        rows = Stock.objects.filter(sku_id__in=ids).values("sku_id").annotate(total=Sum("quantity"))
        available.update({row["sku_id"]: int(row["total"] or 0) for row in rows})
    return available


@dataclass(frozen=True)
class CartLine:
    sku: Sku
    quantity: int
    stock: int
    added_at: datetime | None  # None for a guest: the session keeps no times

    @property
    def sku_id(self) -> int:
        return self.sku.pk

    @property
    def product_name(self) -> str:
        """In the language active while rendering."""
        return self.sku.product.name(translation.get_language())

    @property
    def options_label(self) -> str:
        return self.sku.label()

    @property
    def on_sale(self) -> bool:
        return bool(self.sku.is_active and self.sku.product.is_active)

    @property
    def available(self) -> bool:
        """On sale and enough in stock: only such lines count towards the total."""
        return self.on_sale and self.stock >= self.quantity

    @property
    def unit_price_fen(self) -> int:
        return int(self.sku.price_fen)

    @property
    def line_total_fen(self) -> int:
        return self.unit_price_fen * self.quantity

    @property
    def max_quantity(self) -> int:
        return max(1, min(MAX_LINE_QUANTITY, self.stock))


@dataclass(frozen=True)
class Cart:
    lines: list[CartLine]

    @property
    def total_fen(self) -> int:
        return sum(line.line_total_fen for line in self.lines if line.available)

    @property
    def count(self) -> int:
        """Units in the cart (the header badge)."""
        return sum(line.quantity for line in self.lines)

    def line(self, sku_id: int) -> CartLine | None:
        return next((line for line in self.lines if line.sku_id == sku_id), None)


def cart_get(*, user: Any, session: Mapping[str, Any] | None) -> Cart:
    """The visitor's cart, newest line first."""
    if is_member(user):
        items = list(
            CartItem.objects.filter(user_id=user.pk)
            .select_related("sku__product__merchant")
            .order_by("-added_at", "-id")
        )
        stock = stock_of(item.sku for item in items)
        return Cart([CartLine(i.sku, i.quantity, stock.get(i.sku_id, 0), i.added_at) for i in items])
    wanted = session_cart(session)
    skus = Sku.objects.select_related("product").in_bulk(list(wanted))
    stock = stock_of(skus.values())
    order = [sku_id for sku_id in reversed(wanted) if sku_id in skus]
    return Cart([CartLine(skus[i], wanted[i], stock.get(i, 0), None) for i in order])


def cart_count(*, user: Any, session: Mapping[str, Any] | None) -> int:
    """Units in the cart, in one indexed query for a member and none for a guest."""
    if is_member(user):
        total = CartItem.objects.filter(user_id=user.pk).aggregate(n=Sum("quantity"))["n"]
        return int(total or 0)
    return sum(session_cart(session).values())
