"""PostgreSQL's count of several words (``PostgresBackend._count_words``): whole words are
counted first, and when they already reach the cap the prefix query is not counted at all (it
makes GIN collect every posting under each prefix). The answer must be the prefix query's own
capped count either way."""

from __future__ import annotations

import pytest
from django.db import connection

from candor.search import text

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL backend"),
]


def _direct(terms, cap: int) -> int:
    from candor.search.backends.postgres import _COUNT_DOCUMENTS, tsquery_literal

    with connection.cursor() as cursor:
        cursor.execute(_COUNT_DOCUMENTS, [tsquery_literal(terms), cap])
        return cursor.fetchone()[0]


QUERIES = ["phone case", "phon cas", "huawei phone", "苹果 shouji", "华为手机", "apple z1"]


@pytest.mark.parametrize("q", QUERIES)
@pytest.mark.parametrize("cap", [1, 2, 1000])
def test_several_words_count_as_the_prefix_query(shop, monkeypatch, q, cap):
    from candor.search.backends import backend_for, postgres

    monkeypatch.setattr(postgres, "PROBE_CAP", cap)
    terms = text.query_terms(q)
    assert len(terms) > 1
    with connection.cursor() as cursor:
        got = backend_for()._count_words(cursor, terms)
    assert got == _direct(terms, cap)


def test_whole_words_reaching_the_cap_spare_the_prefix_count(shop, monkeypatch, django_assert_num_queries):
    from candor.search.backends import backend_for, postgres

    monkeypatch.setattr(postgres, "PROBE_CAP", 1)
    terms = text.query_terms("phone case")  # 'phone':* & 'case':*, and two products say both
    with django_assert_num_queries(1), connection.cursor() as cursor:
        assert backend_for()._count_words(cursor, terms) == 1
    monkeypatch.setattr(postgres, "PROBE_CAP", 1000)
    with django_assert_num_queries(2), connection.cursor() as cursor:
        assert backend_for()._count_words(cursor, terms) == 2  # below the cap: the prefix query too
