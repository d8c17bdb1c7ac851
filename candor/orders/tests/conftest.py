"""Fixtures of the order tests.

--- Catalog, buyers' carts and merchants' staff (owner: the web and API tests) ---
Two merchants (X and Y) each with one member of staff, SKUs with stock made directly (the
catalog's own tests prove its services), a valid recipient, and helpers to fill a cart and to
place a purchase through the checkout.
"""

from __future__ import annotations

import itertools
import json
import secrets

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from candor.cart.models import CartItem
from candor.catalog.models import Category, Merchant, Product, Sku, Stock
from candor.orders.checkout import CheckoutForm, ClientSignals, purchase_place

_serial = itertools.count(1)

RECIPIENT = {
    "recipient_name": "张三",
    "mobile": "13812348000",
    "province": "浙江省",
    "city": "杭州市",
    "district": "西湖区",
    "detail": "文三路1号5幢301室",
}
ID_NUMBER = "11010519491231002X"  # the check digit is right (GB 11643's own example)
IMEI = "490154203237518"  # Luhn-valid


@pytest.fixture(autouse=True)
def _keys(fresh_keys):
    """Every test here gets its own key cache (the root conftest's ``fresh_keys``)."""


def _merchant(slug: str, name_zh: str, name_en: str, staff_name: str) -> Merchant:
    merchant = Merchant.objects.create(name_zh=name_zh, name_en=name_en, slug=slug)
    staff = get_user_model().objects.create_user(username=staff_name, password="x-very-long-password-1")
    merchant.staff.add(staff)
    return merchant


@pytest.fixture
def merchant_x(db):
    return _merchant("shop-x", "X商店", "Shop X", "xavier")


@pytest.fixture
def merchant_y(db):
    return _merchant("shop-y", "Y商店", "Shop Y", "yvonne")


@pytest.fixture
def category(db):
    return Category.objects.create(name_zh="手机", name_en="Phones", slug="phones")


@pytest.fixture
def make_sku(merchant_x, category):
    def make(*, merchant=None, price_fen=19900, stock=5, special="", active=True, name="手机"):
        n = next(_serial)
        product = Product.objects.create(
            merchant=merchant or merchant_x, category=category, name_zh=f"{name}{n}", name_en=f"Phone {n}",
            price_fen=price_fen, special=special,
        )  # fmt: skip
        sku = Sku.objects.create(
            product=product, code=f"ORD-{n}", options={"colour": "黑"}, price_fen=price_fen, is_active=active
        )
        if stock is not None:
            Stock.objects.create(sku=sku, warehouse="WH-HZ", region="浙江", quantity=stock)
        return sku

    return make


def stock_of(sku: Sku) -> int:
    return sum(Stock.objects.filter(sku=sku).values_list("quantity", flat=True))


def fill_cart(user, *pairs) -> None:
    """``fill_cart(alice, (sku, 2), (other, 1))``: the member's cart, as the cart app keeps it."""
    for sku, quantity in pairs:
        CartItem.objects.create(user=user, sku=sku, quantity=quantity)


def place(user, *, method="cod", lines=None, key=None, **fields):
    """A purchase placed through the checkout itself (what the API and the page call)."""
    form = CheckoutForm(payment_method=method, recipient=RECIPIENT, lines=lines, **fields)
    purchase, _created = purchase_place(
        user=user, idempotency_key=key or secrets.token_urlsafe(12), form=form,
        client=ClientSignals(ip="203.0.113.9", device="pytest"),
    )  # fmt: skip
    return purchase


def new_key() -> str:
    return secrets.token_urlsafe(12)


class Api:
    """JSON to /api/v1 with a language and, for POST /orders, an idempotency key."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def call(self, method: str, path: str, data=None, lang: str = "en", **extra):
        return self.client.generic(
            method.upper(),
            f"/api/v1{path}",
            data=data if data is None or isinstance(data, str | bytes) else json.dumps(data),
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE=lang,
            **extra,
        )

    def order(self, data, *, key=None, lang="en"):
        return self.call("post", "/orders", data, lang=lang, HTTP_IDEMPOTENCY_KEY=key or new_key())


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def staff_x(merchant_x):
    return merchant_x.staff.get()


@pytest.fixture
def staff_y(merchant_y):
    return merchant_y.staff.get()


# --- end of the web and API tests' fixtures ---
