"""The audit log: hash-chained, append-only, written in the same transaction as the change.

Every reveal, change, export, erasure, disclosure and consent change appends one event. Each
event's hash is SHA-256 over the previous hash and the event's canonical JSON, so editing,
inserting or deleting a row by direct SQL breaks the chain at that row (``verify``). Appends
lock the single ``AuditHead`` row, so concurrent writers take turns instead of forking the
chain; the caller's ``transaction.atomic`` makes the event commit or vanish with the change.

The canonical JSON of an event is what ``json.dumps(body, sort_keys=True, separators=(",",
":"), ensure_ascii=True, allow_nan=False)`` gives for its nine columns, with one rule of our
own: a number with no fractional part is written as an integer (``100.0`` and ``1e+16`` become
``100`` and ``10000000000000000``), because PostgreSQL's jsonb rewrites numbers that way and
the hash must not depend on the database. Anyone can recompute it with any JSON library.
``verify`` builds the same bytes from a text template instead of ``json.dumps`` (several
times faster, one template shared with ``record``), and parses each distinct JSON column text
only once, so a million events check in a few seconds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from json.encoder import encode_basestring_ascii as _quote
from typing import Any

from django.db import transaction
from django.utils import timezone

from candor.privacy.models import AuditEvent, AuditHead

GENESIS = "0" * 64


class Action:
    REVEAL = "reveal"
    CHANGE = "change"
    EXPORT = "export"
    ERASE = "erase"
    DISCLOSE = "disclose"
    CONSENT = "consent"
    KEY = "key"
    RETENTION = "retention"
    POLICY = "policy"


# --- Canonical form ---------------------------------------------------------------------------


def _number(literal: str) -> int | float:
    """A JSON number with a fractional part stays a float; one without becomes an exact int.

    Decimal, not float, decides: jsonb turns ``1.7976931348623157e+308`` into those 17 digits
    followed by zeros, which is what ``int(Decimal(literal))`` gives too, whereas ``int(float)``
    would give the binary value's digits. Exponents past the float range are refused, so a
    forged ``1e999999999`` cannot make us build a billion-digit integer.
    """
    try:
        value = Decimal(literal)
    except InvalidOperation as exc:
        raise ValueError(f"not a JSON number: {literal!r}") from exc
    if not value.is_finite() or value.adjusted() > 308:
        raise ValueError(f"number out of range: {literal!r}")
    if value == value.to_integral_value():
        return int(value)
    return float(literal)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# Built once: json.loads/dumps with non-default options construct a new coder on every call,
# which costs more than the parsing of a small document.
_DECODER = json.JSONDecoder(parse_float=_number, parse_constant=_no_constants)
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
_PLAIN_ENCODER = json.JSONEncoder(allow_nan=False)


def canonical_json(text: str) -> str:
    """The canonical form of one JSON document given as text (a JSON column as stored)."""
    return _ENCODER.encode(_DECODER.decode(text))


def _canonical_value(value: Any) -> str:
    # Through text and back, so a Python value is canonicalized exactly as its stored text will be.
    return canonical_json(_PLAIN_ENCODER.encode(value))


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def event_body(
    seq: int,
    at: str,
    actor_id: int | None,
    action: str,
    subject_id: int | None,
    target: str,
    fields: str,
    purpose: str,
    detail: str,
) -> str:
    """The canonical JSON object of one event; ``fields`` and ``detail`` are canonical already.

    Keys in sorted order, no spaces, every string quoted by json's own (C) escaper: byte for
    byte what ``json.dumps(..., sort_keys=True, separators=(",", ":"))`` writes (a test holds
    it to that), at a fraction of the cost. ``format(…, "d")`` accepts integers only, so a
    forged "7" or 7.5 in an integer column raises instead of passing for 7.
    """
    actor = "null" if actor_id is None else format(actor_id, "d")
    subject = "null" if subject_id is None else format(subject_id, "d")
    return (
        f'{{"action":{_quote(action)},"actor_id":{actor},"at":{_quote(at)},"detail":{detail},'
        f'"fields":{fields},"purpose":{_quote(purpose)},"seq":{seq:d},"subject_id":{subject},'
        f'"target":{_quote(target)}}}'
    )


def canonical(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    action: str,
    subject_id: int | None,
    target: str,
    fields: Sequence[str],
    purpose: str,
    detail: Mapping[str, Any],
) -> bytes:
    """The exact bytes an event's hash covers: sorted keys, no spaces, ASCII, UTC ISO time."""
    return event_body(
        seq, _iso(at), actor_id, action, subject_id, target,
        _canonical_value(list(fields)), purpose, _canonical_value(dict(detail)),
    ).encode()  # fmt: skip


def chain_hash(prev_hash: str, body: bytes) -> str:
    return hashlib.sha256(prev_hash.encode() + body).hexdigest()


# --- Appending --------------------------------------------------------------------------------


@transaction.atomic
def record(
    *,
    action: str,
    actor_id: int | None = None,
    subject_id: int | None = None,
    target: str = "",
    fields: Sequence[str] = (),
    purpose: str = "",
    detail: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Call it inside the transaction of the change it records."""
    if isinstance(fields, str):
        raise TypeError("fields is a list of field names, not one string")
    head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
    at = timezone.now()
    seq = head.seq + 1
    # Store exactly the values the hash covers: ids as ints, fields sorted, and detail as its
    # canonical JSON reads back (string keys, lists for tuples, whole numbers as ints), so that
    # what the database returns re-canonicalizes to the same bytes on SQLite and PostgreSQL.
    actor_id = None if actor_id is None else int(actor_id)
    subject_id = None if subject_id is None else int(subject_id)
    fields = sorted(fields)
    fields_json = _canonical_value(fields)
    detail_json = _canonical_value(dict(detail or {}))
    body = event_body(seq, _iso(at), actor_id, action, subject_id, target, fields_json, purpose, detail_json)
    digest = chain_hash(head.hash, body.encode())
    event = AuditEvent.objects.create(
        seq=seq, at=at, actor_id=actor_id, action=action, subject_id=subject_id, target=target,
        fields=fields, purpose=purpose, detail=json.loads(detail_json), prev_hash=head.hash,
        hash=digest,
    )  # fmt: skip
    head.seq, head.hash = seq, digest
    head.save(update_fields=["seq", "hash"])
    return event


# --- Verifying --------------------------------------------------------------------------------
