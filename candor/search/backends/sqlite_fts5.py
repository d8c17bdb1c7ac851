"""SQLite: an FTS5 virtual table whose rowid is the product id.

The columns hold pre-segmented tokens (``candor.search.text``), so FTS5's ``unicode61``
tokenizer only splits on the spaces we put in. It is a plain (content-storing) FTS5 table:
SQLite 3.40, as shipped with Debian 12, has no ``contentless_delete``, and the stored tokens are
small (a name's worth per product). Prefix indexes of 2–4 characters make pinyin and English
prefix queries (``shou*``, ``sj*``, ``phon*``) index lookups.

Every term is written as a quoted FTS5 string (``"手机"``, ``"shou"*``), built only from letters
and digits, so no query can inject FTS5 syntax (``NEAR``, ``-``, ``:``, ``"``, ``*``).

SQL is assembled only from this module's constant table and column names (hence the
``noqa: S608``); every value, the match expression included, is a query parameter.
"""

from __future__ import annotations

from collections.abc import Sequence

from candor.search.backends.base import ORDERS, RELEVANCE, Filters, SearchBackend, tiered
from candor.search.text import Document, Term

TABLE = "search_product_fts"
COLUMNS = ("zh", "en", "brand", "sub", "chars", "py", "pyi")
# bm25 column weights, in COLUMNS order: the names and brand count most, pinyin some, single
# characters least (they match widely).
WEIGHTS = (10.0, 10.0, 8.0, 2.0, 1.0, 3.0, 2.0)
_BATCH = 500


def _string(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


# Columns that come from the product's name (and brand): a broad query ranks by these.
NAME_COLUMNS = ("zh", "en", "brand", "chars", "py", "pyi")
# From this many raw matches on, a query is "broad" (see ``SqliteFts5Backend._plan``): for
# relevance (bm25 costs about 1 µs a row), and for the catalog's orders (a join and a sort only).
BROAD_RELEVANCE = 1000
BROAD_ORDER = 1000
# The plan's probe counts up to this (at least the BROAD_* above, and the page's count cap,
# so that the probe is also the page's count).
PROBE_CAP = 1000


def match_expression(terms: Sequence[Term], *, columns: Sequence[str] = ()) -> str:
    expression = " AND ".join(_string(t.text) + ("*" if t.prefix else "") for t in terms)
    return f"{{{' '.join(columns)}}} : ({expression})" if columns else expression


class SqliteFts5Backend(SearchBackend):
    vendor = "sqlite"

    def schema_create(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
                f"{', '.join(COLUMNS)}, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')"
            )

    def schema_drop(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")

    def upsert(self, docs: Sequence[tuple[int, Document]]) -> None:
        if not docs:
            return
        self.delete([pk for pk, _doc in docs])
        placeholders = ", ".join(["%s"] * (len(COLUMNS) + 1))
        sql = f"INSERT INTO {TABLE} (rowid, {', '.join(COLUMNS)}) VALUES ({placeholders})"  # noqa: S608
        with self.connection.cursor() as cursor:
            for start in range(0, len(docs), _BATCH):
                cursor.executemany(
                    sql, [(int(pk), *doc.columns()) for pk, doc in docs[start : start + _BATCH]]
                )

    def delete(self, product_ids: Sequence[int]) -> None:
        ids = [int(i) for i in product_ids]
        with self.connection.cursor() as cursor:
            for start in range(0, len(ids), _BATCH):
                chunk = ids[start : start + _BATCH]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", chunk)  # noqa: S608

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608

    def optimize(self) -> None:
        """Merge the FTS5 segments after a bulk load (faster queries)."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")  # noqa: S608

    def indexed_ids(self, product_ids: Sequence[int]) -> set[int]:
        ids = [int(i) for i in product_ids]
        if not ids:
            return set()
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {TABLE} WHERE rowid IN ({', '.join(['%s'] * len(ids))})", ids)  # noqa: S608
            return {row[0] for row in cursor.fetchall()}

    def _count_raw(self, match: str) -> int:
        """How many documents match, counted up to PROBE_CAP; memoized for this backend object
        (one per request), so the plan's probe and the page's count are one statement."""
        memo = self.__dict__.setdefault("_raw_counts", {})
        if match not in memo:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT COUNT(*) FROM (SELECT 1 FROM {TABLE} WHERE {TABLE} MATCH %s LIMIT %s)",  # noqa: S608
                    [match, PROBE_CAP],
                )
                memo[match] = cursor.fetchone()[0]
        return memo[match]

    def _listing(self, terms: Sequence[Term], order: str) -> tuple[str, bool]:
        """The listing's match expression and whether it is broad. For relevance the probe
        counts the name matches (a broad relevance listing is those, see ``_plan``)."""
        if order == RELEVANCE:
            named = match_expression(terms, columns=NAME_COLUMNS)
            if self._count_raw(named) >= BROAD_RELEVANCE:
                return named, True
            return match_expression(terms), False
        match = match_expression(terms)
        return match, self._count_raw(match) >= BROAD_ORDER

    def _plan(self, terms: Sequence[Term], filters: Filters, order: str) -> tuple[str, list[object], str]:
        """FROM/WHERE, its parameters and the ORDER BY for this query.

        A selective query (fewer raw matches than BROAD_*) is driven by the full-text index:
        every match is joined to its product by primary key and ranked by bm25, then sales.
        A broad one (手机 in a phone shop: a quarter of the catalog) would rank tens of
        thousands of rows, so it is driven by the catalog's index of the chosen order instead:
        products are read in that order and kept when they are among the matches, and the
        LIMIT stops the scan after a page. Relevance for a broad query is the name match
        (all words in the name, brand or its pinyin) ordered by sales: among thousands of names
        that all contain the words, bm25 would only measure their length.
        """
        match, broad = self._listing(terms, order)
        if not broad:
            where, params = filters.sql()
            body = (
                f"FROM {TABLE} CROSS JOIN catalog_product AS p ON p.id = {TABLE}.rowid "
                f"WHERE {TABLE} MATCH %s AND {where}"
            )
            if order == RELEVANCE:
                weights = ", ".join(str(w) for w in WEIGHTS)
                order_sql = f"round(bm25({TABLE}, {weights}), 1), p.sales_count DESC, p.id DESC"
            else:
                order_sql = ORDERS[order]
            return body, [match, *params], order_sql
        order_sql = ORDERS["sales" if order == RELEVANCE else order]
        # The unary + keeps SQLite from driving by the match list: it probes it instead.
        where, params = filters.sql(probe=True)
        hits = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"  # noqa: S608
        body = f"FROM catalog_product AS p WHERE +p.id IN ({hits}) AND {where}"
        return body, [match, *params], order_sql

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
        body, params, order_sql = self._plan(terms, filters, order)
        if first_categories and order == RELEVANCE and self._listing(terms, order)[1]:
            return tiered(self.connection, body, params, first=first_categories, limit=limit, offset=offset)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT p.id {body} ORDER BY {order_sql} LIMIT %s OFFSET %s", [*params, limit, offset]
            )
            return [row[0] for row in cursor.fetchall()]

    def count(self, terms: Sequence[Term], *, filters: Filters, cap: int, order: str = RELEVANCE) -> int:
        match, _broad = self._listing(terms, order)
        if filters.is_default and cap <= PROBE_CAP:
            # The index holds active products only: without filters the plan's probe, already
            # run for this request, is this count.
            return min(self._count_raw(match), cap)
        # Always driven by the full-text index: LIMIT cap stops after cap joined rows.
        where, params = filters.sql()
        sql = (
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {TABLE} CROSS JOIN catalog_product AS p "  # noqa: S608
            f"ON p.id = {TABLE}.rowid WHERE {TABLE} MATCH %s AND {where} LIMIT %s)"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [match, *params, cap])
            return cursor.fetchone()[0]

    def names(self, terms: Sequence[Term], *, limit: int) -> list[int]:
        body, params, order_sql = self._plan(terms, Filters(), "sales")
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT p.id {body} ORDER BY {order_sql} LIMIT %s", [*params, limit])
            return [row[0] for row in cursor.fetchall()]
