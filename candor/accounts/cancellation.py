"""Cancelling an account (注销账号, C002-20, C003-20): the entry point of the rights workflow.

The person confirms with an SMS code to their own mobile (or their password when the account
has no mobile, e.g. a WeChat-only account); the request then waits 48 hours, during which they
may withdraw it; after the review the core erases the account (``rights.erase``: personal data
deleted or anonymized, profile key shredded, transaction records restricted, every session and
app token ended) and the same mobile can register afresh as a new person.

What blocks a cancellation (unpaid or undelivered orders, open refunds, balances) is owned by
the apps that hold those things: each registers a check with ``register_blocker``; the orders
and payment apps add theirs when they land. With no blocker registered, nothing blocks.

Staff review the waiting requests in the back office (``accounts.admin``): approving erases at
once through the same step as the end of the review; holding stops the clock (or moves its end)
with a reason the person reads on their cancel page; releasing restarts it with the time that
was left.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from candor.accounts.models import Cancellation, User
from candor.errors import CandorError
from candor.privacy import audit, rights
from candor.verification import services as codes

REVIEW = timedelta(hours=48)

Blocker = Callable[[User], list[Promise | str]]
_blockers: list[Blocker] = []


class CancellationRefused(CandorError):
    status = 409
    code = "cancellation_blocked"


class CancellationNotOpen(CandorError):
    status = 404
    code = "cancellation_not_open"


def register_blocker(check: Blocker) -> Blocker:
    """``check(user)`` returns the reasons the account cannot be cancelled yet (empty: none)."""
    _blockers.append(check)
    return check


def blockers(user: User) -> list[str]:
    return [str(reason) for check in _blockers for reason in check(user)]


def open_cancellation(user: User) -> Cancellation | None:
    return Cancellation.objects.filter(user=user, status=Cancellation.Status.IN_REVIEW).first()


def _confirm(user: User, *, code: str, password: str) -> None:
    if user.phone:
        codes.code_check(channel="sms", target=user.phone, purpose="cancel_account", code=code.strip())
    elif not (password and user.check_password(password)):
        raise CandorError(
            _("Enter your password to confirm."),
            code="invalid_credentials",
            fields={"password": [str(_("Enter your password to confirm."))]},
        )


def cancellation_request(*, user: User, code: str = "", password: str = "") -> Cancellation:
    existing = open_cancellation(user)
    if existing is not None:
        return existing
    reasons = blockers(user)
    if reasons:
        raise CancellationRefused(
            _("Your account cannot be cancelled yet: %(reasons)s") % {"reasons": "; ".join(reasons)},
            extra={"blockers": reasons},
        )
    _confirm(user, code=code, password=password)  # its own transaction: a wrong code counts
    return _open(user)


@transaction.atomic
def _open(user: User) -> Cancellation:
    row = Cancellation.objects.create(user=user, review_until=timezone.now() + REVIEW)
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=user.pk,
        subject_id=user.pk,
        target=f"accounts.cancellation:{row.pk}",
        fields=["requested_at"],
        purpose="rights_requests",
        detail={"operation": "create", "review_until": row.review_until.isoformat()},
    )
    return row


@transaction.atomic
def cancellation_withdraw(*, user: User) -> Cancellation:
    row = (
        Cancellation.objects.select_for_update()
        .filter(user=user, status=Cancellation.Status.IN_REVIEW)
        .first()
    )
    if row is None:
        raise CancellationNotOpen(_("There is no cancellation in review to withdraw."))
    row.status, row.decided_at = Cancellation.Status.WITHDRAWN, timezone.now()
    row.save(update_fields=["status", "decided_at"])
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=user.pk,
        subject_id=user.pk,
        target=f"accounts.cancellation:{row.pk}",
        fields=["decided_at"],
        purpose="rights_requests",
        detail={"operation": "withdraw"},
    )
    return row


def _complete(row: Cancellation, *, actor_id: int | None, operation: str) -> None:
    with transaction.atomic():
        audit.record(
            action=audit.Action.CHANGE,
            actor_id=actor_id,
            subject_id=row.user_id,
            target=f"accounts.cancellation:{row.pk}",
            fields=["decided_at"],
            purpose="rights_requests",
            detail={"operation": operation},
        )
        rights.erase(row.user_id, actor_id=actor_id)  # deletes this row too (on_erasure DELETE)


def cancellations_complete(*, now: datetime | None = None) -> int:
    """Erase every account whose review has ended (a blocker that appeared meanwhile waits, and
    so does a request whose clock staff stopped)."""
    moment = now or timezone.now()
    done = 0
    due = Cancellation.objects.filter(
        status=Cancellation.Status.IN_REVIEW, held_at__isnull=True, review_until__lte=moment
    )
    for row in due.select_related("user"):
        if blockers(row.user):
            continue
        _complete(row, actor_id=None, operation="complete")
        done += 1
    return done


def _in_review(cancellation_id: int) -> Cancellation:
    row = (
        Cancellation.objects.select_for_update()
        .select_related("user")
        .filter(pk=cancellation_id, status=Cancellation.Status.IN_REVIEW)
        .first()
    )
    if row is None:
        raise CancellationNotOpen(_("This cancellation is no longer in review."))
    return row


def _staff_decision(row: Cancellation, *, actor_id: int, fields: list[str], detail: dict[str, str]) -> None:
    row.save(update_fields=fields)
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=actor_id,
        subject_id=row.user_id,
        target=f"accounts.cancellation:{row.pk}",
        fields=fields,
        purpose="rights_requests",
        detail=detail,
    )


@transaction.atomic
def cancellation_approve(*, cancellation_id: int, actor_id: int) -> None:
    """Staff end the review early: the account is erased now, exactly as after the 48 hours."""
    row = _in_review(cancellation_id)
    reasons = blockers(row.user)
    if reasons:
        raise CancellationRefused(
            _("This account cannot be erased yet: %(reasons)s") % {"reasons": "; ".join(reasons)},
            extra={"blockers": reasons},
        )
    _complete(row, actor_id=actor_id, operation="approve")


@transaction.atomic
def cancellation_hold(
    *, cancellation_id: int, actor_id: int, reason: str, until: datetime | None = None
) -> Cancellation:
    """Stop the clock (``until`` None) or move the end of the review to ``until``; either way
    with a reason the person reads on their cancel page."""
    reason = reason.strip()
    if not reason or len(reason) > 300:
        message = _("Give the reason the person will read (at most 300 characters).")
        raise CandorError(message, code="reason_required", fields={"reason": [str(message)]})
    row = _in_review(cancellation_id)
    now = timezone.now()
    if until is None:
        row.held_at = row.held_at or now
        detail = {"operation": "hold"}
    else:
        if until <= max(row.review_until, now):
            message = _("The new end of the review must be later than the current one.")
            raise CandorError(message, code="review_end_invalid", fields={"until": [str(message)]})
        row.review_until, row.held_at = until, None
        detail = {"operation": "extend", "review_until": until.isoformat()}
    row.hold_reason = reason
    _staff_decision(row, actor_id=actor_id, fields=["held_at", "hold_reason", "review_until"], detail=detail)
    return row


@transaction.atomic
def cancellation_release(*, cancellation_id: int, actor_id: int) -> Cancellation:
    """Restart a stopped clock with the time that was left when it stopped."""
    row = _in_review(cancellation_id)
    if row.held_at is None:
        return row
    left = max(row.review_until - row.held_at, timedelta(0))
    row.review_until, row.held_at, row.hold_reason = timezone.now() + left, None, ""
    _staff_decision(
        row, actor_id=actor_id, fields=["held_at", "hold_reason", "review_until"],
        detail={"operation": "release", "review_until": row.review_until.isoformat()},
    )  # fmt: skip
    return row
