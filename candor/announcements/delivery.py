"""Sending one announcement to many members, in chunks, with its progress on the ``NoticeRun``.

Each chunk is one transaction: the inbox rows (``inbox.message_broadcast``, written in the
member's own language, e-mailed after commit to a verified address), the text messages, and the
run's counters. A text message is a hand-over to the SMS gateway, so it goes through
``disclosure.disclose`` (recorded) in a savepoint of its own: when the gateway refuses, that one
message and its disclosure record are rolled back and counted as not sent, and the rest go on.

A run can be resumed where it stopped: an incident's run works through the affected members not
yet notified; a broadcast through accounts opened before the run, after the last one it reached
(``cursor``), so nobody is told twice. Members who register later accepted the policy in force
then and see any shutdown notice on every page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from candor.announcements.models import (
    Incident,
    IncidentAffected,
    NoticeRun,
    PolicyDraft,
    ShutdownNotice,
    SmsHandOver,
    SmsNotice,
)
from candor.inbox import services as inbox
from candor.integrations.sms.base import NOTICE_TEMPLATE, SmsGateway, SmsUnavailable, gateway
from candor.privacy import crypto, disclosure, policy, taxonomy
from candor.privacy.keyring import DecryptionError, RestrictedData, SubjectErased
from candor.privacy.taxonomy import Purpose
from candor.verification.phones import InvalidPhone, normalize_cn_mobile

CHUNK = 500
# The SMS template is approved in Chinese, so its one variable is too: a fixed, short subject.
SMS_TOPICS = {
    NoticeRun.Kind.POLICY: "隐私政策更新",
    NoticeRun.Kind.INCIDENT: "个人信息安全事件",
}

Compose = Callable[[], tuple[str, str, str]]  # (title, body, link) in the active language


def when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# --- what each kind of announcement says -----------------------------------------------------


def policy_text(draft: PolicyDraft) -> tuple[str, str, str]:
    version = draft.published_version
    assert version is not None
    lang = translation.get_language()
    title = _("Privacy policy %(number)s: what changed") % {"number": version.number}
    body = "\n\n".join(
        [
            policy.summary(version, lang),
            _(
                "It takes effect on %(date)s. When you next use Candor after that, you will be asked to "
                "read and accept it. Every version stays readable under Me → Privacy → Policy versions."
            )
            % {"date": when(version.effective_at)},
        ]
    )
    return title, body, reverse("privacy:version", args=[version.number])


def incident_text(incident: Incident) -> tuple[str, str, str]:
    categories = _(", ").join(
        str(taxonomy.CATEGORIES[code].label) for code in incident.categories if code in taxonomy.CATEGORIES
    )
    sections = [
        (_("What happened"), f"{incident.what_happened}\n{_('When')}: {when(incident.occurred_at)}"),
        (_("Personal information involved"), categories),
        (_("Cause"), incident.cause),
        (_("Possible harm"), incident.consequences),
        (_("What we have done"), incident.measures),
        (_("What you can do"), incident.advice),
        (_("Contact us"), incident.contact),
    ]
    body = "\n\n".join(f"{heading}\n{text}" for heading, text in sections)
    title = _("A security incident concerning your personal information: %(title)s") % {
        "title": incident.title
    }
    return title, body, ""


def shutdown_text(notice: ShutdownNotice) -> tuple[str, str, str]:
    lang = translation.get_language()
    title = _("Candor will end its service on %(date)s") % {"date": when(notice.shutdown_at)}
    body = "\n\n".join(
        [
            notice.message(lang),
            _("Until then you can download a copy of your data and cancel your account in Me → Privacy."),
        ]
    )
    return title, body, reverse("announcements:list")


# --- sending ---------------------------------------------------------------------------------


class _Sender:
    """The counters of one chunk, and the text messages it sends."""

    def __init__(self, kind: str, sms: SmsGateway | None) -> None:
        self.kind, self.sms = kind, sms
        self.emailed = self.texted = self.text_failures = 0

    def broadcast(self, users: list[Any], compose: Compose) -> set[int]:
        """The inbox message to each user in their language (and the e-mail, after commit);
        returns the users with a verified address, whom the e-mail reaches."""
        by_language: dict[str, list[int]] = defaultdict(list)
        for user in users:
            by_language[user.language or "zh-hans"].append(user.pk)
        for language, ids in by_language.items():
            with translation.override(language):
                title, body, link = compose()
            inbox.message_broadcast(
                user_ids=ids, kind=self.kind, title=title, body=body, link=link, email=True
            )
        mailed = EmailAddress.objects.filter(user_id__in=[u.pk for u in users], verified=True, primary=True)
        found = set(mailed.values_list("user_id", flat=True))
        self.emailed += len(found)
        return found

    def text(self, row: SmsHandOver, user: Any, purpose: Purpose) -> str:
        """Send the notice template to the user's own mobile; the receipt, or "" if none went."""
        if self.sms is None:
            return ""
        try:
            stored = user.phone
            phone = normalize_cn_mobile(stored) if stored else ""
        except (InvalidPhone, DecryptionError, RestrictedData, SubjectErased):
            # A number that cannot be read or texted must not stop the others' notices.
            self.text_failures += 1
            return ""
        if not phone:
            return ""
        try:
            with transaction.atomic():
                if isinstance(row, SmsNotice) and row.pk is None:
                    row.save()
                outgoing = row.outgoing(phone=phone, topic=SMS_TOPICS[self.kind])
                payload = disclosure.disclose(taxonomy.SMS_GATEWAY, outgoing, purpose)
                receipt = self.sms.send(
                    phone=payload["phone"], template=NOTICE_TEMPLATE, params=payload["message"]
                )
                if isinstance(row, SmsNotice):
                    row.receipt = receipt
                    row.save(update_fields=["receipt"])
        except SmsUnavailable:
            self.text_failures += 1
            return ""
        self.texted += 1
        return receipt


def _count(run: NoticeRun, sender: _Sender, done: int, **extra: Any) -> None:
    NoticeRun.objects.filter(pk=run.pk).update(
        done=F("done") + done, emailed=F("emailed") + sender.emailed, texted=F("texted") + sender.texted,
        text_failures=F("text_failures") + sender.text_failures, **extra,
    )  # fmt: skip


def broadcast_members(*, before: datetime, after: int = 0) -> Any:
    """The accounts a broadcast reaches: active, opened before it started, past its cursor."""
    users = get_user_model()._default_manager.filter(is_active=True, date_joined__lt=before, pk__gt=after)
    return users.order_by("pk")


def _broadcast(run: NoticeRun, compose: Compose, *, sms: SmsGateway | None) -> None:
    cursor = run.cursor
    while users := list(broadcast_members(before=run.created_at, after=cursor)[:CHUNK]):
        with transaction.atomic(), crypto.key_scope():  # keys of this chunk's members only
            sender = _Sender(run.kind, sms)
            sender.broadcast(users, compose)
            for user in users:
                sender.text(SmsNotice(run=run, user=user), user, taxonomy.REGISTRATION)
            cursor = users[-1].pk
            _count(run, sender, len(users), cursor=cursor)


def _incident(run: NoticeRun, incident: Incident, *, sms: SmsGateway | None) -> None:
    pending = IncidentAffected.objects.filter(incident=incident, notified_at__isnull=True)
    while True:
        with transaction.atomic(), crypto.key_scope():
            rows = list(pending.select_for_update(of=("self",)).select_related("user").order_by("pk")[:CHUNK])
            if not rows:
                return
            sender = _Sender(run.kind, sms)
            mailed = sender.broadcast([row.user for row in rows], lambda: incident_text(incident))
            now = timezone.now()
            for row in rows:
                row.sms_receipt = sender.text(row, row.user, taxonomy.TRANSACTION_SECURITY)
                row.emailed, row.notified_at = row.user_id in mailed, now
            IncidentAffected.objects.bulk_update(rows, ["sms_receipt", "emailed", "notified_at"])
            _count(run, sender, len(rows))


def run_notice(run_id: int) -> NoticeRun:
    """Send (or go on sending) one announcement; the task behind every ``NoticeRun``."""
    run = NoticeRun.objects.get(pk=run_id)
    if run.status == NoticeRun.Status.DONE:
        return run
    NoticeRun.objects.filter(pk=run.pk).update(status=NoticeRun.Status.RUNNING)
    try:
        if run.kind == NoticeRun.Kind.INCIDENT:
            _incident(run, Incident.objects.get(notice_run=run), sms=gateway())
        elif run.kind == NoticeRun.Kind.POLICY:
            draft = PolicyDraft.objects.select_related("published_version").get(notice_run=run)
            _broadcast(run, lambda: policy_text(draft), sms=gateway())
        else:
            notice = ShutdownNotice.objects.get(notice_run=run)
            _broadcast(run, lambda: shutdown_text(notice), sms=None)
    except Exception:
        NoticeRun.objects.filter(pk=run.pk).update(status=NoticeRun.Status.FAILED)
        raise
    NoticeRun.objects.filter(pk=run.pk).update(status=NoticeRun.Status.DONE, finished_at=timezone.now())
    run.refresh_from_db()
    return run
