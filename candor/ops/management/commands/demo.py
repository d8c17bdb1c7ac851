"""``candor demo``: migrate, load demo data once, print the admin login, then run the web
server and the job worker together until Ctrl-C stops both."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from candor.ops import demo


class Command(BaseCommand):
    help = "Run the demo mall: migrate, demo data, admin login, web server and worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="prepare only; start nothing")

    def handle(self, *args: Any, port: int, no_serve: bool, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if demo.is_empty():
            self.stdout.write("Loading demo data…")
            demo.load_all(self.stdout)
        username, password = demo.ensure_admin()
        admin_url = f"http://127.0.0.1:{port}/admin/"
        self.stdout.write(self.style.SUCCESS(f"Admin: {admin_url}  login {username} / {password}"))
        secret = demo.ensure_admin_second_factor()
        if secret:
            self.stdout.write(
                f"  second factor: `candor staff totp {username}` prints the current 6-digit code "
                f"(or add the secret {secret} to an authenticator app)"
            )
        if no_serve:
            return
        cli = [sys.executable, "-m", "candor.cli"]
        children = [
            subprocess.Popen([*cli, "serve", "--port", str(port), "--workers", "1"]),  # noqa: S603 - fixed argv
            subprocess.Popen([*cli, "worker"]),  # noqa: S603 - fixed argv
        ]
        self.stdout.write(f"Candor demo at http://127.0.0.1:{port}/ — Ctrl-C stops server and worker.")
        self._supervise(children)

    def _supervise(self, children: list[subprocess.Popen[bytes]]) -> None:
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        # Either child dying (or Ctrl-C) ends the demo: a half-running mall misleads.
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.2)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        self.stdout.write("Stopped.")
