"""Analytics only with consent: before a choice, and after "essential only", there is no
analytics cookie and the beacon is refused with nothing stored; after accepting, the cookie
exists and each beacon stores one row (the page's URL pattern, no user id); withdrawing deletes
the cookie and the page views counted under it, and beacons are refused again."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from candor.cookies import jar, selectors, services
from candor.cookies.models import PageView
from candor.cookies.tests.conftest import accept, aid_of, beacon, deleted_cookies, set_cookies

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_no_analytics_cookie_and_no_page_view_before_consent(client, lang):
    client.get("/")
    response = beacon(client, "/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 403
    assert ("去标识化分析" if lang == "zh-hans" else "analytics") in response.content.decode().lower()
    assert not PageView.objects.exists()
    assert jar.AID_COOKIE not in client.cookies and jar.AID_COOKIE not in response.cookies

    accept(client, analytics=False)
    assert beacon(client, "/").status_code == 403
    assert not PageView.objects.exists() and not aid_of(client)


def test_after_accepting_the_beacon_stores_a_row_under_the_cookie(client, alice):
    client.force_login(alice)  # a member: the row still holds no user id
    response = accept(client)
    aid = set_cookies(response)[jar.AID_COOKIE]
    assert aid_of(client) == aid and len(aid) == 32

    assert beacon(client, "/cart/", referrer="/").status_code == 204
    row = PageView.objects.get()
    assert (row.aid, row.path, row.referrer, row.account_id) == (aid, "/cart/", "/", 0)  # 0: no account


def test_paths_are_stored_as_patterns_never_as_given(client):
    accept(client)
    assert (
        beacon(client, "/products/12345/?q=my+secret+search", referrer="/s/sharetoken123/").status_code == 204
    )
    row = PageView.objects.get()
    assert row.path == "/products/<int:product_id>/"
    assert "12345" not in row.path and "secret" not in row.path
    assert "sharetoken123" not in row.referrer and row.referrer.startswith("/s/")
    # A referrer that is not one of our pages is dropped, the view still counted.
    assert beacon(client, "/", referrer="https://elsewhere.example/x").status_code == 204
    assert PageView.objects.filter(path="/", referrer="").count() == 1


@pytest.mark.parametrize("path", ["", "cart/", "/no/such/page/", "/admin/", "/api/v1/ping", "/" + "a" * 600])
def test_a_path_that_is_not_a_page_is_refused(client, path):
    accept(client)
    response = beacon(client, path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "not a page of Candor" in response.content.decode()
    assert not PageView.objects.exists()


def test_withdrawing_deletes_the_cookie_and_the_views_then_refuses(client):
    other = Client()
    accept(other)
    beacon(other, "/")
    accept(client)
    aid = aid_of(client)
    beacon(client, "/")
    beacon(client, "/cart/")
    assert PageView.objects.filter(aid=aid).count() == 2

    response = accept(client, analytics=False, page="/cookies/")
    assert jar.AID_COOKIE in deleted_cookies(response)
    assert set_cookies(response)[jar.CONSENT_COOKIE] == "analytics:0|v:1"
    assert not aid_of(client)
    assert not PageView.objects.filter(aid=aid).exists()
    assert PageView.objects.count() == 1  # another browser's view is not touched

    assert beacon(client, "/").status_code == 403
    assert PageView.objects.count() == 1


def test_the_beacon_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    page = client.get("/")
    token = client.cookies["csrftoken"].value
    client.post("/cookies/consent/", {"analytics": "1", "next": "/", "csrfmiddlewaretoken": token})
    assert client.post("/cookies/beacon/", {"path": "/"}).status_code == 403
    assert not PageView.objects.exists()
    assert page.status_code == 200
    response = client.post("/cookies/beacon/", {"path": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 204 and PageView.objects.count() == 1


def test_the_beacon_only_answers_post(client):
    accept(client)
    assert client.get(reverse("cookies:beacon")).status_code == 405
    assert not PageView.objects.exists()


def test_a_consenting_browser_without_an_id_gets_one_from_the_beacon(client, alice):
    services.consent_choose(user_id=alice.pk, analytics=True, aid=None, page="/")
    client.force_login(alice)
    response = beacon(client, "/")
    assert response.status_code == 204
    aid = set_cookies(response)[jar.AID_COOKIE]
    assert PageView.objects.get().aid == aid


def test_analytics_allowed(rf, alice):
    request = rf.get("/")
    request.user = alice
    assert selectors.analytics_allowed(request) is False
    request = rf.get("/", HTTP_COOKIE=f"{jar.CONSENT_COOKIE}=analytics:1|v:1")
    request.user = alice
    assert selectors.analytics_allowed(request) is True
    for stale in ("analytics:1|v:0", "analytics:1", "yes", "analytics:1|v:1|x"):
        request = rf.get("/", HTTP_COOKIE=f"{jar.CONSENT_COOKIE}={stale}")
        request.user = alice
        assert selectors.analytics_allowed(request) is False, stale
