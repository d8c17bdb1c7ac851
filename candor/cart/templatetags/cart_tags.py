"""Template helpers of the cart: ``{% cart_count %}`` for the header badge (units in the
visitor's cart, one indexed query for a member, none for a guest) and ``|yuan`` to show an
integer fen amount as ``¥12.34`` (``candor.money``).

Usage: ``{% load cart_tags %}<a href="{% url 'cart:detail' %}">{% cart_count %}</a>``.
"""

from __future__ import annotations

from django import template

from candor.cart import selectors
from candor.money import yuan_filter

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


register.filter("yuan", yuan_filter)  # candor.money: one way to write an amount
