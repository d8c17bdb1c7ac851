"""``{{ fen|yuan }}`` shows integer fen as the shop writes prices: 1280 -> ¥12.80."""

from django import template

from candor.catalog.selectors import price_text

register = template.Library()


@register.filter
def yuan(fen: int) -> str:
    return price_text(fen)


@register.simple_tag
def query_with(request, **changes):  # type: ignore[no-untyped-def]
    """The current query string with some parameters changed (None or "" drops one); a change
    of sort or filter goes back to page 1."""
    params = request.GET.copy()
    if "page" not in changes:
        params.pop("page", None)
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
