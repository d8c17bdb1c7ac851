"""The cart for app and web clients: ``/api/v1/cart``. Works for guests (the session's cart),
members logged in by session, and apps with a bearer token (``request.user``, no session
cart needed). Refusals answer 400 with a stable code (``sku_unavailable``, ``out_of_stock``,
``quantity_invalid``, ``cart_full``) and change nothing; a SKU not in the cart is 404.

Writes made with a session cookie need the CSRF token (``X-CSRFToken``), so another site
cannot fill a visitor's cart; a bearer-token request carries no cookie and is exempt.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from candor.api.csrf import require_csrf
from candor.api.errors import ErrorOut
from candor.cart import selectors, services
from candor.cart.models import MAX_LINE_QUANTITY

router = Router(tags=["cart"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class CartLineOut(Schema):
    sku_id: int
    product_id: int
    product_name: str
    options: dict[str, Any]
    quantity: int
    unit_price_fen: int
    line_total_fen: int
    on_sale: bool
    available: bool = Field(description="On sale and enough in stock; only these count in the total")


class CartOut(Schema):
    lines: list[CartLineOut]
    total_fen: int = Field(description="Sum of the available lines, in fen (1/100 yuan)")
    count: int = Field(description="Units in the cart")


class CartAddIn(Schema):
    sku_id: int
    quantity: int = Field(1, description=f"1 to {MAX_LINE_QUANTITY}, added to what is already in the cart")


class CartQuantityIn(Schema):
    quantity: int = Field(description=f"1 to {MAX_LINE_QUANTITY}, at most what is in stock")


def _session(request: HttpRequest) -> Any:
    return getattr(request, "session", None)


def _out(request: HttpRequest) -> dict[str, Any]:
    cart = selectors.cart_get(user=request.user, session=_session(request))
    return {
        "lines": [
            {
                "sku_id": line.sku_id,
                "product_id": line.sku.product_id,
                "product_name": line.product_name,
                "options": line.sku.options or {},
                "quantity": line.quantity,
                "unit_price_fen": line.unit_price_fen,
                "line_total_fen": line.line_total_fen,
                "on_sale": line.on_sale,
                "available": line.available,
            }
            for line in cart.lines
        ],
        "total_fen": cart.total_fen,
        "count": cart.count,
    }


@router.get("/cart", response={200: CartOut, 401: ErrorOut}, summary="My cart")
def cart_get(request: HttpRequest) -> dict[str, Any]:
    return _out(request)


@router.post("/cart", response={201: CartOut, **ERRORS}, summary="Add a SKU to the cart")
def cart_add(request: HttpRequest, payload: CartAddIn) -> Status[dict[str, Any]]:
    require_csrf(request)
    services.cart_add(
        user=request.user, session=_session(request), sku_id=payload.sku_id, quantity=payload.quantity
    )
    return Status(201, _out(request))


@router.delete("/cart", response={204: None, **ERRORS}, summary="Empty the cart")
def cart_clear(request: HttpRequest) -> Status[None]:
    require_csrf(request)
    services.cart_clear(user=request.user, session=_session(request))
    return Status(204, None)


@router.put("/cart/{int:sku_id}", response={200: CartOut, **ERRORS}, summary="Change a line's quantity")
def cart_set_quantity(request: HttpRequest, sku_id: int, payload: CartQuantityIn) -> dict[str, Any]:
    require_csrf(request)
    services.cart_set_quantity(
        user=request.user, session=_session(request), sku_id=sku_id, quantity=payload.quantity
    )
    return _out(request)


@router.delete("/cart/{int:sku_id}", response={204: None, **ERRORS}, summary="Remove a line")
def cart_remove(request: HttpRequest, sku_id: int) -> Status[None]:
    require_csrf(request)
    services.cart_remove(user=request.user, session=_session(request), sku_id=sku_id)
    return Status(204, None)
