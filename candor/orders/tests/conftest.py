"""Fixtures of the order tests.

--- Catalog, buyers' carts and merchants' staff (owner: the web and API tests) ---
Two merchants (X and Y) each with one member of staff, SKUs with stock made directly (the
catalog's own tests prove its services), and the API client. The helpers (recipient, cart,
placing a purchase) are in ``factories``.
"""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from candor.catalog.models import Category, Merchant, Product, Sku, Stock
from candor.orders.tests.factories import Api

_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _keys(fresh_keys):
    """Every test here gets its own key cache (the root conftest's ``fresh_keys``)."""


def _merchant(slug: str, name_zh: str, name_en: str, staff_name: str) -> Merchant:
    merchant = Merchant.objects.create(name_zh=name_zh, name_en=name_en, slug=slug)
    staff = get_user_model().objects.create_user(username=staff_name, password="x-very-long-password-1")
    # What the merchant staff role gives: "may ship" (and print the label).
    staff.user_permissions.add(
        Permission.objects.get(codename="add_shipment", content_type__app_label="fulfillment")
    )
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
