"""The simulated institutions' side: open trades, take payment, notify, refund.

The simulator's HTTP endpoints (``sim_alipay``, ``sim_wechatpay``, ``sim_unionpay``) and its pay
page (``views``) call these functions, and so may tests and the demo:

- ``pay(provider, out_trade_no)`` is the buyer pressing "Pay": the trade is marked paid and the
  notification is sent to the merchant's ``notify_url`` in the institution's own format, signed
  (and for WeChat Pay encrypted) with the institution's key, and the merchant's answer recorded.
- ``notice_for(trade)`` is that notification as headers and body bytes, correctly signed, to
  replay or to tamper with; ``send_notice(trade)`` sends it again (an institution's retry).

A notification goes through ``transport.session_for``, so an ``inprocess://`` notify address is
served by this very process and an ``http://`` one goes over the network.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime
from urllib.parse import urlencode, urlsplit, urlunsplit

import requests
from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candor.integrations.payment import alipay, config, money, signing, unionpay, wechatpay
from candor.integrations.payment.base import TIMEOUT
from candor.integrations.payment.models import SimRefund, SimTrade
from candor.integrations.payment.wire import BEIJING, compact_json, form_body
from candor.integrations.sms.transport import session_for

logger = logging.getLogger(__name__)
ALIPAY_SELLER_ID = "2088000000000001"  # the simulated merchant's Alipay account (PID)


class Refused(Exception):
    """The institution refuses on the merits: ``code`` is one of ``paid``, ``inconsistent``,
    ``not_paid``, ``exceeds``, ``invalid``, ``unknown``; each view says it in its own words."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _digits(count: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(count))


def _number(provider: str) -> str:
    """A trade or refund number in the institution's own shape."""
    today = timezone.now().astimezone(BEIJING)
    if provider == SimTrade.Provider.ALIPAY:
        return f"{today:%Y%m%d}22001{_digits(15)}"  # 28 characters, like 2024061822001408451426589211
    if provider == SimTrade.Provider.WECHATPAY:
        return f"4200{_digits(4)}{today:%Y%m%d}{_digits(12)}"
    return f"{today:%y%m%d%H%M%S}{_digits(9)}"  # UnionPay's 21-digit queryId


def trade_open(
    *, provider: str, out_trade_no: str, amount_fen: int, subject: str, notify_url: str, return_url: str = "",
    details: dict[str, str] | None = None,
) -> SimTrade:  # fmt: skip
    """The trade the merchant asks to be paid: a new one, or the same unpaid one again."""
    if len(out_trade_no) > 64 or len(subject) > 256 or max(len(notify_url), len(return_url)) > 1024:
        raise Refused("invalid")
    with transaction.atomic():
        trade = (
            SimTrade.objects.select_for_update().filter(provider=provider, out_trade_no=out_trade_no).first()
        )
        if trade is None:
            return SimTrade.objects.create(
                provider=provider, out_trade_no=out_trade_no, amount_fen=amount_fen, subject=subject,
                provider_trade_no=_number(provider), notify_url=notify_url, return_url=return_url,
                details=details or {},
            )  # fmt: skip
        if trade.status == SimTrade.Status.PAID:
            raise Refused("paid")
        if trade.amount_fen != amount_fen:
            raise Refused("inconsistent")
        trade.subject, trade.notify_url, trade.return_url = subject, notify_url, return_url
        trade.details = {**trade.details, **(details or {})}
        trade.save(update_fields=["subject", "notify_url", "return_url", "details"])
        return trade


@transaction.atomic
def trade_paid(trade: SimTrade) -> SimTrade:
    """Mark ``trade`` paid (once: paying again changes nothing)."""
    trade = SimTrade.objects.select_for_update().get(pk=trade.pk)
    if trade.status != SimTrade.Status.PAID:
        trade.status = SimTrade.Status.PAID
        trade.paid_at = timezone.now()
        trade.notice_id = {
            SimTrade.Provider.ALIPAY: lambda: f"2{_digits(33)}",
            SimTrade.Provider.WECHATPAY: lambda: f"EV-{_digits(19)}",
            SimTrade.Provider.UNIONPAY: lambda: trade.provider_trade_no,
        }[SimTrade.Provider(trade.provider)]()
        trade.save(update_fields=["status", "paid_at", "notice_id"])
    return trade


def pay(provider: str, out_trade_no: str) -> SimTrade:
    """As if the buyer pressed "Pay": the trade is paid and the merchant notified."""
    trade = SimTrade.objects.get(provider=provider, out_trade_no=out_trade_no)
    return send_notice(trade_paid(trade))


def send_notice(trade: SimTrade) -> SimTrade:
    """Send ``trade``'s notification to its notify address and record what the merchant said."""
    headers, body = notice_for(trade)
    try:
        with session_for(trade.notify_url) as session:
            response = session.post(trade.notify_url, data=body, headers=headers, timeout=TIMEOUT)
        status, answer = response.status_code, response.content.decode("utf-8", "replace")
    except requests.RequestException as exc:
        logger.warning("payment simulator: notify failed: %s", type(exc).__name__)
        status, answer = None, type(exc).__name__
    trade.notices_sent += 1
    trade.last_answer_status, trade.last_answer = status, answer[:2000]
    trade.save(update_fields=["notices_sent", "last_answer_status", "last_answer"])
    return trade


def notice_for(trade: SimTrade) -> tuple[dict[str, str], bytes]:
    """The notification the institution sends for ``trade`` (paid), signed as it signs."""
    if trade.status != SimTrade.Status.PAID or trade.paid_at is None:
        raise ValueError("only a paid trade is notified")
    builder = {
        SimTrade.Provider.ALIPAY: _alipay_notice,
        SimTrade.Provider.WECHATPAY: _wechatpay_notice,
        SimTrade.Provider.UNIONPAY: _unionpay_notice,
    }[SimTrade.Provider(trade.provider)]
    return builder(trade, trade.paid_at)


def _alipay_time(moment: datetime) -> str:
    return moment.astimezone(BEIJING).strftime(alipay.TIME_FORMAT)


def _alipay_signed(params: dict[str, str]) -> dict[str, str]:
    signature = signing.sign(config.institution_key("alipay"), alipay.notice_content(params).encode())
    return {**params, "sign": signature}


def _alipay_notice(trade: SimTrade, paid_at: datetime) -> tuple[dict[str, str], bytes]:
    amount = money.yuan(trade.amount_fen)
    app_id = trade.details.get("app_id", "")
    params = _alipay_signed({
        "notify_time": _alipay_time(timezone.now()), "notify_type": "trade_status_sync",
        "notify_id": trade.notice_id, "charset": "utf-8", "version": "1.0", "sign_type": "RSA2",
        "app_id": app_id, "auth_app_id": app_id, "trade_no": trade.provider_trade_no,
        "out_trade_no": trade.out_trade_no, "trade_status": "TRADE_SUCCESS", "subject": trade.subject,
        "total_amount": amount, "receipt_amount": amount, "invoice_amount": amount,
        "buyer_pay_amount": amount, "point_amount": "0.00",
        "gmt_create": _alipay_time(trade.created_at), "gmt_payment": _alipay_time(paid_at),
        "seller_id": ALIPAY_SELLER_ID, "buyer_id": "2088000000000002",
        "fund_bill_list": compact_json([{"amount": amount, "fundChannel": "ALIPAYACCOUNT"}]),
    })  # fmt: skip
    return {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}, form_body(params)


def _wechatpay_notice(trade: SimTrade, paid_at: datetime) -> tuple[dict[str, str], bytes]:
    wechat = settings.CANDOR_PAYMENT["wechatpay"]
    plain = compact_json({
        "mchid": trade.details.get("mchid", ""), "appid": trade.details.get("appid", ""),
        "out_trade_no": trade.out_trade_no, "transaction_id": trade.provider_trade_no,
        "trade_type": "NATIVE", "trade_state": "SUCCESS", "trade_state_desc": "支付成功",
        "bank_type": "OTHERS", "attach": "", "success_time": paid_at.astimezone(BEIJING).isoformat(),
        "payer": {"openid": "oSimulatedBuyer000000000000000"},
        "amount": {"total": trade.amount_fen, "payer_total": trade.amount_fen,
                   "currency": "CNY", "payer_currency": "CNY"},
    })  # fmt: skip
    resource = wechatpay.encrypt_resource(
        config.wechatpay_apiv3_key(), plain.encode(), associated_data="transaction",
        nonce_str=secrets.token_urlsafe(9)[:12],
    )  # fmt: skip
    created = timezone.now().astimezone(BEIJING).isoformat(timespec="seconds")
    body = compact_json({
        "id": trade.notice_id, "create_time": created,
        "resource_type": "encrypt-resource", "event_type": "TRANSACTION.SUCCESS", "summary": "支付成功",
        "resource": {"original_type": "transaction", **resource},
    }).encode()  # fmt: skip
    headers = wechatpay.signed_headers(config.institution_key("wechatpay"), wechat["public_key_id"], body)
    return {"Content-Type": "application/json", **headers}, body


def unionpay_signed(params: dict[str, str]) -> dict[str, str]:
    """``params`` signed by the simulated UnionPay, its certificate attached."""
    certificate = config.unionpay_sign_certificate()
    params = {
        **params,
        "certId": str(certificate.serial_number),
        "signPubKeyCert": certificate.public_bytes(Encoding.PEM).decode().strip(),
    }
    return {**params, "signature": unionpay.sign(params, config.institution_key("unionpay"))}


def _unionpay_notice(trade: SimTrade, paid_at: datetime) -> tuple[dict[str, str], bytes]:
    moment = paid_at.astimezone(BEIJING)
    params = unionpay_signed({
        "version": unionpay.VERSION, "encoding": "UTF-8", "signMethod": "01", "txnType": "01",
        "txnSubType": "01", "bizType": "000201", "accessType": "0",
        "merId": trade.details.get("merId", ""), "orderId": trade.out_trade_no,
        "txnTime": trade.details.get("txnTime", ""), "txnAmt": str(trade.amount_fen), "currencyCode": "156",
        "queryId": trade.provider_trade_no, "respCode": "00", "respMsg": "成功[0000000]",
        "settleAmt": str(trade.amount_fen), "settleCurrencyCode": "156", "settleDate": f"{moment:%m%d}",
        "traceNo": trade.provider_trade_no[-6:], "traceTime": f"{moment:%m%d%H%M%S}",
    })  # fmt: skip
    return {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}, form_body(params)


def return_url_for(trade: SimTrade) -> str:
    """Where the buyer's browser goes after paying. Alipay appends its signed synchronous
    result; UnionPay really posts its result to ``frontUrl`` from an auto-submitted form, which
    the simulator replaces by a plain redirect (Candor trusts only the back notification)."""
    if trade.provider != SimTrade.Provider.ALIPAY or trade.status != SimTrade.Status.PAID:
        return trade.return_url
    app_id = trade.details.get("app_id", "")
    params = _alipay_signed({
        "charset": "utf-8", "out_trade_no": trade.out_trade_no, "method": "alipay.trade.page.pay.return",
        "total_amount": money.yuan(trade.amount_fen), "trade_no": trade.provider_trade_no,
        "auth_app_id": app_id, "version": "1.0", "app_id": app_id, "sign_type": "RSA2",
        "seller_id": ALIPAY_SELLER_ID, "timestamp": _alipay_time(timezone.now()),
    })  # fmt: skip
    parts = urlsplit(trade.return_url)
    query = "&".join(q for q in (parts.query, urlencode(params)) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


@transaction.atomic
def refund(trade: SimTrade, *, refund_no: str, amount_fen: int) -> tuple[SimRefund, bool]:
    """Refund ``amount_fen`` of ``trade`` under the merchant's ``refund_no``: (the refund,
    whether it is new). The same ``refund_no`` again is the same refund, as at every
    institution; more than is left of the payment is refused."""
    trade = SimTrade.objects.select_for_update().get(pk=trade.pk)
    existing = trade.refunds.filter(refund_no=refund_no).first()
    if existing is not None:
        return existing, False
    if trade.status != SimTrade.Status.PAID:
        raise Refused("not_paid")
    if amount_fen <= 0 or not 1 <= len(refund_no) <= 64:
        raise Refused("invalid")
    if amount_fen > trade.amount_fen - trade.refunded_fen:
        raise Refused("exceeds")
    created = SimRefund.objects.create(
        trade=trade, refund_no=refund_no, amount_fen=amount_fen, provider_refund_no=_number(trade.provider)
    )
    return created, True
