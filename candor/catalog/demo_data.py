"""Demo catalog for ``make run``: seven merchants (one self-operated), a two-level category
tree over phones, computers, appliances, home, food and services, and a few thousand bilingual
products with SKUs and stock — made deterministically from word lists (see generate.py)."""

from __future__ import annotations

from typing import TextIO

from candor.catalog import generate, services
from candor.catalog.models import Category, Merchant, Product

DEMO_PRODUCTS = 3000

# Goods whose order asks for more than an address (C000-04/05/06), one of each kind.
SPECIAL = [
    ("phone_card", "candor-self", "phones",
     "Candor 5G 手机卡 月租39元", "Candor 5G SIM card, ¥39 a month", False, 3900,
     "需实名登记：下单时填写机主姓名与身份证号。",
     "Real-name registration: enter the holder's name and ID number."),
    ("home_customization", "shenghuo-jia", "installation",
     "全屋定制 设计上门量尺", "Whole-house customization: home visit and design", True, 19900,
     "设计师需了解户型、房屋状态与预算。",
     "The designer needs the layout, the state of the house and the budget."),
    ("phone_insurance", "anxin-fuwu", "phone-repair",
     "手机碎屏保障 一年", "Phone screen insurance, one year", True, 9900,
     "保障一部手机，下单时填写 IMEI。", "Covers one handset: enter its IMEI when ordering."),
]  # fmt: skip


def load(stdout: TextIO) -> None:
    if Product.objects.exists():
        return
    ids = generate.products_generate(count=DEMO_PRODUCTS, seed=5)
    for kind, merchant, category, name_zh, name_en, is_service, price, about_zh, about_en in SPECIAL:
        product = services.product_create(
            merchant=Merchant.objects.get(slug=merchant), category=Category.objects.get(slug=category),
            name_zh=name_zh, name_en=name_en, description_zh=about_zh, description_en=about_en,
            is_service=is_service, special=kind, skus=[{"code": f"SPECIAL-{kind}", "price_fen": price}],
        )  # fmt: skip
        if not is_service:
            services.stock_set(sku_id=product.skus.get().pk, warehouse="北京仓", quantity=1000, region="华北")
    stdout.write(f"Catalog: {len(ids) + len(SPECIAL)} products from {len(generate.MERCHANTS)} merchants.\n")
