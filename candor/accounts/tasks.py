"""Background jobs of accounts: accounts whose 48-hour cancellation review has ended are erased."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from candor.accounts.cancellation import cancellations_complete


@db_periodic_task(crontab(minute="*/10"))
def accounts_cancellations_complete() -> int:
    return cancellations_complete()
