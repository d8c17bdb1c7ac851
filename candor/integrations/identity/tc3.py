"""Tencent Cloud API 3.0 request signing, TC3-HMAC-SHA256, exactly as the published "签名方法 v3"
describes it: a canonical request (method, "/", empty query for POST, the signed headers as
lower-case "key:value" lines sorted by key, the signed header names, the SHA-256 of the body),
a string to sign (algorithm, timestamp, "<UTC date>/<service>/tc3_request", the SHA-256 of the
canonical request), and an HMAC-SHA256 chain keyed by "TC3" + SecretKey over the date, the
service and "tc3_request". The adapter signs with it and the simulator verifies with it, so
both sides follow one reading of the document; a test holds it to the document's own example.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

ALGORITHM = "TC3-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def utc_date(timestamp: int) -> str:
    # The date is UTC's, never local time: a request signed at 00:30 in Beijing carries
    # yesterday's date.
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")


def canonical_request(method: str, headers: Mapping[str, str], signed: list[str], body: bytes) -> str:
    lines = "".join(f"{name}:{headers[name].strip().lower()}\n" for name in signed)
    return f"{method}\n/\n\n{lines}\n{';'.join(signed)}\n{sha256_hex(body)}"


def string_to_sign(timestamp: int, service: str, canonical: str) -> str:
    scope = f"{utc_date(timestamp)}/{service}/tc3_request"
    return f"{ALGORITHM}\n{timestamp}\n{scope}\n{sha256_hex(canonical.encode())}"


def signature(secret_key: str, timestamp: int, service: str, to_sign: str) -> str:
    key = _hmac(f"TC3{secret_key}".encode(), utc_date(timestamp))
    key = _hmac(key, service)
    key = _hmac(key, "tc3_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def sign(
    *,
    secret_id: str,
    secret_key: str,
    service: str,
    host: str,
    action: str,
    version: str,
    region: str,
    body: bytes,
    timestamp: int,
) -> dict[str, str]:
    """The headers of a signed POST: content-type, host and x-tc-action are signed."""
    lowered = {"content-type": CONTENT_TYPE, "host": host, "x-tc-action": action}
    signed = sorted(lowered)
    canonical = canonical_request("POST", lowered, signed, body)
    to_sign = string_to_sign(timestamp, service, canonical)
    scope = f"{utc_date(timestamp)}/{service}/tc3_request"
    authorization = (
        f"{ALGORITHM} Credential={secret_id}/{scope}, SignedHeaders={';'.join(signed)}, "
        f"Signature={signature(secret_key, timestamp, service, to_sign)}"
    )
    headers = {
        "Authorization": authorization,
        "Content-Type": CONTENT_TYPE,
        "Host": host,
        "X-TC-Action": action,
        "X-TC-Version": version,
        "X-TC-Timestamp": str(timestamp),
    }
    if region:
        headers["X-TC-Region"] = region
    return headers


@dataclass(frozen=True)
class Authorization:
    secret_id: str
    date: str
    service: str
    signed_headers: list[str]
    signature: str


def parse_authorization(value: str) -> Authorization | None:
    """The parts of an ``Authorization`` header, or None when it is not TC3's form."""
    algorithm, _, rest = value.partition(" ")
    if algorithm != ALGORITHM:
        return None
    parts = {}
    for item in rest.split(","):
        key, sep, val = item.strip().partition("=")
        if not sep:
            return None
        parts[key] = val
    credential = parts.get("Credential", "").split("/")
    if len(credential) != 4 or credential[3] != "tc3_request" or "Signature" not in parts:
        return None
    signed = parts.get("SignedHeaders", "").split(";")
    return Authorization(credential[0], credential[1], credential[2], signed, parts["Signature"])
