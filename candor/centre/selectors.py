"""Reads of the privacy centre: the permission states and their history, whether a feature
may be asked for, the profile tags, the "For you" list and the position → region lookup.

``personalized(user)`` is the one question every personalized list asks (the home page's
"For you" block; search and product lists are not personalized at all, C004-04). It reads the
consent ledger's newest row with no cache, so the one-tap switch takes effect on the very next
page. ``should_ask`` is the rule for prompts: a feature is asked for once; after any answer —
a "not now" included — only the person's own switch in the centre changes it (PIPL art. 16).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from candor.catalog import selectors as catalog
from candor.catalog.models import Product, pick
from candor.centre import regions
from candor.centre.errors import OutsideServiceArea, PurposeUnknown
from candor.centre.features import FEATURES, Feature
from candor.centre.models import ProfileTag, ProfileTagSuppression
from candor.errors import CandorError
from candor.privacy import consent, taxonomy
from candor.privacy.models import ConsentRecord
from candor.privacy.processing import processing
from candor.privacy.taxonomy import Purpose

FOR_YOU_SIZE = 8
TOP_TAGS = 3  # the "For you" list draws on the member's strongest interests only


def _code(purpose: Purpose | str) -> str:
    return purpose if isinstance(purpose, str) else purpose.code


def feature(purpose: Purpose | str) -> Feature:
    found = FEATURES.get(_code(purpose))
    if found is None:
        raise PurposeUnknown()
    return found


def personalized(user: Any) -> bool:
    """Whether lists may be personalized for this visitor right now: a member who consents to
    personalized recommendation. A guest never is."""
    return bool(getattr(user, "is_authenticated", False)) and consent.has(user.pk, taxonomy.PERSONALIZATION)


def should_ask(user: Any, purpose: Purpose | str) -> bool:
    """Whether a page may show the prompt for ``purpose``: only while the person has never
    answered. After a refusal it stays unasked until they switch it on themselves; after a
    grant there is nothing to ask."""
    if not getattr(user, "is_authenticated", False) or not feature(purpose).can_turn_on:
        return False
    return consent.latest(user.pk, _code(purpose)) is None


# --- permissions and their history ------------------------------------------------------------


@dataclass(frozen=True)
class PermissionRow:
    feature: Feature
    granted: bool
    changed_at: datetime | None  # None: never answered

    @property
    def code(self) -> str:
        return self.feature.purpose.code

    @property
    def label(self) -> str:
        return str(self.feature.purpose.label)

    @property
    def description(self) -> str:
        return str(self.feature.purpose.description)

    @property
    def sensitive(self) -> bool:
        return self.feature.purpose.need is taxonomy.Need.SENSITIVE

    @property
    def can_switch(self) -> bool:
        return self.feature.can_turn_off if self.granted else self.feature.can_turn_on


@dataclass(frozen=True)
class HistoryRow:
    purpose: str
    label: str
    granted: bool
    at: datetime
    channel: str
    policy_version: str


def _channel_label(code: str) -> str:
    return str(dict(ConsentRecord.Channel.choices).get(code, code))


def _purpose_label(code: str) -> str:
    if code == consent.POLICY:
        return str(_("Privacy policy"))
    purpose = taxonomy.PURPOSES.get(code)
    return str(purpose.label) if purpose else code


def permission_rows(user: Any, *, records: list[ConsentRecord] | None = None) -> list[PermissionRow]:
    latest: dict[str, ConsentRecord] = {}
    for row in records if records is not None else consent.history(user.pk):
        latest[row.purpose] = row
    out = []
    for code, item in FEATURES.items():
        row = latest.get(code)
        out.append(PermissionRow(item, bool(row and row.granted), row.at if row else None))
    return out


def permission_row(user: Any, purpose: Purpose | str) -> PermissionRow:
    item = feature(purpose)
    row = consent.latest(user.pk, item.purpose)
    return PermissionRow(item, bool(row and row.granted), row.at if row else None)


def consent_history(user: Any, *, records: list[ConsentRecord] | None = None) -> list[HistoryRow]:
    """Every answer the person gave, newest first: the ledger is append-only, so this is the
    whole record, including the policy acceptances."""
    rows = records if records is not None else consent.history(user.pk)
    return [
        HistoryRow(
            purpose=row.purpose,
            label=_purpose_label(row.purpose),
            granted=row.granted,
            at=row.at,
            channel=_channel_label(row.channel),
            policy_version=row.policy_version,
        )
        for row in reversed(rows)
    ]


def ledger(user: Any) -> list[ConsentRecord]:
    """The person's consent ledger, oldest first: read once for a page showing both lists."""
    return consent.history(user.pk)


# --- profile tags -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TagView:
    category_id: int
    name: str
    weight: int
    source: str
    at: datetime  # derived at, or deleted at for a deleted tag


def _category_name(category_id: int, lang: str | None) -> str:
    node = catalog.reference().categories.get(category_id)
    return node.name(lang) if node else str(_("(a category no longer sold)"))


def profile_tags(user: Any, *, lang: str | None) -> list[TagView]:
    return [
        TagView(
            t.category_id, _category_name(t.category_id, lang), t.weight, t.get_source_display(), t.derived_at
        )
        for t in ProfileTag.objects.filter(user_id=user.pk).order_by("-weight", "id")
    ]


def deleted_tags(user: Any, *, lang: str | None) -> list[TagView]:
    return [
        TagView(s.category_id, _category_name(s.category_id, lang), 0, "", s.created_at)
        for s in ProfileTagSuppression.objects.filter(user_id=user.pk).order_by("-created_at", "-id")
    ]


# --- the "For you" list -----------------------------------------------------------------------


@dataclass(frozen=True)
class ForYou:
    personalized: bool
    cards: list[catalog.Card]
    interests: list[str]  # the tags the list was drawn from, in the reader's language
    lang: str | None = None

    @property
    def interests_text(self) -> str:
        return pick(self.lang, "、", ", ").join(self.interests)


def for_you(user: Any, *, lang: str | None, fallback: list[catalog.Card] | None = None) -> ForYou:
    """With consent: the best sellers of the member's strongest interests (deleted tags never
    count). Otherwise — or with nothing to go on yet — the best sellers, the same for everyone,
    and said to be so. Prices are the products' own either way (PIPL art. 24)."""
    if personalized(user):
        with processing(taxonomy.PERSONALIZATION):
            tags = list(
                ProfileTag.objects.filter(user_id=user.pk)
                .exclude(
                    category_id__in=ProfileTagSuppression.objects.filter(user_id=user.pk).values(
                        "category_id"
                    )
                )
                .order_by("-weight", "id")
                .values_list("category_id", flat=True)[:TOP_TAGS]
            )
        if tags:
            ids = list(
                Product.objects.filter(is_active=True, category_id__in=tags)
                .exclude(merchant_id__in=catalog.reference().inactive_merchant_ids)
                .order_by("-sales_count", "-id")
                .values_list("id", flat=True)[:FOR_YOU_SIZE]
            )
            cards = catalog.products_by_ids(ids, lang=lang)
            if cards:
                return ForYou(True, cards, [_category_name(c, lang) for c in tags], lang)
    if fallback is None:
        fallback = catalog.product_page(
            catalog.listing_parse(sort="sales", page_size=FOR_YOU_SIZE), lang=lang
        ).items
    return ForYou(False, list(fallback), [], lang)


# --- location ---------------------------------------------------------------------------------


def location_region(*, user: Any, latitude: Any, longitude: Any) -> regions.Place:
    """The province and city nearest to a position — only with the location permission, which
    is read afresh on every call, so switching it off refuses the very next one. The position
    is used here, in memory, and nowhere else."""
    consent.require(user.pk, taxonomy.LOCATION_FEATURES)
    errors: dict[str, list[str]] = {}
    values: dict[str, float] = {}
    for name, raw, limit in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        try:
            value = float(raw)
        except (TypeError, ValueError):
            value = float("nan")
        if isinstance(raw, bool) or not -limit <= value <= limit:
            errors[name] = [str(_("Enter a number from -%(limit)s to %(limit)s.") % {"limit": limit})]
        values[name] = value
    if errors:
        raise CandorError(_("The position is not valid."), code="position_invalid", fields=errors)
    with processing(taxonomy.LOCATION_FEATURES):
        place = regions.nearest(values["latitude"], values["longitude"])
    if place is None:
        raise OutsideServiceArea()
    return place
