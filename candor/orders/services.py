"""The order lifecycle after checkout (checkout itself is ``checkout.purchase_place``).

pending payment → awaiting shipment → shipped → delivered → completed, or cancelled. Each step
is one service that locks the rows it changes and checks the state it starts from, so a step
taken twice (a retried request, a replayed notification, a buyer and a timeout at once) changes
nothing the second time. Payment is marked only by ``purchase_mark_paid``, which only the
payments app calls after verifying a payment institution's notification; there is no other way
to make an order paid.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candor.catalog.services import product_sales_add
from candor.orders import stock
from candor.orders.errors import OrderNotFound, OrderStateInvalid
from candor.orders.models import Order, OrderLine, Purchase
from candor.privacy import audit, taxonomy


def _audit(order: Order, *, actor_id: int | None, operation: str, **detail: Any) -> None:
    """A person's action on an order (a cancellation, staff releasing a hold, finance
    confirming money, the buyer removing it from their list). Steps that change no personal data
    and have their own record are not repeated here: paid (the notification log), shipped (the
    carrier's disclosure, with its actor), delivered (the carrier's scans), completed (the
    order's own time)."""
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=actor_id,
        subject_id=order.buyer_id,
        target=f"orders.order:{order.pk}",
        purpose=taxonomy.ORDERING.code,
        detail={"operation": operation, **detail},
    )


def _locked(order_id: int) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def not_cancellable(order: Order) -> Any:
    """Why ``order`` cannot be cancelled, in the user's language."""
    if order.status == Order.Status.CANCELLED:
        return _("This order is already cancelled.")
    if order.status == Order.Status.COMPLETED:
        return _("This order is completed; for a return or refund, contact customer service.")
    return _("This order has shipped and can no longer be cancelled.")


def _close_lines(orders: list[Order]) -> None:
    stock.release(list(OrderLine.objects.filter(order__in=orders, released_at__isnull=True)))


@transaction.atomic
def purchase_mark_paid(*, purchase_id: int, paid_at: datetime) -> bool:
    """Mark a purchase and its orders paid. Returns False (and changes nothing) when it was
    already paid or is closed: the caller refunds money that arrives for a closed purchase."""
    purchase = Purchase.objects.select_for_update().get(pk=purchase_id)
    if purchase.status != Purchase.Status.PENDING:
        return False
    purchase.status = Purchase.Status.PAID
    purchase.paid_at = paid_at
    purchase.save(update_fields=["status", "paid_at"])
    orders = list(purchase.orders.select_for_update())
    Order.objects.filter(purchase=purchase, status=Order.Status.PENDING_PAYMENT).update(
        status=Order.Status.TO_SHIP, paid_at=paid_at
    )
    _count_sales(orders)
    return True


def _count_sales(orders: list[Order]) -> None:
    for line in OrderLine.objects.filter(order__in=orders).values("product_id", "quantity"):
        product_sales_add(product_id=line["product_id"], quantity=line["quantity"])


@transaction.atomic
def purchase_confirm_remittance(*, purchase_id: int, actor_id: int, paid_at: datetime) -> bool:
    """Finance saw the business's remittance arrive (C002-05): the same as a verified payment."""
    purchase = Purchase.objects.select_for_update().get(pk=purchase_id)
    if purchase.payment_method != "remittance":
        raise OrderStateInvalid(_("Only a purchase paid by bank remittance is confirmed by finance."))
    done = purchase_mark_paid(purchase_id=purchase_id, paid_at=paid_at)
    if done:
        for order in purchase.orders.all():
            _audit(order, actor_id=actor_id, operation="remittance_confirmed")
    return done


@transaction.atomic
def order_cancel(*, order_id: int, actor_id: int | None, reason: str) -> Order:
    """Cancel an order that has not shipped and give its stock back. A paid order's refund is
    the caller's (``payments.services.order_cancel_and_refund``); this only changes the order.

    While its purchase is unpaid, cancelling one order cancels the whole purchase — every order
    of it — and closes it: the purchase is paid in one go, for its total, under its number (the
    institution holds that amount for that number already), so no part of it can stay to be paid.
    Once paid (or cash on delivery), each order is cancelled on its own."""
    # Purchase first, then the order — the order every other step locks them in (payment,
    # timeout): a buyer's cancel racing the timeout would otherwise deadlock on PostgreSQL.
    purchase_id = Order.objects.filter(pk=order_id).values_list("purchase_id", flat=True).get()
    purchase = Purchase.objects.select_for_update().get(pk=purchase_id)
    order = _locked(order_id)
    if order.status not in (Order.Status.PENDING_PAYMENT, Order.Status.TO_SHIP):
        raise OrderStateInvalid(not_cancellable(order))
    together = [order]
    if purchase.status == Purchase.Status.PENDING:
        together += list(
            purchase.orders.select_for_update()
            .filter(status=Order.Status.PENDING_PAYMENT)
            .exclude(pk=order.pk)
            .order_by("id")
        )
        purchase.status = Purchase.Status.CLOSED
        purchase.save(update_fields=["status"])
    now = timezone.now()
    for each in together:
        each.status = Order.Status.CANCELLED
        each.cancelled_at = each.closed_at = now
        each.cancel_reason = reason
        each.save(update_fields=["status", "cancelled_at", "closed_at", "cancel_reason"])
        _audit(each, actor_id=actor_id, operation="cancel", reason=reason)
    _close_lines(together)
    return order


def cancelled_together(order: Order) -> list[str]:
    """The numbers of the other orders cancelled with ``order`` because their purchase was not
    paid yet (``order_cancel``), for the message that says so."""
    if order.status != Order.Status.CANCELLED or order.purchase.paid_at is not None:
        return []
    rows = Order.objects.filter(purchase_id=order.purchase_id, cancelled_at=order.cancelled_at)
    return list(rows.exclude(pk=order.pk).order_by("id").values_list("number", flat=True))


def purchases_expire(*, now: datetime | None = None) -> int:
    """Close every purchase still unpaid after its time (Huey, every minute): its orders are
    cancelled and their stock returned. Each purchase in its own transaction."""
    now = now or timezone.now()
    due = Purchase.objects.filter(status=Purchase.Status.PENDING, pay_by__lt=now).values_list("pk", flat=True)
    closed = 0
    for purchase_id in list(due[:1000]):
        with transaction.atomic():
            purchase = Purchase.objects.select_for_update().get(pk=purchase_id)
            if purchase.status != Purchase.Status.PENDING:
                continue  # paid a moment ago
            first = purchase.orders.filter(status=Order.Status.PENDING_PAYMENT).order_by("id").first()
            if first is not None:  # cancels every order of the purchase, and closes it
                order_cancel(order_id=first.pk, actor_id=None, reason="timeout")
            Purchase.objects.filter(pk=purchase_id).update(status=Purchase.Status.CLOSED)
            closed += 1
    return closed


@transaction.atomic
def order_mark_shipped(*, order_id: int, actor_id: int | None) -> Order:
    """The merchant handed the parcel to the carrier (``fulfillment`` calls this)."""
    order = _locked(order_id)
    if order.status != Order.Status.TO_SHIP:
        raise OrderStateInvalid(_("Only an order awaiting shipment can be shipped."))
    if order.held_reason:
        raise OrderStateInvalid(_("This order is held for review and cannot be shipped yet."))
    order.status = Order.Status.SHIPPED
    order.shipped_at = timezone.now()
    order.save(update_fields=["status", "shipped_at"])
    return order


@transaction.atomic
def order_mark_delivered(*, order_id: int, at: datetime) -> bool:
    """The carrier reported delivery. Cash on delivery is paid at the door, so it is paid now."""
    order = _locked(order_id)
    if order.status != Order.Status.SHIPPED:
        return False
    order.status = Order.Status.DELIVERED
    order.delivered_at = at
    fields = ["status", "delivered_at"]
    if order.payment_method == "cod" and order.paid_at is None:
        order.paid_at = at
        fields.append("paid_at")
        _count_sales([order])
    order.save(update_fields=fields)
    return True


@transaction.atomic
def order_confirm_received(*, user: Any, order_number: str) -> Order:
    """The buyer confirms receipt: the order completes (and its legal term starts)."""
    order = _buyer_order(user, order_number, lock=True)
    if order.status not in (Order.Status.SHIPPED, Order.Status.DELIVERED):
        raise OrderStateInvalid(_("Only a shipped order can be confirmed as received."))
    _complete(order, actor_id=user.pk)
    return order


def _complete(order: Order, *, actor_id: int | None) -> None:
    now = timezone.now()
    order.status = Order.Status.COMPLETED
    order.completed_at = order.closed_at = now
    fields = ["status", "completed_at", "closed_at"]
    if order.delivered_at is None:
        order.delivered_at = now
        fields.append("delivered_at")
    if order.payment_method == "cod" and order.paid_at is None:
        order.paid_at = now
        fields.append("paid_at")
        _count_sales([order])
    order.save(update_fields=fields)


def orders_auto_complete(*, now: datetime | None = None) -> int:
    """Complete orders delivered long enough ago that the buyer did not confirm (Huey, hourly)."""
    now = now or timezone.now()
    due = Order.objects.filter(
        status=Order.Status.DELIVERED,
        delivered_at__lt=now - timedelta(days=settings.CANDOR_ORDER_AUTO_COMPLETE_DAYS),
    ).values_list("pk", flat=True)
    done = 0
    for order_id in list(due[:1000]):
        with transaction.atomic():
            order = _locked(order_id)
            if order.status == Order.Status.DELIVERED:
                _complete(order, actor_id=None)
                done += 1
    return done


@transaction.atomic
def order_delete_for_buyer(*, user: Any, order_number: str) -> Order:
    """Remove a finished order from the buyer's list (C004-21). The record itself stays for its
    legal term, restricted; an open order must be finished or cancelled first."""
    order = _buyer_order(user, order_number, lock=True)
    if order.status not in (Order.Status.COMPLETED, Order.Status.CANCELLED):
        raise OrderStateInvalid(_("Only a completed or cancelled order can be deleted from your list."))
    order.buyer_deleted_at = timezone.now()
    order.save(update_fields=["buyer_deleted_at"])
    _audit(order, actor_id=user.pk, operation="buyer_delete")
    return order


@transaction.atomic
def order_release_hold(*, order_id: int, actor_id: int) -> Order:
    """Staff reviewed a held order and found it genuine: the merchant may ship it."""
    order = _locked(order_id)
    if not order.held_reason:
        raise OrderStateInvalid(_("This order is not held."))
    released = order.held_reason
    order.held_reason = ""
    order.save(update_fields=["held_reason"])
    _audit(order, actor_id=actor_id, operation="hold_released", rule=released)
    return order


def _buyer_order(user: Any, order_number: str, *, lock: bool = False) -> Order:
    """The buyer's own order by number; anyone else's, or one they deleted, is "not found"."""
    rows = Order.objects.filter(
        buyer_id=user.pk, number=str(order_number)[:32], buyer_deleted_at__isnull=True
    )
    order = (rows.select_for_update() if lock else rows).first()
    if order is None:
        raise OrderNotFound()
    return order
