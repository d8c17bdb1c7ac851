"""``candor retention run [--dry-run]``: apply every retention rule now, or show what it would do."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from candor.privacy import retention


class Command(BaseCommand):
    help = "Apply the retention rules of every personal-data declaration (set-wise)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["run"])
        parser.add_argument("--dry-run", action="store_true", help="count what would change; change nothing")

    def handle(self, *args: Any, action: str, dry_run: bool, **options: Any) -> None:
        if action != "run":
            raise CommandError(f"unknown action {action}")
        # documents imports retention, so it is imported here, when the command runs.
        from candor.privacy.documents import describe_retention

        verb = "would" if dry_run else "did"
        for result in retention.sweep(dry_run=dry_run):
            rule = (
                describe_retention(result.rule, model=result.model)
                if result.rule
                else "restricted data keys past their legal term"
            )
            self.stdout.write(f"{result.label}: {verb} {result.then.value} {result.rows} rows — {rule}")
