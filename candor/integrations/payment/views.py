"""The simulated institutions' pay page, shared by all three, and their error page.

The page stands for Alipay's cashier, the WeChat Pay page a scanned QR code opens on the phone,
and UnionPay's card pages: it shows what the buyer is asked to pay and two buttons. "Pay" marks
the trade paid, notifies the merchant (``simulator.pay``) and sends the browser back to the
merchant's return address; "Cancel" goes back unpaid, the trade still open as at a real
institution. (A WeChat Pay Native trade has no return address: the page stays, showing the
outcome, as the phone would.) Once paid, the page shows what the merchant answered to the
notification and can send it again (a replay).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from candor.integrations.payment import money, simulator
from candor.integrations.payment.models import SimTrade


def error_page(request: HttpRequest, provider: str, code: str, message: str, *, status: int) -> HttpResponse:
    """The institution's plain error page (it never redirects to an unchecked address)."""
    return TemplateResponse(
        request,
        "payment_simulator/error.html",
        {"provider": SimTrade.Provider(provider).label, "code": code, "message": message},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def trade_page(request: HttpRequest, token: str) -> HttpResponse:
    trade = get_object_or_404(SimTrade, token=token)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "pay":
            trade = simulator.send_notice(simulator.trade_paid(trade))
            return _back(trade) or redirect("sim_pay:trade", token=trade.token)
        if action == "cancel":
            return _back(trade) or redirect("sim_pay:trade", token=trade.token)
        if action == "resend" and trade.status == SimTrade.Status.PAID:
            simulator.send_notice(trade)
        return redirect("sim_pay:trade", token=trade.token)
    return TemplateResponse(
        request,
        "payment_simulator/pay.html",
        {
            "trade": trade,
            "provider": SimTrade.Provider(trade.provider).label,
            "amount": money.yuan(trade.amount_fen),
            "refunded": money.yuan(trade.refunded_fen),
            "paid": trade.status == SimTrade.Status.PAID,
        },
    )


def _back(trade: SimTrade) -> HttpResponse | None:
    url = simulator.return_url_for(trade)
    return HttpResponseRedirect(url) if url else None
