"""Delivery for app and web clients.

- ``GET /api/v1/orders/{number}/tracking``: the buyer's parcel — carrier, waybill number and the
  carrier's scans, newest first, as stored from its pushes (the web page's "refresh" asks the
  carrier). Signer names in the scans were scrubbed when they were stored.
- ``POST /api/v1/merchant/orders/{number}/ship``: a merchant's staff hand an order to the
  carrier. The carrier receives the recipient, mobile, address and items through ``disclosure``
  (``services.shipment_create``) and answers with the waybill; the order is shipped. It needs
  the back office's permission to ship (``fulfillment.add_shipment``).
- ``POST /api/v1/merchant/orders/{number}/label``: the shipping label — recipient, mobile,
  address, items, the buyer's note and the receiving warehouse in full, which the order views
  show masked — handed over through ``disclosure`` to the merchant and recorded, as "print
  shipping label" in the back office. Same permission.

Someone else's order answers ``404 order_not_found``: a merchant's staff reach only their
merchant's orders, a buyer only their own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema

from candor.api.csrf import require_csrf
from candor.api.errors import ErrorOut
from candor.errors import CandorError
from candor.fulfillment import selectors, services
from candor.orders import selectors as orders
from candor.orders.api import ERRORS, member
from candor.orders.errors import OrderStateInvalid
from candor.orders.models import Order
from candor.privacy import disclosure, taxonomy

router = Router(tags=["delivery"])


class EventOut(Schema):
    at: datetime
    state: str = Field(description="collected, in_transit, out_for_delivery, delivered or problem")
    state_label: str
    description: str
    location: str


class TrackingOut(Schema):
    carrier_code: str | None = Field(description="None until the merchant ships")
    waybill_no: str | None
    events: list[EventOut]


@router.get(
    "/orders/{number}/tracking", response={200: TrackingOut, **ERRORS}, auth=member,
    summary="Where my parcel is",
)  # fmt: skip
def order_tracking(request: HttpRequest, number: str) -> dict[str, Any]:
    order = orders.order_of_buyer(user=request.user, number=number)
    shipment = selectors.shipment_of(order)
    return {
        "carrier_code": shipment.carrier_code if shipment else None,
        "waybill_no": shipment.waybill_no if shipment else None,
        "events": [
            {
                "at": event.at, "state": event.state, "state_label": str(event.get_state_display()),
                "description": event.description, "location": event.location,
            }
            for event in selectors.events_of(order)
        ],
    }  # fmt: skip


class ShipIn(Schema):
    carrier_code: str = Field(
        "", max_length=16, description="Kdniao's ShipperCode; empty: the configured one"
    )


class ShippedOut(Schema):
    carrier_code: str
    waybill_no: str


SHIP_PERMISSION = "fulfillment.add_shipment"  # as in the back office: who ships prints the label
LABEL_STATES = (Order.Status.TO_SHIP, Order.Status.SHIPPED)


def _merchant_order(request: HttpRequest, number: str) -> Order:
    """One of the staff member's merchant's orders (another's is 404), if they may ship."""
    order = orders.order_of_merchant_staff(user=request.user, number=number)
    if not request.user.has_perm(SHIP_PERMISSION):
        raise CandorError(_("You may not ship orders."), code="permission_denied", status=403)
    return order


@router.post(
    "/merchant/orders/{number}/ship", response={200: ShippedOut, 503: ErrorOut, **ERRORS}, auth=member,
    summary="Ship one of my merchant's orders",
)  # fmt: skip
def merchant_order_ship(request: HttpRequest, number: str, payload: ShipIn | None = None) -> dict[str, Any]:
    require_csrf(request)
    order = _merchant_order(request, number)
    carrier_code = payload.carrier_code.strip().upper() if payload else ""
    shipment = services.shipment_create(order=order, actor_id=request.user.pk, carrier_code=carrier_code)
    return {"carrier_code": shipment.carrier_code, "waybill_no": shipment.waybill_no}


class LabelOut(Schema):
    number: str
    recipient_name: str
    recipient_phone: str
    province: str
    city: str
    district: str
    address_detail: str
    items: list[dict[str, Any]]
    note: str
    warehouse_name: str


@router.post(
    "/merchant/orders/{number}/label", response={200: LabelOut, **ERRORS}, auth=member,
    summary="The shipping label of one of my merchant's orders (recorded as a disclosure)",
)  # fmt: skip
def merchant_order_label(request: HttpRequest, number: str) -> dict[str, Any]:
    require_csrf(request)
    order = _merchant_order(request, number)
    if order.status not in LABEL_STATES or order.held_reason:
        raise OrderStateInvalid(_("This order has no label to print: it is not awaiting shipment or shipped, "
                                  "or it is held for review."))  # fmt: skip
    payload = disclosure.disclose(taxonomy.MERCHANT, order, taxonomy.DELIVERY, actor_id=request.user.pk)
    return {key: value or "" for key, value in payload.items() if key != "items"} | {
        "items": payload["items"]
    }
