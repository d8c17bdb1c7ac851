"""Shipping an order and following it to the door.

``shipment_create`` is the one place the carrier receives a recipient: the payload comes from
``disclosure.disclose(LOGISTICS, order, DELIVERY)`` — recipient, mobile, address and items, the
allowlist on the order's declaration — and the disclosure is recorded for the buyer to see
(C000-09, C004-08). ``tracking_apply`` stores the carrier's events once each and moves the order
to "delivered" on the delivery scan.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from candor.fulfillment.models import Shipment, TrackingEvent
from candor.integrations.carrier.base import PushRejected, TrackEvent, TrackUpdate, gateway
from candor.orders import services as orders
from candor.orders.errors import OrderStateInvalid
from candor.orders.models import Order
from candor.privacy import disclosure, taxonomy

logger = logging.getLogger(__name__)
# Carriers write who signed for a parcel into the delivery scan ("已签收，签收人：张三"): the
# name is not kept.
_SIGNER = re.compile(r"(签收人|收件人|代收人|signed by)\s*[:：]?\s*[^，,。.;；\s]+", re.IGNORECASE)


def scrub(text: str) -> str:
    return _SIGNER.sub(lambda m: f"{m.group(1)}：***", text)[:300]


def shipment_create(*, order: Order, actor_id: int | None, carrier_code: str = "") -> Shipment:
    """Hand the order to the carrier: the recipient and items are disclosed, a waybill comes back,
    the order is shipped. Refused for an order that is not awaiting shipment or is held."""
    if order.status != Order.Status.TO_SHIP:
        raise OrderStateInvalid(_("Only an order awaiting shipment can be shipped."))
    if order.held_reason:
        raise OrderStateInvalid(_("This order is held for review and cannot be shipped yet."))
    with transaction.atomic():
        payload = disclosure.disclose(taxonomy.LOGISTICS, order, taxonomy.DELIVERY, actor_id=actor_id)
        recipient = {
            "name": payload["recipient_name"] or "",
            "mobile": payload["recipient_phone"] or "",
            "province": payload["province"],
            "city": payload["city"],
            "district": payload["district"],
            "address": payload["address_detail"] or "",
        }
        waybill = gateway().create_waybill(
            order_no=payload["number"],
            recipient=recipient,
            items=payload["items"],
            sender=settings.CANDOR_CARRIER["sender"],
            carrier_code=carrier_code,
        )
        orders.order_mark_shipped(order_id=order.pk, actor_id=actor_id)
        return Shipment.objects.create(order=order, carrier_code=waybill.carrier_code, waybill_no=waybill.waybill_no)


def _store(shipment: Shipment, events: Iterable[TrackEvent]) -> int:
    added = 0
    for event in events:
        state = event.state if event.state in TrackingEvent.State.values else TrackingEvent.State.PROBLEM
        try:
            with transaction.atomic():
                TrackingEvent.objects.create(
                    shipment=shipment, at=event.at, state=state,
                    description=scrub(event.description), location=event.location[:100],
                )  # fmt: skip
        except IntegrityError:
            continue  # the same scan again (a repeated push): stored once
        added += 1
        if state == TrackingEvent.State.DELIVERED and shipment.delivered_at is None:
            shipment.delivered_at = event.at
            shipment.save(update_fields=["delivered_at"])
            orders.order_mark_delivered(order_id=shipment.order_id, at=event.at)
    return added


def tracking_apply(updates: Iterable[TrackUpdate]) -> int:
    """Store pushed events of the waybills we know; unknown waybills are ignored."""
    added = 0
    for update in updates:
        shipment = Shipment.objects.filter(waybill_no=update.waybill_no).first()
        if shipment is None:
            logger.info("tracking push for an unknown waybill")
            continue
        added += _store(shipment, update.events)
    return added


def tracking_refresh(*, shipment: Shipment) -> int:
    """Fetch the carrier's events (the tracking page's "refresh") and store the new ones."""
    return _store(shipment, gateway().track(carrier_code=shipment.carrier_code, waybill_no=shipment.waybill_no))


def push_receive(*, body: bytes, content_type: str) -> tuple[int, str, bytes]:
    """The carrier's tracking push: verified (DataSign) before anything is stored."""
    adapter = gateway()
    try:
        updates = adapter.verify_push(body=body, content_type=content_type)
    except PushRejected as exc:
        logger.warning("carrier push rejected: %s", getattr(exc, "reason", exc))
        return adapter.push_ack(ok=False)
    tracking_apply(updates)
    return adapter.push_ack(ok=True)
