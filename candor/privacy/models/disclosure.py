from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from candor.privacy.models.append_only import AppendOnlyModel


class DisclosureRecord(AppendOnlyModel):
    """Every hand-over of personal data to a third party: who received which fields, why, on
    what legal basis, when. Field names only — the values stay in their own tables."""

    at = models.DateTimeField(_("time of disclosure"), auto_now_add=True)
    recipient = models.CharField(_("recipient"), max_length=64)
    subject_id = models.BigIntegerField(_("subject"), db_index=True)
    target = models.CharField(_("record"), max_length=120)
    fields = models.JSONField(_("fields"), default=list)
    purpose = models.CharField(_("purpose"), max_length=64)
    basis = models.CharField(_("legal basis"), max_length=64)
    actor_id = models.BigIntegerField(_("actor"), null=True, blank=True)

    class Meta:
        verbose_name = _("disclosure record")
        verbose_name_plural = _("disclosure records")
        indexes = [models.Index(fields=["at"], name="privacy_disclosure_at")]

    def __str__(self) -> str:
        return f"{self.recipient} ← {self.target}"
