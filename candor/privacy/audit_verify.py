"""Verifying the audit chain: ``candor audit verify`` names the first edited, inserted or
deleted row. Split from ``audit`` so that appending (hot path) and checking (rare, streaming
a million rows) stay small modules."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import NotSupportedError, connection, transaction
from django.utils.translation import gettext as _

from candor.privacy.audit import GENESIS, canonical_json, event_body
from candor.privacy.models import AuditEvent, AuditHead


class Damage(StrEnum):
    EDITED = "edited"  # a row's contents changed, or it was replaced by a forgery
    DELETED = "deleted"  # a gap in the sequence
    INSERTED = "inserted"  # a row that no append wrote
    TRUNCATED = "truncated"  # the newest rows are gone: the head is ahead of the last row
    HEAD = "head"  # the chain head itself is gone


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of ``verify``: the number of events that check out, or the first damage.

    ``seq`` is the first sequence number where the chain goes wrong (for a deletion, the first
    missing one); ``row_id`` is the id of the row that shows it (for a deletion, the row after
    the gap; for a truncated tail, the last row left).
    """

    events: int
    message: str
    damage: Damage | None = None
    seq: int | None = None
    row_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.damage is None


# Per distinct JSON text: events repeat a few shapes of ``fields`` and ``detail``, so parsing
# each shape once saves most of the work. Cleared when full, so memory stays flat even if
# every row's detail differs.
_MEMO_LIMIT = 1 << 16


@dataclass
class _Walk:
    """How far the chain checks out: the last good event, and the first damage if any."""

    seq: int = 0
    hash: str = GENESIS
    row_id: int | None = None
    events: int = 0
    damage: VerifyResult | None = None


_Row = tuple[Any, ...]

# The order ``_walk`` unpacks; ``at`` and the JSON columns get a per-database expression.
_COLUMNS = (
    "id", "seq", "at", "actor_id", "action", "subject_id", "target",
    "fields", "purpose", "detail", "prev_hash", "hash",
)  # fmt: skip


def _select(vendor: str) -> tuple[str, Callable[[Any], str]]:
    """The keyset query over the event columns, and what turns its ``at`` into canonical text."""
    meta = AuditEvent._meta
    quote = connection.ops.quote_name
    column = {field.name: quote(field.column) for field in meta.concrete_fields}
    to_iso: Callable[[Any], str]
    if vendor == "sqlite":
        if connection.timezone_name != "UTC":
            raise ImproperlyConfigured("audit verify reads SQLite times as UTC; unset DATABASES TIME_ZONE")
        # CAST: without it Django's converter parses every time with a regex. Slicing the text in
        # Python measured faster than SQLite's own string functions.
        column["at"] = f"CAST({column['at']} AS TEXT)"
        to_iso = _sqlite_iso
    elif vendor == "postgresql":
        # The server formats the time: psycopg's timestamptz loader under Django is Python code,
        # and parsing then printing a million datetimes was a third of the work.
        column["at"] = f"""to_char({column["at"]} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""
        # ::text, so jsonb arrives as text whatever loaders the driver has; parsed once per shape.
        column["fields"] += "::text"
        column["detail"] += "::text"
        to_iso = _as_is
    else:
        raise NotSupportedError(f"audit verify supports SQLite and PostgreSQL, not {vendor}")
    names, table, seq, pk = (
        ", ".join(column[n] for n in _COLUMNS),
        quote(meta.db_table),
        column["seq"],
        column["id"],
    )
    # Identifiers come from the model's meta, quoted; the values are parameters.
    sql = f"SELECT {names} FROM {table} WHERE {seq} >= %s ORDER BY {seq}, {pk} LIMIT %s"  # noqa: S608
    return sql, to_iso


def _sqlite_iso(text: str) -> str:
    # Django stores str(naive UTC datetime), which leaves out ".000000" when microseconds are 0.
    if len(text) == 19:
        text += ".000000"
    return f"{text[:10]}T{text[11:]}+00:00"


def _as_is(text: str) -> str:
    return text


def _walk(walk: _Walk, rows: Iterable[_Row], to_iso: Callable[[Any], str], memo: dict[str, str]) -> None:
    """Check ``rows`` (in seq order) against the chain so far; stop at the first damage.

    A row is intact when its seq is the next one, its hash is SHA-256 over its own prev_hash
    and its canonical JSON, and that prev_hash is the previous row's hash. Which test fails
    tells what happened: a wrong hash means this row was edited; a right hash over a prev_hash
    that is not the previous row's means the previous row was replaced by one whose hash was
    recomputed; a seq gap means deletion; a repeated or backward seq means insertion.
    """
    expected, prev_ok, last_id, events = walk.seq + 1, walk.hash, walk.row_id, walk.events
    remember = memo.get
    sha256 = hashlib.sha256

    def parse(text: str) -> str:
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        memo[text] = canonical_json(text)
        return memo[text]

    for row in rows:
        row_id, seq, at, actor_id, action, subject_id, target, fields, purpose, detail, prev, digest = row
        if seq != expected:
            walk.damage = _misplaced(row_id, seq, expected)
            break
        try:
            body = event_body(
                seq, to_iso(at), actor_id, action, subject_id, target,
                remember(fields) or parse(fields), purpose, remember(detail) or parse(detail),
            )  # fmt: skip
            intact = sha256((prev + body).encode()).hexdigest() == digest
        except (TypeError, ValueError):
            intact = False  # a value no append can have written (wrong type, broken JSON)
        if not intact:
            walk.damage = _edited(row_id, seq)
            break
        if prev != prev_ok:
            walk.damage = (
                _replaced(last_id, seq - 1, seq) if last_id is not None else _replaced(row_id, seq, None)
            )
            break
        expected, prev_ok, last_id, events = seq + 1, digest, row_id, events + 1
    walk.seq, walk.hash, walk.row_id, walk.events = expected - 1, prev_ok, last_id, events


def _edited(row_id: int, seq: int) -> VerifyResult:
    message = _("Audit event #%(seq)d (row id %(id)d) was edited: its contents no longer match its hash.")
    return VerifyResult(0, message % {"seq": seq, "id": row_id}, Damage.EDITED, seq, row_id)


def _replaced(row_id: int, seq: int, next_seq: int | None) -> VerifyResult:
    if next_seq is None:
        message = _(
            "Audit event #%(seq)d (row id %(id)d) does not start the chain: it was replaced "
            "by a row with a recomputed hash."
        ) % {"seq": seq, "id": row_id}
    else:
        message = _(
            "Audit event #%(seq)d (row id %(id)d) was replaced or edited with a recomputed hash: "
            "event #%(next)d recorded a different hash for it."
        ) % {"seq": seq, "id": row_id, "next": next_seq}
    return VerifyResult(0, message, Damage.EDITED, seq, row_id)


def _misplaced(row_id: int, seq: Any, expected: int) -> VerifyResult:
    if type(seq) is not int:
        message = _("Audit row id %(id)d has no valid sequence number: it was inserted or edited.")
        return VerifyResult(0, message % {"id": row_id}, Damage.INSERTED, None, row_id)
    if seq < expected:
        message = _(
            "Audit event #%(seq)d (row id %(id)d) repeats or precedes an earlier sequence number: "
            "it was inserted."
        )
        return VerifyResult(0, message % {"seq": seq, "id": row_id}, Damage.INSERTED, seq, row_id)
    message = _(
        "Audit events #%(first)d to #%(last)d are missing before event #%(seq)d (row id %(id)d): "
        "they were deleted."
    )
    values = {"first": expected, "last": seq - 1, "seq": seq, "id": row_id}
    return VerifyResult(0, message % values, Damage.DELETED, expected, row_id)


def _stream(
    walk: _Walk, sql: str, to_iso: Callable[[Any], str], memo: dict[str, str], batch_size: int
) -> None:
    """Walk every row after the last one ``walk`` has seen, ``batch_size`` rows per query.

    Keyset pages (``seq >= last``, ordered by seq then id) keep memory flat on both databases
    without a server-side cursor or a long transaction; ``>=`` rather than ``>`` so that a
    forged row repeating the last seq of a page is still seen, which is why each page asks for
    one row more than it walks. Each page is its own snapshot, which is sound because the log
    only grows at its end: a later page sees a longer prefix of the same chain.
    """
    limit = batch_size + 1
    with connection.cursor() as cursor:
        while walk.damage is None:
            cursor.execute(sql, [walk.seq if walk.row_id is not None else -(2**63), limit])
            rows = cursor.fetchall()
            start = 0
            while start < len(rows) and rows[start][1] == walk.seq and rows[start][0] == walk.row_id:
                start += 1  # the previous page's last row, which >= returns again
            _walk(walk, rows[start:] if start else rows, to_iso, memo)
            if len(rows) < limit:
                return


def _row_id(seq: int) -> int | None:
    found: int | None = AuditEvent.objects.filter(seq=seq).order_by("id").values_list("id", flat=True).first()
    return found


def _check_head(walk: _Walk, head: tuple[int, str] | None) -> VerifyResult | None:
    """With the head locked and every row walked, compare the chain's end with the head."""
    orphan = AuditEvent.objects.filter(seq__isnull=True).order_by("id").values_list("id", flat=True).first()
    if orphan is not None:
        message = _("Audit row id %(id)d has no sequence number: it was inserted outside the chain.")
        return VerifyResult(walk.events, message % {"id": orphan}, Damage.INSERTED, None, orphan)
    if head is None:
        if walk.events == 0:
            return None  # nothing was ever recorded
        message = _(
            "The audit chain head is missing while the log holds events up to #%(seq)d: it was deleted."
        )
        return VerifyResult(walk.events, message % {"seq": walk.seq}, Damage.HEAD, walk.seq, walk.row_id)
    head_seq, head_hash = head
    if walk.seq > head_seq:
        row_id = _row_id(head_seq + 1)
        message = _(
            "Audit event #%(seq)d (row id %(id)d) is beyond the chain head (#%(head)d): it was inserted."
        ) % {"seq": head_seq + 1, "id": row_id, "head": head_seq}
        return VerifyResult(walk.events, message, Damage.INSERTED, head_seq + 1, row_id)
    if walk.seq < head_seq:
        if walk.row_id is None:
            message = _(
                "The audit log is empty but the chain head is at #%(head)d: every event was deleted."
            ) % {"head": head_seq}
        else:
            message = _(
                "The audit log ends at event #%(seq)d (row id %(id)d) but the chain head is at "
                "#%(head)d: the newest events were deleted."
            ) % {"seq": walk.seq, "id": walk.row_id, "head": head_seq}
        return VerifyResult(walk.events, message, Damage.TRUNCATED, walk.seq + 1, walk.row_id)
    if walk.hash != head_hash:
        message = _(
            "Audit event #%(seq)d (row id %(id)d) does not match the chain head: the newest event "
            "was replaced, or the head was edited."
        ) % {"seq": walk.seq, "id": walk.row_id}
        return VerifyResult(walk.events, message, Damage.EDITED, walk.seq, walk.row_id)
    return None


def verify(*, batch_size: int = 20_000) -> VerifyResult:
    """Check the whole chain; name the first edited, inserted or deleted row.

    Most rows are walked without any lock, so appends go on meanwhile. Then the head is locked
    (appends wait, for milliseconds) and the rows appended during the walk are checked too,
    so that the end of the chain and the head are compared in one stable state: the head is
    updated in the same transaction as each append, so any difference left is damage.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    sql, to_iso = _select(connection.vendor)
    walk, memo = _Walk(), dict[str, str]()
    _stream(walk, sql, to_iso, memo, batch_size)
    while walk.damage is None:
        with transaction.atomic():
            head = AuditHead.objects.select_for_update().filter(pk=1).values_list("seq", "hash").first()
            _stream(walk, sql, to_iso, memo, batch_size)
            if walk.damage is not None:
                break
            if head is None and walk.events and AuditHead.objects.filter(pk=1).exists():
                continue  # the very first append committed meanwhile: lock the head it created
            walk.damage = _check_head(walk, head)
            break
    if walk.damage is not None:
        damage = walk.damage
        return VerifyResult(walk.events, damage.message, damage.damage, damage.seq, damage.row_id)
    message = _("audit chain intact: %(events)d events") % {"events": walk.events}
    return VerifyResult(walk.events, message)
