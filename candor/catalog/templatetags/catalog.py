"""``{{ fen|yuan }}`` shows integer fen as the shop writes prices (``candor.money``): 1280 -> ¥12.80.
``{% product_cards cards %}`` writes a list's cards: the markup of ``catalog/_card.html``
(which stays for single cards elsewhere; a test holds the two to the same output) without
a template include and some thirty variable lookups per card, the larger part of a list
page's time."""

from collections.abc import Iterable
from html import escape
from urllib.parse import urlencode

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, trans_real

from candor.catalog.selectors import Card, card_links, sold_text
from candor.money import yuan_filter

register = template.Library()


register.filter("yuan", yuan_filter)


@register.simple_tag
def query_with(request, **changes):  # type: ignore[no-untyped-def]
    """The current query string with some parameters changed (None or "" drops one); a change
    of sort or filter goes back to page 1."""
    # A plain dict of lists rather than QueryDict.copy() (a deepcopy): the order of the keys
    # and the encoding are QueryDict.urlencode()'s.
    params = dict(request.GET.lists())
    if "page" not in changes:
        params.pop("page", None)
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = [value]
    encoded = urlencode([(k, v) for k, values in params.items() for v in values])
    return f"?{encoded}" if encoded else "?"


_CARD = (
    '<li class="product-card" data-testid="product-card">\n'
    '  <a class="product-link" href="{url}">\n'
    "    {thumb}\n"
    '    <span class="product-name" data-testid="product-name">{name}</span>\n'
    "  </a>\n"
    "  {subtitle}\n"
    '  <span class="product-price" data-testid="product-price">{price}</span>\n'
    '  <span class="product-meta muted">\n'
    "    {service}\n"
    "    {own}\n"
    '    <a href="{merchant_url}">{merchant_name}</a>\n'
    "    · {sold}\n"
    "  </span>\n"
    "</li>\n"
)


@register.simple_tag
def product_cards(cards: Iterable[Card]) -> SafeString:
    service = '<span class="badge">{}</span>'.format(escape(gettext("Service")))
    own = '<span class="badge">{}</span>'.format(escape(gettext("Self-operated")))
    # Card.url, .merchant_url and .sold as they would read, with their lookups done once.
    detail_prefix, merchant_prefix = (escape(prefix) for prefix in card_links())
    ngettext = trans_real.catalog().ngettext
    out = []
    for card in cards:
        name = escape(card.name)
        if card.image_url:
            thumb = (
                f'<img class="product-thumb" src="{escape(card.image_url)}" alt="{escape(card.image_alt)}" '
                'loading="lazy" width="160" height="160">'
            )
        else:
            first = escape(card.name[:1])
            thumb = f'<span class="product-thumb placeholder" aria-hidden="true">{first}</span>'
        subtitle = (
            f'<span class="product-subtitle muted">{escape(card.subtitle)}</span>' if card.subtitle else ""
        )
        out.append(
            _CARD.format(
                url=f"{detail_prefix}{card.id}/",
                thumb=thumb,
                name=name,
                subtitle=subtitle,
                price=escape(card.price),
                service=service if card.is_service else "",
                own=own if card.merchant_kind == "self" else "",
                merchant_url=f"{merchant_prefix}{escape(card.merchant_slug)}/" if card.merchant_slug else "",
                merchant_name=escape(card.merchant_name),
                sold=escape(sold_text(card.sales_count, ngettext)),
            )
        )
    return mark_safe("".join(out))  # noqa: S308  (every value above is escaped)
