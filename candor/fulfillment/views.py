"""The carrier's tracking push endpoint (no session, no CSRF: the carrier signs its body)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from candor.fulfillment import services


@csrf_exempt
@require_POST
def carrier_push(request: HttpRequest) -> HttpResponse:
    status, content_type, body = services.push_receive(
        body=request.body, content_type=request.content_type or ""
    )
    return HttpResponse(body, status=status, content_type=content_type)
