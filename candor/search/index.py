"""Keeping the search index in step with the catalog.

``candor.catalog.services`` calls ``product_indexed`` / ``product_unindexed`` after its
transaction commits (never for a rolled-back change). ``product_indexed`` reads the products'
current rows: an active product gets a fresh document, an inactive or vanished one is removed,
so deactivation and deletion both take a product out of search. ``reindex_all`` rebuilds the
whole index in batches (``candor search reindex``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction

from candor.catalog.models import Product
from candor.search import text
from candor.search.backends import backend_for

_FIELDS = ("id", "name_zh", "name_en", "brand", "subtitle_zh", "subtitle_en")
BATCH = 2000


def _documents(rows: Iterable[tuple]) -> list[tuple[int, text.Document]]:
    return [
        (pk, text.document(name_zh=zh, name_en=en, brand=brand, subtitle_zh=sub_zh, subtitle_en=sub_en))
        for pk, zh, en, brand, sub_zh, sub_en in rows
    ]


def product_indexed(*, product_ids: Sequence[int]) -> None:
    """(Re)index these products as they are now; inactive or deleted ones leave the index.
    Works in batches, so a bulk load may pass all of its ids at once."""
    ids = sorted({int(i) for i in product_ids})
    backend = backend_for()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        with transaction.atomic():
            rows = list(Product.objects.filter(pk__in=chunk, is_active=True).values_list(*_FIELDS))
            gone = set(chunk) - {row[0] for row in rows}
            if gone:
                backend.delete(sorted(gone))
            backend.upsert(_documents(rows))


def product_unindexed(*, product_ids: Sequence[int]) -> None:
    """Remove these products from the index (deleted, or taken off sale)."""
    ids = sorted({int(i) for i in product_ids})
    if ids:
        with transaction.atomic():
            backend_for().delete(ids)


def reindex_all(*, batch: int = BATCH) -> int:
    """Rebuild the index from every active product; returns how many were indexed."""
    backend = backend_for()
    done = 0
    with transaction.atomic():
        backend.clear()
        last = 0
        while True:
            rows = list(
                Product.objects.filter(is_active=True, pk__gt=last)
                .order_by("pk")
                .values_list(*_FIELDS)[:batch]
            )
            if not rows:
                break
            backend.upsert(_documents(rows))
            done += len(rows)
            last = rows[-1][0]
    backend.optimize()
    return done
