"""What the visitor has chosen about optional cookies, and whether analytics may run.

The choice comes from two places. A member's choice is in the consent ledger (purpose
``analytics``), whatever channel recorded it — the banner, this app's page, the privacy
centre's switch — and it wins over the cookie of whichever device they use. A guest's choice,
and a member's who has no ledger record yet, is the ``candor_consent`` cookie of this browser.
No choice at all means the banner is shown and only essential cookies exist.

The answer is computed once per request (a member costs one indexed query), since the page's
banner, the script tag and the cookie sync all ask.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.http import HttpRequest

from candor.cookies import jar
from candor.privacy import consent, taxonomy


class Source(StrEnum):
    LEDGER = "ledger"  # the member's consent ledger
    COOKIE = "cookie"  # this browser's candor_consent cookie


@dataclass(frozen=True)
class Choice:
    analytics: bool
    source: Source


_MEMO = "_candor_cookie_choice"


def member_choice(user_id: int) -> bool | None:
    """The member's latest ledger decision about analytics, or None if they never made one."""
    row = consent.latest(user_id, taxonomy.ANALYTICS)
    return None if row is None else bool(row.granted)


def consent_choice(request: HttpRequest) -> Choice | None:
    if hasattr(request, _MEMO):
        return getattr(request, _MEMO)
    choice = None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.pk is not None:
        ledger = member_choice(int(user.pk))
        if ledger is not None:
            choice = Choice(ledger, Source.LEDGER)
    if choice is None:
        device = jar.read_consent(request)
        if device is not None:
            choice = Choice(device, Source.COOKIE)
    setattr(request, _MEMO, choice)
    return choice


def forget_choice(request: HttpRequest) -> None:
    """After a change in this request, so the next question reads it afresh."""
    if hasattr(request, _MEMO):
        delattr(request, _MEMO)


def analytics_allowed(request: HttpRequest) -> bool:
    """True only when the visitor has accepted analytics (ledger for a member, else cookie)."""
    choice = consent_choice(request)
    return bool(choice and choice.analytics)


def banner_needed(request: HttpRequest) -> bool:
    return consent_choice(request) is None
