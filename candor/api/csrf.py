"""The API's CSRF check for writes made with a session cookie.

A bearer-token request carries no cookie and is exempt (``ApiTokenMiddleware`` waives it); a
browser's write must carry the token (``X-CSRFToken``), so another site cannot act for the
visitor — add to their cart, place an order, log them into the attacker's account. Routers
authenticated with ninja's ``django_auth`` get this check from ninja; the others call this.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja.utils import check_csrf

from candor.errors import CandorError


def require_csrf(request: HttpRequest) -> None:
    if check_csrf(request) is not None:
        raise CandorError(gettext_lazy("The form expired; reload the page."), code="csrf_failed", status=403)
