"""A business's bank remittance (C002-05) after the issue #6 review: a paid remittance order that
is cancelled is owed back by finance (a refund finance marks paid back, in the back office); a
slip cannot confirm a purchase that closed; uploads extend the time to pay once and must be what
they claim to be; a remittance purchase cannot be switched to an online payment. And the
disclosure ledger keeps what left even when the institution then fails."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from candor.errors import CandorError
from candor.integrations.payment.base import PaymentUnavailable
from candor.integrations.payment.wechatpay import WechatPay
from candor.orders import services as orders
from candor.orders.errors import OrderStateInvalid
from candor.orders.models import Order, Purchase
from candor.orders.tests import factories as f
from candor.payments import selectors, services
from candor.payments.admin import PAY_BACK_PERMISSION
from candor.payments.models import Payment, Refund, RemittanceSlip
from candor.payments.tests.test_admin import logged_in, staff
from candor.privacy import taxonomy
from candor.privacy.models import DisclosureRecord
from candor.staff import roles

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_keys")]
PDF = b"%PDF-1.4\n% slip\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def remittance_purchase():
    buyer = f.make_member()
    a, b = f.make_sku(price_fen=12000, stock=10), f.make_sku(price_fen=3000, stock=10)
    f.add_to_cart(buyer, a, 1)
    f.add_to_cart(buyer, b, 2)
    purchase = f.place(buyer, payment_method="remittance", invoice_title="杭州某某科技有限公司")
    return buyer, purchase, purchase.orders.get(merchant=a.product.merchant), a


def upload(buyer, purchase, content=PDF, content_type="application/pdf"):
    return services.remittance_upload(
        user=buyer, purchase_number=purchase.number, payer_name="杭州某某科技有限公司", content=content,
        content_type=content_type,
    )  # fmt: skip


def fresh(row):
    return type(row).objects.get(pk=row.pk)


# --- 5a. A cancelled remittance order is owed back by finance -----------------------------------


def test_cancelling_a_paid_remittance_order_records_what_finance_pays_back():
    buyer, purchase, first, sku = remittance_purchase()
    finance = f.make_member(address=False)
    services.remittance_review(slip_id=upload(buyer, purchase).pk, actor_id=finance.pk, accept=True)
    payment = Payment.objects.get()
    assert (payment.method, payment.status, payment.applied, payment.amount_fen) == (
        "remittance", Payment.Status.PAID, True, purchase.total_fen,
    )  # fmt: skip

    services.buyer_cancel(user=buyer, order_number=first.number)
    assert fresh(first).status == Order.Status.CANCELLED and f.stock_of(sku) == 10
    refund = Refund.objects.get()
    assert (refund.status, refund.amount_fen, refund.payment_id, refund.refund_no) == (
        Refund.Status.MANUAL, first.total_fen, payment.pk, f"R{first.number}",
    )  # fmt: skip
    assert selectors.cancellation_blockers(buyer)  # money is still owed to the buyer
    assert services.refunds_retry(now=timezone.now() + timedelta(hours=1)) == 0  # no institution to ask

    services.refund_mark_paid_back(refund_id=refund.pk, actor_id=finance.pk)
    refund = fresh(refund)
    assert (refund.status, refund.paid_back_by_id) == (Refund.Status.SUCCEEDED, finance.pk)
    assert refund.refunded_at is not None and not selectors.cancellation_blockers(buyer)
    with pytest.raises(OrderStateInvalid):  # once
        services.refund_mark_paid_back(refund_id=refund.pk, actor_id=finance.pk)


def test_finance_marks_a_remittance_paid_back_in_the_back_office():
    buyer, purchase, first, _sku = remittance_purchase()
    accountant = staff("accountant", "finance")
    assert PAY_BACK_PERMISSION in roles.role("finance").permissions and accountant.has_perm(
        PAY_BACK_PERMISSION
    )
    services.remittance_review(slip_id=upload(buyer, purchase).pk, actor_id=accountant.pk, accept=True)
    services.buyer_cancel(user=buyer, order_number=first.number)
    refund = Refund.objects.get()

    clerk = logged_in(staff("clerk", "merchant_staff"))
    data = {"action": "mark_paid_back", "_selected_action": [refund.pk]}
    clerk.post("/admin/payments/refund/", data)
    assert fresh(refund).status == Refund.Status.MANUAL  # not theirs to say

    client = logged_in(accountant)
    page = client.get(f"/admin/payments/refund/{refund.pk}/change/")
    assert page.status_code == 200 and refund.refund_no in page.content.decode()
    assert "mark_paid_back" in client.get("/admin/payments/refund/").content.decode()
    assert client.post("/admin/payments/refund/", data).status_code == 302
    assert fresh(refund).status == Refund.Status.SUCCEEDED


# --- 5b. A slip cannot confirm a closed purchase --------------------------------------------------


def test_a_slip_for_a_closed_purchase_is_refused_and_keeps_waiting():
    buyer, purchase, _first, _sku = remittance_purchase()
    slip = upload(buyer, purchase)
    Purchase.objects.filter(pk=purchase.pk).update(pay_by=timezone.now() - timedelta(seconds=1))
    assert orders.purchases_expire() == 1
    with pytest.raises(OrderStateInvalid) as caught:
        services.remittance_review(slip_id=slip.pk, actor_id=buyer.pk, accept=True)
    with translation.override("en"):
        assert "closed" in str(caught.value.message)
    assert fresh(slip).status == RemittanceSlip.Status.WAITING and fresh(slip).reviewed_at is None
    assert not Payment.objects.exists() and fresh(purchase).status == Purchase.Status.CLOSED


# --- 5c. Uploads: the time to pay is extended once; the file is what it says ---------------------


def test_only_the_first_waiting_slip_extends_the_time_to_pay():
    buyer, purchase, _first, _sku = remittance_purchase()
    upload(buyer, purchase)
    extended = fresh(purchase).pay_by
    assert extended > purchase.pay_by
    upload(buyer, purchase, PNG, "image/png")
    upload(buyer, purchase)
    assert fresh(purchase).pay_by == extended
    assert RemittanceSlip.objects.count() == 3


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"<html><script>alert(1)</script>", "application/pdf"),
        (PDF, "image/png"),
        (b"GIF89a....", "image/jpeg"),
    ],
)
def test_a_slip_that_is_not_what_it_claims_is_refused(content, content_type):
    buyer, purchase, _first, _sku = remittance_purchase()
    with pytest.raises(CandorError) as caught:
        upload(buyer, purchase, content, content_type)
    assert caught.value.code == "remittance_invalid" and "slip" in caught.value.fields
    assert not RemittanceSlip.objects.exists() and fresh(purchase).pay_by == purchase.pay_by


# --- 5d. No online payment for a remittance purchase ---------------------------------------------


def test_a_remittance_purchase_cannot_switch_to_an_online_payment():
    buyer, purchase, _first, _sku = remittance_purchase()
    with pytest.raises(OrderStateInvalid):
        f.pay_start(buyer, purchase, "alipay")
    assert fresh(purchase).payment_method == "remittance"
    assert not Payment.objects.exists() and not DisclosureRecord.objects.exists()


# --- 6. What left is in the ledger, whatever the institution answers ------------------------------


def test_the_disclosure_stays_when_the_institution_fails_after_the_data_left(monkeypatch):
    buyer = f.make_member()
    purchase = f.buy(buyer, f.make_sku())

    def start(self, order, **kwargs):
        from candor.payments.tests.test_refunds_owed import outside_any_transaction

        assert outside_any_transaction()  # no lock on the purchase while WeChat Pay is called
        raise PaymentUnavailable("timeout")

    monkeypatch.setattr(WechatPay, "start", start)
    with pytest.raises(PaymentUnavailable):
        f.pay_start(buyer, purchase, "wechatpay")
    (record,) = DisclosureRecord.objects.all()
    assert (record.recipient, record.target) == (
        taxonomy.PAYMENT_INSTITUTION.code,
        f"orders.purchase:{purchase.pk}",
    )
    assert Payment.objects.get().method == "wechatpay"
