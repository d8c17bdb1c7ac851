"""Refunds owed and asked for again (issue #6 review): a refund has one number for good (``R`` and
the order's number, ``L``… for money that came late), is committed before the institution is
asked and asked outside any transaction, so a timeout or a refusal is retried as the same refund
— never a second payment out — by the buyer, by ``refunds_retry`` or by UnionPay's own refund
notice. A second payment of the same purchase is refunded as late and marked so; refunds of its
orders go back through the payment that paid."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from candor.errors import CandorError
from candor.fulfillment import services as shipping
from candor.fulfillment.models import Shipment
from candor.integrations.payment import simulator
from candor.integrations.payment.alipay import Alipay
from candor.integrations.payment.base import PaymentUnavailable
from candor.integrations.payment.models import SimRefund, SimTrade
from candor.integrations.payment.unionpay import UnionPay
from candor.integrations.payment.wechatpay import WechatPay
from candor.integrations.payment.wire import form_body
from candor.orders import services as orders
from candor.orders.errors import OrderStateInvalid
from candor.orders.models import Order, Purchase
from candor.orders.tests import factories as f
from candor.payments import selectors, services, tasks
from candor.payments.models import Payment, PaymentNotice, Refund

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_keys")]
GATEWAYS = {"alipay": Alipay, "wechatpay": WechatPay, "unionpay": UnionPay}
LATER = timedelta(minutes=11)


def outside_any_transaction() -> bool:
    """No atomic block is open but the test's own: no row lock is held during the call."""
    return all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


@pytest.fixture
def institution(monkeypatch):
    """Control the institutions' refund call: ``mode`` "lost" makes the refund at the
    institution and then loses the answer (a timeout), "down" fails before reaching it."""
    state = {"mode": "", "calls": 0, "outside": []}

    for cls in GATEWAYS.values():
        original = cls.refund

        def refund(self, *args, _original=original, **kwargs):
            state["calls"] += 1
            state["outside"].append(outside_any_transaction())
            if state["mode"] == "down":
                raise PaymentUnavailable("timeout")
            result = _original(self, *args, **kwargs)
            if state["mode"] == "lost":
                raise PaymentUnavailable("timeout")
            return result

        monkeypatch.setattr(cls, "refund", refund)
    return state


def two_merchant_purchase(**form):
    buyer = f.make_member()
    a, b = f.make_sku(price_fen=12000, stock=10), f.make_sku(price_fen=3000, stock=10)
    f.add_to_cart(buyer, a, 1)
    f.add_to_cart(buyer, b, 2)
    purchase = f.place(buyer, **form)
    return buyer, purchase, purchase.orders.get(merchant=a.product.merchant), a


def fresh(row):
    return type(row).objects.get(pk=row.pk)


# --- 1. A refund retried after a timeout is paid out once ---------------------------------------


@pytest.mark.parametrize("method", ["alipay", "wechatpay", "unionpay"])
def test_a_refund_whose_answer_was_lost_is_retried_as_the_same_refund(method, institution):
    buyer, purchase, first, sku = two_merchant_purchase()
    trade = f.pay_online(buyer, purchase, method)
    institution["mode"] = "lost"
    with pytest.raises(CandorError) as caught:
        services.buyer_cancel(user=buyer, order_number=first.number)
    assert (caught.value.code, caught.value.status) == ("refund_pending", 503)
    # The refund is owed and stays so; the order waits for the money and cannot ship meanwhile.
    refund = Refund.objects.get()
    assert (refund.refund_no, refund.status, refund.amount_fen) == (
        f"R{first.number}", Refund.Status.PENDING, first.total_fen,
    )  # fmt: skip
    assert fresh(first).status == Order.Status.TO_SHIP and f.stock_of(sku) == 9
    with pytest.raises(OrderStateInvalid):
        shipping.shipment_create(order=first, actor_id=None)
    assert not Shipment.objects.exists()
    assert selectors.cancellation_blockers(buyer)

    institution["mode"] = ""
    services.buyer_cancel(user=buyer, order_number=first.number)  # the buyer tries again
    refund = fresh(refund)
    assert refund.status == Refund.Status.SUCCEEDED and refund.attempts == 2
    assert fresh(first).status == Order.Status.CANCELLED and f.stock_of(sku) == 10
    (at_institution,) = SimRefund.objects.all()  # once, under the one number
    assert at_institution.refund_no == refund.refund_no
    assert fresh(trade).refunded_fen == first.total_fen
    assert institution["outside"] == [True, True]


def test_the_retry_job_finishes_a_refund_the_institution_did_not_answer(institution):
    buyer, purchase, first, sku = two_merchant_purchase()
    trade = f.pay_online(buyer, purchase, "alipay")
    institution["mode"] = "down"
    with pytest.raises(CandorError):
        services.buyer_cancel(user=buyer, order_number=first.number)
    assert not SimRefund.objects.exists() and Refund.objects.get().status == Refund.Status.PENDING
    assert services.refunds_retry() == 0  # asked a moment ago: not yet
    assert services.refunds_retry(now=timezone.now() + LATER) == 0  # still down: still owed
    assert Refund.objects.get().status == Refund.Status.PENDING

    institution["mode"] = ""
    assert services.refunds_retry(now=timezone.now() + 2 * LATER) == 1
    assert Refund.objects.get().status == Refund.Status.SUCCEEDED
    assert fresh(first).status == Order.Status.CANCELLED and f.stock_of(sku) == 10
    assert fresh(first).cancel_reason == "buyer"  # as the buyer asked, though the job finished it
    assert fresh(trade).refunded_fen == first.total_fen and SimRefund.objects.count() == 1
    assert services.refunds_retry(now=timezone.now() + 3 * LATER) == 0  # nothing owed any more
    assert institution["calls"] == 3


def test_the_periodic_task_runs_the_retry(institution):
    buyer, purchase, first, _sku = two_merchant_purchase()
    f.pay_online(buyer, purchase, "wechatpay")
    institution["mode"] = "down"
    with pytest.raises(CandorError):
        services.buyer_cancel(user=buyer, order_number=first.number)
    institution["mode"] = ""
    Refund.objects.update(attempted_at=timezone.now() - LATER)
    assert tasks.refunds_retry.call_local() == 1
    assert Refund.objects.get().status == Refund.Status.SUCCEEDED


# --- 2. Money for a closed purchase is refunded even if the first call fails ----------------------


def test_a_late_payment_whose_refund_fails_is_refunded_by_the_retry(institution):
    buyer, purchase, _first, _sku = two_merchant_purchase()
    trade = f.open_pay_page(f.pay_start(buyer, purchase, "unionpay"))
    Purchase.objects.filter(pk=purchase.pk).update(pay_by=timezone.now() - timedelta(seconds=1))
    assert orders.purchases_expire() == 1

    institution["mode"] = "down"
    trade = simulator.pay("unionpay", trade.out_trade_no)
    assert trade.last_answer_status == 200  # acknowledged: Candor owes the refund now
    refund = Refund.objects.get()
    assert (refund.status, refund.reason, refund.amount_fen) == (
        Refund.Status.PENDING,
        "late",
        purchase.total_fen,
    )
    assert refund.refund_no == f"LU{purchase.number}"
    payment = Payment.objects.get()
    assert (payment.status, payment.applied) == (Payment.Status.REFUNDED, False)

    simulator.send_notice(trade)  # the institution's own retry changes nothing
    assert list(PaymentNotice.objects.order_by("id").values_list("outcome", flat=True)) == [
        "late",
        "duplicate",
    ]
    assert Refund.objects.count() == 1

    institution["mode"] = ""
    assert services.refunds_retry(now=timezone.now() + LATER) == 1
    assert Refund.objects.get().status == Refund.Status.SUCCEEDED
    (sim_refund,) = SimRefund.objects.all()
    assert (sim_refund.refund_no, sim_refund.amount_fen) == (refund.refund_no, purchase.total_fen)
    assert set(fresh(purchase).orders.values_list("status", flat=True)) == {Order.Status.CANCELLED}


# --- 4. Paid twice: the second payment goes back, refunds use the first --------------------------


def test_a_purchase_paid_by_two_methods_refunds_the_second_and_cancels_through_the_first():
    buyer, purchase, first, _sku = two_merchant_purchase()
    # WeChat Pay started first (its payment row comes first), then Alipay; both are paid.
    wechat_trade = f.open_pay_page(f.pay_start(buyer, purchase, "wechatpay"))
    alipay_trade = f.open_pay_page(f.pay_start(buyer, purchase, "alipay"))
    simulator.pay("alipay", alipay_trade.out_trade_no)
    simulator.pay("wechatpay", wechat_trade.out_trade_no)

    alipay, wechat = Payment.objects.get(method="alipay"), Payment.objects.get(method="wechatpay")
    assert (alipay.status, alipay.applied) == (Payment.Status.PAID, True)
    assert (wechat.status, wechat.applied) == (Payment.Status.REFUNDED, False)
    late = Refund.objects.get()
    assert (late.payment_id, late.status, late.amount_fen) == (
        wechat.pk,
        Refund.Status.SUCCEEDED,
        purchase.total_fen,
    )

    services.buyer_cancel(user=buyer, order_number=first.number)
    refund = Refund.objects.get(order=first, reason="buyer")
    assert (refund.payment_id, refund.status) == (alipay.pk, Refund.Status.SUCCEEDED)
    assert fresh(first).status == Order.Status.CANCELLED
    assert fresh(alipay_trade).refunded_fen == first.total_fen
    assert fresh(wechat_trade).refunded_fen == purchase.total_fen


# --- 7. UnionPay's refund notice ------------------------------------------------------------------


def unionpay_refund_notice(refund: Refund, trade: SimTrade, *, amount_fen: int) -> tuple[dict, bytes]:
    params = simulator.unionpay_signed({
        "version": "5.1.0", "encoding": "UTF-8", "signMethod": "01", "txnType": "04", "txnSubType": "00",
        "bizType": "000201", "accessType": "0", "merId": trade.details["merId"], "orderId": refund.refund_no,
        "txnTime": "20261206120000", "txnAmt": str(amount_fen), "currencyCode": "156",
        "origQryId": trade.provider_trade_no, "queryId": "261206120000123456789", "respCode": "00",
        "respMsg": "成功[0000000]",
    })  # fmt: skip
    return {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}, form_body(params)


def test_a_unionpay_refund_notice_is_accepted_logged_and_settles_the_refund(institution):
    buyer, purchase, first, sku = two_merchant_purchase()
    trade = f.pay_online(buyer, purchase, "unionpay")
    institution["mode"] = "lost"
    with pytest.raises(CandorError):
        services.buyer_cancel(user=buyer, order_number=first.number)
    refund = Refund.objects.get()
    assert refund.status == Refund.Status.PENDING

    headers, wrong = unionpay_refund_notice(refund, trade, amount_fen=1)
    client = Client()
    answer = client.post("/payments/notify/unionpay/", wrong, content_type=headers["Content-Type"])
    assert answer.status_code == 400 and fresh(refund).status == Refund.Status.PENDING

    headers, body = unionpay_refund_notice(refund, trade, amount_fen=first.total_fen)
    answer = client.post("/payments/notify/unionpay/", body, content_type=headers["Content-Type"])
    assert answer.status_code == 200
    notice = PaymentNotice.objects.order_by("-id").first()
    assert (notice.outcome, notice.out_trade_no, notice.amount_fen) == (
        "refund",
        refund.refund_no,
        first.total_fen,
    )
    assert fresh(refund).status == Refund.Status.SUCCEEDED
    assert fresh(first).status == Order.Status.CANCELLED and f.stock_of(sku) == 10
    assert not PaymentNotice.objects.filter(outcome="rejected").exists()
    # UnionPay sends it again: still accepted, nothing more happens.
    assert (
        client.post("/payments/notify/unionpay/", body, content_type=headers["Content-Type"]).status_code
        == 200
    )
    assert SimRefund.objects.count() == 1 and fresh(refund).status == Refund.Status.SUCCEEDED
