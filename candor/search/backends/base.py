"""The one search interface both databases implement.

A backend stores one document per active product (``candor.search.text.Document``: tokens
already segmented in Python) and answers a query (``Term`` list) with product ids, filtered and
ordered in the database: the full-text match, the filters and the ``ORDER BY … LIMIT`` run in
one SQL statement joined to ``catalog_product``, so no hit list is ever ranked in Python.

Relevance is the database's own score (bm25 in SQLite FTS5, ts_rank in PostgreSQL), rounded
so that near-equal scores tie, then the sales counter breaks the tie, then the id (a total
order: pages never overlap). The other orders are the catalog's non-personal ones (C004-04).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

from candor.search.text import Document, Term

# The catalog's orders, written against the product table's alias ``p``.
ORDERS = {
    "sales": "p.sales_count DESC, p.id DESC",
    "price_asc": "p.price_fen ASC, p.id ASC",
    "price_desc": "p.price_fen DESC, p.id DESC",
    "newest": "p.created_at DESC, p.id DESC",
}
RELEVANCE = "relevance"


@dataclass(frozen=True)
class Filters:
    category_ids: Sequence[int] = ()
    merchant_id: int | None = None
    exclude_merchant_ids: Sequence[int] = ()
    price_min: int | None = None
    price_max: int | None = None
    is_service: bool | None = None

    @property
    def is_default(self) -> bool:
        """No filter but "on sale": what every listing has."""
        return not (
            self.category_ids
            or self.merchant_id is not None
            or self.exclude_merchant_ids
            or self.price_min is not None
            or self.price_max is not None
            or self.is_service is not None
        )

    def sql(self, *, probe: bool = False) -> tuple[str, list[object]]:
        """``AND …`` conditions on ``p`` (the product table) and their parameters.

        ``probe`` (SQLite): the numeric columns are written ``+p.x`` so the planner checks them
        row by row instead of choosing their index — the scan must follow the ORDER BY index
        (categories stay usable: their index bounds the scan to the chosen categories)."""
        plus = "+" if probe else ""
        # The bare column, as Django writes filter(is_active=True): the listing indexes are
        # partial on it, and SQLite uses a partial index only when the query states its
        # condition as written — a bound parameter (is_active = ?) would not match it.
        parts = ["p.is_active"]
        params: list[object] = []
        if len(self.category_ids) == 1:
            parts.append("p.category_id = %s")
            params.append(int(self.category_ids[0]))
        elif self.category_ids:
            parts.append(f"p.category_id IN ({', '.join(['%s'] * len(self.category_ids))})")
            params.extend(int(i) for i in self.category_ids)
        if self.merchant_id is not None:
            parts.append(f"{plus}p.merchant_id = %s")
            params.append(int(self.merchant_id))
        elif self.exclude_merchant_ids:
            parts.append(f"p.merchant_id NOT IN ({', '.join(['%s'] * len(self.exclude_merchant_ids))})")
            params.extend(int(i) for i in self.exclude_merchant_ids)
        if self.price_min is not None:
            parts.append(f"{plus}p.price_fen >= %s")
            params.append(int(self.price_min))
        if self.price_max is not None:
            parts.append(f"{plus}p.price_fen <= %s")
            params.append(int(self.price_max))
        if self.is_service is not None:
            parts.append("p.is_service = %s")
            params.append(bool(self.is_service))
        return " AND ".join(parts), params


class SearchBackend(ABC):
    vendor: str

    def __init__(self, connection) -> None:
        self.connection = connection

    # --- schema (called by the migration and, for test databases built without migrations,
    # after migrate; every statement is idempotent) ---
    @abstractmethod
    def schema_create(self) -> None: ...

    @abstractmethod
    def schema_drop(self) -> None: ...

    # --- documents ---
    @abstractmethod
    def upsert(self, docs: Sequence[tuple[int, Document]]) -> None: ...

    @abstractmethod
    def delete(self, product_ids: Sequence[int]) -> None: ...

    @abstractmethod
    def clear(self) -> None: ...

    @abstractmethod
    def indexed_ids(self, product_ids: Sequence[int]) -> set[int]:
        """Which of these products have a document (for tests and checks)."""

    # --- queries ---
    @abstractmethod
    def search(
        self,
        terms: Sequence[Term],
        *,
        filters: Filters,
        order: str,
        limit: int,
        offset: int,
        first_categories: Sequence[int] = (),
    ) -> list[int]:
        """Product ids of one page, best first (``order``: RELEVANCE or a key of ORDERS).
        ``first_categories``: for a broad relevance listing, the products of these categories
        (the query is their name) come first."""

    @abstractmethod
    def count(self, terms: Sequence[Term], *, filters: Filters, cap: int, order: str = RELEVANCE) -> int:
        """How many products the listing in ``order`` holds, counted up to ``cap``."""

    @abstractmethod
    def names(self, terms: Sequence[Term], *, limit: int) -> list[int]:
        """Ids of the best-selling active products matching (for suggestions)."""


def tiered(
    connection, body: str, params: list[object], *, first: Sequence[int], limit: int, offset: int
) -> list[int]:
    """A broad relevance page with the products of ``first`` categories (those the query
    names) before the rest, both in sales order: a walk of the category's sales index, and only
    when it runs out before the page ends, a walk of the rest (the unary + keeps SQLite on the
    sales index there). ``body`` is a walk's FROM/WHERE on ``p``, built from constants."""
    marks = ", ".join(["%s"] * len(first))
    ids = [int(i) for i in first]
    wanted = offset + limit
    sql = "SELECT p.id {body} AND {cond} ORDER BY {order} LIMIT %s"
    with connection.cursor() as cursor:
        cursor.execute(
            sql.format(body=body, cond=f"p.category_id IN ({marks})", order=ORDERS["sales"]),
            [*params, *ids, wanted],
        )
        found = [row[0] for row in cursor.fetchall()]
        if len(found) < wanted:
            cursor.execute(
                sql.format(body=body, cond=f"+p.category_id NOT IN ({marks})", order=ORDERS["sales"]),
                [*params, *ids, wanted - len(found)],
            )
            found += [row[0] for row in cursor.fetchall()]
    return found[offset:]
