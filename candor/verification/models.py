"""One-time codes, and the e-mails of the dev outbox.

A code row holds no phone number and no code: the number only as a keyed hash (to count and
find the codes of one number) and the code only as a keyed hash (to check it). Rows are also
the rate-limit counters — limits are counted from them, so they hold across every process —
which is why a row lives one day, the longest rate-limit window, and not a minute more.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    REGISTER = "register", _("registration")
    LOGIN = "login", _("login")
    RESET_PASSWORD = "reset_password", _("password reset")
    GUARDIAN = "guardian", _("guardian verification")
    BIND_PHONE = "bind_phone", _("binding a mobile number")
    CANCEL_ACCOUNT = "cancel_account", _("account cancellation")
    REALNAME = "realname", _("real-name verification")
    # Staff check a privacy requester's identity with it: a code of its own, never a login code,
    # so whoever the requester reads it to cannot log into the account with it.
    RIGHTS_REQUEST = "rights_request", _("identity check for a privacy request")


class VerificationCode(models.Model):
    channel = models.CharField(_("channel"), max_length=8, default="sms")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    # The account that holds this number when the code was sent; 0 when none does (yet): a
    # registration code is sent to a person who has no account. See personal_data.py.
    account_id = models.BigIntegerField(_("account"), default=0, db_index=True)
    phone_hash = models.CharField(_("mobile number (keyed hash)"), max_length=64)
    ip_hash = models.CharField(_("IP address (keyed hash)"), max_length=64)
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    created_at = models.DateTimeField(_("sent at"), db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    consumed_at = models.DateTimeField(_("used at"), null=True, blank=True)
    receipt = models.CharField(_("gateway receipt"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")
        indexes = [
            models.Index(fields=["phone_hash", "created_at"], name="verification_phone_at"),
            models.Index(fields=["ip_hash", "created_at"], name="verification_ip_at"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"

    # What the SMS gateway receives (the ``Share`` in personal_data.py) exists only in memory,
    # for the one hand-over: the number and the code are never stored in this row.
    _outgoing: dict[str, Any]

    def outgoing(self, *, phone: str, code: str) -> VerificationCode:
        self._outgoing = {"phone": phone, "message": {"code": code}}
        return self

    @property
    def phone(self) -> str:
        return self.__dict__.get("_outgoing", {}).get("phone", "")

    phone.fget.short_description = _("mobile number")  # type: ignore[attr-defined]

    @property
    def message(self) -> dict[str, str]:
        return self.__dict__.get("_outgoing", {}).get("message", {})

    message.fget.short_description = _("message content (the verification code)")  # type: ignore[attr-defined]


class OutboxEmail(models.Model):
    """An e-mail kept by ``mail.OutboxEmailBackend`` instead of being sent (simulators only)."""

    account_id = models.BigIntegerField(default=0, editable=False)
    to = models.TextField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("outbox e-mail")
        verbose_name_plural = _("outbox e-mails")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"
