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
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from candor.fulfillment.models import Shipment, TrackingEvent
from candor.integrations.carrier.base import PushRejected, TrackEvent, TrackUpdate, gateway
from candor.orders import services as orders
from candor.orders.errors import OrderStateInvalid
from candor.orders.models import Order
from candor.payments.models import Refund
from candor.privacy import disclosure, taxonomy

logger = logging.getLogger(__name__)
# Carriers write who signed for a parcel into the delivery scan ("已签收，签收人：张三"): the
# name is not kept.
# A Chinese name ends at a space; an English one ("signed by Zhang San") has spaces in it, so it
# runs to the next punctuation.
_SIGNER = re.compile(
    r"(签收人|收件人|代收人)\s*[:：]?\s*[^，,。.;；\s]+|(signed by)\s*[:：]?\s*[^，,。.;；]+", re.IGNORECASE
)


def scrub(text: str) -> str:
    return _SIGNER.sub(lambda m: f"{m.group(1) or m.group(2)}：***", text)[:300]


def _shippable(order_id: int) -> Order:
    """The order, locked, if it may ship now; else the reason, in the user's language."""
    order = Order.objects.select_for_update().get(pk=order_id)
    if order.status != Order.Status.TO_SHIP:
        raise OrderStateInvalid(_("Only an order awaiting shipment can be shipped."))
    if order.held_reason:
        raise OrderStateInvalid(_("This order is held for review and cannot be shipped yet."))
    if Refund.objects.filter(order_id=order.pk, status__in=Refund.OPEN).exists():
        # The buyer cancelled it; the order is cancelled once the money is back.
        raise OrderStateInvalid(_("A refund of this order is in progress: it cannot be shipped."))
    return order


def shipment_create(*, order: Order, actor_id: int | None, carrier_code: str = "") -> Shipment:
    """Hand the order to the carrier: the recipient and items are disclosed, a waybill comes back,
    the order is shipped. Refused for an order that is not awaiting shipment or is held.

    Three steps, so that no row stays locked while the carrier is called and the ledger keeps
    what left: the disclosure is committed first (the data goes with the call, whatever comes
    back), then the carrier is called outside any transaction, then the waybill is applied in a
    transaction that checks the order again. A retry is safe: Kdniao answers the same waybill
    for the same order number."""
    with transaction.atomic():
        order = _shippable(order.pk)
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
    with transaction.atomic():
        Order.objects.select_for_update().filter(pk=order.pk).first()
        shipped = Shipment.objects.filter(order_id=order.pk).first()
        if shipped is not None and shipped.waybill_no == waybill.waybill_no:
            return shipped  # a second "ship" at the same moment: the same waybill, shipped once
        order = _shippable(order.pk)
        orders.order_mark_shipped(order_id=order.pk, actor_id=actor_id)
        return Shipment.objects.create(
            order=order, carrier_code=waybill.carrier_code, waybill_no=waybill.waybill_no
        )


def _store(shipment: Shipment, events: Iterable[TrackEvent]) -> int:
    """Insert the scans not stored yet. A carrier's push repeats the whole trace so far, so the
    known (time, state) pairs are read once and only new ones written, in one statement."""
    known = set(TrackingEvent.objects.filter(shipment=shipment).values_list("at", "state"))
    fresh: list[TrackingEvent] = []
    for event in events:
        state = event.state if event.state in TrackingEvent.State.values else TrackingEvent.State.PROBLEM
        if (event.at, state) in known:
            continue
        known.add((event.at, state))
        fresh.append(
            TrackingEvent(
                shipment=shipment, buyer_id=shipment.order.buyer_id, at=event.at, state=state,
                description=scrub(event.description), location=event.location[:100],
            )
        )  # fmt: skip
    # A concurrent push may have stored the same scan a moment ago: the unique constraint keeps
    # one, and the other insert is skipped.
    TrackingEvent.objects.bulk_create(fresh, ignore_conflicts=True)
    delivered = next((e for e in fresh if e.state == TrackingEvent.State.DELIVERED), None)
    if delivered is not None and shipment.delivered_at is None:
        with transaction.atomic():
            if Shipment.objects.filter(pk=shipment.pk, delivered_at__isnull=True).update(
                delivered_at=delivered.at
            ):
                orders.order_mark_delivered(order_id=shipment.order_id, at=delivered.at)
    return len(fresh)


def tracking_apply(updates: Iterable[TrackUpdate]) -> int:
    """Store pushed events of the waybills we know; unknown waybills are ignored."""
    added = 0
    for update in updates:
        shipment = Shipment.objects.select_related("order").filter(waybill_no=update.waybill_no).first()
        if shipment is None:
            logger.info("tracking push for an unknown waybill")
            continue
        added += _store(shipment, update.events)
    return added


def tracking_refresh(*, shipment: Shipment) -> int:
    """Fetch the carrier's events (the tracking page's "refresh") and store the new ones."""
    return _store(
        shipment, gateway().track(carrier_code=shipment.carrier_code, waybill_no=shipment.waybill_no)
    )


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
