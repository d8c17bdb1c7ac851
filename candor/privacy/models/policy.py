from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from candor.privacy.models.append_only import AppendOnlyModel


class PolicyVersion(AppendOnlyModel):
    """A published privacy policy. Its documents are snapshotted at publication, so every
    archived version stays readable exactly as users saw it (C002-23).

    Append-only: a published version is never edited or deleted through the ORM, and the SHA-256
    of its documents is recorded in the audit event of its publication, so an edit by direct SQL
    is detected by ``policy.verify_archive``."""

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
    # Every generated document as published, by language, then kind, then format:
    #   {"zh-hans" | "en": {"policy" | "collection_list" | "sharing_list": {"html": str, "markdown": str}}}
    # i.e. ``documents.render_all()`` (keys: documents.LANGUAGES, documents.KINDS, documents.FORMATS);
    # "html" is the escaped fragment the pages show, "markdown" the text diffs compare.
    documents = models.JSONField(_("documents"), default=dict)

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["-effective_at", "-id"]

    def __str__(self) -> str:
        return self.number
