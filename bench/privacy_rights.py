"""Export and erasure of a subject with 10,000 rows across models (goal < 1 s each on SQLite).

``python -m bench rights`` runs it from the harness; ``python -m bench.privacy_rights`` runs it
alone. It works in a fresh temporary SQLite file and ``CANDOR_VAR_DIR`` (never the developer's
``var/`` or ``DATABASE_URL``), with the settings ``tests.settings`` so that the test-only models
of ``tests.privacy_app`` exist; the tables are made by ``migrate --run-syncdb``.

The data: one heavy subject with 10,000 rows in nine declared models — search history, deals
and receipts (encrypted under the transaction key), reviews, persons and a profile (encrypted
under the profile key), their unencrypted twins, consent and disclosure records — and 20 other
subjects with 250 rows each in the same shape, so that every query has to filter. Rows are made
with ``bulk_create``, which runs each field's ``pre_save``: encrypted fields hold real
ciphertext under the subject's own keys, as after ordinary saves.

Then, each timed ``--runs`` times and the best kept (noise only ever adds time):

- ``rights.export(subject)`` in a fresh key cache, as a request has, against the baseline of a
  raw SELECT of the same rows and columns (nothing decrypted, no zip);
- ``rights.erase(subject)``, against the baseline of the raw DELETE/UPDATE statements that
  leave the same rows in the same state, plus the two key updates and the erasure record, in
  one transaction (no audit events). Erasure is destructive, so every run of either starts
  from a fresh copy of the database file; one untimed run of each first checks that both
  leave identical tables, and counts their queries.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import shutil
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.harness import Context, run_child, setup_django

GOAL_SECONDS = 1.0
OTHER_SUBJECTS = 20
# Rows of the heavy subject per model (10,000 in all); the other subjects have 1/40 of each.
SHAPE = {
    "profile": 1,
    "search": 3_960,
    "deal": 2_000,
    "review": 2_000,
    "person": 1_000,
    "receipt": 500,
    "plain": 499,
    "consent": 20,
    "disclosure": 20,
}
OTHER_SHAPE = {
    "profile": 1, "search": 99, "deal": 50, "review": 50, "person": 25, "receipt": 12, "plain": 11,
    "consent": 1, "disclosure": 1,
}  # fmt: skip
# Encrypted values per row: Profile 2, Deal 3, Person 2, Receipt 1.
ENCRYPTED = {"profile": 2, "deal": 3, "person": 2, "receipt": 1}
DB_NAME = "rights.sqlite3"


def run(ctx: Context) -> None:
    run_child(ctx, "rights")


# --- the data ------------------------------------------------------------------------------------


def rows_for(user: Any, shape: dict[str, int]) -> None:
    """bulk_create ``shape`` rows for ``user`` (encrypted fields encrypt in pre_save)."""
    from django.utils import timezone

    from candor.privacy import taxonomy
    from candor.privacy.models import ConsentRecord, DisclosureRecord
    from tests.privacy_app.core_models import Deal, Profile, Review, SearchEntry
    from tests.privacy_app.crypto_models import Person, PlainPerson, Receipt

    uid, now = user.pk, timezone.now()
    Profile.objects.bulk_create(
        Profile(user=user, real_name=f"张三{i}", id_number=f"11010119900307{i:04d}", gender="女",
                landline=f"010-6552{i:04d}", bio="喜欢跑步和摄影。")
        for i in range(shape["profile"])
    )  # fmt: skip
    SearchEntry.objects.bulk_create(
        SearchEntry(user=user, keyword=f"连衣裙 夏季 {i}", created_at=now - timedelta(minutes=i))
        for i in range(shape["search"])
    )
    Deal.objects.bulk_create(
        Deal(user=user, number=f"D{uid:06d}{i:07d}", amount_fen=100 + i, recipient_name="李四",
             recipient_phone=f"139{i:08d}", address=f"上海市浦东新区世纪大道{i}号", buyer_note="请放门口",
             completed_at=now - timedelta(days=i % 900))
        for i in range(shape["deal"])
    )  # fmt: skip
    Review.objects.bulk_create(
        Review(user=user, author_name="张三", contact_email=f"user{uid}@example.com",
               body=f"质量很好，物流很快，第{i}次购买了。")
        for i in range(shape["review"])
    )  # fmt: skip
    people = [
        {"phone": f"138{uid:04d}{i:04d}", "id_number": f"1101011990{i:08d}", "nickname": f"用户{i}"}
        for i in range(max(shape["person"], shape["plain"]))
    ]
    Person.objects.bulk_create(Person(user=user, **values) for values in people[: shape["person"]])
    PlainPerson.objects.bulk_create(PlainPerson(user=user, **values) for values in people[: shape["plain"]])
    Receipt.objects.bulk_create(
        Receipt(user=user, recipient_phone=f"137{i:08d}", amount_fen=i, completed_at=now - timedelta(days=i))
        for i in range(shape["receipt"])
    )
    purposes = [taxonomy.MARKETING_PUSH.code, taxonomy.PERSONALIZATION.code]
    ConsentRecord.objects.bulk_create(
        ConsentRecord(subject_id=uid, purpose=purposes[i % 2], granted=i % 3 != 0, policy_version="2025-01",
                      channel=ConsentRecord.Channel.WEB, evidence={"page": "/privacy/"})
        for i in range(shape["consent"])
    )  # fmt: skip
    DisclosureRecord.objects.bulk_create(
        DisclosureRecord(recipient=taxonomy.LOGISTICS.code, subject_id=uid, target=f"privacy_app.deal:{i}",
                         fields=["address", "recipient_name", "recipient_phone"],
                         purpose=taxonomy.DELIVERY.code, basis=taxonomy.CONTRACT.code)
        for i in range(shape["disclosure"])
    )  # fmt: skip


def build() -> int:
    """Make the tables and rows; return the heavy subject's id."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction

    from candor.privacy import audit
    from candor.privacy.crypto import key_scope

    call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)
    user_model = get_user_model()
    with transaction.atomic(), key_scope():
        users = user_model.objects.bulk_create(
            user_model(
                username=f"bench-{i}", password="!", email=f"bench{i}@example.com", nickname=f"买家{i}"
            )
            for i in range(OTHER_SUBJECTS + 1)
        )
        heavy = users[OTHER_SUBJECTS // 2]  # in the middle: its rows are not at either end
        for user in users:
            rows_for(user, SHAPE if user is heavy else OTHER_SHAPE)
            # A live database has an audit chain already: erasure appends to it, never starts it.
            audit.record(action=audit.Action.CONSENT, subject_id=user.pk, purpose="registration")
    return int(heavy.pk)


# --- database copies -------------------------------------------------------------------------------


def db_path() -> Path:
    from django.db import connection

    return Path(connection.settings_dict["NAME"])


def snapshot(to: Path) -> None:
    """Copy the database, its WAL folded in, to ``to``."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    shutil.copyfile(db_path(), to)


def restore(pristine: Path) -> None:
    """Put a fresh copy of ``pristine`` in place and reconnect (outside any timing)."""
    from django.db import connection

    connection.close()
    db = db_path()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(pristine, db)
    connection.ensure_connection()


# --- what is timed ---------------------------------------------------------------------------------


def quoted(model: Any, *names: str) -> tuple[str, ...]:
    from django.db import connection

    qn = connection.ops.quote_name
    fields = (model._meta.pk if n == "pk" else model._meta.get_field(n) for n in names)
    return (qn(model._meta.db_table), *(qn(f.column) for f in fields))


def export_baseline_sql() -> list[str]:
    """One SELECT per data set export writes: the same rows and columns, in the same order."""
    from candor.privacy import datamap
    from candor.privacy.models import ConsentRecord, DisclosureRecord

    statements = []
    for declaration in datamap.declarations():
        if not declaration.fields:
            continue
        # subject_field: a foreign key's column, or a plain id column such as the simulators'
        # account_id (no account: 0)
        table, pk, subject_col, *columns = quoted(
            declaration.model, "pk", declaration.subject_field, *declaration.fields
        )
        statements.append(
            f"SELECT {', '.join([pk, *columns])} FROM {table} WHERE {subject_col} = %s ORDER BY {pk}"
        )
    table, *columns = quoted(ConsentRecord, "at", "purpose", "granted", "policy_version", "channel", "id")
    statements.append(f"SELECT {', '.join(columns)} FROM {table} WHERE subject_id = %s ORDER BY id")
    table, *columns = quoted(DisclosureRecord, "at", "recipient", "fields", "purpose", "basis", "id")
    statements.append(
        f"SELECT {', '.join(columns)} FROM {table} WHERE subject_id = %s ORDER BY at DESC, id DESC"
    )
    return statements


def export_baseline(subject: int, statements: list[str]) -> int:
    from django.db import connection

    rows = 0
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, [subject])
            rows += len(cursor.fetchall())
    return rows


def erase_baseline(subject: int) -> int:
    """By hand, what erasure does to the data: delete, blank, shred the profile key, restrict the
    transaction key, remember the erasure. Returns the number of statements."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from candor.privacy.models import DataKey, ErasureRecord
    from tests.privacy_app.core_models import Deal, Profile, Review, SearchEntry
    from tests.privacy_app.crypto_models import Person, PlainPerson

    user_table = quoted(get_user_model())[0]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    until = connection.ops.adapt_datetimefield_value(timezone.now() + timedelta(days=3 * 366))
    key_table, erased_table = quoted(DataKey)[0], quoted(ErasureRecord)[0]
    deal_table, review_table = quoted(Deal)[0], quoted(Review)[0]
    statements: list[tuple[str, list[Any]]] = [
        *((f"DELETE FROM {quoted(m)[0]} WHERE user_id = %s", [subject])
          for m in (Person, PlainPerson, Profile, SearchEntry)),
        (f"UPDATE {deal_table} SET buyer_note = '', recipient_phone_bidx = '' WHERE user_id = %s", [subject]),
        (f"UPDATE {review_table} SET author_name = %s, contact_email = '', body = '' WHERE user_id = %s",
         ["匿名用户", subject]),
        (f"UPDATE {user_table} SET username = 'erased-' || id, password = '!erased', email = '', "
         "nickname = '', language = '', last_login = NULL, is_active = FALSE WHERE id = %s", [subject]),
        (f"UPDATE {key_table} SET wrapped = NULL, state = 'shredded', shredded_at = %s "
         "WHERE subject_id = %s AND key_class = 'profile' AND state <> 'shredded'", [now, subject]),
        (f"UPDATE {key_table} SET state = 'restricted', restricted_until = %s "
         "WHERE subject_id = %s AND key_class = 'transaction' AND state <> 'shredded'", [until, subject]),
        (f"INSERT INTO {erased_table} (subject_id, erased_at, restricted_until) VALUES (%s, %s, %s)",
         [subject, now, until]),
    ]  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
    return len(statements)


def tables_digest() -> str:
    """A hash of every data table (all subjects) and of the keys' and erasures' states."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from candor.privacy.models import DataKey, ErasureRecord
    from tests.privacy_app.core_models import Deal, Profile, Review, SearchEntry
    from tests.privacy_app.crypto_models import Person, PlainPerson, Receipt

    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for model in (get_user_model(), Deal, Profile, Review, SearchEntry, Person, PlainPerson, Receipt):
            cursor.execute(f"SELECT * FROM {quoted(model)[0]} ORDER BY id")
            digest.update(repr(cursor.fetchall()).encode())
        cursor.execute(
            f"SELECT id, subject_id, key_class, state, wrapped IS NULL, restricted_until IS NULL, "
            f"shredded_at IS NULL FROM {quoted(DataKey)[0]} ORDER BY id"
        )
        digest.update(repr(cursor.fetchall()).encode())
        cursor.execute(f"SELECT subject_id, restricted_until IS NULL FROM {quoted(ErasureRecord)[0]}")
        digest.update(repr(cursor.fetchall()).encode())
    return digest.hexdigest()


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def counted(work: Callable[[], Any]) -> tuple[int, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        result = work()
    return len(captured), result


def export_records(archive: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        index = json.loads(zipped.read("index.json"))
        extra = sum(len(json.loads(zipped.read(f"{n}.json"))["records"]) for n in ("consents", "disclosures"))
    return sum(d["records"] for d in index["data_sets"]) + extra


def measure(runs: int) -> int:
    from django.db import connection

    from candor.privacy import rights
    from candor.privacy.crypto import key_scope

    started = time.perf_counter()
    subject = build()
    heavy, others = sum(SHAPE.values()), OTHER_SUBJECTS * sum(OTHER_SHAPE.values())
    encrypted = sum(SHAPE[k] * n for k, n in ENCRYPTED.items())
    print(
        f"rights: built a subject with {heavy:,} rows ({encrypted:,} encrypted values) in {len(SHAPE)} "
        f"models and {OTHER_SUBJECTS} others with {others:,} rows in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    pristine = db_path().with_name("pristine.sqlite3")
    snapshot(pristine)
    restore(pristine)
    where = f"{connection.display_name}, subject with {heavy:,} rows in {len(SHAPE)} models"

    # Export: read-only (but for one audit event), so the runs share one database.
    def export() -> bytes:
        with key_scope():  # a request's fresh key cache
            return rights.export(subject)

    statements = export_baseline_sql()
    export_queries, archive = counted(export)
    baseline_rows = export_baseline(subject, statements)
    if export_records(archive) != heavy + 1 or baseline_rows != heavy + 1:  # + the account itself
        print(
            f"rights: FAILED: export holds {export_records(archive):,} records and the baseline "
            f"{baseline_rows:,}; expected {heavy + 1:,}",
            file=sys.stderr,
        )
        return 1
    export_s = select_s = float("inf")
    for _ in range(runs):
        select_s = min(select_s, timed(lambda: export_baseline(subject, statements))[0])
        export_s = min(export_s, timed(export)[0])

    # Erasure: every run on a fresh copy; one untimed run of each checks they agree.
    restore(pristine)
    erase_queries, _record = counted(lambda: rights.erase(subject))
    erased = tables_digest()
    restore(pristine)
    baseline_queries, _count = counted(lambda: erase_baseline(subject))
    if tables_digest() != erased:
        print("rights: FAILED: erase and its baseline leave different tables", file=sys.stderr)
        return 1
    erase_s = dml_s = float("inf")
    for _ in range(runs):
        restore(pristine)
        dml_s = min(dml_s, timed(lambda: erase_baseline(subject))[0])
        restore(pristine)
        with key_scope():
            erase_s = min(erase_s, timed(lambda: rights.erase(subject))[0])

    export_met = "met" if export_s < GOAL_SECONDS else "NOT met"
    print(
        f"rights.export [{where}]: {export_s:.3f} s, zip {len(archive) / 1024:,.0f} KiB, {export_queries} "
        f"queries  (ratio {export_s / select_s:.1f} vs baseline raw SELECT of the same rows "
        f"{select_s:.3f} s, {len(statements)} queries)  goal < {GOAL_SECONDS:.0f} s: {export_met}",
        flush=True,
    )
    erase_met = "met" if erase_s < GOAL_SECONDS else "NOT met"
    print(
        f"rights.erase [{where}]: {erase_s:.3f} s, {erase_queries} queries  (ratio {erase_s / dml_s:.1f} vs "
        f"baseline raw DELETE/UPDATE of the same rows {dml_s:.3f} s, {baseline_queries} queries)  "
        f"goal < {GOAL_SECONDS:.0f} s: {erase_met}",
        flush=True,
    )
    print(
        "rights: queries are counted as Django runs them, BEGIN, COMMIT and savepoints included",
        flush=True,
    )
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.privacy_rights", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each; the best is kept")
    parser.add_argument("--dir", type=Path, help="scratch directory (default: a temporary one, removed)")
    args = parser.parse_args(argv)
    scratch = args.dir or Path(tempfile.mkdtemp(prefix="candor-bench-rights-"))
    scratch.mkdir(parents=True, exist_ok=True)
    for stale in [*scratch.glob(f"{DB_NAME}*"), *scratch.glob("pristine.sqlite3*")]:  # a kept --dir
        stale.unlink()
    setup_django(scratch, DB_NAME)
    try:
        return measure(max(1, args.runs))
    finally:
        if args.dir is None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
