"""Policy versions: publish, archive, accept, and who still has to accept a significant change.

``publish`` snapshots every generated document in both languages into the version row, so an
archived version reads exactly as it was published however the declarations change later
(C002-23, C003-27). Versions are append-only rows, and the publication's audit event carries the
SHA-256 of the archived documents, so ``verify_archive`` detects an edit made by direct SQL (the
audit chain in turn detects an edit of that event).

Accepting a version is a consent-ledger row for the ``policy`` purpose naming the version. Only
the version the user is asked to accept or the version in effect can be accepted, and accepting
again what the newest row already grants appends nothing. A *significant* version (C002-22,
C004-24) must be accepted before the user's next use: ``needs_acceptance`` answers that in one
indexed query, which the middleware runs on every authenticated request.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError
from candor.privacy import audit, consent, documents
from candor.privacy.models import AuditEvent, ConsentRecord, PolicyVersion

# Version numbers appear in URLs and in the consent ledger: keep them short and plain.
NUMBER = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,31}")


class PolicyError(CandorError):
    status = 400
    code = "policy_invalid"


class PolicyVersionNotFound(CandorError):
    status = 404
    code = "policy_version_not_found"

    def __init__(self, number: str) -> None:
        super().__init__(_("There is no policy version “%(number)s”.") % {"number": number})


class PolicyVersionNotAcceptable(CandorError):
    """Accepting a version the user is not asked to accept: an older one or an announced one."""

    status = 400
    code = "policy_version_not_acceptable"

    def __init__(self, number: str, acceptable: list[str]) -> None:
        if acceptable:
            message = _("Version %(number)s cannot be accepted: accept version %(acceptable)s.") % {
                "number": number,
                "acceptable": " / ".join(acceptable),
            }
        else:
            message = _("Version %(number)s cannot be accepted: it is not in effect.") % {"number": number}
        super().__init__(
            message, fields={"version": [str(message)]}, extra={"acceptable_versions": acceptable}
        )


class PolicyConsentRequired(CandorError):
    """A significant version the user has not accepted yet: nothing else works until they do."""

    status = 403
    code = "policy_consent_required"

    def __init__(self, version: PolicyVersion) -> None:
        super().__init__(
            _("The privacy policy changed. Please read and accept version %(number)s to continue.")
            % {"number": version.number},
            extra={"policy_version": version.number},
        )


def doc_language(lang: str | None) -> str:
    """The archive's language key for a request language (zh-hans, zh-cn … → zh-hans)."""
    return "zh-hans" if (lang or "").lower().startswith("zh") else "en"


def summary(version: PolicyVersion, lang: str | None) -> str:
    return version.summary_zh if doc_language(lang) == "zh-hans" else version.summary_en


def document(version: PolicyVersion, *, kind: str, lang: str | None, fmt: str = "html") -> str:
    """One archived document exactly as published: ``documents[lang][kind][fmt]``."""
    return str(version.documents[doc_language(lang)][kind][fmt])


def current(*, now: datetime | None = None) -> PolicyVersion | None:
    return (
        PolicyVersion.objects.filter(effective_at__lte=now or timezone.now())
        .order_by("-effective_at", "-id")
        .first()
    )


def upcoming(*, now: datetime | None = None) -> PolicyVersion | None:
    """The next announced version, published ahead of its effective date (C004-24)."""
    return (
        PolicyVersion.objects.filter(effective_at__gt=now or timezone.now())
        .order_by("effective_at", "id")
        .first()
    )


def versions() -> list[PolicyVersion]:
    """Every published version, newest first, including announced ones not yet in effect."""
    return list(PolicyVersion.objects.order_by("-effective_at", "-id"))


def get(number: str) -> PolicyVersion:
    version: PolicyVersion | None = PolicyVersion.objects.filter(number=number).first()
    if version is None:
        raise PolicyVersionNotFound(number)
    return version


@transaction.atomic
def publish(
    *,
    number: str,
    effective_at: datetime,
    significant: bool,
    summary_zh: str,
    summary_en: str,
    actor_id: int | None = None,
) -> PolicyVersion:
    if not NUMBER.fullmatch(number):
        raise PolicyError(_("A version number uses letters, digits, dots and dashes only."))
    if not summary_zh.strip() or not summary_en.strip():
        raise PolicyError(_("Users are told what changed: give the summary in Chinese and English."))
    if PolicyVersion.objects.filter(number=number).exists():
        raise PolicyError(_("Version %(number)s is already published.") % {"number": number}, status=409)
    latest = PolicyVersion.objects.order_by("-effective_at").first()
    if latest is not None and effective_at < latest.effective_at:
        # Taking effect before an already published version would rewrite what users saw.
        raise PolicyError(
            _("A new version cannot take effect before version %(number)s.") % {"number": latest.number}
        )
    version = PolicyVersion.objects.create(
        number=number,
        effective_at=effective_at,
        significant=significant,
        summary_zh=summary_zh.strip(),
        summary_en=summary_en.strip(),
        documents=documents.render_all(),
    )
    audit.record(
        action=audit.Action.POLICY,
        actor_id=actor_id,
        target=_target(version),
        detail={
            "number": number,
            "significant": significant,
            "effective_at": effective_at.isoformat(),
            "sha256": digest(version.documents),
        },
    )
    return version


def _target(version: PolicyVersion) -> str:
    return f"privacy.policyversion:{version.pk}"


def digest(archived: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the documents' canonical JSON, the audit log's own canonical form:
    sorted keys, no spaces, ASCII — the same bytes whichever database stored them."""
    text = audit.canonical_json(json.dumps(archived))
    return hashlib.sha256(text.encode()).hexdigest()


def verify_archive(version: PolicyVersion) -> bool:
    """Whether the stored documents are still exactly those published: they are read afresh
    from the database and compared with the hash in the publication's audit event. False also
    when that event is missing or carries no hash."""
    event = (
        AuditEvent.objects.filter(action=audit.Action.POLICY, target=_target(version)).order_by("seq").first()
    )
    expected = event.detail.get("sha256") if event is not None and isinstance(event.detail, dict) else None
    stored = PolicyVersion.objects.filter(pk=version.pk).values_list("documents", flat=True).first()
    return isinstance(expected, str) and stored is not None and digest(stored) == expected


def acceptable(user_id: int, *, now: datetime | None = None) -> list[PolicyVersion]:
    """The versions a user may accept now: the one they are asked to accept, and the one in effect."""
    moment = now or timezone.now()
    found = [needs_acceptance(user_id, now=moment), current(now=moment)]
    return [v for i, v in enumerate(found) if v is not None and v not in found[:i]]


@transaction.atomic
def accept(
    *, user_id: int, version: PolicyVersion, channel: str, evidence: Mapping[str, Any]
) -> ConsentRecord:
    """Record that the user accepted ``version``; refuses any version ``acceptable`` does not
    list, and returns the newest row unchanged when it already grants this version."""
    allowed = acceptable(user_id)
    if version not in allowed:
        raise PolicyVersionNotAcceptable(version.number, [v.number for v in allowed])
    last = consent.latest(user_id, consent.POLICY)
    if last is not None and last.granted and last.policy_version == version.number:
        return last
    return consent.grant(
        user_id, consent.POLICY, channel=channel, policy_version=version.number, evidence=evidence
    )


def needs_acceptance(user_id: int, *, now: datetime | None = None) -> PolicyVersion | None:
    """The newest significant version in effect that the user has not accepted, or None.

    The user's newest ``policy`` ledger row decides: granted for this version or any version
    ordered after it counts as accepted; a withdrawal does not. One query, using the ledger's
    (subject, purpose, -id) index; no per-process cache, so a publication or a withdrawal
    takes effect on the very next request in every worker.
    """
    ledger = ConsentRecord.objects.filter(subject_id=user_id, purpose=consent.POLICY).order_by("-id")
    accepted = PolicyVersion.objects.filter(number=OuterRef("accepted_number"))
    version: PolicyVersion | None = (
        PolicyVersion.objects.filter(significant=True, effective_at__lte=now or timezone.now())
        .order_by("-effective_at", "-id")
        .defer("documents")
        .annotate(
            accepted_number=Subquery(ledger.values("policy_version")[:1]),
            accepted_granted=Subquery(ledger.values("granted")[:1]),
        )
        .annotate(
            accepted_effective_at=Subquery(accepted.values("effective_at")[:1]),
            accepted_id=Subquery(accepted.values("id")[:1]),
        )
        .first()
    )
    if version is None:
        return None
    granted, effective_at, pk = (
        getattr(version, "accepted_granted"),  # noqa: B009 - annotations, unknown to the model type
        getattr(version, "accepted_effective_at"),  # noqa: B009
        getattr(version, "accepted_id"),  # noqa: B009
    )
    if granted and effective_at is not None and (effective_at, pk) >= (version.effective_at, version.pk):
        return None
    return version


def diff(old: PolicyVersion, new: PolicyVersion, *, lang: str | None) -> str:
    """A unified line diff of the two versions' archived Markdown, document by document."""
    chunks: list[str] = []
    for kind in documents.KINDS:
        before = document(old, kind=kind, lang=lang, fmt="markdown").splitlines()
        after = document(new, kind=kind, lang=lang, fmt="markdown").splitlines()
        with translation.override(doc_language(lang)):
            name = documents.title(kind)
        before_name, after_name = f"{name} {old.number}", f"{name} {new.number}"
        chunks.extend(difflib.unified_diff(before, after, before_name, after_name, lineterm=""))
    return "\n".join(chunks)
