"""The privacy centre for app clients, under ``/api/v1/me/``: the same permissions, history,
prompts, profile tags, "For you" list, contest and location lookup as the pages, through the
same services. Bad input answers 4xx in the caller's language; a feature used without its
permission answers 403 ``consent_required`` naming the purpose (the core's one shape)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from candor.accounts.tokens import bearer
from candor.api.errors import ErrorOut
from candor.centre import blocks, selectors, services
from candor.cookies import jar
from candor.privacy import consent

router = Router(tags=["privacy centre"], auth=django_auth)

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _channel(request: HttpRequest) -> str:
    """An app with a bearer token, or the web page's own script with the session."""
    return consent.Channel.API if request.headers.get("Authorization") else consent.Channel.WEB


# --- permissions ------------------------------------------------------------------------------


class ConsentOut(Schema):
    purpose: str
    label: str
    description: str = Field(description="What the permission enables")
    sensitive: bool = Field(description="Sensitive personal information: a separate consent")
    granted: bool
    changed_at: datetime | None = Field(description="When the person last answered; null: never asked")
    can_turn_on: bool = Field(description="false: turned on in the feature's own flow, not here")
    can_turn_off: bool
    should_ask: bool = Field(description="Whether a client may show this feature's prompt")


class ConsentIn(Schema):
    granted: bool


class HistoryOut(Schema):
    purpose: str
    label: str
    granted: bool
    at: datetime
    channel: str
    policy_version: str


class PromptIn(Schema):
    accept: bool
    context: str = Field("", max_length=64, description="Where the prompt was shown, e.g. address_form")


def _consent_out(row: selectors.PermissionRow, *, should_ask: bool) -> dict[str, Any]:
    return {
        "purpose": row.code,
        "label": row.label,
        "description": row.description,
        "sensitive": row.sensitive,
        "granted": row.granted,
        "changed_at": row.changed_at,
        "can_turn_on": row.feature.can_turn_on,
        "can_turn_off": row.feature.can_turn_off,
        "should_ask": should_ask,
    }


def _one(request: HttpRequest, purpose: str) -> dict[str, Any]:
    row = selectors.permission_row(request.user, purpose)
    return _consent_out(row, should_ask=selectors.should_ask(request.user, row.feature.purpose))


@router.get(
    "/me/consents",
    response={200: list[ConsentOut], 401: ErrorOut},
    url_name="consent_list",
    summary="My permissions",
)
def consent_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        _consent_out(row, should_ask=selectors.should_ask(request.user, row.feature.purpose))
        for row in selectors.permission_rows(request.user)
    ]


@router.get(
    "/me/consents/history", response={200: list[HistoryOut], 401: ErrorOut}, summary="My consent history"
)
def consent_history(request: HttpRequest) -> list[Any]:
    return [vars(row) for row in selectors.consent_history(request.user)]


@router.get("/me/consents/{purpose}", response={200: ConsentOut, **ERRORS}, summary="One permission")
def consent_get(request: HttpRequest, purpose: str) -> dict[str, Any]:
    return _one(request, purpose)


@router.put(
    "/me/consents/{purpose}", response={200: ConsentOut, **ERRORS}, summary="Switch a permission on or off"
)
def consent_put(request: HttpRequest, purpose: str, payload: ConsentIn) -> dict[str, Any]:
    services.consent_switch(
        user=request.user, purpose=purpose, on=payload.granted, evidence={"api": "PUT /api/v1/me/consents"},
        aid=None if bearer(request) else jar.read_aid(request),  # an app has no analytics cookie
    )  # fmt: skip
    return _one(request, purpose)


@router.post(
    "/me/consents/{purpose}/prompt",
    response={200: ConsentOut, **ERRORS},
    url_name="consent_prompt",
    summary="Answer a feature's prompt (a refusal is not asked again)",
)
def consent_prompt(request: HttpRequest, purpose: str, payload: PromptIn) -> dict[str, Any]:
    services.feature_prompt_answer(
        user=request.user,
        purpose=purpose,
        accept=payload.accept,
        channel=_channel(request),
        context=payload.context,
    )
    return _one(request, purpose)


# --- automated decisions ----------------------------------------------------------------------


class TagOut(Schema):
    category_id: int
    name: str
    weight: int
    source: str
    at: datetime = Field(description="When the tag was derived (or deleted, for a deleted tag)")


class DecisionsOut(Schema):
    personalized: bool
    personalized_lists: list[str] = Field(description="What is personalized while personalized is true")
    sources: list[str] = Field(description="The data profile tags are derived from")
    prices_depend_on_profile: bool = Field(description="Always false (PIPL art. 24)")
    tags: list[TagOut]
    deleted_tags: list[TagOut]


class CardOut(Schema):
    id: int
    name: str
    price_fen: int
    price: str
    url: str


class ForYouOut(Schema):
    personalized: bool
    interests: list[str]
    items: list[CardOut]


class ContestIn(Schema):
    decision: str = Field(max_length=32, description="for_you, profile_tags or other")
    reason: str = Field(max_length=services.CONTEST_MAX * 2)


class ContestOut(Schema):
    id: int
    kind: str


@router.get("/me/decisions", response={200: DecisionsOut, 401: ErrorOut}, summary="My automated decisions")
def decisions(request: HttpRequest) -> dict[str, Any]:
    services.profile_tags_refresh(user=request.user)
    lang = get_language()
    return {
        "personalized": selectors.personalized(request.user),
        "personalized_lists": ["home_for_you"],
        "sources": ["browsing_history", "favorites"],
        "prices_depend_on_profile": False,
        "tags": [vars(t) for t in selectors.profile_tags(request.user, lang=lang)],
        "deleted_tags": [vars(t) for t in selectors.deleted_tags(request.user, lang=lang)],
    }


@router.delete(
    "/me/profile-tags/{category_id}", response={204: None, **ERRORS}, summary="Delete a tag; it stays deleted"
)
def tag_delete(request: HttpRequest, category_id: str) -> Status:
    services.profile_tag_delete(user=request.user, category_id=category_id)
    return Status(204, None)


@router.delete(
    "/me/profile-tags/deleted/{category_id}",
    response={204: None, **ERRORS},
    summary="Forget a deleted tag, so it may be derived again",
)
def tag_allow(request: HttpRequest, category_id: str) -> Status:
    services.profile_tag_allow(user=request.user, category_id=category_id)
    return Status(204, None)


@router.get("/me/for-you", response={200: ForYouOut, 401: ErrorOut}, summary="The “For you” list")
def for_you(request: HttpRequest) -> dict[str, Any]:
    block = blocks.for_you(request)
    assert block is not None  # the router's auth has let only members in
    return {
        "personalized": block.personalized,
        "interests": block.interests,
        "items": [
            {"id": c.id, "name": c.name, "price_fen": c.price_fen, "price": c.price, "url": c.url}
            for c in block.cards
        ],
    }


@router.post(
    "/me/decisions/contest", response={201: ContestOut, **ERRORS}, summary="Contest an automated decision"
)
def contest(request: HttpRequest, payload: ContestIn) -> Status:
    filed = services.decision_contest(
        user=request.user, decision=payload.decision, reason=payload.reason, channel="api"
    )
    return Status(201, {"id": filed.pk, "kind": filed.kind})


# --- location ---------------------------------------------------------------------------------


class PositionIn(Schema):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


class RegionOut(Schema):
    province: str
    city: str


@router.post(
    "/me/location/region",
    response={200: RegionOut, **ERRORS},
    url_name="location_region",
    summary="The province and city nearest to a position (nothing is stored)",
)
def location_region(request: HttpRequest, payload: PositionIn) -> dict[str, str]:
    place = selectors.location_region(
        user=request.user, latitude=payload.latitude, longitude=payload.longitude
    )
    lang = get_language()
    return {"province": place.province(lang), "city": place.city(lang)}
