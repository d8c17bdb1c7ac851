"""``python -m bench [NAME ...] [--only NAME]``: run Candor's benchmarks in sequence.

Without names, every default benchmark runs (``make bench``). ``python -m bench servers`` runs
the server comparison behind docs/adr/0002-server.md, which is too slow for every run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import (
    catalog,
    checkout,
    http_server,
    login,
    privacy_audit,
    privacy_crypto,
    privacy_retention,
    privacy_rights,
)
from bench.harness import BenchError, Context, Options


@dataclass(frozen=True)
class Benchmark:
    run: Callable[[Context], None]
    default: bool
    help: str


# Run in this order. A new benchmark (privacy export/erase, retention sweeps …) is a module with
# run(ctx) that reports through bench.harness.report against ctx.baseline(), added here.
BENCHMARKS: dict[str, Benchmark] = {
    "http": Benchmark(http_server.run, True, "ping vs hello-world on the production server"),
    "servers": Benchmark(http_server.compare, False, "compare candidate servers (ADR 0002)"),
    "audit": Benchmark(privacy_audit.run, True, "audit verify of 1M events vs a plain SELECT (goal < 5 s)"),
    "crypto": Benchmark(privacy_crypto.run, True, "20 encrypted rows vs plain (goal ≤ 1.2×, ≤ 1 query)"),
    "rights": Benchmark(privacy_rights.run, True, "export and erase of a 10k-row subject (goal < 1 s each)"),
    "retention": Benchmark(privacy_retention.run, True, "sweep of 1M rows vs the raw SQL (goal ≤ 2×)"),
    "login": Benchmark(login.run, True, "token login by password (argon2) and by SMS code vs hello-world"),
    "catalog": Benchmark(catalog.run, True, "100k products: search, list, page vs raw SQL, orders, queries"),
    "checkout": Benchmark(checkout.run, True, "queries per completed order (goal ≤ 30), orders/s vs raw SQL"),
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help="benchmarks to run (see --list)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="run only these benchmarks (repeatable or comma-separated)",
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--seconds", type=int, default=5, help="measured load per run (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="discarded warm-up load (default 1)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections (default 32)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per endpoint; the median is kept")
    parser.add_argument(
        "--patience",
        type=int,
        default=5,
        help="seconds to wait before each run for other processes to leave the CPUs (default 5)",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=1,
        help="reruns of a load run during which other processes used >10%% of the CPUs (default 1)",
    )
    parser.add_argument(
        "--client",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load generator: wrk (installed with apt-get if missing, when root) or the Python "
        "fallback; auto = wrk if possible",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch dir (server logs)")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="catalog, checkout, crypto: also run on this scratch PostgreSQL database, created and "
        "dropped by each (e.g. postgres://postgres@127.0.0.1:5432/candor_bench)",
    )
    parser.add_argument(
        "--catalog-products", type=int, default=catalog.PRODUCTS, metavar="N", help="catalog: products"
    )
    return parser.parse_args(argv)


def selected(args: argparse.Namespace) -> list[str]:
    wanted = [n.strip() for raw in [*args.names, *args.only] for n in raw.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in BENCHMARKS]
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    if not wanted:
        return [name for name, bench in BENCHMARKS.items() if bench.default]
    return [name for name in BENCHMARKS if name in wanted]


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.list:
        for name, bench in BENCHMARKS.items():
            print(f"{name:10} {'default' if bench.default else 'on demand':10} {bench.help}")
        return 0
    names = selected(args)
    catalog.configure(postgres=args.postgres, products=args.catalog_products)
    checkout.configure(postgres=args.postgres)
    privacy_crypto.configure(postgres=args.postgres)
    options = Options(
        seconds=args.seconds,
        warmup=args.warmup,
        connections=args.connections,
        repeat=args.repeat,
        client=args.client,
        patience=args.patience,
        retries=args.retries,
    )
    workdir = Path(tempfile.mkdtemp(prefix="candor-bench-"))
    ctx = Context(options, workdir, http_server.PRODUCTION)
    print(
        f"bench: {', '.join(names)} | {os.cpu_count()} cores, {options.seconds}s runs after "
        f"{options.warmup}s warm-up, {options.connections} connections, scratch {workdir}",
        flush=True,
    )
    try:
        for name in names:
            BENCHMARKS[name].run(ctx)
    except BenchError as exc:
        print(f"bench: FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"bench: scratch dir kept at {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    if ctx.failures:
        print("bench: requests failed during load:\n  " + "\n  ".join(ctx.failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
