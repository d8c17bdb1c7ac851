"""Retention rules, one per declaration, and the set-based sweeper that applies them.

A rule says how long rows live: ``while_account()`` (until the subject is erased), or
``after(field, days=…, years=…)`` (N after an event), optionally ``while_account=True`` too
(transactions: kept while the account lives and at least N after completion). Sweeps are one
bulk UPDATE or DELETE per rule — never row by row in Python — so they scale with the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.db import models, transaction
from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone

from candor.privacy import datamap, taxonomy
from candor.privacy.datamap import AUTO, Declaration
from candor.privacy.models import ErasureRecord


class Then(StrEnum):
    DELETE = "delete"
    ANONYMIZE = "anonymize"


@dataclass(frozen=True)
class Rule:
    field: str | None  # the event the term counts from; None: no time limit of its own
    term: timedelta
    while_account: bool  # also kept as long as the subject's account lives
    then: Then


def while_account() -> Rule:
    return Rule(field=None, term=timedelta(0), while_account=True, then=Then.DELETE)


def after(
    field: str,
    *,
    days: int = 0,
    years: int = 0,
    then: Then = Then.DELETE,
    while_account: bool = False,
) -> Rule:
    # A legal "year" is counted generously (366 days) so a term never ends a day early.
    return Rule(field=field, term=timedelta(days=days + 366 * years), while_account=while_account, then=then)


# --- The sweeper ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    label: str  # the model's label, e.g. "privacy_app.SearchEntry"
    model: type[models.Model] | None  # None for the data keys past their term
    rule: Rule | None
    rows: int

    @property
    def then(self) -> Then:
        return self.rule.then if self.rule else Then.DELETE


def _rule_detail(rule: Rule) -> dict[str, Any]:
    """The rule in the audit log: structured, so it reads the same in any language."""
    return {"field": rule.field, "term_days": rule.term.days, "while_account": rule.while_account}


def expired(declaration: Declaration, *, now: datetime) -> QuerySet[Any] | None:
    """The rows of ``declaration`` whose retention term is over, as one queryset."""
    rule = declaration.retention
    if rule.field is None:
        return None
    rows = declaration.model._default_manager.filter(**{f"{rule.field}__lt": now - rule.term})
    if rule.while_account:
        erased = ErasureRecord.objects.values("subject_id")
        rows = rows.filter(**{f"{declaration.subject_field}__in": erased})
    if rule.then is Then.ANONYMIZE:
        rows = rows.filter(not_yet_anonymized(declaration))
    return rows


# Rows per statement: large enough to stay set-based, small enough that no single transaction
# holds SQLite's write lock near the busy timeout (5 s) that concurrent web writes wait for.
WINDOW = 100_000


def _apply(declaration: Declaration, rows: QuerySet[Any]) -> int:
    """One bulk statement per id window, each in its own transaction."""
    # The table's id range (an index lookup), not the expired rows' (a full scan on its own).
    bounds = rows.model._default_manager.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return 0
    values = None
    if declaration.retention.then is Then.ANONYMIZE:
        values = {**anonymized_values(declaration, declaration.fields), **blind_indexes(declaration)}
    count = 0
    for start in range(bounds["low"] - 1, bounds["high"], WINDOW):
        window = rows.filter(pk__gt=start, pk__lte=start + WINDOW)
        with transaction.atomic():
            count += window.update(**values) if values is not None else delete_rows(window)
    return count


def sweep(*, now: datetime | None = None, dry_run: bool = False) -> list[SweepResult]:
    """Apply every rule set-wise (one statement per id window); restricted keys past their
    term are shredded."""
    from candor.privacy import audit, crypto

    now = now or timezone.now()
    results: list[SweepResult] = []
    for declaration in datamap.declarations():
        rows = expired(declaration, now=now)
        if rows is None:
            continue
        rule = declaration.retention
        count = rows.count() if dry_run else _apply(declaration, rows)
        if count and not dry_run:
            with transaction.atomic():
                audit.record(
                    action=audit.Action.RETENTION,
                    target=declaration.model._meta.label_lower,
                    fields=list(declaration.fields),
                    purpose=taxonomy.LEGAL_RETENTION.code,
                    detail={**_rule_detail(rule), "then": rule.then.value, "rows": count},
                )
        results.append(SweepResult(declaration.model._meta.label, declaration.model, rule, count))
    if not dry_run:
        shredded = crypto.shred_expired(now=now)
    else:
        from candor.privacy.models import DataKey

        shredded = DataKey.objects.filter(state=DataKey.State.RESTRICTED, restricted_until__lt=now).count()
    results.append(SweepResult("privacy.DataKey", None, None, shredded))
    return results


def delete_rows(rows: QuerySet[Any]) -> int:
    purge = getattr(rows, "purge", None)
    if purge is not None:  # append-only ledgers leave only through purge()
        return int(purge())
    return int(rows.delete()[0])


def anonymized_values(declaration: Declaration, fields: Iterable[str]) -> dict[str, Any]:
    """The replacement for each named field: its declared ``anonymize`` or its type's blank."""
    values: dict[str, Any] = {}
    for name in fields:
        pi = declaration.fields[name]
        if pi.anonymize is not AUTO:
            values[name] = pi.anonymize
            continue
        field = declaration.model._meta.get_field(name)
        if getattr(field, "null", False):
            values[name] = None
        elif isinstance(field, models.CharField | models.TextField):
            values[name] = ""
        else:
            raise ValueError(
                f"{declaration.model._meta.label}.{name}: declare anonymize= (not null, not text)"
            )
    return values


def blind_indexes(declaration: Declaration) -> dict[str, str]:
    """Blank the blind-index siblings of encrypted fields: once a person is gone, nobody needs
    to find their rows by phone number any more."""
    from candor.privacy.crypto import EncryptedField

    values: dict[str, str] = {}
    for name in declaration.fields:
        field = declaration.model._meta.get_field(name)
        if isinstance(field, EncryptedField) and field.blind_index:
            values[field.blind_index] = ""
    return values


def not_yet_anonymized(declaration: Declaration) -> Q:
    """Rows that still hold something, so a nightly sweep does not rewrite old rows again."""
    condition = Q()
    for name, value in anonymized_values(declaration, declaration.fields).items():
        if value is None:
            condition |= Q(**{f"{name}__isnull": False})
        elif isinstance(value, str):
            condition |= ~Q(**{name: value})
        else:  # an expression: cannot tell cheaply, so the rows count as pending
            return Q()
    return condition
