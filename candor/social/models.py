"""Favorites, follows and share links (C003-05: favorites, follows of members and sharing are
logged, and the user views and manages them under 我的—收藏; C004-05: sharing is logged).

Each row is the log the seeds ask for — who favorited, followed or shared what, and when — and
the member sees and deletes it on their pages. A share link's token is random and says nothing
about the sharer; following the link records a count, never who followed it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Favorite(models.Model):
    """A product or service (``Product.is_service``) the member keeps in 收藏."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favorites", verbose_name=_("user")
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("favorite")
        verbose_name_plural = _("favorites")
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["user", "product"], name="social_favorite_user_product")
        ]

    def __str__(self) -> str:
        return f"favorite {self.pk}"


class Follow(models.Model):
    """A member follows exactly one merchant or one other member."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows", verbose_name=_("user")
    )
    merchant = models.ForeignKey(
        "catalog.Merchant",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("merchant"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followers",
        verbose_name=_("followed member"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(merchant__isnull=False, member__isnull=True)
                | Q(merchant__isnull=True, member__isnull=False),
                name="social_follow_one_target",
            ),
            models.CheckConstraint(condition=~Q(member=F("user")), name="social_follow_not_self"),
            models.UniqueConstraint(
                fields=["user", "merchant"],
                condition=Q(merchant__isnull=False),
                name="social_follow_merchant_once",
            ),
            models.UniqueConstraint(
                fields=["user", "member"], condition=Q(member__isnull=False), name="social_follow_member_once"
            ),
        ]

    def __str__(self) -> str:
        return f"follow {self.pk}"


class FollowOfMember(Follow):
    """The same rows seen from the followed member's side: being followed is about them too.
    Declared separately (subject ``member``), so erasing a member removes the follows of them
    and their export says how many follow them — never who."""

    class Meta:
        proxy = True
        verbose_name = _("follow of you")
        verbose_name_plural = _("follows of you")


def new_share_token() -> str:
    """24 URL-safe characters from 18 random bytes (144 bits): unguessable, and nothing in it
    is derived from the sharer, the product or the time."""
    return secrets.token_urlsafe(18)


class ShareLink(models.Model):
    class Channel(models.TextChoices):
        WECHAT = "wechat", _("WeChat")
        WEIBO = "weibo", _("Weibo")
        QQ = "qq", _("QQ")
        COPY = "copy", _("Copied link")

    sharer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="share_links",
        verbose_name=_("sharer"),
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_share_token, editable=False)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.COPY)
    # How many times the link was opened; who opened it is not recorded anywhere.
    visits = models.PositiveIntegerField(_("visits"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"share link {self.pk}"
