"""The abnormal-order check (C001-06, C004-06): simple rules that hold an order for review.

Counted over the last hour: orders from one account, from one network address, from one
device; counted over 30 days: how many accounts sent goods to one delivery address (order
brushing and resold accounts look like this). Over a limit (``settings.CANDOR_RISK_LIMITS``) the
order is placed but held — ``held_reason`` names the rule — and the merchant cannot ship it until
staff release it. The signals are kept as keyed hashes (``OrderCheck``), for 30 days, for
transaction security only; the address, network address and device are never stored in clear
here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from candor.orders.models import Order, OrderCheck
from candor.privacy.crypto import blind_index

if TYPE_CHECKING:
    from candor.orders.checkout import ClientSignals

HOUR = timedelta(hours=1)
ADDRESS_WINDOW = timedelta(days=30)


def _address_key(order: Order) -> str:
    parts = (order.province, order.city, order.district, order.address_detail or "")
    return blind_index("|".join("".join(part.split()).lower() for part in parts))


def check_order(*, order: Order, client: ClientSignals, at: datetime) -> str:
    """Record the order's signals and hold it if a rule trips; returns the rule's code or ""."""
    limits = settings.CANDOR_RISK_LIMITS
    ip_hash = blind_index(f"ip:{client.ip or ''}")
    device_hash = blind_index(f"device:{client.device}") if client.device else ""
    address_hash = _address_key(order)
    recent = OrderCheck.objects.filter(at__gte=at - HOUR)
    reason = ""
    if recent.filter(buyer_id=order.buyer_id).count() >= limits["account_per_hour"]:
        reason = "account_rate"
    elif client.ip and recent.filter(ip_hash=ip_hash).count() >= limits["ip_per_hour"]:
        reason = "ip_rate"
    elif device_hash and recent.filter(device_hash=device_hash).count() >= limits["device_per_hour"]:
        reason = "device_rate"
    else:
        others = (
            OrderCheck.objects.filter(address_hash=address_hash, at__gte=at - ADDRESS_WINDOW)
            .exclude(buyer_id=order.buyer_id)
            .values("buyer_id")
            .distinct()
            .count()
        )
        if others >= limits["accounts_per_address"]:
            reason = "shared_address"
    OrderCheck.objects.create(
        order=order, buyer_id=order.buyer_id, ip_hash=ip_hash, device_hash=device_hash,
        address_hash=address_hash, at=at,
    )  # fmt: skip
    if reason:
        order.held_reason = reason
        order.save(update_fields=["held_reason"])
    return reason


HELD_REASONS = {
    "account_rate": _("Many orders from one account within an hour"),
    "ip_rate": _("Many orders from one network address within an hour"),
    "device_rate": _("Many orders from one device within an hour"),
    "shared_address": _("One delivery address used by many accounts"),
}
