"""What delivery keeps about people.

A shipment is a waybill number and times: the recipient stays on the order, and the carrier
received it through the order's declaration (``orders/personal_data.py``). The carrier's scan
events are the parcel's route: their places and last-mile texts ("【杭州市】快递员正在派件") name the
recipient's city and street, so they are the buyer's personal data, kept a year (long enough for
after-sales and a dispute about the delivery) and deleted when the buyer is erased. Who signed
for the parcel is never kept (``services.scrub``).
"""

from django.utils.translation import gettext_lazy as _

from candor.fulfillment.models import Shipment, TrackingEvent
from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, exempt, register

exempt(Shipment, reason="a waybill number and times; the recipient lives on the declared order")

register(
    TrackingEvent,
    subject="buyer",
    fields={
        "description": Pi(taxonomy.BASIC, purposes=[taxonomy.DELIVERY], label=_("Tracking text")),
        "location": Pi(
            taxonomy.BASIC, purposes=[taxonomy.DELIVERY], required=False, label=_("Parcel location")
        ),
    },
    not_personal={"at": "when the carrier scanned the parcel", "state": "the scan's kind, from a fixed list"},
    retention=retention.after("at", years=1),
    on_erasure=OnErasure.DELETE,
)
