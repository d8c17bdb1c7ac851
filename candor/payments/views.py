"""The payment institutions' notification endpoint, and the buyer's payment pages.

``notify`` takes no session and no CSRF token: the institution signs its message, and
``services.notice_receive`` verifies it before anything changes. It is the only way a purchase
becomes paid.

The buyer's pages: ``pay`` (choose or confirm the institution; POST sends the browser there,
by redirect or by an auto-submitted form with a visible button for browsers without
JavaScript — or, for WeChat Pay, shows the QR code to scan with WeChat), ``payment_return``
(where the institution sends the browser back: it shows what the verified notification said —
paid, or still waiting for the institution — and never marks anything paid from the browser's
word) and ``remittance`` (a business buyer uploads the bank slip; finance confirms it in the
back office, C002-05). Another person's purchase is the 404 page, like one that does not exist.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from candor.errors import CandorError
from candor.integrations.payment.base import browser_url
from candor.orders.models import ONLINE_METHODS, PaymentMethod, Purchase
from candor.orders.pages import purchase_of_buyer
from candor.payments import pages, services
from candor.payments.services import MAX_SLIP_BYTES


@csrf_exempt
@require_POST
def notify(request: HttpRequest, provider: str) -> HttpResponse:
    status, content_type, body = services.notice_receive(
        provider=provider, headers=request.headers, body=request.body
    )
    return HttpResponse(body, status=status, content_type=content_type)


ONLINE_CHOICES = [(value, label) for value, label in PaymentMethod.choices if value in ONLINE_METHODS]


def _pay_page(
    request: HttpRequest, purchase: Purchase, *, method: str = "", error: str = "", status: int = 200
) -> HttpResponse:
    chosen = method or (purchase.payment_method if purchase.payment_method in ONLINE_METHODS else "alipay")
    context = {
        "purchase": purchase,
        "orders": list(purchase.orders.order_by("id")),
        "choices": ONLINE_CHOICES,
        "chosen": chosen,
        "error": error,
        "payable": purchase.status == Purchase.Status.PENDING
        and purchase.payment_method != PaymentMethod.COD,
    }
    return render(request, "payments/pay.html", context, status=status)


def _allow_form_action(response: HttpResponse, url: str) -> HttpResponse:
    """The site's CSP lets forms post (and their redirects go) only to this site; sending the
    buyer to a real institution's page is the one exception, for that origin only."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}  # type: ignore[attr-defined]
    return response


def _qr_page(request: HttpRequest, purchase: Purchase, *, qr: str, simulator_url: str) -> HttpResponse:
    """WeChat Pay: the code to scan with WeChat, and the purchase's payment state, which updates
    by itself once the notification arrives. ``simulator_url`` (simulator only) is the page that
    scanning would open on the phone."""
    context = {"purchase": purchase, "qr": pages.qr_data_url(qr), "simulator_url": simulator_url}
    return render(request, "payments/qr.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, number: str) -> HttpResponse:
    purchase = purchase_of_buyer(user=request.user, number=number)
    if purchase.payment_method == PaymentMethod.REMITTANCE:
        return redirect("payments:remittance", number=purchase.number)
    if request.method == "GET":
        return _pay_page(request, purchase)
    method = str(request.POST.get("method", ""))[:32]
    try:
        start = services.payment_start(
            user=request.user, purchase_number=purchase.number, method=method,
            notify_base=pages.notify_base(), return_url=pages.return_url(request, purchase.number),
        )  # fmt: skip
    except CandorError as error:
        purchase.refresh_from_db()
        return _pay_page(request, purchase, method=method, error=str(error.message), status=error.status)
    if start.qr:
        simulator_url = browser_url(start.url) if start.url else ""
        return _qr_page(request, purchase, qr=start.qr, simulator_url=simulator_url)
    url = browser_url(start.url)
    if start.method.upper() == "GET":
        return _allow_form_action(HttpResponseRedirect(url), url)
    context = {"url": url, "fields": sorted(start.fields.items()), "purchase": purchase}
    return _allow_form_action(render(request, "payments/redirect.html", context), url)


@login_required
@require_GET
def payment_return(request: HttpRequest, number: str) -> HttpResponse:
    purchase = purchase_of_buyer(user=request.user, number=number)
    template = "payments/_return_status.html" if request.headers.get("HX-Request") else "payments/return.html"
    return render(
        request, template, {"purchase": purchase, "first_order": purchase.orders.order_by("id").first()}
    )


def _remittance_page(request: HttpRequest, purchase: Purchase, **extra: Any) -> HttpResponse:
    status = extra.pop("status", 200)
    context = {
        "purchase": purchase,
        "slips": pages.slips_of(purchase),
        "waiting": purchase.status == Purchase.Status.PENDING,
        "max_mb": MAX_SLIP_BYTES // (1024 * 1024),
        "payer_name": "",
        "errors": {},
        "error": "",
        **extra,
    }
    return render(request, "payments/remittance.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def remittance(request: HttpRequest, number: str) -> HttpResponse:
    purchase = purchase_of_buyer(user=request.user, number=number)
    if purchase.payment_method != PaymentMethod.REMITTANCE:
        return redirect("payments:pay", number=purchase.number)
    if request.method == "GET":
        return _remittance_page(request, purchase)
    payer_name = str(request.POST.get("payer_name", ""))[:200]
    upload = request.FILES.get("slip")
    try:
        services.remittance_upload(
            user=request.user, purchase_number=purchase.number, payer_name=payer_name,
            content=upload.read(MAX_SLIP_BYTES + 1) if upload else b"",
            content_type=(upload.content_type or "") if upload else "",
        )  # fmt: skip
    except CandorError as error:
        return _remittance_page(
            request, purchase, payer_name=payer_name, errors=error.fields, error=str(error.message),
            status=error.status,
        )  # fmt: skip
    messages.success(
        request, _("The slip was uploaded. Finance will confirm the payment when the money arrives.")
    )
    return redirect("payments:remittance", number=purchase.number)
