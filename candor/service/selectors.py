"""Reads of requests: the requester's own (another's id answers exactly like a missing one,
404), and the staff queue's figures — what is overdue, and the weekly chart of requests against
their deadlines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError
from candor.service.models import OPEN, RequestEvent, RightsRequest

MAX_ID = 2**63 - 1  # a larger id cannot exist, and would overflow the database's integer


def not_found() -> CandorError:
    return CandorError(_("Request not found."), code="not_found", status=404)


def request_list(*, user: Any) -> QuerySet[RightsRequest]:
    return RightsRequest.objects.filter(user_id=user.pk).order_by("-received_at", "-pk")


def request_get(*, user: Any, request_id: int) -> RightsRequest:
    if not 0 < request_id <= MAX_ID:
        raise not_found()
    request = RightsRequest.objects.filter(user_id=user.pk, pk=request_id).first()
    if request is None:
        raise not_found()
    return request


def request_events(*, request: RightsRequest) -> QuerySet[RequestEvent]:
    return request.events.order_by("at", "pk")


def overdue(now: datetime | None = None) -> Q:
    """Open requests past their due date."""
    return Q(status__in=OPEN, due_at__lt=now or timezone.now())


def due_soon(now: datetime | None = None, *, days: int = 3) -> Q:
    now = now or timezone.now()
    return Q(status__in=OPEN, due_at__gte=now, due_at__lt=now + timedelta(days=days))


@dataclass(frozen=True)
class Week:
    start: date
    received: int
    in_time: int  # closed on or before the due date
    late: int  # closed after it
    open_overdue: int  # still open and past it
    open_in_time: int  # still open, not due yet

    @property
    def total(self) -> int:
        return self.in_time + self.late + self.open_overdue + self.open_in_time


def weekly(*, weeks: int = 12, now: datetime | None = None) -> list[Week]:
    """Requests received per week (Monday to Sunday, local time) over the last ``weeks`` weeks,
    each week split by how its requests stand against their deadlines. One query of five
    columns per request in the window; the split is counted in Python (at most a few thousand
    rows a quarter for one mall)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    first = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    start = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    rows = RightsRequest.objects.filter(received_at__gte=start).values_list(
        "received_at", "due_at", "closed_at", "status"
    )
    counts: dict[date, list[int]] = {first + timedelta(weeks=i): [0, 0, 0, 0, 0] for i in range(weeks)}
    for received_at, due_at, closed_at, status in rows.iterator():
        day = timezone.localdate(received_at)
        bucket = counts.get(day - timedelta(days=day.weekday()))
        if bucket is None:
            continue
        bucket[0] += 1
        if status in OPEN:
            bucket[3 if due_at < now else 4] += 1
        elif closed_at is not None and closed_at <= due_at:
            bucket[1] += 1
        else:
            bucket[2] += 1
    return [Week(day, *values) for day, values in counts.items()]
