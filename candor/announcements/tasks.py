"""Background jobs of announcements: sending one announcement to its members (``delivery``).

A failed run is retried and goes on where it stopped, so nobody is told twice."""

from huey.contrib.djhuey import db_task

from candor.announcements.delivery import run_notice


@db_task(retries=2, retry_delay=60)
def announcements_notice_run(run_id: int) -> int:
    return run_notice(run_id).done
