"""The simulator's outbox: what the simulated provider would have delivered to a handset.

It stands for the provider's side, so it holds what a provider holds — the number and the
rendered text, code included — and exists only where the simulators run (the demo and the
tests); production never writes here. Rows live one day (``personal_data.py``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    class Provider(models.TextChoices):
        ALIYUN = "aliyun", _("Aliyun SMS")
        TENCENT = "tencent", _("Tencent Cloud SMS")

    provider = models.CharField(_("provider"), max_length=16, choices=Provider.choices)
    # The simulated provider cannot know whose number it is: 0, "no account" (personal_data.py).
    account_id = models.BigIntegerField(default=0, editable=False)
    phone = models.CharField(_("mobile number"), max_length=20)
    text = models.TextField(_("message text"))
    receipt = models.CharField(_("receipt id"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("simulated text message")
        verbose_name_plural = _("simulated text messages")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.provider} #{self.pk}"
