"""``POST /api/v1/verification/sms``: send a one-time code to a mobile number.

The answer says that a code was sent, how long it lives and when another may be asked for —
never the code. CSRF, as for session login (accounts.api): a browser must show Django's CSRF
token, so a hostile page cannot spend a visitor's address on other people's numbers. App
clients, which hold no cookie and send none of the ``Sec-Fetch-*`` headers every current
browser adds (and a page cannot remove), are not asked for one; the per-number and per-address
limits apply to everyone.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from candor.api.csrf import require_csrf
from candor.api.errors import ErrorOut
from candor.devices import network
from candor.verification import services
from candor.verification.models import Purpose

router = Router(tags=["verification"])


class CodeIn(Schema):
    phone: str = Field(min_length=1, max_length=32)
    purpose: str = Field(
        min_length=1,
        max_length=20,
        description=" | ".join(p for p in Purpose.values if p != "rights_request"),
    )


class CodeOut(Schema):
    sent: bool
    expires_in: int = Field(description="seconds the code stays valid")
    resend_after: int = Field(description="seconds before another code may be requested")


def _require_csrf_from_browsers(request: HttpRequest) -> None:
    if request.COOKIES or "sec-fetch-site" in request.headers:
        require_csrf(request)


# Codes that only staff send (an identity check for a privacy request): a stranger asking for
# one would only cancel the code staff sent.
STAFF_ONLY = {Purpose.RIGHTS_REQUEST}


@router.post(
    "/verification/sms",
    response={202: CodeOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut},
    summary="Send a verification code by SMS",
)
def sms_code_send(request: HttpRequest, payload: CodeIn) -> Status:
    _require_csrf_from_browsers(request)
    if payload.purpose in STAFF_ONLY:
        raise services.InvalidPurpose()
    sent = services.code_send(
        channel="sms", target=payload.phone, purpose=payload.purpose, ip=network.client_ip(request) or ""
    )
    return Status(202, {"sent": True, "expires_in": sent.expires_in, "resend_after": sent.resend_after})
