"""Reads of search: a page of results, suggestions, and the person's own search history.

A results page costs at most five queries: the plan's probe (SQLite: a capped count of the raw
matches; PostgreSQL: the planner's estimate for one word, a capped count for several — see the
backends), the page (full-text match, filters, order and LIMIT in one statement), the
products' card fields, their first images (the catalog's ``cards``), and a capped count only
when the page does not already show the end and the probe cannot stand for it (filters).
Filters and orders are the catalog's (``listing_parse``), plus ``relevance``, the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString

from candor.catalog import selectors as catalog
from candor.catalog.models import Product
from candor.search.backends import backend_for
from candor.search.backends.base import ORDERS, RELEVANCE, Filters
from candor.search.errors import QueryTooLong, SortInvalid
from candor.search.highlight import highlight
from candor.search.models import SearchHistory
from candor.search.services import GUEST_HISTORY_MAX, SESSION_KEY, clean_query
from candor.search.text import MAX_QUERY_CHARS, Term, name_keys, query_key, query_terms

SORTS = (RELEVANCE, *ORDERS)
COUNT_CAP = 1000  # above it the page says "1000+"
SUGGEST_MAX = 8


@dataclass(frozen=True)
class Hit:
    card: catalog.Card
    name_html: SafeString  # the name in the reader's language, escaped, matches in <mark>


@dataclass(frozen=True)
class Results:
    query: str
    terms: list[Term]
    sort: str
    listing: catalog.Listing
    items: list[Hit]
    total: int  # exact when total_exact, else at least COUNT_CAP
    total_exact: bool
    has_next: bool

    @property
    def page(self) -> int:
        return self.listing.page

    @property
    def has_previous(self) -> bool:
        return self.listing.page > 1


def check_query(raw: Any) -> str:
    words = str(raw or "")
    if len(words) > MAX_QUERY_CHARS:
        raise QueryTooLong()
    return clean_query(words)


def search(
    *,
    q: Any,
    lang: str | None,
    category: str | None = None,
    merchant: str | None = None,
    price_min: Any = None,
    price_max: Any = None,
    is_service: Any = None,
    sort: str | None = None,
    page: Any = None,
    page_size: Any = None,
    prices_in_yuan: bool = False,
) -> Results:
    """One page of products matching ``q``; an empty or unsearchable ``q`` gives no results."""
    words = check_query(q)
    sort = (sort or "").strip() or RELEVANCE
    if sort not in SORTS:
        raise SortInvalid()
    listing = catalog.listing_parse(
        category=category,
        merchant=merchant,
        price_min=price_min,
        price_max=price_max,
        is_service=is_service,
        sort=None if sort == RELEVANCE else sort,
        page=page,
        page_size=page_size,
        prices_in_yuan=prices_in_yuan,
    )
    terms = query_terms(words)
    if not terms:
        return Results(words, [], sort, listing, [], 0, True, False)
    ref = catalog.reference()
    filters = Filters(
        category_ids=ref.descendants(listing.category.id) if listing.category else (),
        merchant_id=listing.merchant.id if listing.merchant else None,
        exclude_merchant_ids=ref.inactive_merchant_ids,
        price_min=listing.price_min,
        price_max=listing.price_max,
        is_service=listing.is_service,
    )
    backend = backend_for()
    start = (listing.page - 1) * listing.page_size
    first = _named_categories(ref, query_key(terms)) if sort == RELEVANCE else ()
    ids = backend.search(
        terms,
        filters=filters,
        order=sort,
        limit=listing.page_size + 1,
        offset=start,
        first_categories=first,
    )
    has_next = len(ids) > listing.page_size
    ids = ids[: listing.page_size]
    if not has_next and (ids or listing.page == 1):
        total, exact = start + len(ids), True
    else:
        total = backend.count(terms, filters=filters, cap=COUNT_CAP, order=sort)
        exact = total < COUNT_CAP
    items = [
        Hit(card=card, name_html=_highlighted(card.name, tuple(terms)))
        for card in catalog.products_by_ids(ids, lang=lang)
    ]
    return Results(words, terms, sort, listing, items, total, exact, has_next)


@lru_cache(maxsize=8192)
def _highlighted(name: str, terms: tuple[Term, ...]) -> SafeString:
    """``highlight`` remembered per name and query: it normalizes and scans the name
    character by character (0.2–0.3 ms for a page of 20), and the first pages of the queries
    people repeat show the same names. A pure function of its key, so never stale: a renamed
    product is a new key."""
    return highlight(name, terms)


def _named_categories(ref: Any, key: str) -> list[int]:
    """The categories (with their subcategories) whose name the query is: 手机, shouji, sj and
    phone name 手机 (Phones), so phones come before the phone cases that sell more."""
    out: set[int] = set()
    for category in ref.categories.values():
        if key in _name_keys(category.name_zh, category.name_en):
            out.update(ref.descendants(category.id))
    return sorted(out)


@lru_cache(maxsize=4096)
def _name_keys(name_zh: str, name_en: str) -> frozenset[str]:
    return frozenset(name_keys(name_zh, name_en))


# --- the person's own search history --------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    query: str
    searched_at: datetime | None


def history(*, user: Any, session: Any, limit: int = GUEST_HISTORY_MAX) -> list[HistoryEntry]:
    """The person's recent searches, newest first (a guest's from their session)."""
    if user is not None and getattr(user, "is_authenticated", False):
        rows = SearchHistory.objects.filter(user_id=user.pk).order_by("-searched_at", "-id")[:limit]
        return [HistoryEntry(r.pk, r.query, r.searched_at) for r in rows]
    return [
        HistoryEntry(int(e[0]), str(e[1]), parse_datetime(str(e[2])))
        for e in session.get(SESSION_KEY, [])[:limit]
    ]


@dataclass(frozen=True)
class Suggestion:
    text: str
    source: str  # "history" (the person's own words) or "product" (a product name)


def suggest(*, q: Any, user: Any, session: Any, lang: str | None) -> list[Suggestion]:
    """What to offer under the search box: the person's own earlier searches that contain the
    typed words, then names of best-selling products that match them."""
    words = check_query(q).lower()
    out: list[Suggestion] = []
    seen: set[str] = set()
    for entry in history(user=user, session=session, limit=50):
        if (not words or words in entry.query.lower()) and entry.query not in seen:
            out.append(Suggestion(entry.query, "history"))
            seen.add(entry.query)
        if len(out) >= SUGGEST_MAX // 2:
            break
    terms = query_terms(words)
    if terms:
        ids = backend_for().names(terms, limit=SUGGEST_MAX)
        by_id = Product.objects.only("id", "name_zh", "name_en").in_bulk(ids)
        for pk in ids:
            product = by_id.get(pk)
            name = product.name(lang) if product else ""
            if name and name not in seen:
                out.append(Suggestion(name, "product"))
                seen.add(name)
            if len(out) >= SUGGEST_MAX:
                break
    return out
