"""Device and network data recorded when someone registers or logs in (C000-01, C001-03,
C002-06): what device, system, app and browser they used, from which IP address, when.

It serves account security (the user's "login devices" page, spotting a login from a strange
device) and adapting pages to the device; and, as a network log, the Cybersecurity Law
(art. 21) requires keeping it at least six months. The raw User-Agent string is not kept:
only what was parsed from it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from candor.privacy.crypto import EncryptedField


class DeviceEvent(models.Model):
    class Event(models.TextChoices):
        REGISTER = "register", _("Registration")
        LOGIN = "login", _("Login")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="device_events",
        verbose_name=_("user"),
    )
    event = models.CharField(_("event"), max_length=16, choices=Event.choices)
    device_model = models.CharField(_("device model"), max_length=64, blank=True)
    os = models.CharField(_("operating system"), max_length=64, blank=True)
    app_version = models.CharField(_("app version"), max_length=32, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    resolution = models.CharField(_("screen resolution"), max_length=16, blank=True)
    carrier = models.CharField(_("mobile carrier"), max_length=64, blank=True)
    browser = models.CharField(_("browser"), max_length=64, blank=True)
    ip_address = EncryptedField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        verbose_name = _("device event")
        verbose_name_plural = _("device events")
        ordering = ("-at", "-pk")
        indexes = [models.Index(fields=["user", "-at"], name="devices_user_at")]

    def __str__(self) -> str:
        return f"device event #{self.pk}"
