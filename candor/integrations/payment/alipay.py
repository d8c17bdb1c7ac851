"""Alipay (支付宝开放平台), RSA2: 电脑网站支付 ``alipay.trade.page.pay``, its asynchronous
notification, and ``alipay.trade.refund``.

Signing, as Alipay publishes it ("自行实现签名"): take every request parameter except ``sign``
whose value is not empty, sort them by name, join them as ``name=value`` with ``&`` — values
raw, not URL-encoded — and sign that text with SHA256withRSA (PKCS#1 v1.5) under the app's
private key, base64. The documentation's own example (app_id 2014072300007148,
``alipay.mobile.public.menu.add``) reproduces its 待签名字符串 in the tests. A notification is
verified the same way over every parameter except ``sign`` and ``sign_type``, with Alipay's
public key; a synchronous answer is signed over the raw JSON text of ``<method>_response``.

The buyer's browser is sent to the gateway with the whole signed request in the query string
(the GET form of page pay), so Candor needs no page of its own to post a form. Times are
Beijing time (``yyyy-MM-dd HH:mm:ss``), amounts yuan with two decimals (``money``).

Why not ``python-alipay-sdk``: it calls the gateway with ``urllib.request.urlopen``, so the
in-process transport (``transport.session_for``) cannot be mounted and the simulator could not
verify the bytes that go on the wire; it would bring a second cryptography stack
(pycryptodomex and pyOpenSSL) beside ``cryptography``; and it stamps requests with the server's
naive local time, which is not Beijing time on a UTC server. The protocol is small enough to
state here in full.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import requests
from django.conf import settings

from candor.integrations.payment import config, money, signing
from candor.integrations.payment.base import (
    TIMEOUT,
    NoticeRejected,
    PaymentGateway,
    PaymentUnavailable,
    PayNotice,
    PayOrder,
    PayStart,
    RefundResult,
    browser_url,
)
from candor.integrations.payment.wire import BEIJING, Malformed, compact_json, form_body, parse_form
from candor.integrations.sms.transport import session_for

logger = logging.getLogger(__name__)
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
PAID = {"TRADE_SUCCESS", "TRADE_FINISHED"}
SUCCESS_CODE = "10000"
BUSINESS_FAILED = "40004"  # Alipay refused the request itself (ACQ.*), not Candor's credentials


def beijing_now() -> str:
    return datetime.now(BEIJING).strftime(TIME_FORMAT)


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=BEIJING)


def content(
    params: Mapping[str, str], *, exclude: tuple[str, ...] = ("sign",), skip_empty: bool = True
) -> str:
    """The text that is signed: sorted ``name=value`` pairs joined by ``&``."""
    return "&".join(
        f"{name}={value}"
        for name, value in sorted(params.items())
        if name not in exclude and (value != "" or not skip_empty)
    )


def request_content(params: Mapping[str, str]) -> str:
    return content(params)


def notice_content(params: Mapping[str, str]) -> str:
    # Alipay's own verifier (getSignCheckContentV1) keeps empty values and drops sign_type too.
    return content(params, exclude=("sign", "sign_type"), skip_empty=False)


def response_content(text: str, key: str) -> str | None:
    """The raw JSON text of ``key`` in a synchronous answer — what its ``sign`` covers, which
    re-serializing the parsed value would not reproduce byte for byte."""
    start = text.find(f'"{key}"')
    if start < 0:
        return None
    start = text.find(":", start + len(key) + 2) + 1
    while text[start : start + 1].isspace():
        start += 1
    try:
        _value, end = json.JSONDecoder().raw_decode(text, start)
    except ValueError:
        return None
    return text[start:end]


class Alipay(PaymentGateway):
    name = "alipay"

    def __init__(self) -> None:
        self.config: Mapping[str, str] = settings.CANDOR_PAYMENT["alipay"]
        self.gateway: str = self.config["gateway"]
        self.app_id: str = self.config["app_id"]

    def request_params(self, method: str, biz_content: Mapping[str, Any], **extra: str) -> dict[str, str]:
        """Every parameter of a request, ``sign`` included."""
        unsigned = {
            "app_id": self.app_id,
            "method": method,
            "format": "JSON",
            "charset": "utf-8",
            "sign_type": "RSA2",
            "timestamp": beijing_now(),
            "version": "1.0",
            "biz_content": compact_json(dict(biz_content)),
            **extra,
        }
        signature = signing.sign(config.merchant_key("alipay"), request_content(unsigned).encode())
        return {**unsigned, "sign": signature}

    def _alipay_key(self) -> Any:
        return config.public_key(self.config["alipay_public_key"], laptop="alipay_institution")

    def start(self, order: PayOrder, *, notify_url: str, return_url: str) -> PayStart:
        params = self.request_params(
            "alipay.trade.page.pay",
            {
                "out_trade_no": order.out_trade_no,
                "total_amount": money.yuan(order.amount_fen),
                "subject": order.subject,
                "product_code": "FAST_INSTANT_TRADE_PAY",
            },
            notify_url=notify_url,
            return_url=return_url,
        )
        return PayStart(
            url=f"{browser_url(self.gateway)}?{form_body(params).decode()}", method="GET", fields={}
        )

    def verify_notice(self, *, headers: Mapping[str, str], body: bytes) -> PayNotice:
        try:
            params = parse_form(body)
        except Malformed as exc:
            raise NoticeRejected("malformed") from exc
        if params.get("sign_type") != "RSA2" or not params.get("sign"):
            raise NoticeRejected("unsigned")
        if not signing.verify(self._alipay_key(), notice_content(params).encode(), params["sign"]):
            raise NoticeRejected("signature")
        # Alipay's checklist after the signature: the notice must be for this app.
        if params.get("app_id") != self.app_id:
            raise NoticeRejected("app_id")
        try:
            amount = money.fen(params["total_amount"])
            paid_at = parse_time(params["gmt_payment"]) if params.get("gmt_payment") else None
            status = params["trade_status"]
            notice = PayNotice(
                out_trade_no=params["out_trade_no"],
                amount_fen=amount,
                provider_trade_no=params["trade_no"],
                # A trade closed by a full refund was paid before it closed; one closed unpaid
                # has no gmt_payment. Both kinds of notice report the same trade.
                paid=status in PAID or (status == "TRADE_CLOSED" and paid_at is not None),
                notice_id=params["notify_id"],
                paid_at=paid_at,
            )
        except (KeyError, ValueError) as exc:
            raise NoticeRejected("malformed") from exc
        return notice

    def notice_ack(self, *, ok: bool) -> tuple[int, str, bytes]:
        # Anything but the bare word "success" makes Alipay send the notice again later.
        return (
            (200, "text/plain; charset=utf-8", b"success")
            if ok
            else (400, "text/plain; charset=utf-8", b"fail")
        )

    def refund(
        self,
        *,
        out_trade_no: str,
        refund_no: str,
        amount_fen: int,
        total_fen: int,
        provider_trade_no: str = "",
    ) -> RefundResult:
        biz: dict[str, str] = {
            "out_trade_no": out_trade_no,
            "refund_amount": money.yuan(amount_fen),
            "out_request_no": refund_no,  # makes a repeated call the same refund, not a second
        }
        if provider_trade_no:
            biz["trade_no"] = provider_trade_no
        answer = self._call(self.request_params("alipay.trade.refund", biz), "alipay_trade_refund_response")
        if answer.get("code") == SUCCESS_CODE:
            # Alipay names a refund by its trade and out_request_no; it has no refund number.
            return RefundResult(refund_no=refund_no, provider_refund_no=str(answer.get("trade_no", "")),
                                succeeded=True)  # fmt: skip
        logger.warning("alipay refund refused: %s", answer.get("sub_code"))
        return RefundResult(refund_no=refund_no, provider_refund_no="", succeeded=False)

    def _call(self, params: Mapping[str, str], key: str) -> dict[str, Any]:
        """POST a request; the verified ``key`` object of the answer. Raises
        ``PaymentUnavailable`` unless Alipay did the work or refused it on its merits."""
        try:
            with session_for(self.gateway) as session:
                response = session.post(
                    f"{self.gateway}?charset=utf-8",
                    data=form_body(params),
                    headers={"Content-Type": "application/x-www-form-urlencoded;charset=utf-8"},
                    timeout=TIMEOUT,
                )
            text = response.content.decode("utf-8")
            raw = response_content(text, key)
            answer = json.loads(raw) if raw is not None else None
            signature = json.loads(text).get("sign") if raw is not None else None
        except (requests.RequestException, UnicodeDecodeError, ValueError, AttributeError) as exc:
            logger.warning("alipay: %s", type(exc).__name__)
            raise PaymentUnavailable(type(exc).__name__) from exc
        if not isinstance(answer, dict):
            raise PaymentUnavailable("no answer")
        if signature is None:
            # Alipay leaves errors about the request's own signature or app unsigned.
            if answer.get("code") in (SUCCESS_CODE, BUSINESS_FAILED):
                raise PaymentUnavailable("unsigned answer")
        elif raw is None or not signing.verify(self._alipay_key(), raw.encode(), signature):
            raise PaymentUnavailable("answer signature")
        if answer.get("code") not in (SUCCESS_CODE, BUSINESS_FAILED):
            logger.warning("alipay: %s %s", answer.get("code"), answer.get("sub_code"))
            raise PaymentUnavailable(str(answer.get("sub_code") or answer.get("code")))
        return answer
