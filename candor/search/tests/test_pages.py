"""The search page and API answer in zh and en, with the test ids the browser test uses."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_results_page(shop, client, lang):
    response = client.get("/search/", {"q": "手机", "sort": "price_asc"}, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    html = response.content.decode()
    for testid in ["search-box", "search-submit", "result-card", "result-name", "sort-relevance",
                   "sort-sales", "sort-price-asc", "sort-price-desc", "sort-newest"]:  # fmt: skip
        assert f'data-testid="{testid}"' in html
    names = [h.card.name for h in response.context["results"].items]
    assert len(names) == 4
    if lang == "en":
        assert names[0] == "HUAWEI Phone Case"
    else:
        assert names[0] == "华为手机壳"
        assert "<mark>手机</mark>" in html


def test_results_page_escapes_the_query(shop, client):
    html = client.get("/search/", {"q": '<script>alert("x")</script>'}).content.decode()
    assert '<script>alert("x")' not in html
    assert "&lt;script&gt;" in html


def test_empty_page_shows_the_box(shop, client):
    response = client.get("/search/")
    assert response.status_code == 200
    assert response.context["results"].items == []
    assert b'data-testid="search-box"' in response.content


def test_bad_price_is_a_400_page(shop, client):
    response = client.get("/search/", {"q": "手机", "price_min": "-5"})
    assert response.status_code == 400
    assert response.context["errors"]["price_min"]


def test_unknown_category_is_a_404_page(shop, client):
    assert client.get("/search/", {"q": "手机", "category": "nope"}).status_code == 404


def test_api_results(shop, client):
    data = client.get("/api/v1/search", {"q": "shouji", "sort": "sales"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert data["total"] == 4 and data["total_exact"] and data["sort"] == "sales"
    assert data["items"][0]["name"] == "Clear Phone Case for iPhone 15"
    assert (
        data["items"][0]["name_html"] == "Clear Phone Case for iPhone 15"
    )  # pinyin marks Chinese words only
    zh = client.get("/api/v1/search", {"q": "shouji", "sort": "sales"}, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert zh["items"][0]["name_html"] == "苹果<mark>手机</mark>壳 透明防摔"
