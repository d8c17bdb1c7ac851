"""``{% shutdown_bar %}``: the site-wide bar that announces the end of the service until the
date it ends (C002-21). Reads a cached notice, so every page costs at most one query a minute.

Usage: ``{% load announcements_tags %}{% shutdown_bar %}`` (in ``base.html``).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from candor.announcements import selectors
from candor.api.errors import API_PREFIX

register = template.Library()


@register.inclusion_tag("announcements/_shutdown_bar.html", takes_context=True)
def shutdown_bar(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    if request is not None and request.path.startswith(API_PREFIX):
        # An API error rendered through the HTML error page is reshaped into JSON: no bar.
        return {"notice": None, "message": ""}
    notice = selectors.active_shutdown()
    return {"notice": notice, "message": notice.message(get_language()) if notice else ""}
