"""The cookie inventory is the truth: a real visit (home, cart, login, language, the banner, a
beacon) sets exactly the cookies it lists — an undeclared cookie fails here — with the
lifetimes it states; before the visitor chooses, only essential cookies are set."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from candor.cookies import inventory, jar
from candor.cookies.inventory import Kind
from candor.cookies.tests.conftest import PASSWORD, accept, beacon, set_cookies

pytestmark = pytest.mark.django_db


def _max_age(morsel) -> int | None:
    value = morsel["max-age"]
    return int(value) if str(value) != "" else None


def test_a_visit_sets_exactly_the_listed_cookies_with_their_lifetimes(alice, sku):
    client = Client()
    listed = {c.name: c for c in inventory.cookies()}
    seen: dict[str, int | None] = {}

    def visit(response, *, before_choice: bool) -> None:
        assert response.status_code < 400, response.content[:500]
        for name in set_cookies(response):
            assert name in listed, f"cookie {name!r} is set but not in the inventory"
            if before_choice:
                assert listed[name].kind is Kind.ESSENTIAL, f"{name} set before the visitor chose"
            seen[name] = _max_age(response.cookies[name])

    visit(client.get("/"), before_choice=True)
    visit(client.post("/cart/add/", {"sku": sku.pk}, HTTP_REFERER="http://testserver/"), before_choice=True)
    visit(client.get("/cart/"), before_choice=True)
    visit(client.get("/login/"), before_choice=True)
    visit(client.post("/login/", {"username": "alice", "password": PASSWORD}), before_choice=True)
    visit(client.get("/me/"), before_choice=True)
    visit(client.post("/i18n/setlang/", {"language": "en", "next": "/"}), before_choice=True)
    assert jar.AID_COOKIE not in client.cookies
    visit(accept(client), before_choice=False)
    visit(client.get("/"), before_choice=False)
    response = beacon(client, "/")
    assert response.status_code == 204
    visit(response, before_choice=False)

    assert set(seen) == set(listed), "the visit and the inventory disagree"
    for name, max_age in seen.items():
        assert max_age == listed[name].lifetime, (
            f"{name}: set for {max_age}s, listed as {listed[name].lifetime}"
        )


def test_essential_cookies_do_not_include_the_analytics_cookie():
    assert inventory.names(Kind.ANALYTICS) == {jar.AID_COOKIE}
    assert jar.CONSENT_COOKIE in inventory.names(Kind.ESSENTIAL)


def test_the_list_follows_the_settings(settings):
    settings.SESSION_COOKIE_NAME = "candor_session"
    settings.CSRF_USE_SESSIONS = True
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
    names = inventory.names()
    assert "candor_session" in names and "sessionid" not in names
    assert "csrftoken" not in names and "messages" not in names


def test_lifetime_labels():
    with translation.override("en"):
        assert inventory.lifetime_label(None) == "until you close the browser"
        assert inventory.lifetime_label(180 * 86400) == "180 days"
        assert inventory.lifetime_label(86400 + 1) == "2 days"
        assert inventory.lifetime_label(60) == "less than a day"
    with translation.override("zh-hans"):
        assert inventory.lifetime_label(14 * 86400) == "14 天"
