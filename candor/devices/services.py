"""Recording device and network data at registration and login (C000-01, C001-03, C002-06).

Called by the accounts flows, inside their transaction, once the user is known. Only parsed,
cleaned and length-limited values are stored (``network.py``); the IP address is encrypted.
Recording is collection, not a change a person makes, so it writes no audit event of its own:
the row itself is the network log.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from candor.devices import network
from candor.devices.models import DeviceEvent


@transaction.atomic
def device_record(*, request: HttpRequest, user: Any, event: str) -> None:
    """Store what ``request`` says about the device for ``event`` ("register" or "login")."""
    if event not in DeviceEvent.Event.values:
        raise ValueError(f"unknown device event {event!r}")
    info = network.device_info(request)
    DeviceEvent.objects.create(
        user=user,
        event=event,
        device_model=info.device_model,
        os=info.os,
        app_version=info.app_version,
        language=info.language,
        resolution=info.resolution,
        carrier=info.carrier,
        browser=info.browser,
        ip_address=network.client_ip(request),
        at=timezone.now(),
    )
