"""Periodic privacy jobs (Huey): the nightly retention sweep."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from candor.privacy import crypto, retention


def retention_sweep() -> int:
    # A job runs outside any request: its own key-cache scope, dropped when it ends.
    with crypto.key_scope():
        return sum(result.rows for result in retention.sweep())


# Nightly, at a quiet hour: every expired row set goes in one statement per rule.
retention_sweep_task = db_periodic_task(crontab(hour="3", minute="17"), name="privacy.retention_sweep")(
    retention_sweep
)
