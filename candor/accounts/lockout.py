"""What a locked-out login sees (django-axes calls ``lockout_response``): the API's one error
shape on API paths, a page in the visitor's language elsewhere, both 429 with Retry-After."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from candor.api.errors import API_PREFIX, error_response


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _("Too many failed logins. Try again in %(minutes)d minutes, or log in with an SMS code.") % {
        "minutes": minutes
    }
    retry_after = int(settings.AXES_COOLOFF_TIME.total_seconds())
    if request.path.startswith(API_PREFIX):
        response: HttpResponse = error_response(
            429, code="login_locked", message=message, extra={"retry_after": retry_after}
        )
    else:
        response = render(request, "candor_error.html", {"message": message, "status": 429}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
