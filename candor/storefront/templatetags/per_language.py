"""``{% perlanguage %}…{% endperlanguage %}``: markup that depends on nothing but the language,
rendered once per language in this process and then reused.

Why: the layout around every page is mostly fixed text — translated labels, links to named
views, static file URLs — and Django's ``{% translate %}``, ``{% url %}`` and ``{% static %}``
cost several microseconds each on every render; in ``base.html`` they were about two thirds of
the layout's time and a quarter of a product list page's (``python -m bench catalog``).

The body is rendered in a context holding only ``LANGUAGE_CODE``: no request, no user, no
CSRF token, none of the page's variables. So nothing about the visitor can be kept and shown
to someone else — a variable put inside by mistake renders empty on every page, which the
tests of the page see. The rendered text is kept on the node itself (so a reloaded template
starts afresh), keyed by language, URL configuration and script prefix; translations, URL
patterns and the static manifest only change with a restart.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template.base import Node, NodeList, Parser, Token
from django.template.defaulttags import CsrfTokenNode
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

_WHERE = object()  # the render context's key for (URL configuration, script prefix)


class PerLanguageNode(Node):
    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist
        self.rendered: dict[tuple[object, ...], SafeString] = {}

    def render(self, context: template.Context) -> SafeString:
        language = get_language()  # per node: {% language %} may change it within a template
        # The URL configuration as reverse() would pick it (a request's own, else the setting's)
        # and the script prefix: one lookup per template render rather than per node (a layout
        # has some twenty of these); a render context lives for one render of one template.
        where = context.render_context.get(_WHERE)
        if where is None:
            where = context.render_context[_WHERE] = (
                get_urlconf() or settings.ROOT_URLCONF,
                get_script_prefix(),
            )
        key = (language, *where)
        found = self.rendered.get(key)
        if found is None:
            # A new context of the same engine and template holding nothing of the page's.
            alone = context.new({"LANGUAGE_CODE": language})
            found = self.rendered[key] = mark_safe(self.nodelist.render(alone))  # noqa: S308 (rendered by the template engine, escaped there)
        return found


@register.tag("perlanguage")
def per_language(parser: Parser, token: Token) -> PerLanguageNode:
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% perlanguage %} takes no arguments")
    nodelist = parser.parse(("endperlanguage",))
    parser.delete_first_token()
    # A block would be frozen at the first page's override; a CSRF token would render empty.
    for refused, what in ((BlockNode, "{% block %}"), (CsrfTokenNode, "{% csrf_token %}")):
        if nodelist.get_nodes_by_type(refused):
            raise template.TemplateSyntaxError(f"{what} cannot be inside {{% perlanguage %}}")
    return PerLanguageNode(nodelist)
