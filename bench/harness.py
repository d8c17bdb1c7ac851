"""Reusable pieces: run a server on a free port, load it with wrk, measure its memory, report.

Only 127.0.0.1 is ever contacted. Servers run with a throw-away ``CANDOR_VAR_DIR`` and with
the developer's ``CANDOR_*``/``DATABASE_URL``/``REDIS_URL`` removed from the environment, so
a run measures the laptop defaults and can never touch a real database or ``var/``.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
HELLO = "/bench/hello"

# Variables that would make a benchmark server differ from the laptop defaults (DEBUG,
# HTTPS redirects, a real database or Redis), or serve another settings module.
_SCRUBBED_PREFIXES = ("CANDOR_", "DJANGO_", "GRANIAN_", "GUNICORN_", "UVICORN_")
_SCRUBBED_NAMES = {"DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY"}


class BenchError(RuntimeError):
    """A benchmark could not produce a trustworthy number."""


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    client: str
    # Share of the machine's CPU used by processes outside this run during the load (and time
    # stolen by the hypervisor): the measure of how far a shared machine disturbed the number.
    other_cpu: float = 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class Memory:
    """Memory of a whole process tree (master plus workers), in KiB.

    RSS counts pages shared between forked workers once per process, which is what was asked
    for and what ``ps`` shows; PSS splits shared pages fairly and is the better capacity figure.
    """

    processes: int
    rss_kib: int
    pss_kib: int | None

    @property
    def rss_mib(self) -> float:
        return self.rss_kib / 1024

    @property
    def pss_mib(self) -> float | None:
        return None if self.pss_kib is None else self.pss_kib / 1024


@dataclass(frozen=True)
class ServerSpec:
    """How to start one server; ``{port}`` in ``args`` is replaced by a free port. ``ready``:
    the path that answers 200 once it serves (the bench settings' hello-world by default)."""

    name: str
    args: tuple[str, ...]
    ready: str = HELLO

    def command(self, port: int) -> list[str]:
        return [sys.executable, "-m", *(arg.format(host=HOST, port=port) for arg in self.args)]

    def shell(self) -> str:
        """The command as a human would type it, for the ADR and the printed tables."""
        return "python -m " + " ".join(self.args).format(host=HOST, port="PORT")


@dataclass(frozen=True)
class Options:
    seconds: int = 5
    warmup: int = 1
    connections: int = 32
    repeat: int = 1
    client: str = "auto"  # "auto" | "wrk" | "python"
    patience: int = 5  # seconds to wait for a quiet machine before a run
    retries: int = 1  # reruns of a load disturbed by other processes


# --- load generators -------------------------------------------------------------------------


class LoadGenerator(Protocol):
    name: str

    def run(self, url: str, seconds: int, connections: int) -> LoadResult: ...


# wrk's own summary is human text with mixed units; a done() hook prints exact numbers instead.
_WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH-JSON {\\"requests\\": %.0f, \\"duration_us\\": %.0f, \\"p50_us\\": %.0f, "
    .. "\\"p99_us\\": %.0f, \\"errors\\": %.0f}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


class Wrk:
    name = "wrk"

    def __init__(self, executable: str, script: Path) -> None:
        self.executable = executable
        self.script = script
        script.write_text(_WRK_REPORT)

    def run(self, url: str, seconds: int, connections: int) -> LoadResult:
        threads = min(2, connections)
        argv = [
            self.executable,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            "-s",
            str(self.script),
            url,
        ]
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH-JSON ")), None)
        if done.returncode != 0 or line is None:
            raise BenchError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
        data = json.loads(line.removeprefix("BENCH-JSON "))
        return LoadResult(
            requests=int(data["requests"]),
            seconds=data["duration_us"] / 1e6,
            p50_ms=data["p50_us"] / 1000,
            p99_ms=data["p99_us"] / 1000,
            errors=int(data["errors"]),
            client=self.name,
        )


class PythonClient:
    """Keep-alive HTTP/1.1 client on threads: the fallback when wrk cannot be had.

    It is far slower than wrk and its GIL-bound threads take CPU from the server, so its req/s
    are lower; only ratios measured with the same client mean anything.
    """

    name = "python"

    def run(self, url: str, seconds: int, connections: int) -> LoadResult:
        parts = urlsplit(url)
        host, port, path = parts.hostname or HOST, parts.port or 80, parts.path or "/"
        start = time.perf_counter()
        deadline = start + seconds
        latencies: list[list[float]] = [[] for _ in range(connections)]
        errors = [0] * connections

        def worker(slot: int) -> None:
            conn = http.client.HTTPConnection(host, port, timeout=5)
            mine = latencies[slot]
            while (t0 := time.perf_counter()) < deadline:
                try:
                    conn.request("GET", path)
                    response = conn.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException):
                    conn.close()
                    errors[slot] += 1
                    continue
                if response.status != 200:
                    errors[slot] += 1
                mine.append(time.perf_counter() - t0)
            conn.close()

        pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(connections)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        elapsed = time.perf_counter() - start
        samples = sorted(s for per_thread in latencies for s in per_thread)
        return LoadResult(
            requests=len(samples),
            seconds=elapsed,
            p50_ms=_percentile(samples, 50) * 1000,
            p99_ms=_percentile(samples, 99) * 1000,
            errors=sum(errors),
            client=self.name,
        )


def _percentile(sorted_samples: list[float], pct: float) -> float:
    if not sorted_samples:
        return 0.0
    index = min(len(sorted_samples) - 1, round(pct / 100 * (len(sorted_samples) - 1)))
    return sorted_samples[index]


def _install_wrk() -> str | None:
    """Install Debian's wrk package, so ``make bench`` works on a fresh Debian machine."""
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("bench: wrk not found; installing the Debian package with apt-get …", flush=True)
    install = [apt, "install", "-y", "-qq", "wrk"]
    # Try without `update` first: it is slow, and only needed on a machine with no package lists.
    if subprocess.run(install, env=env, capture_output=True, check=False).returncode != 0:
        subprocess.run([apt, "update", "-qq"], env=env, capture_output=True, check=False)
        subprocess.run(install, env=env, capture_output=True, check=False)
    return shutil.which("wrk")


def make_load_generator(choice: str, workdir: Path) -> LoadGenerator:
    if choice in {"auto", "wrk"}:
        executable = shutil.which("wrk") or _install_wrk()
        if executable:
            return Wrk(executable, workdir / "report.lua")
        if choice == "wrk":
            raise BenchError("wrk is not installed and could not be installed with apt-get")
        print(
            "bench: WARNING wrk unavailable (not root, or no apt-get); falling back to the Python "
            "client. Its req/s are much lower than wrk's; compare ratios only.",
            flush=True,
        )
    return PythonClient()


@dataclass
class PostLoad:
    """What ``post_load`` saw: answers by status (0: the connection failed), the latency of
    each answered request in seconds (sorted), and the run's length."""

    statuses: Counter[int]
    samples: list[float]
    seconds: float

    def pct(self, p: float) -> float:
        """The ``p``-th percentile latency in milliseconds."""
        samples = self.samples
        return samples[min(len(samples) - 1, round(p / 100 * (len(samples) - 1)))] * 1000 if samples else 0.0

    def result(self, ok: int = 201) -> LoadResult:
        """Answers with status ``ok`` as the requests; any other as errors."""
        done = self.statuses.get(ok, 0)
        return LoadResult(
            requests=done, seconds=self.seconds, p50_ms=self.pct(50), p99_ms=self.pct(99),
            errors=sum(self.statuses.values()) - done, client="python",
        )  # fmt: skip


def post_load(
    port: int,
    path: str,
    request: Callable[[int, int], tuple[str, dict[str, str]]],
    *,
    seconds: float,
    connections: int,
    timeout: float,
) -> PostLoad:
    """The Python fallback client for POSTs (wrk's Lua scripts are the first choice):
    ``connections`` threads on keep-alive connections for ``seconds``; ``request(slot, n)``
    gives the body and headers of connection ``slot``'s ``n``-th request."""
    lock = threading.Lock()
    statuses: Counter[int] = Counter()
    samples: list[float] = []
    start = time.perf_counter()
    deadline = start + seconds

    def worker(slot: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        seen: Counter[int] = Counter()
        mine: list[float] = []
        n = 0
        while (t0 := time.perf_counter()) < deadline:
            n += 1
            body, headers = request(slot, n)
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                seen[0] += 1
                continue
            seen[response.status] += 1
            mine.append(time.perf_counter() - t0)
        conn.close()
        with lock:
            statuses.update(seen)
            samples.extend(mine)

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(connections)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return PostLoad(statuses=statuses, samples=sorted(samples), seconds=time.perf_counter() - start)


def met(ok: bool) -> str:
    """How a goal reads in a benchmark's line."""
    return "met" if ok else "NOT met"


def databases(name: str, postgres: str | None) -> list[tuple[str, str | None]]:
    """(label, PostgreSQL URL or None) of each database a two-database benchmark runs on."""
    if not postgres:
        print(f"{name}: SQLite only (add --postgres URL for PostgreSQL too)", flush=True)
        return [("SQLite", None)]
    return [("SQLite", None), ("PostgreSQL", postgres)]


# --- servers ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def get(port: int, path: str, timeout: float = 2.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants, found by scanning /proc (psutil is not a dependency)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name may contain spaces and parentheses; the fields after the last ")"
        # are fixed: state, then ppid.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def _kib_field(path: str, name: str) -> int | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def tree_memory(root: int) -> Memory:
    pids = process_tree(root)
    rss = pss = 0
    pss_known = True
    for pid in pids:
        rss += _kib_field(f"/proc/{pid}/status", "VmRSS") or 0
        value = _kib_field(f"/proc/{pid}/smaps_rollup", "Pss")
        if value is None:
            pss_known = False
        else:
            pss += value
    return Memory(processes=len(pids), rss_kib=rss, pss_kib=pss if pss_known else None)


# The scratch PostgreSQL databases of this run (``ScratchPostgres``), and the one a child
# measuring in process was given (``DATABASE_URL``).
_scratch_databases: set[str] = set()


def measured_databases() -> set[str]:
    names = set(_scratch_databases)
    if os.environ.get("DATABASE_URL"):
        names.add(urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/"))
    return names


def database_backends(names: set[str]) -> list[int]:
    """PostgreSQL's processes serving one of these databases: a backend's command line reads
    "postgres: [<cluster name>:] <user> <database> <client> <state>" (Debian names the
    cluster: "postgres: 15/main: postgres test 127.0.0.1(38766) idle")."""
    if not names:
        return []
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            words = (
                Path(f"/proc/{entry}/cmdline")
                .read_bytes()
                .replace(b"\0", b" ")
                .decode(errors="replace")
                .split()
            )
        except OSError:
            continue
        if not words or words[0] != "postgres:":
            continue
        rest = words[2:] if len(words) > 1 and words[1].endswith(":") else words[1:]
        if len(rest) >= 2 and rest[1] in names:
            pids.append(int(entry))
    return pids


# Above this share of the machine used by other processes, a run measures the neighbours too.
DISTURBED = 0.10


@dataclass(frozen=True)
class CpuSample:
    """Cumulative CPU ticks: the whole machine's, and this run's own process tree's."""

    busy: int
    total: int
    ours: int

    @classmethod
    def take(cls) -> CpuSample:
        """Now. "Ours" is this process's tree and, on a PostgreSQL run, the server processes
        serving the scratch database: they do the measured work of every request, and are
        not neighbours taking the CPUs from it."""
        with open("/proc/stat") as stat:
            # user nice system idle iowait irq softirq steal (guest time is already in user).
            ticks = [int(v) for v in stat.readline().split()[1:9]]
        total = sum(ticks)
        # Interrupt time is left out of "busy": most of it is the loopback traffic of our own
        # load, and the kernel does not reliably charge it to our processes.
        busy = ticks[0] + ticks[1] + ticks[2] + ticks[7]
        ours = 0
        # Servers, their workers and wrk all descend from this process; a child that exited and
        # was reaped in between is still counted, in its parent's cutime/cstime.
        for pid in process_tree(os.getpid()):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ours += sum(int(v) for v in fields[11:15])  # utime stime cutime cstime
        for pid in database_backends(measured_databases()):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ours += int(fields[11]) + int(fields[12])  # utime stime
        return cls(busy=busy, total=total, ours=ours)

    def other_since(self, start: CpuSample) -> float:
        """Share of the machine used since ``start`` by anything but this run."""
        total = self.total - start.total
        other = (self.busy - start.busy) - (self.ours - start.ours)
        return max(0.0, other / total) if total > 0 else 0.0


def wait_quiet(patience: float) -> float:
    """Wait up to ``patience`` seconds for other processes to leave the CPUs; their last share."""
    deadline = time.monotonic() + patience
    while True:
        start = CpuSample.take()
        time.sleep(1.0)
        other = CpuSample.take().other_since(start)
        if other < DISTURBED or time.monotonic() >= deadline:
            return other


class Server:
    """A server subprocess on a free port; a context manager that always stops it."""

    def __init__(self, spec: ServerSpec, env: dict[str, str], log_dir: Path) -> None:
        self.spec = spec
        self.env = env
        self.port = free_port()
        slug = "".join(c if c.isalnum() else "-" for c in spec.name)
        self.log_path = log_dir / f"{slug}-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def __enter__(self) -> Server:
        with self.log_path.open("wb") as log:
            # Own session: stop() can then reach workers that a crashed master left behind,
            # and a Ctrl-C in the terminal does not kill the server before we measure it.
            self.proc = subprocess.Popen(
                self.spec.command(self.port),
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
                raise BenchError(f"{self.spec.name} exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                status, _ = get(self.port, self.spec.ready)
            except (OSError, http.client.HTTPException):
                time.sleep(0.1)
                continue
            if status == 200:
                return
            raise BenchError(f"{self.spec.name} answered {self.spec.ready} with {status}:\n{self.log_tail()}")
        raise BenchError(f"{self.spec.name} not ready after {timeout:.0f}s:\n{self.log_tail()}")

    def check(self, path: str) -> None:
        """Refuse to benchmark an endpoint that does not answer 200 with JSON (a 404 is fast too)."""
        status, body = get(self.port, path)
        try:
            json.loads(body)
        except ValueError:
            status = -status
        if status != 200:
            raise BenchError(
                f"{self.spec.name}: GET {path} gave {abs(status)} {body[:200]!r}\n{self.log_tail()}"
            )

    def memory(self) -> Memory:
        assert self.proc is not None
        return tree_memory(self.proc.pid)

    def stop(self) -> None:
        if self.proc is None:
            return
        pid = self.proc.pid
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                # Worth saying: a server that ignores SIGTERM drops requests on every deploy.
                print(f"bench: WARNING {self.spec.name} ignored SIGTERM for 15s; killed", flush=True)
                os.killpg(pid, signal.SIGKILL)
                self.proc.wait()
        # Stray workers would hold CPU and skew the next server's numbers; the group is ours.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
        self.proc = None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


# --- the run's shared state --------------------------------------------------------------------


def scrubbed_env() -> dict[str, str]:
    """This process's environment without the developer's settings (a server would otherwise
    serve their database, or their DEBUG)."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(_SCRUBBED_PREFIXES) and key not in _SCRUBBED_NAMES
    }


def bench_env(var_dir: Path) -> dict[str, str]:
    env = scrubbed_env()
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        CANDOR_VAR_DIR=str(var_dir),
        PYTHONDONTWRITEBYTECODE="1",
        # uvicorn.workers warns on import that it is deprecated; that is noise in server logs.
        PYTHONWARNINGS="ignore::DeprecationWarning",
    )
    return env


@dataclass
class Context:
    """State shared by the benchmarks of one run: options, scratch dirs, client, baseline."""

    options: Options
    workdir: Path
    production: ServerSpec
    failures: list[str] = field(default_factory=list)
    _load: LoadGenerator | None = None
    _baseline: LoadResult | None = None
    _migrated: bool = False

    def __post_init__(self) -> None:
        self.var_dir = self.workdir / "var"
        self.log_dir = self.workdir / "logs"
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.env = bench_env(self.var_dir)

    @property
    def load(self) -> LoadGenerator:
        # Lazy, so `--list` or a benchmark that needs no HTTP never installs wrk.
        if self._load is None:
            self._load = make_load_generator(self.options.client, self.workdir)
        return self._load

    def database(self) -> None:
        """Migrate the scratch database, once per run, for benchmarks that touch the DB."""
        if self._migrated:
            return
        done = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise BenchError(f"migrate failed:\n{done.stdout}{done.stderr}")
        self._migrated = True

    def server(self, spec: ServerSpec | None = None) -> Server:
        return Server(spec or self.production, self.env, self.log_dir)

    def measure(self, server: Server, path: str) -> LoadResult:
        """Warm up, then load ``path``; with ``--repeat N`` the run with the median req/s."""
        return self.measure_interleaved(server, [path])[0]

    def measure_interleaved(self, server: Server, paths: list[str]) -> list[LoadResult]:
        """Each path warmed up, then loaded in turn, round after round (``--repeat N``
        rounds); per path the run with the median req/s. Paths compared as a ratio share
        whatever drifts over the minutes of a run (a server still settling, the neighbours)
        instead of one getting the early runs and the other the late ones."""
        urls = []
        for path in paths:
            server.check(path)
            urls.append(server.url(path))
        if self.options.warmup:
            for url in urls:
                self.load.run(url, self.options.warmup, self.options.connections)
        runs: list[list[LoadResult]] = [[] for _ in urls]
        for _ in range(max(1, self.options.repeat)):
            for found, url in zip(runs, urls, strict=True):
                found.append(self._undisturbed_run(url))
        results = []
        for path, found in zip(paths, runs, strict=True):
            result = sorted(found, key=lambda r: r.rps)[len(found) // 2]
            if result.errors:
                self.failures.append(f"{server.spec.name} {path}: {result.errors} errors")
            if result.other_cpu >= DISTURBED:
                print(
                    f"bench: WARNING {server.spec.name} {path}: other processes used "
                    f"{result.other_cpu:.0%} of the CPUs during the run; req/s are understated",
                    flush=True,
                )
            results.append(result)
        return results

    def _undisturbed_run(self, url: str) -> LoadResult:
        """One load run; rerun (after waiting for quiet) if other processes shared the CPUs."""
        best: LoadResult | None = None
        for _ in range(1 + max(0, self.options.retries)):
            wait_quiet(self.options.patience)
            start = CpuSample.take()
            result = self.load.run(url, self.options.seconds, self.options.connections)
            result = replace(result, other_cpu=CpuSample.take().other_since(start))
            if best is None or result.other_cpu < best.other_cpu:
                best = result
            if result.other_cpu < DISTURBED:
                break
        assert best is not None
        return best

    def baseline(self, server: Server | None = None) -> LoadResult:
        """Hello-world on the production server, measured once per run and shared by all.

        Pass the running production server to measure on it instead of starting another.
        """
        if self._baseline is None:
            if server is not None and server.spec == self.production:
                self._baseline = self.measure(server, HELLO)
            else:
                with self.server() as fresh:
                    self._baseline = self.measure(fresh, HELLO)
        return self._baseline


def report(name: str, result: LoadResult, baseline: LoadResult) -> None:
    """Print one benchmark line in the shape every benchmark uses."""
    errors = f"  ERRORS {result.errors}" if result.errors else ""
    print(
        f"{name}: {result.rps:,.0f} req/s  "
        f"(ratio {result.rps / baseline.rps:.2f} vs baseline hello-world {baseline.rps:,.0f} req/s)  "
        f"p99 {result.p99_ms:.1f} ms{errors}",
        flush=True,
    )


class ScratchPostgres:
    """The PostgreSQL database of ``--postgres URL``: created when missing and dropped after,
    or (when it exists) required empty and emptied after."""

    def __init__(self, url: str) -> None:
        self.url = url
        parts = urlsplit(url)
        self.name = parts.path.lstrip("/")
        if not self.name or parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
            raise BenchError(f"--postgres: give a scratch database on this machine, not {url!r}")
        self.admin = parts._replace(path="/postgres").geturl()
        self.created = False

    def _admin(self) -> Any:
        import psycopg

        return psycopg.connect(self.admin, autocommit=True)

    def create(self) -> None:
        import psycopg
        from psycopg import sql

        with self._admin() as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))
                self.created = True
                _scratch_databases.add(self.name)
                return
        with psycopg.connect(self.url) as conn:
            tables = conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            ).fetchone()[0]
        if tables:
            raise BenchError(f"--postgres: database {self.name} has {tables} tables; give an empty one")
        _scratch_databases.add(self.name)

    def drop(self) -> None:
        import psycopg
        from psycopg import sql

        _scratch_databases.discard(self.name)

        try:
            if self.created:
                with self._admin() as conn:
                    conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(self.name)))
            else:
                with psycopg.connect(self.url, autocommit=True) as conn:
                    conn.execute("DROP SCHEMA public CASCADE")
                    conn.execute("CREATE SCHEMA public")
        except psycopg.Error as exc:
            print(f"bench: WARNING could not clean up PostgreSQL database {self.name}: {exc}", flush=True)


# --- benchmarks that run in a child process with their own Django -----------------------------


def run_child(ctx: Context, name: str, *extra: str) -> None:
    """Run ``bench.privacy_<name>`` in a child process with the harness's scrubbed environment:
    each sets Django up on its own scratch database, which a process can do only once."""
    done = subprocess.run(
        [sys.executable, "-m", f"bench.privacy_{name}", "--dir", str(ctx.workdir / name), *extra],
        cwd=ROOT,
        env=ctx.env,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        raise BenchError(f"{name} benchmark failed with exit status {done.returncode}")


def setup_django(
    scratch: Path, database: str, *, settings: str = "tests.settings", database_url: str | None = None
) -> None:
    """In the child, before Django reads its settings: a throw-away ``var/`` and SQLite file
    (or the scratch ``database_url`` given), whatever the caller's environment says, and by
    default the settings that install the test-only models."""
    for name in ("DATABASE_URL", "REDIS_URL", "CANDOR_MASTER_KEY"):
        os.environ.pop(name, None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.update(
        DJANGO_SETTINGS_MODULE=settings,
        CANDOR_VAR_DIR=str(scratch / "var"),
        CANDOR_SQLITE_PATH=str(scratch / database),
    )
    import django

    django.setup()
