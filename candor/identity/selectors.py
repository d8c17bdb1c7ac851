"""Reads: the state of a user's identity checks and guardian step, for pages, API and the gate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from candor.identity.models import FaceVerification, Guardianship, RealNameVerification
from candor.privacy import masking, taxonomy
from candor.privacy.processing import processing

CONSENT_STEP, NOTICE_STEP = "consent", "notice"


def pending_step(user: Any) -> str | None:
    """What the guardian gate must show this user first: "consent" (a child whose guardian
    has not consented — the account is closed until then), "notice" (14–17, the notice not
    yet acknowledged) or None. One indexed query."""
    if not getattr(user, "is_authenticated", False):
        return None
    row = Guardianship.objects.filter(child_id=user.pk).values_list("kind", "status").first()
    if row is None:
        return None
    kind, status = row
    if kind == Guardianship.Kind.CONSENT and status != Guardianship.Status.CONSENTED:
        return CONSENT_STEP
    if kind == Guardianship.Kind.NOTICE and status == Guardianship.Status.PENDING:
        return NOTICE_STEP
    return None


def guardian_gate_required(user: Any) -> bool:
    """Whether the account is closed until a guardian consents (a child under 14)."""
    return pending_step(user) == CONSENT_STEP


def guardianship_of(user: Any) -> Guardianship | None:
    return Guardianship.objects.filter(child_id=user.pk).first()


@dataclass(frozen=True)
class RealNameState:
    status: str  # "none", or a RealNameVerification.Status
    status_label: str
    name_masked: str
    id_number_masked: str
    verified_at: datetime | None
    checked_at: datetime | None


def realname_state(user: Any) -> RealNameState:
    """The user's real-name status with the verified name and number masked: even the
    person's own page shows 张* and 1101**********002X, never the full values."""
    row = RealNameVerification.objects.filter(user_id=user.pk).first()
    if row is None:
        return RealNameState("none", "", "", "", None, None)
    with processing(taxonomy.REAL_NAME):
        name, number = row.name, row.id_number
    return RealNameState(
        status=row.status,
        status_label=str(row.get_status_display()),
        name_masked=masking.mask("name", name),
        id_number_masked=masking.mask("id_number", number),
        verified_at=row.verified_at,
        checked_at=row.checked_at,
    )


def is_realname_verified(user: Any) -> bool:
    return RealNameVerification.objects.filter(
        user_id=user.pk, status=RealNameVerification.Status.VERIFIED
    ).exists()


def latest_face_check(user: Any) -> FaceVerification | None:
    return FaceVerification.objects.filter(user_id=user.pk).order_by("-at", "-pk").first()
