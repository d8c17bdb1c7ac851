"""``/api/v1/cookies`` and ``/api/v1/cookies/consent``: the same list and choice as the pages;
a browser's PUT sets the same cookies and needs the CSRF token, an app's (bearer token) changes
only the member's ledger; bad input is a 4xx in the caller's language and changes nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from candor.accounts.tokens import token_issue
from candor.cookies import inventory, jar
from candor.cookies.models import PageView
from candor.cookies.tests.conftest import deleted_cookies, set_cookies
from candor.privacy import taxonomy
from candor.privacy.models import ConsentRecord

pytestmark = pytest.mark.django_db


def put(client, body, **extra):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.put("/api/v1/cookies/consent", data, content_type="application/json", **extra)


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_list(client, lang):
    response = client.get("/api/v1/cookies", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    body = response.json()
    assert {c["name"] for c in body} == inventory.names()
    aid = next(c for c in body if c["name"] == jar.AID_COOKIE)
    assert aid["kind"] == "analytics" and aid["lifetime_seconds"] == 180 * 86400
    assert aid["kind_label"] == ("统计分析" if lang == "zh-hans" else "Analytics")
    assert aid["lifetime"] == ("180 天" if lang == "zh-hans" else "180 days")


def test_a_guest_chooses_through_the_api(client):
    assert client.get("/api/v1/cookies/consent").json() == {
        "chosen": False, "analytics": False, "source": None, "version": 1
    }  # fmt: skip
    response = put(client, {"analytics": True})
    assert response.status_code == 200
    assert response.json() == {"chosen": True, "analytics": True, "source": "cookie", "version": 1}
    assert set_cookies(response)[jar.CONSENT_COOKIE] == "analytics:1|v:1"
    assert jar.AID_COOKIE in set_cookies(response)
    assert client.get("/api/v1/cookies/consent").json()["analytics"] is True
    assert client.post("/cookies/beacon/", {"path": "/"}).status_code == 204

    response = put(client, {"analytics": False})
    assert response.json()["analytics"] is False and jar.AID_COOKIE in deleted_cookies(response)
    assert not PageView.objects.exists()
    assert not ConsentRecord.objects.exists()


def test_a_members_choice_goes_to_the_ledger(client, alice):
    client.force_login(alice)
    response = put(client, {"analytics": True})
    assert response.json()["source"] == "ledger"
    row = ConsentRecord.objects.get(subject_id=alice.pk, purpose=taxonomy.ANALYTICS.code)
    assert row.granted and row.channel == "api"
    assert client.get("/api/v1/cookies/consent").json()["source"] == "ledger"


def test_an_app_with_a_token_changes_only_the_ledger(alice):
    token, _row = token_issue(user=alice)
    app = Client()
    response = put(app, {"analytics": True}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and not response.cookies
    assert ConsentRecord.objects.get(subject_id=alice.pk, purpose="analytics").granted
    got = app.get("/api/v1/cookies/consent", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert got["analytics"] is True and got["source"] == "ledger"


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_a_browser_put_needs_the_csrf_token(alice, lang):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = put(client, {"analytics": True}, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"
    assert response.json()["message"] == (
        "表单已过期，请刷新页面。" if lang == "zh-hans" else "The form expired; reload the page."
    )
    assert not response.cookies and not ConsentRecord.objects.exists()


@pytest.mark.parametrize("body", ["{}", '{"analytics": "maybe"}', "not json", "[]"])
def test_bad_input_is_a_4xx_and_changes_nothing(client, alice, body):
    client.force_login(alice)
    response = put(client, body, HTTP_ACCEPT_LANGUAGE="en")
    assert 400 <= response.status_code < 500
    assert set(response.json()) >= {"code", "message"}
    assert not set_cookies(response) and not ConsentRecord.objects.exists()
