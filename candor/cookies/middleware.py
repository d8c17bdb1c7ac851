"""Keep this browser's cookies in line with the visitor's choice, on every page.

A member's ledger decides for all their devices: after they withdraw on the phone, the laptop's
next page loses its analytics cookie (and the page views counted under it) and its consent
cookie is rewritten; after they accept on the laptop, a new device gets the consent cookie and
an analytics id. For guests the cookie is the choice, so only a stray analytics cookie without
consent is removed. Only HTML pages are touched, and never a response whose view already set
either cookie (the choice itself, the beacon).

Add after ``AuthenticationMiddleware`` (the ledger needs ``request.user``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from candor.cookies import jar, selectors, services
from candor.cookies.selectors import Source


class ConsentCookieMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html") and not jar.touched(response):
            sync(request, response)
        return response


def sync(request: HttpRequest, response: HttpResponse) -> None:
    choice = selectors.consent_choice(request)
    allowed = bool(choice and choice.analytics)
    if (
        choice is not None
        and choice.source is Source.LEDGER
        and jar.read_consent(request) is not choice.analytics
    ):
        jar.write_consent(response, analytics=choice.analytics)
    if allowed and jar.read_aid(request) is None:
        jar.write_aid(response, jar.new_aid())
    elif not allowed and jar.has_aid_cookie(request):
        aid = jar.read_aid(request)
        if aid:
            services.page_views_forget(aid=aid)
        jar.delete_aid(response)
