"""Web pages answer a domain error (``CandorError``) with a localized 4xx page, never a 500.

The API has its own handlers and the one JSON error shape; this covers views, forms and the
admin, where a service may refuse (consent missing, data restricted, subject erased).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from candor.api.errors import API_PREFIX
from candor.errors import CandorError


class CandorErrorPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, CandorError) or request.path.startswith(API_PREFIX):
            return None
        return render(
            request,
            "candor_error.html",
            {"status": exception.status, "code": exception.code, "message": str(exception.message)},
            status=exception.status,
        )
