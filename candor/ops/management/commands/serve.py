"""``candor serve``: the production web server (granian, WSGI; see docs/adr/0002-server.md)."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Candor with granian (WSGI)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("CANDOR_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("CANDOR_PORT", "8000")))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("CANDOR_WEB_WORKERS", os.cpu_count() or 1))
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("CANDOR_WEB_THREADS", "4")),
            help="blocking threads per worker (Django views run there)",
        )

    def handle(self, *args: Any, host: str, port: int, workers: int, threads: int, **options: Any) -> None:
        argv = [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            str(threads),
            "--no-ws",
            "candor.wsgi:application",
        ]
        self.stdout.write(f"Candor serving on http://{host}:{port} ({workers} workers × {threads} threads)")
        self.stdout.flush()
        # Replace this process, so signals reach granian directly.
        os.execv(sys.executable, argv)  # noqa: S606 - fixed argv, no shell
