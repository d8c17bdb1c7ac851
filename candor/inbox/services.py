"""Sending a notice to members: into their inbox, and optionally by e-mail to a verified address.

``message_send`` is the one way a business app tells a person something outside a page they are
on (an export is ready, an incident, a policy change, the end of the service). Sending to many
(``message_broadcast``) writes the inbox rows in bulk; e-mail goes out after commit, so a rolled
back notice is never mailed. Text messages go through the SMS gateway's approved templates only
(``candor.integrations.sms``), which the caller chooses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from candor.inbox.models import Message

BATCH = 1000


def _mail_later(user_ids: Sequence[int], subject: str, body: str) -> None:
    from allauth.account.models import EmailAddress

    def send() -> None:
        rows = EmailAddress.objects.filter(user_id__in=user_ids, verified=True, primary=True)
        for email in rows.values_list("email", flat=True).iterator():
            send_mail(subject, body, None, [email], fail_silently=True)

    transaction.on_commit(send)


def message_send(
    *, user_id: int, kind: str, title: str, body: str = "", link: str = "", email: bool = False
) -> Message:
    message = Message.objects.create(
        user_id=user_id, kind=kind, title=title[:200], body=body, link=link,
        channels=["email"] if email else [],
    )  # fmt: skip
    if email:
        _mail_later([user_id], title, body)
    return message


def message_broadcast(
    *, user_ids: Iterable[int], kind: str, title: str, body: str = "", link: str = "", email: bool = False
) -> int:
    """The same notice to many members, in batches; returns how many were sent."""
    sent = 0
    batch: list[int] = []
    for user_id in user_ids:
        batch.append(user_id)
        if len(batch) == BATCH:
            sent += _send_batch(batch, kind, title, body, link, email)
            batch = []
    if batch:
        sent += _send_batch(batch, kind, title, body, link, email)
    return sent


def _send_batch(user_ids: list[int], kind: str, title: str, body: str, link: str, email: bool) -> int:
    channels: list[Any] = ["email"] if email else []
    Message.objects.bulk_create(
        [
            Message(user_id=u, kind=kind, title=title[:200], body=body, link=link, channels=channels)
            for u in user_ids
        ]
    )
    if email:
        _mail_later(list(user_ids), title, body)
    return len(user_ids)


def message_read(*, user: Any, message_id: int) -> None:
    Message.objects.filter(user_id=user.pk, pk=message_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def message_delete(*, user: Any, message_id: int) -> int:
    return int(Message.objects.filter(user_id=user.pk, pk=message_id).delete()[0])
