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
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.harness import ROOT, ServerSpec, scrubbed_env

# ``candor serve``'s granian command line (without its system checks), on a free port; the
# bench harness's Server starts it, waits for the ping and stops every worker after.
SERVE = ServerSpec(
    "granian wsgi 2w×8t",
    (
        "granian", "--interface", "wsgi", "--host", "{host}", "--port", "{port}",
        "--workers", "2", "--blocking-threads", "8", "--no-ws", "candor.wsgi:application",
    ),
    ready="/api/v1/ping",
)  # fmt: skip


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
    env = scrubbed_env()
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
