"""``/api/v1/favorites``, ``/follows`` and ``/shares``: members only (401 for a guest, bearer
tokens work), idempotent adds (201 then 200), refusals in both languages, bad input a 4xx."""

from __future__ import annotations

import pytest
from django.test import Client

from candor.accounts.tokens import token_issue
from candor.cart.tests.conftest import Api
from candor.social.models import Favorite, Follow, ShareLink

pytestmark = [pytest.mark.django_db, pytest.mark.urls("candor.social.tests.urls")]


@pytest.fixture
def member_api(alice_client):
    return Api(alice_client)


def test_guests_get_401(api, product):
    for method, path, data in [
        ("get", "/favorites", None),
        ("post", "/favorites", {"product_id": product.pk}),
        ("get", "/follows", None),
        ("get", "/shares", None),
        ("post", "/shares", {"product_id": product.pk, "channel": "copy"}),
    ]:
        response = api.call(method, path, data)
        assert response.status_code == 401, path
        assert response.json()["code"]
    assert not Favorite.objects.exists() and not ShareLink.objects.exists()


def test_favorites(member_api, product, alice):
    first = member_api.call("post", "/favorites", {"product_id": product.pk})
    again = member_api.call("post", "/favorites", {"product_id": product.pk})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["product_id"] == product.pk and first.json()["is_service"] is False
    assert [f["product_id"] for f in member_api.call("get", "/favorites").json()] == [product.pk]
    assert member_api.call("delete", f"/favorites/{product.pk}").status_code == 204
    assert member_api.call("delete", f"/favorites/{product.pk}").status_code == 404
    assert not Favorite.objects.filter(user=alice).exists()


def test_follows(member_api, shop, bob):
    merchant, _category = shop
    assert member_api.call("post", "/follows", {"merchant_id": merchant.pk}).status_code == 201
    member = member_api.call("post", "/follows", {"member_id": bob.pk})
    assert member.status_code == 201 and member.json()["kind"] == "member"
    # The followed member is shown by nickname or number, never by account name.
    assert "bob" not in member.json()["name"]
    body = member_api.call("get", "/follows").json()
    assert [f["target_id"] for f in body["merchants"]] == [merchant.pk]
    assert [f["target_id"] for f in body["members"]] == [bob.pk]
    assert member_api.call("delete", f"/follows/members/{bob.pk}").status_code == 204
    assert member_api.call("delete", f"/follows/merchants/{merchant.pk}").status_code == 204
    assert not Follow.objects.exists()


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_following_yourself_is_400(alice_client, alice, lang):
    response = Api(alice_client).call("post", "/follows", {"member_id": alice.pk}, lang=lang)
    assert response.status_code == 400 and response.json()["code"] == "follow_self"
    assert "member" in response.json()["fields"]
    if lang == "en":
        assert response.json()["message"] == "You cannot follow yourself."
    assert not Follow.objects.exists()


def test_shares(member_api, product, alice):
    created = member_api.call("post", "/shares", {"product_id": product.pk, "channel": "weibo"})
    assert created.status_code == 201
    body = created.json()
    share = ShareLink.objects.get()
    assert body["url"] == f"http://testserver/s/{share.token}/"
    assert body["visits"] == 0 and body["channel"] == "weibo"
    assert [s["id"] for s in member_api.call("get", "/shares").json()] == [share.pk]
    assert member_api.call("delete", f"/shares/{share.pk}").status_code == 204
    assert member_api.call("get", "/shares").json() == []


def test_bearer_token_apps(alice, product):
    token, _row = token_issue(user=alice, name="app")
    app = Api(Client())
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert app.call("post", "/favorites", {"product_id": product.pk}, **auth).status_code == 201
    assert app.call("post", "/shares", {"product_id": product.pk}, **auth).status_code == 201
    assert Favorite.objects.get().user_id == alice.pk and ShareLink.objects.get().channel == "copy"


@pytest.mark.parametrize(
    ("method", "path", "data", "status"),
    [
        ("post", "/favorites", {"product_id": "x"}, 422),
        ("post", "/favorites", {"product_id": 10**30}, 404),
        ("post", "/favorites", {"product_id": -1}, 404),
        ("post", "/favorites", "[", 400),
        ("delete", "/favorites/0", None, 404),
        ("delete", "/favorites/99999999999999999999999", None, 404),
        ("post", "/follows", {}, 400),
        ("post", "/follows", {"merchant_id": 1, "member_id": 1}, 400),
        ("post", "/follows", {"merchant_id": 10**30}, 404),
        ("post", "/follows", {"member_id": 987654}, 404),
        ("delete", "/follows/members/5", None, 404),
        ("post", "/shares", {"product_id": 1, "channel": "x" * 17}, 422),
        ("post", "/shares", {"product_id": 1, "channel": "fax"}, 400),
        ("delete", "/shares/99999999999999999999999", None, 404),
        ("put", "/shares", None, 405),
    ],
)
def test_bad_input_is_a_4xx_never_a_500(member_api, product, method, path, data, status):
    response = member_api.call(method, path, data)
    assert response.status_code == status, response.content
    assert response.json()["code"]
