"""Close a child's account until a guardian consents (PIPL art. 31; C003-28, C004-23), and show
a 14–17-year-old the guardian notice once.

For a logged-in user whose guardian step is pending, a page request is redirected to the
guardian page (``identity:guardian``) and an API request answers 403
``guardian_consent_required`` in the API's one error shape. The notice for 14–17 redirects
page requests only (apps read it from ``/api/v1/identity/status``) and never blocks the API.

What the person needs meanwhile stays open: everything the policy-consent gate keeps open
(logging out, the language switch, the privacy pages, static files) and the guardian pages and
their API. One indexed query per request of a logged-in user.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from candor.api.errors import API_PREFIX, error_response
from candor.identity import selectors
from candor.privacy.middleware import is_allowed as open_for_policy

OPEN_PATHS: tuple[str, ...] = (
    "identity:guardian",
    "identity:guardian_notice",
    "api:identity_status",
    "api:identity_guardian_code",
    "api:identity_guardian_decide",
    "api:identity_guardian_notice",
)


@cache
def _open_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in OPEN_PATHS)


def is_open(path: str) -> bool:
    return path in _open_paths() or open_for_policy(path)


def _redirect(request: HttpRequest, name: str) -> HttpResponse:
    target = f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = target
        return response
    return HttpResponseRedirect(target)


class GuardianGateMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or is_open(request.path):
            return self.get_response(request)
        step = selectors.pending_step(user)
        if step is None:
            return self.get_response(request)
        is_api = request.path.startswith(API_PREFIX)
        if step == selectors.CONSENT_STEP:
            if is_api:
                return error_response(
                    403,
                    code="guardian_consent_required",
                    message=_("A guardian must consent before this account can be used."),
                )
            return _redirect(request, "identity:guardian")
        if not is_api and request.method == "GET":
            return _redirect(request, "identity:guardian_notice")
        return self.get_response(request)
