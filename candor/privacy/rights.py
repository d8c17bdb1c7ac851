"""The subject's rights that the core carries out: a copy of everything (``export``) and
erasure (``erase``), both derived from the declarations alone.

Erasure, in one transaction: each declaration's ``on_erasure`` is applied set-wise (delete the
rows; anonymize them; or keep them restricted — encrypted fields stay under the transaction
key, clear fields are blanked), the subject's profile key is destroyed (every copy of that data,
backups included, becomes unreadable), the transaction key is restricted to legal purposes
until the longest legal term ends, and an ``ErasureRecord`` remembers when.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from candor.privacy import audit, consent, crypto, datamap, disclosure, taxonomy
from candor.privacy.datamap import Declaration, KeyClass, OnErasure
from candor.privacy.disclosure import jsonable
from candor.privacy.models import ErasureRecord
from candor.privacy.processing import processing
from candor.privacy.retention import anonymized_values, blind_indexes, delete_rows


def _cell(value: Any) -> Any:
    value = jsonable(value)
    return "" if value is None else value


def data_set(
    declaration: Declaration, subject_id: int, *, limit: int | None = None
) -> tuple[list[str], list[str], list[list[Any]]]:
    """The subject's rows of one declared data set as the export writes them: the keys ("id",
    then the field names), their labels in the active language, and the values, oldest first;
    with ``limit``, only the newest ``limit`` rows, newest first (the "my data" page)."""
    names = list(declaration.fields)
    labels = [_("Record number")] + [declaration.field_label(n) for n in names]
    reference = declaration.reference
    if reference:  # e.g. the order number, so the person can match the row to their order
        names.insert(0, reference)
        field = declaration.model._meta.get_field(reference)
        labels.insert(1, str(getattr(field, "verbose_name", reference)))
    rows = declaration.rows_of(subject_id)
    rows = rows.order_by("-pk")[:limit] if limit is not None else rows.order_by("pk")
    table = [[row.pk] + [_cell(getattr(row, n)) for n in names] for row in rows]
    return ["id", *names], labels, table


def _write(
    archive: zipfile.ZipFile,
    name: str,
    title: str,
    keys: list[str],
    labels: list[str],
    table: list[list[Any]],
) -> None:
    # JSON is keyed by field name (stable, unique) and carries the labels beside; CSV is for
    # people, so its header is the labels in the subject's language.
    records = [dict(zip(keys, row, strict=True)) for row in table]
    document = {"title": title, "labels": dict(zip(keys, labels, strict=True)), "records": records}
    archive.writestr(f"{name}.json", json.dumps(document, ensure_ascii=False, indent=2))
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(labels)
    writer.writerows(table)
    # UTF-8 with BOM: spreadsheet programs in China open it with the right encoding.
    archive.writestr(f"{name}.csv", "\ufeff" + text.getvalue())


def subject_language(subject_id: int) -> str:
    """The language the subject chose, else the site default."""
    user = get_user_model()._default_manager.filter(pk=subject_id).first()
    chosen = getattr(user, "language", "") if user else ""
    return chosen or settings.LANGUAGE_CODE


def export(
    subject_id: int,
    *,
    language: str | None = None,
    actor_id: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """A zip: JSON and CSV per declared data set, the consent history and the disclosure
    ledger, labelled in ``language`` (by default the subject's own). ``progress(done, total)``
    is called before each declaration is read, so a background job can show how far it is."""
    language = language or subject_language(subject_id)
    buffer = io.BytesIO()
    with (
        translation.override(language),
        processing(taxonomy.RIGHTS_REQUESTS),
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        index: list[dict[str, Any]] = []
        declarations = datamap.declarations()
        for position, declaration in enumerate(declarations, start=1):
            if progress is not None:
                progress(position - 1, len(declarations))
            if not declaration.fields:
                continue
            keys, labels, table = data_set(declaration, subject_id)
            if not table:
                continue
            name = f"{position:02d}-{slugify(declaration.model._meta.label_lower)}"
            _write(archive, name, declaration.display_label, keys, labels, table)
            index.append({"file": name, "title": declaration.display_label, "records": len(table)})
        _write_consents(archive, subject_id)
        _write_disclosures(archive, subject_id)
        archive.writestr(
            "index.json",
            json.dumps(
                {"subject": subject_id, "generated_at": timezone.now().isoformat(), "data_sets": index},
                ensure_ascii=False,
                indent=2,
            ),
        )
    with transaction.atomic():
        audit.record(
            action=audit.Action.EXPORT,
            actor_id=actor_id,
            subject_id=subject_id,
            purpose=taxonomy.RIGHTS_REQUESTS.code,
        )
    return buffer.getvalue()


def _purpose_label(code: str) -> str:
    purpose = taxonomy.PURPOSES.get(code)
    return str(purpose.label) if purpose else (_("Privacy policy") if code == consent.POLICY else code)


def _write_consents(archive: zipfile.ZipFile, subject_id: int) -> None:
    keys = ["time", "purpose", "decision", "policy_version", "channel"]
    labels = [_("Time"), _("Purpose"), _("Decision"), _("Policy version"), _("Channel")]
    table = [
        [row.at.isoformat(), _purpose_label(row.purpose), _("granted") if row.granted else _("withdrawn"),
         row.policy_version, row.get_channel_display()]
        for row in consent.history(subject_id)
    ]  # fmt: skip
    _write(archive, "consents", _("Consent history"), keys, labels, table)


def _write_disclosures(archive: zipfile.ZipFile, subject_id: int) -> None:
    keys = ["time", "recipient", "data", "purpose", "legal_basis"]
    labels = [_("Time"), _("Recipient"), _("Data"), _("Purpose"), _("Legal basis")]
    table = []
    for row in disclosure.ledger(subject_id):
        recipient = taxonomy.RECIPIENTS.get(row.recipient)
        basis = taxonomy.LEGAL_BASES.get(row.basis)
        table.append(
            [row.at.isoformat(), str(recipient.label) if recipient else row.recipient, ", ".join(row.fields),
             _purpose_label(row.purpose), str(basis.label) if basis else row.basis]
        )  # fmt: skip
    _write(archive, "disclosures", _("Who received my data"), keys, labels, table)


def legal_term(declarations: Iterable[Declaration]) -> timedelta:
    """How long restricted records may still be needed: the longest term among them."""
    terms = [d.retention.term for d in declarations if d.on_erasure is OnErasure.RESTRICT]
    return max(terms, default=timedelta(0))


@transaction.atomic
def erase(subject_id: int, *, actor_id: int | None = None) -> ErasureRecord:
    """Erase a subject: apply every declaration, destroy the profile key, restrict the rest.
    Erasing twice changes nothing: the legal term keeps counting from the first erasure."""
    done = ErasureRecord.objects.filter(subject_id=subject_id).first()
    if done is not None:
        return done
    now = timezone.now()
    declarations = datamap.declarations()
    touched: list[str] = []
    for declaration in declarations:
        rows = declaration.rows_of(subject_id)
        if declaration.on_erasure is OnErasure.DELETE:
            count = delete_rows(rows)
        else:
            values = {
                **anonymized_values(declaration, _fields_to_blank(declaration)),
                **blind_indexes(declaration),
            }
            count = rows.update(**values) if values else rows.count()
        if count:
            touched.append(declaration.model._meta.label_lower)
    crypto.shred(subject_id, KeyClass.PROFILE, actor_id=actor_id)
    until = now + legal_term(declarations)
    crypto.restrict(subject_id, KeyClass.TRANSACTION, until=until, actor_id=actor_id)
    # The account can no longer log in: the anonymized password is unusable, and the changed
    # password hash invalidates every session the person still has (Django checks it per request).
    get_user_model()._default_manager.filter(pk=subject_id).update(is_active=False)
    record = ErasureRecord.objects.create(subject_id=subject_id, erased_at=now, restricted_until=until)
    transaction.on_commit(_flush_write_ahead_log)
    audit.record(
        action=audit.Action.ERASE,
        actor_id=actor_id,
        subject_id=subject_id,
        fields=touched,
        purpose=taxonomy.RIGHTS_REQUESTS.code,
        detail={"restricted_until": until.isoformat()},
    )
    return record


def _flush_write_ahead_log() -> None:
    """On SQLite, copy the erasure into the database file and empty the WAL, whose older
    frames still hold the erased pages (``secure_delete`` already zeroes freed pages)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _fields_to_blank(declaration: Declaration) -> list[str]:
    """ANONYMIZE blanks every declared field; RESTRICT only the ones not encrypted (the
    encrypted ones stay readable for legal purposes under the restricted transaction key)."""
    if declaration.on_erasure is OnErasure.ANONYMIZE:
        return list(declaration.fields)
    return [name for name, pi in declaration.fields.items() if not pi.encrypt]
