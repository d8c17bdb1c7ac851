"""Reads: the dev outbox (simulated text messages and e-mails, newest first)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from candor.integrations.sms.selectors import outbox_latest
from candor.verification.models import OutboxEmail

_LINK = re.compile(r"https?://[^\s<>\"']+")


@dataclass(frozen=True)
class OutboxSms:
    phone: str
    text: str
    at: datetime
    provider: str


@dataclass(frozen=True)
class OutboxMail:
    to: str
    subject: str
    body: SafeString  # escaped text whose links are clickable
    at: datetime


def linkified(text: str) -> SafeString:
    """The text escaped, each http(s) link made an anchor (the outbox page's only markup)."""
    out, last = [], 0
    for match in _LINK.finditer(text):
        out.append(conditional_escape(text[last : match.start()]))
        url = match.group(0)
        out.append(format_html('<a href="{}" data-testid="mail-link">{}</a>', url, url))
        last = match.end()
    out.append(conditional_escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 — every piece above is escaped


def outbox_sms(*, limit: int = 50) -> list[OutboxSms]:
    return [
        OutboxSms(m.phone, m.text, m.created_at, m.get_provider_display()) for m in outbox_latest(limit=limit)
    ]


def outbox_mail(*, limit: int = 50) -> list[OutboxMail]:
    rows = OutboxEmail.objects.order_by("-created_at", "-id")[:limit]
    return [OutboxMail(m.to, m.subject, linkified(m.body), m.created_at) for m in rows]
