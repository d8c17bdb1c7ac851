"""Writes of favorites, follows and share links (C003-05, C004-05).

Adding is idempotent — favoriting or following twice keeps one row (the database's unique
constraints hold that even under a race) — and the row itself, with its time, is the log the
seeds ask for; the member sees it on their pages. Deleting is a change of personal data and
appends an audit event (ids and field names only) in the same transaction. A share link gets a
random token; opening it adds one to a counter and records nothing about who opened it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F

from candor.catalog.models import Merchant, Product
from candor.privacy import audit, taxonomy
from candor.social.errors import (
    ChannelInvalid,
    FavoriteNotFound,
    FollowNotFound,
    FollowSelf,
    FollowTargetInvalid,
    LimitReached,
    MemberNotFound,
    MerchantNotFound,
    ProductNotFound,
    ShareNotFound,
)
from candor.social.models import Favorite, Follow, ShareLink
from candor.social.selectors import valid_id

# Guards against a runaway client, far above what a person keeps.
FAVORITE_LIMIT = 2000
FOLLOW_LIMIT = 2000
SHARE_LIMIT = 2000
TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _audit_delete(user: Any, *, target: str, fields: list[str]) -> None:
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=user.pk,
        subject_id=user.pk,
        target=target,
        fields=fields,
        purpose=taxonomy.DISPLAY.code,
        detail={"operation": "delete"},
    )


def _lock_owner(user: Any) -> None:
    """Serialize one member's writes, so the limits hold."""
    get_user_model()._default_manager.select_for_update().filter(pk=user.pk).first()


def _product(product_id: Any) -> Product:
    product = Product.objects.filter(pk=product_id, is_active=True).first() if valid_id(product_id) else None
    if product is None:
        raise ProductNotFound()
    return product


# --- Favorites --------------------------------------------------------------------------------


@transaction.atomic
def favorite_add(*, user: Any, product_id: int) -> tuple[Favorite, bool]:
    """Favorite a product or service on sale; returns the row and whether it is new."""
    product = _product(product_id)
    _lock_owner(user)
    existing = Favorite.objects.filter(user_id=user.pk, product_id=product.pk).first()
    if existing is not None:
        return existing, False
    if Favorite.objects.filter(user_id=user.pk).count() >= FAVORITE_LIMIT:
        raise LimitReached(FAVORITE_LIMIT)
    return Favorite.objects.get_or_create(user_id=user.pk, product_id=product.pk)


@transaction.atomic
def favorite_remove(*, user: Any, product_id: int) -> None:
    favorite = (
        Favorite.objects.filter(user_id=user.pk, product_id=product_id).first()
        if valid_id(product_id)
        else None
    )
    if favorite is None:
        raise FavoriteNotFound()
    _audit_delete(user, target=f"social.favorite:{favorite.pk}", fields=["created_at", "product"])
    favorite.delete()


# --- Follows ----------------------------------------------------------------------------------


def _target(user: Any, merchant_id: int | None, member_id: int | None) -> dict[str, int]:
    if (merchant_id is None) == (member_id is None):
        raise FollowTargetInvalid()  # exactly one target, as the table's check constraint says
    if merchant_id is not None:
        if not (valid_id(merchant_id) and Merchant.objects.filter(pk=merchant_id, is_active=True).exists()):
            raise MerchantNotFound()
        return {"merchant_id": merchant_id}
    if member_id == user.pk:
        raise FollowSelf()
    member_model = get_user_model()
    if not (
        valid_id(member_id) and member_model._default_manager.filter(pk=member_id, is_active=True).exists()
    ):
        raise MemberNotFound()
    return {"member_id": int(member_id)}  # type: ignore[arg-type]


@transaction.atomic
def follow_add(
    *, user: Any, merchant_id: int | None = None, member_id: int | None = None
) -> tuple[Follow, bool]:
    """Follow one merchant or one other member; returns the row and whether it is new."""
    target = _target(user, merchant_id, member_id)
    _lock_owner(user)
    existing = Follow.objects.filter(user_id=user.pk, **target).first()
    if existing is not None:
        return existing, False
    if Follow.objects.filter(user_id=user.pk).count() >= FOLLOW_LIMIT:
        raise LimitReached(FOLLOW_LIMIT)
    return Follow.objects.create(user_id=user.pk, **target), True


@transaction.atomic
def follow_remove(*, user: Any, merchant_id: int | None = None, member_id: int | None = None) -> None:
    if (merchant_id is None) == (member_id is None):
        raise FollowTargetInvalid()
    target = {"merchant_id": merchant_id} if merchant_id is not None else {"member_id": member_id}
    value = next(iter(target.values()))
    follow = Follow.objects.filter(user_id=user.pk, **target).first() if valid_id(value) else None
    if follow is None:
        raise FollowNotFound()
    field = "merchant" if merchant_id is not None else "member"
    _audit_delete(user, target=f"social.follow:{follow.pk}", fields=["created_at", field])
    follow.delete()


# --- Share links ------------------------------------------------------------------------------


@transaction.atomic
def share_create(*, user: Any, product_id: int, channel: str) -> ShareLink:
    """A new share link for a product on sale, logged for the sharer (C003-05, C004-05)."""
    if channel not in ShareLink.Channel.values:
        raise ChannelInvalid()
    product = _product(product_id)
    _lock_owner(user)
    if ShareLink.objects.filter(sharer_id=user.pk).count() >= SHARE_LIMIT:
        raise LimitReached(SHARE_LIMIT)
    return ShareLink.objects.create(sharer_id=user.pk, product_id=product.pk, channel=channel)


@transaction.atomic
def share_delete(*, user: Any, share_id: int) -> None:
    """Delete one of the member's share links: the link stops working (404) at once."""
    share = ShareLink.objects.filter(sharer_id=user.pk, pk=share_id).first() if valid_id(share_id) else None
    if share is None:
        raise ShareNotFound()
    _audit_delete(
        user,
        target=f"social.sharelink:{share.pk}",
        fields=["channel", "created_at", "product", "token", "visits"],
    )
    share.delete()


@transaction.atomic
def share_open(*, token: str) -> int:
    """Someone opened a share link: count it and return the product to show. Nothing about the
    visitor is read or stored."""
    if not (20 <= len(token) <= 64 and set(token) <= TOKEN_CHARS):
        raise ShareNotFound()
    share = ShareLink.objects.filter(token=token).only("pk", "product_id").first()
    if share is None:
        raise ShareNotFound()
    ShareLink.objects.filter(pk=share.pk).update(visits=F("visits") + 1)
    return share.product_id
