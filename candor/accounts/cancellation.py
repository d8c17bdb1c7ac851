"""Cancelling an account (注销账号, C002-20, C003-20): the entry point of the rights workflow.

The person confirms with an SMS code to their own mobile (or their password when the account
has no mobile, e.g. a WeChat-only account); the request then waits 48 hours, during which they
may withdraw it; after the review the core erases the account (``rights.erase``: personal data
deleted or anonymized, profile key shredded, transaction records restricted, every session and
app token ended) and the same mobile can register afresh as a new person.

What blocks a cancellation (unpaid or undelivered orders, open refunds, balances) is owned by
the apps that hold those things: each registers a check with ``register_blocker``; the orders
and payment apps add theirs when they land. With no blocker registered, nothing blocks.
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


def cancellations_complete(*, now: datetime | None = None) -> int:
    """Erase every account whose review has ended (a blocker that appeared meanwhile waits)."""
    moment = now or timezone.now()
    done = 0
    due = Cancellation.objects.filter(status=Cancellation.Status.IN_REVIEW, review_until__lte=moment)
    for row in due.select_related("user"):
        if blockers(row.user):
            continue
        with transaction.atomic():
            audit.record(
                action=audit.Action.CHANGE,
                subject_id=row.user_id,
                target=f"accounts.cancellation:{row.pk}",
                fields=["decided_at"],
                purpose="rights_requests",
                detail={"operation": "complete"},
            )
            rights.erase(row.user_id)  # deletes this row too (declared on_erasure DELETE)
        done += 1
    return done
