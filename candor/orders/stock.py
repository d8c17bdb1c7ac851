"""Reserving and returning stock without overselling, on SQLite and PostgreSQL alike.

A reservation is one conditional UPDATE (``catalog.services.stock_take``:
``quantity = quantity - n WHERE … AND quantity >= n``) on one warehouse row: the database
applies it atomically, so two buyers of the last unit cannot both succeed. PostgreSQL re-checks
the condition after waiting for a concurrent writer's row lock (READ COMMITTED); SQLite runs
one writer at a time (IMMEDIATE transactions). No
``SELECT … FOR UPDATE`` is needed and the check can never go negative (the column is unsigned
too). One warehouse that holds the whole quantity is preferred (one parcel), the fullest
first; when none does, the line is split over several warehouses, the fullest first, each part
its own conditional UPDATE and its own order line, as the cart promised the units of every
warehouse together. A part that loses a race to another buyer leaves the rest to the next
warehouse; when all of them together fall short, the parts already taken are put back at once
(so the units the refusal names are right), and the caller's transaction is rolled back too.

Returning is guarded by the line's ``released_at``: only the call that flips it from NULL adds
the units back, so a cancellation racing a timeout returns them once.
"""

from __future__ import annotations

from django.utils import timezone

from candor.catalog.models import Sku, Stock
from candor.catalog.services import stock_return, stock_take
from candor.orders.models import OrderLine


def reserve(sku: Sku, quantity: int) -> list[tuple[Stock, int]] | None:
    """Take ``quantity`` units of ``sku``: [(warehouse row, units taken)], one row when a
    warehouse has them all; None, with nothing taken, when the warehouses together have fewer."""
    rows = list(
        Stock.objects.filter(sku=sku, quantity__gt=0)
        .order_by("-quantity", "pk")
        .only("pk", "sku_id", "warehouse", "quantity")
    )
    for row in rows:
        if row.quantity >= quantity and stock_take(sku_id=sku.pk, warehouse=row.warehouse, quantity=quantity):
            return [(row, quantity)]
    parts: list[tuple[Stock, int]] = []
    wanted = quantity
    for row in rows:
        part = min(row.quantity, wanted)
        if stock_take(sku_id=sku.pk, warehouse=row.warehouse, quantity=part):
            parts.append((row, part))
            wanted -= part
            if not wanted:
                return parts
    for row, part in parts:
        stock_return(stock_id=row.pk, quantity=part)
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
            stock_return(stock_id=line.stock_id, quantity=line.quantity)
            returned += 1
    return returned
