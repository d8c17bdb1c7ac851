"""``candor policy publish``: publish a privacy-policy version, snapshotting its documents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from candor.errors import CandorError
from candor.privacy import policy


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "Publish a privacy-policy version (its documents are archived exactly as published)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        publish = actions.add_parser("publish", help="publish a new version")
        publish.add_argument("--number", required=True, help="e.g. 1.1")
        publish.add_argument("--significant", action="store_true", help="users must accept it again")
        publish.add_argument("--summary-zh", required=True, help="what changed, in Chinese")
        publish.add_argument("--summary-en", required=True, help="what changed, in English")
        publish.add_argument("--effective-at", type=_moment, default=None, help="ISO date-time; default: now")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            version = policy.publish(
                number=options["number"],
                effective_at=options["effective_at"] or timezone.now(),
                significant=options["significant"],
                summary_zh=options["summary_zh"],
                summary_en=options["summary_en"],
            )
        except CandorError as exc:
            raise CommandError(str(exc.message)) from exc
        kind = "significant" if version.significant else "minor"
        self.stdout.write(
            self.style.SUCCESS(f"Published {kind} version {version.number}, effective {version.effective_at}")
        )
