"""Reads of the simulator's outbox, for the dev outbox page."""

from __future__ import annotations

from django.db.models import QuerySet

from candor.integrations.sms.models import OutboxMessage


def outbox_latest(*, limit: int = 50) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.order_by("-created_at", "-id")[:limit]
