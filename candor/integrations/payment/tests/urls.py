"""Candor's URLs plus a stand-in for the lead's notify endpoint (/payments/notify/<provider>/).

The stand-in does what the real one must: verify with the gateway, answer with its ack. What
it received is kept in ``RECEIVED`` (notices) and ``REJECTED`` (reasons) for the assertions.

``/elsewhere/wechatpay/…`` serves the simulated WeChat Pay API at an address that is not the
simulator's, so that the adapter can be seen answering as it does for the real institution.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from candor.integrations.payment import sim_wechatpay
from candor.integrations.payment.base import NoticeRejected, PayNotice, gateway
from candor.urls import urlpatterns as candor_urlpatterns

RECEIVED: list[PayNotice] = []
REJECTED: list[str] = []


@csrf_exempt
def fake_notify(request: HttpRequest, provider: str) -> HttpResponse:
    adapter = gateway(provider)
    try:
        RECEIVED.append(adapter.verify_notice(headers=request.headers, body=request.body))
        ok = True
    except NoticeRejected as exc:
        REJECTED.append(exc.reason)
        ok = False
    status, content_type, body = adapter.notice_ack(ok=ok)
    return HttpResponse(body, status=status, content_type=content_type)


urlpatterns = [
    path("test-notify/<str:provider>/", fake_notify),
    path("elsewhere/wechatpay/v3/pay/transactions/native", sim_wechatpay.native),
    *candor_urlpatterns,
]
