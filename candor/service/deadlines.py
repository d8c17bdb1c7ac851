"""How long Candor has to answer each kind of request.

The seeds promise 15 days for rights requests (C003-22, C004-25) and 10 days for questions and
complaints (C002-24); the shortest promise made by any mall wins, since one Candor runs them
all. A deployment may shorten or lengthen a kind with ``CANDOR_REQUEST_DAYS = {"question": 7}``
in its settings; kinds it leaves out keep these defaults. Days are calendar days counted from
receipt, which is never later than "15 working days" (C004-25) nor "15 days after identity
verification" (C003-22).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from candor.service.models import Kind

DEFAULT_DAYS = 15
DAYS: dict[str, int] = {Kind.QUESTION: 10, Kind.COMPLAINT: 10}


def days_for(kind: str) -> int:
    overrides: dict[str, int] = settings.CANDOR_REQUEST_DAYS
    return int(overrides.get(kind, DAYS.get(kind, DEFAULT_DAYS)))


def due_at(kind: str, received_at: datetime) -> datetime:
    return received_at + timedelta(days=days_for(kind))
