"""UnionPay online gateway (银联全渠道 在线网关支付), version 5.1.0, ``signMethod=01``.

Payment is a front transaction: the buyer's browser posts the signed form (``txnType=01``,
``bizType=000201``) to ``frontTransReq.do``, pays on UnionPay's pages and comes back to
``frontUrl``; UnionPay posts the outcome to ``backUrl`` (the back notification), which the
merchant answers with HTTP 200. A refund (``txnType=04``) is a back transaction posted to
``backTransReq.do`` that names the payment by UnionPay's own ``queryId`` (``origQryId``); its
outcome is also posted to the refund's ``backUrl`` (``RefundNotice``).
Amounts (``txnAmt``) are already fen.

Signing, version 5.1.0 as the UnionPay SDKs do it: sort every field except ``signature`` by
name, join as ``name=value`` with ``&`` (values raw), take the SHA-256 of that text as lowercase
hex, and sign *that hex string* with SHA256withRSA under the merchant's signing key, base64;
``certId`` is the signing certificate's serial number in decimal. UnionPay signs its answers
and notifications the same way and sends its signing certificate along (``signPubKeyCert``).
Verifying means: the certificate was issued by UnionPay's middle certificate, which its root
certificate issued (both configured), it is valid today, and its subject's CN names UnionPay
in the third ``@`` field ("中国银联股份有限公司"; UnionPay's test environment says
"00040000:SIGN") — then the signature, with the certificate's key.

UnionPay answers a back transaction as ``name=value&…`` with raw values; a value may be a
``{…}`` group holding ``&`` itself, which the parser keeps whole.

UnionPay publishes no example signature that can be reproduced: its test signing key ships
only inside the SDK's binary PKCS#12 file. The tests check the construction instead.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import requests
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from cryptography.x509.oid import NameOID
from django.conf import settings

from candor.integrations.payment import config, signing
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
from candor.integrations.payment.wire import BEIJING, Malformed, form_body, parse_form
from candor.integrations.sms.transport import session_for

logger = logging.getLogger(__name__)
VERSION = "5.1.0"
PAID = {"00", "A6"}  # A6: succeeded with a defect (有缺陷的成功), still paid
REFUSED = {"01", "12", "30", "31", "32", "33", "34", "35", "36", "38", "39"}  # on the merits


def sign_content(params: Mapping[str, str]) -> str:
    return "&".join(f"{name}={value}" for name, value in sorted(params.items()) if name != "signature")


def digest(params: Mapping[str, str]) -> bytes:
    """What is signed: the SHA-256 of the content, as lowercase hex text."""
    return hashlib.sha256(sign_content(params).encode()).hexdigest().encode()


def sign(params: Mapping[str, str], key: RSAPrivateKey) -> str:
    return signing.sign(key, digest(params))


def txn_time() -> str:
    return datetime.now(BEIJING).strftime("%Y%m%d%H%M%S")


def parse_answer(text: str) -> dict[str, str]:
    """``name=value&…`` with raw values, ``{…}`` groups kept whole."""
    params: dict[str, str] = {}
    depth, start = 0, 0
    for index, char in enumerate(text + "&"):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == "&" and depth == 0:
            pair = text[start:index]
            start = index + 1
            if not pair:
                continue
            name, sep, value = pair.partition("=")
            if not sep or name in params:
                raise Malformed("bad field")
            params[name] = value
    return params


def format_answer(params: Mapping[str, str]) -> str:
    return "&".join(f"{name}={value}" for name, value in params.items())


def unionpay_certificate(pem: str) -> x509.Certificate | None:
    """UnionPay's signing certificate from a message, if UnionPay's chain vouches for it."""
    try:
        certificate = x509.load_pem_x509_certificate(pem.encode())
    except ValueError:
        return None
    root, middle = config.unionpay_chain()
    try:
        certificate.verify_directly_issued_by(middle)
        middle.verify_directly_issued_by(root)
    except (ValueError, TypeError, InvalidSignature):
        return None
    now = datetime.now(UTC)
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        return None
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    fields = str(names[0].value).split("@") if names else []
    if len(fields) < 3 or fields[2] != settings.CANDOR_PAYMENT["unionpay"]["sign_cert_cn"]:
        return None
    return certificate


def verify_from_unionpay(params: Mapping[str, str]) -> str | None:
    """Why ``params`` (an answer or a notification) is not to be trusted, or None."""
    if params.get("version") != VERSION or params.get("signMethod") != "01":
        return "version"
    certificate = unionpay_certificate(params.get("signPubKeyCert", ""))
    if certificate is None:
        return "certificate"
    key = certificate.public_key()
    if not isinstance(key, RSAPublicKey) or not signing.verify(
        key, digest(params), params.get("signature", "")
    ):
        return "signature"
    return None


@dataclass(frozen=True)
class RefundNotice(PayNotice):
    """UnionPay's notification of a refund (``txnType=04``): ``out_trade_no`` is the refund
    number Candor sent as ``orderId``, ``paid`` whether the money went back."""


class UnionPay(PaymentGateway):
    name = "unionpay"

    def __init__(self) -> None:
        self.config: Mapping[str, str] = settings.CANDOR_PAYMENT["unionpay"]

    def signed(self, fields: Mapping[str, str]) -> dict[str, str]:
        unsigned = {
            "version": VERSION,
            "encoding": "UTF-8",
            "signMethod": "01",
            "accessType": "0",
            "merId": self.config["mer_id"],
            "certId": self.config["cert_id"],
            "txnTime": txn_time(),
            **fields,
        }
        return {**unsigned, "signature": sign(unsigned, config.merchant_key("unionpay"))}

    def start(self, order: PayOrder, *, notify_url: str, return_url: str) -> PayStart:
        fields = self.signed({
            "txnType": "01",
            "txnSubType": "01",
            "bizType": "000201",
            "channelType": "07",
            "orderId": order.out_trade_no,
            "txnAmt": str(order.amount_fen),
            "currencyCode": "156",
            "frontUrl": return_url,
            "backUrl": notify_url,
            # The subject travels in the risk information UnionPay shows as the goods' name.
            "riskRateInfo": f"{{commodityName={order.subject}}}",
        })  # fmt: skip
        return PayStart(url=browser_url(self.config["front_url"]), method="POST", fields=fields)

    def verify_notice(self, *, headers: Mapping[str, str], body: bytes) -> PayNotice:
        try:
            params = parse_form(body)
        except Malformed as exc:
            raise NoticeRejected("malformed") from exc
        refused = verify_from_unionpay(params)
        if refused:
            raise NoticeRejected(refused)
        if params.get("merId") != self.config["mer_id"]:
            raise NoticeRejected("merId")
        if params.get("txnType") not in ("01", "04"):
            raise NoticeRejected("not a payment or refund notice")
        amount = params.get("txnAmt", "")
        if (
            not (amount.isascii() and amount.isdigit())
            or not params.get("orderId")
            or not params.get("queryId")
        ):
            raise NoticeRejected("malformed")
        if params["txnType"] == "04":
            # A refund's back notification (to the refund's backUrl, which is this endpoint):
            # its orderId is Candor's refund number, its queryId the refund's own.
            return RefundNotice(
                out_trade_no=params["orderId"], amount_fen=int(amount), provider_trade_no=params["queryId"],
                paid=params.get("respCode") == "00", notice_id=params["queryId"], paid_at=None,
            )  # fmt: skip
        return PayNotice(
            out_trade_no=params["orderId"],
            amount_fen=int(amount),
            provider_trade_no=params["queryId"],
            paid=params.get("respCode") in PAID,
            notice_id=params["queryId"],  # one notice per transaction; repeats carry the same
            paid_at=None,  # the notice's traceTime has no year; txnTime is when Candor asked
        )

    def notice_ack(self, *, ok: bool) -> tuple[int, str, bytes]:
        # UnionPay counts HTTP 200 (or 302) as received, any other status as "send again".
        return (200, "text/plain", b"ok") if ok else (400, "text/plain", b"fail")

    def refund(
        self,
        *,
        out_trade_no: str,
        refund_no: str,
        amount_fen: int,
        total_fen: int,
        provider_trade_no: str = "",
    ) -> RefundResult:
        if not provider_trade_no:
            raise ValueError("a UnionPay refund names the payment by its queryId: pass provider_trade_no")
        base = settings.CANDOR_PUBLIC_BASE_URL.rstrip("/")
        fields = self.signed({
            "txnType": "04",
            "txnSubType": "00",
            "bizType": "000201",
            "channelType": "07",
            "orderId": refund_no,
            "origQryId": provider_trade_no,
            "txnAmt": str(amount_fen),
            "currencyCode": "156",
            "backUrl": self.config["refund_back_url"] or f"{base}/payments/notify/unionpay/",
        })  # fmt: skip
        url = self.config["back_url"]
        try:
            with session_for(url) as session:
                response = session.post(url, data=form_body(fields), timeout=TIMEOUT, headers={
                    "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"})  # fmt: skip
            answer = parse_answer(response.content.decode("utf-8"))
        except (requests.RequestException, UnicodeDecodeError, Malformed) as exc:
            logger.warning("unionpay: %s", type(exc).__name__)
            raise PaymentUnavailable(type(exc).__name__) from exc
        refused = verify_from_unionpay(answer)
        if refused:
            raise PaymentUnavailable(f"answer {refused}")
        code = answer.get("respCode", "")
        if code == "00":
            return RefundResult(
                refund_no=refund_no, provider_refund_no=answer.get("queryId", ""), succeeded=True
            )
        if code in REFUSED:
            logger.warning("unionpay refund refused: %s", code)
            return RefundResult(refund_no=refund_no, provider_refund_no="", succeeded=False)
        raise PaymentUnavailable(code)
