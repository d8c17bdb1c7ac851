"""The search operation answers JSON written without ninja's response validation
(``candor.catalog.json_answer``): its real answer must still be exactly the schema it declares
in OpenAPI — every field, no other, each of its type — in both languages and when empty."""

from __future__ import annotations

import pytest

from candor.search.api import ResultsOut
from tests.json_api import exactly

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_search_answer_is_exactly_its_schema(shop, api_client, lang):
    response = api_client.call("get", "/search?q=手机&page_size=2", lang=lang)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    exactly(ResultsOut, body)
    assert body["query"] == "手机" and len(body["items"]) == 2 and body["has_next"] is True
    assert all("<mark>手机</mark>" in i["name_html"] for i in body["items"] if "手机" in i["name"])
    assert body["page"] == 1 and body["page_size"] == 2 and body["sort"] == "relevance"


def test_an_empty_search_answer_is_its_schema_too(shop, api_client):
    body = api_client.call("get", "/search?q=", lang="en").json()
    exactly(ResultsOut, body)
    assert body["items"] == [] and body["total"] == 0 and body["total_exact"] is True


def test_openapi_still_declares_the_search_answer(client):
    spec = client.get("/api/openapi.json").json()
    content = spec["paths"]["/api/v1/search"]["get"]["responses"]["200"]["content"]["application/json"]
    assert content["schema"]["$ref"].endswith("/ResultsOut")
    assert "name_html" in spec["components"]["schemas"]["HitOut"]["properties"]


def test_highlighted_names_follow_a_rename(shop, api_client, django_capture_on_commit_callbacks):
    """Highlighting is remembered per (name, query): a renamed product is a new key."""
    from candor.catalog import services
    from candor.search.highlight import highlight
    from candor.search.selectors import _highlighted
    from candor.search.text import query_terms

    terms = tuple(query_terms("手机"))
    expected = "华为<mark>手机</mark>壳"
    assert _highlighted("华为手机壳", terms) == highlight("华为手机壳", list(terms)) == expected

    def hwcase() -> dict:
        items = api_client.call("get", "/search?q=手机&page_size=50", lang="zh-hans").json()["items"]
        return next(i for i in items if i["id"] == shop.p["hwcase"].pk)

    assert hwcase()["name_html"] == "华为<mark>手机</mark>壳"
    with django_capture_on_commit_callbacks(execute=True):
        services.product_update(product_id=shop.p["hwcase"].pk, name_zh="华为 Mate 手机保护壳")
    assert hwcase()["name_html"] == "华为 Mate <mark>手机</mark>保护壳"
