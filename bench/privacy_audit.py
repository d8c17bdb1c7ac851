"""Audit verify of 1M events (goal < 5 s), against a plain SELECT of the same rows.

``python -m bench audit`` runs it from the harness; ``python -m bench.privacy_audit [--events
N]`` runs it alone. Either way it works in a fresh temporary SQLite file and ``CANDOR_VAR_DIR``
(never the developer's ``var/`` or ``DATABASE_URL``), builds the events with one executemany
and hashes chained in Python by ``audit.canonical``/``audit.chain_hash`` (a million
``record()`` calls would take many minutes and measure nothing new), then times:

- the baseline: one SELECT of the same columns in seq order, fetched in chunks, no hashing;
- ``audit_verify.verify()``: the same rows, recomputing every hash.

The ratio verify/scan is the cost of the hashing itself, and does not depend on the machine's
disk. Each is timed twice after a warm-up scan, best kept, as CPU noise only ever adds time.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.harness import Context, run_child, setup_django

EVENTS = 1_000_000
GOAL_SECONDS = 5.0
CHUNK = 20_000

# A plausible mix: a few shapes of fields and detail repeat (consent, disclosure, reveal); one
# event in a hundred carries a detail of its own (a sweep's row count, a request number),
# which verify must parse on its own instead of recognising.
ACTIONS = ["reveal", "change", "export", "erase", "disclose", "consent", "key", "retention", "policy"]
PURPOSES = ["delivery", "after_sales", "customer_service", "payment", "marketing", "legal", "personalization"]
FIELDS: list[list[str]] = [
    [],
    ["phone"],
    ["address", "phone", "recipient_name"],
    ["email"],
    ["id_number"],
    [],
]
DETAILS: list[dict[str, Any]] = [
    {},
    {"granted": True, "channel": "app", "policy_version": "2025-01"},
    {"granted": False, "channel": "web", "policy_version": "2025-01"},
    {"recipient": "logistics", "legal_basis": "contract"},
    {"recipient": "payment", "legal_basis": "contract"},
    {"format": "zip", "language": "zh-hans"},
    {},
]


def run(ctx: Context) -> None:
    run_child(ctx, "audit", "--events", str(EVENTS))


def events(count: int) -> Iterator[tuple[Any, ...]]:
    """Rows for privacy_auditevent, chained exactly as record() chains them."""
    from django.db import connection

    from candor.privacy import audit
    from candor.privacy.models import AuditEvent

    adapt_time = connection.ops.adapt_datetimefield_value
    json_field = AuditEvent._meta.get_field("fields")
    detail_field = AuditEvent._meta.get_field("detail")
    start = datetime(2025, 1, 1, tzinfo=UTC)
    prev = audit.GENESIS
    for seq in range(1, count + 1):
        # Every 10th time has zero microseconds: SQLite then stores it without ".000000".
        at = start + timedelta(seconds=seq * 3, microseconds=0 if seq % 10 == 0 else seq * 7919 % 1_000_000)
        actor_id = None if seq % 11 == 0 else 1 + seq % 500
        subject_id = None if seq % 13 == 0 else 1 + seq * 7 % 100_000
        action, purpose = ACTIONS[seq % len(ACTIONS)], PURPOSES[seq % len(PURPOSES)]
        target = f"orders.order:{seq}"
        fields = FIELDS[seq % len(FIELDS)]
        detail = (
            {"rows": seq, "rule": "after completed_at"} if seq % 100 == 0 else DETAILS[seq % len(DETAILS)]
        )
        body = audit.canonical(
            seq=seq, at=at, actor_id=actor_id, action=action, subject_id=subject_id, target=target,
            fields=fields, purpose=purpose, detail=detail,
        )  # fmt: skip
        digest = audit.chain_hash(prev, body)
        yield (
            seq, adapt_time(at), actor_id, action, subject_id, target,
            json_field.get_db_prep_save(fields, connection), purpose,
            detail_field.get_db_prep_save(detail, connection), prev, digest,
        )  # fmt: skip
        prev = digest


def build(count: int) -> None:
    from django.db import connection, transaction

    from candor.privacy.models import AuditEvent, AuditHead

    with connection.schema_editor() as editor:
        editor.create_model(AuditEvent)
        editor.create_model(AuditHead)
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    columns = "seq, at, actor_id, action, subject_id, target, fields, purpose, detail, prev_hash, hash"
    insert = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * 11)})"
    last = ""
    rows = events(count)
    with transaction.atomic(), connection.cursor() as cursor:
        while batch := [row for _, row in zip(range(50_000), rows, strict=False)]:
            cursor.executemany(insert, batch)
            last = batch[-1][-1]
        AuditHead.objects.create(pk=1, seq=count, hash=last)


def scan() -> int:
    """The baseline: read the same columns verify reads, in the same order, and nothing else."""
    from django.db import connection

    from candor.privacy.models import AuditEvent

    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    columns = (
        "id, seq, CAST(at AS TEXT), actor_id, action, subject_id, target, fields, purpose, detail, "
        "prev_hash, hash"
    )
    seen = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} ORDER BY seq")
        while rows := cursor.fetchmany(CHUNK):
            seen += len(rows)
    return seen


def best_of(runs: int, work: Any) -> tuple[float, Any]:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        timings.append(time.perf_counter() - start)
    return min(timings), result


def measure(count: int) -> int:
    from candor.privacy import audit_verify

    started = time.perf_counter()
    build(count)
    print(f"audit: built {count:,} chained events in {time.perf_counter() - started:.1f} s", flush=True)
    scan()  # warm-up: the file into the page cache, for both measurements alike
    scan_s, scanned = best_of(2, scan)
    verify_s, result = best_of(2, audit_verify.verify)
    if scanned != count or not result.ok or result.events != count:
        print(f"audit: FAILED: scanned {scanned:,}, verify said: {result.message}", file=sys.stderr)
        return 1
    met = "met" if verify_s < GOAL_SECONDS else "NOT met"
    print(
        f"audit.verify [SQLite, {count:,} events]: {verify_s:.2f} s = {count / verify_s:,.0f} events/s  "
        f"(ratio {verify_s / scan_s:.2f} vs baseline plain SELECT of the same rows {scan_s:.2f} s = "
        f"{count / scan_s:,.0f} rows/s)  goal < {GOAL_SECONDS:.0f} s: {met}",
        flush=True,
    )
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.privacy_audit", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--events", type=int, default=EVENTS)
    parser.add_argument("--dir", type=Path, help="scratch directory (default: a temporary one, removed)")
    args = parser.parse_args(argv)
    scratch = args.dir or Path(tempfile.mkdtemp(prefix="candor-bench-audit-"))
    scratch.mkdir(parents=True, exist_ok=True)
    for stale in scratch.glob("audit.sqlite3*"):  # a kept --dir from an earlier run
        stale.unlink()
    setup_django(scratch, "audit.sqlite3", settings="bench.settings")
    try:
        return measure(args.events)
    finally:
        if args.dir is None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
