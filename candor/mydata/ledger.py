"""Who received my data (C000-24, PIPL art. 23): the disclosure ledger about the person, readable.

Each hand-over the core recorded (``disclosure.ledger``) names the recipient, the fields, the
purpose and legal basis by code; here they become the declared labels in the person's
language, and the record handed over becomes something the person recognises — the order or
purchase number, linked to the order's page. A record is resolved only among the person's own
rows (the declaration's subject filter), so a number from someone else's record can never
appear, however a ledger row reads.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import models
from django.urls import NoReverseMatch, reverse

from candor.privacy import disclosure, taxonomy
from candor.privacy.datamap import declaration_for
from candor.privacy.models import DisclosureRecord

# Records with a page of their own for the person: model label -> URL name taking the number.
RECORD_PAGES = {"orders.order": "orders:detail"}
LEDGER_PAGE = 50  # rows per page, on the page and in the API alike


@dataclass(frozen=True)
class Disclosure:
    at: datetime
    recipient: str
    recipient_label: str
    fields: tuple[str, ...]
    field_labels: tuple[str, ...]
    purpose: str
    purpose_label: str
    basis: str
    basis_label: str
    record_kind: str  # "order", "purchase", … in the active language
    record_number: str  # the person's own record's number; "" when it has none
    record_url: str


def _model(target: str) -> tuple[type[models.Model] | None, str]:
    label, _sep, pk = target.partition(":")
    try:
        return apps.get_model(label), pk
    except (LookupError, ValueError):
        return None, pk


def field_label(model: type[models.Model] | None, name: str) -> str:
    """A handed-over field's label: the declaration's, else the model field's verbose name,
    else the description of the read-only attribute the recipient's allowlist names."""
    if model is None:
        return name
    declaration = declaration_for(model)
    if declaration is not None and name in declaration.fields:
        return declaration.field_label(name)
    try:
        return str(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    except (FieldDoesNotExist, AttributeError):
        pass
    attribute = getattr(model, name, None)
    described = getattr(getattr(attribute, "fget", None), "short_description", None)
    return str(described) if described else name


def _numbers(rows: Iterable[DisclosureRecord], subject_id: int) -> dict[str, str]:
    """target -> number, for the targets that are the subject's own rows with a number."""
    wanted: dict[type[models.Model], set[str]] = defaultdict(set)
    for row in rows:
        model, pk = _model(row.target)
        if model is not None and pk.isdigit():
            wanted[model].add(pk)
    numbers: dict[str, str] = {}
    for model, pks in wanted.items():
        declaration = declaration_for(model)
        if declaration is None:
            continue
        try:
            model._meta.get_field("number")
        except FieldDoesNotExist:
            continue
        own = model._default_manager.filter(pk__in=pks, **{declaration.subject_field: subject_id})
        for pk, number in own.values_list("pk", "number"):
            numbers[f"{model._meta.label_lower}:{pk}"] = str(number)
    return numbers


def _url(model: type[models.Model] | None, number: str) -> str:
    name = RECORD_PAGES.get(model._meta.label_lower) if model is not None and number else None
    if name is None:
        return ""
    try:
        return reverse(name, args=[number])
    except NoReverseMatch:
        return ""


def _label(index: dict[str, Any], code: str) -> str:
    item = index.get(code)
    return str(item.label) if item is not None else code


def disclosures(*, user: Any, rows: list[DisclosureRecord] | None = None) -> list[Disclosure]:
    """``user``'s disclosure ledger (or the given slice of it), newest first, readable."""
    subject_id = int(user.pk)
    rows = disclosure.ledger(subject_id) if rows is None else rows
    numbers = _numbers(rows, subject_id)
    found = []
    for row in rows:
        model, _pk = _model(row.target)
        number = numbers.get(row.target, "")
        found.append(
            Disclosure(
                at=row.at, recipient=row.recipient,
                recipient_label=_label(taxonomy.RECIPIENTS, row.recipient),
                fields=tuple(row.fields), field_labels=tuple(field_label(model, n) for n in row.fields),
                purpose=row.purpose, purpose_label=_label(taxonomy.PURPOSES, row.purpose),
                basis=row.basis, basis_label=_label(taxonomy.LEGAL_BASES, row.basis),
                record_kind=str(model._meta.verbose_name) if model is not None else "",
                record_number=number, record_url=_url(model, number),
            )
        )  # fmt: skip
    return found


def page_of(*, user: Any, number: Any) -> tuple[Page, list[Disclosure]]:
    """One page (``LEDGER_PAGE`` rows) of ``user``'s ledger, readable: the page and the API's."""
    page = Paginator(disclosure.ledger(int(user.pk)), LEDGER_PAGE).get_page(number)
    return page, disclosures(user=user, rows=list(page.object_list))
