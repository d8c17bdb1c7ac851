"""Search: compound recall, pinyin, English, ranking, filters, orders, highlighting, bad input
and the index following product edits (issue #5)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from candor.catalog import services as catalog_services
from candor.catalog.models import Product
from candor.search import index, selectors, text
from candor.search.backends import backend_for


def ids(q: str, **kw) -> list[int]:
    return [h.card.id for h in selectors.search(q=q, lang="zh-hans", **kw).items]


def test_segmenter_splits_compounds_in_search_mode():
    assert "手机" in text.tokens("苹果手机壳")
    assert {"华为", "手机"} <= set(text.tokens("华为Mate60Pro手机"))
    assert [t.text for t in text.query_terms("华为手机")] == ["华为", "手机"]
    doc = text.document(name_zh="苹果手机壳", name_en="", brand="")
    assert "shoujike" in doc.py.split() and "sjk" in doc.pyi.split()


def test_phone_finds_phones_and_phone_cases(shop):
    found = ids("手机")
    p = shop.p
    assert {p["mate"].pk, p["iphone"].pk, p["case"].pk, p["hwcase"].pk} <= set(found)
    assert p["watch"].pk not in found and p["cooker"].pk not in found


def test_huawei_phone_finds_the_mate(shop):
    found = ids("华为手机")
    assert shop.p["mate"].pk in found
    assert shop.p["hwcase"].pk in found
    assert shop.p["iphone"].pk not in found


def test_phone_case_query_finds_only_cases(shop):
    assert set(ids("手机壳")) == {shop.p["case"].pk, shop.p["hwcase"].pk}


@pytest.mark.parametrize("q", ["shouji", "sj", "shou ji", "SHOUJI", "ｓｈｏｕｊｉ"])
def test_pinyin_and_initials_find_phone(shop, q):
    assert set(ids(q)) >= {shop.p["mate"].pk, shop.p["iphone"].pk, shop.p["case"].pk, shop.p["hwcase"].pk}
    assert shop.p["cooker"].pk not in ids(q)


def test_pinyin_of_a_longer_phrase(shop):
    assert ids("pingguoshouji") == [shop.p["case"].pk]
    assert shop.p["cooker"].pk in ids("dianfanbao")
    assert shop.p["cooker"].pk in ids("dfb")


def test_english_search(shop):
    assert set(ids("phone case")) == {shop.p["case"].pk, shop.p["hwcase"].pk}
    assert ids("rice cooker") == [shop.p["cooker"].pk]
    assert shop.p["iphone"].pk in ids("smartphones")
    assert ids("iphone 15", sort="sales")[:2] == [shop.p["case"].pk, shop.p["iphone"].pk]


def test_single_character_finds_it_inside_words(shop):
    assert set(ids("壳")) == {shop.p["case"].pk, shop.p["hwcase"].pk}


def test_ranking_name_match_before_subtitle_match(shop):
    found = ids("苹果")
    # The fruit box sells most but says 苹果 only in its subtitle; the names rank first.
    assert set(found) == {shop.p["iphone"].pk, shop.p["case"].pk, shop.p["fruit"].pk}
    assert found[-1] == shop.p["fruit"].pk


def test_sales_break_a_tie_in_relevance(shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        low = catalog_services.product_create(
            merchant=shop.self_shop,
            category=shop.appliances,
            name_zh="空气净化器",
            skus=[{"code": "a1", "price_fen": 1}],
        )
        high = catalog_services.product_create(
            merchant=shop.self_shop,
            category=shop.appliances,
            name_zh="空气净化器",
            skus=[{"code": "a2", "price_fen": 1}],
        )
    Product.objects.filter(pk=high.pk).update(sales_count=99)
    assert ids("净化器") == [high.pk, low.pk]
    Product.objects.filter(pk=low.pk).update(sales_count=100)
    assert ids("净化器") == [low.pk, high.pk]


def test_filters_category_with_descendants_price_and_merchant(shop):
    p = shop.p
    assert set(ids("手机", category="digital")) == {
        p["mate"].pk,
        p["iphone"].pk,
        p["case"].pk,
        p["hwcase"].pk,
    }
    assert set(ids("手机", category="phones")) == {p["mate"].pk, p["iphone"].pk}
    assert set(ids("手机", price_min=1000, price_max=3000)) == {p["hwcase"].pk}
    assert set(ids("手机", price_min="10", price_max="30", prices_in_yuan=True)) == {p["hwcase"].pk}
    assert set(ids("手机", merchant="gadgets")) == {p["case"].pk, p["hwcase"].pk}


def test_inactive_merchant_hidden(shop):
    from candor.catalog import selectors as catalog_selectors

    shop.third_shop.is_active = False
    shop.third_shop.save()
    catalog_selectors.reference_changed()
    assert set(ids("手机")) == {shop.p["mate"].pk, shop.p["iphone"].pk}


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [
        ("price_asc", lambda p: (p.price_fen, p.pk), False),
        ("price_desc", lambda p: (p.price_fen, p.pk), True),
        ("sales", lambda p: (p.sales_count, p.pk), True),
        ("newest", lambda p: (p.created_at, p.pk), True),
    ],
)
def test_sort_orders(shop, sort, key, reverse):
    found = ids("手机", sort=sort)
    expected = sorted(Product.objects.filter(pk__in=found), key=key, reverse=reverse)
    assert len(found) == 4
    assert found == [p.pk for p in expected]


def test_pagination(shop):
    first = ids("手机", sort="price_asc", page_size=3)
    second = ids("手机", sort="price_asc", page_size=3, page=2)
    assert len(first) == 3 and len(second) == 1 and not set(first) & set(second)
    results = selectors.search(q="手机", lang="zh-hans", page_size=3)
    assert results.has_next and results.total == 4 and results.total_exact


def test_highlight_marks_and_escapes(shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        evil = catalog_services.product_create(
            merchant=shop.self_shop,
            category=shop.phones,
            name_zh="<script>alert(1)</script>手机",
            name_en='<img src=x onerror="x">Phone',
            skus=[{"code": "evil", "price_fen": 1}],
        )
    hit = next(h for h in selectors.search(q="手机", lang="zh-hans").items if h.card.id == evil.pk)
    assert str(hit.name_html) == "&lt;script&gt;alert(1)&lt;/script&gt;<mark>手机</mark>"
    hit = next(h for h in selectors.search(q="phone", lang="en").items if h.card.id == evil.pk)
    assert str(hit.name_html) == "&lt;img src=x onerror=&quot;x&quot;&gt;<mark>Phone</mark>"
    hit = next(h for h in selectors.search(q="script", lang="zh-hans").items if h.card.id == evil.pk)
    assert str(hit.name_html) == "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;手机"


def test_highlight_pinyin_marks_the_chinese_word():
    from candor.search.highlight import highlight

    assert str(highlight("苹果手机壳", text.query_terms("sj"))) == "苹果<mark>手机</mark>壳"
    assert str(highlight("华为 Mate60Pro", text.query_terms("pro"))) == "华为 Mate60<mark>Pro</mark>"


# --- the index follows the catalog -----------------------------------------------------------


def test_index_follows_edit(shop, django_capture_on_commit_callbacks):
    cooker = shop.p["cooker"]
    with django_capture_on_commit_callbacks(execute=True):
        catalog_services.product_update(
            product_id=cooker.pk, name_zh="美的空气炸锅", name_en="Midea Air Fryer"
        )
    assert ids("电饭煲") == []
    assert ids("空气炸锅") == [cooker.pk]
    assert ids("air fryer") == [cooker.pk]


def test_index_drops_deactivated_and_deleted(shop, django_capture_on_commit_callbacks):
    backend = backend_for()
    mate, iphone = shop.p["mate"], shop.p["iphone"]
    assert backend.indexed_ids([mate.pk, iphone.pk]) == {mate.pk, iphone.pk}
    with django_capture_on_commit_callbacks(execute=True):
        catalog_services.product_deactivate(product_id=mate.pk)
    assert mate.pk not in ids("华为手机")
    assert backend.indexed_ids([mate.pk]) == set()
    with django_capture_on_commit_callbacks(execute=True):
        catalog_services.product_delete(product_id=iphone.pk)
    assert iphone.pk not in ids("iphone")
    assert backend.indexed_ids([iphone.pk]) == set()


def test_inactive_row_is_never_a_hit_even_if_the_index_lags(shop):
    # Deactivated without the service (a bulk update): the join on is_active still hides it.
    Product.objects.filter(pk=shop.p["cooker"].pk).update(is_active=False)
    assert ids("电饭煲") == []


def test_reindex_command_rebuilds_from_products(shop):
    backend = backend_for()
    backend.clear()
    assert ids("手机") == []
    call_command("search", "reindex")
    assert len(ids("手机")) == 4
    assert backend.indexed_ids([p.pk for p in shop.p.values()]) == {p.pk for p in shop.p.values()}


def test_product_indexed_and_unindexed_directly(shop):
    backend = backend_for()
    pk = shop.p["watch"].pk
    index.product_unindexed(product_ids=[pk])
    assert backend.indexed_ids([pk]) == set()
    index.product_indexed(product_ids=[pk, 10**9])  # an unknown id is simply not indexed
    assert backend.indexed_ids([pk, 10**9]) == {pk}


# --- bad input -----------------------------------------------------------------------------

NASTY = [
    '"', '""', '"手机', "手机*", "*", "NEAR(手机 壳)", "手机 NEAR 壳", "-手机", "手机 -壳", "a:b", "zh:手机",
    "(手机", "手机)", "^手机", "手机 OR 壳", "NOT 手机", "AND", "'", "\\", "&|!", "手机:*", "'手机' & '壳'",
    "\x00", "%", "_", "😀", "手机\u200b壳", "   ",
]  # fmt: skip


@pytest.mark.parametrize("q", NASTY)
def test_query_syntax_is_never_an_error(shop, q, api_client):
    selectors.search(q=q, lang="zh-hans")
    response = api_client.call("get", f"/search?q={__import__('urllib.parse').parse.quote(q)}")
    assert response.status_code == 200, response.content


def test_operators_are_plain_words(shop):
    assert set(ids('"手机" -壳')) == {shop.p["case"].pk, shop.p["hwcase"].pk}
    assert ids("NEAR") == []


def test_empty_query_is_an_empty_result(shop, django_assert_num_queries):
    with django_assert_num_queries(0):
        results = selectors.search(q="  ", lang="zh-hans")
    assert results.items == [] and results.total == 0


def test_a_10k_query_is_a_clear_400(shop, api_client, client):
    long_query = "手机" * 5000
    response = api_client.call("get", f"/search?q={long_query}")
    assert response.status_code == 400
    assert response.json()["code"] == "query_too_long"
    assert "q" in response.json()["fields"]
    page = client.get("/search/", {"q": long_query})
    assert page.status_code == 400
    assert page.context["error"]


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"page": 0}, 400, "listing_invalid"),
        ({"price_min": -1}, 400, "listing_invalid"),
        ({"price_min": 500, "price_max": 100}, 400, "listing_invalid"),
        ({"sort": "bogus"}, 400, "sort_invalid"),
        ({"category": "no-such"}, 404, "category_not_found"),
        ({"page_size": 10_000}, 400, "listing_invalid"),
    ],
)
def test_bad_filters_are_4xx(shop, api_client, params, status, code):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = api_client.call("get", f"/search?q=手机&{query}")
    assert response.status_code == status
    assert response.json()["code"] == code


def test_search_query_count(shop, django_assert_max_num_queries, monkeypatch):
    from candor.catalog import selectors as catalog_selectors
    from candor.search.backends import postgres, sqlite_fts5

    catalog_selectors.reference()
    # The plan's probe (SQLite: a capped count of the raw matches; PostgreSQL: the planner's
    # estimate), the page, the capped count (there is a next page), the products, their first
    # images.
    with django_assert_max_num_queries(5):
        results = selectors.search(q="手机", lang="zh-hans", page_size=2)
    assert results.has_next and results.total_exact
    assert results.total == len(ids("手机", page_size=50)) > 2
    # A broad query without filters: the probe is the count (SQLite), or the statistics say
    # "more than the cap" (PostgreSQL), so no count runs.
    monkeypatch.setattr(sqlite_fts5, "BROAD_RELEVANCE", 1)
    monkeypatch.setattr(sqlite_fts5, "BROAD_ORDER", 1)
    monkeypatch.setattr(postgres, "BROAD", 0)
    monkeypatch.setattr(postgres, "SURE_BROAD", 0)
    with django_assert_max_num_queries(4) as captured:
        selectors.search(q="华为", lang="zh-hans", page_size=1)
    counts = [q for q in captured.captured_queries if "COUNT(*)" in q["sql"]]
    assert len(counts) <= 1


def test_an_api_search_without_cookies_stays_within_five_queries(shop, django_assert_max_num_queries):
    """An app client sends no cookie: no session is read or written for it, and no empty
    transaction is opened for a guest's history."""
    from django.test import Client

    from candor.catalog import selectors as catalog_selectors

    catalog_selectors.reference()
    c = Client()
    with django_assert_max_num_queries(5) as captured:
        assert c.get("/api/v1/search", {"q": "手机", "page_size": 2}).status_code == 200
    assert not any("django_session" in q["sql"] for q in captured.captured_queries)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 backend")
def test_sqlite_match_expression_quotes_every_term():
    from candor.search.backends.sqlite_fts5 import match_expression

    assert match_expression(text.query_terms('手机 "x" shou*')) == '"手机" AND "x" AND "shou"*'


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL backend")
def test_postgres_literals_quote_every_term(db):
    from candor.search.backends.postgres import tsquery_literal, tsvector_literal

    assert tsquery_literal(text.query_terms("手机 shou")) == "'手机' & 'shou':*"
    doc = text.document(name_zh="苹果手机壳", name_en="", brand="")
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::tsvector @@ %s::tsquery", [tsvector_literal(doc), "'sj':*"])
        assert cursor.fetchone()[0] is True


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 backend")
@pytest.mark.parametrize("sort", ["relevance", "sales", "price_asc", "price_desc", "newest"])
def test_broad_queries_are_driven_by_the_order_index(shop, monkeypatch, sort):
    """Past BROAD_* matches the plan reads products in the order's index and probes the
    matches; it must list the same products in the same order as the selective plan (for
    relevance: the name matches, best sellers first)."""
    from candor.search.backends import sqlite_fts5

    selective = ids("苹果", sort=sort)
    monkeypatch.setattr(sqlite_fts5, "BROAD_RELEVANCE", 1)
    monkeypatch.setattr(sqlite_fts5, "BROAD_ORDER", 1)
    broad = ids("苹果", sort=sort)
    if sort == "relevance":
        # The fruit box matches only in its subtitle: a broad relevance listing is name matches.
        assert broad == [shop.p["case"].pk, shop.p["iphone"].pk]
    else:
        assert broad == selective
    results = selectors.search(q="手机", lang="zh-hans", sort=sort, page_size=2, category="digital")
    assert results.total == 4 and len(results.items) == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL backend")
@pytest.mark.parametrize("sort", ["relevance", "sales", "price_asc", "price_desc", "newest"])
def test_postgres_broad_queries_walk_the_order_index(shop, monkeypatch, sort):
    """From BROAD estimated matches the plan reads products in the order's index and probes
    each one's document; the same products in the same order as the selective plan (for
    relevance: every match, best sellers first)."""
    from candor.search.backends import postgres

    selective = ids("苹果", sort=sort)
    monkeypatch.setattr(postgres, "BROAD", 0)
    broad = ids("苹果", sort=sort)
    if sort == "relevance":
        expected = list(
            Product.objects.filter(pk__in=selective)
            .order_by("-sales_count", "-id")
            .values_list("pk", flat=True)
        )
        assert broad == expected
    else:
        assert broad == selective
    body = backend_for()._plan(text.query_terms("苹果"), filters=_filters(), order=sort)[0]
    assert body.startswith("FROM catalog_product AS p")
    results = selectors.search(q="手机", lang="zh-hans", sort=sort, page_size=2, category="digital")
    assert results.total == 4 and len(results.items) == 2


def _filters():
    from candor.search.backends.base import Filters

    return Filters()


@pytest.mark.parametrize("q", ["手机", "shouji", "sj", "phone"])
def test_a_broad_query_naming_a_category_lists_that_category_first(shop, monkeypatch, q):
    """手机 names the phones category: its products come first (by sales), before the case
    that sells more; then the rest, by sales. Only for a broad relevance listing."""
    from candor.search.backends import postgres, sqlite_fts5

    monkeypatch.setattr(sqlite_fts5, "BROAD_RELEVANCE", 1)
    monkeypatch.setattr(sqlite_fts5, "BROAD_ORDER", 1)
    monkeypatch.setattr(postgres, "BROAD", 0)
    found = ids(q)
    phones = list(
        Product.objects.filter(pk__in=found, category=shop.phones)
        .order_by("-sales_count", "-id")
        .values_list("pk", flat=True)
    )
    assert phones and found[: len(phones)] == phones
    assert shop.p["case"].pk in found[len(phones) :]
    rest = found[len(phones) :]
    sales = list(Product.objects.filter(pk__in=rest).values_list("pk", "sales_count"))
    assert rest == [pk for pk, _s in sorted(sales, key=lambda r: (-r[1], -r[0]))]
    # Pages do not overlap and run across the two tiers.
    pages = [ids(q, page_size=1, page=n) for n in range(1, len(found) + 1)]
    assert [p[0] for p in pages] == found


def test_category_name_keys():
    assert text.name_keys("手机", "Phones") == {"手机", "shouji", "sj", "phone"}
    assert text.query_key(text.query_terms("Phone")) == "phone"
