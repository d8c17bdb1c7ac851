"""The banner and the cookie page: shown until the visitor chooses, in Chinese and English, with
stable button ids and no inline code (strict CSP); the choice form refuses bad input and never
redirects off the site; the script tag carries the server's answer about analytics."""

from __future__ import annotations

import re

import pytest

from candor.cookies import inventory, jar
from candor.cookies.tests.conftest import accept, set_cookies

pytestmark = pytest.mark.django_db

TEXT = {
    "zh-hans": ("同意统计分析", "仅必要 Cookie", "我们使用哪些 Cookie", "坦诚商城需要少量必要的 Cookie"),
    "en": (
        "Accept analytics",
        "Essential only",
        "Which cookies we use",
        "Candor needs a few essential cookies",
    ),
}


def no_inline_code(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html and " onclick=" not in html


def script_tag(html: str) -> str:
    """The analytics script's tag, or "" when the page has none (no consent: no script)."""
    match = re.search(r'<script src="[^"]*cookies/analytics\.js"[^>]*>', html)
    return match.group(0) if match else ""


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_banner_is_shown_until_the_visitor_chooses(client, lang):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert 'data-testid="cookie-banner"' in html
    assert 'id="cookie-accept"' in html and 'id="cookie-essential"' in html
    assert 'href="/cookies/"' in html
    for text in TEXT[lang]:
        assert text in html, text
    assert script_tag(html) == ""  # before a choice the page carries no analytics script at all
    no_inline_code(html)

    accept(client, analytics=False)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert 'data-testid="cookie-banner"' not in html
    assert script_tag(html) == ""  # "essential only": still no analytics script


def test_accepting_switches_the_script_on_and_hides_the_banner(client):
    response = accept(client, page="/cart/?from=banner")
    assert response["Location"] == "/cart/?from=banner"
    assert set_cookies(response)[jar.CONSENT_COOKIE] == "analytics:1|v:1"
    html = client.get("/").content.decode()
    assert 'data-testid="cookie-banner"' not in html
    tag = script_tag(html)
    assert 'data-analytics="1"' in tag and 'data-beacon="/cookies/beacon/"' in tag and "data-csrf=" in tag


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_cookie_page_lists_every_cookie_and_the_choice(client, lang):
    page = client.get("/cookies/", HTTP_ACCEPT_LANGUAGE=lang)
    html = page.content.decode()
    assert page.status_code == 200
    rows = re.findall(r'data-testid="cookie-row" data-cookie="([^"]+)"', html)
    assert set(rows) == inventory.names() and len(rows) == len(inventory.cookies())
    assert 'data-testid="cookie-banner"' not in html  # the page itself holds the choice
    assert 'data-state="unset"' in html
    expected = (
        ("统计分析", "必要", "180 天", "关闭浏览器时删除")
        if lang == "zh-hans"
        else ("Analytics", "Essential", "180 days", "until you close the browser")
    )
    for text in expected:
        assert text in html, text
    no_inline_code(html)

    accept(client, page="/cookies/")
    assert 'data-state="analytics"' in client.get("/cookies/").content.decode()
    accept(client, analytics=False, page="/cookies/")
    assert 'data-state="essential"' in client.get("/cookies/").content.decode()


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_a_bad_choice_is_a_400_and_sets_nothing(client, lang):
    for data in ({}, {"analytics": "yes"}, {"analytics": "2"}):
        response = client.post("/cookies/consent/", data, HTTP_ACCEPT_LANGUAGE=lang)
        assert response.status_code == 400
        assert 'data-testid="cookie-error"' in response.content.decode()
        assert (
            "请选择“同意统计分析”或“仅必要 Cookie”。" if lang == "zh-hans" else "Choose “Accept analytics”"
        ) in response.content.decode()
        assert jar.CONSENT_COOKIE not in set_cookies(response) and jar.AID_COOKIE not in set_cookies(response)
    assert client.get("/cookies/consent/").status_code == 405


def test_the_choice_never_redirects_off_the_site(client):
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)", ""):
        response = client.post("/cookies/consent/", {"analytics": "0", "next": target})
        assert response.status_code == 302 and response["Location"] == "/cookies/", target


def test_the_choice_needs_the_csrf_token(alice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/cookies/consent/", {"analytics": "1", "next": "/"})
    assert response.status_code == 403
    assert not set_cookies(response)
