from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from candor.privacy.models.append_only import AppendOnlyModel


class AuditEvent(AppendOnlyModel):
    """One access to or change of personal data. Never holds the personal values themselves:
    only who, whose, which fields, why and when. Each row hashes the previous one."""

    seq = models.BigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"))
    actor_id = models.BigIntegerField(_("actor"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=32)
    subject_id = models.BigIntegerField(_("subject"), null=True, blank=True, db_index=True)
    target = models.CharField(_("target"), max_length=120, blank=True)
    fields = models.JSONField(_("fields"), default=list)
    purpose = models.CharField(_("purpose"), max_length=64, blank=True)
    detail = models.JSONField(_("detail"), default=dict)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["seq"]
        # The one permission that lets staff see an unmasked value, always with a reason.
        permissions = [("reveal_personal_data", _("Can reveal masked personal data (audited)"))]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditHead(models.Model):
    """The chain's tip, one row: locked by each append so concurrent writers take turns, and
    compared by ``verify`` so that deleting the newest rows is detected too."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"head at #{self.seq}"
