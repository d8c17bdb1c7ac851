"""What the list's fast paths must keep true (issue #5's speed work):

- the list operation answers JSON written without ninja's response validation
  (``json_answer``): the real answer must still be exactly the schema it declares in OpenAPI
  — every field, no other, each of its type (search: ``candor/search/tests/test_api_shape.py``);
- the list's statements are written as SQL (``listing_sql``): for every filter shape and order
  they must list the same products as the querysets of ``selectors._products``;
- nothing on a list is kept across requests: a changed price, name or stock, or a product
  taken off sale, shows on the very next page and answer;
- ``query_with`` (the sort tabs' and pager's links) encodes like ``QueryDict.urlencode``.
"""

from __future__ import annotations

import json

import pytest
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import translation

from candor.catalog import generate, selectors, services
from candor.catalog.api import PageOut, ProductCardOut
from candor.catalog.models import Merchant, Product, ProductImage, Sku
from candor.catalog.templatetags.catalog import query_with
from tests.json_api import exactly

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_list_answer_is_exactly_its_schema(shop, api_client, lang):
    response = api_client.call("get", "/products?sort=price_asc&page_size=3", lang=lang)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    exactly(PageOut, body)
    assert len(body["items"]) == 3 and body["has_next"] is True and body["total"] == 5
    case = body["items"][0]
    p = shop.products["case"]
    assert case == {
        "id": p.pk,
        "name": p.name_zh if lang == "zh-hans" else p.name_en,
        "subtitle": "",
        "brand": "",
        "price_fen": 3990,
        "price": "¥39.90",
        "sales_count": 500,
        "is_service": False,
        "merchant": "shuma",
        "merchant_name": "数码港" if lang == "zh-hans" else "Digital Harbour",
        "image_url": "",
    }
    repair = api_client.call("get", "/products?is_service=true", lang=lang).json()["items"]
    assert [i["is_service"] for i in repair] == [True]  # a bool, on SQLite too (stored as 0/1)


def test_openapi_still_declares_the_answers(client):
    spec = client.get("/api/openapi.json").json()

    def schema_of(path: str) -> str:
        content = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        return content["schema"]["$ref"].rsplit("/", 1)[1]

    assert schema_of("/api/v1/products") == "PageOut"
    schemas = spec["components"]["schemas"]
    card = schemas["PageOut"]["properties"]["items"]["items"]["$ref"].rsplit("/", 1)[1]
    # the catalog's card, not a same-named schema of another app
    assert set(schemas[card]["properties"]) == set(ProductCardOut.model_fields)


@pytest.fixture
def catalog_1100(db):
    return generate.products_generate(count=1100, seed=3)


def test_the_sql_lists_what_the_querysets_list(catalog_1100):
    """Every way ``listing_sql.where`` writes a filter (a leaf, a top-level and a middle
    category, a shop, a closed shop, prices, services) in every order, on the first page and a
    deep one, against the ORM's querysets."""
    ref = selectors.reference()
    roots = ref.children[None]
    middle = next((c for c in ref.categories.values() if c.parent_id and ref.children.get(c.id)), None)
    leaf = next(c for c in ref.categories.values() if not ref.children.get(c.id))
    merchant = next(iter(ref.merchants.values()))
    shapes = [
        {},
        {"category": leaf.slug},
        {"category": ref.categories[roots[0]].slug},
        {"merchant": merchant.slug, "price_min": 1000, "price_max": 500000},
        {"is_service": "false", "price_min": 5000},
        {"is_service": "true"},
    ]
    if middle is not None:
        shapes.append({"category": middle.slug})
    # A closed shop: its products leave every listing.
    closed = list(ref.merchants.values())[-1]
    Merchant.objects.filter(pk=closed.id).update(is_active=False)
    selectors.reference_changed()
    for shape in shapes:
        for sort, order in selectors.SORTS.items():
            listing = selectors.listing_parse(sort=sort, page_size=7, **shape)
            expected = list(selectors._products(listing).order_by(*order).values_list("id", flat=True))
            assert closed.id not in set(
                Product.objects.filter(pk__in=expected).values_list("merchant_id", flat=True)
            )
            for page in (1, 3, 40):
                parsed = selectors.listing_parse(sort=sort, page=page, page_size=7, **shape)
                got = selectors.product_page(parsed, lang="en")
                start = (page - 1) * 7
                assert [c.id for c in got.items] == expected[start : start + 7], (shape, sort, page)
                assert got.has_next == (len(expected) > start + 7)
                if got.total_exact:
                    assert got.total == len(expected)
                else:
                    assert len(expected) >= selectors.COUNT_CAP


def test_cards_hold_the_first_image_and_the_shops_name(shop):
    p = shop.products["tea"]
    ProductImage.objects.create(product=p, image_url="/b.jpg", position=2, alt_zh="乙", alt_en="B")
    ProductImage.objects.create(product=p, image_url="/a.jpg", position=1, alt_zh="甲", alt_en="")
    with translation.override("en"):
        page = selectors.product_page(selectors.listing_parse(), lang="en")
        card = next(c for c in page.items if c.id == p.pk)
        assert (card.image_url, card.image_alt) == ("/a.jpg", "甲")  # no English alt: the Chinese one
        assert card.merchant_name == "Candor Official" and card.merchant_kind == "self"
        assert card.url == f"/products/{p.pk}/" and card.merchant_url == "/products/m/candor-self/"
        assert card.sold == "20 sold" and card.price == "¥128.00"
    with translation.override("zh-hans"):  # the page-only texts are the reader's language's
        assert card.sold == "已售 20"


def test_a_change_shows_on_the_next_page_and_answer(shop, client, api_client):
    """Nothing of a card outlives a request: price, name, sales, taking off sale. (A card
    shows no stock; the product's page reads it afresh.)"""
    p = shop.products["tea"]

    def api_item() -> dict | None:
        items = api_client.call("get", "/products?category=food", lang="en").json()["items"]
        return next((i for i in items if i["id"] == p.pk), None)

    def page() -> str:
        return client.get("/products/c/food/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert api_item()["price"] == "¥128.00" and "¥128.00" in page()
    sku = Sku.objects.get(product=p)
    services.sku_save(product_id=p.pk, code=sku.code, price_fen=9900, options=sku.options)
    assert api_item()["price"] == "¥99.00" and api_item()["price_fen"] == 9900
    assert "¥99.00" in page() and "¥128.00" not in page()
    services.product_update(product_id=p.pk, name_en="Spring Longjing")
    assert api_item()["name"] == "Spring Longjing" and "Spring Longjing" in page()
    services.product_sales_add(product_id=p.pk, quantity=57)  # an UPDATE: updated_at stays
    assert api_item()["sales_count"] == 77 and "77 sold" in page()
    services.product_deactivate(product_id=p.pk)
    assert api_item() is None and "Spring Longjing" not in page()


@pytest.mark.parametrize(
    ("query", "changes"),
    [
        ("", {"sort": "price_asc"}),
        ("sort=sales&page=3&price_min=1", {"sort": "newest"}),
        ("q=%E6%89%8B%E6%9C%BA&page=2&tag=a&tag=b", {"page": 3}),
        ("page=2&category=phones", {"category": ""}),
        ("a=1&b=%20x&a=2", {"page": None, "b": "y&z"}),
    ],
)
def test_query_with_encodes_like_querydict(query, changes):
    request = RequestFactory().get(f"/products/?{query}")
    expected = QueryDict(query, mutable=True)
    if "page" not in changes:
        expected.pop("page", None)
    for key, value in changes.items():
        if value in (None, ""):
            expected.pop(key, None)
        else:
            expected[key] = value
    encoded = expected.urlencode()
    assert query_with(request, **changes) == (f"?{encoded}" if encoded else "?")


def test_the_answer_is_utf8_json_of_the_same_values():
    from candor.catalog import json_answer

    data = {"name": '苹果 <iPhone> "15" \\ 手机\n', "n": 3, "ok": True, "none": None, "items": [{"a": -1}]}
    answer = json_answer.json_response(data)
    assert json.loads(answer.content) == data
    assert "苹果".encode() in answer.content  # UTF-8, not \u escapes
    assert answer["Content-Type"] == "application/json; charset=utf-8"
