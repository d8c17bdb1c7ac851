from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from candor.privacy.models.append_only import AppendOnlyModel


class ConsentRecord(AppendOnlyModel):
    """The append-only consent ledger: the newest row per (subject, purpose) is the state;
    the older rows are the history the user and a regulator can read."""

    class Channel(models.TextChoices):
        WEB = "web", _("web")
        API = "api", _("app / API")
        CUSTOMER_SERVICE = "customer_service", _("customer service")
        GUARDIAN = "guardian", _("guardian")
        SYSTEM = "system", _("system")
        PRIVACY_CENTRE = "privacy_centre", _("privacy centre")
        COOKIE_BANNER = "cookie_banner", _("cookie banner")

    subject_id = models.BigIntegerField(_("subject"))
    purpose = models.CharField(_("purpose"), max_length=64)
    granted = models.BooleanField(_("granted"))
    policy_version = models.CharField(_("policy version"), max_length=32, blank=True)
    at = models.DateTimeField(_("time of the decision"), auto_now_add=True)
    channel = models.CharField(_("channel"), max_length=32, choices=Channel.choices)
    evidence = models.JSONField(_("evidence"), default=dict)  # e.g. the page and text version shown

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        indexes = [models.Index(fields=["subject_id", "purpose", "-id"], name="privacy_consent_latest")]

    def __str__(self) -> str:
        return f"{self.purpose} {'granted' if self.granted else 'withdrawn'}"
