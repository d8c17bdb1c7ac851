"""What the privacy centre itself keeps: the profile tags derived for personalized
recommendation, and the tags a member deleted.

A profile tag is a product category the member seems interested in, derived from their own
browsing history and favorites (C000-19, C001-10) only while they consent to personalized
recommendation; it is recomputed from those sources, never typed in by staff. Deleting a tag
records a suppression, so the next derivation skips that category: a deleted tag stays
deleted (DESIGN "Personalization") until the member allows it again. Prices never read either
table (PIPL art. 24).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProfileTag(models.Model):
    class Source(models.TextChoices):
        BROWSING = "browsing", _("browsing history")
        FAVORITES = "favorites", _("favorites")
        BOTH = "browsing_favorites", _("browsing history and favorites")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile_tags",
        verbose_name=_("user"),
    )
    category = models.ForeignKey(
        "catalog.Category", on_delete=models.CASCADE, related_name="+", verbose_name=_("category")
    )
    weight = models.PositiveIntegerField(_("weight"))
    source = models.CharField(_("derived from"), max_length=32, choices=Source.choices)
    derived_at = models.DateTimeField(_("derived at"))

    class Meta:
        verbose_name = _("profile tag")
        verbose_name_plural = _("profile tags")
        ordering = ("-weight", "id")
        constraints = [models.UniqueConstraint(fields=["user", "category"], name="centre_tag_user_category")]
        indexes = [models.Index(fields=["derived_at"], name="centre_tag_derived_at")]

    def __str__(self) -> str:
        return f"profile tag #{self.pk}"


class ProfileTagSuppression(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile_tag_suppressions",
        verbose_name=_("user"),
    )
    category = models.ForeignKey(
        "catalog.Category", on_delete=models.CASCADE, related_name="+", verbose_name=_("category")
    )
    created_at = models.DateTimeField(_("deleted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deleted profile tag")
        verbose_name_plural = _("deleted profile tags")
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="centre_suppression_user_category")
        ]

    def __str__(self) -> str:
        return f"deleted profile tag #{self.pk}"
