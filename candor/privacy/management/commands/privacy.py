"""``candor privacy docs [--check]``: write or verify the generated files of docs/privacy/."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from candor.privacy import docfiles


class Command(BaseCommand):
    help = "Privacy tooling. `docs` writes docs/privacy/ from the declarations; --check only compares."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        docs = actions.add_parser("docs", help="generate the data map, the lists and the policy")
        docs.add_argument("--check", action="store_true", help="fail if the committed files are stale")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = docfiles.directory()
        if options["check"]:
            stale = docfiles.stale()
            if stale:
                raise CommandError(
                    f"stale in {directory}: {', '.join(stale)}; run `candor privacy docs` and commit them"
                )
            self.stdout.write(self.style.SUCCESS(f"{directory} is up to date"))
            return
        for name in docfiles.write():
            self.stdout.write(f"wrote {directory / name}")
