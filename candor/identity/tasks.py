"""Periodic identity jobs (Huey): erase children's accounts that no guardian consented to."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from candor.identity import services
from candor.privacy import crypto


def unconsented_minors_erase() -> int:
    with crypto.key_scope():
        return services.unconsented_minors_erase()


# Daily, after the privacy core's retention sweep (03:17).
unconsented_minors_erase_task = db_periodic_task(
    crontab(hour="3", minute="41"), name="identity.unconsented_minors_erase"
)(unconsented_minors_erase)
