"""The buyer's order pages: checkout from the cart, "我的订单" (C003-06) and one order.

Each view parses the form, calls a service or selector and renders. A refused checkout shows the
reasons on the page, in the buyer's language, with everything they typed kept; it reserved and
charged nothing. The checkout page carries an idempotency key made when it was rendered, so a
double click (or a resubmitted page) places one purchase. Another person's order is the 404
page, exactly like one that does not exist (``CandorErrorPageMiddleware``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from candor.addresses.selectors import address_default, address_list
from candor.cart.selectors import cart_get
from candor.errors import CandorError
from candor.fulfillment import selectors as fulfillment
from candor.fulfillment import services as shipping
from candor.orders import pages, selectors, services
from candor.orders.checkout import purchase_place
from candor.orders.client import client_signals
from candor.orders.errors import OrderNotFound
from candor.orders.forms import (
    NEW_RECIPIENT,
    CheckoutPageForm,
    key_or_new,
    new_idempotency_key,
    special_lines,
)
from candor.orders.models import ONLINE_METHODS, PaymentMethod, Purchase
from candor.payments import services as payments


def _checkout_page(
    request: HttpRequest, form: CheckoutPageForm, groups: list[pages.Group], key: str, *, status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "groups": groups,
        "total_fen": pages.grand_total(groups),
        "idempotency_key": key,
        "new_recipient": NEW_RECIPIENT,
    }
    return render(request, "orders/checkout.html", context, status=status)


def _next_step(purchase: Purchase) -> HttpResponse:
    if purchase.payment_method in ONLINE_METHODS:
        return redirect("payments:pay", number=purchase.number)
    if purchase.payment_method == PaymentMethod.REMITTANCE:
        return redirect("payments:remittance", number=purchase.number)
    return redirect("orders:list")


@login_required
@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest) -> HttpResponse:
    cart = cart_get(user=request.user, session=None)
    groups = pages.checkout_groups(cart.lines)
    addresses = list(address_list(user=request.user))
    specials = special_lines(cart.lines)
    if request.method == "GET":
        default = address_default(user=request.user)
        initial = {"address_id": str(default.pk) if default else NEW_RECIPIENT, "payment_method": "alipay"}
        form = CheckoutPageForm(initial=initial, addresses=addresses, specials=specials)
        return _checkout_page(request, form, groups, new_idempotency_key())
    form = CheckoutPageForm(request.POST, addresses=addresses, specials=specials)
    try:
        purchase, created = purchase_place(
            user=request.user,
            idempotency_key=form.idempotency_key(),
            form=form.checkout_form(),
            client=client_signals(request),
        )
    except CandorError as error:
        form.apply_error(error)
        return _checkout_page(request, form, groups, key_or_new(form.idempotency_key()), status=error.status)
    if created and purchase.payment_method == PaymentMethod.COD:
        messages.success(request, _("Your order was placed. Pay the courier when it is delivered."))
    elif created and purchase.payment_method == PaymentMethod.REMITTANCE:
        messages.success(request, _("Your order was placed. Remit the amount and upload the slip."))
    return _next_step(purchase)


def _page(value: Any) -> int:
    try:
        return pages.page_number(value)
    except CandorError:
        return 1


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    status = pages.status_filter(request.GET.get("status"))
    page = pages.paginate(
        selectors.orders_of_buyer(user=request.user, status=status), _page(request.GET.get("page"))
    )
    lang = get_language()
    rows = [
        {"order": order, "actions": pages.actions(order), "merchant_name": order.merchant.name(lang)}
        for order in page.items
    ]
    context = {"tabs": pages.TABS, "status": status, "page": page, "rows": rows}
    return render(request, "orders/list.html", context)


@login_required
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    order = selectors.order_of_buyer(user=request.user, number=number)
    context = {
        "order": order,
        "merchant_name": order.merchant.name(get_language()),
        "actions": pages.actions(order),
        "recipient": pages.masked_recipient(order),
        "held": pages.held_label(order),
        "timeline": pages.timeline(order),
        "shipment": fulfillment.shipment_of(order),
        "events": fulfillment.events_of(order),
    }
    return render(request, "orders/detail.html", context)


def _act(request: HttpRequest, number: str, action: Any, done: str, *, to_list: bool = False) -> HttpResponse:
    """Run one of the buyer's order actions; a refusal is shown on the order's page. Another
    person's order stays a 404. ``action`` may return a further note (a string) for the buyer."""
    try:
        note = action()
    except OrderNotFound:
        raise
    except CandorError as error:
        messages.error(request, str(error.message))
        return redirect("orders:detail", number=number)
    messages.success(request, done)
    if isinstance(note, str) and note:
        messages.info(request, note)
    return redirect("orders:list") if to_list else redirect("orders:detail", number=number)


@login_required
@require_POST
def order_cancel(request: HttpRequest, number: str) -> HttpResponse:
    def action() -> str:
        order = payments.buyer_cancel(user=request.user, order_number=number)
        if order.paid_at is not None and order.payment_method in ONLINE_METHODS:
            return _("The payment is being refunded to the account it came from.")
        others = services.cancelled_together(order)
        if others:
            return _(
                "The purchase was not paid yet and is paid in one go, so its other orders were "
                "cancelled too: %(numbers)s."
            ) % {"numbers": ", ".join(others)}
        return ""

    return _act(request, number, action, _("The order was cancelled."))


@login_required
@require_POST
def order_confirm(request: HttpRequest, number: str) -> HttpResponse:
    return _act(
        request, number,
        lambda: services.order_confirm_received(user=request.user, order_number=number),
        _("Thank you. The order is complete."),
    )  # fmt: skip


@login_required
@require_POST
def order_delete(request: HttpRequest, number: str) -> HttpResponse:
    return _act(
        request, number,
        lambda: services.order_delete_for_buyer(user=request.user, order_number=number),
        _("The order was removed from your list."), to_list=True,
    )  # fmt: skip


@login_required
@require_POST
def tracking_refresh(request: HttpRequest, number: str) -> HttpResponse:
    order = selectors.order_of_buyer(user=request.user, number=number)
    shipment = fulfillment.shipment_of(order)
    if shipment is None:
        messages.info(request, _("The order has not shipped yet."))
        return redirect("orders:detail", number=number)
    try:
        added = shipping.tracking_refresh(shipment=shipment)
    except CandorError as error:
        messages.error(request, str(error.message))
        return redirect("orders:detail", number=number)
    if added:
        messages.success(request, _("The delivery status was updated."))
    else:
        messages.info(request, _("No news from the carrier yet."))
    return redirect("orders:detail", number=number)
