"""Reading and writing Candor's own two cookies: the visitor's choice and the analytics id.

``candor_consent`` holds the choice made on the banner or the cookie page, as
``analytics:1|v:1`` (or ``analytics:0|v:1``). It is an essential cookie: without it the
banner would ask again on every page. The value uses only characters a cookie may carry
unquoted, and anything else — a value from an older version, a hand-edited one — reads as "no
choice yet", so the banner simply asks again; ``CONSENT_VERSION`` goes up when the set of
optional cookies changes and every visitor is asked afresh.

``candor_aid`` is the analytics cookie: a random id, nothing else, set only after consent.
Both are HttpOnly (the page's script learns the choice from the server, not from the cookie),
SameSite=Lax and Secure behind TLS, and live 180 days from the choice.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

CONSENT_COOKIE = "candor_consent"
AID_COOKIE = "candor_aid"
CONSENT_VERSION = 1
MAX_AGE = int(timedelta(days=180).total_seconds())

_CONSENT = re.compile(r"analytics:([01])\|v:(\d{1,4})")
_AID = re.compile(r"[0-9a-f]{32}")


def consent_value(*, analytics: bool) -> str:
    return f"analytics:{int(analytics)}|v:{CONSENT_VERSION}"


def read_consent(request: HttpRequest) -> bool | None:
    """The choice this browser carries: True, False, or None when it carries none we know."""
    match = _CONSENT.fullmatch(request.COOKIES.get(CONSENT_COOKIE, ""))
    if match is None or int(match.group(2)) != CONSENT_VERSION:
        return None
    return match.group(1) == "1"


def read_aid(request: HttpRequest) -> str | None:
    value = request.COOKIES.get(AID_COOKIE, "")
    return value if _AID.fullmatch(value) else None


def has_aid_cookie(request: HttpRequest) -> bool:
    """Any ``candor_aid`` at all, well-formed or not: one to delete when consent is missing."""
    return AID_COOKIE in request.COOKIES


def new_aid() -> str:
    return secrets.token_hex(16)


def _set(response: HttpResponseBase, name: str, value: str) -> None:
    response.set_cookie(
        name,
        value,
        max_age=MAX_AGE,
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def write_consent(response: HttpResponseBase, *, analytics: bool) -> None:
    _set(response, CONSENT_COOKIE, consent_value(analytics=analytics))


def write_aid(response: HttpResponseBase, aid: str) -> None:
    _set(response, AID_COOKIE, aid)


def delete_aid(response: HttpResponseBase) -> None:
    response.delete_cookie(AID_COOKIE, path="/", samesite="Lax")


def apply_choice(request: HttpRequest, response: HttpResponseBase, *, analytics: bool) -> None:
    """Store the choice on this browser: the consent cookie always; the analytics id kept (or
    made) with consent, deleted without it."""
    write_consent(response, analytics=analytics)
    if analytics:
        write_aid(response, read_aid(request) or new_aid())
    elif has_aid_cookie(request):
        delete_aid(response)


def touched(response: HttpResponseBase) -> bool:
    """Whether the response already sets either cookie (a view decided; nothing to sync)."""
    return CONSENT_COOKIE in response.cookies or AID_COOKIE in response.cookies
