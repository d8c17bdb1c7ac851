"""Reads of the simulated carrier's records, for its API answers and its page."""

from __future__ import annotations

from candor.integrations.carrier.models import SimShipment


def shipment_for_order(*, order_no: str) -> SimShipment | None:
    return SimShipment.objects.filter(order_no=order_no).first()


def shipment_get(*, carrier_code: str, waybill_no: str) -> SimShipment | None:
    return SimShipment.objects.filter(carrier_code=carrier_code, waybill_no=waybill_no).first()


def shipments_latest(*, limit: int = 50) -> list[SimShipment]:
    return list(SimShipment.objects.prefetch_related("traces").order_by("-created_at", "-id")[:limit])
