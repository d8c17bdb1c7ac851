"""The announcements' writes: publish a policy draft, find and notify an incident's affected
members, announce the end of the service.

Each one that reaches many members starts a ``NoticeRun`` and hands it to the background task
after commit, so a rolled-back publication or announcement never notifies anybody, and the
worker sees the rows it needs. What staff do here is audited in the same transaction; publishing
itself is audited by the privacy core (``policy.publish``), and every text message by
``disclosure``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candor.announcements import audience, delivery, tasks
from candor.announcements.models import (
    Incident,
    IncidentAffected,
    NoticeRun,
    PolicyDraft,
    ShutdownNotice,
)
from candor.announcements.selectors import SHUTDOWN_CACHE_KEY
from candor.errors import CandorError
from candor.privacy import audit, policy

SHUTDOWN_NOTICE = timedelta(days=30)  # C002-21
BATCH = 1000
# The facts PIPL art. 57 asks the notice to carry; none may be left out.
FACTS = ("title", "what_happened", "cause", "consequences", "measures", "advice", "contact")


class AnnouncementRefused(CandorError):
    status = 409
    code = "announcement_refused"


def _start(*, kind: str, target: str, actor_id: int | None, total: int | None = None) -> NoticeRun:
    """A run to send after commit; without ``total`` it is a broadcast to every member."""
    run = NoticeRun.objects.create(kind=kind, target=target, created_by_id=actor_id)
    run.total = delivery.broadcast_members(before=run.created_at).count() if total is None else total
    run.save(update_fields=["total"])
    transaction.on_commit(lambda: tasks.announcements_notice_run(run.pk))
    return run


def _running(run: NoticeRun | None) -> bool:
    return run is not None and run.status in {NoticeRun.Status.QUEUED, NoticeRun.Status.RUNNING}


# --- policy -----------------------------------------------------------------------------------


@transaction.atomic
def policy_draft_publish(*, draft_id: int, actor_id: int) -> PolicyDraft:
    """Publish the draft as a policy version; a significant one is announced to every member,
    who must then accept it before their next use (the core's ``PolicyConsentMiddleware``)."""
    draft = PolicyDraft.objects.select_for_update().get(pk=draft_id)
    if draft.published_version_id is not None:
        raise AnnouncementRefused(_("This draft is already published."))
    draft.published_version = policy.publish(
        number=draft.number,
        effective_at=draft.effective_at,
        significant=draft.significant,
        summary_zh=draft.summary_zh,
        summary_en=draft.summary_en,
        actor_id=actor_id,
    )
    if draft.significant:
        draft.notice_run = _start(
            kind=NoticeRun.Kind.POLICY, target=f"announcements.policydraft:{draft.pk}", actor_id=actor_id
        )
    draft.save(update_fields=["published_version", "notice_run"])
    return draft


# --- incidents --------------------------------------------------------------------------------


def _target(incident: Incident) -> str:
    return f"announcements.incident:{incident.pk}"


@transaction.atomic
def incident_find_affected(*, incident_id: int, query: audience.AudienceQuery, actor_id: int) -> int:
    """Replace the affected members not yet notified with those the query finds (members already
    told stay, and are not found twice); returns how many the query added."""
    incident = Incident.objects.select_for_update().get(pk=incident_id)
    found = audience.members(query)
    IncidentAffected.objects.filter(incident=incident, notified_at__isnull=True).delete()
    told = IncidentAffected.objects.filter(incident=incident).values("user_id")
    added = 0
    batch: list[IncidentAffected] = []
    for user_id in found.exclude(pk__in=told).iterator(chunk_size=BATCH):
        batch.append(IncidentAffected(incident=incident, user_id=user_id))
        if len(batch) == BATCH:
            added += len(IncidentAffected.objects.bulk_create(batch))
            batch = []
    added += len(IncidentAffected.objects.bulk_create(batch))
    record = {**query.as_record(), "at": timezone.now().isoformat(), "by": actor_id, "found": added}
    incident.queries = [*incident.queries, record]
    incident.save(update_fields=["queries"])
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=actor_id,
        target=_target(incident),
        fields=["affected"],
        purpose="transaction_security",
        detail={"operation": "find_affected", "source": query.source.value, "found": added},
    )
    return added


def missing_facts(incident: Incident) -> list[str]:
    """The art. 57 facts still blank, by field name."""
    missing = [name for name in FACTS if not str(getattr(incident, name) or "").strip()]
    return missing + ([] if incident.categories else ["categories"])


@transaction.atomic
def incident_notify(*, incident_id: int, actor_id: int) -> NoticeRun:
    """Tell every affected member not yet told (inbox, e-mail, text message), in the background."""
    incident = (
        Incident.objects.select_for_update(of=("self",)).select_related("notice_run").get(pk=incident_id)
    )
    missing = missing_facts(incident)
    if missing:
        labels = ", ".join(str(Incident._meta.get_field(name).verbose_name) for name in missing)
        raise AnnouncementRefused(
            _("The notice must say everything the law asks for. Missing: %(facts)s") % {"facts": labels},
            fields={name: [str(_("Required for the notice."))] for name in missing},
        )
    if _running(incident.notice_run):
        raise AnnouncementRefused(_("The affected members are being notified already."))
    pending = IncidentAffected.objects.filter(incident=incident, notified_at__isnull=True).count()
    if not pending:
        raise AnnouncementRefused(_("No affected member is waiting to be notified: find them first."))
    incident.notice_run = _start(
        kind=NoticeRun.Kind.INCIDENT, target=_target(incident), total=pending, actor_id=actor_id
    )
    incident.save(update_fields=["notice_run"])
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=actor_id,
        target=_target(incident),
        fields=["notified_at"],
        purpose="transaction_security",
        detail={"operation": "notify_affected", "members": pending},
    )
    return incident.notice_run


# --- shutdown ---------------------------------------------------------------------------------


@transaction.atomic
def shutdown_announce(
    *,
    shutdown_at: datetime,
    message_zh: str,
    message_en: str,
    actor_id: int,
    now: datetime | None = None,
) -> ShutdownNotice:
    """Announce the end of the service to every member, no less than 30 days ahead (C002-21)."""
    moment = now or timezone.now()
    earliest = moment + SHUTDOWN_NOTICE
    if shutdown_at < earliest:
        message = _(
            "Members must be told at least 30 days ahead: the service can end on %(date)s at the earliest."
        ) % {"date": delivery.when(earliest)}
        raise CandorError(message, code="shutdown_too_soon", fields={"shutdown_at": [str(message)]})
    if not message_zh.strip() or not message_en.strip():
        message = _("Tell members what ends and what they can do, in Chinese and English.")
        raise CandorError(message, code="shutdown_message_required", fields={"message_zh": [str(message)]})
    ShutdownNotice.objects.filter(in_force=True, shutdown_at__lte=moment).update(in_force=False)  # passed
    if ShutdownNotice.objects.filter(in_force=True).exists():
        raise AnnouncementRefused(_("A shutdown is announced already."))
    try:
        with transaction.atomic():  # a concurrent announcement may have passed the check too
            notice = ShutdownNotice.objects.create(
                announced_at=moment,
                shutdown_at=shutdown_at,
                message_zh=message_zh.strip(),
                message_en=message_en.strip(),
                created_by_id=actor_id,
            )
    except IntegrityError:  # announcements_one_shutdown_in_force: the other one won
        raise AnnouncementRefused(_("A shutdown is announced already.")) from None
    notice.notice_run = _start(
        kind=NoticeRun.Kind.SHUTDOWN, target=f"announcements.shutdownnotice:{notice.pk}", actor_id=actor_id
    )
    notice.save(update_fields=["notice_run"])
    transaction.on_commit(lambda: cache.delete(SHUTDOWN_CACHE_KEY))
    return notice
