"""Encryption at rest: ``EncryptedField``, the blind index, and the life of a subject's keys.

Each sensitive field is encrypted with a data key per subject *and retention class*
(``KeyClass``, from the model's declaration): erasing a person destroys their profile key,
which makes every copy of that data unreadable, backups included, while their transaction key
stays until the legal term of the records ends (E-Commerce Law art. 31), readable meanwhile only
for a legal purpose (``processing.py``; PIPL art. 47). Master keys come from the environment
and only wrap data keys, so ``candor keys rotate`` re-wraps the small key table and never
touches a business row. Key handling itself lives in ``keyring.py``, and the keys' life
(shred, restrict, rotate; re-exported here) in ``key_lifecycle.py``.

The field encrypts in ``pre_save`` (only there is the row known, and so whose key to use) and
refuses plaintext at the database layer, so ``update(phone=…)`` or ``filter(phone=…)`` can never
store or compare clear text; equality goes through an HMAC blind index in a sibling column.
Reads are lazy: a loaded row holds ``Sealed`` values, opened on first attribute access, whose
keys load together — a page of N rows from N subjects costs at most one extra query.
"""

from __future__ import annotations

import binascii
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import HttpRequest, HttpResponse

from candor.privacy import keyring
from candor.privacy.datamap import Declaration, KeyClass, declaration_for
from candor.privacy.key_lifecycle import restrict, rotate, shred, shred_expired
from candor.privacy.keyring import ACTIVE, NONCE, DecryptionError, RestrictedData, SubjectErased

__all__ = [
    "DecryptionError", "EncryptedField", "KeyCacheMiddleware", "PlaintextRefused", "RestrictedData",
    "Sealed", "SubjectErased", "blind_index", "decrypt", "encrypt_value", "key_scope", "lookup",
    "restrict", "rotate", "shred", "shred_expired",
]  # fmt: skip

INDEX_SUBJECT, INDEX_CLASS = 0, "index"  # the blind-index key: nobody's, and rotation keeps it


class PlaintextRefused(ValueError):
    """Clear text reached the database layer of an encrypted column."""


@contextmanager
def key_scope() -> Iterator[None]:
    """A fresh key cache for one unit of work (a Huey task, a script step), dropped at its end."""
    with keyring.scope():
        yield


class KeyCacheMiddleware:
    """One key cache per request: keys read for a page serve that page only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with keyring.scope():
            return self.get_response(request)


# --- values --------------------------------------------------------------------------------------


def encrypt_value(value: str, *, subject_id: int, key_class: KeyClass | str, context: str) -> str:
    """Ciphertext of ``value`` under the subject's key; ``context`` is "<model label>.<field>"
    and must be given again to decrypt (a value moved to another column does not open)."""
    return keyring.seal(keyring.for_write(subject_id, str(key_class)), value, context)


def decrypt(token: str, *, context: str) -> str | None:
    """Plaintext, or None when the key was destroyed; ``RestrictedData`` outside a legal purpose
    for a restricted key; ``DecryptionError`` for a tampered or moved value."""
    return keyring.open_token(token, context)[0]


def blind_index(value: str, *, normalize: Callable[[str], str] | None = None) -> str:
    """HMAC-SHA256 (hex) of the normalized value under the index key, which rotation keeps."""
    key = keyring.for_write(INDEX_SUBJECT, INDEX_CLASS)
    assert key.secret is not None  # for_write refuses a destroyed key
    mac = hmac.HMAC(key.secret, hashes.SHA256())
    mac.update((normalize(value) if normalize else value).encode())
    return mac.finalize().hex()


def lookup(model: type[models.Model], field_name: str, value: str) -> dict[str, str]:
    """``Person.objects.filter(**lookup(Person, "phone", "138…"))``: equality via the index."""
    field = model._meta.get_field(field_name)
    if not isinstance(field, EncryptedField) or not field.blind_index:
        raise ImproperlyConfigured(
            f"{model._meta.label}.{field_name} is not an EncryptedField with a blind index"
        )
    return {field.blind_index: blind_index(value, normalize=field.normalize)}


class Sealed:
    """A ciphertext as loaded from the database, opened on first use; ``repr()`` never shows
    the plaintext. ``str()`` opens it too, so ``.values()`` rows render.

    ``open()`` and ``str()`` check less than an attribute read: a ``.values()`` row carries no
    subject, so they cannot tell a whole ciphertext copied from another subject's row of the
    same column (which its key still opens) from the row's own. Only ``row.<field>`` compares
    the key's owner with the row's subject. Column and key are still bound (the AAD): a value
    moved to another column fails; a restricted key still needs a legal purpose, and a
    destroyed one still reads as None."""

    __slots__ = ("context", "key_pk", "token")

    def __init__(self, token: str, context: str, key_pk: int | None) -> None:
        self.token, self.context, self.key_pk = token, context, key_pk

    def open(self) -> str | None:
        return decrypt(self.token, context=self.context)

    def __str__(self) -> str:
        return self.open() or ""

    def __repr__(self) -> str:
        return f"<Sealed {self.context} key #{self.key_pk}>"


# --- the field ---------------------------------------------------------------------------------


class _OpeningAttribute(models.query_utils.DeferredAttribute):
    # A data descriptor (it has __set__), so that reads reach __get__ even once the instance
    # dict holds the sealed value.
    def __init__(self, field: models.Field) -> None:  # type: ignore[type-arg]
        super().__init__(field)
        self.attname: str = field.attname

    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.attname] = value

    def __get__(self, instance: models.Model | None, cls: type[models.Model] | None = None) -> Any:
        if instance is None:
            return self
        data, name = instance.__dict__, self.attname
        value = data[name] if name in data else super().__get__(instance, cls)
        if type(value) is not Sealed:
            return value
        # Whose key should open the row's values: worked out once per row, not per value.
        owner = data.get(_OWNER)
        if owner is None:
            owner = data[_OWNER] = _owner_of(instance)
        # The common case, inlined (this runs for every value shown): the key is cached in a
        # fresh cache, belongs to the row's owner and is active. Anything else — a key to
        # load, restricted or destroyed, another owner, a value that does not open — takes
        # keyring.open_token, which decides.
        current, key_pk, key = keyring.CURRENT.get(), value.key_pk, None
        if current is not None and key_pk is not None and current.fresh():
            key = current.keys.get(key_pk)
        if (
            key is not None
            and key.aead is not None
            and key.state == ACTIVE
            and key.subject_id == owner[0]
            and key.key_class == owner[1]
        ):
            token = value.token
            try:
                blob = binascii.a2b_base64(token[token.index("$", 5) + 1 :], strict_mode=True)
                bound = keyring.aad(value.context, key.pk)
                text = key.aead.decrypt(blob[:NONCE], blob[NONCE:], bound).decode()
            except (ValueError, binascii.Error, InvalidTag):
                pass  # open_token below says what is wrong (or re-reads a stale key)
            else:
                data[name] = text
                return text
        plain, keep = keyring.open_token(value.token, value.context, owner, value.key_pk)
        # Restricted values are re-checked on every read; destroyed ones stay sealed, so
        # saving the row keeps the (unreadable) ciphertext instead of writing NULL.
        if keep:
            data[name] = plain
        return plain


def _owner_of(instance: models.Model) -> tuple[int, str]:
    """(subject id, key class) whose key must have encrypted the row's values."""
    declaration = _declaration(instance)
    spec = _owner_specs.get(type(instance))
    if spec is None or spec[0] is not declaration:  # tests swap declarations
        spec = _owner_specs[type(instance)] = (
            declaration,
            None if declaration.subject == "pk" else f"{declaration.subject}_id",
            declaration.key_class.value,
        )
    _declared, attname, key_class = spec
    if attname is None:
        return int(instance.pk), key_class
    value = instance.__dict__.get(attname)  # a loaded row has it; getattr loads a deferred one
    return int(value if value is not None else getattr(instance, attname)), key_class


# Per model: what _owner_of reads from a row, under which declaration.
_owner_specs: dict[type[models.Model], tuple[Declaration, str | None, str]] = {}


_OWNER = "_candor_owner"  # per loaded row: (subject id, key class) of its values
_AFTER_INSERT = "_candor_encrypt_after_insert"


class EncryptedField(models.TextField):  # type: ignore[type-arg]
    """A text column stored as AES-GCM ciphertext under the row subject's data key.

    ``blind_index`` names a sibling ``CharField(max_length=64, db_index=True)``, declared after
    this field, that ``pre_save`` fills with ``blind_index(normalize(value))``; list both in
    ``update_fields``. Only ``isnull`` (and ``exact`` against None) queries are allowed.
    """

    descriptor_class = _OpeningAttribute

    def __init__(
        self,
        *args: Any,
        blind_index: str | None = None,
        normalize: Callable[[str], str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.blind_index = blind_index
        self.normalize = normalize  # not deconstructed: it shapes no column
        self.context = ""
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.blind_index:
            kwargs["blind_index"] = self.blind_index
        return name, path, args, kwargs

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        self.context = f"{cls._meta.label_lower}.{name}"
        if not cls._meta.abstract:
            uid = f"candor-crypto-{cls._meta.label_lower}"
            models.signals.pre_save.connect(_before_save, sender=cls, dispatch_uid=uid)
            models.signals.post_save.connect(_encrypt_after_insert, sender=cls, dispatch_uid=uid)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Sealed | str | None:
        if not value:
            return value
        # keyring.key_id_of, inlined: this runs for every encrypted value of every loaded row.
        end = value.find("$", 5) if value.startswith("enc1$") else -1
        digits = value[5:end]
        if end > 5 and digits.isascii() and digits.isdigit():
            key_pk = int(digits)
            # keyring.expect, inlined for its common case: a fresh or stale cache without
            # this key notes it as pending (a stale cache passes its pending ids on).
            current = keyring.CURRENT.get()
            if current is None or key_pk in current.keys or len(current.pending) >= keyring.MAX_PENDING:
                keyring.expect(key_pk)
            else:
                current.pending[key_pk] = None
            return Sealed(value, self.context, key_pk)
        return Sealed(value, self.context, None)

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return value
        if isinstance(value, Sealed):
            return value.token
        if isinstance(value, str) and keyring.is_token(value):
            return value
        raise PlaintextRefused(
            f"{self.context} is encrypted: set it on the instance and save() to store it; find rows "
            f"by its blind index (crypto.lookup) rather than by its value"
        )

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name in {"isnull", "exact"}:
            return super().get_lookup(lookup_name)
        raise PlaintextRefused(f"{self.context} is encrypted: only isnull lookups work on it")

    def get_transform(self, lookup_name: str) -> Any:
        return None

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [*super().check(**kwargs), *self._check_setup()]

    def _check_setup(self) -> list[checks.CheckMessage]:
        # Whether the model is declared at all is checks.py's business; here: the index column.
        if not self.blind_index or self.model._meta.abstract:
            return []
        fields = list(self.model._meta.concrete_fields)
        sibling = next((f for f in fields if f.name == self.blind_index), None)
        if not isinstance(sibling, models.CharField) or (sibling.max_length or 0) < 64:
            return [checks.Error(f"blind index of {self.context} must name a CharField(max_length=64)",
                obj=self, id="privacy.E201")]  # fmt: skip
        if fields.index(sibling) < fields.index(self):
            # Django reads field values in declaration order: a sibling declared before this
            # field would be written before pre_save computed it.
            return [
                checks.Error(f"declare {self.blind_index} after {self.name}", obj=self, id="privacy.E202")
            ]
        return []

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if isinstance(value, Sealed):
            if self._still_bound(model_instance, value):
                return value.token  # unchanged: no need to open it (it may be restricted)
            value = value.open()
        if value is None or value == "":
            self._set_index(model_instance, None)
            return value
        text = str(value)
        self._set_index(model_instance, text)
        declaration = _declaration(model_instance)
        if declaration.subject == "pk" and model_instance.pk is None:
            # The subject is the row itself and has no id before the INSERT: store nothing now,
            # encrypt under the new id right after (``_encrypt_after_insert``). Only save()
            # sends that signal (``_before_save`` marks its rows); bulk_create would leave "".
            pending = model_instance.__dict__.get(_AFTER_INSERT)
            if pending is None:
                raise ValueError(
                    f"{self.context} cannot be encrypted by bulk_create: the row is its own subject, "
                    f"so it is encrypted under its new id after the INSERT; create it with save()"
                )
            pending[self.attname] = text
            return None if self.null else ""
        return self._encrypt(model_instance, text)

    def _encrypt(self, instance: models.Model, text: str) -> str:
        declaration = _declaration(instance)
        try:
            subject_id = declaration.subject_id_of(instance)
        except (TypeError, ValueError):
            raise ValueError(f"cannot encrypt {self.context}: the row has no subject yet") from None
        return encrypt_value(
            text, subject_id=subject_id, key_class=declaration.key_class, context=self.context
        )

    def _still_bound(self, instance: models.Model, sealed: Sealed) -> bool:
        """Whether a loaded ciphertext still belongs here: same column, same subject and class.
        A value copied from another row, or a row moved to another subject, is re-encrypted."""
        if sealed.key_pk is None or sealed.context != self.context:
            return False
        declaration = _declaration(instance)
        try:
            subject_id = declaration.subject_id_of(instance)
        except (TypeError, ValueError):
            return False
        key = keyring.ring().get(sealed.key_pk)
        return key.subject_id == subject_id and key.key_class == declaration.key_class

    def _set_index(self, instance: models.Model, text: str | None) -> None:
        if not self.blind_index:
            return
        sibling = instance._meta.get_field(self.blind_index)
        assert isinstance(sibling, models.Field)
        digest = blind_index(text, normalize=self.normalize) if text else None
        setattr(instance, sibling.attname, digest if digest is not None or sibling.null else "")


def _declaration(instance: models.Model) -> Declaration:
    declaration = declaration_for(type(instance))
    if declaration is None:
        raise ImproperlyConfigured(
            f"{instance._meta.label} has an EncryptedField but no personal-data declaration: register "
            f"it in its app's personal_data.py (the declaration says whose key encrypts the row)"
        )
    return declaration


def _before_save(
    sender: type[models.Model], instance: models.Model, update_fields: Any = None, **kwargs: Any
) -> None:
    if instance.pk is None:
        instance.__dict__[_AFTER_INSERT] = {}  # save() is inserting: post_save will follow
    if update_fields is None:
        return
    for field in sender._meta.concrete_fields:
        if not isinstance(field, EncryptedField) or not field.blind_index:
            continue
        if field.name in update_fields and field.blind_index not in update_fields:
            raise ValueError(f"save(update_fields=…) with {field.name} must include {field.blind_index}")


def _encrypt_after_insert(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    pending: dict[str, str] | None = instance.__dict__.pop(_AFTER_INSERT, None)
    if not pending:
        return
    tokens = {}
    for attname, text in pending.items():
        field = sender._meta.get_field(attname)
        assert isinstance(field, EncryptedField)
        tokens[attname] = field._encrypt(instance, text)
    sender._base_manager.filter(pk=instance.pk).update(**tokens)
