"""我的—收藏 pages and forms: member-only (a guest is sent to log in and nothing is stored),
favorite and follow from other pages (redirect back, or an htmx fragment), remove from the
lists, refusals as 4xx pages, and no inline code for the strict CSP."""

from __future__ import annotations

import re

import pytest

from candor.social.models import Favorite, Follow, ShareLink

pytestmark = [pytest.mark.django_db, pytest.mark.urls("candor.social.tests.urls")]


def no_inline_code(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html and " onclick=" not in html


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/me/favorites/"),
        ("get", "/me/favorites/follows/"),
        ("get", "/me/favorites/shares/"),
        ("post", "/me/favorites/add/"),
        ("post", "/me/favorites/follows/merchant/"),
        ("post", "/me/favorites/follows/member/"),
        ("post", "/me/favorites/shares/new/"),
    ],
)
def test_member_pages_need_a_login(client, product, method, path):
    response = getattr(client, method)(path, {"product": product.pk, "merchant": 1, "member": 1})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not Favorite.objects.exists() and not Follow.objects.exists() and not ShareLink.objects.exists()


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_favorite_then_list_then_remove(alice_client, make_sku, lang):
    product = make_sku(price_fen=2999).product
    service = make_sku().product
    service.is_service = True
    service.save()
    for p in (product, service):
        response = alice_client.post(
            "/me/favorites/add/", {"product": p.pk}, HTTP_REFERER=f"http://testserver/products/{p.pk}/"
        )
        assert response.status_code == 302 and response["Location"] == f"http://testserver/products/{p.pk}/"
    page = alice_client.get("/me/favorites/", HTTP_ACCEPT_LANGUAGE=lang)
    html = page.content.decode()
    assert page.status_code == 200 and html.count('data-testid="favorite-row"') == 2
    assert "¥29.99" in html and (product.name_zh if lang == "zh-hans" else product.name_en) in html
    assert f'href="/products/{product.pk}/"' in html
    no_inline_code(html)
    response = alice_client.post("/me/favorites/remove/", {"product": product.pk, "next": "/me/favorites/"})
    assert response["Location"] == "/me/favorites/"
    assert list(Favorite.objects.values_list("product_id", flat=True)) == [service.pk]


def test_favorite_with_htmx_swaps_the_button(alice_client, product):
    added = alice_client.post("/me/favorites/add/", {"product": product.pk}, HTTP_HX_REQUEST="true")
    assert added.status_code == 200 and 'data-testid="favorite-remove"' in added.content.decode()
    removed = alice_client.post("/me/favorites/remove/", {"product": product.pk}, HTTP_HX_REQUEST="true")
    assert 'data-testid="favorite-add"' in removed.content.decode()
    assert not Favorite.objects.exists()


def test_follow_pages(alice_client, shop, bob):
    merchant, _category = shop
    alice_client.post("/me/favorites/follows/merchant/", {"merchant": merchant.pk})
    alice_client.post("/me/favorites/follows/member/", {"member": bob.pk})
    html = alice_client.get("/me/favorites/follows/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.count('data-testid="follow-row"') == 2
    assert merchant.name_en in html and f'href="/products/m/{merchant.slug}/"' in html
    assert "bob" not in html  # a followed member is shown by nickname or number
    no_inline_code(html)
    alice_client.post("/me/favorites/follows/merchant/remove/", {"merchant": merchant.pk})
    alice_client.post("/me/favorites/follows/member/remove/", {"member": bob.pk})
    assert not Follow.objects.exists()


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_following_yourself_is_refused(alice_client, alice, lang):
    response = alice_client.post(
        "/me/favorites/follows/member/", {"member": alice.pk}, HTTP_ACCEPT_LANGUAGE=lang
    )
    assert response.status_code == 400
    if lang == "en":
        assert "You cannot follow yourself." in response.content.decode()
    assert not Follow.objects.exists()


@pytest.mark.parametrize(
    ("path", "data", "status"),
    [
        ("/me/favorites/add/", {"product": "abc"}, 404),
        ("/me/favorites/add/", {}, 404),
        ("/me/favorites/add/", {"product": "9" * 40}, 404),
        ("/me/favorites/remove/", {"product": "1"}, 404),
        ("/me/favorites/follows/merchant/", {"merchant": "-1"}, 404),
        ("/me/favorites/follows/member/", {"member": "x"}, 404),
        ("/me/favorites/follows/member/remove/", {"member": "3"}, 404),
        ("/me/favorites/shares/new/", {"product": "1", "channel": "telegram"}, 400),
        ("/me/favorites/shares/new/", {"product": "nope"}, 404),
        ("/me/favorites/shares/99999999999999999999/delete/", {}, 404),
    ],
)
def test_bad_input_is_a_4xx_never_a_500(alice_client, product, path, data, status):
    response = alice_client.post(path, data)
    assert response.status_code == status, response.content[:300]


def test_pages_need_get_and_forms_need_post(alice_client):
    assert alice_client.post("/me/favorites/").status_code == 405
    assert alice_client.get("/me/favorites/add/").status_code == 405
