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


@register.simple_tag
def product_cards(cards: Iterable[Card]) -> SafeString:
    service = '<span class="badge">{}</span>'.format(escape(gettext("Service")))
    own = '<span class="badge">{}</span>'.format(escape(gettext("Self-operated")))
    # Card.url, .merchant_url and .sold as they would read, with their lookups done once.
    detail_prefix, merchant_prefix = (escape(prefix) for prefix in card_links())
    ngettext = trans_real.catalog().ngettext
    shops: dict[str, str] = {}  # a shop's badge and link: the same on each of its cards
    out = []
    for card in cards:
        shop = shops.get(card.merchant_slug)
        if shop is None:
            link = f"{merchant_prefix}{escape(card.merchant_slug)}/" if card.merchant_slug else ""
            badge = own if card.merchant_kind == "self" else ""
            shop = shops[card.merchant_slug] = (
                f'{badge}\n    <a href="{link}">{escape(card.merchant_name)}</a>'
            )
        if card.image_url:
            thumb = (
                f'<img class="product-thumb" src="{escape(card.image_url)}" alt="{escape(card.image_alt)}" '
                'loading="lazy" width="160" height="160">'
            )
        else:
            thumb = (
                f'<span class="product-thumb placeholder" aria-hidden="true">{escape(card.name[:1])}</span>'
            )
        subtitle = (
            f'<span class="product-subtitle muted">{escape(card.subtitle)}</span>' if card.subtitle else ""
        )
        out.append(
            '<li class="product-card" data-testid="product-card">\n'
            f'  <a class="product-link" href="{detail_prefix}{card.id}/">\n'
            f"    {thumb}\n"
            f'    <span class="product-name" data-testid="product-name">{escape(card.name)}</span>\n'
            "  </a>\n"
            f"  {subtitle}\n"
            f'  <span class="product-price" data-testid="product-price">{escape(card.price)}</span>\n'
            '  <span class="product-meta muted">\n'
            f"    {service if card.is_service else ''}\n"
            f"    {shop}\n"
            f"    · {escape(sold_text(card.sales_count, ngettext))}\n"
            "  </span>\n"
            "</li>\n"
        )
    return mark_safe("".join(out))  # noqa: S308  (every value above is escaped)
