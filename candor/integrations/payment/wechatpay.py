"""WeChat Pay API v3 (直连商户): Native payment, its notification, and domestic refunds.

Requests are signed ``WECHATPAY2-SHA256-RSA2048``: the text ``METHOD\\nPATH?QUERY\\nTIMESTAMP\\n
NONCE\\nBODY\\n`` signed with SHA256withRSA under the merchant's API key, sent as
``Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",timestamp="…",
serial_no="…"`` (the serial number of the merchant's API certificate). The documentation's JSAPI
example, signed with its published test key, reproduces in the tests. Answers and notifications
are signed by WeChat Pay over ``TIMESTAMP\\nNONCE\\nBODY\\n`` (headers ``Wechatpay-Timestamp``,
``-Nonce``, ``-Signature``, ``-Serial``) and verified with the WeChat Pay public key the merchant
downloads with its id (``PUB_KEY_ID_…``) — the public-key mode WeChat Pay gives merchants now;
the older rotating platform certificates are not supported. A timestamp more than five minutes
off is refused, as WeChat Pay advises against replays; its probe notifications, deliberately
signed wrong (``WECHATPAY/SIGNTEST/…``), fail like any bad signature.

A notification's ``resource`` is encrypted AEAD_AES_256_GCM under the merchant's 32-character
APIv3 key with the given ``nonce`` and ``associated_data``; ``ciphertext`` is base64 of the
ciphertext followed by the 16-byte tag, so a changed byte fails the tag check.

Why Native (``POST /v3/pay/transactions/native``) and not H5: H5 payment requires the buyer's
network address (``scene_info.payer_client_ip``), which is personal data outside what the
payment institution is declared to receive (the purchase number, the amount and a subject
naming no one, C000-08). Native takes exactly those — appid, mchid, description, out_trade_no,
notify_url, amount — and answers ``{"code_url": "weixin://wxpay/bizpayurl?pr=…"}``, which Candor
shows as a QR code for the buyer to scan with WeChat (valid two hours). There is no return
address: the buyer pays on the phone, and Candor learns of it from the notification only.

Why not ``wechatpayv3``: it sends with module-level ``requests.post`` to a hard-coded
``https://api.mch.weixin.qq.com`` (a private attribute), so neither the simulator's address
nor the in-process transport can be given to it. It signs with ``cryptography`` exactly as
below.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import secrets
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
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
)
from candor.integrations.payment.wire import compact_json, header
from candor.integrations.sms.transport import session_for

logger = logging.getLogger(__name__)
SCHEMA = "WECHATPAY2-SHA256-RSA2048"
SKEW = 5 * 60
SIMULATOR_PATH = "/_sim/pay/wechatpay"  # the endpoint's path when it is the simulator
_AUTHORIZATION = re.compile(rf'{SCHEMA} (?P<pairs>(?:\w+="[^"]*",?)+)')
_PAIR = re.compile(r'(\w+)="([^"]*)"')


def nonce() -> str:
    return secrets.token_hex(16).upper()


def request_message(method: str, path: str, timestamp: str, nonce_str: str, body: bytes) -> bytes:
    return f"{method}\n{path}\n{timestamp}\n{nonce_str}\n".encode() + body + b"\n"


def answer_message(timestamp: str, nonce_str: str, body: bytes) -> bytes:
    return f"{timestamp}\n{nonce_str}\n".encode() + body + b"\n"


def authorization(
    key: RSAPrivateKey, *, mchid: str, serial_no: str, method: str, path: str, body: bytes,
    timestamp: str | None = None, nonce_str: str | None = None,
) -> str:  # fmt: skip
    timestamp = timestamp or str(int(time.time()))
    nonce_str = nonce_str or nonce()
    signature = signing.sign(key, request_message(method, path, timestamp, nonce_str, body))
    return (
        f'{SCHEMA} mchid="{mchid}",nonce_str="{nonce_str}",signature="{signature}",'
        f'timestamp="{timestamp}",serial_no="{serial_no}"'
    )


def parse_authorization(value: str) -> dict[str, str] | None:
    match = _AUTHORIZATION.fullmatch(value.strip())
    return dict(_PAIR.findall(match["pairs"])) if match else None


def signed_headers(key: RSAPrivateKey, serial: str, body: bytes) -> dict[str, str]:
    """The headers WeChat Pay signs an answer or a notification with."""
    timestamp, nonce_str = str(int(time.time())), nonce()
    return {
        "Wechatpay-Timestamp": timestamp,
        "Wechatpay-Nonce": nonce_str,
        "Wechatpay-Signature": signing.sign(key, answer_message(timestamp, nonce_str, body)),
        "Wechatpay-Serial": serial,
        "Wechatpay-Signature-Type": SCHEMA,
    }


def verify_signed(headers: Mapping[str, str], body: bytes, *, key: RSAPublicKey, key_id: str) -> str | None:
    """Why ``body`` signed as in ``headers`` is not to be trusted, or None."""
    timestamp = header(headers, "Wechatpay-Timestamp")
    if header(headers, "Wechatpay-Serial") != key_id:
        return "serial"
    if header(headers, "Wechatpay-Signature-Type") not in ("", SCHEMA):
        return "signature type"
    if not (timestamp.isascii() and timestamp.isdigit()) or abs(time.time() - int(timestamp)) > SKEW:
        return "stale"
    message = answer_message(timestamp, header(headers, "Wechatpay-Nonce"), body)
    if not signing.verify(key, message, header(headers, "Wechatpay-Signature")):
        return "signature"
    return None


def encrypt_resource(key: bytes, plaintext: bytes, *, associated_data: str, nonce_str: str) -> dict[str, str]:
    ciphertext = AESGCM(key).encrypt(nonce_str.encode(), plaintext, associated_data.encode())
    return {
        "algorithm": "AEAD_AES_256_GCM",
        "ciphertext": base64.b64encode(ciphertext).decode(),
        "associated_data": associated_data,
        "nonce": nonce_str,
    }


def decrypt_resource(key: bytes, resource: Mapping[str, str]) -> bytes:
    """The plaintext; ``InvalidTag`` when anything was changed, ``ValueError`` if malformed."""
    if resource.get("algorithm") != "AEAD_AES_256_GCM":
        raise ValueError("unknown algorithm")
    ciphertext = base64.b64decode(resource["ciphertext"], validate=True)
    associated = resource.get("associated_data", "").encode()
    return AESGCM(key).decrypt(resource["nonce"].encode(), ciphertext, associated)


class WechatPay(PaymentGateway):
    name = "wechatpay"

    def __init__(self) -> None:
        self.config: Mapping[str, str] = settings.CANDOR_PAYMENT["wechatpay"]
        self.endpoint = self.config["endpoint"].rstrip("/")

    def _platform_key(self) -> RSAPublicKey:
        return config.public_key(self.config["public_key"], laptop="wechatpay_institution")

    def start(self, order: PayOrder, *, notify_url: str, return_url: str) -> PayStart:
        # ``return_url`` has no place in Native payment: the buyer pays in WeChat on the phone.
        status, answer = self._call("POST", "/v3/pay/transactions/native", {
            "appid": self.config["appid"],
            "mchid": self.config["mchid"],
            "description": order.subject,
            "out_trade_no": order.out_trade_no,
            "notify_url": notify_url,
            "amount": {"total": order.amount_fen, "currency": "CNY"},
        })  # fmt: skip
        code_url = answer.get("code_url")
        if status != 200 or not isinstance(code_url, str) or not code_url.startswith("weixin://"):
            logger.warning("wechatpay native refused: %s %s", status, answer.get("code"))
            raise PaymentUnavailable(str(answer.get("code", status)))
        if urlsplit(self.endpoint).path.endswith(SIMULATOR_PATH):
            # The simulator stands in for the phone too: its page is what scanning would open.
            # Imported here so that a real endpoint never loads the simulator's code.
            from candor.integrations.payment.sim_wechatpay import scan_url

            return PayStart(url=scan_url(code_url), method="GET", fields={}, qr=code_url)
        return PayStart(url="", method="QR", fields={}, qr=code_url)

    def verify_notice(self, *, headers: Mapping[str, str], body: bytes) -> PayNotice:
        refused = verify_signed(headers, body, key=self._platform_key(), key_id=self.config["public_key_id"])
        if refused:
            raise NoticeRejected(refused)
        try:
            envelope = json.loads(body)
            if envelope.get("resource_type") != "encrypt-resource":
                raise NoticeRejected("not encrypted")
            if not str(envelope.get("event_type", "")).startswith("TRANSACTION."):
                raise NoticeRejected("not a payment notice")
            plain = decrypt_resource(config.wechatpay_apiv3_key(), envelope["resource"])
            trade = json.loads(plain)
            if trade.get("mchid") != self.config["mchid"] or trade.get("appid") != self.config["appid"]:
                raise NoticeRejected("merchant")
            total = trade["amount"]["total"]
            if not isinstance(total, int) or isinstance(total, bool) or total < 0:
                raise NoticeRejected("amount")
            success_time = trade.get("success_time")
            return PayNotice(
                out_trade_no=str(trade["out_trade_no"]),
                amount_fen=total,
                provider_trade_no=str(trade["transaction_id"]),
                paid=trade["trade_state"] == "SUCCESS",
                notice_id=str(envelope["id"]),
                paid_at=datetime.fromisoformat(success_time) if success_time else None,
            )
        except InvalidTag as exc:
            raise NoticeRejected("decrypt") from exc
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise NoticeRejected("malformed") from exc

    def notice_ack(self, *, ok: bool) -> tuple[int, str, bytes]:
        if ok:
            return 200, "application/json", compact_json({"code": "SUCCESS", "message": "成功"}).encode()
        return 500, "application/json", compact_json({"code": "FAIL", "message": "失败"}).encode()

    def refund(
        self,
        *,
        out_trade_no: str,
        refund_no: str,
        amount_fen: int,
        total_fen: int,
        provider_trade_no: str = "",
    ) -> RefundResult:
        trade = {"transaction_id": provider_trade_no} if provider_trade_no else {"out_trade_no": out_trade_no}
        status, answer = self._call("POST", "/v3/refund/domestic/refunds", {
            **trade,
            "out_refund_no": refund_no,
            "amount": {"refund": amount_fen, "total": total_fen, "currency": "CNY"},
        })  # fmt: skip
        if status == 200 and answer.get("status") in ("SUCCESS", "PROCESSING"):
            # PROCESSING: accepted, the money is on its way back (WeChat Pay settles later).
            return RefundResult(
                refund_no=refund_no, provider_refund_no=str(answer["refund_id"]), succeeded=True
            )
        if status in (401, 429) or status >= 500:
            raise PaymentUnavailable(str(answer.get("code", status)))
        logger.warning("wechatpay refund refused: %s %s", status, answer.get("code"))
        return RefundResult(refund_no=refund_no, provider_refund_no="", succeeded=False)

    def _call(self, method: str, path: str, payload: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
        url = f"{self.endpoint}{path}"
        body = compact_json(dict(payload)).encode()
        parts = urlsplit(url)
        signed_path = parts.path + (f"?{parts.query}" if parts.query else "")
        auth = authorization(
            config.merchant_key("wechatpay"), mchid=self.config["mchid"], serial_no=self.config["serial_no"],
            method=method, path=signed_path, body=body,
        )  # fmt: skip
        try:
            with session_for(url) as session:
                response = session.request(
                    method, url, data=body, timeout=TIMEOUT,
                    headers={"Authorization": auth, "Content-Type": "application/json",
                             "Accept": "application/json", "User-Agent": "Candor"},
                )  # fmt: skip
            answer = json.loads(response.content) if response.content else {}
        except (requests.RequestException, ValueError) as exc:
            logger.warning("wechatpay: %s", type(exc).__name__)
            raise PaymentUnavailable(type(exc).__name__) from exc
        if not isinstance(answer, dict):
            raise PaymentUnavailable("answer")
        if 200 <= response.status_code < 300:
            refused = verify_signed(response.headers, response.content, key=self._platform_key(),
                                    key_id=self.config["public_key_id"])  # fmt: skip
            if refused:
                raise PaymentUnavailable(f"answer {refused}")
        return response.status_code, answer
