"""A small bilingual shop for the search tests, created through the catalog's services so the
index is filled the way production fills it (after commit)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from candor.catalog import selectors as catalog_selectors
from candor.catalog import services as catalog_services
from candor.catalog.models import Category, Merchant, Product


@dataclass
class Shop:
    digital: Category
    phones: Category
    accessories: Category
    appliances: Category
    food: Category
    self_shop: Merchant
    third_shop: Merchant
    p: dict[str, Product]


def make_product(
    *, merchant, category, name_zh, name_en="", brand="", price_fen=100, sales=0, subtitle_zh=""
):
    product = catalog_services.product_create(
        merchant=merchant,
        category=category,
        name_zh=name_zh,
        name_en=name_en,
        brand=brand,
        subtitle_zh=subtitle_zh,
        skus=[{"code": f"sku-{name_en or name_zh}-{price_fen}-{sales}"[:64], "price_fen": price_fen}],
    )
    Product.objects.filter(pk=product.pk).update(sales_count=sales)
    product.refresh_from_db()
    return product


@pytest.fixture
def shop(db, django_capture_on_commit_callbacks) -> Shop:
    catalog_selectors.reference_changed()
    digital = Category.objects.create(name_zh="数码", name_en="Digital", slug="digital", position=1)
    phones = Category.objects.create(parent=digital, name_zh="手机", name_en="Phones", slug="phones")
    accessories = Category.objects.create(
        parent=digital, name_zh="手机配件", name_en="Accessories", slug="acc"
    )
    appliances = Category.objects.create(name_zh="家电", name_en="Appliances", slug="appliances", position=2)
    food = Category.objects.create(name_zh="食品", name_en="Food", slug="food", position=3)
    self_shop = Merchant.objects.create(name_zh="坎德自营", name_en="Candor", slug="candor", kind="self")
    third_shop = Merchant.objects.create(name_zh="数码小店", name_en="Gadget Shop", slug="gadgets")
    catalog_selectors.reference_changed()
    spec = {
        "mate": (self_shop, phones, "华为 Mate 60 Pro 手机", "HUAWEI Mate 60 Pro Phone", "华为", 599900, 500),
        "iphone": (
            self_shop,
            phones,
            "苹果 iPhone 15 手机",
            "Apple iPhone 15 Smartphone",
            "苹果",
            699900,
            800,
        ),
        "case": (
            third_shop,
            accessories,
            "苹果手机壳 透明防摔",
            "Clear Phone Case for iPhone 15",
            "倍思",
            3900,
            2000,
        ),
        "hwcase": (third_shop, accessories, "华为手机壳", "HUAWEI Phone Case", "华为", 2900, 100),
        "watch": (self_shop, digital, "小米智能手表", "Xiaomi Smart Watch", "小米", 49900, 300),
        "cooker": (self_shop, appliances, "美的电饭煲", "Midea Rice Cooker", "美的", 29900, 50),
    }
    products = {}
    with django_capture_on_commit_callbacks(execute=True):
        for key, (merchant, category, zh, en, brand, price, sales) in spec.items():
            products[key] = make_product(
                merchant=merchant,
                category=category,
                name_zh=zh,
                name_en=en,
                brand=brand,
                price_fen=price,
                sales=sales,
            )
        products["fruit"] = make_product(
            merchant=self_shop, category=food, name_zh="水果礼盒", name_en="Fruit Gift Box", brand="鲜丰",
            price_fen=9900, sales=5000, subtitle_zh="含红富士苹果",
        )  # fmt: skip
    return Shop(digital, phones, accessories, appliances, food, self_shop, third_shop, products)
