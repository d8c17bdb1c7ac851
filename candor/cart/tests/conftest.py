"""A small catalog for the cart tests: one merchant, one category, products with SKUs and
stock made directly (the catalog's own tests prove its services)."""

from __future__ import annotations

import itertools

import pytest

from candor.catalog.models import Category, Merchant, Product, Sku, Stock
from tests.json_api import Api

PASSWORD = "x-very-long-password-1"  # the root conftest's alice and bob
_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def _keys(fresh_keys):
    """Every test here gets its own key cache (the root conftest's ``fresh_keys``)."""


@pytest.fixture
def shop(db):
    merchant = Merchant.objects.create(
        name_zh="坦诚自营", name_en="Candor Direct", kind="self", slug="direct"
    )
    category = Category.objects.create(name_zh="手机", name_en="Phones", slug="phones")
    return merchant, category


@pytest.fixture
def make_sku(shop):
    merchant, category = shop

    def make(
        *,
        price_fen=199900,
        stock=5,
        active=True,
        product_active=True,
        name_zh="华为手机",
        name_en="Huawei phone",
    ):
        n = next(_serial)
        product = Product.objects.create(
            merchant=merchant, category=category, name_zh=f"{name_zh}{n}", name_en=f"{name_en} {n}",
            price_fen=price_fen, is_active=product_active,
        )  # fmt: skip
        sku = Sku.objects.create(
            product=product, code=f"SKU-{n}", options={"colour": "黑"}, price_fen=price_fen, is_active=active
        )
        if stock is not None:
            Stock.objects.create(sku=sku, warehouse="WH-SH", region="上海", quantity=stock)
        return sku

    return make


@pytest.fixture
def api(client):
    return Api(client)
