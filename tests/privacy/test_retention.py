"""Retention: set-based sweeps by rule; dry runs change nothing; restricted keys expire."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candor.privacy import crypto, retention, rights, taxonomy
from candor.privacy.datamap import KeyClass
from candor.privacy.models import DataKey
from candor.privacy.processing import processing
from tests.privacy_app.core_models import Deal, SearchEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def searches(django_user_model):
    user = django_user_model.objects.create_user(username="searcher")
    now = timezone.now()
    old = [
        SearchEntry(user=user, keyword=f"old {i}", created_at=now - timedelta(days=181)) for i in range(30)
    ]
    new = [SearchEntry(user=user, keyword=f"new {i}", created_at=now - timedelta(days=10)) for i in range(5)]
    SearchEntry.objects.bulk_create(old + new)
    return user


def test_sweep_deletes_expired_search_history_in_one_statement(searches):
    with CaptureQueriesContext(connection) as queries:
        results = retention.sweep()
    assert SearchEntry.objects.count() == 5
    assert all(e.keyword.startswith("new") for e in SearchEntry.objects.all())
    deletes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("DELETE") and "searchentry" in q["sql"]
    ]
    assert len(deletes) == 1  # set-based, not row by row
    by_model = {r.label: r.rows for r in results}
    assert by_model["privacy_app.SearchEntry"] == 30


def test_dry_run_counts_and_changes_nothing(searches, capsys):
    call_command("retention", "run", "--dry-run")
    out = capsys.readouterr().out
    from candor.privacy.datamap import declaration_for
    from candor.privacy.documents import describe_retention

    rule = describe_retention(declaration_for(SearchEntry).retention, model=SearchEntry)
    assert "180" in rule
    assert f"privacy_app.SearchEntry: would delete 30 rows — {rule}" in out
    assert SearchEntry.objects.count() == 35


def make_deal(user, number, completed_days_ago):
    return Deal.objects.create(
        user=user,
        number=number,
        amount_fen=100,
        recipient_name="李四",
        recipient_phone="13900001111",
        address="上海市浦东新区世纪大道1号",
        buyer_note="请放门口",
        completed_at=timezone.now() - timedelta(days=completed_days_ago),
    )


def test_transactions_stay_while_the_account_lives_even_past_term(django_user_model):
    user = django_user_model.objects.create_user(username="loyal")
    make_deal(user, "T1", completed_days_ago=4 * 366)
    retention.sweep()
    deal = Deal.objects.get(number="T1")
    assert deal.buyer_note == "请放门口" and deal.recipient_name == "李四"


def test_after_erasure_transactions_are_anonymized_at_term_and_key_shredded(django_user_model):
    user = django_user_model.objects.create_user(username="gone")
    make_deal(user, "T2", completed_days_ago=4 * 366)
    make_deal(user, "T3", completed_days_ago=30)
    rights.erase(user.pk)
    with processing(taxonomy.LEGAL_RETENTION):
        assert Deal.objects.get(number="T3").recipient_name == "李四"  # restricted, still readable legally

    retention.sweep()
    old = Deal.objects.get(number="T2")
    assert (old.recipient_name, old.recipient_phone, old.address, old.buyer_note) == (None, None, None, "")
    with processing(taxonomy.LEGAL_RETENTION):
        assert Deal.objects.get(number="T3").recipient_name == "李四"  # its term is not over

    retention.sweep(now=timezone.now() + timedelta(days=3 * 366 + 1))
    assert (
        DataKey.objects.get(subject_id=user.pk, key_class=KeyClass.TRANSACTION).state
        == DataKey.State.SHREDDED
    )
    with processing(taxonomy.LEGAL_RETENTION):
        assert Deal.objects.get(number="T3").recipient_name is None


def test_second_sweep_touches_nothing(searches):
    retention.sweep()
    again = {r.label: r.rows for r in retention.sweep()}
    assert again["privacy_app.SearchEntry"] == 0
    assert again["privacy_app.Deal"] == 0


def test_shred_expired_is_set_based(django_user_model):
    users = [django_user_model.objects.create_user(username=f"u{i}") for i in range(5)]
    for user in users:
        make_deal(user, f"S{user.pk}", completed_days_ago=1)
        crypto.restrict(user.pk, KeyClass.TRANSACTION, until=timezone.now() - timedelta(seconds=1))
    assert crypto.shred_expired(now=timezone.now()) == 5


def test_large_sweeps_go_in_id_windows_each_its_own_statement(searches, monkeypatch):
    monkeypatch.setattr(retention, "WINDOW", 10)
    with CaptureQueriesContext(connection) as queries:
        retention.sweep()
    deletes = [
        q for q in queries.captured_queries if q["sql"].startswith("DELETE") and "searchentry" in q["sql"]
    ]
    assert len(deletes) == 4  # the table's 35 ids, 10 per window
    assert SearchEntry.objects.count() == 5
