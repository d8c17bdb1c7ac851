"""The writes of the cookies app: a visitor's choice, a page view, forgetting a browser's views.

A member's choice goes to the consent ledger (``candor.privacy.consent``), and only when it
changes their state, so pressing "accept" on a second device adds no row; a guest's lives only
in their cookie (``jar``), which the view writes. Withdrawing deletes the page views counted
under this browser's analytics id (PIPL art. 47: consent withdrawn, the data goes), while what
was counted before stays lawful and simply no longer exists.

A page view is stored as the URL pattern of the page, never its concrete path (models.py says
why); a path that is not one of Candor's pages is refused with a 400 and nothing is stored.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from candor.centre.errors import require_policy_accepted
from candor.cookies import selectors
from candor.cookies.models import PageView
from candor.errors import CandorError
from candor.privacy import consent, policy, taxonomy

CHANNEL_BANNER = "cookie_banner"  # the banner and the cookie page
_NOT_PAGES = frozenset({"admin", "api"})  # the back office and the API are not pages to count
_MAX_PATH = 512


class PageUnknown(CandorError):
    status = 400
    code = "page_unknown"

    def __init__(self) -> None:
        super().__init__(_("This is not a page of Candor."))


def page_pattern(path: str) -> str | None:
    """``/orders/ORD123/?x=1`` -> ``/orders/<str:number>/``; None for anything but a page."""
    if not path.startswith("/") or len(path) > _MAX_PATH:
        return None
    try:
        match = resolve(unquote(urlsplit(path).path))
    except (Resolver404, ValueError):
        return None
    if match.namespaces and match.namespaces[0] in _NOT_PAGES:
        return None
    return ("/" + str(match.route))[: PageView._meta.get_field("path").max_length]


@transaction.atomic
def consent_choose(
    *, user_id: int | None, analytics: bool, aid: str | None, page: str, channel: str = CHANNEL_BANNER
) -> None:
    """Record a visitor's choice about analytics. ``page`` is where it was made (evidence, kept
    as its URL pattern); ``aid`` the browser's analytics id, whose page views go on withdrawal.
    A member's "accept" while a significant policy version waits for them is refused (409
    ``policy_not_accepted``, nothing recorded, no cookie set): a consent is given under a policy
    the person has accepted. "Essential only" is always possible."""
    if user_id is not None and selectors.member_choice(user_id) is not analytics:
        if analytics:
            require_policy_accepted(user_id)
        record = consent.grant if analytics else consent.withdraw
        current = policy.current()
        record(
            user_id,
            taxonomy.ANALYTICS,
            channel=channel,
            policy_version=current.number if current else "",
            evidence={"page": page_pattern(page) or ""},
        )
    if not analytics and aid:
        page_views_forget(aid=aid)


def page_view_record(*, aid: str, path: str, referrer: str = "") -> PageView:
    """Count one view of a page. The caller has checked consent (``analytics_allowed``)."""
    pattern = page_pattern(path)
    if pattern is None:
        raise PageUnknown()
    return PageView.objects.create(aid=aid, path=pattern, referrer=page_pattern(referrer) or "")


def page_views_forget(*, aid: str) -> int:
    return int(PageView.objects.filter(aid=aid).delete()[0])
