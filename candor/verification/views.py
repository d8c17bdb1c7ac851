"""The dev outbox page: what the simulated SMS gateway and mail server received.

A person trying the demo reads their code and their verification link here, and browser tests
read them through the rows' ``data-testid``. It exists only with ``CANDOR_SIMULATORS`` (checked
per request, so a production setting can never show it) and is never cached.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from candor.verification import selectors


@never_cache
def outbox(request: HttpRequest) -> HttpResponse:
    if not settings.CANDOR_SIMULATORS:
        raise Http404
    return render(
        request,
        "verification/outbox.html",
        {"messages_sms": selectors.outbox_sms(), "messages_mail": selectors.outbox_mail()},
    )
