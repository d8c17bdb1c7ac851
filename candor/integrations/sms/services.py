"""The simulator's one write: a message the simulated provider accepted."""

from __future__ import annotations

from candor.integrations.sms.models import OutboxMessage


def outbox_store(*, provider: str, phone: str, text: str, receipt: str) -> OutboxMessage:
    return OutboxMessage.objects.create(provider=provider, phone=phone, text=text, receipt=receipt)
