"""``{% perlanguage %}``: the layout's fixed markup, rendered once per language and reused."""

from __future__ import annotations

import re

import pytest
from django.template import TemplateSyntaxError, engines
from django.test import RequestFactory
from django.urls import set_urlconf
from django.utils import translation

from candor.storefront.templatetags.per_language import PerLanguageNode

LINKS = (
    "{% load i18n per_language %}{% perlanguage %}"
    "<a href=\"{% url 'catalog:list' %}\">{% translate 'Products' %}</a>{% endperlanguage %}"
)


def _node(template):
    return next(n for n in template.template.nodelist if isinstance(n, PerLanguageNode))


def test_rendered_once_per_language_and_kept_on_the_node():
    template = engines["django"].from_string(LINKS)
    with translation.override("zh-hans"):
        zh = template.render({})
        assert template.render({}) == zh
    with translation.override("en"):
        en = template.render({})
    assert zh == '<a href="/products/">商品</a>'
    assert en == '<a href="/products/">Products</a>'
    assert sorted(key[0] for key in _node(template).rendered) == ["en", "zh-hans"]


def test_the_body_sees_none_of_the_page_context():
    # Whatever a page passes in, nothing about the visitor can be kept and shown to another.
    template = engines["django"].from_string(
        "{% load per_language %}{% perlanguage %}"
        "[{{ user.username }}|{{ secret }}|{{ request.path }}|{{ LANGUAGE_CODE }}]{% endperlanguage %}"
    )
    request = RequestFactory().get("/secret-path/")
    with translation.override("en"):
        first = template.render({"secret": "planted-1", "user": {"username": "alice"}}, request)
        second = template.render({"secret": "planted-2", "user": {"username": "bob"}}, request)
    assert first == second == "[|||en]"


@pytest.mark.parametrize(
    ("body", "named"),
    [("{% block x %}{% endblock %}", "{% block %}"), ("{% csrf_token %}", "{% csrf_token %}")],
)
def test_blocks_and_csrf_tokens_are_refused(body, named):
    with pytest.raises(TemplateSyntaxError, match=re.escape(named)):
        engines["django"].from_string(
            "{% load per_language %}{% perlanguage %}" + body + "{% endperlanguage %}"
        )


def test_arguments_are_refused():
    with pytest.raises(TemplateSyntaxError, match="no arguments"):
        engines["django"].from_string("{% load per_language %}{% perlanguage now %}{% endperlanguage %}")


@pytest.mark.django_db
def test_the_layout_still_differs_by_visitor(client, django_user_model):
    """The parts left outside the fixed markup: the login links or "Me", the CSRF token."""
    guest = client.get("/products/").content.decode()
    assert 'data-testid="login-link"' in guest and 'data-testid="me-link"' not in guest
    user = django_user_model.objects.create_user(username="per-language", password="x-Secret-123")
    client.force_login(user)
    member = client.get("/products/").content.decode()
    assert 'data-testid="me-link"' in member and 'data-testid="login-link"' not in member
    assert 'name="csrfmiddlewaretoken" value="' in member


def test_another_url_configuration_gets_its_own_rendering():
    template = engines["django"].from_string(LINKS)
    # None: the setting's (whatever an earlier test's request left in this thread).
    set_urlconf(None)
    try:
        with translation.override("en"):
            template.render({})
            set_urlconf("bench.urls")  # a request's own (request.urlconf): same names, another one
            template.render({})
    finally:
        set_urlconf(None)
    assert {key[1] for key in _node(template).rendered} == {"candor.urls", "bench.urls"}
