"""UnionPay 5.1.0: the construction the SDKs use, the simulator's checks, the certificate chain
behind a notification, and refunds by queryId."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.x509.oid import NameOID

from candor.integrations.payment import config, simulator, unionpay
from candor.integrations.payment.base import NoticeRejected, gateway
from candor.integrations.payment.models import SimRefund, SimTrade
from candor.integrations.payment.tests import urls
from candor.integrations.payment.tests.conftest import RETURN_URL, notify_url, order
from candor.integrations.payment.wire import form_body, parse_form


def test_signature_is_sha256withrsa_over_the_hex_digest_of_the_sorted_fields(stranger_key):
    params = {"version": "5.1.0", "txnAmt": "1", "orderId": "20260101000001", "signature": "ignored",
              "riskRateInfo": "{commodityName=a&b}"}  # fmt: skip
    content = "orderId=20260101000001&riskRateInfo={commodityName=a&b}&txnAmt=1&version=5.1.0"
    assert unionpay.sign_content(params) == content
    hex_digest = hashlib.sha256(content.encode()).hexdigest().encode()
    expected = stranger_key.sign(hex_digest, padding.PKCS1v15(), hashes.SHA256())
    assert base64.b64decode(unionpay.sign(params, stranger_key)) == expected


def test_answers_are_parsed_with_braced_groups_whole():
    text = "respCode=00&reserved={a=1&b=2}&signPubKeyCert=-----BEGIN CERTIFICATE-----\nAB+/==\n-----END"
    assert unionpay.parse_answer(text) == {
        "respCode": "00",
        "reserved": "{a=1&b=2}",
        "signPubKeyCert": "-----BEGIN CERTIFICATE-----\nAB+/==\n-----END",
    }


def _start(browser, amount_fen=12345, number="2026120600000001"):
    start = gateway("unionpay").start(
        order(number, amount_fen), notify_url=notify_url("unionpay"), return_url=RETURN_URL
    )
    assert start.method == "POST" and start.url == "/_sim/pay/unionpay/gateway/api/frontTransReq.do"
    return start, browser.post(
        start.url, data=form_body(start.fields), content_type="application/x-www-form-urlencoded"
    )


def test_the_simulator_accepts_a_signed_front_transaction(browser):
    start, answer = _start(browser)
    trade = SimTrade.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/_sim/pay/trade/{trade.token}/"
    assert (trade.provider, trade.out_trade_no, trade.amount_fen) == ("unionpay", "2026120600000001", 12345)
    assert trade.subject == "Candor 订单 2026120600000001" and trade.return_url == RETURN_URL
    assert start.fields["txnAmt"] == "12345" and start.fields["certId"] == "40000000001"


def test_the_simulator_refuses_a_tampered_form(browser):
    start = gateway("unionpay").start(order(), notify_url=notify_url("unionpay"), return_url=RETURN_URL)
    tampered = {**start.fields, "txnAmt": "1"}
    answer = browser.post(
        start.url, data=form_body(tampered), content_type="application/x-www-form-urlencoded"
    )
    assert answer.status_code == 400 and "验证签名失败" in answer.content.decode()
    assert not SimTrade.objects.exists()


def test_a_notice_from_the_simulator_verifies(browser):
    _start(browser)
    trade = simulator.pay("unionpay", "2026120600000001")
    assert urls.REJECTED == [] and len(urls.RECEIVED) == 1
    notice = urls.RECEIVED[0]
    assert (notice.out_trade_no, notice.amount_fen, notice.paid) == ("2026120600000001", 12345, True)
    assert notice.provider_trade_no == notice.notice_id == trade.provider_trade_no
    assert (trade.last_answer_status, trade.last_answer) == (200, "ok")


@pytest.mark.parametrize("amount_fen", [1, 999999])
def test_amounts_round_trip_exactly(browser, amount_fen):
    _start(browser, amount_fen=amount_fen)
    simulator.pay("unionpay", "2026120600000001")
    assert [n.amount_fen for n in urls.RECEIVED] == [amount_fen]


def _notice(browser) -> tuple[dict[str, str], dict[str, str]]:
    _start(browser)
    headers, body = simulator.notice_for(simulator.trade_paid(SimTrade.objects.get()))
    return headers, parse_form(body)


def _rejected(headers, params) -> str:
    with pytest.raises(NoticeRejected) as caught:
        gateway("unionpay").verify_notice(headers=headers, body=form_body(params))
    return caught.value.reason


def test_a_notice_with_a_changed_amount_is_rejected(browser):
    headers, params = _notice(browser)
    assert _rejected(headers, {**params, "txnAmt": "1"}) == "signature"


def test_a_notice_signed_by_another_key_is_rejected(browser, stranger_key):
    headers, params = _notice(browser)
    forged = {**params, "txnAmt": "1"}
    forged["signature"] = unionpay.sign(forged, stranger_key)
    assert _rejected(headers, forged) == "signature"


def _certificate(
    key, *, issuer_key, issuer: x509.Name | None = None, cn: str = "041@Z12@中国银联股份有限公司@1"
) -> str:
    now = datetime.now(UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(issuer or name).public_key(key.public_key())
        .serial_number(1).not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=1))
        .sign(issuer_key, hashes.SHA256())
    )  # fmt: skip
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def test_a_notice_with_a_certificate_outside_unionpays_chain_is_rejected(browser, stranger_key):
    headers, params = _notice(browser)
    forged = {**params, "txnAmt": "1", "signPubKeyCert": _certificate(stranger_key, issuer_key=stranger_key)}
    forged["signature"] = unionpay.sign(forged, stranger_key)
    assert _rejected(headers, forged) == "certificate"


@pytest.mark.parametrize("cn", ["041@Z12@中国银联股份有限公司@1", "041@Z12@Someone Else@1"])
def test_a_certificate_from_the_chain_must_still_name_unionpay(browser, stranger_key, cn):
    headers, params = _notice(browser)
    middle, middle_key = config.unionpay_chain()[1], config.laptop_key("unionpay_middle")
    issued = _certificate(stranger_key, issuer_key=middle_key, issuer=middle.subject, cn=cn)
    forged = {**params, "signPubKeyCert": issued}
    forged["signature"] = unionpay.sign(forged, stranger_key)
    if "中国银联" in cn:  # the chain and the name are right: the notice verifies
        assert gateway("unionpay").verify_notice(headers=headers, body=form_body(forged)).paid
    else:
        assert _rejected(headers, forged) == "certificate"


def test_a_refund_notice_is_not_taken_for_a_payment(browser):
    """Changed on purpose (issue #6 review): a verified refund notice is read as what it is —
    a ``RefundNotice`` naming the refund number — instead of being rejected as a forgery (which
    made UnionPay send it again for ever). Another transaction type is still rejected."""
    headers, params = _notice(browser)
    refund_notice = simulator.unionpay_signed(
        {**params, "txnType": "04", "txnSubType": "00", "orderId": "R2026120600000001", "txnAmt": "345"}
    )
    notice = gateway("unionpay").verify_notice(headers=headers, body=form_body(refund_notice))
    assert isinstance(notice, unionpay.RefundNotice)
    assert (notice.out_trade_no, notice.amount_fen, notice.paid) == ("R2026120600000001", 345, True)
    assert _rejected(headers, simulator.unionpay_signed({**params, "txnType": "31"})) == (
        "not a payment or refund notice"
    )


def test_refund_works_and_above_the_paid_amount_is_refused(browser):
    _start(browser)
    trade = simulator.pay("unionpay", "2026120600000001")
    adapter = gateway("unionpay")
    done = adapter.refund(out_trade_no="2026120600000001", refund_no="20261206R0000001", amount_fen=345,
                          total_fen=12345, provider_trade_no=trade.provider_trade_no)  # fmt: skip
    assert done.succeeded and done.provider_refund_no == SimRefund.objects.get().provider_refund_no
    refused = adapter.refund(out_trade_no="2026120600000001", refund_no="20261206R0000002", amount_fen=12001,
                             total_fen=12345, provider_trade_no=trade.provider_trade_no)  # fmt: skip
    assert not refused.succeeded
    assert list(SimRefund.objects.values_list("amount_fen", flat=True)) == [345]


def test_a_refund_names_the_payment_by_its_query_id():
    with pytest.raises(ValueError, match="provider_trade_no"):
        gateway("unionpay").refund(out_trade_no="2026120600000001", refund_no="R1", amount_fen=1, total_fen=1)


def test_the_ack_is_http_200():
    assert gateway("unionpay").notice_ack(ok=True)[0] == 200
    assert gateway("unionpay").notice_ack(ok=False)[0] not in (200, 302)
