"""Template helpers of the cart: ``{% cart_count %}`` for the header badge (units in the
visitor's cart, one indexed query for a member, none for a guest) and ``|yuan`` to show an
integer fen amount as ``¥12.34``.

Usage: ``{% load cart_tags %}<a href="{% url 'cart:detail' %}">{% cart_count %}</a>``.
"""

from __future__ import annotations

from typing import Any

from django import template

from candor.cart import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def cart_count(context: template.Context) -> int:
    request = context.get("request")
    if request is None:
        return 0
    # Computed once per request, however many times the template asks.
    cached = getattr(request, "_candor_cart_count", None)
    if cached is None:
        cached = selectors.cart_count(
            user=getattr(request, "user", None), session=getattr(request, "session", None)
        )
        request._candor_cart_count = cached
    return int(cached)


@register.filter
def yuan(fen: Any) -> str:
    """``1999`` -> ``¥19.99``; anything that is not a whole number of fen -> ``""``."""
    try:
        amount = int(fen)
    except (TypeError, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    whole, cents = divmod(abs(amount), 100)
    return f"{sign}¥{whole:,}.{cents:02d}"
