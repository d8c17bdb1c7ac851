"""The cart page (``/cart/``) and its forms: add (from a product page), change a quantity,
remove a line, empty the cart. Guests and members alike; a guest's cart lives in the session.

Each view parses the form, calls a service and renders. With htmx (``HX-Request``) the add
form gets a small fragment (message and new count) and the cart's forms get the cart again;
without JavaScript each form posts and the browser is redirected back with a message. A
refused addition (off sale, out of stock, bad quantity) answers 400 with the message, never a
500, and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from candor.cart import selectors, services
from candor.cart.errors import QuantityInvalid, SkuUnavailable
from candor.errors import CandorError


def _int(value: Any) -> int | None:
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 19:
        return None
    return int(text)


def _back(request: HttpRequest) -> str:
    """Where the visitor came from, if it is one of our pages; else the cart."""
    for candidate in (request.POST.get("next"), request.headers.get("Referer")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return reverse("cart:detail")


def _htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _cart_context(request: HttpRequest) -> dict[str, Any]:
    return {"cart": selectors.cart_get(user=request.user, session=request.session)}


def _cart_fragment(request: HttpRequest, *, status: int = 200, error: str = "") -> HttpResponse:
    context = {**_cart_context(request), "error": error}
    response = render(request, "cart/_cart.html", context, status=status)
    response["HX-Trigger"] = "cart-changed"
    return response


@require_GET
def cart_detail(request: HttpRequest) -> HttpResponse:
    return render(request, "cart/detail.html", _cart_context(request))


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    sku_id = _int(request.POST.get("sku"))
    raw_quantity = request.POST.get("quantity")
    quantity = 1 if raw_quantity in (None, "") else _int(raw_quantity)
    try:
        if sku_id is None:
            raise SkuUnavailable()
        if quantity is None:
            raise QuantityInvalid()
        services.cart_add(user=request.user, session=request.session, sku_id=sku_id, quantity=quantity)
    except CandorError as error:
        context = {"ok": False, "message": str(error.message), "back": _back(request)}
        template = "cart/_add_result.html" if _htmx(request) else "cart/add_failed.html"
        return render(request, template, context, status=error.status)
    message = _("Added to your cart.")
    if _htmx(request):
        response = render(request, "cart/_add_result.html", {"ok": True, "message": message})
        response["HX-Trigger"] = "cart-changed"
        return response
    messages.success(request, message)
    return redirect(_back(request))


def _line_action(request: HttpRequest, action: Any, done: str) -> HttpResponse:
    try:
        action()
    except CandorError as error:
        if _htmx(request):
            return _cart_fragment(request, status=error.status, error=str(error.message))
        context = {**_cart_context(request), "error": str(error.message)}
        return render(request, "cart/detail.html", context, status=error.status)
    if _htmx(request):
        return _cart_fragment(request)
    messages.success(request, done)
    return redirect("cart:detail")


@require_POST
def cart_set_quantity(request: HttpRequest, sku_id: int) -> HttpResponse:
    quantity = _int(request.POST.get("quantity"))

    def action() -> None:
        if quantity is None:
            raise QuantityInvalid()
        services.cart_set_quantity(
            user=request.user, session=request.session, sku_id=sku_id, quantity=quantity
        )

    return _line_action(request, action, _("The quantity was changed."))


@require_POST
def cart_remove(request: HttpRequest, sku_id: int) -> HttpResponse:
    return _line_action(
        request,
        lambda: services.cart_remove(user=request.user, session=request.session, sku_id=sku_id),
        _("The item was removed from your cart."),
    )


@require_POST
def cart_clear(request: HttpRequest) -> HttpResponse:
    return _line_action(
        request,
        lambda: services.cart_clear(user=request.user, session=request.session),
        _("Your cart is empty now."),
    )
