"""The member's inbox (消息): notices Candor sends a person — a data export is ready, a policy
changed, an incident touched their data, the service will end. Each message is kept with the
channels it also went out on (e-mail, SMS), so the person and staff can see what was sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    class Kind(models.TextChoices):
        EXPORT_READY = "export_ready", _("Data export ready")
        POLICY = "policy", _("Privacy policy changed")
        INCIDENT = "incident", _("Security incident")
        SHUTDOWN = "shutdown", _("Service ending")
        REQUEST = "request", _("Your request")
        ORDER = "order", _("Order")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    channels = models.JSONField(_("also sent by"), default=list, blank=True)  # ["email", "sms"]
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["user", "read_at", "-created_at"], name="inbox_user_unread")]

    def __str__(self) -> str:
        return f"message #{self.pk}"
