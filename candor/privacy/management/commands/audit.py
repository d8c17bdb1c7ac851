"""``candor audit verify``: recompute the whole hash chain and name the first damaged row.

Exit status 0 and "audit chain intact: N events" when every row checks out; otherwise the
sentence naming the first edited, inserted or deleted row, and exit status 1, so that a cron
job or a monitoring probe can alert on it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from candor.privacy import audit_verify


class Command(BaseCommand):
    help = "Work with the tamper-evident audit log."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        check = actions.add_parser("verify", help="recompute the hash chain; exit 1 at the first damaged row")
        check.add_argument(
            "--batch-size", type=int, default=20_000, help="rows read per query (default 20000)"
        )

    def handle(self, *args: Any, action: str, batch_size: int, **options: Any) -> None:
        # "verify" is the only action; argparse has refused any other before we get here.
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        result = audit_verify.verify(batch_size=batch_size)
        if not result.ok:
            raise CommandError(result.message)
        self.stdout.write(self.style.SUCCESS(result.message))
