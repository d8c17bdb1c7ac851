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
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from candor.privacy import audit, consent, crypto, datamap, disclosure, taxonomy
from candor.privacy.datamap import Declaration, KeyClass, OnErasure
from candor.privacy.models import ErasureRecord
from candor.privacy.processing import processing
from candor.privacy.retention import anonymized_values, blind_indexes, delete_rows


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value if isinstance(value, int | float | bool) else str(value)


def _rows(declaration: Declaration, subject_id: int) -> tuple[list[str], list[list[Any]]]:
    names = list(declaration.fields)
    headers = [_("Record number")] + [declaration.field_label(n) for n in names]
    table = [
        [row.pk] + [_cell(getattr(row, n)) for n in names]
        for row in declaration.rows_of(subject_id).order_by("pk")
    ]
    return headers, table


def _write(
    archive: zipfile.ZipFile, name: str, title: str, headers: list[str], table: list[list[Any]]
) -> None:
    records = [dict(zip(headers, row, strict=True)) for row in table]
    archive.writestr(
        f"{name}.json", json.dumps({"title": title, "records": records}, ensure_ascii=False, indent=2)
    )
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    writer.writerows(table)
    # UTF-8 with BOM: spreadsheet programs in China open it with the right encoding.
    archive.writestr(f"{name}.csv", "\ufeff" + text.getvalue())


def export(subject_id: int, *, language: str = "zh-hans", actor_id: int | None = None) -> bytes:
    """A zip: JSON and CSV per declared data set, the consent history and the disclosure
    ledger, labelled in ``language``."""
    buffer = io.BytesIO()
    with (
        translation.override(language),
        processing(taxonomy.RIGHTS_REQUESTS),
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        index: list[dict[str, Any]] = []
        for position, declaration in enumerate(datamap.declarations(), start=1):
            if not declaration.fields:
                continue
            headers, table = _rows(declaration, subject_id)
            if not table:
                continue
            name = f"{position:02d}-{slugify(declaration.model._meta.label_lower)}"
            _write(archive, name, declaration.display_label, headers, table)
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
        audit.record(action=audit.Action.EXPORT, actor_id=actor_id, subject_id=subject_id, purpose="rights")
    return buffer.getvalue()


def _purpose_label(code: str) -> str:
    purpose = taxonomy.PURPOSES.get(code)
    return str(purpose.label) if purpose else (_("Privacy policy") if code == consent.POLICY else code)


def _write_consents(archive: zipfile.ZipFile, subject_id: int) -> None:
    headers = [_("Time"), _("Purpose"), _("Decision"), _("Policy version"), _("Channel")]
    table = [
        [row.at.isoformat(), _purpose_label(row.purpose), _("granted") if row.granted else _("withdrawn"),
         row.policy_version, row.get_channel_display()]
        for row in consent.history(subject_id)
    ]  # fmt: skip
    _write(archive, "consents", _("Consent history"), headers, table)


def _write_disclosures(archive: zipfile.ZipFile, subject_id: int) -> None:
    headers = [_("Time"), _("Recipient"), _("Data"), _("Purpose"), _("Legal basis")]
    table = []
    for row in disclosure.ledger(subject_id):
        recipient = taxonomy.RECIPIENTS.get(row.recipient)
        basis = taxonomy.LEGAL_BASES.get(row.basis)
        table.append(
            [row.at.isoformat(), str(recipient.label) if recipient else row.recipient, ", ".join(row.fields),
             _purpose_label(row.purpose), str(basis.label) if basis else row.basis]
        )  # fmt: skip
    _write(archive, "disclosures", _("Who received my data"), headers, table)


def legal_term(declarations: Iterable[Declaration]) -> timedelta:
    """How long restricted records may still be needed: the longest term among them."""
    terms = [d.retention.term for d in declarations if d.on_erasure is OnErasure.RESTRICT]
    return max(terms, default=timedelta(0))


@transaction.atomic
def erase(subject_id: int, *, actor_id: int | None = None) -> ErasureRecord:
    """Erase a subject: apply every declaration, destroy the profile key, restrict the rest."""
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
    record, _created = ErasureRecord.objects.update_or_create(
        subject_id=subject_id, defaults={"erased_at": now, "restricted_until": until}
    )
    audit.record(
        action=audit.Action.ERASE,
        actor_id=actor_id,
        subject_id=subject_id,
        fields=touched,
        purpose="rights",
        detail={"restricted_until": until.isoformat()},
    )
    return record


def _fields_to_blank(declaration: Declaration) -> list[str]:
    """ANONYMIZE blanks every declared field; RESTRICT only the ones not encrypted (the
    encrypted ones stay readable for legal purposes under the restricted transaction key)."""
    if declaration.on_erasure is OnErasure.ANONYMIZE:
        return list(declaration.fields)
    return [name for name, pi in declaration.fields.items() if not pi.encrypt]


def is_erased(subject_id: int) -> bool:
    return ErasureRecord.objects.filter(subject_id=subject_id).exists()
