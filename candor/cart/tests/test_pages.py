"""The cart page and its forms: lines with quantities and prices in ¥ (from fen), remove and
empty (with and without htmx), the product page's add form (redirect back with a message, a
refusal is a 400 page with the message in zh and en), the header count tag, and no inline
code for the strict CSP."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from candor.cart import services
from candor.cart.models import CartItem
from candor.cart.selectors import SESSION_KEY
from candor.money import yuan_filter as yuan

pytestmark = pytest.mark.django_db


def no_inline_code(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html and " onclick=" not in html


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_cart_page_lists_lines_and_totals(client, make_sku, lang):
    a = make_sku(price_fen=199900, stock=5, name_en="Phone")
    b = make_sku(price_fen=1050, stock=5)
    client.post("/cart/add/", {"sku": a.pk, "quantity": "2"})
    client.post("/cart/add/", {"sku": b.pk})
    page = client.get("/cart/", HTTP_ACCEPT_LANGUAGE=lang)
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-testid="cart-line"') == 2
    assert html.count('data-testid="cart-qty"') == 2 and html.count('data-testid="cart-remove"') == 2
    assert "¥3998.00" in html and "¥10.50" in html
    assert re.search(r'data-testid="cart-total">¥4008.50<', html)
    assert (a.product.name_zh if lang == "zh-hans" else a.product.name_en) in html
    no_inline_code(html)


def test_remove_and_clear_with_and_without_htmx(client, alice, make_sku):
    client.force_login(alice)
    a, b, c = make_sku(), make_sku(), make_sku()
    for sku in (a, b, c):
        client.post("/cart/add/", {"sku": sku.pk})
    assert CartItem.objects.filter(user=alice).count() == 3
    response = client.post(f"/cart/{a.pk}/remove/")
    assert response.status_code == 302 and response["Location"] == "/cart/"
    fragment = client.post(f"/cart/{b.pk}/remove/", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and fragment["HX-Trigger"] == "cart-changed"
    assert fragment.content.decode().count('data-testid="cart-line"') == 1
    assert "<html" not in fragment.content.decode()
    client.post("/cart/clear/")
    assert not CartItem.objects.filter(user=alice).exists()
    assert 'data-testid="cart-empty"' in client.get("/cart/").content.decode()


def test_quantity_form(client, make_sku):
    sku = make_sku(stock=4)
    client.post("/cart/add/", {"sku": sku.pk})
    assert client.post(f"/cart/{sku.pk}/quantity/", {"quantity": "4"}).status_code == 302
    assert client.session[SESSION_KEY] == {str(sku.pk): 4}
    for bad in ("5", "0", "abc", "", "-1"):
        response = client.post(f"/cart/{sku.pk}/quantity/", {"quantity": bad}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, bad
        assert 'data-testid="cart-error"' in response.content.decode()
    assert client.session[SESSION_KEY] == {str(sku.pk): 4}
    assert client.post("/cart/12345/quantity/", {"quantity": "1"}).status_code == 404


def test_add_redirects_back_with_a_message(client, make_sku):
    sku = make_sku()
    response = client.post("/cart/add/", {"sku": sku.pk}, HTTP_REFERER="http://testserver/products/7/")
    assert response.status_code == 302 and response["Location"] == "http://testserver/products/7/"
    # A foreign referrer or next is not followed.
    # The message is made in the language of the request that adds.
    response = client.post(
        "/cart/add/", {"sku": sku.pk, "next": "https://evil.example/"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response["Location"] == "/cart/"
    page = client.get("/cart/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Added to your cart." in page.content.decode()


def test_add_with_htmx_answers_a_fragment(client, make_sku):
    sku = make_sku()
    response = client.post("/cart/add/", {"sku": sku.pk}, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["HX-Trigger"] == "cart-changed"
    assert "View cart (1)" in response.content.decode()
    refused = client.post("/cart/add/", {"sku": "0"}, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "not on sale" in refused.content.decode()


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize("case", ["inactive", "out_of_stock", "no_sku", "bad_quantity", "too_many"])
def test_a_refused_addition_is_a_400_page(client, make_sku, lang, case):
    sku = make_sku(active=case != "inactive", stock=0 if case == "out_of_stock" else 5)
    data = {"sku": "" if case == "no_sku" else sku.pk}
    if case == "bad_quantity":
        data["quantity"] = "two"
    if case == "too_many":
        data["quantity"] = "100"
    response = client.post("/cart/add/", data, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="cart-add-result"' in html
    if lang == "en":
        assert any(word in html for word in ("not on sale", "out of stock", "Enter a quantity"))
    assert SESSION_KEY not in client.session


def test_add_needs_post(client):
    assert client.get("/cart/add/").status_code == 405


def test_cart_count_tag(rf: RequestFactory, alice, make_sku):
    sku = make_sku(stock=9)
    services.cart_add(user=alice, session=None, sku_id=sku.pk, quantity=3)
    request = rf.get("/")
    request.user = alice
    request.session = {}
    html = Template("{% load cart_tags %}[{% cart_count %}]").render(Context({"request": request}))
    assert html == "[3]"
    request = rf.get("/")
    request.user = None
    request.session = {SESSION_KEY: {str(sku.pk): 2}}
    assert Template("{% load cart_tags %}{% cart_count %}").render(Context({"request": request})) == "2"
    assert Template("{% load cart_tags %}{% cart_count %}").render(Context({})) == "0"


def test_yuan():
    assert yuan(199900) == "¥1999.00" and yuan(5) == "¥0.05" and yuan(-150) == "-¥1.50"
    assert yuan("x") == "" and yuan(None) == ""


def test_one_way_to_write_an_amount():
    # The product card's price, the cart's and the order's come from the same function.
    from candor.cart.templatetags import cart_tags
    from candor.catalog.templatetags import catalog

    assert catalog.register.filters["yuan"] is cart_tags.register.filters["yuan"]
    assert Template("{% load catalog %}{{ 399900|yuan }}").render(Context({})) == "¥3999.00"
