"""Background jobs of "my data": building a requested copy, and removing expired ones."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from candor.mydata import services
from candor.privacy import crypto


@db_task(name="mydata.export_job_run")
def export_job_run(job_id: int) -> None:
    # A job runs outside any request: its own key-cache scope, dropped when it ends.
    with crypto.key_scope():
        services.export_run(job_id=job_id)


# Often enough that a file outlives its link by minutes, not hours.
@db_periodic_task(crontab(minute="*/10"), name="mydata.exports_expire")
def exports_expire_task() -> int:
    return services.exports_expire()
