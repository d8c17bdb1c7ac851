"""A guest's cart survives login and merges with the member's own cart, through the real
login paths: the password API (``POST /api/v1/session``) and the login page (``POST /login/``).
The merge is triggered by ``user_logged_in``, so every login path that calls Django's
``login()`` merges alike."""

from __future__ import annotations

import pytest

from candor.cart import services
from candor.cart.models import CartItem
from candor.cart.selectors import SESSION_KEY
from candor.cart.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _login_api(client, api):
    response = api.call("post", "/session", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 200, response.content


def _login_page(client, api):
    response = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302, response.content


@pytest.mark.parametrize("login", [_login_api, _login_page], ids=["api", "login-page"])
def test_guest_cart_survives_login_and_merges(client, api, alice, make_sku, login):
    shared = make_sku(stock=10)
    guest_only = make_sku(stock=10)
    member_only = make_sku(stock=10)
    services.cart_add(user=alice, session=None, sku_id=shared.pk, quantity=2)
    services.cart_add(user=alice, session=None, sku_id=member_only.pk, quantity=1)
    # The guest fills a cart: once through the product page's form, once through the API.
    response = client.post("/cart/add/", {"sku": shared.pk, "quantity": "3"})
    assert response.status_code == 302
    assert api.call("post", "/cart", {"sku_id": guest_only.pk, "quantity": 4}).status_code == 201
    assert CartItem.objects.filter(user=alice).count() == 2

    login(client, api)

    merged = dict(CartItem.objects.filter(user=alice).values_list("sku_id", "quantity"))
    assert merged == {shared.pk: 5, guest_only.pk: 4, member_only.pk: 1}
    assert SESSION_KEY not in client.session
    body = api.call("get", "/cart").json()
    assert body["count"] == 10
    page = client.get("/cart/").content.decode()
    assert page.count('data-testid="cart-line"') == 3


def test_a_failed_login_keeps_the_guest_cart(client, api, alice, make_sku):
    sku = make_sku()
    api.call("post", "/cart", {"sku_id": sku.pk})
    assert api.call("post", "/session", {"username": "alice", "password": "wrong"}).status_code == 400
    assert client.session[SESSION_KEY] == {str(sku.pk): 1}
    assert not CartItem.objects.exists()


def test_login_without_a_guest_cart_changes_nothing(client, api, alice, make_sku):
    sku = make_sku()
    services.cart_add(user=alice, session=None, sku_id=sku.pk, quantity=2)
    _login_api(client, api)
    assert CartItem.objects.get().quantity == 2
