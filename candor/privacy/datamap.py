"""The registry of personal-data declarations: one ``register(...)`` per model, in the app's
``personal_data.py``, discovered at start-up (like Wagtail's ``wagtail_hooks.py``).

Everything the privacy core does — export, erasure, retention sweeps, masking, encryption
checks, what each recipient may receive, the published collection and sharing lists — is
derived from these declarations and nothing else. A model that holds personal data and is not
declared fails ``manage.py check`` (see ``checks.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.functional import Promise

from candor.privacy import taxonomy
from candor.privacy.taxonomy import Category, LegalBasis, Purpose, Recipient

if TYPE_CHECKING:
    from candor.privacy.retention import Rule


class OnErasure(StrEnum):
    DELETE = "delete"  # the rows go
    ANONYMIZE = "anonymize"  # the rows stay (others rely on them), the person's fields are blanked
    RESTRICT = "restrict"  # a law requires keeping them: encrypted, restricted, anonymized at term


class KeyClass(StrEnum):
    """Which of a subject's data keys encrypts a field (DESIGN: key per subject and class)."""

    PROFILE = "profile"  # destroyed at erasure
    TRANSACTION = "transaction"  # lives until the legal term of the records ends


class _Auto:
    def __repr__(self) -> str:
        return "AUTO"


AUTO: Any = _Auto()  # anonymize with the blank value of the field's type


@dataclass(frozen=True)
class Pi:
    """One declared personal-information field."""

    category: Category
    _: KW_ONLY
    purposes: Sequence[Purpose]
    encrypt: bool = False
    mask: str | None = None  # a kind from masking.MASKS: phone, name, id_number, email, address …
    required: bool = True  # False: the function works without it (C000-03 landline and email)
    sensitive: bool | None = None  # None: as the category says
    label: Promise | str | None = None  # None: the model field's verbose_name
    hashed: bool = False  # stored only as a one-way hash (a password): not "in clear"
    anonymize: Any = AUTO  # the value (or expression) that replaces it when anonymized

    def __post_init__(self) -> None:
        # Declarations pass lists; a frozen declaration keeps a tuple.
        object.__setattr__(self, "purposes", tuple(self.purposes))

    @property
    def is_sensitive(self) -> bool:
        return self.category.sensitive if self.sensitive is None else self.sensitive


@dataclass(frozen=True)
class Share:
    """What one recipient may receive from rows of a model: an allowlist, declared here and
    never chosen at the call site. ``fields`` may name model fields or read-only attributes
    (a property such as a non-personal payment subject line)."""

    recipient: Recipient
    fields: tuple[str, ...]
    purpose: Purpose
    basis: LegalBasis = taxonomy.CONTRACT


@dataclass(frozen=True)
class Declaration:
    model: type[models.Model]
    subject: str  # path from a row to the person's user id; "pk" for the user model itself
    fields: Mapping[str, Pi]
    retention: Rule
    on_erasure: OnErasure
    recipients: tuple[Share, ...] = ()
    not_personal: Mapping[str, str] = field(default_factory=dict)  # field -> why it is not
    label: Promise | str | None = None
    # A field that is not personal but names the record as the person knows it (an order
    # number): the export and "my data" show it beside the record, so rows can be matched.
    reference: str | None = None

    @property
    def key_class(self) -> KeyClass:
        return KeyClass.TRANSACTION if self.on_erasure is OnErasure.RESTRICT else KeyClass.PROFILE

    @property
    def subject_field(self) -> str:
        """The lookup that filters this model's rows by a subject's user id."""
        return "pk" if self.subject == "pk" else f"{self.subject}_id"

    def subject_id_of(self, row: models.Model) -> int:
        value = row.pk if self.subject == "pk" else getattr(row, f"{self.subject}_id")
        return int(value)

    def rows_of(self, subject_id: int) -> models.QuerySet[Any]:
        return self.model._default_manager.filter(**{self.subject_field: subject_id})

    def share_for(self, recipient: Recipient) -> Share | None:
        return next((s for s in self.recipients if s.recipient.code == recipient.code), None)

    @property
    def display_label(self) -> str:
        return str(self.label or self.model._meta.verbose_name_plural)

    def field_label(self, name: str) -> str:
        pi = self.fields[name]
        if pi.label:
            return str(pi.label)
        field = self.model._meta.get_field(name)
        return str(getattr(field, "verbose_name", name))


@dataclass(frozen=True)
class Exemption:
    """A model that looks personal to the checks but was reviewed, with the reason."""

    model: type[models.Model]
    reason: str


_declarations: dict[type[models.Model], Declaration] = {}
_exemptions: dict[type[models.Model], Exemption] = {}
_not_personal: dict[type[models.Model], dict[str, str]] = {}


def register(
    model: type[models.Model],
    *,
    subject: str,
    fields: Mapping[str, Pi],
    retention: Rule,
    on_erasure: OnErasure,
    recipients: Iterable[Share] = (),
    not_personal: Mapping[str, str] | None = None,
    label: Promise | str | None = None,
    reference: str | None = None,
) -> Declaration:
    if model in _declarations:
        raise ValueError(f"{model._meta.label} is declared twice")
    declaration = Declaration(
        model=model,
        subject=subject,
        fields=dict(fields),
        retention=retention,
        on_erasure=on_erasure,
        recipients=tuple(recipients),
        not_personal=dict(not_personal or {}),
        label=label,
        reference=reference,
    )
    _declarations[model] = declaration
    return declaration


def exempt(model: type[models.Model], *, reason: str) -> None:
    _exemptions[model] = Exemption(model, reason)


def not_personal(model: type[models.Model], *, fields: Mapping[str, str]) -> None:
    """For a model about no one: fields whose names look personal but are not (field -> why),
    e.g. a product's ``name``."""
    _not_personal.setdefault(model, {}).update(fields)


def reviewed_fields(model: type[models.Model]) -> Mapping[str, str]:
    return _not_personal.get(model, {})


def declarations() -> list[Declaration]:
    """All declarations, the user model's last so that erasure removes dependants first."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    return sorted(_declarations.values(), key=lambda d: (d.model is user_model, d.model._meta.label))


def declaration_for(model: type[models.Model]) -> Declaration | None:
    return _declarations.get(model)


def exemption_for(model: type[models.Model]) -> Exemption | None:
    return _exemptions.get(model)


def unregister(model: type[models.Model]) -> None:
    """For tests that plant a declaration and must leave the registry as they found it."""
    _declarations.pop(model, None)
    _exemptions.pop(model, None)
    _not_personal.pop(model, None)


def autodiscover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("personal_data")
