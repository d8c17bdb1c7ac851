"""The demo catalog loads bilingual, over every category, with phones and phone cases
of the big brands, and services; it loads only once."""

from __future__ import annotations

import io

import pytest

from candor.catalog import demo_data, generate, selectors
from candor.catalog.models import BrowsingHistory, Merchant, Product, Sku, Stock

pytestmark = pytest.mark.django_db


def test_demo_data_loads_once_with_each_kind_of_special_goods():
    out = io.StringIO()
    demo_data.load(out)
    assert Product.objects.count() == demo_data.DEMO_PRODUCTS + len(demo_data.SPECIAL)
    # C000-04/05/06: one product of each kind whose order asks for more than an address.
    assert set(Product.objects.exclude(special="").values_list("special", flat=True)) == {
        "phone_card",
        "home_customization",
        "phone_insurance",
    }
    assert Merchant.objects.filter(kind="self").count() == 1 and Merchant.objects.count() >= 5
    for word in ("华为", "小米", "苹果"):
        assert Product.objects.filter(category__slug="phones", name_zh__contains=word).exists(), word
        assert Product.objects.filter(category__slug="phone-cases", name_zh__contains=word).exists(), word
    assert Product.objects.filter(category__slug="screen-protectors").exists()
    assert Product.objects.filter(is_service=True).exists()
    assert not Product.objects.filter(name_en="").exists()
    assert Sku.objects.count() > Product.objects.count() and Stock.objects.exists()
    # each product's price is its lowest active SKU price
    for product in Product.objects.order_by("?")[:50]:
        assert product.price_fen == min(
            product.skus.filter(is_active=True).values_list("price_fen", flat=True)
        )
    page = selectors.product_page(
        selectors.listing_parse(category="phones-digital", sort="newest"), lang="en"
    )
    assert page.has_next and len(page.items) == 20
    demo_data.load(out)
    assert Product.objects.count() == demo_data.DEMO_PRODUCTS + len(demo_data.SPECIAL)  # not loaded twice


def test_generator_is_deterministic_and_makes_users_and_history():
    first = generate.products_generate(count=200, seed=7)
    names = list(Product.objects.filter(pk__in=first).order_by("pk").values_list("name_zh", "price_fen"))
    Product.objects.all().delete()
    second = generate.products_generate(count=200, seed=7)
    assert (
        list(Product.objects.filter(pk__in=second).order_by("pk").values_list("name_zh", "price_fen"))
        == names
    )
    users = generate.users_generate(count=30)
    assert len(users) == 30
    assert generate.history_generate(user_ids=users, product_ids=second, per_user=5) == 150
    assert BrowsingHistory.objects.count() == 150
