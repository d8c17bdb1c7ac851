from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from candor.catalog import services
from candor.catalog.models import Category, Merchant, Product


@pytest.fixture(autouse=True)
def _fresh(fresh_keys):
    """Own key cache per test, and no cached categories from another test's database."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class Shop:
    root: Category
    phones: Category
    cases: Category
    food: Category
    own: Merchant
    other: Merchant
    products: dict[str, Product]


def _product(merchant, category, name_zh, name_en, prices, *, sales=0, days_old=0, service=False, code=None):
    product = services.product_create(
        merchant=merchant,
        category=category,
        name_zh=name_zh,
        name_en=name_en,
        is_service=service,
        skus=[
            {"code": f"{code or name_en}-{i}", "price_fen": p, "options": {"颜色": f"c{i}"}}
            for i, p in enumerate(prices)
        ],
    )
    Product.objects.filter(pk=product.pk).update(
        sales_count=sales, created_at=timezone.now() - timedelta(days=days_old)
    )
    product.refresh_from_db()
    return product


@pytest.fixture
def shop(db) -> Shop:
    root = Category.objects.create(slug="digital", name_zh="手机数码", name_en="Digital", position=0)
    phones = Category.objects.create(slug="phones", name_zh="手机", name_en="Phones", parent=root, position=1)
    cases = Category.objects.create(
        slug="phone-cases", name_zh="手机壳", name_en="Phone cases", parent=root, position=2
    )
    food = Category.objects.create(slug="food", name_zh="食品", name_en="Food", position=3)
    svc = Category.objects.create(slug="services", name_zh="服务", name_en="Services", position=4)
    own = Merchant.objects.create(
        slug="candor-self", name_zh="Candor 自营", name_en="Candor Official", kind="self"
    )
    other = Merchant.objects.create(slug="shuma", name_zh="数码港", name_en="Digital Harbour")
    p = {
        "mate": _product(
            own, phones, "华为 Mate 60 手机", "HUAWEI Mate 60 phone", [599900, 699900], sales=50, days_old=10
        ),
        "iphone": _product(
            other, phones, "苹果 iPhone 15 手机", "Apple iPhone 15 phone", [599800], sales=80, days_old=30
        ),
        "case": _product(
            other, cases, "苹果手机壳 硅胶", "Apple silicone phone case", [3990], sales=500, days_old=5
        ),
        "tea": _product(own, food, "西湖龙井 茶叶", "West Lake Longjing tea", [12800], sales=20, days_old=1),
        "repair": _product(
            own, svc, "手机维修服务", "Phone repair", [9900], sales=1, days_old=2, service=True
        ),
    }
    return Shop(root, phones, cases, food, own, other, p)
