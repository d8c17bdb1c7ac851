"""Consent: an append-only ledger and the four verbs every service uses.

``grant`` and ``withdraw`` append; ``has`` reads the newest row for (subject, purpose) with no
cache, so a withdrawal stops later processing at once while the earlier rows stay as the
record of what was lawful then. Basic purposes are covered by accepting the policy (C003-01)
and need no row; additional and sensitive ones each need their own grant. ``require`` raises
``ConsentRequired``, which the API renders as 403 ``consent_required`` naming the purpose.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError
from candor.privacy import audit
from candor.privacy.models import ConsentRecord
from candor.privacy.taxonomy import PURPOSES, Purpose

POLICY = "policy"  # accepting a policy version: the consent that covers the basic purposes

Channel = ConsentRecord.Channel


class ConsentRequired(CandorError):
    status = 403
    code = "consent_required"

    def __init__(self, purpose: Purpose) -> None:
        super().__init__(
            _("This feature needs your consent to “%(purpose)s”.") % {"purpose": purpose.label},
            extra={"purpose": purpose.code},
        )
        self.purpose = purpose


def _code(purpose: Purpose | str) -> str:
    code = purpose if isinstance(purpose, str) else purpose.code
    if code != POLICY and code not in PURPOSES:
        raise ValueError(f"unknown purpose {code!r}")
    return code


@transaction.atomic
def _append(
    subject_id: int,
    purpose: Purpose | str,
    *,
    granted: bool,
    channel: str,
    policy_version: str,
    evidence: Mapping[str, Any] | None,
    actor_id: int | None,
) -> ConsentRecord:
    code = _code(purpose)
    row = ConsentRecord.objects.create(
        subject_id=subject_id,
        purpose=code,
        granted=granted,
        channel=channel,
        policy_version=policy_version,
        evidence=dict(evidence or {}),
    )
    audit.record(
        action=audit.Action.CONSENT,
        actor_id=actor_id if actor_id is not None else subject_id,
        subject_id=subject_id,
        target=f"privacy.consentrecord:{row.pk}",
        purpose=code,
        detail={"granted": granted, "channel": channel, "policy_version": policy_version},
    )
    return row


def grant(
    subject_id: int,
    purpose: Purpose | str,
    *,
    channel: str,
    policy_version: str = "",
    evidence: Mapping[str, Any] | None = None,
    actor_id: int | None = None,
) -> ConsentRecord:
    return _append(
        subject_id, purpose, granted=True, channel=channel, policy_version=policy_version,
        evidence=evidence, actor_id=actor_id,
    )  # fmt: skip


def withdraw(
    subject_id: int,
    purpose: Purpose | str,
    *,
    channel: str,
    policy_version: str = "",
    evidence: Mapping[str, Any] | None = None,
    actor_id: int | None = None,
) -> ConsentRecord:
    return _append(
        subject_id, purpose, granted=False, channel=channel, policy_version=policy_version,
        evidence=evidence, actor_id=actor_id,
    )  # fmt: skip


def latest(subject_id: int, purpose: Purpose | str) -> ConsentRecord | None:
    return ConsentRecord.objects.filter(subject_id=subject_id, purpose=_code(purpose)).order_by("-id").first()


def has(subject_id: int, purpose: Purpose) -> bool:
    if not purpose.needs_consent:
        return True
    row = latest(subject_id, purpose)
    return bool(row and row.granted)


def require(subject_id: int, purpose: Purpose) -> None:
    if not has(subject_id, purpose):
        raise ConsentRequired(purpose)


def history(subject_id: int) -> list[ConsentRecord]:
    return list(ConsentRecord.objects.filter(subject_id=subject_id).order_by("id"))


def states(subject_id: int) -> dict[str, bool]:
    """The current state of every purpose that needs consent: for the privacy centre."""
    granted = {p: False for p, purpose in PURPOSES.items() if purpose.needs_consent}
    for row in ConsentRecord.objects.filter(subject_id=subject_id, purpose__in=list(granted)).order_by("id"):
        granted[row.purpose] = row.granted
    return granted
