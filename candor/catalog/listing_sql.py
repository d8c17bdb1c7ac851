"""The product list's statements written as SQL: the page, the first images of its products
and the capped count.

Why not the ORM: at 100k products these statements take 0.1–0.4 ms each in the database, and
building them with querysets (filter, order_by, values, a subquery for deep pages, the count's
wrapper) took longer than running them — two thirds of a list request's time went into
compiling SQL and converting rows (issue #5's bench: the API list at 0.24× a raw-SQL view of
the same rows). The statements are the ones the querysets of ``selectors._products`` wrote,
with the same indexes in mind:

- the condition ``p.is_active`` is the bare column: the listing indexes are partial on it,
  and SQLite uses a partial index only when the query states its condition as written;
- a leaf category filters ``category_id``, a top-level one ``root_category_id`` (each a range
  of its own composite index); a category in the middle of a deeper tree ``category_id + 0
  IN (…)``, which keeps the planners on the order's index instead of fetching the subtree;
- a page after the first takes its ids by the order's index alone (``OFFSET`` never touches
  the table; an index-only scan on PostgreSQL once the visibility map is set) and joins them
  to their rows;
- the count stops at the cap (``SELECT COUNT(*) FROM (… LIMIT cap)``), covered by the index.

SQL is assembled only from this module's constants and placeholders (hence ``noqa: S608``);
every value is a parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import connection

if TYPE_CHECKING:  # pragma: no cover
    from candor.catalog.reference import Reference
    from candor.catalog.selectors import Listing

# The same orders as ``selectors.SORTS`` (C004-04), on the product table's alias ``p``.
ORDER_SQL = {
    "sales": "p.sales_count DESC, p.id DESC",
    "price_asc": "p.price_fen ASC, p.id ASC",
    "price_desc": "p.price_fen DESC, p.id DESC",
    "newest": "p.created_at DESC, p.id DESC",
}
# A card's columns, in the order ``selectors.card_rows`` reads them.
CARD_COLUMNS = (
    "p.id, p.merchant_id, p.name_zh, p.name_en, p.subtitle_zh, p.subtitle_en, p.brand, p.price_fen, "
    "p.sales_count, p.is_service"
)


def _marks(n: int) -> str:
    return ", ".join(["%s"] * n)


def where(listing: Listing, ref: Reference) -> tuple[str, list[Any]]:
    """The listing's conditions on ``catalog_product AS p`` and their parameters."""
    parts = ["p.is_active"]
    params: list[Any] = []
    if listing.category is not None:
        node = listing.category
        ids = ref.descendants(node.id)
        if len(ids) == 1:
            parts.append("p.category_id = %s")
            params.append(ids[0])
        elif node.parent_id is None:
            parts.append("p.root_category_id = %s")
            params.append(node.id)
        else:
            parts.append(f"(p.category_id + 0) IN ({_marks(len(ids))})")
            params.extend(ids)
    if listing.merchant is not None:
        parts.append("p.merchant_id = %s")
        params.append(listing.merchant.id)
    else:
        inactive = ref.inactive_merchant_ids
        if inactive:
            parts.append(f"p.merchant_id NOT IN ({_marks(len(inactive))})")
            params.extend(inactive)
    if listing.price_min is not None:
        parts.append("p.price_fen >= %s")
        params.append(listing.price_min)
    if listing.price_max is not None:
        parts.append("p.price_fen <= %s")
        params.append(listing.price_max)
    if listing.is_service is not None:
        parts.append("p.is_service = %s")
        params.append(listing.is_service)
    return " AND ".join(parts), params


def page_rows(listing: Listing, ref: Reference, *, limit: int, offset: int) -> tuple[list[tuple], str, list]:
    """Rows of ``CARD_COLUMNS`` for one page (``limit`` rows from ``offset``), and the
    listing's WHERE with its parameters (for the count)."""
    cond, params = where(listing, ref)
    order = ORDER_SQL[listing.sort]
    if offset:
        # The page's ids by the index alone, joined to their rows: planned and run in 0.27 ms
        # on PostgreSQL at page 50 against 0.29–0.37 ms for ``p.id IN (…)`` (a hash aggregate
        # of the ids before the lookups), and 0.4 ms for a plain OFFSET over the rows.
        sql = (
            f"SELECT {CARD_COLUMNS} FROM ("  # noqa: S608
            f"SELECT p.id FROM catalog_product AS p WHERE {cond} ORDER BY {order} LIMIT %s OFFSET %s"
            f") AS k JOIN catalog_product AS p ON p.id = k.id ORDER BY {order}"
        )
        args = [*params, limit, offset]
    else:
        sql = f"SELECT {CARD_COLUMNS} FROM catalog_product AS p WHERE {cond} ORDER BY {order} LIMIT %s"  # noqa: S608
        args = [*params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return cursor.fetchall(), cond, params


def capped_count(cond: str, params: list[Any], cap: int) -> int:
    sql = f"SELECT COUNT(*) FROM (SELECT p.id FROM catalog_product AS p WHERE {cond} LIMIT %s) AS n"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, cap])
        return int(cursor.fetchone()[0])


def card_rows_by_ids(ids: Sequence[int]) -> dict[int, tuple]:
    """Rows of ``CARD_COLUMNS`` of these products, by id (any state: the caller decides)."""
    if not ids:
        return {}
    sql = f"SELECT {CARD_COLUMNS} FROM catalog_product AS p WHERE p.id IN ({_marks(len(ids))})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, list(ids))
        return {row[0]: row for row in cursor.fetchall()}


def first_images(ids: Sequence[int]) -> dict[int, tuple[str, str, str]]:
    """The first image (lowest position, then id) of each product: url, alt_zh, alt_en."""
    if not ids:
        return {}
    sql = (
        "SELECT product_id, image_url, alt_zh, alt_en FROM catalog_productimage "  # noqa: S608
        f"WHERE product_id IN ({_marks(len(ids))}) ORDER BY product_id DESC, position DESC, id DESC"
    )
    images: dict[int, tuple[str, str, str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, list(ids))
        for product_id, url, alt_zh, alt_en in cursor.fetchall():
            images[product_id] = (url, alt_zh, alt_en)  # the last one written is the first by position
    return images
