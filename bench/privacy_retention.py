"""Retention sweep of 1M rows vs the raw SQL of the same rows, same run (goal ≤ 2×).

``python -m bench retention`` runs it from the harness; ``python -m bench.privacy_retention``
runs it alone. It works in a fresh temporary SQLite file and ``CANDOR_VAR_DIR`` (never the
developer's ``var/`` or ``DATABASE_URL``), with the settings ``tests.settings`` so that the
test-only models of ``tests.privacy_app`` exist; the tables are made by ``migrate --run-syncdb``.

Two cases, each on a table of ``--rows`` rows (1M) of which half are expired, bulk-inserted with
raw ``executemany`` (the sweep never decrypts, so encrypted columns hold ciphertext-shaped text):

- anonymize, the headline: ``Deal`` (``after("completed_at", years=3, then=ANONYMIZE,
  while_account=True)``) over 10,000 users, half of them erased. The rows are 50% expired
  (erased account, completed 4 years ago), 20% erased but recent, 20% old but of a live
  account, 10% neither — so each condition of the rule filters. The baseline is the
  hand-written UPDATE with the same WHERE and the same SET;
- delete: ``SearchEntry`` (``after("created_at", days=180)``), half older than the term,
  against a hand-written DELETE of the same rows.

The table is built once and kept as a file. Every run — the baseline and ``retention.sweep()``
(all declarations; the other tables are empty), ``--rounds`` of each in alternating order, the
best kept — starts from a fresh copy of that file and commits its own transaction; all must
leave the same rows changed. The sweep's line also shows its own UPDATE/DELETE statement alone
(the rest is the commit, the other rules and the audit event).
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.harness import Context, run_child, setup_django

ROWS = 1_000_000
USERS = 10_000  # the first half are erased
GOAL_RATIO = 2.0
BATCH = 50_000
POOL = 1_009  # distinct ciphertexts, times and blind indexes per column (a prime: no lockstep)
DB_NAME = "retention.sqlite3"


def run(ctx: Context) -> None:
    run_child(ctx, "retention")


# --- the data ------------------------------------------------------------------------------------


def q(name: str) -> str:
    from django.db import connection

    return str(connection.ops.quote_name(name))


def table(model: Any) -> str:
    return q(model._meta.db_table)


def when(moment: datetime) -> str:
    """A datetime as Django stores it on this database (what the sweep's filter compares to)."""
    from django.db import connection

    return str(connection.ops.adapt_datetimefield_value(moment))


def tokens(rng: random.Random, plain_bytes: int) -> list[str]:
    """Ciphertext-shaped values (``enc1$<key>$<base64 of nonce, text, tag>``) of a given size."""
    size = 12 + plain_bytes + 16
    return [
        f"enc1${rng.randrange(1, 2 * USERS)}${base64.b64encode(rng.randbytes(size)).decode()}"
        for _ in range(POOL)
    ]


def insert(model: Any, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> None:
    """Raw INSERTs of ``columns``; every other column the model gives a default (Django's
    defaults are not the database's) gets it, so a column added to a model later does not
    break the benchmark's NOT NULL constraints."""
    from django.db import connection

    given = set(columns)
    defaults = [
        (f.column, f.get_db_prep_save(f.get_default(), connection))
        for f in model._meta.concrete_fields
        if f.column not in given and f.has_default()
    ]
    names = [*columns, *(column for column, _ in defaults)]
    tail = tuple(value for _, value in defaults)
    sql = (
        f"INSERT INTO {table(model)} ({', '.join(q(c) for c in names)}) "
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )
    with connection.cursor() as cursor:
        while batch := [row + tail for _, row in zip(range(BATCH), rows, strict=False)]:
            cursor.executemany(sql, batch)


def users(now: datetime) -> None:
    """USERS accounts; the first half erased (ErasureRecord), as ``rights.erase`` leaves them."""
    from django.contrib.auth import get_user_model

    from candor.privacy.models import ErasureRecord

    joined = when(now - timedelta(days=5 * 366))
    insert(
        get_user_model(),
        ["id", "password", "is_superuser", "username", "email", "is_staff", "is_active", "date_joined",
         "nickname", "language"],
        ((i, "!", False, f"bench-{i}", "", False, True, joined, "", "") for i in range(1, USERS + 1)),
    )  # fmt: skip
    erased = when(now - timedelta(days=400))
    insert(
        ErasureRecord,
        ["subject_id", "erased_at", "restricted_until"],
        ((i, erased, erased) for i in range(1, USERS // 2 + 1)),
    )


def deals(rows: int, now: datetime) -> Iterator[tuple[Any, ...]]:
    """Deal rows; by ``i % 10``: 0-4 expired, 5-6 erased but recent, 7-8 old but live, 9 neither."""
    rng = random.Random(31)
    names, phones, addresses = tokens(rng, 6), tokens(rng, 11), tokens(rng, 40)
    indexes = [rng.randbytes(32).hex() for _ in range(POOL)]
    old = [when(now - timedelta(days=4 * 366, seconds=rng.randrange(86_400 * 300))) for _ in range(POOL)]
    recent = [when(now - timedelta(days=30, seconds=rng.randrange(86_400 * 300))) for _ in range(POOL)]
    half = USERS // 2
    for i in range(rows):
        kind, k = i % 10, i % POOL
        user = 1 + (i // 10) % half + (half if kind >= 7 else 0)
        completed = old[k] if kind < 5 or kind in (7, 8) else recent[k]
        yield (
            i + 1, user, f"D{i:010d}", 100 + i % 50_000, names[k], phones[(k * 7) % POOL],
            indexes[(k * 13) % POOL], None if i % 7 == 0 else addresses[(k * 3) % POOL],
            "" if i % 3 == 0 else "请放门口，谢谢", completed,
        )  # fmt: skip


def searches(rows: int, now: datetime) -> Iterator[tuple[Any, ...]]:
    """SearchEntry rows; every other one older than the 180-day term."""
    rng = random.Random(37)
    old = [when(now - timedelta(days=181, seconds=rng.randrange(86_400 * 300))) for _ in range(POOL)]
    recent = [when(now - timedelta(seconds=rng.randrange(86_400 * 170))) for _ in range(POOL)]
    words = ["连衣裙 夏季", "蓝牙耳机", "儿童 绘本", "登山鞋 男", "空气炸锅", "猫粮 成猫"]
    for i in range(rows):
        k = i % POOL
        yield i + 1, 1 + i % USERS, f"{words[i % len(words)]} {k}", old[k] if i % 2 == 0 else recent[k]


# --- the cases -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    model: str  # "app_label.Model"
    statement: str  # what the sweep runs for it: UPDATE or DELETE
    same: str  # how the baseline matches it
    build: Callable[[int, datetime], None]
    baseline: Callable[[datetime], tuple[str, list[Any]]]  # the hand-written statement
    check: Callable[[], str]  # what both runs must leave the same: a small aggregate
    expected: Callable[[int], int]  # rows changed, for a table of N rows


def build_deals(rows: int, now: datetime) -> None:
    from tests.privacy_app.core_models import Deal

    columns = ["id", "user_id", "number", "amount_fen", "recipient_name", "recipient_phone",
               "recipient_phone_bidx", "address", "buyer_note", "completed_at"]  # fmt: skip
    insert(Deal, columns, deals(rows, now))


def anonymize_sql(now: datetime) -> tuple[str, list[Any]]:
    from candor.privacy import datamap
    from candor.privacy.models import ErasureRecord
    from tests.privacy_app.core_models import Deal

    declaration = datamap.declaration_for(Deal)
    assert declaration is not None
    cutoff = when(now - declaration.retention.term)
    return (
        f"UPDATE {table(Deal)} SET recipient_name = NULL, recipient_phone = NULL, address = NULL, "
        f"buyer_note = '', recipient_phone_bidx = '' "
        f"WHERE completed_at < %s AND user_id IN (SELECT subject_id FROM {table(ErasureRecord)}) "
        f"AND (recipient_name IS NOT NULL OR recipient_phone IS NOT NULL OR address IS NOT NULL "
        f"OR buyer_note <> '')",
        [cutoff],
    )


def anonymized() -> str:
    from tests.privacy_app.core_models import Deal

    return one(
        f"SELECT COUNT(*), SUM(id), (SELECT COUNT(*) FROM {table(Deal)}) FROM {table(Deal)} "
        f"WHERE recipient_name IS NULL AND recipient_phone IS NULL AND address IS NULL "
        f"AND buyer_note = '' AND recipient_phone_bidx = ''"
    )


def build_searches(rows: int, now: datetime) -> None:
    from tests.privacy_app.core_models import SearchEntry

    insert(SearchEntry, ["id", "user_id", "keyword", "created_at"], searches(rows, now))


def delete_sql(now: datetime) -> tuple[str, list[Any]]:
    from candor.privacy import datamap
    from tests.privacy_app.core_models import SearchEntry

    declaration = datamap.declaration_for(SearchEntry)
    assert declaration is not None
    return f"DELETE FROM {table(SearchEntry)} WHERE created_at < %s", [when(now - declaration.retention.term)]


def remaining() -> str:
    from tests.privacy_app.core_models import SearchEntry

    return one(f"SELECT COUNT(*), SUM(id) FROM {table(SearchEntry)}")


CASES = [
    Case(
        name="anonymize", model="privacy_app.Deal", statement="UPDATE", same="same WHERE and SET",
        build=build_deals, baseline=anonymize_sql, check=anonymized,
        expected=lambda n: n // 10 * 5 + min(n % 10, 5),  # i % 10 in 0..4
    ),
    Case(
        name="delete", model="privacy_app.SearchEntry", statement="DELETE", same="same WHERE",
        build=build_searches, baseline=delete_sql, check=remaining,
        expected=lambda n: (n + 1) // 2,  # even i
    ),
]  # fmt: skip


# --- running -------------------------------------------------------------------------------------


def one(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)
        return repr(cursor.fetchone())


def db_path() -> Path:
    from django.db import connection

    return Path(connection.settings_dict["NAME"])


def close() -> None:
    """Fold the WAL into the file and disconnect, so the file alone is the whole database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path()}{suffix}").unlink(missing_ok=True)


def put(source: Path, *, copy: bool) -> None:
    """Make ``source`` the database (copied, or moved when it is a throw-away copy)."""
    from django.db import connection

    connection.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path()}{suffix}").unlink(missing_ok=True)
    (shutil.copyfile if copy else os.replace)(source, db_path())
    connection.ensure_connection()


class Timings:
    """Per-statement wall time (an execute_wrapper), to show the sweep's own statements alone."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, float]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((sql, time.perf_counter() - start))


def sweep_once(case: Case, now: datetime) -> tuple[float, float, int, int, str]:
    """Run the sweep: (seconds, seconds of its own statement, queries, rows it reported, check)."""
    from django.db import connection

    from candor.privacy import retention

    timings = Timings()
    with connection.execute_wrapper(timings):
        start = time.perf_counter()
        results = retention.sweep(now=now)
        seconds = time.perf_counter() - start
    app_label, model_name = case.model.split(".")
    own = f"{app_label}_{model_name.lower()}"
    own_s = sum(t for sql, t in timings.statements if sql.startswith(("UPDATE", "DELETE")) and own in sql)
    swept = next((r.rows for r in results if r.label == case.model), -1)
    return seconds, own_s, len(timings.statements), swept, case.check()


def baseline_once(case: Case, now: datetime) -> tuple[float, int, str]:
    """Run the hand-written statement in a transaction: (seconds, rows it changed, check)."""
    from django.db import connection, transaction

    sql, params = case.baseline(now)
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        changed = int(cursor.rowcount)
    return time.perf_counter() - start, changed, case.check()


def measure_case(case: Case, rows: int, rounds: int, empty: Path, scratch: Path) -> bool:
    from django.db import connection, transaction
    from django.utils import timezone

    now = timezone.now()
    put(empty, copy=True)
    started = time.perf_counter()
    with transaction.atomic():
        users(now)
        case.build(rows, now)
    built_s = time.perf_counter() - started
    close()
    size = db_path().stat().st_size
    pristine = scratch / f"{case.name}-pristine.sqlite3"
    os.replace(db_path(), pristine)
    print(
        f"retention {case.name}: built {rows:,} {case.model} rows ({size / 2**20:,.0f} MiB) "
        f"in {built_s:.1f} s",
        flush=True,
    )

    # Each run on a fresh copy of the same file; the order alternates, the best of each is kept.
    sweep_s = own_s = raw_s = float("inf")
    queries, swept, changed, states = 0, -1, -1, set()
    for round_ in range(rounds):
        for which in ("baseline", "sweep") if round_ % 2 == 0 else ("sweep", "baseline"):
            put(pristine, copy=True)
            if which == "sweep":
                seconds, own, queries, swept, state = sweep_once(case, now)
                sweep_s, own_s = min((sweep_s, own_s), (seconds, own))
            else:
                seconds, changed, state = baseline_once(case, now)
                raw_s = min(raw_s, seconds)
            states.add(state)
    close()
    pristine.unlink()

    expected = case.expected(rows)
    if swept != expected or changed != expected or len(states) != 1:
        print(
            f"retention {case.name}: FAILED: sweep changed {swept:,} rows, the baseline {changed:,}, "
            f"expected {expected:,}; tables after: {sorted(states)}",
            file=sys.stderr,
        )
        return False
    ratio = sweep_s / raw_s
    verb = case.statement
    print(
        f"retention.sweep {case.name} [{connection.display_name}, {rows:,} {case.model} rows, {expected:,} "
        f"expired]: {sweep_s:.2f} s, {queries} queries (its {verb} statements {own_s:.2f} s)  "
        f"(ratio {ratio:.2f} vs "
        f"baseline raw SQL {verb} of the same rows, {case.same}, {raw_s:.2f} s)  "
        f"goal ≤ {GOAL_RATIO:.0f}×: {'met' if ratio <= GOAL_RATIO else 'NOT met'}",
        flush=True,
    )
    return True


def measure(rows: int, rounds: int, names: list[str], scratch: Path) -> int:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)
    close()
    empty = scratch / "empty.sqlite3"
    shutil.copyfile(db_path(), empty)
    ok = all([measure_case(case, rows, rounds, empty, scratch) for case in CASES if case.name in names])
    print(f"retention: done in {time.perf_counter() - started:.0f} s", flush=True)
    return 0 if ok else 1


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.privacy_retention", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--rows", type=int, default=ROWS, help="rows per table (default 1M)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each, order alternating; best kept")
    parser.add_argument(
        "--case", action="append", choices=[c.name for c in CASES],
        help="run only this case (repeatable; default: all)",
    )  # fmt: skip
    parser.add_argument("--dir", type=Path, help="scratch directory (default: a temporary one, removed)")
    args = parser.parse_args(argv)
    scratch = args.dir or Path(tempfile.mkdtemp(prefix="candor-bench-retention-"))
    scratch.mkdir(parents=True, exist_ok=True)
    for pattern in (f"{DB_NAME}*", "empty.sqlite3*", "*-pristine.sqlite3*"):  # a kept --dir
        for stale in scratch.glob(pattern):
            stale.unlink()
    setup_django(scratch, DB_NAME)
    try:
        return measure(args.rows, max(1, args.rounds), args.case or [c.name for c in CASES], scratch)
    finally:
        if args.dir is None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
