"""Reads of the device log, for its owner: their recent registrations and logins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from candor.devices import network
from candor.devices.models import DeviceEvent

RECENT = 20


@dataclass(frozen=True)
class DeviceRow:
    id: int
    event: str
    event_label: str
    browser: str
    os: str
    device_model: str
    app_version: str
    ip_masked: str
    at: datetime


def device_events(*, user: Any, limit: int = RECENT) -> list[DeviceRow]:
    """The owner's latest events, newest first, the IP masked (203.0.113.*)."""
    rows = DeviceEvent.objects.filter(user_id=user.pk).order_by("-at", "-pk")[:limit]
    return [
        DeviceRow(
            id=row.pk,
            event=row.event,
            event_label=str(row.get_event_display()),
            browser=row.browser,
            os=row.os,
            device_model=row.device_model,
            app_version=row.app_version,
            ip_masked=network.mask_ip(row.ip_address),
            at=row.at,
        )
        for row in rows
    ]
