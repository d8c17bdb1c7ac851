"""Periodic jobs of requests and complaints (Huey): each morning, privacy officers are told how
many requests are overdue or due within three days, so none passes its date unnoticed.
Old requests leave through the privacy core's retention sweep (``personal_data.py``)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from candor.service import notices

requests_remind_task = db_periodic_task(crontab(hour="8", minute="30"), name="service.requests_remind")(
    notices.staff_remind
)
