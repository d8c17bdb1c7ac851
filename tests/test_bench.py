"""The in-process benchmarks still run, at a tiny size (``make bench`` runs them at full size).

Each one builds its own scratch database from the app's models and reads pages through the
app's layout, so a new table the layout reads or a new kind of declaration can break one
without any other test noticing; twice that stopped ``make bench`` half way. Only that they
run and print their result is checked here — never a timing (DESIGN: no timing asserts).
The HTTP benchmarks (catalog, checkout, login) need wrk and a served process and are left to
``make bench``.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from bench.harness import ROOT, bench_env

CASES = {
    "audit": (["--events", "2000"], "audit.verify [SQLite, 2,000 events]"),
    "crypto": (["--rows", "40", "--calls", "2", "--rounds", "1"], "crypto page served by Django"),
    "rights": (["--runs", "1"], "rights.erase [SQLite"),
    "retention": (["--rows", "2000", "--rounds", "1"], "retention"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_benchmark_runs(name, tmp_path):
    argv, expected = CASES[name]
    done = subprocess.run(
        [sys.executable, "-m", f"bench.privacy_{name}", "--dir", str(tmp_path / name), *argv],
        cwd=ROOT,
        env=bench_env(tmp_path / "var"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    assert expected in done.stdout


@pytest.mark.django_db
def test_the_database_servers_work_is_the_runs_not_a_neighbours():
    """On PostgreSQL the backends serving the measured database count as the run's own CPU
    (else every PostgreSQL load run reads as disturbed); others' databases do not."""
    from django.db import connection

    from bench.harness import database_backends

    if connection.vendor != "postgresql":
        pytest.skip("the backends of a PostgreSQL server")
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    name = connection.settings_dict["NAME"]
    assert pid in database_backends({name})
    assert pid not in database_backends({f"{name}_not_this_one"})
