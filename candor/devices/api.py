"""``GET /api/v1/devices``: the caller's recent registrations and logins, IP masked."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.security import django_auth

from candor.api.errors import ErrorOut
from candor.devices import selectors
from candor.devices.selectors import DeviceRow

router = Router(tags=["devices"], auth=django_auth)


class DeviceEventOut(Schema):
    id: int
    event: str = Field(description="register or login")
    event_label: str
    browser: str
    os: str
    device_model: str
    app_version: str
    ip_masked: str = Field(description="The IP address with its last part hidden, e.g. 203.0.113.*")
    at: datetime


@router.get("/devices", response={200: list[DeviceEventOut], 401: ErrorOut}, summary="My login devices")
def device_list(request: HttpRequest) -> list[DeviceRow]:
    return selectors.device_events(user=request.user)
