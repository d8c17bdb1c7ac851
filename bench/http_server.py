"""The HTTP server benchmark: /api/v1/ping against the hello-world baseline.

``run`` (default) measures the production server only; ``compare`` (``python -m bench
servers``) measures every candidate of docs/adr/0002-server.md and prints its table.
"""

from __future__ import annotations

import os

from bench.harness import HELLO, Context, LoadResult, Memory, ServerSpec, report

PING = "/api/v1/ping"
# As `candor serve` does: one worker per core (2 on the machine of ADR 0002).
WORKERS = os.cpu_count() or 1


def granian(threads: int, workers: int = WORKERS) -> ServerSpec:
    """The ``candor serve`` command line, pointed at the bench app."""
    return ServerSpec(
        f"granian wsgi {workers}w×{threads}t",
        (
            "granian",
            "--interface",
            "wsgi",
            "--host",
            "{host}",
            "--port",
            "{port}",
            "--workers",
            str(workers),
            "--blocking-threads",
            str(threads),
            "--no-ws",
            "bench.wsgi:application",
        ),
    )


def gunicorn(name: str, *worker_args: str, app: str = "bench.wsgi:application") -> ServerSpec:
    return ServerSpec(
        name,
        ("gunicorn", "--bind", "{host}:{port}", "--workers", str(WORKERS), *worker_args, app),
    )


# Chosen in docs/adr/0002-server.md: 4 blocking threads per worker matched 8 on req/s and had
# the lower p99. Keep in step with the defaults of `candor serve` (CANDOR_WEB_THREADS).
PRODUCTION = granian(threads=4)

CANDIDATES = [
    granian(threads=1),
    granian(threads=2),
    granian(threads=4),
    granian(threads=8),
    gunicorn(f"gunicorn sync {WORKERS}w", "--worker-class", "sync"),
    gunicorn(f"gunicorn gthread {WORKERS}w×4t", "--worker-class", "gthread", "--threads", "4"),
    gunicorn(
        f"gunicorn+uvicorn asgi {WORKERS}w",
        "--worker-class",
        "uvicorn.workers.UvicornWorker",
        app="bench.asgi:application",
    ),
]


def run(ctx: Context) -> None:
    with ctx.server(PRODUCTION) as server:
        baseline = ctx.baseline(server)
        ping = ctx.measure(server, PING)
    print(
        f"hello-world [{PRODUCTION.name}]: {baseline.rps:,.0f} req/s  p99 {baseline.p99_ms:.1f} ms  "
        f"(baseline, {baseline.client}, {ctx.options.connections} connections)",
        flush=True,
    )
    report(f"http.ping [{PRODUCTION.name}]", ping, baseline)


def compare(ctx: Context) -> None:
    rows: list[tuple[ServerSpec, LoadResult, LoadResult, Memory]] = []
    for spec in CANDIDATES:
        with ctx.server(spec) as server:
            hello = ctx.measure(server, HELLO)
            ping = ctx.measure(server, PING)
            # After the load, so lazily imported modules and grown thread pools are counted.
            memory = server.memory()
        rows.append((spec, hello, ping, memory))
        print(
            f"{spec.name}: hello {hello.rps:,.0f} req/s, ping {ping.rps:,.0f} req/s "
            f"(ratio {ping.rps / hello.rps:.2f}), ping p99 {ping.p99_ms:.1f} ms, "
            f"RSS {memory.rss_mib:.0f} MiB in {memory.processes} processes",
            flush=True,
        )
    print()
    print(
        "| Server | hello req/s | ping req/s | ping/hello | hello p99 ms | ping p99 ms "
        "| RSS MiB (procs) | PSS MiB | errors |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|")
    for spec, hello, ping, memory in rows:
        pss = "n/a" if memory.pss_mib is None else f"{memory.pss_mib:.0f}"
        print(
            f"| {spec.name} | {hello.rps:,.0f} | {ping.rps:,.0f} | {ping.rps / hello.rps:.2f} "
            f"| {hello.p99_ms:.1f} | {ping.p99_ms:.1f} | {memory.rss_mib:.0f} ({memory.processes}) "
            f"| {pss} | {hello.errors + ping.errors} |"
        )
    print()
    for spec, *_ in rows:
        print(f"- {spec.name}: `{spec.shell()}`")
