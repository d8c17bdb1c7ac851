"""Shipments hold no personal data of their own: the recipient stays on the order, and the
carrier received it through the order's declaration (``orders/personal_data.py``). A waybill
number and the parcel's scan events say where a parcel went, not who received it; the carrier's
descriptions are their standard texts (no recipient names are stored: see ``services``)."""

from candor.fulfillment.models import Shipment, TrackingEvent
from candor.privacy.datamap import exempt

exempt(Shipment, reason="a waybill number and times; the recipient lives on the declared order")
exempt(TrackingEvent, reason="the carrier's scan events of a parcel, with the carrier's standard texts")
