from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyVersion(models.Model):
    """A published privacy policy. Its documents are snapshotted at publication, so every
    archived version stays readable exactly as users saw it (C002-23)."""

    number = models.CharField(_("version"), max_length=32, unique=True)
    effective_at = models.DateTimeField(_("effective from"))
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    significant = models.BooleanField(
        _("significant change"),
        default=False,
        help_text=_("users must accept it again before their next use"),
    )
    summary_zh = models.TextField(_("summary of changes (Chinese)"), blank=True)
    summary_en = models.TextField(_("summary of changes (English)"), blank=True)
    documents = models.JSONField(_("documents"), default=dict)  # {lang: {kind: {"html", "markdown"}}}

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["-effective_at", "-id"]

    def __str__(self) -> str:
        return self.number
