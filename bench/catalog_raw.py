"""Raw-SQL baselines for the catalog benchmark (``bench.catalog``), mounted by ``bench.urls``.

``/bench/raw/products?category=&sort=&page=`` and ``/bench/raw/search?q=`` answer the rows of
the SQL the app runs for the same parameters, with ``connection.cursor()`` and ``orjson`` and
nothing else: no ORM, no model instances, no schema validation.

The SQL is the app's own, so it stays equivalent as the app changes: the first request for
given parameters in a process calls the app's selector (``catalog.selectors.product_page`` or
``search.selectors.search``, with warm caches) under ``connection.execute_wrapper`` and keeps
the statements it ran — the page (same columns, ``WHERE``, ``ORDER BY``, ``LIMIT``), the
first images, the capped count, and for search the match and the cards — with their
parameters. Every request then executes those statements raw and returns their rows. The
catalog does not change during a benchmark, so the rows are the ones the app reads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

LANG = "zh-hans"  # what the app answers a client without Accept-Language

Statement = tuple[str, Any]
_recorded: dict[tuple[str, str], list[Statement]] = {}


def _record(call: Callable[[], Any]) -> list[Statement]:
    """The statements ``call`` runs (after one unrecorded call that fills the app's caches)."""
    call()
    statements: list[Statement] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if not many:
            statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        call()
    return statements


def _replay(key: tuple[str, str], call: Callable[[], Any]) -> HttpResponse:
    statements = _recorded.get(key)
    if statements is None:
        statements = _recorded[key] = _record(call)
    results = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    return HttpResponse(orjson.dumps(results), content_type="application/json")


def products(request: HttpRequest) -> HttpResponse:
    get = request.GET

    def call() -> Any:
        from candor.catalog import selectors

        listing = selectors.listing_parse(
            category=get.get("category") or None, sort=get.get("sort"), page=get.get("page")
        )
        return selectors.product_page(listing, lang=LANG)

    return _replay(("products", get.urlencode()), call)


def search(request: HttpRequest) -> HttpResponse:
    get = request.GET

    def call() -> Any:
        from candor.search import selectors

        return selectors.search(q=get.get("q", ""), lang=LANG, sort=get.get("sort"), page=get.get("page"))

    return _replay(("search", get.urlencode()), call)


urlpatterns = [
    path("bench/raw/products", products),
    path("bench/raw/search", search),
]
