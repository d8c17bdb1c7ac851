"""``{% cookie_consent %}``: the cookie banner (until the visitor chooses) and the analytics
script tag, which carries the server's answer to "may analytics run?" in ``data-analytics``.
``base.html`` puts it at the end of every page. The banner is left out on the cookie page
itself, which holds the same choice in full.
"""

from __future__ import annotations

from typing import Any

from django import template

from candor.cookies import selectors

register = template.Library()


@register.inclusion_tag("cookies/_consent.html", takes_context=True)
def cookie_consent(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    if request is None:
        return {"banner": False, "analytics": False}
    match = getattr(request, "resolver_match", None)
    on_cookie_page = match is not None and match.view_name == "cookies:list"
    return {
        "banner": selectors.banner_needed(request) and not on_cookie_page,
        "analytics": selectors.analytics_allowed(request),
        "next": request.get_full_path(),
    }
