"""Reads of shipments: an order's tracking events, newest first."""

from __future__ import annotations

from candor.fulfillment.models import Shipment, TrackingEvent
from candor.orders.models import Order


def shipment_of(order: Order) -> Shipment | None:
    return Shipment.objects.filter(order=order).first()


def events_of(order: Order) -> list[TrackingEvent]:
    return list(TrackingEvent.objects.filter(shipment__order=order).order_by("-at", "-id"))
