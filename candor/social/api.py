"""Favorites, follows and share links for app and web clients, members only (session or
bearer token): ``/api/v1/favorites``, ``/api/v1/follows``, ``/api/v1/shares``. Adding twice
keeps one row (200 instead of 201); something missing or not the member's is 404; following
yourself is 400 ``follow_self``; an unknown channel is 400 ``channel_invalid``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from candor.api.errors import ErrorOut
from candor.social import selectors, services
from candor.social.models import Favorite, Follow, ShareLink

router = Router(tags=["social"], auth=django_auth)

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _lang() -> str:
    return translation.get_language() or "zh-hans"


class FavoriteIn(Schema):
    product_id: int


class FavoriteOut(Schema):
    product_id: int
    name: str
    price_fen: int
    is_service: bool
    on_sale: bool
    created_at: datetime


def _favorite(f: Favorite) -> dict[str, Any]:
    p = f.product
    return {
        "product_id": p.pk, "name": p.name(_lang()), "price_fen": p.price_fen,
        "is_service": p.is_service, "on_sale": p.is_active, "created_at": f.created_at,
    }  # fmt: skip


@router.get("/favorites", response={200: list[FavoriteOut], 401: ErrorOut}, summary="My favorites")
def favorite_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_favorite(f) for f in selectors.favorite_list(user=request.user)]


@router.post(
    "/favorites", response={200: FavoriteOut, 201: FavoriteOut, **ERRORS}, summary="Favorite a product"
)
def favorite_add(request: HttpRequest, payload: FavoriteIn) -> Status[dict[str, Any]]:
    favorite, created = services.favorite_add(user=request.user, product_id=payload.product_id)
    favorite = selectors.favorite_list(user=request.user).get(pk=favorite.pk)
    return Status(201 if created else 200, _favorite(favorite))


@router.delete("/favorites/{int:product_id}", response={204: None, **ERRORS}, summary="Remove a favorite")
def favorite_remove(request: HttpRequest, product_id: int) -> Status[None]:
    services.favorite_remove(user=request.user, product_id=product_id)
    return Status(204, None)


class FollowIn(Schema):
    merchant_id: int | None = Field(None, description="Follow this shop (or give member_id)")
    member_id: int | None = Field(None, description="Follow this member (or give merchant_id)")


class FollowOut(Schema):
    kind: str = Field(description='"merchant" or "member"')
    target_id: int
    name: str
    created_at: datetime


class FollowsOut(Schema):
    merchants: list[FollowOut]
    members: list[FollowOut]


def _follow(f: Follow) -> dict[str, Any]:
    if f.merchant_id is not None:
        return {"kind": "merchant", "target_id": f.merchant_id, "name": f.merchant.name(_lang()),
                "created_at": f.created_at}  # fmt: skip
    return {"kind": "member", "target_id": f.member_id, "name": selectors.member_display_name(f.member),
            "created_at": f.created_at}  # fmt: skip


@router.get("/follows", response={200: FollowsOut, 401: ErrorOut}, summary="Shops and members I follow")
def follow_list(request: HttpRequest) -> dict[str, Any]:
    return {
        "merchants": [_follow(f) for f in selectors.follow_merchants(user=request.user)],
        "members": [_follow(f) for f in selectors.follow_members(user=request.user)],
    }


@router.post(
    "/follows", response={200: FollowOut, 201: FollowOut, **ERRORS}, summary="Follow a shop or member"
)
def follow_add(request: HttpRequest, payload: FollowIn) -> Status[dict[str, Any]]:
    follow, created = services.follow_add(
        user=request.user, merchant_id=payload.merchant_id, member_id=payload.member_id
    )
    follow = Follow.objects.select_related("merchant", "member").get(pk=follow.pk)
    return Status(201 if created else 200, _follow(follow))


@router.delete(
    "/follows/merchants/{int:merchant_id}", response={204: None, **ERRORS}, summary="Unfollow a shop"
)
def unfollow_merchant(request: HttpRequest, merchant_id: int) -> Status[None]:
    services.follow_remove(user=request.user, merchant_id=merchant_id)
    return Status(204, None)


@router.delete(
    "/follows/members/{int:member_id}", response={204: None, **ERRORS}, summary="Unfollow a member"
)
def unfollow_member(request: HttpRequest, member_id: int) -> Status[None]:
    services.follow_remove(user=request.user, member_id=member_id)
    return Status(204, None)


class ShareIn(Schema):
    product_id: int
    channel: str = Field("copy", max_length=16, description="wechat, weibo, qq or copy")


class ShareOut(Schema):
    id: int
    product_id: int
    name: str
    channel: str
    url: str = Field(description="The link to hand out: the site and a random token, nothing about you")
    visits: int = Field(description="How often the link was opened (not by whom)")
    created_at: datetime


def _share(request: HttpRequest, s: ShareLink) -> dict[str, Any]:
    return {
        "id": s.pk, "product_id": s.product_id, "name": s.product.name(_lang()), "channel": s.channel,
        "url": selectors.share_url(request, s), "visits": s.visits, "created_at": s.created_at,
    }  # fmt: skip


@router.get("/shares", response={200: list[ShareOut], 401: ErrorOut}, summary="My share links")
def share_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_share(request, s) for s in selectors.share_list(user=request.user)]


@router.post("/shares", response={201: ShareOut, **ERRORS}, summary="Create a share link")
def share_create(request: HttpRequest, payload: ShareIn) -> Status[dict[str, Any]]:
    share = services.share_create(user=request.user, product_id=payload.product_id, channel=payload.channel)
    return Status(201, _share(request, share))


@router.delete("/shares/{int:share_id}", response={204: None, **ERRORS}, summary="Delete a share link")
def share_delete(request: HttpRequest, share_id: int) -> Status[None]:
    services.share_delete(user=request.user, share_id=share_id)
    return Status(204, None)
