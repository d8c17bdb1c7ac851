"""Orders for app and web clients: ``/api/v1/orders`` (the buyer's) and
``/api/v1/merchant/orders`` (a merchant's staff).

- ``POST /orders`` places a purchase from the cart (or from ``lines``) under the client's
  ``Idempotency-Key``: 201 the first time, 200 with the same body for the same key again, so a
  retried request never buys twice. A refusal (empty cart, bad recipient, out of stock, price
  changed, bad key) is a 4xx in the request's language and has reserved nothing.
- Someone else's order answers ``404 order_not_found`` on every route, exactly like one that
  does not exist; a merchant's staff see only their merchant's orders.
- The recipient is always shown masked (``schemas``, ``pages.masked_recipient``).
- Cancelling (``payments.api``: it may refund), tracking and shipping (``fulfillment.api``) are
  mounted from the apps that do them.

Writes made with a session cookie need the CSRF token (``X-CSRFToken``), as for the cart; a
bearer-token request carries no cookie and is exempt.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.security import SessionAuth

from candor.api.csrf import require_csrf
from candor.api.errors import ErrorOut
from candor.errors import CandorError
from candor.orders import pages, selectors, services
from candor.orders.checkout import MAX_LINES, CheckoutForm, purchase_place
from candor.orders.client import client_signals
from candor.orders.schemas import (
    MerchantOrderListOut,
    MerchantOrderOut,
    OrderDetailOut,
    OrderListOut,
    PurchaseOut,
    merchant_order_out,
    order_detail,
    order_summary,
    purchase_out,
)

router = Router(tags=["orders"])

# Login required (401); CSRF is checked by the writes themselves, with the cart's clear error.
member = SessionAuth(csrf=False)
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
_CAP = 256  # a ceiling against abuse; the checkout's own limits answer with clear messages


# --- input --------------------------------------------------------------------------------------


class RecipientIn(Schema):
    recipient_name: str = Field("", max_length=_CAP)
    mobile: str = Field("", max_length=_CAP, description="A mainland China mobile number")
    province: str = Field("", max_length=_CAP)
    city: str = Field("", max_length=_CAP)
    district: str = Field("", max_length=_CAP)
    detail: str = Field("", max_length=_CAP, description="Street, building and room")
    landline: str = Field("", max_length=_CAP, description="Optional, with its area code")


class LineIn(Schema):
    sku_id: int
    quantity: int


class PurchaseIn(Schema):
    payment_method: str = Field(
        max_length=32, description='"alipay", "wechatpay", "unionpay", "cod" or "remittance"'
    )
    address_id: int | None = Field(None, description="An address of my address book (or give recipient)")
    recipient: RecipientIn | None = None
    email: str = Field("", max_length=_CAP, description="Optional")
    for_someone_else: bool = False
    recipient_agreed: bool = Field(False, description="Required when for_someone_else: they agreed")
    warehouse_name: str = Field("", max_length=_CAP, description="Business buyers: the receiving warehouse")
    invoice_title: str = Field("", max_length=_CAP)
    tax_number: str = Field("", max_length=_CAP)
    note: str = Field("", max_length=_CAP, description="To the merchant")
    expected_total_fen: int | None = Field(
        None, ge=0, description="The total the buyer saw; a different total now answers 409 price_changed"
    )
    lines: list[LineIn] | None = Field(
        None, max_length=MAX_LINES, description="Buy these instead of the cart (the cart is left as it is)"
    )
    special: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Special goods' extra fields by SKU id (see the product's `special`)",
    )


def _form(payload: PurchaseIn) -> CheckoutForm:
    lines: dict[int, int] | None = None
    if payload.lines is not None:
        lines = {}
        for line in payload.lines:
            lines[line.sku_id] = lines.get(line.sku_id, 0) + line.quantity
    special: dict[int, dict[str, Any]] = {}
    for key, values in payload.special.items():
        if not key.isdigit() or len(key) > 18:
            raise CandorError(
                gettext_lazy("Special goods' details are given by SKU id."),
                code="checkout_invalid",
                fields={"special": [str(gettext_lazy("Special goods' details are given by SKU id."))]},
            )
        special[int(key)] = values
    return CheckoutForm(
        payment_method=payload.payment_method,
        address_id=payload.address_id,
        recipient=payload.recipient.model_dump() if payload.recipient else {},
        email=payload.email,
        for_someone_else=payload.for_someone_else,
        recipient_agreed=payload.recipient_agreed,
        warehouse_name=payload.warehouse_name,
        invoice_title=payload.invoice_title,
        tax_number=payload.tax_number,
        note=payload.note,
        expected_total_fen=payload.expected_total_fen,
        lines=lines,
        special=special,
    )


# --- the buyer's orders ---------------------------------------------------------------------------


@router.post(
    "/orders",
    response={200: PurchaseOut, 201: PurchaseOut, **ERRORS},
    auth=member,
    summary="Place an order (from the cart, or the given lines)",
    description="Send a fresh `Idempotency-Key` (8 to 64 of `A-Za-z0-9_-`) per order; sending the same "
    "key again answers 200 with the purchase the first request created.",
)
def purchase_create(
    request: HttpRequest,
    payload: PurchaseIn,
    idempotency_key: str = Header("", alias="Idempotency-Key", max_length=_CAP),
) -> Status[dict[str, Any]]:
    require_csrf(request)
    purchase, created = purchase_place(
        user=request.user,
        idempotency_key=idempotency_key,
        form=_form(payload),
        client=client_signals(request),
    )
    return Status(201 if created else 200, purchase_out(purchase))


class ListQuery(Schema):
    status: str = Field(
        "", max_length=32, description="pending_payment, to_ship, to_receive, completed, cancelled"
    )
    page: int = Field(1, ge=1, le=pages.MAX_PAGE)


@router.get("/orders", response={200: OrderListOut, **ERRORS}, auth=member, summary="My orders")
def order_list(request: HttpRequest, filters: Query[ListQuery]) -> dict[str, Any]:
    status = pages.status_filter(filters.status)
    page = pages.paginate(selectors.orders_of_buyer(user=request.user, status=status), filters.page)
    return {
        "count": page.count, "page": page.number, "pages": page.pages,
        "items": [order_summary(order) for order in page.items],
    }  # fmt: skip


@router.get(
    "/orders/{number}", response={200: OrderDetailOut, **ERRORS}, auth=member, summary="One of my orders"
)
def order_get(request: HttpRequest, number: str) -> dict[str, Any]:
    return order_detail(selectors.order_of_buyer(user=request.user, number=number))


@router.delete(
    "/orders/{number}", response={204: None, **ERRORS}, auth=member,
    summary="Delete a completed or cancelled order from my list",
)  # fmt: skip
def order_delete(request: HttpRequest, number: str) -> Status[None]:
    require_csrf(request)
    services.order_delete_for_buyer(user=request.user, order_number=number)
    return Status(204, None)


@router.post(
    "/orders/{number}/confirm", response={200: OrderDetailOut, **ERRORS}, auth=member,
    summary="Confirm that a shipped order was received",
)  # fmt: skip
def order_confirm(request: HttpRequest, number: str) -> dict[str, Any]:
    require_csrf(request)
    services.order_confirm_received(user=request.user, order_number=number)
    return order_detail(selectors.order_of_buyer(user=request.user, number=number))


# --- a merchant's orders ---------------------------------------------------------------------------


@router.get(
    "/merchant/orders", response={200: MerchantOrderListOut, **ERRORS}, auth=member,
    summary="My merchant's orders (staff of a merchant)",
)  # fmt: skip
def merchant_order_list(request: HttpRequest, filters: Query[ListQuery]) -> dict[str, Any]:
    status = pages.status_filter(filters.status)
    page = pages.paginate(pages.merchant_orders(user=request.user, status=status), filters.page)
    return {
        "count": page.count, "page": page.number, "pages": page.pages,
        "items": [merchant_order_out(order) for order in page.items],
    }  # fmt: skip


@router.get(
    "/merchant/orders/{number}", response={200: MerchantOrderOut, **ERRORS}, auth=member,
    summary="One order of my merchant",
)  # fmt: skip
def merchant_order_get(request: HttpRequest, number: str) -> dict[str, Any]:
    return merchant_order_out(selectors.order_of_merchant_staff(user=request.user, number=number))
