"""The site's URLs plus a stand-in for Candor's push endpoint, which the simulator's pushes reach
in the tests: it verifies each push with the adapter and answers with the adapter's ack."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from candor.integrations.carrier.base import PushRejected, gateway
from candor.urls import urlpatterns as site_urlpatterns

PATH = "test-carrier/push/"
received: list[dict[str, object]] = []  # each push: body, content type, updates or rejection
answer_ok = {"value": True}


@csrf_exempt
def push(request: HttpRequest) -> HttpResponse:
    carrier = gateway()
    content_type = request.META.get("CONTENT_TYPE", "")
    entry: dict[str, object] = {"body": request.body, "content_type": content_type}
    try:
        entry["updates"] = carrier.verify_push(body=request.body, content_type=content_type)
    except PushRejected as exc:
        entry["rejected"] = exc.reason
    received.append(entry)
    status, kind, body = carrier.push_ack(ok="updates" in entry and answer_ok["value"])
    return HttpResponse(body, status=status, content_type=kind)


urlpatterns = [path(PATH, push), *site_urlpatterns]
