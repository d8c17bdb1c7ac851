"""Fixtures of the cookies tests: the sync middleware switched on (as settings will have it),
a product to put in the cart, and helpers to read the cookies a response sets."""

from __future__ import annotations

import re

import pytest

from candor.catalog.models import Category, Merchant, Product, Sku, Stock
from candor.cookies import jar

MIDDLEWARE = "candor.cookies.middleware.ConsentCookieMiddleware"
PASSWORD = "x-very-long-password-1"  # the root conftest's alice and bob


@pytest.fixture(autouse=True)
def _cookie_middleware(settings):
    """After the lead adds the middleware to settings this changes nothing."""
    if MIDDLEWARE not in settings.MIDDLEWARE:
        auth = settings.MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
        settings.MIDDLEWARE = [*settings.MIDDLEWARE[: auth + 1], MIDDLEWARE, *settings.MIDDLEWARE[auth + 1 :]]


@pytest.fixture(autouse=True)
def _keys(fresh_keys):
    """Every test gets its own key cache (the root conftest's ``fresh_keys``)."""


@pytest.fixture
def sku(db):
    merchant = Merchant.objects.create(
        name_zh="坦诚自营", name_en="Candor Direct", kind="self", slug="direct"
    )
    category = Category.objects.create(name_zh="手机", name_en="Phones", slug="phones")
    product = Product.objects.create(
        merchant=merchant, category=category, name_zh="手机", name_en="Phone", price_fen=1999
    )
    item = Sku.objects.create(product=product, code="SKU-1", options={}, price_fen=1999)
    Stock.objects.create(sku=item, warehouse="WH-SH", region="上海", quantity=9)
    return item


def set_cookies(response) -> dict[str, str]:
    """The cookies a response sets (name -> value), without the ones it deletes."""
    return {
        name: morsel.value
        for name, morsel in response.cookies.items()
        if morsel.value and str(morsel["max-age"]) != "0"
    }


def deleted_cookies(response) -> set[str]:
    return {name for name, morsel in response.cookies.items() if str(morsel["max-age"]) == "0"}


def accept(client, analytics: bool = True, page: str = "/", **extra):
    response = client.post(
        "/cookies/consent/", {"analytics": "1" if analytics else "0", "next": page}, **extra
    )
    assert response.status_code == 302, response.content
    assert response["Location"] == page, "the choice was not taken (redirected elsewhere)"
    return response


def beacon(client, path: str = "/", referrer: str = "", **extra):
    return client.post("/cookies/beacon/", {"path": path, "referrer": referrer}, **extra)


def aid_of(client) -> str:
    value = client.cookies[jar.AID_COOKIE].value if jar.AID_COOKIE in client.cookies else ""
    return value if re.fullmatch(r"[0-9a-f]{32}", value) else ""
