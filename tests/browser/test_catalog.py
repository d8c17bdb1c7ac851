"""Issue #5 in real Chromium: search 手机 and see phones and phone cases, search shouji for the
same, sort by sales and by price, open a product, add it to the cart, favorite it, follow the
merchant, see and clear the search history — in Chinese, then the same in English."""

from __future__ import annotations

import pytest

from candor.accounts.models import User
from candor.cart.models import CartItem
from candor.catalog import services as catalog
from candor.catalog.models import Category, Merchant
from candor.search.models import SearchHistory
from candor.social.models import Favorite, Follow

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Correct-horse-42"
# (zh name, en name, price in fen, sales)
PRODUCTS = [
    ("华为 Mate 60 Pro 手机", "Huawei Mate 60 Pro phone", 699_900, 50),
    ("小米 14 手机", "Xiaomi 14 phone", 399_900, 80),
    ("苹果手机壳 硅胶", "Silicone phone case for iPhone", 9_900, 200),
    ("手机膜 钢化", "Tempered phone screen protector", 1_900, 10),
    ("电饭煲 4 升", "Rice cooker 4 L", 29_900, 30),
]
WORDS = {
    "zh-CN": {"query": "手机", "cleared": "搜索记录"},
    "en-US": {"query": "phone", "cleared": "Search history"},
}


@pytest.fixture
def shop(db):
    merchant = Merchant.objects.create(
        name_zh="坦诚自营", name_en="Candor Self-operated", kind="self", slug="candor"
    )
    phones = Category.objects.create(name_zh="手机", name_en="Phones", slug="phones")
    for position, (zh, en, price, sales) in enumerate(PRODUCTS):
        product = catalog.product_create(
            merchant=merchant,
            category=phones,
            name_zh=zh,
            name_en=en,
            brand=en.split()[0],
            skus=[{"code": f"SKU-{position}", "price_fen": price}],
        )
        catalog.product_sales_add(product_id=product.pk, quantity=sales)
        catalog.stock_set(sku_id=product.skus.get().pk, warehouse="hz", quantity=50)
    return merchant


def _names(page) -> list[str]:
    return [name.inner_text() for name in page.get_by_test_id("result-name").all()]


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_search_sort_cart_favorite_follow_and_history(browser, live_server, shop, artifact_dir, locale):
    user = User.objects.create_user(username=f"shopper-{locale}", password=PASSWORD)
    context = browser.new_context(
        locale=locale, base_url=live_server.url, viewport={"width": 390, "height": 844}
    )
    problems: list[str] = []
    page = context.new_page()
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto("/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("[data-testid=login-form] button[type=submit]").click()
    page.wait_for_url("**/me/")

    # Search from the header: phones and phone cases, ranked, and not the rice cooker.
    word = WORDS[locale]["query"]
    page.get_by_test_id("header-search").fill(word)
    page.get_by_test_id("header-search").press("Enter")
    page.get_by_test_id("result-card").first.wait_for()
    found = _names(page)
    assert len(found) == 4 and not any("电饭煲" in n or "Rice" in n for n in found), found
    assert page.locator("[data-testid=result-name] mark").count() >= 1  # the match is highlighted
    page.screenshot(path=str(artifact_dir / f"search-{locale}.png"), full_page=True)

    if locale == "zh-CN":  # pinyin finds the same
        page.goto("/search/?q=shouji")
        assert sorted(_names(page)) == sorted(found)

    page.get_by_test_id("sort-sales").click()
    page.wait_for_url("**sort=sales**")
    by_sales = _names(page)
    assert "壳" in by_sales[0] or "case" in by_sales[0]  # 200 sold
    page.get_by_test_id("sort-price-asc").click()
    page.wait_for_url("**sort=price_asc**")
    prices = [
        int(p.inner_text().replace("¥", "").replace(",", "").split(".")[0])
        for p in page.get_by_test_id("product-price").all()
    ]
    assert prices == sorted(prices)

    # Open the Huawei phone: cart, favorite, follow the merchant.
    page.locator("[data-testid=result-card] a.product-link").filter(has_text="Mate").click()
    page.get_by_test_id("product-detail").wait_for()
    page.get_by_test_id("add-to-cart").click()
    page.wait_for_load_state()
    page.get_by_test_id("favorite").click()
    page.wait_for_load_state()
    page.get_by_test_id("follow-merchant").click()
    page.wait_for_load_state()
    assert CartItem.objects.filter(user=user).count() == 1
    assert Favorite.objects.filter(user=user).count() == 1
    assert Follow.objects.filter(user=user, merchant=shop).count() == 1
    page.goto("/cart/")
    assert page.get_by_test_id("cart-line").count() == 1

    # The search history shows the searches and clears for real.
    page.goto("/search/")
    page.get_by_test_id("history-item").first.wait_for()
    assert SearchHistory.objects.filter(user=user).exists()
    page.get_by_test_id("history-clear").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("history-item").count() == 0
    assert not SearchHistory.objects.filter(user=user).exists()
    context.close()
    assert not problems, problems
