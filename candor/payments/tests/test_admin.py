"""The payments back office: finance reviews a business's bank remittance — the slip masked until
revealed with a reason (audited), confirmed (the purchase is paid) or rejected with a note (never
without) — and reads the notification log, where a forged or replayed notification shows with
its outcome. Nothing about money is edited here. Purchases are placed with ``purchase_place`` and
slips uploaded with ``remittance_upload``; staff log in past the second factor."""

from __future__ import annotations

import base64
import itertools

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from candor.catalog.models import Category, Merchant, Product, Sku, Stock
from candor.integrations.payment import simulator
from candor.orders.checkout import CheckoutForm, ClientSignals, purchase_place
from candor.orders.models import Order, Purchase
from candor.orders.tests.factories import RECIPIENT
from candor.payments import services
from candor.payments.models import PaymentNotice, Refund, RemittanceSlip
from candor.privacy.models import AuditEvent
from candor.staff import roles
from tests.staff_login import verify_second_factor

pytestmark = pytest.mark.django_db

SLIPS = "/admin/payments/remittanceslip/"
NOTICES = "/admin/payments/paymentnotice/"
# The smallest valid PNG (1×1, transparent): what a phone photo of a slip stands for here.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
_keys = itertools.count(1)


@pytest.fixture(autouse=True)
def _keys_cache(fresh_keys):
    """Every test gets its own key cache (the root conftest's ``fresh_keys``)."""


@pytest.fixture
def sku(db):
    category = Category.objects.create(name_zh="办公", name_en="Office", slug="office")
    merchant = Merchant.objects.create(name_zh="办公用品店", name_en="Office supplies", slug="office-shop")
    product = Product.objects.create(
        merchant=merchant, category=category, name_zh="打印纸", name_en="Paper", price_fen=50000
    )
    sku = Sku.objects.create(product=product, code="PAPER-A4", price_fen=50000)
    Stock.objects.create(sku=sku, warehouse="WH-SH", region="上海", quantity=50)
    return sku


def place(buyer, sku, method):
    form = CheckoutForm(
        payment_method=method, recipient=RECIPIENT, lines={sku.pk: 1}, invoice_title="上海某某贸易有限公司"
    )
    purchase, _created = purchase_place(
        user=buyer, idempotency_key=f"pay-admin-{next(_keys):04d}", form=form,
        client=ClientSignals(ip="203.0.113.7", device=""),
    )  # fmt: skip
    return purchase


@pytest.fixture
def slip(sku, alice):
    purchase = place(alice, sku, "remittance")
    return services.remittance_upload(
        user=alice, purchase_number=purchase.number, payer_name="上海某某贸易有限公司", content=PNG,
        content_type="image/png",
    )  # fmt: skip


def staff(username, role):
    user = get_user_model().objects.create_user(username, password="x-very-long-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.role(role).name))
    return get_user_model().objects.get(pk=user.pk)


def logged_in(user) -> Client:
    client = Client()
    verify_second_factor(client, user)
    return client


@pytest.fixture
def finance():
    return staff("accountant", "finance")


def review(client, slip, **data):
    return client.post(f"{SLIPS}{slip.pk}/review/", data)


# --- the slip: hidden until revealed --------------------------------------------------------


def test_the_slip_is_hidden_until_revealed_with_a_reason_and_audited(slip, finance):
    client = logged_in(finance)
    encoded = base64.b64encode(PNG).decode()
    page = client.get(f"{SLIPS}{slip.pk}/change/").content.decode()
    assert encoded not in page and "上海某某贸易有限公司" not in page
    assert f"{SLIPS}{slip.pk}/reveal/slip/" in page

    asked = client.get(f"{SLIPS}{slip.pk}/reveal/slip/")
    assert encoded not in asked.content.decode()
    assert not AuditEvent.objects.filter(action="reveal", actor_id=finance.pk).exists()

    shown = client.post(f"{SLIPS}{slip.pk}/reveal/slip/", {"reason": "payment_problem"})
    assert shown.status_code == 200
    assert f'src="data:image/png;base64,{encoded}"' in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    event = AuditEvent.objects.get(action="reveal", actor_id=finance.pk)
    assert (event.subject_id, event.target, event.fields) == (
        slip.buyer_id,
        f"payments.remittanceslip:{slip.pk}",
        ["slip"],
    )


def test_a_pdf_slip_is_revealed_as_the_file_in_a_sandbox(sku, alice, finance):
    purchase = place(alice, sku, "remittance")
    pdf = b"%PDF-1.4\n% a remittance slip\n"
    slip = services.remittance_upload(
        user=alice,
        purchase_number=purchase.number,
        payer_name="某公司",
        content=pdf,
        content_type="application/pdf",
    )
    shown = logged_in(finance).post(f"{SLIPS}{slip.pk}/reveal/slip/", {"reason": "payment_problem"})
    assert (shown.status_code, shown["Content-Type"], shown.content) == (200, "application/pdf", pdf)
    assert shown["Content-Security-Policy"] == "sandbox"
    assert AuditEvent.objects.filter(action="reveal", actor_id=finance.pk, fields=["slip"]).exists()


def test_staff_without_the_reveal_permission_see_no_slip(slip):
    clerk = staff("shopkeeper", "merchant_staff")
    client = logged_in(clerk)
    assert client.get(f"{SLIPS}{slip.pk}/change/").status_code == 403
    assert client.post(f"{SLIPS}{slip.pk}/reveal/slip/", {"reason": "payment_problem"}).status_code == 403
    assert not AuditEvent.objects.filter(action="reveal", actor_id=clerk.pk).exists()


# --- the decision ---------------------------------------------------------------------------


def test_finance_confirms_a_remittance_and_the_purchase_is_paid(slip, finance):
    client = logged_in(finance)
    assert "slip-review" in client.get(f"{SLIPS}{slip.pk}/change/").content.decode()

    response = review(client, slip, decision="confirm", note="")

    assert response.status_code == 302
    slip.refresh_from_db()
    purchase = Purchase.objects.get(pk=slip.purchase_id)
    assert (slip.status, slip.reviewed_by_id) == (RemittanceSlip.Status.CONFIRMED, finance.pk)
    assert purchase.status == Purchase.Status.PAID and purchase.paid_at is not None
    assert set(purchase.orders.values_list("status", flat=True)) == {Order.Status.TO_SHIP}
    # reviewed once: a second decision is refused and changes nothing
    review(client, slip, decision="reject", note="重复")
    slip.refresh_from_db()
    assert slip.status == RemittanceSlip.Status.CONFIRMED


def test_a_rejection_needs_a_note(slip, finance):
    client = logged_in(finance)
    refused = review(client, slip, decision="reject", note="  ")
    assert refused.status_code == 400
    slip.refresh_from_db()
    assert (slip.status, slip.reviewed_by_id) == (RemittanceSlip.Status.WAITING, None)
    assert Purchase.objects.get(pk=slip.purchase_id).status == Purchase.Status.PENDING

    review(client, slip, decision="reject", note="金额与订单不符")
    slip.refresh_from_db()
    assert (slip.status, slip.review_note) == (RemittanceSlip.Status.REJECTED, "金额与订单不符")
    assert Purchase.objects.get(pk=slip.purchase_id).status == Purchase.Status.PENDING


def test_only_finance_reviews(slip):
    # customer service may reveal, but deciding whether money arrived is not theirs
    client = logged_in(staff("helpdesk", "customer_service"))
    assert review(client, slip, decision="confirm").status_code == 403
    slip.refresh_from_db()
    assert slip.status == RemittanceSlip.Status.WAITING
    assert Purchase.objects.get(pk=slip.purchase_id).status == Purchase.Status.PENDING


def test_slips_are_never_edited_or_deleted_here(slip, finance):
    client = logged_in(finance)
    client.post(f"{SLIPS}{slip.pk}/change/", {"status": "confirmed", "review_note": "x"})
    assert client.post(f"{SLIPS}{slip.pk}/delete/", {"post": "yes"}).status_code == 403
    slip.refresh_from_db()
    assert slip.status == RemittanceSlip.Status.WAITING and slip.review_note == ""


# --- money paid online: a refund, and the notification log -----------------------------------


def paid_online(buyer, sku):
    """A purchase paid on the simulated Alipay: the trade as the simulator opens it when the
    buyer's browser arrives with the signed request, then "Pay" pressed (a real notification)."""
    purchase = place(buyer, sku, "alipay")
    base = settings.CANDOR_PUBLIC_BASE_URL
    services.payment_start(
        user=buyer, purchase_number=purchase.number, method="alipay", notify_base=base, return_url=f"{base}/"
    )
    simulator.trade_open(
        provider="alipay", out_trade_no=purchase.number, amount_fen=purchase.total_fen, subject="Candor",
        notify_url=f"{base}/payments/notify/alipay/",
        details={"app_id": settings.CANDOR_PAYMENT["alipay"]["app_id"]},
    )  # fmt: skip
    return purchase, simulator.pay("alipay", purchase.number)


def test_finance_cancels_a_paid_order_and_the_money_goes_back(sku, alice, finance):
    purchase, _trade = paid_online(alice, sku)
    order = purchase.orders.get()
    assert Order.objects.get(pk=order.pk).status == Order.Status.TO_SHIP
    client = logged_in(finance)
    data = {"action": "cancel_and_refund", "_selected_action": [order.pk], "confirm": "yes"}
    client.post("/admin/orders/order/", data)

    order.refresh_from_db()
    refund = Refund.objects.get(order=order)
    assert order.status == Order.Status.CANCELLED
    assert (refund.status, refund.amount_fen) == (Refund.Status.SUCCEEDED, order.total_fen)
    assert client.get(f"/admin/payments/refund/{refund.pk}/change/").status_code == 200


def test_forged_and_replayed_notifications_are_in_the_log(sku, alice, finance):
    _purchase, trade = paid_online(alice, sku)
    headers, body = simulator.notice_for(trade)
    services.notice_receive(provider="alipay", headers=headers, body=body)  # replayed
    services.notice_receive(
        provider="alipay", headers=headers, body=body.replace(b"TRADE_SUCCESS", b"TRADE_CLOSED")
    )
    outcomes = sorted(PaymentNotice.objects.values_list("outcome", flat=True))
    assert outcomes == ["applied", "duplicate", "rejected"]

    client = logged_in(finance)
    for outcome in ("applied", "duplicate", "rejected"):
        listing = client.get(NOTICES, {"outcome": outcome})
        assert listing.status_code == 200
        assert [n.outcome for n in listing.context["cl"].result_list] == [outcome]
    notice = PaymentNotice.objects.get(outcome="rejected")
    assert client.get(f"{NOTICES}{notice.pk}/change/").status_code == 200
    assert client.get(f"{NOTICES}add/").status_code == 403
    assert client.post(f"{NOTICES}{notice.pk}/delete/", {"post": "yes"}).status_code == 403
    assert PaymentNotice.objects.count() == 3
