"""Cancelling a paid order refunds it to the method it was paid with (the simulated institution
records the refund); an unpaid or cash-on-delivery order has nothing to refund; a refund the
institution refuses leaves the order as it was. And the one payment that is not a notification:
a business's bank remittance, paid only when finance accepts the slip (C002-05)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from candor.errors import CandorError
from candor.integrations.payment import simulator
from candor.integrations.payment.models import SimRefund, SimTrade
from candor.orders import services as orders
from candor.orders.errors import OrderNotFound, OrderStateInvalid
from candor.orders.models import Order, Purchase
from candor.orders.tests import factories as f
from candor.payments import services
from candor.payments.models import Refund
from candor.privacy import taxonomy
from candor.privacy.models import DisclosureRecord

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_keys")]
METHODS = ["alipay", "wechatpay", "unionpay"]


def two_merchant_purchase(**form):
    buyer = f.make_member()
    a = f.make_sku(price_fen=12000, stock=10)
    b = f.make_sku(price_fen=3000, stock=10)
    f.add_to_cart(buyer, a, 1)
    f.add_to_cart(buyer, b, 2)
    purchase = f.place(buyer, **form)
    first = purchase.orders.get(merchant=a.product.merchant)
    second = purchase.orders.get(merchant=b.product.merchant)
    return buyer, purchase, (first, a), (second, b)


def fresh(order: Order) -> Order:
    return Order.objects.get(pk=order.pk)


@pytest.mark.parametrize("method", METHODS)
def test_cancelling_a_paid_order_refunds_it_to_the_original_method(method):
    buyer, purchase, (first, a), (second, b) = two_merchant_purchase()
    trade = f.pay_online(buyer, purchase, method)
    assert Purchase.objects.get(pk=purchase.pk).status == Purchase.Status.PAID
    assert (f.stock_of(a), f.stock_of(b)) == (9, 8)
    assert (first.total_fen, second.total_fen) == (12000, 6800)

    services.buyer_cancel(user=buyer, order_number=first.number)
    assert fresh(first).status == Order.Status.CANCELLED and fresh(second).status == Order.Status.TO_SHIP
    assert (f.stock_of(a), f.stock_of(b)) == (10, 8)
    refund = Refund.objects.get()
    assert (refund.status, refund.amount_fen, refund.order_id, refund.buyer_id) == (
        Refund.Status.SUCCEEDED, 12000, first.pk, buyer.pk,
    )  # fmt: skip
    assert refund.payment.method == method and refund.provider_refund_no
    (at_institution,) = SimRefund.objects.all()
    assert at_institution.trade_id == trade.pk and at_institution.trade.provider == method
    assert (at_institution.amount_fen, at_institution.refund_no) == (12000, refund.refund_no)

    services.buyer_cancel(user=buyer, order_number=second.number)
    trade = SimTrade.objects.get(pk=trade.pk)
    assert trade.refunded_fen == purchase.total_fen == 12000 + 6800
    assert sorted(Refund.objects.values_list("amount_fen", flat=True)) == [6800, 12000]


def test_the_refund_tells_the_institution_only_the_number_and_amount():
    buyer, purchase, (first, _a), _ = two_merchant_purchase()
    f.pay_online(buyer, purchase, "alipay")
    services.buyer_cancel(user=buyer, order_number=first.number)
    records = list(DisclosureRecord.objects.order_by("id"))
    assert [r.recipient for r in records] == [taxonomy.PAYMENT_INSTITUTION.code] * 2  # start, refund
    assert all(r.fields == ["number", "total_fen", "payment_subject"] for r in records)


def test_an_unpaid_order_is_cancelled_without_a_refund():
    buyer, purchase, (first, a), _ = two_merchant_purchase()
    f.open_pay_page(f.pay_start(buyer, purchase, "alipay"))  # started, never paid
    services.buyer_cancel(user=buyer, order_number=first.number)
    assert fresh(first).status == Order.Status.CANCELLED and f.stock_of(a) == 10
    assert not Refund.objects.exists() and not SimRefund.objects.exists()


def test_a_cash_on_delivery_order_is_cancelled_without_a_refund():
    buyer, _purchase, (first, a), _ = two_merchant_purchase(payment_method="cod")
    services.buyer_cancel(user=buyer, order_number=first.number)
    assert fresh(first).status == Order.Status.CANCELLED and f.stock_of(a) == 10
    assert not Refund.objects.exists()


def test_a_shipped_order_is_neither_cancelled_nor_refunded():
    buyer, purchase, (first, a), _ = two_merchant_purchase()
    f.pay_online(buyer, purchase, "unionpay")
    orders.order_mark_shipped(order_id=first.pk, actor_id=None)
    with pytest.raises(OrderStateInvalid):
        services.buyer_cancel(user=buyer, order_number=first.number)
    assert fresh(first).status == Order.Status.SHIPPED and f.stock_of(a) == 9
    assert not Refund.objects.exists() and not SimRefund.objects.exists()


def test_someone_else_cannot_cancel_my_order():
    buyer, purchase, (first, a), _ = two_merchant_purchase()
    f.pay_online(buyer, purchase, "alipay")
    with pytest.raises(OrderNotFound):
        services.buyer_cancel(user=f.make_member(), order_number=first.number)
    assert fresh(first).status == Order.Status.TO_SHIP and f.stock_of(a) == 9
    assert not Refund.objects.exists()


@pytest.mark.parametrize("method", METHODS)
def test_a_refund_the_institution_refuses_leaves_the_order_as_it_was(method):
    buyer, purchase, (first, a), _ = two_merchant_purchase()
    trade = f.pay_online(buyer, purchase, method)
    # The money is gone already (refunded at the institution by other means): nothing is left.
    simulator.refund(trade, refund_no="OUTSIDE-1", amount_fen=purchase.total_fen)
    with pytest.raises(CandorError) as caught:
        services.buyer_cancel(user=buyer, order_number=first.number)
    assert caught.value.code in ("refund_failed", "payment_unavailable")
    assert fresh(first).status == Order.Status.TO_SHIP and f.stock_of(a) == 9
    assert Purchase.objects.get(pk=purchase.pk).status == Purchase.Status.PAID
    assert (
        SimRefund.objects.count() == 1 and not Refund.objects.filter(status=Refund.Status.SUCCEEDED).exists()
    )


def nothing_changed(purchase: Purchase) -> None:
    purchase = Purchase.objects.get(pk=purchase.pk)
    assert purchase.status == Purchase.Status.PENDING and purchase.paid_at is None
    assert set(purchase.orders.values_list("status", flat=True)) == {Order.Status.PENDING_PAYMENT}


def remittance_purchase():
    buyer, purchase, _first, _second = two_merchant_purchase(
        payment_method="remittance", invoice_title="杭州某某科技有限公司"
    )
    return buyer, purchase


def fresh_purchase(purchase: Purchase) -> Purchase:
    return Purchase.objects.get(pk=purchase.pk)


# --- Bank remittance: finance confirms (C002-05) ------------------------------------------------------


def test_a_remittance_is_paid_only_when_finance_accepts_the_slip():
    buyer, purchase = remittance_purchase()
    finance = f.make_member(address=False)
    slip = services.remittance_upload(
        user=buyer, purchase_number=purchase.number, payer_name="杭州某某科技有限公司",
        content=b"%PDF-1.4 slip", content_type="application/pdf",
    )  # fmt: skip
    nothing_changed(purchase)
    with pytest.raises(CandorError) as caught:  # a rejection needs a reason
        services.remittance_review(slip_id=slip.pk, actor_id=finance.pk, accept=False)
    assert getattr(caught.value, "code", "") == "reason_required"
    nothing_changed(purchase)

    services.remittance_review(slip_id=slip.pk, actor_id=finance.pk, accept=True)
    purchase = fresh_purchase(purchase)
    assert purchase.status == Purchase.Status.PAID
    assert set(purchase.orders.values_list("status", flat=True)) == {Order.Status.TO_SHIP}
    with pytest.raises(CandorError):  # reviewed once
        services.remittance_review(slip_id=slip.pk, actor_id=finance.pk, accept=True)


def test_an_online_purchase_takes_no_remittance():
    buyer, purchase, _first, _second = two_merchant_purchase()
    with pytest.raises(CandorError) as caught:
        services.remittance_upload(
            user=buyer,
            purchase_number=purchase.number,
            payer_name="某人",
            content=b"x",
            content_type="image/png",
        )
    assert getattr(caught.value, "code", "") == "order_state"
    with pytest.raises(CandorError):
        orders.purchase_confirm_remittance(purchase_id=purchase.pk, actor_id=buyer.pk, paid_at=timezone.now())
    nothing_changed(purchase)
