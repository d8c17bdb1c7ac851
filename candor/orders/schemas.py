"""What the order API answers: the buyer's orders and purchases, and a merchant's view of its
orders. The recipient is always masked (``pages.masked_recipient``), also for the buyer; the
merchant's view holds the items, and the recipient, the buyer's note and the receiving warehouse
masked: they reach the merchant in full only through the label, which is their disclosure
(``fulfillment.api``, as "print shipping label" in the back office)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import translation
from ninja import Field, Schema

from candor.orders import pages, services
from candor.orders.models import Order, Purchase
from candor.privacy import masking


def _lang() -> str:
    return translation.get_language() or "zh-hans"


class LineOut(Schema):
    sku_id: int
    product_id: int
    product_name: str = Field(description="As it was named when ordered")
    options: dict[str, Any]
    unit_price_fen: int
    quantity: int
    total_fen: int


class OrderSummaryOut(Schema):
    number: str
    purchase_number: str
    status: str = Field(description="pending_payment, to_ship, shipped, delivered, completed or cancelled")
    status_label: str
    payment_method: str
    merchant_name: str
    goods_fen: int
    shipping_fen: int
    total_fen: int
    created_at: datetime
    held: bool = Field(description="Held for review: the merchant cannot ship it until staff release it")
    actions: list[str] = Field(description="What the buyer can do now: pay, remit, cancel, confirm, delete")
    lines: list[LineOut]


class RecipientOut(Schema):
    name: str
    mobile: str
    address: str
    region: str
    landline: str
    email: str


class StepOut(Schema):
    key: str
    label: str
    at: datetime


class ShipmentOut(Schema):
    carrier_code: str
    waybill_no: str


class OrderDetailOut(OrderSummaryOut):
    pay_by: datetime | None = Field(description="An unpaid order is cancelled after this time")
    recipient: RecipientOut = Field(description="Desensitized, also for the buyer")
    for_someone_else: bool
    warehouse_name: str
    invoice_title: str
    tax_number: str
    note: str
    held_reason: str
    timeline: list[StepOut]
    shipment: ShipmentOut | None
    cancelled_with: list[str] = Field(
        description="Orders cancelled together with this one: an unpaid purchase is cancelled whole"
    )


class OrderListOut(Schema):
    count: int
    page: int
    pages: int
    items: list[OrderSummaryOut]


class PurchaseOrderOut(Schema):
    number: str
    status: str
    merchant_name: str
    goods_fen: int
    shipping_fen: int
    total_fen: int
    held: bool


class PurchaseOut(Schema):
    number: str = Field(description="The purchase number: what is paid, in one go")
    status: str = Field(description="pending, paid, confirmed (cash on delivery) or closed")
    total_fen: int
    payment_method: str
    pay_by: datetime
    orders: list[PurchaseOrderOut] = Field(description="One order per merchant")


def _lines(order: Order) -> list[dict[str, Any]]:
    return [
        {
            "sku_id": line.sku_id, "product_id": line.product_id, "product_name": line.product_name,
            "options": line.options or {}, "unit_price_fen": line.unit_price_fen, "quantity": line.quantity,
            "total_fen": line.total_fen,
        }
        for line in order.lines.all()
    ]  # fmt: skip


def _shipment(shipment: Any) -> dict[str, str] | None:
    return {"carrier_code": shipment.carrier_code, "waybill_no": shipment.waybill_no} if shipment else None


def order_summary(order: Order) -> dict[str, Any]:
    return {
        "number": order.number,
        "purchase_number": order.purchase.number,
        "status": order.status,
        "status_label": str(order.get_status_display()),
        "payment_method": order.payment_method,
        "merchant_name": order.merchant.name(_lang()),
        "goods_fen": order.goods_fen,
        "shipping_fen": order.shipping_fen,
        "total_fen": order.total_fen,
        "created_at": order.created_at,
        "held": bool(order.held_reason),
        "actions": pages.actions(order),
        "lines": _lines(order),
    }


def order_detail(order: Order) -> dict[str, Any]:
    shipment = getattr(order, "shipment", None)
    pending = order.status == Order.Status.PENDING_PAYMENT
    return {
        **order_summary(order),
        "pay_by": order.purchase.pay_by if pending else None,
        "recipient": pages.masked_recipient(order),
        "for_someone_else": order.for_someone_else,
        "warehouse_name": order.warehouse_name,
        "invoice_title": order.invoice_title,
        "tax_number": order.tax_number,
        "note": order.note,
        "held_reason": pages.held_label(order),
        "timeline": [{"key": s.key, "label": s.label, "at": s.at} for s in pages.timeline(order)],
        "shipment": {"carrier_code": shipment.carrier_code, "waybill_no": shipment.waybill_no}
        if shipment
        else None,
        "cancelled_with": services.cancelled_together(order),
    }


def purchase_out(purchase: Purchase) -> dict[str, Any]:
    orders = purchase.orders.select_related("merchant").order_by("id")
    return {
        "number": purchase.number,
        "status": purchase.status,
        "total_fen": purchase.total_fen,
        "payment_method": purchase.payment_method,
        "pay_by": purchase.pay_by,
        "orders": [
            {
                "number": o.number, "status": o.status, "merchant_name": o.merchant.name(_lang()),
                "goods_fen": o.goods_fen, "shipping_fen": o.shipping_fen, "total_fen": o.total_fen,
                "held": bool(o.held_reason),
            }
            for o in orders
        ],
    }  # fmt: skip


class MerchantOrderOut(Schema):
    number: str
    status: str
    status_label: str
    payment_method: str
    goods_fen: int
    shipping_fen: int
    total_fen: int
    created_at: datetime
    paid_at: datetime | None
    held_reason: str = Field(
        description="Why the order is held for review; it cannot be shipped until released"
    )
    recipient: RecipientOut = Field(description="Masked: the carrier receives the full label when it ships")
    note: str = Field(description="Masked; the label (`POST …/label`) discloses it in full")
    warehouse_name: str = Field(description="Masked; the label (`POST …/label`) discloses it in full")
    lines: list[LineOut]
    shipment: ShipmentOut | None


class MerchantOrderListOut(Schema):
    count: int
    page: int
    pages: int
    items: list[MerchantOrderOut]


def merchant_order_out(order: Order) -> dict[str, Any]:
    shipment = getattr(order, "shipment", None)
    return {
        "number": order.number,
        "status": order.status,
        "status_label": str(order.get_status_display()),
        "payment_method": order.payment_method,
        "goods_fen": order.goods_fen,
        "shipping_fen": order.shipping_fen,
        "total_fen": order.total_fen,
        "created_at": order.created_at,
        "paid_at": order.paid_at,
        "held_reason": pages.held_label(order),
        "recipient": pages.masked_recipient(order),
        # What the buyer wrote may name people or places: the label is its disclosure.
        "note": masking.mask("generic", order.note),
        "warehouse_name": masking.mask("generic", order.warehouse_name),
        "lines": _lines(order),
        "shipment": _shipment(shipment),
    }
