"""Paying (``payments.services``) against the payment simulator, over the in-process transport:
what an institution receives (C000-08), the signed notification as the only way to "paid", and
replayed, forged, mismatched and late notifications changing nothing — each one logged."""

from __future__ import annotations

import ast
import base64
import json
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.test import Client
from django.utils import timezone

import candor
from candor.catalog.models import Product
from candor.errors import CandorError
from candor.integrations.payment import alipay, config, signing, simulator, unionpay, wechatpay
from candor.integrations.payment.models import SimRefund, SimTrade
from candor.integrations.payment.wire import compact_json, form_body
from candor.orders import services as orders
from candor.orders.models import Order, Purchase
from candor.orders.tests import factories as f
from candor.payments.models import Payment, PaymentNotice, Refund
from candor.privacy import taxonomy
from candor.privacy.models import DisclosureRecord

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_keys")]
METHODS = ["alipay", "wechatpay", "unionpay"]
NAME, DETAIL, NOTE, EMAIL = "欧阳娜娜", "幸福里 88 弄 7 号 1602 室", "放在快递柜", "ouyang@example.com"


@pytest.fixture(scope="module")
def stranger_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def wire(monkeypatch):
    return f.record_wire(monkeypatch)


def buyer_and_purchase(**form):
    buyer = f.make_member(address=False)
    recipient = {**f.RECIPIENT, "recipient_name": NAME, "mobile": "13611112222", "detail": DETAIL}
    first, second = (
        f.make_sku(price_fen=2345, name_zh="降噪耳机"),
        f.make_sku(price_fen=1999, name_zh="手机壳"),
    )
    f.add_to_cart(buyer, first, 2)
    f.add_to_cart(buyer, second, 1)
    purchase = f.place(buyer, recipient=recipient, note=NOTE, email=EMAIL, **form)
    assert purchase.orders.count() == 2
    return buyer, purchase


def fresh(purchase: Purchase) -> Purchase:
    return Purchase.objects.get(pk=purchase.pk)


def receive(provider: str, headers: dict, body: bytes) -> str:
    """Post a notification to the notify endpoint as the institution would; the logged outcome."""
    before = PaymentNotice.objects.count()
    Client().generic(
        "POST", f"/payments/notify/{provider}/", body, content_type=headers.get("Content-Type", ""),
        **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k != "Content-Type"},
    )  # fmt: skip
    assert PaymentNotice.objects.count() == before + 1
    return PaymentNotice.objects.order_by("-id").first().outcome


def opened(buyer, purchase, method: str) -> SimTrade:
    trade = f.open_pay_page(f.pay_start(buyer, purchase, method))
    assert (trade.provider, trade.out_trade_no) == (method, purchase.number)
    return trade


def paid_trade(method: str) -> tuple[Purchase, SimTrade]:
    """A purchase started with ``method`` and its trade marked paid at the institution, before
    any notification reached Candor."""
    buyer, purchase = buyer_and_purchase()
    trade = simulator.trade_paid(opened(buyer, purchase, method))
    return purchase, trade


def nothing_changed(purchase: Purchase) -> None:
    purchase = fresh(purchase)
    assert purchase.status == Purchase.Status.PENDING and purchase.paid_at is None
    assert set(purchase.orders.values_list("status", flat=True)) == {Order.Status.PENDING_PAYMENT}
    assert not purchase.payments.filter(status=Payment.Status.PAID).exists()
    assert not Product.objects.filter(sales_count__gt=0).exists()


# --- What the institution receives ----------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_payment_start_discloses_only_number_amount_and_subject(method, wire):
    buyer, purchase = buyer_and_purchase()
    start = f.pay_start(buyer, purchase, method)
    trade = f.open_pay_page(start)

    (record,) = DisclosureRecord.objects.all()
    assert (record.recipient, record.purpose, record.target) == (
        taxonomy.PAYMENT_INSTITUTION.code, taxonomy.PAYMENT.code, f"orders.purchase:{purchase.pk}",
    )  # fmt: skip
    assert record.fields == ["number", "total_fen", "payment_subject"]
    assert (record.subject_id, record.actor_id) == (buyer.pk, buyer.pk)

    # What the institution holds of the trade: the number, the amount, a subject naming no one.
    assert (trade.out_trade_no, trade.amount_fen, trade.subject) == (
        purchase.number, purchase.total_fen, f"Candor {purchase.number}",
    )  # fmt: skip
    # And on the wire (the browser's request and any server-to-server call), no person or goods.
    sent = " ".join([start.url, json.dumps(start.fields, ensure_ascii=False), trade.subject,
                     json.dumps(trade.details, ensure_ascii=False)] + [r["text"] for r in wire])  # fmt: skip
    assert purchase.number in sent
    for private in (NAME, "13611112222", DETAIL, "幸福里", "浙江省", "杭州市", "西湖区", NOTE, EMAIL,
                    "降噪耳机", "手机壳", buyer.username):  # fmt: skip
        assert private not in sent, private
    payment = Payment.objects.get()
    assert (payment.method, payment.out_trade_no, payment.amount_fen) == (
        method,
        purchase.number,
        purchase.total_fen,
    )


def test_payment_start_refuses_someone_elses_purchase_and_discloses_nothing():
    _buyer, purchase = buyer_and_purchase()
    with pytest.raises(CandorError) as caught:
        f.pay_start(f.make_member(), purchase, "alipay")
    assert getattr(caught.value, "code", "") == "order_not_found"
    assert not DisclosureRecord.objects.exists() and not Payment.objects.exists()


def test_payment_start_refuses_a_purchase_past_its_time_and_discloses_nothing():
    buyer, purchase = buyer_and_purchase()
    Purchase.objects.filter(pk=purchase.pk).update(pay_by=timezone.now() - timezone.timedelta(seconds=1))
    with pytest.raises(CandorError) as caught:
        f.pay_start(buyer, purchase, "alipay")
    assert getattr(caught.value, "code", "") == "order_state"
    assert not DisclosureRecord.objects.exists() and not Payment.objects.exists()


def test_wechat_pay_can_be_started_as_the_endpoints_call_it():
    buyer, purchase = buyer_and_purchase()
    assert f.pay_start(buyer, purchase, "wechatpay").url


# --- A verified notification ---------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_a_verified_notice_marks_the_purchase_and_its_orders_paid(method):
    buyer, purchase = buyer_and_purchase()
    trade = simulator.pay(method, opened(buyer, purchase, method).out_trade_no)
    assert trade.last_answer_status in (200, 204)  # Candor acknowledged it as the institution wants

    purchase = fresh(purchase)
    assert purchase.status == Purchase.Status.PAID and purchase.paid_at is not None
    assert set(purchase.orders.values_list("status", flat=True)) == {Order.Status.TO_SHIP}
    assert all(order.paid_at == purchase.paid_at for order in purchase.orders.all())
    payment = Payment.objects.get()
    assert payment.status == Payment.Status.PAID and payment.provider_trade_no == trade.provider_trade_no
    (notice,) = PaymentNotice.objects.all()
    assert (notice.outcome, notice.out_trade_no, notice.amount_fen) == (
        "applied",
        purchase.number,
        purchase.total_fen,
    )
    assert notice.notice_id == trade.notice_id


@pytest.mark.parametrize("method", METHODS)
def test_the_same_notice_replayed_is_a_duplicate_and_changes_nothing(method):
    purchase, trade = paid_trade(method)
    headers, body = simulator.notice_for(trade)
    assert receive(method, headers, body) == "applied"
    purchase = fresh(purchase)
    sales = sorted(Product.objects.values_list("sales_count", flat=True))
    assert sales == [1, 2]

    assert receive(method, headers, body) == "duplicate"
    simulator.send_notice(trade)  # the institution's own retry
    assert PaymentNotice.objects.filter(outcome="duplicate").count() == 2
    again = fresh(purchase)
    assert (again.status, again.paid_at) == (Purchase.Status.PAID, purchase.paid_at)
    assert sorted(Product.objects.values_list("sales_count", flat=True)) == sales  # not counted twice
    assert not Refund.objects.exists()


# --- Forged notifications ----------------------------------------------------------------------------


def _form(body: bytes) -> dict[str, str]:
    return dict(parse_qsl(body.decode(), keep_blank_values=True))


def forged_alipay(trade: SimTrade, stranger) -> list[tuple[dict, bytes]]:
    headers, body = simulator.notice_for(trade)
    params = _form(body)
    amount = {**params, "total_amount": "0.01", "receipt_amount": "0.01", "buyer_pay_amount": "0.01"}
    other_key = dict(params)
    other_key["sign"] = signing.sign(stranger, alipay.notice_content(other_key).encode())
    unsigned = {k: v for k, v in params.items() if k != "sign"}
    return [(headers, form_body(amount)), (headers, form_body(other_key)), (headers, form_body(unsigned))]


def forged_unionpay(trade: SimTrade, stranger) -> list[tuple[dict, bytes]]:
    headers, body = simulator.notice_for(trade)
    params = _form(body)
    amount = {**params, "txnAmt": "1", "settleAmt": "1"}
    other_key = {
        **params,
        "signature": unionpay.sign({k: v for k, v in params.items() if k != "signature"}, stranger),
    }
    return [(headers, form_body(amount)), (headers, form_body(other_key))]


def forged_wechatpay(trade: SimTrade, stranger) -> list[tuple[dict, bytes]]:
    headers, body = simulator.notice_for(trade)
    envelope = json.loads(body)
    resource = envelope["resource"]
    key_id = settings.CANDOR_PAYMENT["wechatpay"]["public_key_id"]
    apiv3 = config.wechatpay_apiv3_key()
    # A bad GCM tag: one bit of the ciphertext flipped, and the message then signed with the
    # platform's own key — only the decryption can notice.
    blob = bytearray(base64.b64decode(resource["ciphertext"]))
    blob[3] ^= 0x01
    bad_tag = json.dumps(
        {**envelope, "resource": {**resource, "ciphertext": base64.b64encode(blob).decode()}}
    )
    bad_tag_body = bad_tag.encode()
    bad_tag_headers = {"Content-Type": "application/json", **wechatpay.signed_headers(
        config.institution_key("wechatpay"), key_id, bad_tag_body)}  # fmt: skip
    # The amount changed (re-encrypted with the APIv3 key) under the original signature.
    plain = json.loads(wechatpay.decrypt_resource(apiv3, resource))
    plain["amount"] = {**plain["amount"], "total": 1, "payer_total": 1}
    cheap = wechatpay.encrypt_resource(apiv3, compact_json(plain).encode(), associated_data="transaction",
                                       nonce_str=resource["nonce"])  # fmt: skip
    cheap_body = compact_json({**envelope, "resource": {**resource, **cheap}}).encode()
    # Signed with a key that is not WeChat Pay's.
    stranger_headers = {
        "Content-Type": "application/json",
        **wechatpay.signed_headers(stranger, key_id, body),
    }
    return [(bad_tag_headers, bad_tag_body), (headers, cheap_body), (stranger_headers, body)]


FORGERS = {"alipay": forged_alipay, "unionpay": forged_unionpay, "wechatpay": forged_wechatpay}


@pytest.mark.parametrize("method", METHODS)
def test_a_forged_notice_is_rejected_logged_and_changes_nothing(method, stranger_key, caplog):
    purchase, trade = paid_trade(method)
    forgeries = FORGERS[method](trade, stranger_key)
    for headers, body in forgeries:
        assert receive(method, headers, body) == "rejected"
    nothing_changed(purchase)
    assert PaymentNotice.objects.filter(outcome="rejected").count() == len(forgeries)
    reasons = set(PaymentNotice.objects.values_list("reason", flat=True))
    assert "signature" in reasons and ("decrypt" in reasons) == (method == "wechatpay")
    assert "payment notice rejected" in caplog.text
    # The genuine notice still applies afterwards.
    assert receive(method, *simulator.notice_for(trade)) == "applied"
    assert fresh(purchase).status == Purchase.Status.PAID


def test_garbage_at_the_notify_endpoint_is_rejected():
    _buyer, purchase = buyer_and_purchase()
    assert (
        receive("alipay", {"Content-Type": "application/x-www-form-urlencoded"}, b"\xff\xfe=%%") == "rejected"
    )
    assert receive("wechatpay", {"Content-Type": "application/json"}, b"{}") == "rejected"
    assert Client().post("/payments/notify/cod/", b"x", content_type="text/plain").status_code == 404
    nothing_changed(purchase)


# --- Notices that verify but do not match -------------------------------------------------------------


@pytest.mark.parametrize("method", ["alipay", "unionpay"])
def test_a_notice_for_an_unknown_trade_is_a_mismatch(method):
    _buyer, purchase = buyer_and_purchase()
    details = {
        "alipay": {"app_id": settings.CANDOR_PAYMENT["alipay"]["app_id"]},
        "unionpay": {"merId": settings.CANDOR_PAYMENT["unionpay"]["mer_id"], "txnTime": "20261206120000"},
    }[method]
    stray = simulator.trade_paid(simulator.trade_open(
        provider=method, out_trade_no="26120600000000000001", amount_fen=purchase.total_fen,
        subject="Candor x", notify_url="inprocess://localhost/payments/notify/", details=details,
    ))  # fmt: skip
    assert receive(method, *simulator.notice_for(stray)) == "mismatch"
    nothing_changed(purchase)


@pytest.mark.parametrize("method", METHODS)
def test_a_notice_for_the_wrong_amount_is_a_mismatch(method):
    purchase, trade = paid_trade(method)
    SimTrade.objects.filter(pk=trade.pk).update(amount_fen=purchase.total_fen - 100)
    trade.refresh_from_db()
    assert receive(method, *simulator.notice_for(trade)) == "mismatch"
    nothing_changed(purchase)
    notice = PaymentNotice.objects.get()
    assert (notice.out_trade_no, notice.amount_fen) == (purchase.number, purchase.total_fen - 100)


# --- Money after the purchase closed -----------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_money_for_a_closed_purchase_goes_straight_back(method):
    buyer, purchase = buyer_and_purchase()
    trade = opened(buyer, purchase, method)
    Purchase.objects.filter(pk=purchase.pk).update(pay_by=timezone.now() - timezone.timedelta(seconds=1))
    assert orders.purchases_expire() == 1

    simulator.pay(method, trade.out_trade_no)
    assert PaymentNotice.objects.get().outcome == "late"
    purchase = fresh(purchase)
    assert purchase.status == Purchase.Status.CLOSED
    assert set(purchase.orders.values_list("status", flat=True)) == {Order.Status.CANCELLED}
    refund = Refund.objects.get()
    assert (refund.status, refund.amount_fen, refund.buyer_id) == (
        Refund.Status.SUCCEEDED,
        purchase.total_fen,
        buyer.pk,
    )
    (sim_refund,) = SimRefund.objects.filter(trade__out_trade_no=purchase.number, trade__provider=method)
    assert (sim_refund.amount_fen, sim_refund.refund_no) == (purchase.total_fen, refund.refund_no)
    assert not Product.objects.filter(sales_count__gt=0).exists()


# --- No other way to "paid" --------------------------------------------------------------------------

MARKERS = {"purchase_mark_paid", "purchase_confirm_remittance"}
ALLOWED = {"orders/services.py", "payments/services.py"}


def paid_markers(source: str) -> list[int]:
    """Lines of ``source`` that name a way to make a purchase paid: calling or referring to one
    of ``MARKERS``, or setting a status to ``Purchase.Status.PAID``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        named = getattr(node, "id", None) or getattr(node, "attr", None) or getattr(node, "name", None)
        is_paid_status = (
            isinstance(node, ast.Attribute) and named == "PAID" and "Purchase.Status" in ast.unparse(node)
        )
        if isinstance(node, ast.Name | ast.Attribute | ast.alias) and (named in MARKERS or is_paid_status):
            found.append(node.lineno)
    return found


def test_the_finder_finds_each_way():
    assert paid_markers("from candor.orders.services import purchase_mark_paid") == [1]
    assert paid_markers("services.purchase_confirm_remittance(purchase_id=1)") == [1]
    assert paid_markers("x = 1\nPurchase.objects.update(status=Purchase.Status.PAID)") == [2]
    assert paid_markers("'purchase_mark_paid is only named in text'\nPayment.Status.PAID") == []


def test_only_the_payments_services_make_a_purchase_paid():
    root = Path(candor.__file__).parent
    offenders = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in f"/{relative}" or relative in ALLOWED:
            continue
        lines = paid_markers(path.read_text(encoding="utf-8"))
        offenders += [f"{relative}:{line}" for line in lines]
    assert offenders == []
    # And in the allowed modules: the payments services only call them; the orders services
    # only define them (and the remittance confirmation reuses the one below it).
    payments_source = (root / "payments/services.py").read_text(encoding="utf-8")
    assert paid_markers(payments_source)
    assert "Purchase.Status.PAID" not in payments_source
