"""PostgreSQL: a ``tsvector`` per product in ``search_productdocument`` with a GIN index.

The tsvector is written as a literal from the tokens segmented in Python — exactly what the
``simple`` configuration would make of the space-joined text, but without depending on the
server's locale to decide whether 手 is a letter (under ``LC_CTYPE=C`` the default parser
splits Chinese differently). Weights: A for the names and brand, B for subtitles, C for pinyin
and initials, D for single characters; ``ts_rank`` uses them. Queries are ``tsquery`` literals
built from quoted lexemes (``'手机' & 'shou':*``), so typed operators (``!``, ``|``, ``&``,
``:*``, quotes) are never syntax.

SQL is assembled only from this module's constant table and column names (hence the
``noqa: S608``); every value, the match expression included, is a query parameter.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace

from candor.search.backends.base import ORDERS, RELEVANCE, Filters, SearchBackend, tiered
from candor.search.text import Document, Term

TABLE = "search_productdocument"
_BATCH = 1000
_MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
_MAX_POSITIONS_PER_LEXEME = 32
# From this many matches on (the planner's estimate), a query is "broad" (``PostgresBackend._plan``).
BROAD = 1000
# An estimate this many times the count's cap is taken as "more than the cap" (``count``).
SURE_BROAD = 3
# A plan's count of several words counts up to this (the page's count cap: it is reused).
PROBE_CAP = 1000
# Documents matching, up to a cap. The CTE is planned without the LIMIT, so the GIN index
# drives it (a capped plan would read the table in key order testing every document); the
# LIMIT still stops it after cap rows. ``SELECT FROM`` (no column at all, not ``SELECT 1``):
# a bitmap heap scan with an empty target list skips the pages the visibility map marks
# all-visible instead of reading each document (苹果手机壳: 11.9 → 3.9 ms, EXPLAIN ANALYZE at
# 100k products after VACUUM ANALYZE).
_COUNT_DOCUMENTS = (
    f"WITH m AS MATERIALIZED (SELECT FROM {TABLE} WHERE document @@ %s::tsquery) "  # noqa: S608
    "SELECT COUNT(*) FROM (SELECT FROM m LIMIT %s) AS hits"
)
# FROM/WHERE, its parameters, ORDER BY, its parameters, the listing's tsquery.
_Plan = tuple[str, list[object], str, list[object], str]


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(doc: Document) -> str:
    positions: dict[str, list[str]] = {}
    pos = 0
    for text, weight in (
        (doc.zh, "A"), (doc.en, "A"), (doc.brand, "A"), (doc.sub, "B"),
        (doc.py, "C"), (doc.pyi, "C"), (doc.chars, ""),
    ):  # fmt: skip
        for token in text.split():
            pos = min(pos + 1, _MAX_POSITION)
            slots = positions.setdefault(token, [])
            if len(slots) < _MAX_POSITIONS_PER_LEXEME:
                slots.append(f"{pos}{weight}")
    return " ".join(f"{_lexeme(t)}:{','.join(p)}" for t, p in positions.items())


def tsquery_literal(terms: Sequence[Term]) -> str:
    return " & ".join(_lexeme(t.text) + (":*" if t.prefix else "") for t in terms)


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def schema_create(self) -> None:
        with self.connection.cursor() as cursor:
            # No foreign key to catalog_product: this table is not a Django model, so Django's
            # flush (TRUNCATE of the model tables) could not empty catalog_product past it. The
            # catalog's services unindex what they delete, and searches join on the product.
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {TABLE} ("
                " product_id bigint PRIMARY KEY, document tsvector NOT NULL)"
            )
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_gin ON {TABLE} USING gin (document)")

    def schema_drop(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")

    def upsert(self, docs: Sequence[tuple[int, Document]]) -> None:
        sql = (
            f"INSERT INTO {TABLE} (product_id, document) VALUES (%s, %s::tsvector) "  # noqa: S608
            "ON CONFLICT (product_id) DO UPDATE SET document = EXCLUDED.document"
        )
        with self.connection.cursor() as cursor:
            for start in range(0, len(docs), _BATCH):
                cursor.executemany(
                    sql, [(int(pk), tsvector_literal(d)) for pk, d in docs[start : start + _BATCH]]
                )

    def delete(self, product_ids: Sequence[int]) -> None:
        ids = [int(i) for i in product_ids]
        if ids:
            with self.connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {TABLE} WHERE product_id = ANY(%s)", [ids])  # noqa: S608

    def clear(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 (TRUNCATE waits on deferred FK triggers)

    def optimize(self) -> None:
        """After a reindex (every row deleted and written again): reclaim the dead rows when
        outside a transaction, and refresh the statistics the plan choice reads."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"{'ANALYZE' if self.connection.in_atomic_block else 'VACUUM ANALYZE'} {TABLE}")

    def indexed_ids(self, product_ids: Sequence[int]) -> set[int]:
        ids = [int(i) for i in product_ids]
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT product_id FROM {TABLE} WHERE product_id = ANY(%s)", [ids])  # noqa: S608
            return {row[0] for row in cursor.fetchall()}

    def _matches(self, terms: Sequence[Term]) -> tuple[int, bool]:
        """How many documents match (and whether that is an exact count up to PROBE_CAP),
        memoized for this backend object (one per request): it chooses the plan.

        One word (after leaving out the words inside another query word: 笔记本电脑 is also
        笔记, 笔记本 and 电脑, and a document holding the whole word holds its parts, being
        segmented the same way): the planner's estimate, from the column's statistics
        (``ANALYZE`` keeps the most common lexemes and their frequencies) — a planning step,
        ~0.3 ms whatever the number of matches. Several words: the planner multiplies their
        frequencies as if they were independent, and 小米 + 14 or 蓝牙 + 耳机 are not (597 and
        308 estimated for 3,564 and thousands), so they are counted, up to PROBE_CAP."""
        texts = [t.text for t in terms]
        core = [t for t in terms if t.prefix or not any(t.text != o and t.text in o for o in texts)]
        memo = self.__dict__.setdefault("_matches_memo", {})
        key = tsquery_literal(terms)
        if key in memo:
            return memo[key]
        with self.connection.cursor() as cursor:
            if len(core) == 1:
                cursor.execute(
                    f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {TABLE} WHERE document @@ %s::tsquery",  # noqa: S608
                    [tsquery_literal(core)],
                )
                plan = cursor.fetchone()[0]
                if isinstance(plan, str):
                    plan = json.loads(plan)
                memo[key] = (int(plan[0]["Plan"]["Plan Rows"]), False)
            else:
                memo[key] = (self._count_words(cursor, terms), True)
        return memo[key]

    def _count_words(self, cursor, terms: Sequence[Term]) -> int:
        """The GIN-driven count of several words, up to PROBE_CAP. A prefix term ('phone':*)
        makes GIN collect every posting of every lexeme under the prefix into a bitmap (phone
        case: 11–18 ms), where whole words intersect their posting trees (2–3 ms). A prefix
        term matches at least what the whole word matches, so when the whole words already
        reach the cap, so does the query; only below it is the prefix query counted."""
        if any(t.prefix for t in terms):
            whole = tsquery_literal([replace(t, prefix=False) for t in terms])
            cursor.execute(_COUNT_DOCUMENTS, [whole, PROBE_CAP])
            found = cursor.fetchone()[0]
            if found >= PROBE_CAP:
                return found
        cursor.execute(_COUNT_DOCUMENTS, [tsquery_literal(terms), PROBE_CAP])
        return cursor.fetchone()[0]

    def _plan(self, terms: Sequence[Term], filters: Filters, order: str) -> _Plan:
        """FROM/WHERE and its parameters, the ORDER BY and its parameters, and the tsquery.

        A selective query (an estimated fewer than BROAD matches) is driven by the GIN index:
        every match is joined to its product and ranked by ts_rank, then sales. A broad one
        (手机: a quarter of the catalog) would rank, sort and join tens of thousands of rows,
        so it walks the catalog's index of the chosen order and keeps a product when its
        document matches (a scalar subquery per product, which the planner cannot turn into a
        hash join over every match); LIMIT stops the walk after a page. Relevance for a broad
        query is "all the words", best sellers first: among thousands of names that all contain
        the words, ts_rank measures little more than their length.
        """
        query = tsquery_literal(terms)
        where, params = filters.sql()
        if self._matches(terms)[0] >= BROAD:
            body = (
                f"FROM catalog_product AS p WHERE {where} AND "  # noqa: S608
                f"(SELECT d.document @@ %s::tsquery FROM {TABLE} AS d WHERE d.product_id = p.id)"
            )
            return body, [*params, query], ORDERS["sales" if order == RELEVANCE else order], [], query
        body = (
            f"FROM {TABLE} AS d JOIN catalog_product AS p ON p.id = d.product_id "
            f"WHERE d.document @@ %s::tsquery AND {where}"
        )
        if order == RELEVANCE:
            order_sql = (
                "round(ts_rank(d.document, %s::tsquery)::numeric, 2) DESC, p.sales_count DESC, p.id DESC"
            )
            return body, [query, *params], order_sql, [query], query
        return body, [query, *params], ORDERS[order], [], query

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
        body, params, order_sql, order_params, _query = self._plan(terms, filters, order)
        if first_categories and order == RELEVANCE and self._matches(terms)[0] >= BROAD:
            return tiered(self.connection, body, params, first=first_categories, limit=limit, offset=offset)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT p.id {body} ORDER BY {order_sql} LIMIT %s OFFSET %s",
                [*params, *order_params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]

    def count(self, terms: Sequence[Term], *, filters: Filters, cap: int, order: str = RELEVANCE) -> int:
        """The capped count. Without filters of the person's (the index holds active products
        only, and no shop is closed) the plan's count is reused, and a word the statistics put
        at SURE_BROAD times the cap or more is reported as the cap ("1000+") unread."""
        query = tsquery_literal(terms)
        if filters.is_default:
            matches, exact = self._matches(terms)
            if exact and cap <= PROBE_CAP:
                return min(matches, cap)
            if not exact and matches >= SURE_BROAD * cap:
                return cap
            sql, params = _COUNT_DOCUMENTS, [query, cap]
        else:
            where, where_params = filters.sql()
            sql = (
                f"SELECT COUNT(*) FROM (SELECT 1 FROM {TABLE} AS d JOIN catalog_product AS p "  # noqa: S608
                f"ON p.id = d.product_id WHERE d.document @@ %s::tsquery AND {where} LIMIT %s) AS hits"
            )
            params = [query, *where_params, cap]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    def names(self, terms: Sequence[Term], *, limit: int) -> list[int]:
        body, params, order_sql, order_params, _query = self._plan(terms, Filters(), "sales")
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT p.id {body} ORDER BY {order_sql} LIMIT %s", [*params, *order_params, limit]
            )
            return [row[0] for row in cursor.fetchall()]
