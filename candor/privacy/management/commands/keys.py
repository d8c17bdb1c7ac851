"""``candor keys rotate [--dry-run]``: re-wrap every data key under the newest master key.

Roll out a new master key by listing it first in ``CANDOR_MASTER_KEY`` ("v2:…,v1:…"), running
this, and only then removing the old one: until the run ends, keys wrapped by the old master
still need it to unwrap. Business rows are never touched.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from candor.privacy import crypto, keyring


class Command(BaseCommand):
    help = "Re-wrap every data key still under an older master key with the newest one."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["rotate"])
        parser.add_argument(
            "--dry-run", action="store_true", help="count the keys to re-wrap; change nothing"
        )

    def handle(self, *args: Any, action: str, dry_run: bool, **options: Any) -> None:
        version = keyring.masters()[0]
        count = crypto.rotate(dry_run=dry_run)
        verb = "Would re-wrap" if dry_run else "Re-wrapped"
        self.stdout.write(f"{verb} {count} data key(s) under master key {version}.")
