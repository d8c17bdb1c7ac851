"""Periodic order jobs: close unpaid purchases (every minute) and complete delivered orders the
buyer did not confirm (hourly)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from candor.orders import services


@db_periodic_task(crontab(minute="*"))
def expire_unpaid() -> int:
    return services.purchases_expire()


@db_periodic_task(crontab(minute="7"))
def complete_delivered() -> int:
    return services.orders_auto_complete()
