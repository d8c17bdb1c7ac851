"""Reads of orders: the buyer's own ("我的订单", C003-06), a merchant's own, and the blockers an
open order puts on cancelling the account. Every read of someone's order is scoped by owner in
the query itself, so another person's order is "not found", never "forbidden"."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from candor.orders.errors import OrderNotFound
from candor.orders.models import Order, OrderLine

STATUS_FILTERS = {
    "pending_payment": [Order.Status.PENDING_PAYMENT],
    "to_ship": [Order.Status.TO_SHIP],
    "to_receive": [Order.Status.SHIPPED, Order.Status.DELIVERED],
    "completed": [Order.Status.COMPLETED],
    "cancelled": [Order.Status.CANCELLED],
}
PAGE_SIZE = 10


def _with_lines(rows: QuerySet[Order]) -> QuerySet[Order]:
    return rows.select_related("merchant", "purchase").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.order_by("id"))
    )


def orders_of_buyer(*, user: Any, status: str = "") -> QuerySet[Order]:
    """The buyer's orders, newest first, without the ones they deleted from their list.
    An unknown ``status`` filter is refused by the caller (``STATUS_FILTERS``)."""
    rows = Order.objects.filter(buyer_id=user.pk, buyer_deleted_at__isnull=True)
    if status:
        rows = rows.filter(status__in=STATUS_FILTERS[status])
    return _with_lines(rows).order_by("-created_at", "-id")


def order_of_buyer(*, user: Any, number: str) -> Order:
    order = _with_lines(
        Order.objects.filter(buyer_id=user.pk, number=str(number)[:32], buyer_deleted_at__isnull=True)
    ).first()
    if order is None:
        raise OrderNotFound()
    return order


def merchant_ids_of(user: Any) -> list[int]:
    return list(user.merchants.values_list("pk", flat=True)) if user.is_authenticated else []


def orders_of_merchant_staff(*, user: Any) -> QuerySet[Order]:
    """The orders of the merchants ``user`` works for, and no one else's."""
    return _with_lines(Order.objects.filter(merchant_id__in=merchant_ids_of(user)))


def order_of_merchant_staff(*, user: Any, number: str) -> Order:
    order = orders_of_merchant_staff(user=user).filter(number=str(number)[:32]).first()
    if order is None:
        raise OrderNotFound()
    return order


def cancellation_blockers(user: Any) -> list[Any]:
    """Unpaid or undelivered orders keep the account open (C002-20): the goods or money are
    still on their way, and the person must be reachable until they arrive."""
    open_orders = Order.objects.filter(buyer_id=user.pk, status__in=Order.OPEN).count()
    if not open_orders:
        return []
    return [
        _("You have %(n)s unfinished orders: wait until they are delivered, or cancel them.")
        % {"n": open_orders}
    ]
