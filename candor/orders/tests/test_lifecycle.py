"""The order lifecycle after checkout (``orders.services``): stock given back exactly once however
an order ends, unpaid purchases closing on time, receipt and auto-completion, the buyer's
"delete from my list", and open orders keeping the account from being cancelled."""

from __future__ import annotations

import contextlib
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from candor.accounts.cancellation import blockers
from candor.catalog.models import Product
from candor.orders import services, stock
from candor.orders.errors import OrderNotFound, OrderStateInvalid
from candor.orders.models import Order, OrderLine, Purchase
from candor.orders.selectors import order_of_buyer, orders_of_buyer
from candor.orders.tests import factories as f

pytestmark = pytest.mark.usefixtures("fresh_keys")
db = pytest.mark.django_db


def overdue(purchase: Purchase) -> None:
    Purchase.objects.filter(pk=purchase.pk).update(pay_by=timezone.now() - timedelta(minutes=1))


def paid(purchase: Purchase) -> Purchase:
    assert services.purchase_mark_paid(purchase_id=purchase.pk, paid_at=timezone.now())
    return Purchase.objects.get(pk=purchase.pk)


def fresh(order: Order) -> Order:
    return Order.objects.get(pk=order.pk)


# --- Stock comes back once -----------------------------------------------------------------


@db
def test_cancel_returns_the_stock_once():
    buyer, sku = f.make_member(), f.make_sku(stock=10)
    order = f.only_order(f.buy(buyer, sku, 3))
    assert f.stock_of(sku) == 7
    services.order_cancel(order_id=order.pk, actor_id=buyer.pk, reason="buyer")
    assert f.stock_of(sku) == 10
    with pytest.raises(OrderStateInvalid):
        services.order_cancel(order_id=order.pk, actor_id=buyer.pk, reason="buyer")
    assert f.stock_of(sku) == 10
    order = fresh(order)
    assert order.status == Order.Status.CANCELLED and order.cancel_reason == "buyer"
    assert order.closed_at is not None and order.cancelled_at == order.closed_at
    assert OrderLine.objects.get(order=order).released_at is not None
    assert Purchase.objects.get(pk=order.purchase_id).status == Purchase.Status.CLOSED


@db
def test_releasing_the_same_lines_twice_gives_the_units_back_once():
    """What a cancellation racing a timeout comes down to: both read the line unreleased."""
    buyer, sku = f.make_member(), f.make_sku(stock=10)
    order = f.only_order(f.buy(buyer, sku, 4))
    stale = list(OrderLine.objects.filter(order=order))
    assert stock.release(stale) == 1
    assert stock.release(stale) == 0
    assert f.stock_of(sku) == 10


@db
def test_cancel_then_timeout_returns_the_stock_once():
    buyer, sku = f.make_member(), f.make_sku(stock=10)
    purchase = f.buy(buyer, sku, 2)
    services.order_cancel(order_id=f.only_order(purchase).pk, actor_id=buyer.pk, reason="buyer")
    overdue(purchase)
    services.purchases_expire()
    assert f.stock_of(sku) == 10
    assert fresh(f.only_order(purchase)).cancel_reason == "buyer"


@db
def test_timeout_then_cancel_returns_the_stock_once():
    buyer, sku = f.make_member(), f.make_sku(stock=10)
    purchase = f.buy(buyer, sku, 2)
    overdue(purchase)
    assert services.purchases_expire() == 1
    with pytest.raises(OrderStateInvalid):
        services.order_cancel(order_id=f.only_order(purchase).pk, actor_id=buyer.pk, reason="buyer")
    assert f.stock_of(sku) == 10


def two_merchants(buyer):
    a, b = f.make_sku(stock=10), f.make_sku(stock=10)
    f.add_to_cart(buyer, a, 2)
    f.add_to_cart(buyer, b, 3)
    purchase = f.place(buyer)
    return purchase, (purchase.orders.get(merchant=a.product.merchant), a), (
        purchase.orders.get(merchant=b.product.merchant), b,
    )  # fmt: skip


@db
def test_cancelling_one_order_of_an_unpaid_purchase_cancels_the_whole_purchase():
    """Changed on purpose (issue #6 review): the purchase is paid in one go for its total, so
    no order of it may stay to be charged for the one cancelled."""
    buyer = f.make_member()
    purchase, (order_a, a), (order_b, b) = two_merchants(buyer)
    services.order_cancel(order_id=order_a.pk, actor_id=buyer.pk, reason="buyer")
    assert (f.stock_of(a), f.stock_of(b)) == (10, 10)
    assert Purchase.objects.get(pk=purchase.pk).status == Purchase.Status.CLOSED
    assert {fresh(order_a).status, fresh(order_b).status} == {Order.Status.CANCELLED}
    assert services.cancelled_together(fresh(order_a)) == [order_b.number]
    assert services.purchases_expire(now=timezone.now() + timedelta(days=30)) == 0


@db
def test_cancelling_one_order_of_a_paid_purchase_keeps_the_other_and_its_reservation():
    buyer = f.make_member()
    purchase, (order_a, a), (order_b, b) = two_merchants(buyer)
    paid(purchase)
    services.order_cancel(order_id=order_a.pk, actor_id=buyer.pk, reason="buyer")
    assert (f.stock_of(a), f.stock_of(b)) == (10, 7)
    assert Purchase.objects.get(pk=purchase.pk).status == Purchase.Status.PAID
    assert fresh(order_b).status == Order.Status.TO_SHIP
    assert services.cancelled_together(fresh(order_a)) == []


@db
def test_a_shipped_order_cannot_be_cancelled_and_keeps_its_stock():
    buyer, sku = f.make_member(), f.make_sku(stock=10)
    purchase = paid(f.buy(buyer, sku, 2))
    order = f.only_order(purchase)
    services.order_mark_shipped(order_id=order.pk, actor_id=None)
    with pytest.raises(OrderStateInvalid):
        services.order_cancel(order_id=order.pk, actor_id=buyer.pk, reason="buyer")
    assert f.stock_of(sku) == 8 and fresh(order).status == Order.Status.SHIPPED


# --- Unpaid purchases close on time ----------------------------------------------------------


@db
def test_unpaid_purchases_close_after_pay_by_and_return_their_stock(settings):
    settings.CANDOR_ORDER_PAY_MINUTES = 30
    buyer, sku = f.make_member(), f.make_sku(stock=10)
    purchase = f.buy(buyer, sku, 4)
    assert abs((purchase.pay_by - purchase.created_at) - timedelta(minutes=30)) < timedelta(seconds=5)

    assert services.purchases_expire(now=purchase.pay_by - timedelta(seconds=1)) == 0
    assert f.stock_of(sku) == 6 and Purchase.objects.get(pk=purchase.pk).status == Purchase.Status.PENDING

    assert services.purchases_expire(now=purchase.pay_by + timedelta(seconds=1)) == 1
    order = fresh(f.only_order(purchase))
    assert Purchase.objects.get(pk=purchase.pk).status == Purchase.Status.CLOSED
    assert order.status == Order.Status.CANCELLED and order.cancel_reason == "timeout"
    assert f.stock_of(sku) == 10
    assert services.purchases_expire(now=purchase.pay_by + timedelta(minutes=5)) == 0  # once
    assert f.stock_of(sku) == 10


@db
def test_a_paid_purchase_is_not_expired():
    buyer, sku = f.make_member(), f.make_sku(stock=10)
    purchase = paid(f.buy(buyer, sku, 2))
    assert services.purchases_expire(now=purchase.pay_by + timedelta(hours=1)) == 0
    assert Purchase.objects.get(pk=purchase.pk).status == Purchase.Status.PAID
    assert fresh(f.only_order(purchase)).status == Order.Status.TO_SHIP
    assert f.stock_of(sku) == 8


@db
def test_cash_on_delivery_needs_no_payment_and_does_not_expire():
    buyer, sku = f.make_member(), f.make_sku(stock=10)
    purchase = f.buy(buyer, sku, 1, payment_method="cod")
    assert purchase.status == Purchase.Status.CONFIRMED
    assert f.only_order(purchase).status == Order.Status.TO_SHIP
    assert services.purchases_expire(now=purchase.pay_by + timedelta(hours=1)) == 0
    assert f.stock_of(sku) == 9


@db
def test_paying_marks_the_purchase_and_its_orders_paid_once_and_counts_sales():
    buyer = f.make_member()
    a, b = f.make_sku(), f.make_sku()
    f.add_to_cart(buyer, a, 2)
    f.add_to_cart(buyer, b, 1)
    purchase = f.place(buyer)
    at = timezone.now()
    assert services.purchase_mark_paid(purchase_id=purchase.pk, paid_at=at) is True
    assert services.purchase_mark_paid(purchase_id=purchase.pk, paid_at=at) is False
    purchase = Purchase.objects.get(pk=purchase.pk)
    assert purchase.status == Purchase.Status.PAID and purchase.paid_at == at
    assert set(purchase.orders.values_list("status", flat=True)) == {Order.Status.TO_SHIP}
    assert all(o.paid_at == at for o in purchase.orders.all())
    assert Product.objects.get(pk=a.product_id).sales_count == 2  # counted once, not twice
    assert Product.objects.get(pk=b.product_id).sales_count == 1


@db
def test_a_closed_purchase_cannot_be_marked_paid():
    buyer, sku = f.make_member(), f.make_sku(stock=10)
    purchase = f.buy(buyer, sku)
    overdue(purchase)
    services.purchases_expire()
    assert services.purchase_mark_paid(purchase_id=purchase.pk, paid_at=timezone.now()) is False
    assert fresh(f.only_order(purchase)).status == Order.Status.CANCELLED
    assert f.stock_of(sku) == 10


# --- Receipt and completion ---------------------------------------------------------------------


@db
def test_the_buyer_confirms_a_shipped_order_and_it_completes():
    buyer = f.make_member()
    order = f.only_order(paid(f.buy(buyer, f.make_sku())))
    with pytest.raises(OrderStateInvalid):
        services.order_confirm_received(user=buyer, order_number=order.number)  # not shipped yet
    services.order_mark_shipped(order_id=order.pk, actor_id=None)
    with pytest.raises(OrderNotFound):
        services.order_confirm_received(user=f.make_member(), order_number=order.number)
    assert fresh(order).status == Order.Status.SHIPPED
    services.order_confirm_received(user=buyer, order_number=order.number)
    order = fresh(order)
    assert order.status == Order.Status.COMPLETED
    assert order.completed_at is not None and order.closed_at == order.completed_at


@db
def test_delivered_orders_complete_by_themselves_after_the_configured_days(settings):
    settings.CANDOR_ORDER_AUTO_COMPLETE_DAYS = 10
    buyer = f.make_member()
    order = f.only_order(paid(f.buy(buyer, f.make_sku())))
    services.order_mark_shipped(order_id=order.pk, actor_id=None)
    delivered = timezone.now()
    assert services.order_mark_delivered(order_id=order.pk, at=delivered) is True
    assert services.order_mark_delivered(order_id=order.pk, at=delivered) is False

    assert services.orders_auto_complete(now=delivered + timedelta(days=9, hours=23)) == 0
    assert fresh(order).status == Order.Status.DELIVERED
    assert services.orders_auto_complete(now=delivered + timedelta(days=10, minutes=1)) == 1
    assert fresh(order).status == Order.Status.COMPLETED
    assert services.orders_auto_complete(now=delivered + timedelta(days=11)) == 0


@db
def test_cash_on_delivery_is_paid_at_the_door():
    buyer, sku = f.make_member(), f.make_sku()
    order = f.only_order(f.buy(buyer, sku, 2, payment_method="cod"))
    services.order_mark_shipped(order_id=order.pk, actor_id=None)
    at = timezone.now()
    services.order_mark_delivered(order_id=order.pk, at=at)
    assert fresh(order).paid_at == at
    assert Product.objects.get(pk=sku.product_id).sales_count == 2


# --- The buyer's list --------------------------------------------------------------------------


@db
def test_only_a_completed_or_cancelled_order_can_be_deleted_from_the_list():
    buyer = f.make_member()
    open_order = f.only_order(f.buy(buyer, f.make_sku()))
    with pytest.raises(OrderStateInvalid):
        services.order_delete_for_buyer(user=buyer, order_number=open_order.number)
    assert fresh(open_order).buyer_deleted_at is None

    cancelled = f.only_order(f.buy(buyer, f.make_sku()))
    services.order_cancel(order_id=cancelled.pk, actor_id=buyer.pk, reason="buyer")
    completed = f.only_order(paid(f.buy(buyer, f.make_sku())))
    services.order_mark_shipped(order_id=completed.pk, actor_id=None)
    services.order_confirm_received(user=buyer, order_number=completed.number)

    for order in (cancelled, completed):
        services.order_delete_for_buyer(user=buyer, order_number=order.number)
    listed = list(orders_of_buyer(user=buyer).values_list("number", flat=True))
    assert listed == [open_order.number]
    assert orders_of_buyer(user=buyer, status="completed").count() == 0
    with pytest.raises(OrderNotFound):
        order_of_buyer(user=buyer, number=completed.number)
    # The record stays for its legal term.
    kept = Order.objects.get(pk=completed.pk)
    assert kept.status == Order.Status.COMPLETED and kept.buyer_deleted_at is not None
    assert kept.recipient_name == f.RECIPIENT["recipient_name"]
    with pytest.raises(OrderNotFound):  # deleting again: it is no longer in their list
        services.order_delete_for_buyer(user=buyer, order_number=completed.number)


@db
def test_someone_else_cannot_delete_or_see_an_order():
    buyer, stranger = f.make_member(), f.make_member()
    order = f.only_order(f.buy(buyer, f.make_sku()))
    services.order_cancel(order_id=order.pk, actor_id=buyer.pk, reason="buyer")
    with pytest.raises(OrderNotFound):
        services.order_delete_for_buyer(user=stranger, order_number=order.number)
    with pytest.raises(OrderNotFound):
        order_of_buyer(user=stranger, number=order.number)
    assert fresh(order).buyer_deleted_at is None
    assert not orders_of_buyer(user=stranger).exists()


@db
def test_status_filters_of_my_orders():
    buyer = f.make_member()
    pending = f.only_order(f.buy(buyer, f.make_sku()))
    to_ship = f.only_order(paid(f.buy(buyer, f.make_sku())))
    shipped = f.only_order(paid(f.buy(buyer, f.make_sku())))
    services.order_mark_shipped(order_id=shipped.pk, actor_id=None)
    cancelled = f.only_order(f.buy(buyer, f.make_sku()))
    services.order_cancel(order_id=cancelled.pk, actor_id=buyer.pk, reason="buyer")

    def numbers(status: str) -> set[str]:
        return set(orders_of_buyer(user=buyer, status=status).values_list("number", flat=True))

    assert numbers("pending_payment") == {pending.number}
    assert numbers("to_ship") == {to_ship.number}
    assert numbers("to_receive") == {shipped.number}
    assert numbers("cancelled") == {cancelled.number}
    assert numbers("completed") == set()
    assert len(numbers("")) == 4


# --- Cancelling the account ----------------------------------------------------------------------


@db
def test_open_orders_block_cancelling_the_account_until_they_end():
    buyer = f.make_member()
    assert blockers(buyer) == []
    order = f.only_order(f.buy(buyer, f.make_sku()))
    assert len(blockers(buyer)) == 1 and "1" in blockers(buyer)[0]
    services.order_cancel(order_id=order.pk, actor_id=buyer.pk, reason="buyer")
    assert blockers(buyer) == []

    order = f.only_order(paid(f.buy(buyer, f.make_sku())))
    for step in (
        lambda: services.order_mark_shipped(order_id=order.pk, actor_id=None),
        lambda: services.order_mark_delivered(order_id=order.pk, at=timezone.now()),
    ):
        step()
        assert blockers(buyer), fresh(order).status  # shipped, delivered: still on its way
    services.order_confirm_received(user=buyer, order_number=order.number)
    assert blockers(buyer) == []


@db
def test_another_persons_open_order_does_not_block_me():
    buyer, other = f.make_member(), f.make_member()
    f.buy(other, f.make_sku())
    assert blockers(buyer) == [] and blockers(other)


# --- Races (PostgreSQL: real connections and row locks) --------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent connections; SQLite's in-memory test database is one shared cache "
    "whose table locks fail at once instead of waiting",
)


def in_threads(*work) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(work))

    def run(job) -> None:
        try:
            start.wait()
            job()
        except BaseException as exc:  # reported to the test, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_cancel_racing_the_timeout_returns_the_stock_once():
    buyer, sku = f.make_member(), f.make_sku(stock=100)
    purchases = [f.buy(buyer, sku, 1) for _ in range(12)]
    assert f.stock_of(sku) == 88
    for purchase in purchases:
        overdue(purchase)
        order = f.only_order(purchase)

        def cancel(order_id: int = order.pk) -> None:
            # When the timeout was first, the buyer is told the order is closed already.
            with contextlib.suppress(OrderStateInvalid):
                services.order_cancel(order_id=order_id, actor_id=buyer.pk, reason="buyer")

        errors = in_threads(cancel, services.purchases_expire)
        assert errors == [], errors
        assert fresh(order).status == Order.Status.CANCELLED
        assert Purchase.objects.get(pk=purchase.pk).status == Purchase.Status.CLOSED
    assert f.stock_of(sku) == 100
    assert not OrderLine.objects.filter(released_at__isnull=True).exists()


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_payment_racing_the_timeout_either_pays_or_closes():
    buyer, sku = f.make_member(), f.make_sku(stock=100)
    purchases = [f.buy(buyer, sku, 1) for _ in range(12)]
    for purchase in purchases:
        overdue(purchase)
        outcome: dict[str, bool] = {}

        def pay(purchase_id: int = purchase.pk, outcome: dict[str, bool] = outcome) -> None:
            outcome["paid"] = services.purchase_mark_paid(purchase_id=purchase_id, paid_at=timezone.now())

        assert in_threads(pay, services.purchases_expire) == []
        status = Purchase.objects.get(pk=purchase.pk).status
        order = fresh(f.only_order(purchase))
        if outcome["paid"]:
            assert (status, order.status) == (Purchase.Status.PAID, Order.Status.TO_SHIP)
        else:
            assert (status, order.status) == (Purchase.Status.CLOSED, Order.Status.CANCELLED)
    paid_count = Purchase.objects.filter(status=Purchase.Status.PAID).count()
    assert f.stock_of(sku) == 100 - paid_count
