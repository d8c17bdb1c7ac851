"""What the two simulated platforms know: Candor's registered app, their users, their codes
and tokens.

A real platform keeps Candor's app (id, secret, authorized callback domain) in its developer
console; the simulator reads the same credentials Candor is configured with
(``SOCIALACCOUNT_PROVIDERS[...]["APP"]``) and accepts callbacks on ``ALLOWED_HOSTS``, so a
demo works out of the box and a test that sends another secret or another callback is refused
exactly as the platform would refuse it.

Codes and access tokens are signed (``django.core.signing``) and carry their own claims — app,
user, scopes, redirect_uri — so any process of the demo can check them. A code is single use:
its nonce is marked spent in the cache (shared in production-like set-ups with Redis; per
process with the default local-memory cache, which is enough for one demo process and the tests).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.cache import cache

CODE_SECONDS = 600  # both platforms: a code lives ten minutes
TOKEN_SECONDS = 7200


@dataclass(frozen=True)
class FakeUser:
    """A platform user with everything the platform's profile API returns."""

    key: str
    nickname: str
    sex: int  # WeChat: 1 male, 2 female, 0 unknown
    province: str
    city: str
    year: str

    def openid(self, appid: str) -> str:
        # Like the real ones: stable per (app, user), meaningless to any other app.
        return "o" + hashlib.sha256(f"{appid}:{self.key}".encode()).hexdigest()[:27]

    @property
    def unionid(self) -> str:
        return "u" + hashlib.sha256(f"union:{self.key}".encode()).hexdigest()[:27]


USERS = {
    u.key: u
    for u in (
        FakeUser("lixiaolong", "李小龙", 1, "广东", "深圳", "1990"),
        FakeUser("wangfang", "王芳", 2, "浙江", "杭州", "1995"),
        FakeUser("alice", "Alice", 2, "上海", "上海", "1988"),
    )
}


def registered_app(platform: str, appid: str) -> dict[str, str] | None:
    """Candor's app as the platform registered it, or None for an unknown app id."""
    provider_id = {"wechat": "weixin", "qq": "qq"}[platform]
    app = settings.SOCIALACCOUNT_PROVIDERS.get(provider_id, {}).get("APP", {})
    if appid and app.get("client_id") == appid:
        return {"appid": app["client_id"], "secret": app.get("secret", "")}
    return None


def callback_allowed(redirect_uri: str) -> bool:
    """The platform's "authorized callback domain" check: the redirect host must be one of
    Candor's own hosts."""
    parts = urlsplit(redirect_uri)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return False
    hosts = {h.lstrip(".").strip("[]") for h in settings.ALLOWED_HOSTS}
    return parts.hostname in hosts or "*" in hosts


def issue_code(*, platform: str, appid: str, user: FakeUser, scopes: list[str], redirect_uri: str) -> str:
    claims = {"p": platform, "a": appid, "u": user.key, "s": scopes, "r": redirect_uri}
    claims["n"] = secrets.token_hex(8)
    return signing.dumps(claims, salt="sim-oauth-code", compress=True)


class Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "invalid", "expired", "used" or "redirect_uri"


def redeem_code(code: str, *, platform: str, appid: str, redirect_uri: str | None = None) -> dict[str, Any]:
    """The code's claims; refuses a forged, foreign, expired or already used code, and (QQ) a
    redirect_uri other than the authorize request's. A refused request does not spend it."""
    try:
        claims = signing.loads(code, salt="sim-oauth-code", max_age=CODE_SECONDS)
    except signing.SignatureExpired as exc:
        raise Refused("expired") from exc
    except signing.BadSignature as exc:
        raise Refused("invalid") from exc
    if claims.get("p") != platform or claims.get("a") != appid or claims.get("u") not in USERS:
        raise Refused("invalid")
    if redirect_uri is not None and redirect_uri != claims.get("r"):
        raise Refused("redirect_uri")
    if not cache.add(f"sim-oauth:spent:{claims['n']}", True, CODE_SECONDS):
        raise Refused("used")
    return claims


def issue_token(claims: dict[str, Any]) -> str:
    return signing.dumps(
        {"p": claims["p"], "a": claims["a"], "u": claims["u"], "s": claims["s"]}, salt="sim-oauth-token"
    )


def read_token(token: str, *, platform: str) -> dict[str, Any] | None:
    try:
        claims = signing.loads(token, salt="sim-oauth-token", max_age=TOKEN_SECONDS)
    except signing.BadSignature:
        return None
    return claims if claims.get("p") == platform and claims.get("u") in USERS else None
