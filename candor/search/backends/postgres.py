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

from collections.abc import Sequence

from candor.search.backends.base import ORDERS, RELEVANCE, Filters, SearchBackend
from candor.search.text import Document, Term

TABLE = "search_productdocument"
_BATCH = 1000
_MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
_MAX_POSITIONS_PER_LEXEME = 32


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
        with self.connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")

    def indexed_ids(self, product_ids: Sequence[int]) -> set[int]:
        ids = [int(i) for i in product_ids]
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT product_id FROM {TABLE} WHERE product_id = ANY(%s)", [ids])  # noqa: S608
            return {row[0] for row in cursor.fetchall()}

    def _from(self, terms: Sequence[Term], filters: Filters) -> tuple[str, list[object]]:
        where, params = filters.sql()
        sql = (
            f"FROM {TABLE} AS d JOIN catalog_product AS p ON p.id = d.product_id "
            f"WHERE d.document @@ %s::tsquery AND {where}"
        )
        return sql, [tsquery_literal(terms), *params]

    def search(
        self, terms: Sequence[Term], *, filters: Filters, order: str, limit: int, offset: int
    ) -> list[int]:
        body, params = self._from(terms, filters)
        if order == RELEVANCE:
            order_sql = (
                "round(ts_rank(d.document, %s::tsquery)::numeric, 2) DESC, p.sales_count DESC, p.id DESC"
            )
            order_params = [tsquery_literal(terms)]
        else:
            order_sql, order_params = ORDERS[order], []
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT p.id {body} ORDER BY {order_sql} LIMIT %s OFFSET %s",
                [*params, *order_params, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]

    def count(self, terms: Sequence[Term], *, filters: Filters, cap: int, order: str = RELEVANCE) -> int:
        body, params = self._from(terms, filters)
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 {body} LIMIT %s) AS hits", [*params, cap])  # noqa: S608
            return cursor.fetchone()[0]

    def names(self, terms: Sequence[Term], *, limit: int) -> list[int]:
        body, params = self._from(terms, Filters())
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT p.id {body} ORDER BY {ORDERS['sales']} LIMIT %s", [*params, limit])
            return [row[0] for row in cursor.fetchall()]
