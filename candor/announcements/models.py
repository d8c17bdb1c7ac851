"""What Candor announces to its members, and the record that each notice went out.

A policy version is drafted here (``PolicyDraft``) and published through the privacy core, which
archives it; a significant one is announced to every member. A personal-information incident
(``Incident``) is recorded with the facts PIPL art. 57 asks for, its affected members are found by
a query and kept (``IncidentAffected``), and each of them is told, by every channel we have for
them, exactly once. A shutdown of the service (``ShutdownNotice``) is announced at least 30 days
ahead (C002-21). Sending to many people runs in the background as a ``NoticeRun`` whose counters
are its progress; every text message it sends is a disclosure to the SMS gateway, recorded.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SmsHandOver:
    """What the SMS gateway receives about a row (the ``Share`` in personal_data.py): the number
    and the notice's subject exist only in memory, for the one hand-over, never in the row."""

    _outgoing: dict[str, Any]

    def outgoing(self, *, phone: str, topic: str) -> SmsHandOver:
        self._outgoing = {"phone": phone, "message": {"topic": topic}}
        return self

    @property
    def phone(self) -> str:
        return str(self.__dict__.get("_outgoing", {}).get("phone", ""))

    phone.fget.short_description = _("mobile number")  # type: ignore[attr-defined]

    @property
    def message(self) -> dict[str, str]:
        return dict(self.__dict__.get("_outgoing", {}).get("message", {}))

    message.fget.short_description = _("message content (the subject of the notice)")  # type: ignore[attr-defined]


class NoticeRun(models.Model):
    """One announcement on its way to many members: what it is, how far it got."""

    class Kind(models.TextChoices):
        POLICY = "policy", _("Privacy policy changed")
        INCIDENT = "incident", _("Security incident")
        SHUTDOWN = "shutdown", _("Service ending")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Sending")
        DONE = "done", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    target = models.CharField(_("announcement"), max_length=64)  # "announcements.incident:3"
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("members to notify"), default=0)
    done = models.PositiveIntegerField(_("members notified"), default=0)
    emailed = models.PositiveIntegerField(_("e-mails"), default=0)
    texted = models.PositiveIntegerField(_("text messages"), default=0)
    text_failures = models.PositiveIntegerField(_("text messages not sent"), default=0)
    # A broadcast goes through accounts in id order: the last one it reached, to resume after.
    cursor = models.BigIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("started by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice run")
        verbose_name_plural = _("notice runs")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)


class PolicyDraft(models.Model):
    """A policy version being prepared; publishing it makes the archived ``PolicyVersion``."""

    number = models.CharField(_("version number"), max_length=32, unique=True)
    effective_at = models.DateTimeField(_("takes effect at"))
    significant = models.BooleanField(
        _("significant change"),
        default=False,
        help_text=_("Members are notified and must accept it before their next use."),
    )
    summary_zh = models.TextField(_("summary of changes (Chinese)"))
    summary_en = models.TextField(_("summary of changes (English)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("drafted by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("drafted at"), auto_now_add=True)
    published_version = models.ForeignKey(
        "privacy.PolicyVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("published version"),
    )  # fmt: skip
    notice_run = models.ForeignKey(
        NoticeRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("notice to members"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("policy draft")
        verbose_name_plural = _("policy drafts")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return str(_("Policy %(number)s") % {"number": self.number})


class Incident(models.Model):
    """A personal-information security incident, with the facts PIPL art. 57 requires."""

    class Status(models.TextChoices):
        INVESTIGATING = "investigating", _("Investigating")
        CONTAINED = "contained", _("Contained")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    what_happened = models.TextField(_("what happened"))
    occurred_at = models.DateTimeField(_("when it happened"))
    discovered_at = models.DateTimeField(_("when it was found"))
    categories = models.JSONField(_("categories of personal information involved"), default=list)
    cause = models.TextField(_("cause"))
    consequences = models.TextField(_("possible harm"))
    measures = models.TextField(_("remedial measures taken"))
    advice = models.TextField(_("what members can do to reduce the harm"))
    contact = models.TextField(_("contact for questions"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.INVESTIGATING
    )
    reported_to_regulator_at = models.DateTimeField(_("reported to the regulator at"), null=True, blank=True)
    # Each search for affected members, kept as the record of how the set was found.
    queries = models.JSONField(_("searches for affected members"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    notice_run = models.ForeignKey(
        NoticeRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("notice to affected members"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ("-discovered_at", "-id")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class IncidentAffected(SmsHandOver, models.Model):
    """One member an incident touched, and how they were told."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="affected", verbose_name=_("incident")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("member")
    )
    found_at = models.DateTimeField(_("found at"), auto_now_add=True)
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    emailed = models.BooleanField(_("told by e-mail"), default=False)
    sms_receipt = models.CharField(_("text message receipt"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("affected member")
        verbose_name_plural = _("affected members")
        constraints = [
            models.UniqueConstraint(fields=["incident", "user"], name="announcements_affected_once")
        ]
        indexes = [models.Index(fields=["incident", "notified_at"], name="announcements_affected_todo")]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class SmsNotice(SmsHandOver, models.Model):
    """A text message that told a member about a policy change: the record of its hand-over."""

    run = models.ForeignKey(NoticeRun, on_delete=models.CASCADE, related_name="texts", verbose_name=_("run"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("member")
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    receipt = models.CharField(_("receipt id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("text message notice")
        verbose_name_plural = _("text message notices")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"


class ShutdownNotice(models.Model):
    """The service will end: announced to every member at least 30 days ahead (C002-21)."""

    announced_at = models.DateTimeField(_("announced at"))
    shutdown_at = models.DateTimeField(_("service ends at"))
    message_zh = models.TextField(_("message (Chinese)"))
    message_en = models.TextField(_("message (English)"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("announced by"),
    )  # fmt: skip
    notice_run = models.ForeignKey(
        NoticeRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("notice to members"),
    )  # fmt: skip
    # True until its date has passed: at most one notice is in force, which the database enforces
    # (two staff announcing at once both find none yet; the second insert fails).
    in_force = models.BooleanField(_("in force"), default=True, editable=False)

    class Meta:
        verbose_name = _("shutdown notice")
        verbose_name_plural = _("shutdown notices")
        ordering = ("-announced_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["in_force"],
                condition=models.Q(in_force=True),
                name="announcements_one_shutdown_in_force",
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"

    def message(self, lang: str | None) -> str:
        return self.message_zh if (lang or "").lower().startswith("zh") else self.message_en
