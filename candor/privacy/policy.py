"""Policy versions: publish, archive, accept, and who still has to accept a significant change.

``publish`` snapshots every generated document in both languages into the version row, so an
archived version reads exactly as it was published however the declarations change later
(C002-23, C003-27). Accepting a version is a consent-ledger row for the ``policy`` purpose
naming the version. A *significant* version (C002-22, C004-24) must be accepted before the
user's next use: ``needs_acceptance`` answers that in one indexed query, which the middleware
runs on every authenticated request.
"""

from __future__ import annotations

import difflib
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
from candor.privacy.models import ConsentRecord, PolicyVersion

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
    version = PolicyVersion.objects.filter(number=number).first()
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
        target=f"privacy.policyversion:{version.pk}",
        detail={"number": number, "significant": significant, "effective_at": effective_at.isoformat()},
    )
    return version


def accept(
    *, user_id: int, version: PolicyVersion, channel: str, evidence: Mapping[str, Any]
) -> ConsentRecord:
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
    version = (
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
