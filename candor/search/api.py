"""Search for app clients under ``/api/v1/search``: results with the catalog's filters and
orders plus ``relevance``, suggestions, and the caller's own search history (a guest's lives in
their session). Bad input — a query over 200 characters, page 0, a negative price, an unknown
category, a made-up sort — answers 4xx with the one error shape, never 500; an empty query
answers an empty page. Deleting history needs the CSRF token with a session (not with a bearer
token: the middleware waives it there)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema

from candor.api.csrf import require_csrf
from candor.api.errors import ErrorOut
from candor.catalog import selectors as catalog
from candor.catalog.json_answer import card_json, json_response
from candor.search import selectors, services
from candor.search.errors import HistoryNotFound

router = Router(tags=["search"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class SearchIn(Schema):
    q: str = Field("", description="The search words, Chinese, English, pinyin or initials (at most 200)")
    category: str | None = Field(None, max_length=64, description="A category's slug; subcategories count")
    merchant: str | None = Field(None, max_length=64, description="A shop's slug")
    price_min: int | None = Field(None, description="Lowest price in fen")
    price_max: int | None = Field(None, description="Highest price in fen")
    is_service: bool | None = Field(None, description="true: services only; false: goods only")
    sort: str = Field(
        "relevance", max_length=16, description="relevance (default), sales, price_asc, price_desc, newest"
    )
    page: int = Field(1, description="From 1")
    page_size: int = Field(catalog.DEFAULT_PAGE_SIZE, description=f"1 to {catalog.MAX_PAGE_SIZE}")


class HitOut(Schema):
    id: int
    name: str
    name_html: str = Field(description="The name, HTML-escaped, with the matched words in <mark>")
    subtitle: str
    brand: str
    price_fen: int
    price: str
    sales_count: int
    is_service: bool
    merchant: str = Field(description="The shop's slug")
    merchant_name: str
    image_url: str


class ResultsOut(Schema):
    query: str
    items: list[HitOut]
    page: int
    page_size: int
    sort: str
    has_next: bool
    total: int = Field(description=f"Exact when total_exact; otherwise at least {selectors.COUNT_CAP}")
    total_exact: bool


class SuggestionOut(Schema):
    text: str
    source: str = Field(description='"history" (your own earlier search) or "product" (a product name)')


class HistoryOut(Schema):
    id: int
    query: str
    searched_at: datetime | None


class DeletedOut(Schema):
    deleted: int


@router.get("/search", response={200: ResultsOut, **ERRORS}, summary="Search products")
def search(request: HttpRequest, params: Query[SearchIn]) -> HttpResponse:
    results = selectors.search(lang=get_language(), **params.model_dump())
    if results.query and results.page == 1:
        services.history_record(
            user=request.user, session=request.session, query=results.query, cookies=request.COOKIES
        )
    return json_response(
        {
            "query": results.query,
            "items": [{**card_json(h.card), "name_html": str(h.name_html)} for h in results.items],
            "page": results.page,
            "page_size": results.listing.page_size,
            "sort": results.sort,
            "has_next": results.has_next,
            "total": results.total,
            "total_exact": results.total_exact,
        }
    )


@router.get("/search/suggest", response={200: list[SuggestionOut], **ERRORS}, summary="Search suggestions")
def suggest(request: HttpRequest, q: str = "") -> list[dict[str, str]]:
    found = selectors.suggest(q=q, user=request.user, session=request.session, lang=get_language())
    return [{"text": s.text, "source": s.source} for s in found]


@router.get("/search/history", response={200: list[HistoryOut]}, summary="Your search history")
def history_list(request: HttpRequest) -> list[dict[str, Any]]:
    entries = selectors.history(user=request.user, session=request.session)
    return [{"id": e.id, "query": e.query, "searched_at": e.searched_at} for e in entries]


@router.delete(
    "/search/history", response={200: DeletedOut, **ERRORS}, summary="Delete all your search history"
)
def history_clear(request: HttpRequest) -> dict[str, int]:
    require_csrf(request)
    return {"deleted": services.history_clear(user=request.user, session=request.session)}


@router.delete(
    "/search/history/{entry_id}", response={200: DeletedOut, **ERRORS}, summary="Delete one search"
)
def history_delete(request: HttpRequest, entry_id: int) -> dict[str, int]:
    require_csrf(request)
    deleted = services.history_delete(user=request.user, session=request.session, entry_id=entry_id)
    if not deleted:
        raise HistoryNotFound()
    return {"deleted": deleted}
