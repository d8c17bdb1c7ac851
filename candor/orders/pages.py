"""What the buyer's screens and the API show of orders, computed once for both.

- The recipient is shown desensitized even to the buyer who typed it (C001-22): a screen can be
  seen over a shoulder or in a screenshot, and the buyer knows whom they sent it to. The masks
  are the declaration's (``personal_data.py``: name, phone, address, email).
- Merchant staff see the same masked recipient plus what packing needs (items, note, receiving
  warehouse): the allowlist of the merchant's declaration, nothing more. The shipping label
  itself is the carrier's, made from the disclosure in ``fulfillment.services.shipment_create``.
- The buttons an order offers follow its state; the services refuse the same steps anyway.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from candor.catalog.models import Merchant
from candor.errors import CandorError
from candor.orders.checkout import shipping_fee
from candor.orders.errors import OrderNotFound
from candor.orders.models import ONLINE_METHODS, Order, PaymentMethod, Purchase
from candor.orders.risk import HELD_REASONS
from candor.orders.selectors import PAGE_SIZE, STATUS_FILTERS, orders_of_merchant_staff
from candor.privacy import masking

# The tabs of "我的订单" (C003-06), in the order the page shows them.
TABS = [
    ("", _("All")),
    ("pending_payment", _("To pay")),
    ("to_ship", _("To ship")),
    ("to_receive", _("To receive")),
    ("completed", _("Completed")),
    ("cancelled", _("Cancelled")),
]
MAX_PAGE = 10_000


def status_filter(value: str | None) -> str:
    """A tab's key, or a 400 naming the field: an unknown filter is a client's mistake."""
    status = (value or "").strip()
    if status and status not in STATUS_FILTERS:
        raise CandorError(
            _("Unknown order status filter."),
            code="status_invalid",
            fields={
                "status": [str(_("Choose one of: %(choices)s.") % {"choices": ", ".join(STATUS_FILTERS)})]
            },
        )
    return status


def page_number(value: Any) -> int:
    text = str(value or "1").strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_PAGE:
        raise CandorError(
            _("Enter a page number from 1 to %(max)s.") % {"max": MAX_PAGE},
            code="page_invalid",
            fields={"page": [str(_("Enter a page number from 1 to %(max)s.") % {"max": MAX_PAGE})]},
        )
    return int(text)


@dataclass(frozen=True)
class Page:
    items: list[Order]
    number: int
    pages: int
    count: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(rows: QuerySet[Order], number: int) -> Page:
    """One page of ``rows``; a page past the end is empty (not an error: the list shrank)."""
    count = rows.count()
    start = (number - 1) * PAGE_SIZE
    items = list(rows[start : start + PAGE_SIZE]) if start < count else []
    return Page(items=items, number=number, pages=max(1, -(-count // PAGE_SIZE)), count=count)


def merchant_orders(*, user: Any, status: str = "") -> QuerySet[Order]:
    """The orders of ``user``'s merchants, newest first, with their shipments."""
    rows = orders_of_merchant_staff(user=user).select_related("shipment")
    if status:
        rows = rows.filter(status__in=STATUS_FILTERS[status])
    return rows.order_by("-created_at", "-id")


def purchase_of_buyer(*, user: Any, number: str) -> Purchase:
    """The buyer's own purchase; anyone else's is "not found", like one that does not exist."""
    purchase = Purchase.objects.filter(buyer_id=user.pk, number=str(number)[:32]).first()
    if purchase is None:
        raise OrderNotFound()
    return purchase


def masked_recipient(order: Order) -> dict[str, str]:
    return {
        "name": masking.mask("name", order.recipient_name),
        "mobile": masking.mask("phone", order.recipient_phone),
        "address": masking.mask("address", order.address_text),
        "region": " ".join(part for part in (order.province, order.city, order.district) if part),
        "landline": masking.mask("phone", order.landline),
        "email": masking.mask("email", order.email),
    }


def held_label(order: Order) -> str:
    return str(HELD_REASONS.get(order.held_reason, order.held_reason)) if order.held_reason else ""


_STEPS = (
    ("created", "created_at", _("Placed")),
    ("paid", "paid_at", _("Paid")),
    ("shipped", "shipped_at", _("Shipped")),
    ("delivered", "delivered_at", _("Delivered")),
    ("completed", "completed_at", _("Completed")),
    ("cancelled", "cancelled_at", _("Cancelled")),
)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    at: datetime


def timeline(order: Order) -> list[Step]:
    """The steps the order has taken, in the order of the lifecycle — not sorted by time: an
    institution's clock may stamp the payment a moment before our own "placed". Cash on delivery
    is paid at the door, so its payment follows the delivery."""
    steps = [
        Step(key, str(label), getattr(order, attr)) for key, attr, label in _STEPS if getattr(order, attr)
    ]
    keys = [step.key for step in steps]
    if order.payment_method == PaymentMethod.COD and "paid" in keys and "delivered" in keys:
        paid = steps.pop(keys.index("paid"))
        steps.insert([step.key for step in steps].index("delivered") + 1, paid)
    return steps


def actions(order: Order) -> list[str]:
    """What the buyer can do with the order now: ``pay`` (online), ``remit`` (bank remittance),
    ``cancel``, ``confirm`` (receipt), ``delete`` (from the list)."""
    found: list[str] = []
    if order.status == Order.Status.PENDING_PAYMENT and order.purchase.status == Purchase.Status.PENDING:
        if order.purchase.payment_method in ONLINE_METHODS:
            found.append("pay")
        elif order.purchase.payment_method == PaymentMethod.REMITTANCE:
            found.append("remit")
    if order.status in (Order.Status.PENDING_PAYMENT, Order.Status.TO_SHIP):
        found.append("cancel")
    if order.status in (Order.Status.SHIPPED, Order.Status.DELIVERED):
        found.append("confirm")
    if order.status in (Order.Status.COMPLETED, Order.Status.CANCELLED):
        found.append("delete")
    return found


@dataclass(frozen=True)
class Group:
    """One merchant's part of a checkout: it becomes one order with its own shipping fee."""

    merchant: Any
    lines: list[Any]
    goods_fen: int

    @property
    def merchant_name(self) -> str:
        return str(self.merchant.name(translation.get_language()))

    @property
    def shipping_fen(self) -> int:
        return shipping_fee(self.goods_fen)

    @property
    def total_fen(self) -> int:
        return self.goods_fen + self.shipping_fen


def checkout_groups(lines: Iterable[Any]) -> list[Group]:
    """Cart lines (``cart.selectors.CartLine``) by merchant, as ``purchase_place`` will split
    and price them."""
    by_merchant: dict[int, list[Any]] = defaultdict(list)
    for line in lines:
        by_merchant[line.sku.product.merchant_id].append(line)
    merchants = Merchant.objects.in_bulk(list(by_merchant))
    return [
        Group(merchants[key], group, sum(line.unit_price_fen * line.quantity for line in group))
        for key, group in by_merchant.items()
    ]


def grand_total(groups: Sequence[Group]) -> int:
    return sum(group.total_fen for group in groups)
