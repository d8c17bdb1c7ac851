"""``{% shutdown_bar %}``: the site-wide bar that announces the end of the service until the
date it ends (C002-21). Reads a cached notice, so every page costs at most one query a minute.

Usage: ``{% load announcements_tags %}{% shutdown_bar %}`` (in ``base.html``).
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from candor.announcements import selectors
from candor.api.errors import API_PREFIX

register = template.Library()


@register.simple_tag(takes_context=True)
def shutdown_bar(context: template.Context) -> SafeString:
    request = context.get("request")
    if request is not None and request.path.startswith(API_PREFIX):
        # An API error rendered through the HTML error page is reshaped into JSON: no bar.
        return mark_safe("")
    notice = selectors.active_shutdown()
    if notice is None:  # nearly always: no template to render on every page
        return mark_safe("")
    return mark_safe(  # noqa: S308 (rendered by the template engine, escaped there)
        render_to_string(
            "announcements/_shutdown_bar.html", {"notice": notice, "message": notice.message(get_language())}
        )
    )
