"""Tencent Cloud SMS: API 3.0 ``SendSms`` version 2021-01-11, signed with TC3-HMAC-SHA256.

Signing, as published in "Signature v3" (cloud.tencent.com/document/api/382/52072):

* CanonicalRequest = method \\n canonical URI ("/") \\n canonical query ("" for a POST) \\n
  canonical headers (each signed header as ``key:value\\n``, key and value lower-cased and
  trimmed, sorted by key) \\n signed header names (``;``-joined) \\n hex(SHA-256(body));
* StringToSign = ``TC3-HMAC-SHA256`` \\n timestamp \\n ``<UTC date>/<service>/tc3_request`` \\n
  hex(SHA-256(CanonicalRequest));
* the key is HMAC-SHA256 chained over ``"TC3" + SecretKey`` → date → service → ``tc3_request``;
  the signature is hex(HMAC-SHA256(key, StringToSign)), sent as
  ``Authorization: TC3-HMAC-SHA256 Credential=<SecretId>/<scope>, SignedHeaders=…, Signature=…``.

The documentation's example (DescribeInstances of cvm, timestamp 1551113065) reproduces
``72e494ea…25168`` in the tests. SendSms signs ``content-type;host;x-tc-action`` as the
current documentation recommends. ``requests`` rather than the SDK, for the same reasons as
the Aliyun adapter (the SDK's endpoint cannot be the local simulator).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import urlsplit

import requests
from django.conf import settings

from candor.integrations.sms.base import CODE_TEMPLATE, NOTICE_TEMPLATE, SmsGateway, SmsUnavailable
from candor.integrations.sms.transport import session_for

logger = logging.getLogger(__name__)
ALGORITHM = "TC3-HMAC-SHA256"
SERVICE = "sms"
VERSION = "2021-01-11"
CONTENT_TYPE = "application/json; charset=utf-8"
TIMEOUT = (3.05, 10)
# Tencent templates take positional parameters ({1}, {2} …): the order of each template's params.
TEMPLATE_PARAMS = {CODE_TEMPLATE: ("code",), NOTICE_TEMPLATE: ("topic",)}


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def canonical_request(method: str, headers: Mapping[str, str], payload: bytes) -> tuple[str, str]:
    """(canonical request, signed header names) for a request to "/" without a query."""
    signed = sorted((k.lower().strip(), v.lower().strip()) for k, v in headers.items())
    names = ";".join(k for k, _v in signed)
    lines = "".join(f"{k}:{v}\n" for k, v in signed)
    request = "\n".join([method.upper(), "/", "", lines, names, hashlib.sha256(payload).hexdigest()])
    return request, names


def sign(
    secret_key: str, *, method: str, headers: Mapping[str, str], payload: bytes, timestamp: int,
    service: str = SERVICE,
) -> tuple[str, str, str]:  # fmt: skip
    """(signature hex, signed header names, credential scope)."""
    request, names = canonical_request(method, headers, payload)
    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    credential_scope = f"{date}/{service}/tc3_request"
    to_sign = "\n".join(
        [ALGORITHM, str(timestamp), credential_scope, hashlib.sha256(request.encode()).hexdigest()]
    )
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest(), names, credential_scope


def authorization(secret_id: str, signature: str, names: str, credential_scope: str) -> str:
    return (
        f"{ALGORITHM} Credential={secret_id}/{credential_scope}, SignedHeaders={names}, Signature={signature}"
    )


class TencentSms(SmsGateway):
    name = "tencent"

    def __init__(self) -> None:
        config = settings.CANDOR_SMS["tencent"]
        self.endpoint: str = config["endpoint"]
        self.secret_id: str = config["secret_id"]
        self.secret_key: str = config["secret_key"]
        self.app_id: str = config["app_id"]
        self.region: str = config["region"]
        self.templates: Mapping[str, str] = config["templates"]
        self.sign_name: str = settings.CANDOR_SMS["sign_name"]

    def signed_request(
        self, *, phone: str, template: str, params: Mapping[str, str], timestamp: int | None = None
    ) -> tuple[dict[str, str], bytes]:
        """The headers and the exact body bytes of one SendSms call."""
        payload = json.dumps(
            {
                "PhoneNumberSet": [f"+86{phone}"],
                "SmsSdkAppId": self.app_id,
                "SignName": self.sign_name,
                "TemplateId": self.templates[template],
                "TemplateParamSet": [params[name] for name in TEMPLATE_PARAMS[template]],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        when = int(time.time()) if timestamp is None else timestamp
        signed = {
            "Content-Type": CONTENT_TYPE,
            "Host": urlsplit(self.endpoint).netloc,
            "X-TC-Action": "SendSms",
        }
        signature, names, credential_scope = sign(
            self.secret_key, method="POST", headers=signed, payload=payload, timestamp=when
        )
        headers = {
            **signed,
            "Authorization": authorization(self.secret_id, signature, names, credential_scope),
            "X-TC-Timestamp": str(when),
            "X-TC-Version": VERSION,
            "X-TC-Region": self.region,
        }
        return headers, payload

    def send(self, *, phone: str, template: str, params: Mapping[str, str]) -> str:
        headers, payload = self.signed_request(phone=phone, template=template, params=params)
        try:
            with session_for(self.endpoint) as session:
                response = session.post(self.endpoint, data=payload, headers=headers, timeout=TIMEOUT)
            answer = response.json()["Response"]
        except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
            logger.warning("tencent sms: %s", type(exc).__name__)
            raise SmsUnavailable(type(exc).__name__) from exc
        if "Error" in answer:
            logger.warning(
                "tencent sms refused: %s (request %s)", answer["Error"].get("Code"), answer.get("RequestId")
            )
            raise SmsUnavailable(str(answer["Error"].get("Code")))
        status = (answer.get("SendStatusSet") or [{}])[0]
        if status.get("Code") != "Ok":
            logger.warning(
                "tencent sms not sent: %s (request %s)", status.get("Code"), answer.get("RequestId")
            )
            raise SmsUnavailable(str(status.get("Code")))
        return str(status["SerialNo"])
