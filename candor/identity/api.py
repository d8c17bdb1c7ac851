"""``/api/v1/identity/…``: real-name and face verification, the guardian step and the status.

Every write needs a logged-in user (session or app token). Real-name and face checks are
additional functions with their own separate consent, which a client may give in the same
request (``consent: true``, never defaulted); a missing one answers 403 ``consent_required``
naming the purpose.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.security import django_auth

from candor.api.errors import ErrorOut
from candor.devices import network
from candor.identity import selectors, services
from candor.privacy import consent

router = Router(tags=["identity"], auth=django_auth)

ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
    503: ErrorOut,
}


class RealNameOut(Schema):
    status: str = Field(description="none, pending, verified, mismatch or failed")
    status_label: str
    name_masked: str
    id_number_masked: str
    verified_at: datetime | None


class GuardianOut(Schema):
    step: str | None = Field(
        description="consent (account closed until a guardian consents), notice, or null"
    )
    kind: str | None
    status: str | None


class FaceOut(Schema):
    passed: bool
    similarity: float | None
    at: datetime


class StatusOut(Schema):
    realname: RealNameOut
    guardian: GuardianOut
    face: FaceOut | None


class RealNameIn(Schema):
    name: str = Field(min_length=1, max_length=64)
    id_number: str = Field(min_length=1, max_length=32)
    consent: bool = Field(False, description="separate consent to real-name verification, ticked by the user")


class FaceIn(Schema):
    image_base64: str = Field(min_length=1, description="JPEG or PNG, standard base64")
    consent: bool = Field(
        False, description="separate consent to processing the face photo, ticked by the user"
    )


class GuardianCodeIn(Schema):
    phone: str = Field(min_length=1, max_length=32)


class GuardianCodeOut(Schema):
    sent: bool


class GuardianDecideIn(Schema):
    phone: str = Field(min_length=1, max_length=32)
    code: str = Field(min_length=1, max_length=12)
    relation: str = Field(description="parent, legal_guardian or other")
    consent: bool = Field(description="true: the guardian consents; false: the guardian refuses")


def _realname(request: HttpRequest) -> dict[str, Any]:
    state = selectors.realname_state(request.user)
    return {
        "status": state.status,
        "status_label": state.status_label,
        "name_masked": state.name_masked,
        "id_number_masked": state.id_number_masked,
        "verified_at": state.verified_at,
    }


def _guardian(request: HttpRequest) -> dict[str, Any]:
    row = selectors.guardianship_of(request.user)
    return {
        "step": selectors.pending_step(request.user),
        "kind": row.kind if row else None,
        "status": row.status if row else None,
    }


@router.get(
    "/identity/status", response=StatusOut, url_name="identity_status", summary="Identity and guardian status"
)
def status_get(request: HttpRequest) -> dict[str, Any]:
    face = selectors.latest_face_check(request.user)
    return {
        "realname": _realname(request),
        "guardian": _guardian(request),
        "face": {"passed": face.passed, "similarity": face.similarity, "at": face.at} if face else None,
    }


@router.post(
    "/identity/realname",
    response={200: RealNameOut, **ERRORS},
    summary="Verify name and ID number with the identity authority",
    description=(
        "400 `invalid_id_number` (GB 11643 format, region, birth date, check digit) or `invalid_name` "
        "store nothing; 400 `realname_mismatch` records the verdict only; 409 `id_number_taken` when "
        "the number verified another account; 429 `realname_rate_limited`."
    ),
)
def realname_create(request: HttpRequest, payload: RealNameIn) -> dict[str, Any]:
    services.realname_verify(
        user=request.user,
        name=payload.name,
        id_number=payload.id_number,
        consent_given=payload.consent,
        channel=consent.Channel.API,
    )
    return _realname(request)


@router.post(
    "/identity/face",
    response={200: FaceOut, **ERRORS},
    summary="Compare a face photo with the ID photo on record",
    description="The photo is sent to the identity authority and never stored; only the outcome is kept.",
)
def face_create(request: HttpRequest, payload: FaceIn) -> dict[str, Any]:
    try:
        image = base64.b64decode(payload.image_base64, validate=True)
    except (binascii.Error, ValueError):
        raise services.InvalidImage() from None
    row = services.face_verify(
        user=request.user, image=image, consent_given=payload.consent, channel=consent.Channel.API
    )
    return {"passed": row.passed, "similarity": row.similarity, "at": row.at}


@router.post(
    "/identity/guardian/code",
    response={200: GuardianCodeOut, **ERRORS},
    url_name="identity_guardian_code",
    summary="Send a verification code to the guardian's phone",
)
def guardian_code(request: HttpRequest, payload: GuardianCodeIn) -> dict[str, Any]:
    services.guardian_code_send(user=request.user, phone=payload.phone, ip=network.client_ip(request) or "")
    return {"sent": True}


@router.post(
    "/identity/guardian/decision",
    response={200: GuardianOut, **ERRORS},
    url_name="identity_guardian_decide",
    summary="Record the guardian's consent or refusal (with the code from the guardian's phone)",
)
def guardian_decide(request: HttpRequest, payload: GuardianDecideIn) -> dict[str, Any]:
    services.guardian_decide(
        user=request.user,
        phone=payload.phone,
        code=payload.code,
        relation=payload.relation,
        consent_given=payload.consent,
        channel=consent.Channel.API,
    )
    return _guardian(request)


@router.post(
    "/identity/guardian/notice",
    response={200: GuardianOut, **ERRORS},
    url_name="identity_guardian_notice",
    summary="Acknowledge the guardian notice (14 to 17)",
)
def guardian_notice(request: HttpRequest) -> dict[str, Any]:
    services.guardian_notice_acknowledge(user=request.user, channel=consent.Channel.API)
    return _guardian(request)
