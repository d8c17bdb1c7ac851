"""``candor worker``: the Huey consumer for background and periodic jobs."""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background job worker (Huey)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--workers", type=int, default=int(os.environ.get("CANDOR_JOB_WORKERS", "2")))

    def handle(self, *args: Any, workers: int, **options: Any) -> None:
        call_command("run_huey", workers=workers, worker_type="thread")
