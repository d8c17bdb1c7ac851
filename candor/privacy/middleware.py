"""Ask every user to accept a significant policy version before their next use (C002-22).

For a logged-in user with a significant version still to accept, a page request is redirected
to the accept page and an API request answers 403 ``policy_consent_required`` in the API's one
error shape, naming the version. What a user needs in order to decide stays open: the policy
documents and their JSON, the accept page and endpoint, logging out, static files, the
language switch, the API docs, and the admin (staff must be able to work on the policy itself).
Anonymous users and users with nothing to accept cost at most one indexed query.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from candor.api.errors import error_response
from candor.privacy import policy

API_PREFIX = "/api/"


@cache
def _allowed_exact() -> frozenset[str]:
    return frozenset(
        {
            reverse("privacy:policy"),
            reverse("logout"),
            reverse("api:session_get"),  # the API's log-out (DELETE) and who-am-I share a path
            reverse("api:openapi-json"),
            reverse("set_language"),
        }
    )


@cache
def _allowed_prefixes() -> tuple[str, ...]:
    # Resolved once from the URL names, so the list follows wherever the apps are mounted.
    return (
        reverse("privacy:versions"),
        reverse("privacy:collection"),
        reverse("privacy:sharing"),
        reverse("privacy:accept"),
        reverse("api:privacy_policy"),  # …/policy, …/policy/versions…, …/policy/accept
        reverse("api:privacy_collection_list"),
        reverse("api:privacy_sharing_list"),
        reverse("api:openapi-view"),
        reverse("admin:index"),
        "/" + settings.STATIC_URL.lstrip("/"),
        "/" + settings.MEDIA_URL.lstrip("/"),
    )


def is_allowed(path: str) -> bool:
    return path in _allowed_exact() or path.startswith(_allowed_prefixes())


class PolicyConsentMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or is_allowed(request.path):
            return self.get_response(request)
        version = policy.needs_acceptance(int(user.pk))
        if version is None:
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            error = policy.PolicyConsentRequired(version)
            return error_response(
                error.status, code=error.code, message=str(error.message), extra=error.extra
            )
        target = f"{reverse('privacy:accept')}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            # An htmx request would swap the accept page into a fragment: navigate instead.
            response = HttpResponse(status=200)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
