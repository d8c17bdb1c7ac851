"""Who an incident touched: a small query builder over three sources, never raw SQL.

Staff pick one source and its parameters, and the answer is a query over active accounts:

* ``records`` — members with rows in chosen data sets. The data sets are the declarations of
  the data map, picked by model label from the registry, so the only column read is each
  declaration's subject (the member's id); nothing personal is decrypted or shown.
* ``logins`` — members who logged in within a time range (``devices.DeviceEvent``), e.g. while
  a leaked session store was exposed.
* ``ids`` — an explicit list of account numbers, from an outside investigation.

The query runs in the database as ``IN (subquery)`` conditions, so a set of any size is found in
one statement, and the same query is written to the incident (``as_record``) as the record of how
its affected set was found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from candor.devices.models import DeviceEvent
from candor.errors import CandorError
from candor.privacy import datamap

MAX_IDS = 10_000  # one IN list: within SQLite's and PostgreSQL's limits on parameters
_ID = re.compile(r"#?(\d{1,18})")


class Source(StrEnum):
    RECORDS = "records"
    LOGINS = "logins"
    IDS = "ids"


SOURCE_LABELS = {
    Source.RECORDS: _("Members with records in chosen data sets"),
    Source.LOGINS: _("Members who logged in within a time range"),
    Source.IDS: _("A list of account numbers"),
}


class AudienceInvalid(CandorError):
    status = 400
    code = "audience_invalid"


@dataclass(frozen=True)
class AudienceQuery:
    source: Source
    data_sets: tuple[str, ...] = ()  # model labels of declarations ("orders.order")
    since: datetime | None = None
    until: datetime | None = None
    ids: tuple[int, ...] = field(default=())

    def as_record(self) -> dict[str, Any]:
        return {
            "source": self.source.value,
            "data_sets": list(self.data_sets),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "ids": len(self.ids),
        }


def data_sets() -> list[tuple[str, str]]:
    """(model label, readable name) of every declared data set, for the form's choices."""
    return sorted(
        (d.model._meta.label_lower, f"{d.display_label} ({d.model._meta.label_lower})")
        for d in datamap.declarations()
    )


def parse_ids(text: str) -> tuple[int, ...]:
    """Account numbers separated by commas, spaces or new lines ("#42" as labels print them)."""
    words = [w for w in re.split(r"[\s,;，；]+", text or "") if w]
    bad = [w for w in words if not _ID.fullmatch(w)]
    if bad:
        message = _("Not an account number: %(value)s") % {"value": bad[0][:20]}
        raise AudienceInvalid(message, fields={"ids": [str(message)]})
    ids = tuple(sorted({int(_ID.fullmatch(w)[1]) for w in words}))  # type: ignore[index]
    if len(ids) > MAX_IDS:
        message = _("At most %(max)d account numbers at a time.") % {"max": MAX_IDS}
        raise AudienceInvalid(message, fields={"ids": [str(message)]})
    return ids


def _records(labels: tuple[str, ...]) -> Q:
    declared = {d.model._meta.label_lower: d for d in datamap.declarations()}
    unknown = [label for label in labels if label not in declared]
    if not labels or unknown:
        message = _("Choose one or more declared data sets.")
        raise AudienceInvalid(message, fields={"data_sets": [str(message)]})
    condition = Q()
    for label in labels:
        declaration = declared[label]
        subjects = declaration.model._default_manager.values(declaration.subject_field)
        condition |= Q(pk__in=subjects)
    return condition


def _logins(since: datetime | None, until: datetime | None) -> Q:
    if since is None or until is None or since >= until:
        message = _("Give the start and the end of the time range, the start first.")
        raise AudienceInvalid(message, fields={"since": [str(message)]})
    events = DeviceEvent.objects.filter(event=DeviceEvent.Event.LOGIN, at__gte=since, at__lt=until)
    return Q(pk__in=events.values("user_id"))


def members(query: AudienceQuery) -> QuerySet[Any]:
    """The ids of the active accounts the query finds (an erased account has no one to tell)."""
    if query.source is Source.RECORDS:
        condition = _records(query.data_sets)
    elif query.source is Source.LOGINS:
        condition = _logins(query.since, query.until)
    else:
        if not query.ids:
            message = _("Give at least one account number.")
            raise AudienceInvalid(message, fields={"ids": [str(message)]})
        condition = Q(pk__in=query.ids)
    users = get_user_model()._default_manager.filter(condition, is_active=True)
    return users.order_by("pk").values_list("pk", flat=True)
