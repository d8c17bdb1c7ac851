"""Aliyun (Alibaba Cloud) SMS: Dysmsapi 2017-05-25 ``SendSms``, RPC style, signature v1.

Signing, as published in "HTTP协议及签名" (help.aliyun.com/document_detail/101343): sort every
request parameter except ``Signature`` by name; percent-encode names and values as RFC 3986
(UTF-8; only ``A-Z a-z 0-9 - _ . ~`` stay as they are, a space is ``%20``); join as
``name=value`` with ``&`` (the canonicalized query string); the string to sign is
``<HTTP method>&%2F&<percent-encoded canonicalized query string>``; the signature is
Base64(HMAC-SHA1(key = AccessKeySecret + "&", string to sign)). The documentation's own
example (testId/testSecret, nonce 45e25e9b-…) reproduces ``zJDF+Lrzhj/ThnlvIToysFRq6t4=``
in the tests.

The request is a POST with the parameters as a form body (the RPC style accepts GET and POST
alike, the method being part of what is signed), so that the phone number and the code do not
end up in URLs and the access logs of proxies. We call the HTTP API with ``requests`` rather
than the official SDK: the SDK builds its endpoint from a region and product code, cannot be
pointed at the local simulator, and would add a dependency tree for one call.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import quote

import requests
from django.conf import settings

from candor.integrations.sms.base import SmsGateway, SmsUnavailable
from candor.integrations.sms.transport import session_for

logger = logging.getLogger(__name__)
VERSION = "2017-05-25"
TIMEOUT = (3.05, 10)


def percent_encode(value: str) -> str:
    return quote(value, safe="-_.~")


def canonicalized_query(params: Mapping[str, str]) -> str:
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))


def string_to_sign(method: str, params: Mapping[str, str]) -> str:
    return f"{method.upper()}&{percent_encode('/')}&{percent_encode(canonicalized_query(params))}"


def signature(secret: str, method: str, params: Mapping[str, str]) -> str:
    digest = hmac.new(f"{secret}&".encode(), string_to_sign(method, params).encode(), hashlib.sha1)
    return base64.b64encode(digest.digest()).decode()


def timestamp(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")


class AliyunSms(SmsGateway):
    name = "aliyun"

    def __init__(self) -> None:
        config = settings.CANDOR_SMS["aliyun"]
        self.endpoint: str = config["endpoint"]
        self.key_id: str = config["key_id"]
        self.key_secret: str = config["key_secret"]
        self.templates: Mapping[str, str] = config["templates"]
        self.sign_name: str = settings.CANDOR_SMS["sign_name"]

    def request_params(self, *, phone: str, template: str, params: Mapping[str, str]) -> dict[str, str]:
        """Every parameter of the request, ``Signature`` included."""
        unsigned = {
            "AccessKeyId": self.key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": "cn-hangzhou",
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": str(uuid.uuid4()),
            "SignatureVersion": "1.0",
            "TemplateCode": self.templates[template],
            "TemplateParam": json.dumps(dict(params), ensure_ascii=False, separators=(",", ":")),
            "Timestamp": timestamp(),
            "Version": VERSION,
        }
        return {**unsigned, "Signature": signature(self.key_secret, "POST", unsigned)}

    def send(self, *, phone: str, template: str, params: Mapping[str, str]) -> str:
        body = canonicalized_query(self.request_params(phone=phone, template=template, params=params))
        try:
            with session_for(self.endpoint) as session:
                response = session.post(
                    self.endpoint,
                    data=body.encode(),
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Accept": "application/json",
                    },
                    timeout=TIMEOUT,
                )
            answer = response.json()
        except (requests.RequestException, ValueError) as exc:
            logger.warning("aliyun sms: %s", type(exc).__name__)
            raise SmsUnavailable(type(exc).__name__) from exc
        if answer.get("Code") != "OK":
            # The provider's code (isv.BUSINESS_LIMIT_CONTROL, SignatureDoesNotMatch …) says why;
            # its message may echo the request, so it is not logged.
            logger.warning("aliyun sms refused: %s (request %s)", answer.get("Code"), answer.get("RequestId"))
            raise SmsUnavailable(str(answer.get("Code")))
        return str(answer["BizId"])
