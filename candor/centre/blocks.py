"""What other apps' pages embed from the centre: the home page's "猜你喜欢 / For you" block.

For a member who consents to personalization the block refreshes their profile tags (a read
unless they changed) and lists the best sellers of their strongest interests; otherwise it is
the best sellers, the same for everyone, labelled "non-personalized". A guest gets no block.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import get_language

from candor.catalog.selectors import Card
from candor.centre import selectors, services


def for_you(request: HttpRequest, *, best_sellers: list[Card] | None = None) -> selectors.ForYou | None:
    user = request.user
    if not user.is_authenticated:
        return None
    if selectors.personalized(user):
        services.profile_tags_refresh(user=user)
    return selectors.for_you(user, lang=get_language(), fallback=best_sellers)
