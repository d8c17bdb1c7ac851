"""Ask every user to accept a significant policy version before their next use (C002-22).

For a logged-in user with a significant version still to accept, a page request is redirected
to the accept page and an API request answers 403 ``policy_consent_required`` in the API's one
error shape, naming the version. Anonymous users and users with nothing to accept cost at most
one indexed query.

What a person needs before accepting stays open — to read what they are asked to accept, to
leave, and to see or take away their data: the two tuples below, of URL names, resolved once
into paths. ``OPEN_PREFIXES`` opens the path *and everything under it*: ``privacy:policy`` is
``/privacy/``, so every privacy page (documents, archive, accept) is open. A feature a person
needs in that situation (the privacy centre's export, consents and erasure, for instance) adds
its URL names here; nothing else has to change.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from candor.api.errors import API_PREFIX, error_response
from candor.privacy import policy

# URL names whose exact path stays open.
OPEN_PATHS: tuple[str, ...] = (
    "logout",
    "api:session_get",  # the API's log-out (DELETE) and who-am-I share a path
    "api:openapi-json",
    "set_language",
    "api:cookies_inventory",  # the cookie list, and refusing analytics (#7)
    "api:cookies_consent",
    "api:cancellation_get",  # cancelling the account, as accounts:cancel on the web (#7)
)

# URL names whose path and everything under it stay open.
OPEN_PREFIXES: tuple[str, ...] = (
    "privacy:policy",  # /privacy/: the documents, the archive of versions, the accept page
    "api:privacy_policy",  # …/privacy/policy, …/policy/versions…, …/policy/accept
    "api:privacy_collection_list",
    "api:privacy_sharing_list",
    "api:openapi-view",
    "admin:index",  # staff must be able to work on the policy itself
    # A person who has not accepted a new version can still see, download and delete their data,
    # switch consents off, ask, complain, cancel the account and refuse cookies (#7).
    "centre:home",
    "mydata:home",
    "service:list",
    "cookies:list",
    "accounts:cancel",
    "inbox:list",
    # …and the same through the API (an app has no web page to fall back on): consents (reading,
    # switching off — switching on waits for acceptance in the centre's services), my data, its
    # export and download, deletion requests, who received it, requests (list, file, withdraw,
    # verify), the cookie choice.
    "api:consent_list",  # /me/consents, …/history, …/{purpose}, …/{purpose}/prompt
    "api:my_data",  # /me/data, …/export, …/export/{token}, …/deletion-requests
    "api:disclosures",
    "api:request_list",  # /me/requests, …/{id}, …/{id}/withdraw, …/{id}/verify
)


@cache
def _allowed_exact() -> frozenset[str]:
    return frozenset(reverse(name) for name in OPEN_PATHS)


@cache
def _allowed_prefixes() -> tuple[str, ...]:
    # Resolved once from the URL names, so the list follows wherever the apps are mounted.
    static = ("/" + settings.STATIC_URL.lstrip("/"), "/" + settings.MEDIA_URL.lstrip("/"))
    return tuple(reverse(name) for name in OPEN_PREFIXES) + static


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
