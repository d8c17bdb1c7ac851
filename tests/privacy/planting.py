"""Plant a distinct value in every declared field of every declared model, for one subject.

Used by the planted-data proof: whatever the declarations say, export must contain every
planted value and erasure must leave none of them anywhere in the database.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, models
from django.utils import timezone

from candor.privacy import datamap
from candor.privacy.crypto import EncryptedField

# Declared fields that cannot carry a distinct planted string, and why.
UNPLANTABLE = {
    ("accounts.User", "password"): "stored only as an argon2 hash",
    ("accounts.User", "language"): "one of two language codes",
    ("accounts.User", "last_login"): "a timestamp",
}
# Optional links a row still needs to satisfy its constraints (a follow has exactly one target).
LINKS_NEEDED = {"social.Follow": ("merchant",)}
TEXT_TYPES = (models.CharField, models.TextField, EncryptedField, models.JSONField, models.BinaryField)
# Dates, times, numbers and flags cannot carry a planted string; nothing to find in the bytes.
SCALAR_TYPES = (
    models.DateField,
    models.BooleanField,
    models.IntegerField,
    models.FloatField,
    models.DecimalField,
)


@dataclass
class Planted:
    user: Any
    values: dict[str, str] = field(default_factory=dict)  # "app.Model.field" -> planted value
    rows: dict[str, Any] = field(default_factory=dict)


def token(label: str) -> str:
    """13 characters: short enough for any column, long enough never to occur by chance.
    (``label`` only seeds readability in failure messages through the values' keys.)"""
    del label
    return f"PL{secrets.token_hex(5).upper()}Z"


def plantable(declaration: datamap.Declaration, name: str) -> bool:
    return isinstance(declaration.model._meta.get_field(name), TEXT_TYPES) and (
        (declaration.model._meta.label, name) not in UNPLANTABLE
    )


def is_scalar(declaration: datamap.Declaration, name: str) -> bool:
    model_field = declaration.model._meta.get_field(name)
    return isinstance(model_field, SCALAR_TYPES) or model_field.is_relation


def _stored(model_field: models.Field[Any, Any], value: str) -> Any:
    """The planted string as the column stores it (JSON carries it inside, bytes as ASCII)."""
    if isinstance(model_field, models.JSONField):
        return {"planted": value}
    if isinstance(model_field, models.BinaryField):
        return value.encode()
    return value


def _value_for(model_field: models.Field[Any, Any], label: str) -> str:
    value = token(label)
    if isinstance(model_field, models.EmailField):
        value = f"{value.lower()}@plant.example"
    max_length = getattr(model_field, "max_length", None)
    if max_length and 6 <= max_length < len(value):
        # A short column (a postal code): a shorter token, still never there by chance.
        value = f"P{secrets.token_hex(max_length // 2 - 1).upper()}Z"[:max_length]
    if max_length and len(value) > max_length:
        raise AssertionError(f"{label}: planted value does not fit max_length={max_length}")
    return value


def _related(model: type[models.Model]) -> models.Model:
    """A minimal row of ``model`` for a required link (a product for a favorite, a merchant …),
    never the planted subject: a row pointing at another account is someone else's data."""
    if model is get_user_model():
        return model.objects.create_user(username=f"other-{secrets.token_hex(4)}", password="a-long-pass-1")
    values = {
        f.name: _filler(f)
        for f in model._meta.concrete_fields
        if not (f.primary_key or f.null or f.blank or f.has_default())
    }
    return model.objects.create(**values)


def _filler(model_field: models.Field[Any, Any]) -> Any:
    """A value for a required non-declared field (numbers, dates, unique order numbers, links)."""
    if model_field.is_relation and model_field.related_model is not None:
        return _related(model_field.related_model)
    if isinstance(model_field, models.DateTimeField):
        return timezone.now()
    if isinstance(model_field, models.DateField):
        return timezone.now().date()
    if isinstance(model_field, models.BooleanField):
        return False
    if isinstance(model_field, models.IntegerField | models.DecimalField | models.FloatField):
        return 1  # within any sane range constraint (a quantity of 1 to 99)
    if isinstance(model_field, models.CharField | models.TextField):
        return secrets.token_hex(min(8, (model_field.max_length or 32) // 2))
    raise AssertionError(f"cannot fill {model_field}")


def plant_subject() -> Planted:
    user_model = get_user_model()
    user_declaration = datamap.declaration_for(user_model)
    assert user_declaration is not None
    planted = Planted(user=None)
    user_values = {}
    for name in user_declaration.fields:
        if plantable(user_declaration, name):
            user_values[name] = _value_for(user_model._meta.get_field(name), f"user{name}")
    user = user_model.objects.create_user(password="a-long-pass-1", **user_values)
    planted.user = user
    planted.values.update({f"{user_model._meta.label}.{k}": v for k, v in user_values.items()})

    for declaration in datamap.declarations():
        model = declaration.model
        if model is user_model or not declaration.fields or declaration.subject == "pk":
            continue
        if model._meta.app_label == "privacy":
            continue  # the core's own ledgers are filled by using the core, not by planting
        # The subject is a foreign key to the user, or a plain id column (``account_id``).
        subject_attr = declaration.subject_field
        kwargs: dict[str, Any] = {subject_attr: user.pk}
        for model_field in model._meta.concrete_fields:
            name = model_field.name
            if model_field.primary_key or model_field.attname == subject_attr:
                continue
            needed = name in LINKS_NEEDED.get(model._meta.label, ()) or not (
                model_field.null or model_field.blank or model_field.has_default()
            )
            if name in declaration.fields and model_field.is_relation:
                if needed:  # a link carries an id, not a planted string
                    kwargs[name] = _filler(model_field)
            elif name in declaration.fields and plantable(declaration, name):
                value = _value_for(model_field, f"{model._meta.model_name}{name}")
                kwargs[name] = _stored(model_field, value)
                planted.values[f"{model._meta.label}.{name}"] = value
            elif needed:
                kwargs[name] = _filler(model_field)
        planted.rows[model._meta.label] = model.objects.create(**kwargs)
    return planted


def database_text(skip: tuple[str, ...] = ()) -> str:
    """Every value of every column of every table (but those whose names start with one of
    ``skip``), as one searchable text; bytes read as Latin-1 so any byte sequence is kept."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if skip and table.startswith(skip):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        chunks.append(bytes(value).decode("latin-1"))
                    elif value is not None:
                        chunks.append(str(value))
    return "\n".join(chunks)
