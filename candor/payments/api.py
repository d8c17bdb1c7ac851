"""Paying and cancelling for app and web clients.

- ``POST /api/v1/purchases/{number}/pay`` starts paying a pending purchase online and answers
  where the buyer goes: ``{"url", "method", "fields", "qr"}`` — open ``url`` (GET) or post
  ``fields`` to it (POST); with WeChat Pay, show ``qr`` (a ``weixin://`` code) as a QR code for
  the buyer to scan with WeChat (``method`` "QR", ``url`` empty but with the simulator). The
  institution receives the purchase number, the amount and a subject line that names no one
  (``services.payment_start``). Whether it was paid is known only from the institution's
  verified notification, never from the client coming back.
- ``POST /api/v1/orders/{number}/cancel`` cancels an order that has not shipped; a paid one is
  refunded to the method it was paid with (``services.buyer_cancel``).

Someone else's purchase or order is ``404 order_not_found``, like one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from candor.api.csrf import require_csrf
from candor.api.errors import ErrorOut
from candor.orders import selectors
from candor.orders.api import ERRORS, member
from candor.orders.schemas import OrderDetailOut, order_detail
from candor.payments import pages, services

router = Router(tags=["payments"])


class PayIn(Schema):
    method: str = Field(max_length=32, description='"alipay", "wechatpay" or "unionpay"')


class PayStartOut(Schema):
    url: str
    method: str = Field(
        description='"GET": open the URL; "POST": submit `fields` to it as a form; "QR": show `qr`'
    )
    fields: dict[str, str]
    qr: str = Field(
        "", description="WeChat Pay: the code to show as a QR code and scan with WeChat (else empty)"
    )


@router.post(
    "/purchases/{number}/pay", response={200: PayStartOut, 503: ErrorOut, **ERRORS}, auth=member,
    summary="Pay a pending purchase online",
)  # fmt: skip
def purchase_pay(request: HttpRequest, number: str, payload: PayIn) -> dict[str, Any]:
    require_csrf(request)
    start = services.payment_start(
        user=request.user, purchase_number=number, method=payload.method,
        notify_base=pages.notify_base(), return_url=pages.return_url(request, number),
    )  # fmt: skip
    return {"url": start.url, "method": start.method, "fields": dict(start.fields), "qr": start.qr}


@router.post(
    "/orders/{number}/cancel", response={200: OrderDetailOut, 502: ErrorOut, **ERRORS}, auth=member,
    summary="Cancel an order that has not shipped (a paid one is refunded)",
)  # fmt: skip
def order_cancel(request: HttpRequest, number: str) -> dict[str, Any]:
    require_csrf(request)
    services.buyer_cancel(user=request.user, order_number=number)
    return order_detail(selectors.order_of_buyer(user=request.user, number=number))
