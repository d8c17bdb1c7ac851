"""The payment institutions' notification endpoint (no session, no CSRF: the institution signs
its message, and ``services.notice_receive`` verifies it before anything changes)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from candor.payments import services


@csrf_exempt
@require_POST
def notify(request: HttpRequest, provider: str) -> HttpResponse:
    status, content_type, body = services.notice_receive(
        provider=provider, headers=request.headers, body=request.body
    )
    return HttpResponse(body, status=status, content_type=content_type)
