"""Reads of the inbox: a member's messages, newest first, and the unread count for the header."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from candor.inbox.models import Message


def messages_of(*, user: Any) -> QuerySet[Message]:
    return Message.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def unread_count(*, user: Any) -> int:
    if not user.is_authenticated:
        return 0
    return Message.objects.filter(user_id=user.pk, read_at__isnull=True).count()
