"""What keeps the listing fast stays correct: the top-level category each product carries
(root_category) follows creates, edits and moves of categories; deep pages found by id equal
the plain offset; the per-process copy of the category tree sees edits; the cards' markup
written by the template tag equals ``catalog/_card.html``."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from candor.catalog import selectors, services
from candor.catalog.models import Category, Product
from candor.catalog.templatetags.catalog import product_cards

pytestmark = pytest.mark.django_db


def ids(**kw) -> list[int]:
    return [c.id for c in selectors.product_page(selectors.listing_parse(**kw), lang="en").items]


def test_products_carry_their_top_level_category(shop):
    p = shop.products
    assert Product.objects.get(pk=p["mate"].pk).root_category_id == shop.root.pk
    assert Product.objects.get(pk=p["tea"].pk).root_category_id == shop.food.pk
    # a product moved to another tree leaves the old top-level listing and joins the new one
    services.product_update(product_id=p["case"].pk, category=shop.food)
    assert Product.objects.get(pk=p["case"].pk).root_category_id == shop.food.pk
    assert p["case"].pk not in ids(category="digital")
    assert p["case"].pk in ids(category="food")


def test_a_moved_category_takes_its_products_along(shop):
    p = shop.products
    shop.cases.parent = shop.food
    shop.cases.save()
    assert services.category_moved(category_id=shop.cases.pk) == 1
    assert set(ids(category="digital")) == {p["mate"].pk, p["iphone"].pk}
    assert set(ids(category="food")) == {p["tea"].pk, p["case"].pk}
    # made a top-level category itself
    shop.cases.parent = None
    shop.cases.save()
    services.category_moved(category_id=shop.cases.pk)
    assert Product.objects.get(pk=p["case"].pk).root_category_id == shop.cases.pk
    assert ids(category="phone-cases") == [p["case"].pk]


def test_moving_a_category_in_the_admin_moves_its_products(shop, rf):
    from types import SimpleNamespace

    from django.contrib import admin

    from candor.catalog.admin import CategoryAdmin

    c = shop.cases
    c.parent = shop.food
    CategoryAdmin(Category, admin.site).save_model(
        rf.post("/"), c, SimpleNamespace(changed_data=["parent"]), change=True
    )
    assert Category.objects.get(pk=c.pk).parent_id == shop.food.pk
    assert Product.objects.get(pk=shop.products["case"].pk).root_category_id == shop.food.pk


def test_a_middle_category_of_a_deeper_tree_lists_its_subtree(shop):
    p = shop.products
    apple = Category.objects.create(slug="apple", name_zh="苹果", name_en="Apple", parent=shop.phones)
    services.product_update(product_id=p["iphone"].pk, category=apple)
    assert Product.objects.get(pk=p["iphone"].pk).root_category_id == shop.root.pk
    assert set(ids(category="phones")) == {p["mate"].pk, p["iphone"].pk}
    assert set(ids(category="digital")) == {p["mate"].pk, p["iphone"].pk, p["case"].pk}
    assert ids(category="apple") == [p["iphone"].pk]


def test_deep_pages_equal_the_offset_in_every_order_and_filter(shop):
    for sort in selectors.SORTS:
        for kw in ({}, {"category": "digital"}, {"category": "phones"}, {"merchant": "shuma"}):
            full = ids(sort=sort, page_size=60, **kw)
            for page in (2, 3):
                expected = full[(page - 1) * 2 : page * 2]
                assert ids(sort=sort, page=page, page_size=2, **kw) == expected, (sort, kw)


def test_the_process_copy_of_the_category_tree_follows_edits(shop):
    first = selectors.reference()
    assert selectors.reference() is first  # no unpickling per call
    Category.objects.create(slug="toys", name_zh="玩具", name_en="Toys")  # dropped on write
    assert "toys" in selectors.reference().category_by_slug
    # another process's edit (or a cleared cache): the shared token is gone; seen at once
    from django.core.cache import cache

    Category.objects.filter(slug="toys").update(name_en="Toys and games")  # no signal
    assert selectors.reference().categories[Category.objects.get(slug="toys").pk].name_en == "Toys"
    cache.clear()
    assert selectors.reference().categories[Category.objects.get(slug="toys").pk].name_en == "Toys and games"


def test_a_request_checks_the_shared_token_once_and_the_next_one_sees_edits(shop, client, monkeypatch):
    from django.core.cache import cache

    from candor.catalog import reference

    reads: list[str] = []
    real_get = cache.get

    def counting_get(key, *args, **kwargs):  # type: ignore[no-untyped-def]
        reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counting_get)
    client.get("/products/c/phones/")  # fills the copy
    reads.clear()
    assert client.get("/products/c/phones/").status_code == 200
    assert reads.count(reference._VERSION_KEY) == 1  # the page asks for the reference 4 times
    # outside a request every call checks
    reads.clear()
    selectors.reference(), selectors.reference()
    assert reads.count(reference._VERSION_KEY) == 2
    # another process's edit (no signal here, its token gone from the shared cache): the next
    # request shows it
    Category.objects.filter(slug="phones").update(name_en="Mobile phones")
    cache.delete(reference._VERSION_KEY)
    html = client.get("/products/c/phones/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Mobile phones</h1>" in html


def test_card_tag_writes_the_same_markup_as_the_card_template(shop):
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            cards = selectors.product_page(selectors.listing_parse(page_size=60), lang=lang).items
            cards.append(
                selectors.Card(
                    id=9, name='<b>"x"</b>', subtitle="", brand="", price_fen=1, price="¥0.01", sales_count=1,
                    is_service=True, merchant_slug="m", merchant_name="<i>", merchant_kind="self",
                    image_url='/a.png?"', image_alt="<alt>",
                )
            )  # fmt: skip
            expected = "".join(render_to_string("catalog/_card.html", {"card": c}) for c in cards)
            assert str(product_cards(cards)).split() == expected.split()
            assert cards[0].url == f"/products/{cards[0].id}/"
            assert cards[0].merchant_url.startswith("/products/m/")
            assert cards[-1].merchant_url == "/products/m/m/"
