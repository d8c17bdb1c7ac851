"""Writes of the privacy centre: switching a permission, answering a feature's prompt,
deriving and deleting profile tags, and contesting an automated decision.

A switch appends to the core's consent ledger (``consent.grant`` / ``consent.withdraw``, channel
``privacy_centre``) and takes effect at once: every feature reads the newest row with no cache.
Nothing is switched on while a significant policy version waits for the person's acceptance
(409 ``policy_not_accepted``: a consent is given under a policy they have accepted); switching
off always works. The analytics consent has one writer, the cookie app's ``consent_choose``.
Switching personalized recommendation off also deletes the derived profile at once — it
exists only for that purpose — while the deleted-tag list stays, so switching back on never
revives a tag the person removed. Profile tags are derived from the member's own browsing
history and favorites (C000-19, C001-10) under ``processing(PERSONALIZATION)``; nothing else
feeds them and no price reads them (PIPL art. 24).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candor.catalog.models import BrowsingHistory
from candor.centre import selectors
from candor.centre.errors import (
    AlreadyAnswered,
    ContestInvalid,
    SwitchedElsewhere,
    TagNotFound,
    require_policy_accepted,
)
from candor.centre.features import CHANNEL
from candor.centre.models import ProfileTag, ProfileTagSuppression
from candor.cookies import services as cookie_services
from candor.privacy import audit, consent, policy, taxonomy
from candor.privacy.models import ConsentRecord
from candor.privacy.processing import processing
from candor.privacy.taxonomy import Purpose
from candor.social.models import Favorite

MAX_TAGS = 10
FAVORITE_WEIGHT = 3  # keeping a product says more than looking at it
VIEW_WEIGHT = 1
REFRESH_AFTER = timedelta(days=1)  # an unchanged profile is re-stamped daily (retention counts from it)
CONTEST_MAX = 2000


def _policy_version() -> str:
    version = policy.current()
    return version.number if version else ""


def _lock_owner(user: Any) -> None:
    """Serialize one member's profile writes (two pages deriving at once)."""
    get_user_model()._default_manager.select_for_update().filter(pk=user.pk).first()


def _audit_delete(user: Any, *, target: str, fields: list[str], rows: int) -> None:
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=user.pk,
        subject_id=user.pk,
        target=target,
        fields=fields,
        purpose=taxonomy.PERSONALIZATION.code,
        detail={"operation": "delete", "rows": rows},
    )


def _after_change(user: Any, purpose: str, granted: bool) -> None:
    if purpose == taxonomy.PERSONALIZATION.code:
        if granted:
            profile_tags_refresh(user=user, force=True)
        else:
            _tags_clear(user)


def _append(
    user: Any, purpose: Purpose, *, granted: bool, channel: str, evidence: Mapping[str, Any]
) -> ConsentRecord:
    if granted:
        require_policy_accepted(user.pk)  # never a grant under a version the person has not accepted
    verb = consent.grant if granted else consent.withdraw
    row = verb(user.pk, purpose, channel=channel, policy_version=_policy_version(), evidence=evidence)
    _after_change(user, purpose.code, granted)
    return row


def _analytics(user: Any, *, on: bool, aid: str | None, channel: str) -> ConsentRecord:
    """One writer for the analytics consent, the cookie banner's: it also forgets this browser's
    page views on withdrawal (PIPL art. 47), and refuses a grant while a policy waits."""
    cookie_services.consent_choose(
        user_id=user.pk, analytics=on, aid=aid, page=reverse("centre:permissions"), channel=channel
    )
    found = consent.latest(user.pk, taxonomy.ANALYTICS)
    assert found is not None
    return found


# --- permissions --------------------------------------------------------------------------------


@transaction.atomic
def consent_switch(
    *,
    user: Any,
    purpose: Purpose | str,
    on: bool,
    evidence: Mapping[str, Any] | None = None,
    aid: str | None = None,
) -> ConsentRecord:
    """The person's own switch: on grants, off withdraws, both at once. Switching to the state
    it already has appends nothing (the ledger records decisions, not clicks). ``aid``: this
    browser's analytics id, whose page views go when analytics is switched off."""
    item = selectors.feature(purpose)
    if (on and not item.can_turn_on) or (not on and not item.can_turn_off):
        raise SwitchedElsewhere()
    latest = consent.latest(user.pk, item.purpose)
    if latest is not None and latest.granted == on:
        return latest
    if item.purpose.code == taxonomy.ANALYTICS.code:
        return _analytics(user, on=on, aid=aid, channel=CHANNEL)
    return _append(
        user, item.purpose, granted=on, channel=CHANNEL, evidence=evidence or {"page": "permissions"}
    )


@transaction.atomic
def feature_prompt_answer(
    *,
    user: Any,
    purpose: Purpose | str,
    accept: bool,
    channel: str = consent.Channel.WEB,
    context: str = "",
) -> ConsentRecord:
    """The answer to a feature's prompt ("allow location to fill in the address?"). A "not now"
    is recorded as a withdrawal without a prior grant, which is what ``should_ask`` reads: the
    prompt is not shown again until the person switches the feature on in the centre. A prompt
    that ``should_ask`` no longer shows cannot be answered: 409 ``already_answered``, nothing
    recorded (else a refused feature could be turned back on through its prompt)."""
    item = selectors.feature(purpose)
    if not item.can_turn_on:
        raise SwitchedElsewhere()
    if not selectors.should_ask(user, item.purpose):
        raise AlreadyAnswered()
    if item.purpose.code == taxonomy.ANALYTICS.code:
        return _analytics(user, on=accept, aid=None, channel=channel)
    evidence = {"prompt": item.purpose.code, "context": context[:64]}
    return _append(user, item.purpose, granted=accept, channel=channel, evidence=evidence)


# --- profile tags -------------------------------------------------------------------------------


def _derive(user: Any) -> dict[int, tuple[int, str]]:
    """category id -> (weight, source), the strongest ``MAX_TAGS``, deleted tags left out."""
    suppressed = set(
        ProfileTagSuppression.objects.filter(user_id=user.pk).values_list("category_id", flat=True)
    )
    weights: Counter[int] = Counter()
    sources: dict[int, set[str]] = {}
    with processing(taxonomy.PERSONALIZATION):
        for model, weight, source in (
            (BrowsingHistory, VIEW_WEIGHT, ProfileTag.Source.BROWSING),
            (Favorite, FAVORITE_WEIGHT, ProfileTag.Source.FAVORITES),
        ):
            rows = (
                model.objects.filter(user_id=user.pk, product__is_active=True)
                .values("product__category_id")
                .annotate(n=Count("id"))
                .values_list("product__category_id", "n")
            )
            for category_id, n in rows:
                if category_id not in suppressed:
                    weights[category_id] += n * weight
                    sources.setdefault(category_id, set()).add(source)
    both = {ProfileTag.Source.BROWSING, ProfileTag.Source.FAVORITES}
    return {
        category_id: (
            weight,
            ProfileTag.Source.BOTH if sources[category_id] == both else next(iter(sources[category_id])),
        )
        for category_id, weight in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_TAGS]
    }


def _tags_clear(user: Any) -> int:
    rows = ProfileTag.objects.filter(user_id=user.pk)
    count = rows.count()
    if count:
        _audit_delete(
            user,
            target="centre.profiletag:*",
            fields=["category", "weight", "source", "derived_at"],
            rows=count,
        )
        rows.delete()
    return count


def profile_tags_refresh(*, user: Any, force: bool = False, now: datetime | None = None) -> list[ProfileTag]:
    """Re-derive the member's profile tags while they consent to personalization; without the
    consent, delete any that are left. Reads only, unless the tags changed or are a day old."""
    if not selectors.personalized(user):
        with transaction.atomic():
            _tags_clear(user)
        return []
    now = now or timezone.now()
    wanted = _derive(user)
    existing = list(ProfileTag.objects.filter(user_id=user.pk))
    same = {t.category_id: (t.weight, t.source) for t in existing} == wanted
    fresh = all(now - t.derived_at < REFRESH_AFTER for t in existing)
    if same and fresh and not force:
        return sorted(existing, key=lambda t: (-t.weight, t.category_id))
    with transaction.atomic():
        _lock_owner(user)
        ProfileTag.objects.filter(user_id=user.pk).delete()
        return ProfileTag.objects.bulk_create(
            ProfileTag(user_id=user.pk, category_id=c, weight=w, source=s, derived_at=now)
            for c, (w, s) in wanted.items()
        )


@transaction.atomic
def profile_tag_delete(*, user: Any, category_id: Any) -> None:
    """Delete one tag and keep it deleted: the next derivation skips its category."""
    tag = ProfileTag.objects.filter(user_id=user.pk, category_id=_id(category_id)).first()
    if tag is None:
        raise TagNotFound()
    ProfileTagSuppression.objects.get_or_create(user_id=user.pk, category_id=tag.category_id)
    _audit_delete(
        user,
        target=f"centre.profiletag:{tag.pk}",
        fields=["category", "weight", "source", "derived_at"],
        rows=1,
    )
    tag.delete()


@transaction.atomic
def profile_tag_allow(*, user: Any, category_id: Any) -> None:
    """Forget that a tag was deleted: it may be derived again (at once, when personalized)."""
    row = ProfileTagSuppression.objects.filter(user_id=user.pk, category_id=_id(category_id)).first()
    if row is None:
        raise TagNotFound()
    _audit_delete(
        user, target=f"centre.profiletagsuppression:{row.pk}", fields=["category", "created_at"], rows=1
    )
    row.delete()
    if selectors.personalized(user):
        profile_tags_refresh(user=user, force=True)


def _id(raw: Any) -> int:
    text = str(raw).strip()
    if not text.isdigit() or len(text) > 10:
        raise TagNotFound()
    return int(text)


# --- contesting a decision (C003-21) ------------------------------------------------------------

DECISIONS = {
    "for_you": _("The “For you” list on the home page"),
    "profile_tags": _("My profile tags"),
    "other": _("Another automated decision"),
}


def decision_contest(*, user: Any, decision: str, reason: str, channel: str = "web") -> Any:
    """File the contest as a rights request (kind ``contest_decision``), answered by a person
    within the request's due date; returns the request."""
    from candor.service.services import request_file  # the service app owns the queue

    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if decision not in DECISIONS:
        errors["decision"] = [str(_("Choose the decision you contest."))]
    if not reason:
        errors["reason"] = [str(_("Tell us why you contest it."))]
    elif len(reason) > CONTEST_MAX:
        errors["reason"] = [str(_("Use at most %(max)s characters.") % {"max": CONTEST_MAX})]
    if errors:
        raise ContestInvalid(errors)
    body = f"[{decision}] {DECISIONS[decision]}\n\n{reason}"
    return request_file(user=user, kind="contest_decision", body=body, channel=channel)
