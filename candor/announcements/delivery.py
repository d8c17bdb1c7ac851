"""Sending one announcement to many members, in chunks, with its progress on the ``NoticeRun``.

Each member is told in a small transaction of their own: the inbox message (in the member's own
language, e-mailed after commit to a verified address), the mark that they were told, and, for a
text message — a hand-over to the SMS gateway — its ``disclosure.disclose`` record. The text goes
to the gateway only after that commit, outside any transaction (``_Sender``): nothing that fails
later can roll back the record of a text that went out. When the gateway refuses, the text is
counted as not sent (the gateway did receive the request, so its record stays) and the rest go on.

A run can be resumed where it stopped: an incident's run works through the affected members not
yet notified; a broadcast through accounts opened before the run, after the last one it reached
(``cursor``, moved member by member), so nobody is told — or texted — twice. Members who
register later accepted the policy in force then and see any shutdown notice on every page.
"""

from __future__ import annotations

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
    """Tells members one by one, and keeps the run's counters.

    Each member is one small transaction: their inbox message (the e-mail after commit), the
    record that they were told (``notified_at``, or the run's ``cursor``) and, when they get a
    text, its hand-over row and disclosure record. The text itself goes to the gateway after
    that commit, outside any transaction: a failure later on can no longer roll back the record
    of a text that went out, and a resumed run never texts the same person twice. (The price: a
    crash between the commit and the send leaves one member marked and not texted; they still
    have the inbox message and the e-mail.)"""

    def __init__(self, run: NoticeRun, sms: SmsGateway | None, compose: Compose) -> None:
        self.run, self.sms, self.compose = run, sms, compose
        self.texts: dict[str, tuple[str, str, str]] = {}

    def _text(self, language: str) -> tuple[str, str, str]:
        if language not in self.texts:
            with translation.override(language):
                self.texts[language] = self.compose()
        return self.texts[language]

    def _phone(self, user: Any) -> str:
        """The member's mobile, normalized; "" (counted as a failure) when it cannot be read."""
        if self.sms is None:
            return ""
        try:
            stored = user.phone
            return normalize_cn_mobile(stored) if stored else ""
        except (InvalidPhone, DecryptionError, RestrictedData, SubjectErased):
            # A number that cannot be read or texted must not stop the others' notices.
            self._count(text_failures=1)
            return ""

    def _count(self, **fields: int) -> None:
        NoticeRun.objects.filter(pk=self.run.pk).update(**{k: F(k) + v for k, v in fields.items()})

    def tell(
        self, user: Any, *, mailed: bool, claim: Callable[[], SmsHandOver | None], purpose: Purpose
    ) -> SmsHandOver | None:
        """Tell one member; ``claim`` (run inside the member's transaction) marks them as told and
        returns the hand-over row for their text, or None when another worker told them already."""
        phone = self._phone(user)
        with transaction.atomic():
            row = claim()
            if row is None:
                return None
            title, body, link = self._text(user.language or "zh-hans")
            inbox.message_send(
                user_id=user.pk, kind=self.run.kind, title=title, body=body, link=link, email=True
            )
            payload = None
            if phone:
                if isinstance(row, SmsNotice):
                    row.save()
                outgoing = row.outgoing(phone=phone, topic=SMS_TOPICS[self.run.kind])
                payload = disclosure.disclose(taxonomy.SMS_GATEWAY, outgoing, purpose)
            self._count(done=1, emailed=int(mailed))
        if payload is not None:
            self._send(row, payload)
        return row

    def _send(self, row: SmsHandOver, payload: dict[str, Any]) -> None:
        assert self.sms is not None
        try:
            receipt = self.sms.send(
                phone=payload["phone"], template=NOTICE_TEMPLATE, params=payload["message"]
            )
        except SmsUnavailable:
            self._count(text_failures=1)
            return
        field = "receipt" if isinstance(row, SmsNotice) else "sms_receipt"
        type(row)._default_manager.filter(pk=row.pk).update(**{field: receipt})  # type: ignore[attr-defined]
        setattr(row, field, receipt)
        self._count(texted=1)


def _mailed(users: list[Any]) -> set[int]:
    """The members with a verified primary address, whom the e-mail reaches."""
    found = EmailAddress.objects.filter(user_id__in=[u.pk for u in users], verified=True, primary=True)
    return set(found.values_list("user_id", flat=True))


def broadcast_members(*, before: datetime, after: int = 0) -> Any:
    """The accounts a broadcast reaches: active, opened before it started, past its cursor."""
    users = get_user_model()._default_manager.filter(is_active=True, date_joined__lt=before, pk__gt=after)
    return users.order_by("pk")


def _broadcast(run: NoticeRun, compose: Compose, *, sms: SmsGateway | None) -> None:
    sender = _Sender(run, sms, compose)

    def claim_for(user: Any) -> Callable[[], SmsHandOver | None]:
        def claim() -> SmsHandOver | None:
            current = NoticeRun.objects.select_for_update().get(pk=run.pk)
            if current.cursor >= user.pk:
                return None  # told already, by an earlier or a concurrent run
            NoticeRun.objects.filter(pk=run.pk).update(cursor=user.pk)
            return SmsNotice(run=run, user=user)

        return claim

    cursor = NoticeRun.objects.get(pk=run.pk).cursor
    while users := list(broadcast_members(before=run.created_at, after=cursor)[:CHUNK]):
        with crypto.key_scope():  # keys of this chunk's members only
            mailed = _mailed(users)
            for user in users:
                sender.tell(
                    user, mailed=user.pk in mailed, claim=claim_for(user), purpose=taxonomy.REGISTRATION
                )
        cursor = users[-1].pk


def _incident(run: NoticeRun, incident: Incident, *, sms: SmsGateway | None) -> None:
    sender = _Sender(run, sms, lambda: incident_text(incident))
    pending = IncidentAffected.objects.filter(incident=incident, notified_at__isnull=True)

    def claim_for(row: IncidentAffected, mailed: bool) -> Callable[[], SmsHandOver | None]:
        def claim() -> SmsHandOver | None:
            told = pending.filter(pk=row.pk).update(notified_at=timezone.now(), emailed=mailed)
            return row if told else None  # 0: a concurrent worker told them first

        return claim

    after = 0
    while rows := list(pending.filter(pk__gt=after).select_related("user").order_by("pk")[:CHUNK]):
        with crypto.key_scope():
            mailed = _mailed([row.user for row in rows])
            for row in rows:
                told = row.user_id in mailed
                sender.tell(
                    row.user, mailed=told, claim=claim_for(row, told), purpose=taxonomy.TRANSACTION_SECURITY
                )
        after = rows[-1].pk


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
