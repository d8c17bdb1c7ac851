"""Reads of the announcements: the shutdown bar, the public notices page, a draft's preview and
an incident's report for the regulator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone, translation

from candor.announcements.models import Incident, NoticeRun, PolicyDraft, ShutdownNotice
from candor.privacy import documents, policy, taxonomy
from candor.privacy.models import PolicyVersion

SHUTDOWN_CACHE_KEY = "announcements:shutdown"
SHUTDOWN_CACHE_SECONDS = 60  # the bar is on every page: one query a minute per process at most


def active_shutdown(*, now: datetime | None = None) -> ShutdownNotice | None:
    """The announced shutdown still ahead, if any (cached: the site-wide bar reads it)."""
    if now is not None:
        return ShutdownNotice.objects.filter(shutdown_at__gt=now, announced_at__lte=now).first()
    found: ShutdownNotice | str | None = cache.get(SHUTDOWN_CACHE_KEY)
    if found is None:
        found = active_shutdown(now=timezone.now()) or ""
        cache.set(SHUTDOWN_CACHE_KEY, found, SHUTDOWN_CACHE_SECONDS)
    if isinstance(found, ShutdownNotice) and found.shutdown_at <= timezone.now():
        return None
    return found or None


def policy_versions() -> list[PolicyVersion]:
    """Every published version, newest first, without the archived documents."""
    return list(PolicyVersion.objects.defer("documents").order_by("-effective_at", "-id"))


@dataclass(frozen=True)
class Preview:
    """What publishing the draft would archive, in one language, and how it differs."""

    lang: str
    documents: dict[str, str]  # kind -> HTML fragment
    titles: dict[str, str]
    current: PolicyVersion | None
    diff: str


def policy_preview(draft: PolicyDraft, *, lang: str) -> Preview:
    """The documents generated from today's declarations, as ``policy.publish`` would archive
    them, and their diff against the version in effect (``policy.diff``)."""
    lang = policy.doc_language(lang)
    rendered = {
        kind: {fmt: documents.render(kind, fmt=fmt, lang=lang) for fmt in documents.FORMATS}
        for kind in documents.KINDS
    }
    # An unsaved version holding the rendered documents: what the diff compares, never stored.
    candidate = PolicyVersion(number=draft.number, documents={lang: rendered})
    current = policy.current()
    with translation.override(lang):
        titles = {kind: str(documents.title(kind)) for kind in documents.KINDS}
    return Preview(
        lang=lang,
        documents={kind: rendered[kind]["html"] for kind in documents.KINDS},
        titles=titles,
        current=current,
        diff=policy.diff(current, candidate, lang=lang) if current is not None else "",
    )


@dataclass(frozen=True)
class Report:
    """The facts of an incident for the regulator (PIPL art. 57) and what was done about it."""

    incident: Incident
    categories: list[tuple[str, str, bool]]  # (code, label, sensitive)
    affected: int
    notified: int
    emailed: int
    texted: int
    run: NoticeRun | None


def incident_report(incident: Incident) -> Report:
    counts = incident.affected.aggregate(
        affected=Count("pk"),
        notified=Count("pk", filter=Q(notified_at__isnull=False)),
        emailed=Count("pk", filter=Q(emailed=True)),
        texted=Count("pk", filter=~Q(sms_receipt="")),
    )
    categories = [
        (code, str(taxonomy.CATEGORIES[code].label), taxonomy.CATEGORIES[code].sensitive)
        for code in incident.categories
        if code in taxonomy.CATEGORIES
    ]
    return Report(incident=incident, categories=categories, run=incident.notice_run, **counts)
