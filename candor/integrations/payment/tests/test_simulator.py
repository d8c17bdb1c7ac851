"""The simulator's pay page as a buyer uses it, its replays, and the amounts' conversions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from candor.integrations.payment import money, simulator
from candor.integrations.payment.base import browser_url, gateway
from candor.integrations.payment.models import SimTrade
from candor.integrations.payment.tests import urls
from candor.integrations.payment.tests.conftest import RETURN_URL, notify_url, order
from candor.integrations.payment.wire import form_body


def _open(browser, provider: str, amount_fen: int = 12345) -> SimTrade:
    start = gateway(provider).start(
        order(amount_fen=amount_fen), notify_url=notify_url(provider), return_url=RETURN_URL
    )
    if start.method == "GET":
        answer = browser.get(start.url)
    else:
        answer = browser.post(
            start.url, data=form_body(start.fields), content_type="application/x-www-form-urlencoded"
        )
    # WeChat Pay's start is its scanned code's page itself; the others lead there by a redirect.
    assert answer.status_code == (200 if start.qr else 302)
    return SimTrade.objects.get(provider=provider)


@pytest.mark.parametrize("provider", ["alipay", "wechatpay", "unionpay"])
def test_the_buyer_pays_on_the_page_and_returns_to_the_merchant(browser, provider):
    trade = _open(browser, provider)
    page = browser.get(f"/_sim/pay/trade/{trade.token}/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="sim-pay"' in html and 'id="sim-cancel"' in html
    assert "¥123.45" in html and "Candor 订单 2026120600000001" in html and "2026120600000001" in html
    assert urls.RECEIVED == []

    paid = browser.post(f"/_sim/pay/trade/{trade.token}/", {"action": "pay"})
    # A scanned WeChat Pay code has no return address: the page stays, as the phone does.
    back = f"/_sim/pay/trade/{trade.token}/" if provider == "wechatpay" else RETURN_URL
    assert paid.status_code == 302 and paid["Location"].startswith(back)
    trade.refresh_from_db()
    assert trade.status == SimTrade.Status.PAID and trade.notices_sent == 1
    assert [(n.out_trade_no, n.amount_fen, n.paid) for n in urls.RECEIVED] == [
        ("2026120600000001", 12345, True)
    ]
    after = browser.get(f"/_sim/pay/trade/{trade.token}/").content.decode()
    assert (
        'id="sim-resend"' in after and 'id="sim-pay"' not in after and str(trade.last_answer_status) in after
    )


def test_cancel_returns_unpaid_and_notifies_no_one(browser):
    trade = _open(browser, "alipay")
    answer = browser.post(f"/_sim/pay/trade/{trade.token}/", {"action": "cancel"})
    assert answer.status_code == 302 and answer["Location"] == RETURN_URL
    trade.refresh_from_db()
    assert trade.status == SimTrade.Status.WAITING and trade.notices_sent == 0 and urls.RECEIVED == []


@pytest.mark.parametrize("provider", ["alipay", "wechatpay", "unionpay"])
def test_resend_replays_the_same_notification(browser, provider):
    trade = _open(browser, provider)
    browser.post(f"/_sim/pay/trade/{trade.token}/", {"action": "pay"})
    browser.post(f"/_sim/pay/trade/{trade.token}/", {"action": "resend"})
    browser.post(f"/_sim/pay/trade/{trade.token}/", {"action": "pay"})  # paying again changes nothing
    trade.refresh_from_db()
    assert trade.notices_sent == 3
    assert len({n.notice_id for n in urls.RECEIVED}) == 1 and len(urls.RECEIVED) == 3
    assert {n.provider_trade_no for n in urls.RECEIVED} == {trade.provider_trade_no}


def test_a_replayed_notice_verifies_again_so_the_merchant_must_be_idempotent(browser):
    trade = simulator.pay("wechatpay", _open(browser, "wechatpay").out_trade_no)
    headers, body = simulator.notice_for(trade)
    first = gateway("wechatpay").verify_notice(headers=headers, body=body)
    again = gateway("wechatpay").verify_notice(headers=headers, body=body)
    assert first == again


def test_resend_before_payment_sends_nothing(browser):
    trade = _open(browser, "unionpay")
    browser.post(f"/_sim/pay/trade/{trade.token}/", {"action": "resend"})
    trade.refresh_from_db()
    assert trade.notices_sent == 0 and urls.RECEIVED == []
    with pytest.raises(ValueError):
        simulator.notice_for(trade)


def test_an_unreachable_merchant_is_recorded(browser):
    trade = _open(browser, "alipay")
    SimTrade.objects.filter(pk=trade.pk).update(notify_url="inprocess://localhost/nowhere/")
    trade = simulator.pay("alipay", trade.out_trade_no)
    assert trade.status == SimTrade.Status.PAID and trade.last_answer_status == 404 and urls.RECEIVED == []


def test_a_paid_trade_cannot_be_started_again_nor_with_another_amount(browser):
    trade = _open(browser, "alipay")
    start = gateway("alipay").start(
        order(amount_fen=1), notify_url=notify_url("alipay"), return_url=RETURN_URL
    )
    assert b"ACQ.CONTEXT_INCONSISTENT" in browser.get(start.url).content
    simulator.pay("alipay", trade.out_trade_no)
    start = gateway("alipay").start(order(), notify_url=notify_url("alipay"), return_url=RETURN_URL)
    assert b"ACQ.TRADE_HAS_SUCCESS" in browser.get(start.url).content
    assert SimTrade.objects.get().amount_fen == 12345


def test_an_unknown_page_is_404(browser):
    assert browser.get("/_sim/pay/trade/nope/").status_code == 404


def test_the_browser_gets_a_relative_url_for_the_in_process_simulator_only():
    assert (
        browser_url("inprocess://localhost/_sim/pay/alipay/gateway.do?a=1")
        == "/_sim/pay/alipay/gateway.do?a=1"
    )
    assert browser_url("https://openapi.alipay.com/gateway.do") == "https://openapi.alipay.com/gateway.do"


@pytest.mark.parametrize(("fen", "yuan"), [(1, "0.01"), (10, "0.10"), (100, "1.00"), (999999, "9999.99")])
def test_fen_and_yuan(fen, yuan):
    assert money.yuan(fen) == yuan and money.fen(yuan) == fen


@pytest.mark.parametrize(
    "text", ["", "1.", ".5", "0.001", "-1", "1e2", "01.00", "1,00", " 1", "１.００", "NaN"]
)
def test_what_is_not_an_amount_is_refused(text):
    with pytest.raises(ValueError):
        money.fen(text)


@given(st.integers(min_value=0, max_value=10**14))
def test_every_amount_round_trips(fen):
    assert money.fen(money.yuan(fen)) == fen
