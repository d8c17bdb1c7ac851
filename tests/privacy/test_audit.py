"""The audit chain: intact after appends, and every kind of tampering by direct SQL is named.

Tampering goes through ``connection.cursor()`` on purpose: that is what an attacker or a
careless operator with database access does, and what the ORM's append-only guard cannot stop.
Every test runs on SQLite and on PostgreSQL (``DATABASE_URL``), whose time and JSON columns
come back differently, so both prove that ``record`` and ``verify`` agree on the bytes.
"""

from __future__ import annotations

import itertools
import json
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from candor.privacy import audit, audit_verify
from candor.privacy.audit import Action
from candor.privacy.audit_verify import Damage
from candor.privacy.models import AuditEvent, AuditHead
from candor.privacy.models.append_only import AppendOnlyError

TABLE = AuditEvent._meta.db_table
PURPOSES = ["delivery", "after_sales", "customer_service", "legal"]


@pytest.fixture(autouse=True)
def english():
    # The sentences are translated; asserting their English wording needs English active.
    with translation.override("en"):
        yield


def fill(n: int) -> list[AuditEvent]:
    """n events of every action, with varied ids, fields, purposes and JSON details."""
    actions = [Action.REVEAL, Action.CHANGE, Action.EXPORT, Action.ERASE, Action.DISCLOSE, Action.CONSENT]
    return [
        audit.record(
            action=actions[i % len(actions)],
            actor_id=None if i % 5 == 0 else 100 + i,
            subject_id=None if i % 7 == 0 else 1000 + i % 3,
            target=f"orders.order:{i}",
            fields=[["phone", "address"], [], ["名字"], ["email"]][i % 4],
            purpose=PURPOSES[i % len(PURPOSES)],
            detail=[
                {},
                {"granted": True, "channel": "app", "policy_version": "2025-01"},
                {
                    "recipient": "顺丰速运",
                    "amount": 12.5,
                    "whole": 100.0,
                    "n": [1, 2, {"b": None, "a": 1e16}],
                },
            ][i % 3],
        )
        for i in range(n)
    ]


def sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def json_param() -> str:
    # PostgreSQL will not put text into jsonb without a cast; SQLite stores JSON as text.
    return "%s::jsonb" if connection.vendor == "postgresql" else "%s"


def row(seq: int) -> AuditEvent:
    return AuditEvent.objects.get(seq=seq)


def assert_names(
    result: audit_verify.VerifyResult, damage: Damage, seq: int | None, row_id: int | None
) -> None:
    assert not result.ok, result
    assert (result.damage, result.seq, result.row_id) == (damage, seq, row_id), result
    if seq is not None:
        assert f"#{seq}" in result.message
    if row_id is not None:
        assert f"row id {row_id}" in result.message


# --- The canonical form -------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=12,
)


def whole_numbers_as_ints(value: Any) -> Any:
    """The one rule canonical JSON adds to json.dumps: whole numbers are written as integers."""
    if isinstance(value, float) and value.is_integer():
        return int(Decimal(repr(value)))
    if isinstance(value, list):
        return [whole_numbers_as_ints(v) for v in value]
    if isinstance(value, dict):
        return {k: whole_numbers_as_ints(v) for k, v in value.items()}
    return value


@settings(max_examples=200, deadline=None)
@given(
    seq=st.integers(min_value=1, max_value=2**62),
    micro=st.integers(min_value=0, max_value=10**15),
    actor_id=st.none() | st.integers(min_value=-(2**63), max_value=2**63 - 1),
    subject_id=st.none() | st.integers(min_value=0, max_value=2**63 - 1),
    action=st.text(max_size=32),
    target=st.text(max_size=120),
    fields=st.lists(st.text(max_size=20), max_size=5),
    purpose=st.text(max_size=64),
    detail=st.dictionaries(st.text(max_size=10), json_values, max_size=5),
)
def test_canonical_is_sorted_compact_ascii_json(
    seq, micro, actor_id, subject_id, action, target, fields, purpose, detail
):
    at = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(microseconds=micro)
    body = audit.canonical(
        seq=seq, at=at, actor_id=actor_id, action=action, subject_id=subject_id, target=target,
        fields=fields, purpose=purpose, detail=detail,
    )  # fmt: skip
    reference = {
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "action": action,
        "subject_id": subject_id,
        "target": target,
        "fields": fields,
        "purpose": purpose,
        "detail": whole_numbers_as_ints(detail),
    }
    assert body == json.dumps(reference, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()
    assert json.loads(body) == json.loads(json.dumps(reference))


@pytest.mark.parametrize(
    ("stored", "canonical"),
    [
        # Django on SQLite stores json.dumps output; PostgreSQL's jsonb gives back its own text.
        ('{"b": 1, "a": [1.5, 2.0]}', '{"a":[1.5,2],"b":1}'),
        ('{"a": [1.5, 2.0], "b": 1}', '{"a":[1.5,2],"b":1}'),
        ('{"big": 1e+16, "tiny": 1e-07}', '{"big":10000000000000000,"tiny":1e-07}'),
        ('{"big": 10000000000000000, "tiny": 0.0000001}', '{"big":10000000000000000,"tiny":1e-07}'),
        ('{"max": 1.7976931348623157e+308}', '{"max":1' + "7976931348623157" + "0" * 292 + "}"),
        ('{"who": "\\u987a\\u4e30"}', '{"who":"\\u987a\\u4e30"}'),
        ('{"who": "顺丰"}', '{"who":"\\u987a\\u4e30"}'),
    ],
)
def test_canonical_json_is_the_same_from_either_database(stored, canonical):
    assert audit.canonical_json(stored) == canonical


@pytest.mark.parametrize("forged", ["NaN", '{"a": Infinity}', "1e999", "[1e400]", "{"])
def test_canonical_json_refuses_what_no_append_writes(forged):
    with pytest.raises(ValueError):
        audit.canonical_json(forged)


# --- An intact chain ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_empty_log_is_intact():
    result = audit_verify.verify()
    assert result.ok and result.events == 0
    assert result.message == "audit chain intact: 0 events"


@pytest.mark.django_db
@pytest.mark.parametrize("batch_size", [1, 2, 7, 20_000])
def test_chain_is_intact_after_many_records(batch_size):
    events = fill(40)
    assert [e.seq for e in events] == list(range(1, 41))
    assert events[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    head = AuditHead.objects.get()
    assert (head.seq, head.hash) == (40, events[-1].hash)
    result = audit_verify.verify(batch_size=batch_size)
    assert result.ok, result.message
    assert result.events == 40
    assert result.message == "audit chain intact: 40 events"


@pytest.mark.django_db
def test_record_stores_exactly_what_it_hashes():
    event = audit.record(
        action=Action.REVEAL, actor_id=7, subject_id=8, target="accounts.user:8",
        fields=["phone", "address"], purpose="customer_service", detail={"x": 2.0, "y": (1, 2)},
    )  # fmt: skip
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.fields == ["address", "phone"]
    assert event.detail == {"x": 2, "y": [1, 2]}
    body = audit.canonical(
        seq=event.seq, at=event.at, actor_id=event.actor_id, action=event.action,
        subject_id=event.subject_id, target=event.target, fields=event.fields,
        purpose=event.purpose, detail=event.detail,
    )  # fmt: skip
    assert audit.chain_hash(event.prev_hash, body) == event.hash


@pytest.mark.django_db
def test_time_with_zero_microseconds_round_trips(monkeypatch):
    # SQLite stores str(datetime), which drops ".000000": verify must put it back.
    whole_second = datetime(2025, 5, 1, 8, 0, 0, tzinfo=UTC)
    monkeypatch.setattr(audit.timezone, "now", lambda: whole_second)
    audit.record(action=Action.EXPORT, subject_id=1)
    assert audit_verify.verify().ok


@pytest.mark.django_db
def test_fields_must_be_a_list_not_a_string():
    with pytest.raises(TypeError):
        audit.record(action=Action.REVEAL, fields="phone")
    assert not AuditEvent.objects.exists()


# --- Tampering by direct SQL ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("purpose", "'marketing'"),
        ("subject_id", "subject_id + 1"),
        ("actor_id", "COALESCE(actor_id, 0) + 1"),
        ("action", "'export'"),
        ("target", "'orders.order:999'"),
        ("at", None),
        ("prev_hash", "hash"),
    ],
)
def test_editing_a_column_names_that_row(column, value):
    fill(12)
    victim = row(6)
    if value is None:  # the time, one second earlier, in the database's own type
        earlier = connection.ops.adapt_datetimefield_value(victim.at - timedelta(seconds=1))
        sql(f"UPDATE {TABLE} SET at = %s WHERE id = %s", [earlier, victim.pk])
    else:
        sql(f"UPDATE {TABLE} SET {column} = {value} WHERE id = %s", [victim.pk])
    result = audit_verify.verify(batch_size=4)
    assert_names(result, Damage.EDITED, 6, victim.pk)
    assert result.events == 5
    assert "was edited" in result.message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("fields", '["bank_card", "phone"]'),
        ("fields", "[]"),
        ("detail", '{"granted": false, "channel": "app", "policy_version": "2025-01"}'),
        ("detail", '{"amount": 12.51}'),
    ],
)
def test_editing_a_json_column_names_that_row(column, value):
    fill(12)
    victim = row(3)
    sql(f"UPDATE {TABLE} SET {column} = {json_param()} WHERE id = %s", [value, victim.pk])
    assert_names(audit_verify.verify(), Damage.EDITED, 3, victim.pk)


@pytest.mark.django_db
def test_reformatting_a_json_column_without_changing_its_value_is_not_damage():
    fill(3)
    victim = row(2)  # detail {"granted": true, ...}
    sql(
        f"UPDATE {TABLE} SET detail = {json_param()} WHERE id = %s",
        ['{ "policy_version":"2025-01" , "channel":"app","granted":true }', victim.pk],
    )
    assert audit_verify.verify().ok


@pytest.mark.django_db
def test_editing_a_row_and_recomputing_its_hash_names_that_row():
    fill(10)
    victim = row(4)
    body = audit.canonical(
        seq=4, at=victim.at, actor_id=victim.actor_id, action=victim.action,
        subject_id=victim.subject_id, target=victim.target, fields=victim.fields,
        purpose="marketing", detail=victim.detail,
    )  # fmt: skip
    forged = audit.chain_hash(victim.prev_hash, body)
    sql(f"UPDATE {TABLE} SET purpose = 'marketing', hash = %s WHERE id = %s", [forged, victim.pk])
    result = audit_verify.verify(batch_size=3)
    assert_names(result, Damage.EDITED, 4, victim.pk)
    assert "recomputed hash" in result.message and "#5" in result.message


@pytest.mark.django_db
@pytest.mark.parametrize("batch_size", [1, 5, 20_000])
def test_deleting_a_middle_row_names_the_gap(batch_size):
    fill(12)
    victim, after = row(5), row(6)
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [victim.pk])
    result = audit_verify.verify(batch_size=batch_size)
    assert_names(result, Damage.DELETED, 5, after.pk)
    assert result.events == 4
    assert "#5 to #5 are missing before event #6" in result.message


@pytest.mark.django_db
def test_deleting_the_first_rows_names_the_gap():
    fill(6)
    sql(f"DELETE FROM {TABLE} WHERE seq <= 2")
    assert_names(audit_verify.verify(), Damage.DELETED, 1, row(3).pk)


@pytest.mark.django_db
def test_deleting_the_last_row_is_a_truncated_tail():
    fill(8)
    last, kept = row(8), row(7)
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [last.pk])
    result = audit_verify.verify()
    assert_names(result, Damage.TRUNCATED, 8, kept.pk)
    assert result.events == 7
    assert "chain head is at #8" in result.message


@pytest.mark.django_db
def test_deleting_every_row_is_a_truncated_tail():
    fill(3)
    sql(f"DELETE FROM {TABLE}")
    result = audit_verify.verify()
    assert (result.damage, result.seq, result.row_id) == (Damage.TRUNCATED, 1, None)
    assert "every event was deleted" in result.message


@pytest.mark.django_db
def test_deleting_the_head_is_named():
    fill(3)
    sql(f"DELETE FROM {AuditHead._meta.db_table}")
    result = audit_verify.verify()
    assert (result.damage, result.seq) == (Damage.HEAD, 3)


def forge(*, seq: int, prev_hash: str, purpose: str = "marketing") -> int:
    """Insert a row by SQL whose hash is right for its contents: what a careful forger does."""
    at = datetime.now(UTC)
    fields: list[str] = ["phone"]
    detail: dict[str, Any] = {"note": "forged"}
    digest = audit.chain_hash(
        prev_hash,
        audit.canonical(
            seq=seq, at=at, actor_id=1, action=Action.REVEAL, subject_id=2, target="accounts.user:2",
            fields=fields, purpose=purpose, detail=detail,
        ),
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (seq, at, actor_id, action, subject_id, target, fields, purpose, detail, "
            f"prev_hash, hash) VALUES (%s, %s, 1, 'reveal', 2, 'accounts.user:2', {json_param()}, %s, "
            f"{json_param()}, %s, %s)",
            [seq, connection.ops.adapt_datetimefield_value(at), json.dumps(fields), purpose,
             json.dumps(detail), prev_hash, digest],
        )  # fmt: skip
    return AuditEvent.objects.get(seq=seq, hash=digest).pk


@pytest.mark.django_db
def test_inserting_a_forged_row_at_the_end_names_it():
    fill(6)
    forged = forge(seq=7, prev_hash=row(6).hash)
    result = audit_verify.verify()
    assert_names(result, Damage.INSERTED, 7, forged)
    assert "beyond the chain head (#6)" in result.message


@pytest.mark.django_db
def test_replacing_a_middle_row_with_a_forged_one_names_it():
    fill(10)
    sql(f"DELETE FROM {TABLE} WHERE seq = 5")
    forged = forge(seq=5, prev_hash=row(4).hash)
    result = audit_verify.verify(batch_size=2)
    assert_names(result, Damage.EDITED, 5, forged)


@pytest.mark.django_db
def test_inserting_a_row_before_the_first_names_it():
    fill(4)
    forged = forge(seq=0, prev_hash=audit.GENESIS)
    assert_names(audit_verify.verify(), Damage.INSERTED, 0, forged)


@pytest.mark.django_db
def test_inserting_a_row_that_repeats_a_seq_names_it():
    # Only possible once the unique constraint is gone; on SQLite, dropping it means rebuilding
    # the table, so this one runs where ALTER TABLE can do it.
    if connection.vendor != "postgresql":
        pytest.skip("dropping a unique constraint needs ALTER TABLE … DROP CONSTRAINT (PostgreSQL)")
    fill(6)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'u'", [TABLE]
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'ALTER TABLE {TABLE} DROP CONSTRAINT "{name}"')
    forged = forge(seq=3, prev_hash=row(2).hash)
    for batch_size in (1, 2, 3, 100):
        assert_names(audit_verify.verify(batch_size=batch_size), Damage.INSERTED, 3, forged)


# --- The command ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_reports_an_intact_chain(capsys):
    fill(5)
    call_command("audit", "verify")
    assert "audit chain intact: 5 events" in capsys.readouterr().out


@pytest.mark.django_db
def test_command_fails_naming_the_row():
    fill(5)
    victim = row(3)
    sql(f"UPDATE {TABLE} SET purpose = 'marketing' WHERE id = %s", [victim.pk])
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify", "--batch-size", "2")
    assert f"#3 (row id {victim.pk})" in str(failure.value)


@pytest.mark.django_db
def test_command_needs_an_action():
    with pytest.raises(CommandError):
        call_command("audit")


# --- The ORM cannot change the log; a rolled-back change leaves no event ------------------------


@pytest.mark.django_db
def test_orm_update_and_delete_are_refused():
    fill(3)
    event = row(2)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(purpose="marketing")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    event.purpose = "marketing"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert row(2).purpose == PURPOSES[1]
    assert audit_verify.verify().ok


class Boom(Exception):
    pass


@pytest.mark.django_db
def test_event_of_a_rolled_back_change_vanishes_with_it():
    fill(2)
    with pytest.raises(Boom), transaction.atomic():
        user = get_user_model().objects.create(username="rolled-back")
        audit.record(action=Action.CHANGE, actor_id=user.pk, subject_id=user.pk, fields=["username"])
        raise Boom
    assert not get_user_model().objects.filter(username="rolled-back").exists()
    assert AuditEvent.objects.count() == 2
    assert AuditHead.objects.get().seq == 2
    assert audit.record(action=Action.CHANGE, subject_id=1).seq == 3  # no hole left behind
    assert audit_verify.verify().ok


# --- Concurrency (PostgreSQL: real connections, row locks) -------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent connections; SQLite's in-memory test database is one shared cache "
    "whose table locks fail at once instead of waiting",
)


def in_threads(count: int, work) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run(index: int) -> None:
        try:
            start.wait()
            work(index)
        except BaseException as exc:  # reported to the test, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()  # each thread's own connection; the test database must drop

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_records_keep_one_chain():
    per_thread = 40

    def work(index: int) -> None:
        for i in range(per_thread):
            with transaction.atomic():
                audit.record(action=Action.REVEAL, actor_id=index, subject_id=i, purpose="customer_service")

    assert in_threads(2, work) == []
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, 2 * per_thread + 1))
    assert set(AuditEvent.objects.values_list("actor_id", flat=True)) == {0, 1}
    result = audit_verify.verify(batch_size=7)
    assert result.ok and result.events == 2 * per_thread, result.message


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_verify_while_others_append_reports_no_false_damage():
    fill(30)
    results: list[audit_verify.VerifyResult] = []

    def work(index: int) -> None:
        if index == 0:
            for i in range(60):
                audit.record(action=Action.EXPORT, subject_id=i)
        else:
            results.extend(audit_verify.verify(batch_size=3) for _ in range(5))

    assert in_threads(2, work) == []
    assert results and all(r.ok for r in results), [r.message for r in results if not r.ok]
    assert audit_verify.verify().events == 90
