"""WeChat Pay API v3: the adapter signs as WeChat Pay publishes, the simulator verifies and
answers as it does, and a notification verifies and decrypts while a tampered one does not."""

from __future__ import annotations

import base64
import json
import time

import pytest
from cryptography.hazmat.primitives import serialization
from django.test import Client

from candor.integrations.payment import config, signing, sim_wechatpay, simulator, wechatpay
from candor.integrations.payment.base import NoticeRejected, PaymentUnavailable, gateway
from candor.integrations.payment.models import SimRefund, SimTrade
from candor.integrations.payment.tests import urls
from candor.integrations.payment.tests.conftest import RETURN_URL, configure, notify_url, order, pem
from candor.integrations.payment.wire import compact_json

# The merchant test key WeChat Pay's documentation signs its examples with ("签名生成",
# apiclient_test_key.pem): published so that anyone can check their signing reproduces its result.
DOC_TEST_KEY = """\
-----BEGIN RSA PRIVATE KEY-----
MIIEogIBAAKCAQEAptpm+qvIDCh/9wjU26SQCK26ogYkBhDrYxnAaw2JbbBsp1oD
bHKk+1r381NeBUG2HEFAuU+Fr72u5ot3yKdzoF/FajAzQNKnm569/D3upKoi8mYB
aST15Uig8j8qoUW1U217LL0jEHlSnHV3lcaDTXqDpTRR4Bfz9IqOgJgFZ8/oTfEo
mSrjrLYef81Eyxr7ZIMQXEKKEK7V4UXKS0+/fDsiG/cXidhzt8UbTL9vqXqxM2+I
DImyO+FAc/tkBG55LmzxPto1Nq0WbnZzRM/wTzrd0I/8NlevxtFbphg4evlHjFNI
7+GrqR87ViEwuAJJ9Je5QQjct5YJfFRWiZ5CMQIDAQABAoIBAGBi/GhEgezcHIg1
ltlHaFlLGuxsRbUnYwM9phVxnXk7GJlYe2/TjpERjPkIqOC6hBwwadZjJORP3FCc
Mtc8PKRhjuZ377O7vU0915x2nnyLOGL1IE2AJ3iLi0ZFzTea0FPgg+5lWHM00s9F
YI6qPcGtS41M+xtMWwZiYE3TBBRibHiY8ugGyaNAhiMKehyW05uApjlIF55wwCGx
BkyESJpGRR/6853iHke6Ge+xVcMa9QmQdoH0QqL/8kT28PL568mJJr0Ow/83t4+d
Pe70YPzKAxgUnaDsHJqO+b8qH69AEs8rTI5h2Mon6pH+bJT66KUoiXhn+Kf+4LSs
henRP10CgYEA1QJSfuFOWVRjrg3N/rAIc/Ak84BTZavbyrkqBSuoTs9i/nMI/hOz
VxpDntg7Bx2Tctl6sZO3GioTxKdc/YYaTKci1TKBbeginpsqEQVgwkMCy8HpvUmR
fyAMqLwZC4h9+j+NiZtuoFJDTCgv+WYbasX+kWYEUM21bnSYuO7yEQsCgYEAyIdP
r9uzqPgzN34Tmx+CNTa16VjhBh+zkBtXRLDLhWBeIYxoYNJARD98Pb1XZdvpkZZW
Sk7MfaKo2/DomzyyyB/MbHWwAdFi3yb4y7uMJfyC1MzdUSNN3Vp579hJxHkJ+nN4
Ys76yfcEeVOLnvUT1Z0KKCdIWRdT1Lgi+X1itzMCgYBJUXlPzwGG4fNFj97d0X23
Wmt9nSgXkOYgi0eZbAOMzPmIF9R6kBFk49dur4Lx2g5Ms+r1gKC/0sfnIqxxX11i
EQ1+UNoYGJUB/uql3TIG68XkmKR50P7RwRhaZBRC0gJ6xrFTMjsL2ATuC88niyvY
vrn3FiRaI9RVZrDCxwxvLQKBgEXW4okEAqGBuAzGqztmkOnJoTehDdYdKmOxMgap
cGiGdKJIjX3THDDoz3ONQyglnEZpTqpYoV3MTfU0BT8zt6x9bqwDnQY1D7NalmIW
cqw0Mri8lQQSQKcsQLWo5aA466G/n5kCL1Qx5OwAjesRvhOyuvvbGpZ0ymyWqQ+t
fLkDAoGATcul1L8y5D/wNVP1GXbXMZfBsFP3bbqy8c+Ashm6g8OLm2mGNntd5Z6h
1KkID7Yksh+dZ6t7XaPBtGACXX5Eryr537JVvdX8hAVCp5HVtaN/9VBVP8Ka2e4s
VS/xeNgOMQ7uzhRPBJ8HiTmdI1nHhDnYQpGiBgQn0Z5RAkSvFMk=
-----END RSA PRIVATE KEY-----
"""


def test_signature_matches_the_documented_example():
    # WeChat Pay "签名生成": a JSAPI order at 1554208460 with nonce 593BEC0C…, signed with the test key.
    body = (
        '{"appid":"wxd678efh567hg6787","mchid":"1230000109","description":"Image形象店-深圳腾大-QQ公仔",'
        '"out_trade_no":"1217752501201407033233368018","notify_url":"https://www.weixin.qq.com/wxpay/pay.php",'
        '"amount":{"total":100,"currency":"CNY"},"payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}'
    ).encode()
    key = serialization.load_pem_private_key(DOC_TEST_KEY.encode(), password=None)
    header = wechatpay.authorization(
        key, mchid="1230000109", serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C", method="POST",
        path="/v3/pay/transactions/jsapi", body=body, timestamp="1554208460",
        nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",
    )  # fmt: skip
    assert wechatpay.parse_authorization(header)["signature"] == (
        "gEuexJ547PHFV77TQ6eiE4tphVYfWfUe1Wc2dBmVnoMYU2rl/M4zhw+b3vBhuMw6AC7pteNkryLA7UWU2h+umo0OdSuuLm1++O3Nck"
        "QPCSfm6dypsjn4GYm84KMqXWFrhFmyxEwIdEJDr3w1UYfxOcu55OQupfLkrt/ZzuOspnliJFrPzGQFUk7lGqMMtpz3EfbDUNxnVs"
        "HblORg3hVmuYNmbGWnS2ovU30Y2Q+iKFDxzkaXBk8LTy6HzvxizRo6Q+J4SVM7O0hKXfgo1QdI68kpzNULb3EVBXlhTyPUzhkHzz"
        "LxECL1qHl3HH2hEv8++C+4wBlsagF3j/O6PABojA=="
    )
    assert header.startswith(
        'WECHATPAY2-SHA256-RSA2048 mchid="1230000109",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242"'
    )


def test_aead_aes_256_gcm_round_trips_and_any_change_fails_the_tag():
    key = b"0123456789abcdef0123456789abcdef"
    resource = wechatpay.encrypt_resource(
        key, b'{"a":1}', associated_data="transaction", nonce_str="abcdefghijkl"
    )
    assert wechatpay.decrypt_resource(key, resource) == b'{"a":1}'
    from cryptography.exceptions import InvalidTag

    with pytest.raises(InvalidTag):
        wechatpay.decrypt_resource(key, {**resource, "associated_data": "refund"})


def _start(browser: Client, amount_fen=12345, number="2026120600000001"):
    """Start a Native payment and "scan" its code: open the page the simulator says it leads to."""
    start = gateway("wechatpay").start(
        order(number, amount_fen), notify_url=notify_url("wechatpay"), return_url=RETURN_URL
    )
    token = SimTrade.objects.get(out_trade_no=number).token
    assert start.qr == f"weixin://wxpay/bizpayurl?pr={token}"
    assert (start.url, start.method, start.fields) == (f"/_sim/pay/trade/{token}/", "GET", {})
    return start, browser.get(start.url)


def test_the_simulator_accepts_a_signed_native_order_and_its_code_opens_the_pay_page(browser):
    _, page = _start(browser)
    trade = SimTrade.objects.get()
    assert page.status_code == 200 and 'id="sim-pay"' in page.content.decode()
    assert (trade.provider, trade.out_trade_no, trade.amount_fen) == ("wechatpay", "2026120600000001", 12345)
    assert trade.notify_url == notify_url("wechatpay") and trade.return_url == ""  # Native has none


def test_the_native_order_carries_the_allowlist_and_nothing_about_the_buyer(wire):
    gateway("wechatpay").start(order(), notify_url=notify_url("wechatpay"), return_url=RETURN_URL)
    (request,) = wire
    assert request.url == "inprocess://localhost/_sim/pay/wechatpay/v3/pay/transactions/native"
    assert json.loads(request.body) == {
        "appid": "wxcandor0pay00001", "mchid": "1900000001", "description": "Candor 订单 2026120600000001",
        "out_trade_no": "2026120600000001", "notify_url": notify_url("wechatpay"),
        "amount": {"total": 12345, "currency": "CNY"},
    }  # fmt: skip
    # Signed as WeChat Pay verifies it: over the method, path, timestamp, nonce and these bytes.
    auth = wechatpay.parse_authorization(request.headers["Authorization"])
    message = wechatpay.request_message(
        "POST", "/_sim/pay/wechatpay/v3/pay/transactions/native", auth["timestamp"], auth["nonce_str"],
        request.body,
    )  # fmt: skip
    assert signing.verify(config.merchant_key("wechatpay").public_key(), message, auth["signature"])


def test_a_real_institutions_code_is_only_shown_as_a_qr_code(settings):
    # The simulated API at an address that is not the simulator's: the adapter cannot tell.
    configure(settings, "wechatpay", endpoint="inprocess://localhost/elsewhere/wechatpay")
    start = gateway("wechatpay").start(order(), notify_url=notify_url("wechatpay"), return_url=RETURN_URL)
    assert (start.url, start.method, start.fields) == ("", "QR", {})
    assert start.qr.startswith("weixin://wxpay/bizpayurl?pr=")
    assert sim_wechatpay.scan_url(start.qr) == ""  # no simulator page to link to


def test_scan_url_knows_only_the_simulators_codes(settings):
    token = "0123456789abcdef0123456789abcdef"
    assert sim_wechatpay.scan_url(f"weixin://wxpay/bizpayurl?pr={token}") == f"/_sim/pay/trade/{token}/"
    for foreign in (f"weixin://wxpay/bizpayurl?pr={token[:-1]}", f"https://evil.example/bizpayurl?pr={token}",
                    "weixin://wxpay/bizpayurl?pr=../../admin", "weixin://wxpay/bizpayurl"):  # fmt: skip
        assert sim_wechatpay.scan_url(foreign) == "", foreign
    configure(settings, "wechatpay", endpoint="http://127.0.0.1:8000/_sim/pay/wechatpay")
    assert sim_wechatpay.scan_url(f"weixin://wxpay/bizpayurl?pr={token}") == (
        f"http://127.0.0.1:8000/_sim/pay/trade/{token}/"
    )


def _signed_post(path: str, payload: dict, *, body: bytes | None = None, key=None):
    merchant = config.merchant_key("wechatpay")
    signed_body = compact_json(payload).encode()
    auth = wechatpay.authorization(
        key or merchant, mchid="1900000001", serial_no="5157F09EFDC096DE15EBE81A47057A7200000001",
        method="POST", path=path, body=signed_body,
    )  # fmt: skip
    sent = body if body is not None else signed_body
    return Client().post(path, data=sent, content_type="application/json", HTTP_AUTHORIZATION=auth)


KEY_ID = "PUB_KEY_ID_0119000000012025000000000000000001"
NATIVE = "/_sim/pay/wechatpay/v3/pay/transactions/native"
NATIVE_ORDER = {
    "appid": "wxcandor0pay00001", "mchid": "1900000001", "description": "Candor 订单",
    "out_trade_no": "2026120600000001", "notify_url": "inprocess://localhost/test-notify/wechatpay/",
    "amount": {"total": 12345, "currency": "CNY"},
}  # fmt: skip


def test_the_simulator_refuses_a_tampered_request():
    tampered = compact_json({**NATIVE_ORDER, "amount": {"total": 1, "currency": "CNY"}}).encode()
    answer = _signed_post(NATIVE, NATIVE_ORDER, body=tampered)
    assert answer.status_code == 401 and answer.json()["code"] == "SIGN_ERROR"
    assert not SimTrade.objects.exists()


def test_the_simulator_refuses_a_request_signed_for_another_path():
    merchant = config.merchant_key("wechatpay")
    body = compact_json(NATIVE_ORDER).encode()
    auth = wechatpay.authorization(
        merchant, mchid="1900000001", serial_no="5157F09EFDC096DE15EBE81A47057A7200000001",
        method="POST", path="/v3/pay/transactions/jsapi", body=body,
    )  # fmt: skip
    answer = Client().post(NATIVE, data=body, content_type="application/json", HTTP_AUTHORIZATION=auth)
    assert answer.status_code == 401 and answer.json()["code"] == "SIGN_ERROR"
    assert not SimTrade.objects.exists()


def test_the_simulator_refuses_another_merchant_key(stranger_key):
    answer = _signed_post(NATIVE, NATIVE_ORDER, key=stranger_key)
    assert answer.status_code == 401 and answer.json()["code"] == "SIGN_ERROR"
    assert not SimTrade.objects.exists()


def test_the_simulator_answers_signed_and_checks_the_order():
    answer = _signed_post(NATIVE, {**NATIVE_ORDER, "amount": {"total": 0, "currency": "CNY"}})
    assert answer.status_code == 400 and answer.json()["code"] == "PARAM_ERROR"
    assert not SimTrade.objects.exists()
    ok = _signed_post(NATIVE, NATIVE_ORDER)
    assert ok.status_code == 200 and set(ok.json()) == {"code_url"}
    assert ok.json()["code_url"] == f"weixin://wxpay/bizpayurl?pr={SimTrade.objects.get().token}"
    platform = config.institution_key("wechatpay").public_key()
    assert wechatpay.verify_signed(ok.headers, ok.content, key=platform, key_id=KEY_ID) is None


def test_a_scan_and_pay_sends_the_notice_that_verifies(browser):
    start, _page = _start(browser)
    paid = browser.post(start.url, {"action": "pay"})
    assert paid.status_code == 302 and paid["Location"] == start.url  # no return address: it stays
    trade = SimTrade.objects.get()
    assert trade.status == SimTrade.Status.PAID and urls.REJECTED == []
    (notice,) = urls.RECEIVED
    assert (notice.out_trade_no, notice.amount_fen, notice.paid) == ("2026120600000001", 12345, True)
    assert notice.provider_trade_no == trade.provider_trade_no
    assert json.loads(trade.last_answer)["code"] == "SUCCESS"
    assert 'id="sim-resend"' in browser.get(start.url).content.decode()


def test_a_notice_from_the_simulator_verifies_and_decrypts(browser):
    _start(browser)
    trade = simulator.pay("wechatpay", "2026120600000001")
    assert urls.REJECTED == [] and len(urls.RECEIVED) == 1
    notice = urls.RECEIVED[0]
    assert (notice.out_trade_no, notice.amount_fen, notice.paid) == ("2026120600000001", 12345, True)
    assert notice.provider_trade_no == trade.provider_trade_no and notice.notice_id == trade.notice_id
    assert notice.paid_at is not None and abs((notice.paid_at - trade.paid_at).total_seconds()) < 1
    assert trade.last_answer_status == 200 and json.loads(trade.last_answer)["code"] == "SUCCESS"


@pytest.mark.parametrize("amount_fen", [1, 999999])
def test_amounts_round_trip_exactly(browser, amount_fen):
    _start(browser, amount_fen=amount_fen)
    simulator.pay("wechatpay", "2026120600000001")
    assert [n.amount_fen for n in urls.RECEIVED] == [amount_fen]


def _notice(browser):
    _start(browser)
    trade = simulator.trade_paid(SimTrade.objects.get())
    return simulator.notice_for(trade)


def _resign(body: bytes, key=None) -> dict[str, str]:
    signed = wechatpay.signed_headers(key or config.institution_key("wechatpay"), KEY_ID, body)
    return {"Content-Type": "application/json", **signed}


def _rejected(headers, body) -> str:
    with pytest.raises(NoticeRejected) as caught:
        gateway("wechatpay").verify_notice(headers=headers, body=body)
    return caught.value.reason


def test_a_notice_with_a_changed_body_fails_the_signature(browser):
    headers, body = _notice(browser)
    envelope = json.loads(body)
    envelope["summary"] = "changed"
    assert _rejected(headers, compact_json(envelope).encode()) == "signature"


def test_a_notice_signed_by_another_key_is_rejected(browser, stranger_key):
    _headers, body = _notice(browser)
    assert _rejected(_resign(body, stranger_key), body) == "signature"


def test_a_notice_with_a_bad_gcm_tag_is_rejected_even_when_signed(browser):
    _headers, body = _notice(browser)
    envelope = json.loads(body)
    raw = bytearray(base64.b64decode(envelope["resource"]["ciphertext"]))
    raw[-1] ^= 0x01  # the last byte belongs to the tag
    envelope["resource"]["ciphertext"] = base64.b64encode(bytes(raw)).decode()
    changed = compact_json(envelope).encode()
    assert _rejected(_resign(changed), changed) == "decrypt"


def test_a_notice_with_a_changed_amount_encrypted_under_another_key_is_rejected(browser):
    _headers, body = _notice(browser)
    envelope = json.loads(body)
    plain = json.loads(wechatpay.decrypt_resource(config.wechatpay_apiv3_key(), envelope["resource"]))
    plain["amount"]["total"] = 1
    resource = wechatpay.encrypt_resource(
        b"x" * 32, compact_json(plain).encode(), associated_data="transaction", nonce_str="0123456789ab"
    )
    envelope["resource"] = {"original_type": "transaction", **resource}
    changed = compact_json(envelope).encode()
    assert _rejected(_resign(changed), changed) == "decrypt"


def test_a_stale_or_probe_notice_is_rejected(browser):
    headers, body = _notice(browser)
    old = str(int(time.time()) - 600)
    message = wechatpay.answer_message(old, headers["Wechatpay-Nonce"], body)
    resigned = signing.sign(config.institution_key("wechatpay"), message)
    stale = {**headers, "Wechatpay-Timestamp": old, "Wechatpay-Signature": resigned}
    assert _rejected(stale, body) == "stale"
    probe = {**headers, "Wechatpay-Signature": "WECHATPAY/SIGNTEST/" + headers["Wechatpay-Signature"][19:]}
    assert _rejected(probe, body) == "signature"
    assert _rejected({**headers, "Wechatpay-Serial": "PUB_KEY_ID_0000"}, body) == "serial"


def test_headers_are_read_whatever_their_case(browser):
    headers, body = _notice(browser)
    lowered = {name.lower(): value for name, value in headers.items()}
    assert gateway("wechatpay").verify_notice(headers=lowered, body=body).paid


def test_refund_works_and_above_the_paid_amount_is_refused(browser):
    _start(browser)
    trade = simulator.pay("wechatpay", "2026120600000001")
    adapter = gateway("wechatpay")
    done = adapter.refund(out_trade_no="2026120600000001", refund_no="R1", amount_fen=12345, total_fen=12345)
    assert done.succeeded and done.provider_refund_no == SimRefund.objects.get().provider_refund_no
    refused = adapter.refund(
        out_trade_no="",
        refund_no="R2",
        amount_fen=1,
        total_fen=12345,
        provider_trade_no=trade.provider_trade_no,
    )
    assert not refused.succeeded and SimRefund.objects.count() == 1


def test_an_answer_signed_by_another_key_is_not_trusted(settings, stranger_key):
    configure(settings, "wechatpay", public_key=pem(stranger_key.public_key()))
    with pytest.raises(PaymentUnavailable):
        gateway("wechatpay").start(order(), notify_url=notify_url("wechatpay"), return_url=RETURN_URL)
