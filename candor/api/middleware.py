"""Give errors that never reach a ninja handler the API's one error shape.

Django's URL resolver answers an unknown ``/api/...`` path with an HTML 404, ninja answers a
wrong method with a plain-text 405, CSRF failures are HTML 403s. A client must never have to
parse those, so any non-JSON error under ``/api/`` is rewritten here (keeping ``Allow``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from candor.api.errors import API_PREFIX, error_response


class ApiErrorShapeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            shaped = error_response(response.status_code)
            if response.has_header("Allow"):
                shaped["Allow"] = response["Allow"]
            return shaped
        return response
