"""``OutboxEmailBackend``: e-mails kept in a table instead of sent (the demo's mail server).

Settings choose it only when ``CANDOR_SIMULATORS`` is on, so that a person trying the demo can
open the verification link on the dev outbox page; production sends through SMTP.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

from candor.verification.services import outbox_email_store


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            outbox_email_store(to=", ".join(message.recipients()), subject=message.subject, body=message.body)
            sent += 1
        return sent
