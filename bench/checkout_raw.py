"""The raw-SQL baseline of the checkout benchmark (``bench.checkout``): the same rows the app's
checkout writes for one order, written with ``connection.cursor()`` and nothing else.

One order placed by the app is the template. Its rows are read back as they are stored —
purchase, order, line, abnormal-order signal (``OrderCheck``), the audit event, with their
columns as the database has them, ciphertexts included — and each baseline order writes copies
of them in one transaction, as the app does: a new purchase and order number (and idempotency
key), the stock row's conditional decrement, the line pointing at the new order, the signal row,
the audit chain's head advanced and an event with its sequence number. Seven statements where
the app runs about twenty, and no Python between them: no form or address check, no price or
special-goods check, no encryption, no risk counts, no hash chain. The ratio of the two rates is
what all of that costs.

The columns come from the template rows, so the baseline follows the schema as it changes.
"""

from __future__ import annotations

import itertools
import secrets
from typing import Any

from django.db import connection, transaction


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


class _Table:
    """INSERT of a template row of ``model``'s table, with some columns replaced."""

    def __init__(self, model: Any, template_id: int, *, returning: bool) -> None:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {_quoted(table)} WHERE id = %s", [template_id])
            names = [column[0] for column in cursor.description]
            row = cursor.fetchone()
        self.values = {name: _adapt(value) for name, value in zip(names, row, strict=True) if name != "id"}
        self.columns = list(self.values)
        placeholders = ", ".join(["%s"] * len(self.columns))
        columns = ", ".join(_quoted(c) for c in self.columns)
        self.sql = f"INSERT INTO {_quoted(table)} ({columns}) VALUES ({placeholders})"
        if returning:
            self.sql += " RETURNING id"

    def params(self, **replaced: Any) -> list[Any]:
        return [replaced.get(name, self.values[name]) for name in self.columns]


def _adapt(value: Any) -> Any:
    """A value as read back, ready to be written again (PostgreSQL's JSON comes back parsed)."""
    if connection.vendor == "postgresql" and isinstance(value, dict | list):
        from psycopg.types.json import Jsonb

        return Jsonb(value)
    return value


class RawCheckout:
    """Place orders like ``template_purchase_id``'s (one order, one line) with plain SQL."""

    def __init__(self, template_purchase_id: int) -> None:
        from candor.orders.models import Order, OrderCheck, OrderLine, Purchase
        from candor.privacy.models import AuditEvent, AuditHead

        order = Order.objects.get(purchase_id=template_purchase_id)
        (line,) = order.lines.all()
        event = AuditEvent.objects.filter(target=f"orders.purchase:{template_purchase_id}").get()
        self.purchase = _Table(Purchase, template_purchase_id, returning=True)
        self.order = _Table(Order, order.pk, returning=True)
        self.line = _Table(OrderLine, line.pk, returning=False)
        self.signal = _Table(OrderCheck, OrderCheck.objects.get(order=order).pk, returning=False)
        self.event = _Table(AuditEvent, event.pk, returning=False)
        self.stock_id, self.quantity = line.stock_id, line.quantity
        self.stock_sql = (
            f"UPDATE {_quoted('catalog_stock')} SET quantity = quantity - %s WHERE id = %s AND quantity >= %s"
        )
        head = _quoted(AuditHead._meta.db_table)
        self.head_sql = f"UPDATE {head} SET seq = seq + 1 WHERE id = 1 RETURNING seq"
        self.prefix = f"R{secrets.randbelow(10**6):06d}"
        self.serial = itertools.count(1)

    def place(self) -> None:
        number = f"{self.prefix}{next(self.serial):013d}"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(self.purchase.sql, self.purchase.params(number=number, idempotency_key=number))
            purchase_id = cursor.fetchone()[0]
            cursor.execute(self.order.sql, self.order.params(number=f"{number}o", purchase_id=purchase_id))
            order_id = cursor.fetchone()[0]
            cursor.execute(self.stock_sql, [self.quantity, self.stock_id, self.quantity])
            if cursor.rowcount != 1:
                raise RuntimeError("the raw baseline ran out of stock")
            cursor.execute(self.line.sql, self.line.params(order_id=order_id))
            cursor.execute(self.signal.sql, self.signal.params(order_id=order_id))
            cursor.execute(self.head_sql)
            seq = cursor.fetchone()[0]
            cursor.execute(
                self.event.sql, self.event.params(seq=seq, target=f"orders.purchase:{purchase_id}")
            )
