"""The simulated carrier's writes: a waybill it issued, an event it recorded, a push it delivered."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from candor.integrations.carrier.models import SimShipment, SimTrace


def shipment_create(*, waybill_no: str, carrier_code: str, order_no: str, recipient_city: str) -> SimShipment:
    return SimShipment.objects.create(
        waybill_no=waybill_no, carrier_code=carrier_code, order_no=order_no, recipient_city=recipient_city
    )


def trace_append(
    *, shipment: SimShipment, action: str, at: datetime, station: str, location: str
) -> SimTrace:
    return SimTrace.objects.create(
        shipment=shipment, action=action, at=at, station=station, location=location
    )


def trace_mark_pushed(*, trace: SimTrace) -> None:
    trace.pushed_at = timezone.now()
    trace.save(update_fields=["pushed_at"])
