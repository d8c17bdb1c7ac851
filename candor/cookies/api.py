"""The cookie list and the visitor's choice for app and web clients: ``/api/v1/cookies`` and
``/api/v1/cookies/consent`` (the same choice as the banner and the cookie page).

A member's choice goes to the consent ledger (channel ``api``). A request made with the
browser's cookies also gets the ``candor_consent`` cookie (and the analytics id, or its
deletion) in the answer, exactly like the banner; such writes need the CSRF token
(``X-CSRFToken``). An app with a bearer token has no cookies: only its ledger changes.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from candor.accounts.tokens import bearer
from candor.api.csrf import require_csrf
from candor.api.errors import ErrorOut
from candor.cookies import inventory, jar, selectors, services
from candor.cookies.selectors import Choice, Source
from candor.privacy import consent

router = Router(tags=["cookies"])


class CookieOut(Schema):
    name: str
    kind: str = Field(description="essential or analytics")
    kind_label: str
    purpose: str
    lifetime_seconds: int | None = Field(description="None: until the browser is closed")
    lifetime: str
    set_by: str


class CookieConsentOut(Schema):
    chosen: bool = Field(description="False until the visitor chooses; only essential cookies until then")
    analytics: bool = Field(description="Analytics cookie and page-view counting allowed")
    source: str | None = Field(description="ledger (the member's account) or cookie (this browser)")
    version: int = Field(description="Version of the choice; a new one asks every visitor again")


class CookieConsentIn(Schema):
    analytics: bool


def _choice_out(choice: Choice | None) -> dict[str, Any]:
    return {
        "chosen": choice is not None,
        "analytics": bool(choice and choice.analytics),
        "source": choice.source.value if choice else None,
        "version": jar.CONSENT_VERSION,
    }


@router.get(
    "/cookies", response=list[CookieOut], url_name="cookies_inventory", summary="Every cookie Candor sets"
)
def cookies_inventory(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "name": c.name,
            "kind": c.kind.value,
            "kind_label": c.kind.label,
            "purpose": str(c.purpose),
            "lifetime_seconds": c.lifetime,
            "lifetime": c.lifetime_label,
            "set_by": str(c.set_by),
        }
        for c in inventory.cookies()
    ]


@router.get(
    "/cookies/consent",
    response=CookieConsentOut,
    url_name="cookies_consent",  # open while a policy waits (privacy/middleware.py)
    summary="My choice about optional cookies",
)
def cookies_consent_get(request: HttpRequest) -> dict[str, Any]:
    return _choice_out(selectors.consent_choice(request))


@router.put(
    "/cookies/consent",
    response={200: CookieConsentOut, 403: ErrorOut, 422: ErrorOut},
    summary="Accept or refuse analytics cookies",
)
def cookies_consent_put(
    request: HttpRequest, payload: CookieConsentIn, response: HttpResponse
) -> dict[str, Any]:
    require_csrf(request)
    user = request.user
    member = user.is_authenticated
    app = bearer(request) is not None
    services.consent_choose(
        user_id=int(user.pk) if member else None,
        analytics=payload.analytics,
        aid=None if app else jar.read_aid(request),
        page=request.path,
        channel=consent.Channel.API,
    )
    selectors.forget_choice(request)
    if not app:
        jar.apply_choice(request, response, analytics=payload.analytics)
    return _choice_out(Choice(payload.analytics, Source.LEDGER if member else Source.COOKIE))
