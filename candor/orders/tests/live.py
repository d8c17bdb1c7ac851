"""A real Candor server in a subprocess, on a scratch database of its own, for the acceptance
tests that need real concurrency (``test_contention``).

Django's test client and pytest-django's ``live_server`` run one request at a time against a
database inside a test transaction, which can show neither a race nor SQLite's lock queue. Here
the server is what ``candor serve`` runs — granian, WSGI, several workers with several threads
each, ``candor.settings`` — on a file database in WAL mode (``CANDOR_SQLITE_PATH``) or on a
PostgreSQL database created for the run and dropped after it, never the test database.

The schema is made the way the test suite makes its own (``--no-migrations``: tables straight
from the models), which keeps the setup to a couple of seconds. The setup runs in a child
process (``python -m candor.orders.tests.live setup``: Django can set up only one database per
process) and hands back what the test needs as JSON; the test reads the outcome with plain SQL
(``sqlite3`` or ``psycopg``), independent of the code under test.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[3]
HOST = "127.0.0.1"
PING = "/api/v1/ping"
# The developer's own settings must not reach the server: it would serve their database.
_SCRUBBED_PREFIXES = ("CANDOR_", "DJANGO_", "GRANIAN_")
_SCRUBBED_NAMES = {"DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY"}


class Database:
    """The scratch database: a SQLite file under ``scratch``, or (with ``postgres_url``, the
    suite's ``DATABASE_URL``) a database of its own on the same PostgreSQL server."""

    def __init__(self, scratch: Path, postgres_url: str | None = None) -> None:
        self.scratch = scratch
        self.postgres_url = postgres_url
        self.sqlite_path = scratch / "candor.sqlite3"
        self.name = f"candor_contention_{os.getpid()}"
        self.url: str | None = None
        if postgres_url:
            parts = urlsplit(postgres_url)
            self.url = parts._replace(path=f"/{self.name}").geturl()
            self._admin = parts._replace(path="/postgres").geturl()

    def env(self) -> dict[str, str]:
        return {"DATABASE_URL": self.url} if self.url else {"CANDOR_SQLITE_PATH": str(self.sqlite_path)}

    def _admin_run(self, *statements: str) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self._admin, autocommit=True) as conn:
            for statement in statements:
                conn.execute(sql.SQL(statement).format(sql.Identifier(self.name)))

    def __enter__(self) -> Database:
        if self.url:
            # A database left by a run that was killed has the same name only if the pid is reused.
            self._admin_run("DROP DATABASE IF EXISTS {} WITH (FORCE)", "CREATE DATABASE {}")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.url:
            self._admin_run("DROP DATABASE IF EXISTS {} WITH (FORCE)")

    @contextlib.contextmanager
    def cursor(self) -> Iterator[Any]:
        """A plain DB-API cursor on the scratch database (``%s`` placeholders on both)."""
        if self.url:
            import psycopg

            with psycopg.connect(self.url) as conn, conn.cursor() as cursor:
                yield cursor
        else:
            conn = sqlite3.connect(self.sqlite_path)
            try:
                yield _SqliteCursor(conn.cursor())
            finally:
                conn.close()

    def one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return row[0] if row is not None and len(row) == 1 else row

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())


class _SqliteCursor:
    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._cursor.execute(sql.replace("%s", "?"), tuple(params))

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()


def server_env(scratch: Path, database: Database, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(_SCRUBBED_PREFIXES) and key not in _SCRUBBED_NAMES
    }
    env.update(
        DJANGO_SETTINGS_MODULE="candor.settings",
        CANDOR_VAR_DIR=str(scratch / "var"),
        PYTHONDONTWRITEBYTECODE="1",
        **database.env(),
        **extra,
    )
    return env


def setup(env: dict[str, str], *, stock: int, users: int) -> dict[str, Any]:
    """Schema, one SKU with ``stock`` units, ``users`` buyers with a bearer token each."""
    argv = [sys.executable, "-m", "candor.orders.tests.live", "setup", f"--stock={stock}", f"--users={users}"]
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"setup failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    info: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return info


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """``candor serve``'s granian command line (without its system checks), on a free port."""

    def __init__(self, env: dict[str, str], log_path: Path, *, workers: int = 2, threads: int = 8) -> None:
        self.env = env
        self.log_path = log_path
        self.port = _free_port()
        self.argv = [
            sys.executable, "-m", "granian", "--interface", "wsgi", "--host", HOST, "--port", str(self.port),
            "--workers", str(workers), "--blocking-threads", str(threads), "--no-ws",
            "candor.wsgi:application",
        ]  # fmt: skip
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        with self.log_path.open("wb") as log:
            # Its own session, so stopping it reaches every worker.
            self.proc = subprocess.Popen(
                self.argv,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _wait_ready(self, timeout: float = 60.0) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}:\n{self.log()}")
            conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
            try:
                conn.request("GET", PING)
                if conn.getresponse().status == 200:
                    return
            except (OSError, http.client.HTTPException):
                time.sleep(0.1)
            finally:
                conn.close()
        raise RuntimeError(f"the server did not answer {PING} within {timeout:.0f} s:\n{self.log()}")

    def stop(self) -> None:
        if self.proc is None:
            return
        pid = self.proc.pid
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(pid, signal.SIGKILL)
                self.proc.wait()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)  # the group is ours: no stray worker survives
        self.proc = None

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""


# --- the setup, in the child -------------------------------------------------------------------


class _NoMigrations(dict[str, None]):
    """``MIGRATION_MODULES`` that turns every app's migrations off (as pytest --no-migrations)."""

    def __contains__(self, item: object) -> bool:
        return True

    def __getitem__(self, item: str) -> None:
        return None


def _setup(stock: int, users: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MIGRATION_MODULES = _NoMigrations()
    call_command("migrate", run_syncdb=True, skip_checks=True, verbosity=0)

    from candor.accounts.models import User
    from candor.accounts.tokens import token_issue
    from candor.catalog import services as catalog
    from candor.catalog.models import Category, Merchant

    merchant = Merchant.objects.create(
        slug="contention", name_zh="争抢自营", name_en="Contention Direct", kind="self"
    )
    category = Category.objects.create(slug="contention", name_zh="手机", name_en="Phones")
    product = catalog.product_create(
        merchant=merchant, category=category, name_zh="限量手机", name_en="Limited phone",
        skus=[{"code": "CONTENTION-1", "price_fen": 19900}],
    )  # fmt: skip
    sku = product.skus.get()
    catalog.stock_set(sku_id=sku.pk, warehouse="WH-SH", quantity=stock, region="上海")
    tokens = []
    for i in range(users):
        user = User(username=f"buyer-{i:03d}", nickname=f"buyer-{i:03d}")
        user.set_unusable_password()  # bearer tokens only
        user.save()
        tokens.append(token_issue(user=user, name="contention")[0])
    return {"sku_id": sku.pk, "product_id": product.pk, "tokens": tokens}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m candor.orders.tests.live")
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("setup", help="schema, one stocked SKU, buyers with bearer tokens (JSON out)")
    make.add_argument("--stock", type=int, required=True)
    make.add_argument("--users", type=int, required=True)
    args = parser.parse_args(argv)
    if not os.environ.get("CANDOR_VAR_DIR") or not (
        os.environ.get("DATABASE_URL") or os.environ.get("CANDOR_SQLITE_PATH")
    ):
        raise SystemExit("run through candor.orders.tests.live.setup(): it names the scratch database")
    print(json.dumps(_setup(args.stock, args.users)))  # noqa: T201 - the parent reads it
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
