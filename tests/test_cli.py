"""The newcomer path: `candor demo` prepares a working mall; `candor serve` really serves it.

These run the real commands in subprocesses against a throw-away var/ folder and SQLite file,
never against the test database (DATABASE_URL is removed from their environment).
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def candor_env(var_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["CANDOR_VAR_DIR"] = str(var_dir)
    return env


def candor(var_dir: Path, *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "candor.cli", *args],
        cwd=ROOT,
        env=candor_env(var_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def demo_var(tmp_path_factory) -> tuple[Path, str]:
    var_dir = tmp_path_factory.mktemp("var")
    result = candor(var_dir, "demo", "--no-serve")
    assert result.returncode == 0, result.stderr
    return var_dir, result.stdout


def test_demo_prints_a_login_that_works(demo_var):
    var_dir, out = demo_var
    match = re.search(r"login (\S+) / (\S+)", out)
    assert match, out
    username, password = match.groups()
    check = candor(
        var_dir,
        "shell",
        "--no-imports",
        "-c",
        # With a request, as the login page passes one (the lockout counts per address).
        "from django.contrib.auth import authenticate; from django.test import RequestFactory; "
        f"u = authenticate(RequestFactory().post('/login/'), username={username!r}, "
        f"password={password!r}); print(bool(u and u.is_superuser and u.is_staff))",
    )
    assert check.stdout.strip() == "True", (check.stdout, check.stderr)


def test_keys_are_generated_once_into_var_and_private(demo_var):
    var_dir, _ = demo_var
    for name in ("secret_key", "master_key"):
        key_file = var_dir / name
        assert key_file.stat().st_mode & 0o077 == 0, f"{name} is readable by others"
    before = (var_dir / "master_key").read_text()
    assert candor(var_dir, "check").returncode == 0
    assert (var_dir / "master_key").read_text() == before


def test_sqlite_runs_in_wal_mode(demo_var):
    var_dir, _ = demo_var
    result = candor(
        var_dir,
        "shell",
        "--no-imports",
        "-c",
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])",
    )
    assert result.stdout.strip() == "wal", result.stderr


def stop(server: subprocess.Popen[bytes]) -> None:
    """Ask the server to stop; on a loaded machine granian's graceful shutdown can outlast a
    short wait, so give it time and then make sure no process is left behind."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_http(demo_var):
    var_dir, _ = demo_var
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "candor.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            "1",
            "--threads",
            "2",
        ],
        cwd=ROOT,
        env=candor_env(var_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/ping", timeout=2) as r:
                    body = json.loads(r.read())
                break
            except OSError:
                time.sleep(0.1)
        assert body == {"ok": True, "version": "0.1.0"}
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Accept-Language": "en"})
        with urllib.request.urlopen(request, timeout=5) as r:
            assert "Shop with a mall" in r.read().decode()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/vendor/htmx.min.js", timeout=5) as r:
            assert r.status == 200
    finally:
        stop(server)
