"""Adapter to the identity authority: Tencent Cloud FaceID (慧眼), API 3.0, version 2018-03-01.

Two actions, as published:
- ``IdCardVerification`` (身份信息认证, 二要素核验): ``{"IdCard", "Name"}`` → ``Result`` "0" match,
  "-1" mismatch, "-2" invalid number, "-3" invalid name, "-4" register unavailable, "-5" no such
  number, "-6" upgrading, "-7" daily limit; ``Description``; ``RequestId``.
- ``ImageRecognitionV2`` (照片人脸核身): ``{"IdCard", "Name", "ImageBase64"}`` → ``Result``
  "Success" or a ``FailedOperation.*`` code, ``Sim`` (0–100; the document recommends 70 as the
  threshold), ``Description``, ``RequestId``.

Requests are POSTs of JSON signed with TC3-HMAC-SHA256 (``tc3.py``). Protocol errors answer
HTTP 200 with ``Response.Error {Code, Message}``; they raise ``AuthorityUnavailable`` here, like
a network failure, so callers tell "the authority said no" from "we could not ask".

The endpoint and the keys come from settings (``CANDOR_IDENTITY_*``); the defaults point at the
local simulator. The payload is built by the caller through ``candor.privacy.disclosure``: this
module only carries what it is given.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings

from candor.integrations.identity import tc3

SERVICE = "faceid"
VERSION = "2018-03-01"
MATCH, MISMATCH = "0", "-1"
FACE_SUCCESS = "Success"

# (url, headers, body, timeout) -> (HTTP status, response body)
Transport = Callable[[str, Mapping[str, str], bytes, float], tuple[int, bytes]]


class AuthorityUnavailable(Exception):
    """The authority could not be asked or refused the request itself (not a verdict)."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


@dataclass(frozen=True)
class IdCardResult:
    result: str
    description: str
    request_id: str

    @property
    def matched(self) -> bool:
        return self.result == MATCH


@dataclass(frozen=True)
class FaceResult:
    result: str
    similarity: float | None
    description: str
    request_id: str


def requests_transport(
    url: str, headers: Mapping[str, str], body: bytes, timeout: float
) -> tuple[int, bytes]:
    try:
        response = requests.post(url, data=body, headers=dict(headers), timeout=timeout)
    except requests.RequestException as exc:
        raise AuthorityUnavailable("NetworkError", type(exc).__name__) from None
    return response.status_code, response.content


# Tests swap this for Django's test client; production keeps requests.
TRANSPORT: Transport = requests_transport


class FaceIdClient:
    def __init__(
        self,
        *,
        endpoint: str,
        secret_id: str,
        secret_key: str,
        region: str = "",
        timeout: float = 10.0,
        transport: Transport | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.endpoint, self.secret_id, self.secret_key = endpoint, secret_id, secret_key
        self.region, self.timeout, self.clock = region, timeout, clock
        self.transport = transport

    def call(self, action: str, params: Mapping[str, Any]) -> dict[str, Any]:
        body = json.dumps(dict(params)).encode()
        headers = tc3.sign(
            secret_id=self.secret_id,
            secret_key=self.secret_key,
            service=SERVICE,
            host=urlsplit(self.endpoint).netloc,
            action=action,
            version=VERSION,
            region=self.region,
            body=body,
            timestamp=int(self.clock()),
        )
        status, content = (self.transport or TRANSPORT)(self.endpoint, headers, body, self.timeout)
        try:
            response = json.loads(content)["Response"]
        except (ValueError, KeyError, TypeError):
            raise AuthorityUnavailable("BadResponse", f"HTTP {status}") from None
        if not isinstance(response, dict):
            raise AuthorityUnavailable("BadResponse", f"HTTP {status}")
        if "Error" in response:
            error = response["Error"] or {}
            raise AuthorityUnavailable(str(error.get("Code", "Error")), str(error.get("Message", "")))
        return response

    def id_card_verification(self, *, id_card: str, name: str) -> IdCardResult:
        response = self.call("IdCardVerification", {"IdCard": id_card, "Name": name})
        return IdCardResult(
            result=str(response.get("Result", "")),
            description=str(response.get("Description", "")),
            request_id=str(response.get("RequestId", "")),
        )

    def image_recognition(self, *, id_card: str, name: str, image_base64: str) -> FaceResult:
        response = self.call(
            "ImageRecognitionV2", {"IdCard": id_card, "Name": name, "ImageBase64": image_base64}
        )
        sim = response.get("Sim")
        return FaceResult(
            result=str(response.get("Result", "")),
            similarity=float(sim) if isinstance(sim, int | float) else None,
            description=str(response.get("Description", "")),
            request_id=str(response.get("RequestId", "")),
        )


def client() -> FaceIdClient:
    return FaceIdClient(
        endpoint=settings.CANDOR_IDENTITY_ENDPOINT,
        secret_id=settings.CANDOR_IDENTITY_SECRET_ID,
        secret_key=settings.CANDOR_IDENTITY_SECRET_KEY,
        region=settings.CANDOR_IDENTITY_REGION,
        timeout=settings.CANDOR_IDENTITY_TIMEOUT,
    )
