"""The machinery under ``crypto``: master keys, wrapped data keys, and the per-context key cache.

Master keys come from ``settings.CANDOR_MASTER_KEYS`` ("vN:<base64 of 32 bytes>", newest
first): the newest wraps new data keys, every listed one can unwrap. A data key is 32 random
bytes stored only wrapped (AES-GCM, bound to its subject and class); destroying the wrapped
bytes is crypto-shredding.

Reading a page must not cost a query per row, so rows record the key ids they will need
(``expect``) and the first value opened loads every pending key in one query. The cache is a
``ContextVar``: one per request (``crypto.KeyCacheMiddleware``) or task (``scope``), bounded,
and dropped when the outermost transaction changes — so a key destroyed elsewhere is not served
from memory for long, and a rolled-back transaction (every test is one) leaves nothing stale.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError
from candor.privacy import taxonomy
from candor.privacy.models import DataKey
from candor.privacy.processing import current_purpose

State = DataKey.State
# Plain strings for the hot path (an enum member's attribute lookup costs more than the compare).
ACTIVE, RESTRICTED, SHREDDED = str(State.ACTIVE.value), str(State.RESTRICTED.value), str(State.SHREDDED.value)
NONCE = 12
BATCH = 500  # keys per query: well under SQLite's bound-parameter limit
_VERSION = re.compile(r"v\d{1,6}")
_MAX_KEYS, MAX_PENDING = 2048, 4096  # a context's cache stays bounded however much it reads
_UNSCOPED_SECONDS = 30.0  # outside a request or task (shell, commands) keys are re-read this often


class RestrictedData(CandorError):
    status = 403
    code = "restricted_data"

    def __init__(self) -> None:
        super().__init__(
            _("This record is kept only because the law requires it and cannot be used for this purpose.")
        )


class SubjectErased(CandorError):
    status = 409
    code = "subject_erased"

    def __init__(self) -> None:
        super().__init__(_("This person's data has been erased; nothing more can be stored for them."))


class DecryptionError(RuntimeError):
    """A ciphertext or wrapped key does not open: tampered, or moved to another row or column."""


# --- master keys -------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _parse_masters(configured: tuple[str, ...]) -> tuple[str, dict[str, AESGCM]]:
    if not configured:
        raise ImproperlyConfigured("CANDOR_MASTER_KEYS is empty; give at least one 'v1:<base64 of 32 bytes>'")
    masters: dict[str, AESGCM] = {}
    for position, entry in enumerate(configured, start=1):
        version, _sep, encoded = entry.strip().partition(":")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raw = b""
        if not _VERSION.fullmatch(version) or len(raw) != 32:
            # Never echo the entry: it is key material.
            raise ImproperlyConfigured(
                f"CANDOR_MASTER_KEYS entry {position} is not 'vN:<base64 of 32 bytes>' (list newest first)"
            )
        if version in masters:
            raise ImproperlyConfigured(f"CANDOR_MASTER_KEYS lists master key {version} twice")
        masters[version] = AESGCM(raw)
    return next(iter(masters)), masters


def masters() -> tuple[str, dict[str, AESGCM]]:
    """(newest version, every configured master by version), validated."""
    return _parse_masters(tuple(settings.CANDOR_MASTER_KEYS))


def _key_aad(subject_id: int, key_class: str) -> bytes:
    # Binds a wrapped key to its row: a wrapped key copied to another subject does not unwrap.
    return f"{subject_id}:{key_class}".encode()


def wrap(secret: bytes, subject_id: int, key_class: str) -> tuple[bytes, str]:
    version, by_version = masters()
    nonce = os.urandom(NONCE)
    return nonce + by_version[version].encrypt(nonce, secret, _key_aad(subject_id, key_class)), version


def unwrap(wrapped: bytes, version: str, subject_id: int, key_class: str) -> bytes:
    master = masters()[1].get(version)
    if master is None:
        raise ImproperlyConfigured(
            f"master key {version} is needed to unwrap data keys; add it to CANDOR_MASTER_KEYS"
        )
    try:
        return master.decrypt(wrapped[:NONCE], wrapped[NONCE:], _key_aad(subject_id, key_class))
    except InvalidTag as exc:
        raise DecryptionError(f"a {key_class} data key does not unwrap under master key {version}") from exc


# --- the cache ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Key:
    pk: int
    subject_id: int
    key_class: str
    state: str
    secret: bytes | None  # None: destroyed, or the row is gone
    aead: AESGCM | None


@lru_cache(maxsize=4096)
def _unwrapped(
    configured: tuple[str, ...],
    wrapped: bytes,
    version: str,
    pk: int,
    subject_id: int,
    key_class: str,
    state: str,
) -> Key:
    # Keyed by the key row just read from the database, wrapped bytes and state included: a
    # destroyed key (wrapped NULL) is never looked up here, a restricted one misses the entry
    # it had while active, and a removed master key (``configured``) misses. It only spares
    # unwrapping the same key (and building its ``AESGCM``) again on every request; the state
    # it holds is always the one this request read.
    secret = unwrap(wrapped, version, subject_id, key_class)
    return Key(pk, subject_id, key_class, state, secret, AESGCM(secret))


def evict_unwrapped() -> None:
    """Drop every unwrapped secret this process holds (the references: Python cannot wipe the
    bytes). Called when a key is destroyed or restricted, so that its secret does not stay in
    this process's memory for later requests. Other processes keep theirs until their cache
    turns over; for a destroyed key those entries can no longer be reached, since the wrapped
    bytes that key them are gone from the database."""
    _unwrapped.cache_clear()


def _from_row(
    pk: int,
    subject_id: int,
    key_class: str,
    state: str,
    wrapped: Any,
    version: str,
    configured: tuple[str, ...] | None = None,
) -> Key:
    if wrapped is None or state == SHREDDED:
        return Key(pk, subject_id, key_class, SHREDDED, None, None)
    if configured is None:
        configured = tuple(settings.CANDOR_MASTER_KEYS)
    return _unwrapped(configured, bytes(wrapped), version, pk, subject_id, key_class, str(state))


def _select_keys(connection: Any, pks: list[int]) -> list[tuple[Any, ...]]:
    # Raw SQL for this one hot query: on SQLite, building it through the ORM costs more than
    # running it, and a page pays it once per request.
    table = connection.ops.quote_name(DataKey._meta.db_table)
    marks = ", ".join(["%s"] * len(pks))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, subject_id, key_class, state, wrapped, master_version FROM {table} "  # noqa: S608
            f"WHERE id IN ({marks})",
            pks,
        )
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def _outermost(connection: Any) -> object | None:
    blocks = connection.atomic_blocks
    return blocks[0] if blocks else None


class Keyring:
    def __init__(self, *, scoped: bool) -> None:
        self.scoped = scoped
        self.expires = None if scoped else time.monotonic() + _UNSCOPED_SECONDS
        # Looking the connection up is costly (a context-local); it is fixed per thread.
        self.thread = threading.get_ident()
        self.connection = transaction.get_connection()
        self.atomic = _outermost(self.connection)  # held, so its id cannot be reused meanwhile
        self.keys: dict[int, Key] = {}
        self.pending: dict[int, None] = {}  # an ordered set of key ids seen on loaded rows
        self.writable: dict[tuple[int, str], int] = {}  # keys found (not made) here: safe to reuse
        # Keys made here, with the savepoints open when they were made: reusable while those
        # savepoints still stand (savepoint ids are never reused on a connection, so a rolled
        # back one cannot match again), looked up afresh otherwise.
        self.made: dict[tuple[int, str], tuple[int, tuple[str | None, ...]]] = {}

    def made_key(self, slot: tuple[int, str]) -> int | None:
        entry = self.made.get(slot)
        if entry is None:
            return None
        pk, savepoints = entry
        if tuple(self.connection.savepoint_ids[: len(savepoints)]) != savepoints:
            del self.made[slot]
            return None
        return pk

    def fresh(self) -> bool:
        # Runs for every value opened: kept to attribute reads and two C calls.
        if self.expires is not None and time.monotonic() >= self.expires:
            return False
        blocks = self.connection.atomic_blocks
        return (blocks[0] if blocks else None) is self.atomic and threading.get_ident() == self.thread

    def remember(self, key: Key) -> None:
        self.keys.pop(key.pk, None)
        self.keys[key.pk] = key
        while len(self.keys) > _MAX_KEYS:
            self.keys.pop(next(iter(self.keys)))

    def get(self, pk: int) -> Key:
        key = self.keys.get(pk)
        if key is not None:
            return key
        # This key and every pending one, in one query.
        pending = self.pending
        pending.pop(pk, None)
        if len(pending) < BATCH:
            batch = [pk, *pending]
            pending.clear()
        else:
            batch = [pk, *islice(pending, BATCH - 1)]
            for done in batch[1:]:
                del pending[done]
        configured = tuple(settings.CANDOR_MASTER_KEYS)
        found = {
            pk_: _from_row(pk_, subject_id, key_class, state, wrapped, version, configured)
            for pk_, subject_id, key_class, state, wrapped, version in _select_keys(self.connection, batch)
        }
        keys = self.keys
        for wanted in batch:
            keys.pop(wanted, None)  # (re)loaded keys are the most recent
            # No such row: the key reads as destroyed.
            keys[wanted] = found.get(wanted) or Key(wanted, -1, "", SHREDDED, None, None)
        while len(keys) > _MAX_KEYS:
            keys.pop(next(iter(keys)))
        return keys[pk]

    def forget(self, pks: Iterable[int]) -> None:
        gone = set(pks)
        for pk in gone:
            self.keys.pop(pk, None)
        self.writable = {slot: pk for slot, pk in self.writable.items() if pk not in gone}
        self.made = {slot: entry for slot, entry in self.made.items() if entry[0] not in gone}


# The cache of this context; crypto.py reads it directly on its hot path.
CURRENT: ContextVar[Keyring | None] = ContextVar("candor_keyring", default=None)


def ring() -> Keyring:
    current = CURRENT.get()
    if current is None or not current.fresh():
        stale, current = current, Keyring(scoped=current.scoped if current else False)
        if stale is not None:
            # Rows loaded before the cache went stale still want their keys in one query: the
            # ids they noted are hints, never keys, so they carry over.
            current.pending = stale.pending
        CURRENT.set(current)
    return current


def expect(pk: int) -> None:
    """Note a key id seen on a loaded row, so that the first value opened loads it with the
    others. Runs for every encrypted value loaded: no freshness check unless the key is
    already cached (a stale cache passes its pending ids on, see ``ring``)."""
    current = CURRENT.get()
    if current is None or (pk in current.keys and not current.fresh()):
        current = ring()
    if pk not in current.keys and len(current.pending) < MAX_PENDING:
        current.pending[pk] = None


@contextmanager
def scope() -> Iterator[None]:
    token = CURRENT.set(Keyring(scoped=True))
    try:
        yield
    finally:
        CURRENT.reset(token)


def forget(pks: Iterable[int] | None = None) -> None:
    """Drop keys (all of them with None) from this context's cache after their state changed."""
    current = CURRENT.get()
    if current is not None:
        current.forget(list(current.keys) if pks is None else pks)


def require_legal_purpose() -> None:
    purpose = current_purpose()
    if purpose is None or purpose.code not in taxonomy.LEGAL_PURPOSES:
        raise RestrictedData()


# --- keys for writing --------------------------------------------------------------------------


def _find_or_make(subject_id: int, key_class: str) -> tuple[DataKey, bool]:
    row = DataKey.objects.filter(subject_id=subject_id, key_class=key_class).first()
    if row is not None:
        return row, False
    wrapped, version = wrap(os.urandom(32), subject_id, key_class)
    try:
        # A savepoint, so that losing the race to a concurrent writer leaves the caller's
        # transaction usable; the unique constraint picks the winner, whose key we then use.
        with transaction.atomic():
            made = DataKey.objects.create(
                subject_id=subject_id, key_class=key_class, wrapped=wrapped, master_version=version
            )
        return made, True
    except IntegrityError:
        return DataKey.objects.get(subject_id=subject_id, key_class=key_class), False


def for_write(subject_id: int, key_class: str) -> Key:
    """The subject's key of this class, made on first use; refuses destroyed keys, and
    restricted ones outside a legal purpose."""
    current = ring()
    slot = (subject_id, key_class)
    pk = current.writable.get(slot) or current.made_key(slot)
    key = current.keys.get(pk) if pk is not None else None
    if key is None:
        row, created = _find_or_make(subject_id, key_class)
        key = _from_row(row.pk, row.subject_id, row.key_class, row.state, row.wrapped, row.master_version)
        current.remember(key)
        if created:
            current.made[slot] = (key.pk, tuple(current.connection.savepoint_ids))
        else:
            current.writable[slot] = key.pk
    if key.aead is None:
        raise SubjectErased()
    if key.state == RESTRICTED:
        require_legal_purpose()
    return key


# --- values ------------------------------------------------------------------------------------

_PREFIX = "enc1$"
_TOKEN = re.compile(r"enc1\$(\d+)\$([A-Za-z0-9+/]+={0,2})")


def is_token(value: str) -> bool:
    """Whether ``value`` has the shape of Candor ciphertext (what the field lets through)."""
    return _TOKEN.fullmatch(value) is not None


def key_id_of(token: str) -> int | None:
    """The key id a ciphertext names; cheap, for every value of every loaded row."""
    end = token.find("$", 5) if token.startswith(_PREFIX) else -1
    digits = token[5:end]
    return int(digits) if end > 5 and digits.isascii() and digits.isdigit() else None


@lru_cache(maxsize=8192)
def aad(context: str, key_pk: int) -> bytes:
    # Binds a ciphertext to its column and key: moved to another column or subject, it fails.
    return f"{context}#{key_pk}".encode()


def seal(key: Key, value: str, context: str) -> str:
    """``enc1$<key id>$<base64(nonce || ciphertext)>``: the key id says which key opens it."""
    assert key.aead is not None
    nonce = os.urandom(NONCE)
    sealed = key.aead.encrypt(nonce, value.encode(), aad(context, key.pk))
    return f"enc1${key.pk}${base64.b64encode(nonce + sealed).decode()}"


def open_token(
    token: str, context: str, owner: tuple[int, str] | None = None, key_pk: int | None = None
) -> tuple[str | None, bool]:
    """The plaintext (None when the key is destroyed) and whether it may stay in memory.

    ``owner`` — (subject id, key class) of the row the value was read from — catches a whole
    ciphertext copied into another subject's row, which its key alone would still open.
    ``key_pk``: the key id, when the caller has already parsed it. This runs for every value
    shown, so the common path is kept short: one cache look-up, the checks, one AES-GCM call."""
    if key_pk is None:
        key_pk = key_id_of(token)
    try:
        if key_pk is None:
            raise ValueError
        blob = binascii.a2b_base64(token[token.index("$", 5) + 1 :], strict_mode=True)
    except (ValueError, binascii.Error):
        raise DecryptionError(f"{context} holds a value that is not Candor ciphertext") from None
    current = CURRENT.get()
    if current is None or not current.fresh():
        current = ring()
    key = current.keys.get(key_pk) or current.get(key_pk)
    aead = key.aead
    if aead is None:
        return None, False
    if owner is not None and (owner[0] != key.subject_id or owner[1] != key.key_class):
        raise DecryptionError(f"a value of {context} was encrypted for another subject")
    state = key.state
    if state == RESTRICTED:
        require_legal_purpose()
    bound = aad(context, key_pk)
    try:
        plain = aead.decrypt(blob[:NONCE], blob[NONCE:], bound)
    except InvalidTag:
        # A cached key may have outlived its row (a rolled-back transaction): read it once more
        # before calling the value tampered with.
        current.forget([key_pk])
        key = current.get(key_pk)
        state = key.state
        try:
            plain = key.aead.decrypt(blob[:NONCE], blob[NONCE:], bound) if key.aead else b""
        except InvalidTag:
            raise DecryptionError(f"a value of {context} does not decrypt with its key") from None
        if key.aead is None:
            return None, False
    return plain.decode(), state == ACTIVE
