"""Alipay: the adapter signs as Alipay publishes, the simulator verifies as Alipay does, and a
notification from the simulator verifies while a tampered one does not."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from candor.integrations.payment import alipay, signing, simulator
from candor.integrations.payment.base import NoticeRejected, PaymentUnavailable, gateway
from candor.integrations.payment.models import SimRefund, SimTrade
from candor.integrations.payment.tests import urls
from candor.integrations.payment.tests.conftest import RETURN_URL, configure, notify_url, order, pem
from candor.integrations.payment.wire import form_body, parse_form


def test_string_to_sign_matches_the_documented_example():
    # Alipay open platform, "自行实现签名": the request and its 待签名字符串.
    biz = (
        '{"button":[{"actionParam":"ZFB_HFCZ","actionType":"out","name":"话费充值"},{"name":"查询",'
        '"subButton":[{"actionParam":"ZFB_YECX","actionType":"out","name":"余额查询"},{"actionParam":'
        '"ZFB_LLCX","actionType":"out","name":"流量查询"},{"actionParam":"ZFB_HFCX","actionType":"out",'
        '"name":"话费查询"}]},{"actionParam":"http://m.alipay.com","actionType":"link","name":"最新优惠"}]}'
    )
    params = {
        "app_id": "2014072300007148", "method": "alipay.mobile.public.menu.add", "charset": "GBK",
        "sign_type": "RSA2", "timestamp": "2014-07-24 03:07:50", "biz_content": biz, "version": "1.0",
        "sign": "e9zEAe4TTQ4LPLQvETPoLGXTiURcxiAKfMVQ6Hrrsx2hmyIEGvSfAQzbLxHrhyZ48wOJXTsD4FPnt+YGdK57+fP1BC",
    }  # fmt: skip
    assert alipay.request_content(params) == (
        f"app_id=2014072300007148&biz_content={biz}&charset=GBK&method=alipay.mobile.public.menu.add"
        "&sign_type=RSA2&timestamp=2014-07-24 03:07:50&version=1.0"
    )


def test_a_notice_is_checked_over_everything_but_sign_and_sign_type():
    params = {"b": "2", "a": "", "sign": "x", "sign_type": "RSA2", "c": "中文"}
    assert alipay.notice_content(params) == "a=&b=2&c=中文"


def _open(browser, amount_fen=12345, number="2026120600000001"):
    start = gateway("alipay").start(
        order(number, amount_fen), notify_url=notify_url("alipay"), return_url=RETURN_URL
    )
    assert start.method == "GET" and start.url.startswith("/_sim/pay/alipay/gateway.do?")
    return start, browser.get(start.url)


def test_the_simulator_accepts_a_signed_page_pay(browser):
    start, answer = _open(browser)
    trade = SimTrade.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/_sim/pay/trade/{trade.token}/"
    assert (trade.provider, trade.out_trade_no, trade.amount_fen) == ("alipay", "2026120600000001", 12345)
    assert trade.subject == "Candor 订单 2026120600000001" and trade.notify_url == notify_url("alipay")
    assert trade.return_url == RETURN_URL and trade.status == SimTrade.Status.WAITING
    params = dict(parse_qsl(urlsplit(start.url).query))
    assert json.loads(params["biz_content"])["total_amount"] == "123.45"


def test_the_simulator_refuses_a_tampered_request(browser):
    start = gateway("alipay").start(order(), notify_url=notify_url("alipay"), return_url=RETURN_URL)
    params = dict(parse_qsl(urlsplit(start.url).query))
    params["biz_content"] = params["biz_content"].replace('"123.45"', '"0.01"')
    answer = browser.get(f"/_sim/pay/alipay/gateway.do?{urlencode(params)}")
    assert answer.status_code == 400 and b"invalid-signature" in answer.content
    assert not SimTrade.objects.exists()


def test_a_request_signed_by_another_app_key_is_refused(browser, settings, stranger_key):
    start = gateway("alipay").start(order(), notify_url=notify_url("alipay"), return_url=RETURN_URL)
    configure(settings, "alipay", app_private_key=pem(stranger_key))
    forged = gateway("alipay").start(order(), notify_url=notify_url("alipay"), return_url=RETURN_URL)
    configure(settings, "alipay", app_private_key="")
    assert browser.get(forged.url).status_code == 400
    assert browser.get(start.url).status_code == 302


def test_a_notice_from_the_simulator_verifies(browser):
    _open(browser)
    trade = simulator.pay("alipay", "2026120600000001")
    assert urls.REJECTED == [] and len(urls.RECEIVED) == 1
    notice = urls.RECEIVED[0]
    assert notice.out_trade_no == "2026120600000001" and notice.amount_fen == 12345 and notice.paid
    assert notice.provider_trade_no == trade.provider_trade_no and notice.notice_id == trade.notice_id
    assert notice.paid_at is not None and abs((notice.paid_at - trade.paid_at).total_seconds()) < 1
    assert (trade.last_answer_status, trade.last_answer, trade.notices_sent) == (200, "success", 1)


@pytest.mark.parametrize("amount_fen", [1, 10, 99, 100, 999999, 100_000_000_00])
def test_amounts_round_trip_exactly(browser, amount_fen):
    _open(browser, amount_fen=amount_fen)
    simulator.pay("alipay", "2026120600000001")
    assert [n.amount_fen for n in urls.RECEIVED] == [amount_fen]


def _paid_notice(browser):
    _open(browser)
    trade = simulator.trade_paid(SimTrade.objects.get())
    headers, body = simulator.notice_for(trade)
    return headers, parse_form(body)


def test_a_notice_with_a_changed_amount_is_rejected(browser):
    headers, params = _paid_notice(browser)
    params["total_amount"] = "0.01"
    with pytest.raises(NoticeRejected) as caught:
        gateway("alipay").verify_notice(headers=headers, body=form_body(params))
    assert caught.value.reason == "signature"


def test_a_notice_signed_by_another_key_is_rejected(browser, stranger_key):
    headers, params = _paid_notice(browser)
    params["sign"] = signing.sign(stranger_key, alipay.notice_content(params).encode())
    with pytest.raises(NoticeRejected) as caught:
        gateway("alipay").verify_notice(headers=headers, body=form_body(params))
    assert caught.value.reason == "signature"


@pytest.mark.parametrize("body", [b"", b"a=1&a=2", b"\xff\xfe", b"sign_type=RSA2"])
def test_a_malformed_notice_is_rejected(body):
    with pytest.raises(NoticeRejected):
        gateway("alipay").verify_notice(headers={}, body=body)


def test_a_notice_for_another_app_is_rejected(browser, settings):
    headers, params = _paid_notice(browser)
    body = form_body(params)
    configure(settings, "alipay", app_id="2021000000009999")
    with pytest.raises(NoticeRejected) as caught:
        gateway("alipay").verify_notice(headers=headers, body=body)
    assert caught.value.reason == "app_id"


def test_the_return_address_carries_alipays_signed_result(browser):
    _open(browser)
    trade = simulator.pay("alipay", "2026120600000001")
    back = urlsplit(simulator.return_url_for(trade))
    params = dict(parse_qsl(back.query))
    assert back.path == "/payments/return/" and params["out_trade_no"] == "2026120600000001"
    assert signing.verify(
        gateway("alipay")._alipay_key(), alipay.notice_content(params).encode(), params["sign"]
    )


def test_refund_works_once_per_refund_number(browser):
    _open(browser)
    trade = simulator.pay("alipay", "2026120600000001")
    adapter = gateway("alipay")
    first = adapter.refund(out_trade_no="2026120600000001", refund_no="R1", amount_fen=12000, total_fen=12345)
    again = adapter.refund(out_trade_no="2026120600000001", refund_no="R1", amount_fen=12000, total_fen=12345)
    assert first.succeeded and again.succeeded and first.provider_refund_no == trade.provider_trade_no
    assert list(SimRefund.objects.values_list("refund_no", "amount_fen")) == [("R1", 12000)]


def test_a_refund_above_the_paid_amount_is_refused(browser):
    _open(browser)
    simulator.pay("alipay", "2026120600000001")
    adapter = gateway("alipay")
    assert adapter.refund(
        out_trade_no="2026120600000001", refund_no="R1", amount_fen=12000, total_fen=12345
    ).succeeded
    refused = adapter.refund(out_trade_no="2026120600000001", refund_no="R2", amount_fen=346, total_fen=12345)
    assert not refused.succeeded and refused.provider_refund_no == ""
    assert list(SimRefund.objects.values_list("refund_no", flat=True)) == ["R1"]


def test_a_refund_of_an_unpaid_trade_is_refused(browser):
    _open(browser)
    result = gateway("alipay").refund(
        out_trade_no="2026120600000001", refund_no="R1", amount_fen=1, total_fen=12345
    )
    assert not result.succeeded and not SimRefund.objects.exists()


def test_an_answer_signed_by_another_key_is_not_trusted(browser, settings, stranger_key):
    _open(browser)
    simulator.pay("alipay", "2026120600000001")
    configure(settings, "alipay", alipay_public_key=pem(stranger_key.public_key()))
    with pytest.raises(PaymentUnavailable):
        gateway("alipay").refund(
            out_trade_no="2026120600000001", refund_no="R1", amount_fen=1, total_fen=12345
        )


def test_the_ack_is_the_bare_word_success():
    assert gateway("alipay").notice_ack(ok=True) == (200, "text/plain; charset=utf-8", b"success")
    assert gateway("alipay").notice_ack(ok=False)[2] != b"success"
