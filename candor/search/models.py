"""The search history (C000-02, C001-04, C002-02): a logged-in person's own search words, kept
so they can reuse them (the search box offers them again, and suggestions start from them).

One row per (person, words): searching the same words again moves them to the top instead of
adding a row, and at most ``HISTORY_MAX`` recent rows are kept. A guest's history is not stored
here at all — it lives in their session only (``services``). The product index itself is not
a model: it is a full-text table created per database (``backends``, migration 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchHistory(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="search_history",
        verbose_name=_("user"),
    )
    query = models.CharField(_("search words"), max_length=200)
    searched_at = models.DateTimeField(_("searched at"))

    class Meta:
        verbose_name = _("search history entry")
        verbose_name_plural = _("search history")
        ordering = ("-searched_at", "-id")
        constraints = [models.UniqueConstraint(fields=["user", "query"], name="search_history_user_query")]
        indexes = [
            models.Index(fields=["user", "-searched_at", "-id"], name="search_history_user_at"),
            models.Index(fields=["searched_at"], name="search_history_at"),
        ]

    def __str__(self) -> str:
        return f"search #{self.pk}"
