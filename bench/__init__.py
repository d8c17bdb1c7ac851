"""Candor's benchmark harness: ``python -m bench`` (what ``make bench`` runs).

A benchmark is a module with a ``run(ctx: bench.harness.Context) -> None`` function, listed in
``bench.__main__.BENCHMARKS``; ``__main__`` runs the default ones in order, or those named with
``--only``. Every number is printed as a ratio against the hello-world baseline (a bare Django
JSON view served by the production server, ``Context.baseline()``), so results stay comparable
across machines even though raw requests/s do not.

Load comes from wrk (Debian package): if it is missing, the harness installs it with apt-get
when running as root, else it falls back to a small threaded keep-alive client in Python
(``--client python`` forces it) whose req/s are lower, so only its ratios compare. Runs wait
for, and are repeated when disturbed by, other processes on the CPUs (``--patience``,
``--retries``). ``python -m bench --help`` lists the knobs.
"""
