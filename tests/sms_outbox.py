"""Reading SMS codes in tests the way a person does in the demo: from the simulator's outbox."""

from __future__ import annotations

import re

from candor.integrations.sms.models import OutboxMessage


def latest_code(phone: str) -> str:
    message = OutboxMessage.objects.filter(phone__endswith=phone[-11:]).order_by("-created_at", "-id").first()
    assert message is not None, f"no SMS was sent to {phone}"
    found = re.search(r"(?<!\d)(\d{6})(?!\d)", message.text)
    assert found, message.text
    return found[1]
