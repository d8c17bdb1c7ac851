"""Reads of favorites, follows and shares, always the member's own, newest first; and the one
public read: a share link by its token."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from candor.social.models import Favorite, Follow, ShareLink

MAX_ID = 2**63 - 1


def valid_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID


def favorite_list(*, user: Any) -> QuerySet[Favorite]:
    return Favorite.objects.filter(user_id=user.pk).select_related("product", "product__merchant")


def favorite_product_ids(*, user: Any, product_ids: list[int]) -> set[int]:
    """Which of these products the member has favorited (a product page's heart)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Favorite.objects.filter(user_id=user.pk, product_id__in=product_ids).values_list(
            "product_id", flat=True
        )
    )


def follows_merchant(*, user: Any, merchant_id: int) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(user_id=user.pk, merchant_id=merchant_id).exists()


def follow_merchants(*, user: Any) -> QuerySet[Follow]:
    return Follow.objects.filter(user_id=user.pk, merchant__isnull=False).select_related("merchant")


def follow_members(*, user: Any) -> QuerySet[Follow]:
    return Follow.objects.filter(user_id=user.pk, member__isnull=False).select_related("member")


def member_display_name(member: Any) -> str:
    """What a follower sees of a followed member: the nickname they chose to show, else their
    member number — never the account name or mobile."""
    from django.utils.translation import gettext as _

    return getattr(member, "nickname", "") or _("Member %(id)s") % {"id": member.pk}


def share_list(*, user: Any) -> QuerySet[ShareLink]:
    return ShareLink.objects.filter(sharer_id=user.pk).select_related("product")


def share_path(share: ShareLink) -> str:
    return reverse("share:open", kwargs={"token": share.token})


def share_url(request: HttpRequest, share: ShareLink) -> str:
    """The absolute link to hand out: the site and a random token, nothing else."""
    return request.build_absolute_uri(share_path(share))


def product_path(product_id: int) -> str:
    return reverse("catalog:detail", kwargs={"product_id": product_id})
