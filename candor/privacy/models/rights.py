from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ErasureRecord(models.Model):
    """That a subject was erased, and when: the retention sweeper and the legal terms of
    restricted records count from here. Holds no personal value."""

    subject_id = models.BigIntegerField(_("subject"), unique=True)
    erased_at = models.DateTimeField(_("erased"))
    restricted_until = models.DateTimeField(_("records restricted until"), null=True, blank=True)

    class Meta:
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")

    def __str__(self) -> str:
        return f"subject {self.subject_id}"
