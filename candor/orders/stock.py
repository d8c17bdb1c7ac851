"""Reserving and returning stock without overselling, on SQLite and PostgreSQL alike.

A reservation is one conditional UPDATE (``catalog.services.stock_take``:
``quantity = quantity - n WHERE … AND quantity >= n``) on one warehouse row: the database
applies it atomically, so two buyers of the last unit cannot both succeed. PostgreSQL re-checks
the condition after waiting for a concurrent writer's row lock (READ COMMITTED); SQLite runs
one writer at a time (IMMEDIATE transactions). No
``SELECT … FOR UPDATE`` is needed and the check can never go negative (the column is unsigned
too). The warehouse with the most units is tried first, then the others.

Returning is guarded by the line's ``released_at``: only the call that flips it from NULL adds
the units back, so a cancellation racing a timeout returns them once.
"""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from candor.catalog.models import Sku, Stock
from candor.catalog.services import stock_take
from candor.orders.models import OrderLine


def reserve(sku: Sku, quantity: int) -> Stock | None:
    """Take ``quantity`` units of ``sku`` from one warehouse; None when no warehouse has them."""
    candidates = Stock.objects.filter(sku=sku, quantity__gte=quantity).order_by("-quantity", "pk")
    for row in candidates.only("pk", "sku_id", "warehouse"):
        if stock_take(sku_id=sku.pk, warehouse=row.warehouse, quantity=quantity):
            return row
    return None


def available(sku: Sku) -> int:
    return sum(Stock.objects.filter(sku=sku).values_list("quantity", flat=True))


def release(lines: list[OrderLine]) -> int:
    """Give the lines' units back to the warehouses they came from; returns how many lines."""
    now = timezone.now()
    returned = 0
    for line in lines:
        if line.stock_id is None:
            continue
        if OrderLine.objects.filter(pk=line.pk, released_at__isnull=True).update(released_at=now):
            Stock.objects.filter(pk=line.stock_id).update(quantity=F("quantity") + line.quantity)
            returned += 1
    return returned
