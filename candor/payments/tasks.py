"""Periodic payment jobs: ask the institutions again for refunds that did not go through.

A refund is committed as owed (pending) before an institution is asked, under a number fixed
per order (or per late payment), so asking again after a timeout or a refusal is the same refund
at the institution, never a second payment out (``services.refunds_retry``).
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from candor.payments import services


@db_periodic_task(crontab(minute="*/10"))
def refunds_retry() -> int:
    return services.refunds_retry()
