"""Reads of the "my data" pages: everything held about the person, by category; their export jobs.

"Everything" is what the declarations say, read by the very code that writes the export
(``rights.data_set``), so the page and the download cannot disagree. It is grouped by the
declared category of each field (basic details, identity, online activity …), in the order of
the taxonomy; a data set whose fields fall in several categories appears under each with the
fields of that category. The page shows the newest rows of each data set; the download holds
all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from candor.mydata import display, links
from candor.mydata.models import ExportJob
from candor.privacy import datamap, rights, taxonomy
from candor.privacy.datamap import Declaration, OnErasure
from candor.privacy.processing import processing

ROWS_SHOWN = 20


@dataclass(frozen=True)
class Column:
    name: str
    label: str


@dataclass(frozen=True)
class Record:
    id: int
    values: tuple[str, ...]

    def as_dict(self, columns: tuple[Column, ...]) -> dict[str, str]:
        return {column.name: value for column, value in zip(columns, self.values, strict=True)}


@dataclass(frozen=True)
class DataSet:
    key: str  # the model's label, lower case: "addresses.address"
    label: str
    category: str
    columns: tuple[Column, ...]
    records: tuple[Record, ...]
    total: int
    correct_url: str
    correct_label: str
    delete_url: str
    delete_label: str
    kept_by_law: bool  # restricted, not deleted, at erasure: transaction records

    @property
    def more(self) -> int:
        return self.total - len(self.records)

    @property
    def can_request_deletion(self) -> bool:
        return not self.delete_url


@dataclass(frozen=True)
class CategoryData:
    code: str
    label: str
    sensitive: bool
    data_sets: tuple[DataSet, ...]


def data_set_for(key: str) -> Declaration | None:
    """The declaration whose data set is called ``key`` (the model's lower-case label)."""
    return next((d for d in datamap.declarations() if d.model._meta.label_lower == key), None)


def _by_category(declaration: Declaration) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for name, pi in declaration.fields.items():
        names.setdefault(pi.category.code, []).append(name)
    return names


def _data_sets(declaration: Declaration, subject_id: int) -> list[DataSet]:
    total = declaration.rows_of(subject_id).count()
    if not total:
        return []
    keys, labels, table = rights.data_set(declaration, subject_id, limit=ROWS_SHOWN)
    label_of = dict(zip(keys, labels, strict=True))
    key = declaration.model._meta.label_lower
    correct_url, correct_label = links.correct_link(key)
    delete_url, delete_label = links.delete_link(key)
    found = []
    for category, names in _by_category(declaration).items():
        positions = [keys.index(name) for name in names]
        records = tuple(
            Record(
                id=int(row[0]),
                values=tuple(display.shown(declaration, keys[i], row[i]) for i in positions),
            )
            for row in table
        )
        found.append(
            DataSet(
                key=key, label=declaration.display_label, category=category,
                columns=tuple(Column(name, label_of[name]) for name in names), records=records,
                total=total, correct_url=correct_url, correct_label=correct_label,
                delete_url=delete_url, delete_label=delete_label,
                kept_by_law=declaration.on_erasure is OnErasure.RESTRICT,
            )
        )  # fmt: skip
    return found


def my_data(*, user: Any) -> list[CategoryData]:
    """Every declared data set that holds something about ``user``, grouped by category, with
    labels in the active language and masked values."""
    found: dict[str, list[DataSet]] = {}
    # Reading one's own data to show it is answering an access request (PIPL art. 45).
    with processing(taxonomy.RIGHTS_REQUESTS):
        for declaration in datamap.declarations():
            if not declaration.fields:
                continue
            for data_set in _data_sets(declaration, int(user.pk)):
                found.setdefault(data_set.category, []).append(data_set)
    return [
        CategoryData(
            code=code, label=str(category.label), sensitive=category.sensitive, data_sets=tuple(found[code])
        )
        for code, category in taxonomy.CATEGORIES.items()
        if code in found
    ]


# --- export jobs ------------------------------------------------------------------------------


def export_latest(*, user: Any) -> ExportJob | None:
    """The person's most recent export job, whatever its state."""
    return ExportJob.objects.filter(user_id=user.pk).order_by("-requested_at", "-id").first()


def export_get(*, user: Any, token: str) -> ExportJob | None:
    """The job behind a download link, if it is ``user``'s (someone else's link: None)."""
    if not token or len(token) > 64:
        return None
    return ExportJob.objects.filter(user_id=user.pk, token=token).first()
