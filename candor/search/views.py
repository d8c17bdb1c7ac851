"""The search page (/search/?q=…&sort=…): results with highlighted names, sort tabs
(relevance plus the catalog's non-personal orders, C004-04), price and category filters, and
the person's own search history to refill the box, with delete-one and clear-all (C000-02).

The view parses and renders only: a bad filter or a too-long query is a 400 page with the
message, an unknown category or shop the 404 page, never a 500.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candor.catalog import views as catalog_views
from candor.errors import CandorError
from candor.search import selectors, services


def results(request: HttpRequest) -> HttpResponse:
    get = request.GET
    raw_query = get.get("q", "")
    current_sort = get.get("sort") or "relevance"
    context: dict[str, Any] = {
        "q": raw_query[: selectors.MAX_QUERY_CHARS],
        "results": None,
        "errors": {},
        "error": "",
        "sort_tabs": catalog_views.sort_tabs(
            current_sort, first=("relevance", "sort-relevance", _("Best match"))
        ),
        "form": {
            "price_min": get.get("price_min", ""),
            "price_max": get.get("price_max", ""),
            "category": get.get("category", ""),
            "sort": current_sort,
        },
        "max_query": selectors.MAX_QUERY_CHARS,
    }
    status = 200
    try:
        found = selectors.search(
            q=raw_query,
            lang=get_language(),
            category=get.get("category") or None,
            merchant=get.get("merchant") or None,
            price_min=get.get("price_min"),
            price_max=get.get("price_max"),
            is_service=get.get("service"),
            sort=get.get("sort"),
            page=get.get("page"),
            prices_in_yuan=True,
        )
    except CandorError as error:
        if error.status == 404:
            raise
        status = error.status
        context.update(errors=error.fields, error=error.message)
    else:
        context["results"] = found
        if found.query and found.page == 1:
            services.history_record(
                user=request.user, session=request.session, query=found.query, cookies=request.COOKIES
            )
    context["history"] = selectors.history(user=request.user, session=request.session)
    return render(request, "search/results.html", context, status=status)


@require_POST
def history_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    services.history_delete(user=request.user, session=request.session, entry_id=entry_id)
    return redirect("search:results")


@require_POST
def history_clear(request: HttpRequest) -> HttpResponse:
    services.history_clear(user=request.user, session=request.session)
    return redirect("search:results")
