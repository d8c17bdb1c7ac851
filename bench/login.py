"""Login throughput: ``POST /api/v1/tokens`` by password and by SMS code, against hello-world.

``python -m bench login`` runs it from the harness. Both logins go through the production
server (granian, ``bench.wsgi``) with production settings: Django's Argon2PasswordHasher with
its default parameters (printed), django-axes in front of the password check, the lockout
counters in the shared ``candor_cache`` table (``createcachetable``, as ADR 0005 asks of a
deployment without Redis), a bearer token issued and a device row written for every login.
The server runs with the simulators off, as in production; only the setup, which obtains the
SMS codes, switches them on.

Password login: one account, the correct password on every request. Axes counts failures
only, so a correct password never locks out, and one account measures what every login pays
(argon2 verify, axes' lockout check and reset, token, audit, device record).

SMS login: codes are single-use, valid 5 minutes and limited to one a minute per number (20
an hour per address), so every request needs a fresh (number, code) pair. The setup (a child
process: ``python -m bench.login prepare``) creates one account per number and asks the real
``code_send`` for a login code (through the Aliyun adapter and its in-process simulator, with
one made-up client address per 20 codes), then reads the plain code from the simulator's
outbox, as a person would read their phone. The load generator sends each pair exactly once.
A warm-up run sizes the measured run's pairs (2.5× what its rate would use: a cold server is
slower); a run that runs out of pairs is retried once with twice as many, and otherwise
reported as such (the requests sent after the pairs ran out fail and are counted as failures).

Throughput counts successful logins (201) only, so a run where requests fail cannot show a
high rate; every line gives how many requests succeeded and what the others answered. After
each load the benchmark waits for the server to go idle, since it keeps working through the
requests wrk left queued (seconds of argon2), which would otherwise land in the next run. With
32 connections and 8 server threads on a few cores, a password login's latency is mostly
queueing behind other logins' argon2: its p99 measures the queue, its req/s the capacity.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import math
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from bench.harness import (
    DISTURBED,
    HOST,
    BenchError,
    Context,
    CpuSample,
    LoadResult,
    Server,
    post_load,
    process_tree,
    wait_quiet,
)
from bench.http_server import PRODUCTION

TOKENS = "/api/v1/tokens"
PASSWORD_USER = "bench-login"
PASSWORD = "Bench-login-pass-2024!"  # a scratch account in a throw-away database
SMS_USER = "bench-sms-{index}"
# Mainland mobiles in 139 (China Mobile) numbered by index, so batches never share a number.
PHONE = "139{index:08d}"
FIRST_PAIRS = 300  # pairs for the warm-up, which sizes the measured run
SIZING = 2.5  # pairs for the measured run: this many times what the warm-up's rate would use
MIN_WARMUP = 1  # seconds: the warm-up is needed to size the SMS run even with --warmup 0
TIMEOUT = 30  # seconds: a password login queues behind argon2 and may take seconds under load
CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")


def run(ctx: Context) -> None:
    ctx.database()
    bench = LoginBench(ctx)
    params = bench.prepare(FIRST_PAIRS, password_user=True)
    hasher = params["hasher"]
    print(
        f"login: password hasher {hasher['algorithm']} ({hasher['class']}): "
        f"time_cost {hasher['time_cost']}, memory_cost {hasher['memory_cost']} KiB "
        f"({hasher['memory_cost'] / 1024:.0f} MiB), parallelism {hasher['parallelism']}; "
        f"one verify took {hasher['verify_ms']:.0f} ms in the setup process",
        flush=True,
    )
    print(
        f"login: password = one account ({PASSWORD_USER}), correct password every request; "
        f"SMS = one account per number, one fresh code each, each pair used once; "
        f"server {PRODUCTION.name}, simulators off, SQLite, axes lockouts in candor_cache",
        flush=True,
    )
    with ctx.server(PRODUCTION) as server:
        baseline = ctx.baseline(server)
        print(
            f"hello-world [{PRODUCTION.name}]: {baseline.rps:,.0f} req/s  p99 {baseline.p99_ms:.1f} ms  "
            f"(baseline, {baseline.client}, {ctx.options.connections} connections)",
            flush=True,
        )
        password = bench.password_login(server)
        bench.report("login.password", password, baseline)
        sms = bench.sms_login(server)
        bench.report("login.sms", sms, baseline)


# --- the load: what was sent and what came back ---------------------------------------------


@dataclass
class LoginRun:
    """One load run: ``result.requests`` counts the successful logins only."""

    result: LoadResult
    attempts: int  # responses received, whatever their status
    statuses: Counter[int] = field(default_factory=Counter)
    exhausted: int = 0  # requests sent after this run's pairs ran out (a known-bad pair)

    @property
    def ok(self) -> int:
        return self.statuses.get(201, 0)

    @property
    def attempt_rate(self) -> float:
        return self.attempts / self.result.seconds if self.result.seconds else 0.0


# The end of every POST script of the login and checkout benches: each thread counts the
# statuses it received (and the requests it sent after its feed ran out, ``exhausted``), and
# done() prints them with wrk's figures as the JSON line ``_wrk`` reads.
STATUS_REPORT = r"""statuses, exhausted = {}, 0
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
done = function(summary, latency, requests)
  local totals, counts, spent = {}, {}, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + n
    end
    spent = spent + thread:get("exhausted")
  end
  for status, n in pairs(totals) do
    counts[#counts + 1] = string.format('"%d": %d', status, n)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %.0f, "duration_us": %.0f, "p50_us": %.0f, "p99_us": %.0f, '
    .. '"errors": %.0f, "exhausted": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, spent, table.concat(counts, ", ")))
end
"""


def _wrk_script(path: Path, *, body: str | None, pairs: Path | None, threads: int) -> None:
    """A wrk script that POSTs ``body``, or one (phone, code) pair per request from ``pairs``
    (thread i takes lines i, i+threads, …), counts statuses and prints one JSON line."""
    if pairs is not None:
        feed = f"""
local mine, next_pair = {{}}, 1
function init(args)
  local n = 0
  for line in io.lines({json.dumps(str(pairs))}) do
    if n % {threads} == id then
      local phone, code = line:match("^(%d+) (%d+)$")
      table.insert(mine, '{{"phone": "' .. phone .. '", "code": "' .. code .. '", "device_name": "bench"}}')
    end
    n = n + 1
  end
end
function request()
  local body = mine[next_pair]
  if body == nil then
    exhausted = exhausted + 1
    body = '{{"phone": "13800000000", "code": "000000", "device_name": "bench"}}'
  else
    next_pair = next_pair + 1
  end
  return wrk.format("POST", nil, nil, body)
end
"""
    else:
        feed = f"wrk.body = {json.dumps(body)}\n"
    path.write_text(
        f"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
{feed}
{STATUS_REPORT}"""
    )


def _wrk(executable: str, script: Path, url: str, seconds: int, connections: int) -> LoginRun:
    threads = min(2, connections)
    argv = [
        executable,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        f"{TIMEOUT}s",
        "-s",
        str(script),
        url,
    ]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH-JSON ")), None)
    if done.returncode != 0 or line is None:
        raise BenchError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    data = json.loads(line.removeprefix("BENCH-JSON "))
    statuses = Counter({int(k): int(v) for k, v in data["statuses"].items()})
    # Socket errors and timeouts have no status; count them as failed attempts too.
    if data["errors"]:
        statuses[0] += int(data["errors"])
    seconds_run = data["duration_us"] / 1e6
    return LoginRun(
        result=LoadResult(
            requests=statuses.get(201, 0),
            seconds=seconds_run,
            p50_ms=data["p50_us"] / 1000,
            p99_ms=data["p99_us"] / 1000,
            errors=sum(n for status, n in statuses.items() if status != 201),
            client="wrk",
        ),
        attempts=int(data["requests"]),
        statuses=statuses,
        exhausted=int(data["exhausted"]),
    )


def _python(url: str, bodies: list[str] | str, seconds: int, connections: int) -> LoginRun:
    """The harness's Python fallback client, for POSTs: threads on keep-alive connections."""
    parts = urlsplit(url)
    feed = itertools.repeat(bodies) if isinstance(bodies, str) else iter(bodies)
    lock = threading.Lock()
    exhausted = 0
    headers = {"Content-Type": "application/json"}

    def request(slot: int, n: int) -> tuple[str, dict[str, str]]:
        nonlocal exhausted
        with lock:
            body = next(feed, None)
            if body is None:
                exhausted += 1
                body = '{"phone": "13800000000", "code": "000000", "device_name": "bench"}'
        return body, headers

    port = parts.port or 80
    run = post_load(port, parts.path, request, seconds=seconds, connections=connections, timeout=TIMEOUT)
    return LoginRun(
        result=run.result(),
        attempts=sum(run.statuses.values()),
        statuses=run.statuses,
        exhausted=exhausted,
    )


def _cpu_ticks(root: int) -> int:
    """User and system ticks of a process tree, all threads included."""
    ticks = 0
    for pid in process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks


def drain(server: Server, limit: float = 180.0) -> float:
    """Wait until the server has finished what the load generator left behind (seconds waited).

    wrk stops at its deadline, but the server still works through every request it accepted:
    32 queued password logins are seconds of argon2, which would otherwise run inside the next
    measurement. Idle = under 5 % of one core for half a second."""
    assert server.proc is not None
    hz = os.sysconf("SC_CLK_TCK")
    started = time.monotonic()
    while time.monotonic() - started < limit:
        before = _cpu_ticks(server.proc.pid)
        time.sleep(0.5)
        if (_cpu_ticks(server.proc.pid) - before) / hz / 0.5 < 0.05:
            return time.monotonic() - started
    raise BenchError(f"the server was still busy {limit:.0f} s after the load stopped")


# --- the benchmark ---------------------------------------------------------------------------


class LoginBench:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.dir = ctx.workdir / "login"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.next_index = 0
        self.batches = 0
        self.notes: dict[str, list[str]] = {}

    # setup

    def prepare(self, count: int, *, password_user: bool = False) -> dict[str, object]:
        """``count`` fresh (phone, code) pairs in a new file (``self.pairs``), from a child
        process with the simulators on; the first call also makes the password account."""
        self.batches += 1
        out = self.dir / f"pairs-{self.batches}.txt"
        argv = [sys.executable, "-m", "bench.login", "prepare", "--out", str(out)]
        argv += ["--start", str(self.next_index), "--count", str(count)]
        if password_user:
            argv.append("--password-user")
        started = time.perf_counter()
        done = subprocess.run(
            argv,
            cwd=Path(__file__).resolve().parent.parent,
            env={**self.ctx.env, "CANDOR_SIMULATORS": "1"},
            capture_output=True,
            text=True,
            check=False,
            timeout=1200,
        )
        if done.returncode != 0:
            raise BenchError(f"login setup failed:\n{done.stdout}{done.stderr}")
        self.next_index += count
        self.pairs = out
        lines = out.read_text().splitlines()
        if len(lines) != count:
            raise BenchError(f"login setup: asked for {count} SMS codes, the outbox had {len(lines)}")
        print(
            f"login: setup made {count} accounts and sent each a login code through code_send "
            f"in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        info: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
        return info

    # load

    def _load(self, server: Server, seconds: int, *, body: str | None, pairs: Path | None) -> LoginRun:
        run = self._send(server, seconds, body=body, pairs=pairs)
        self._drain(server)
        return run

    def _drain(self, server: Server) -> None:
        waited = drain(server)
        if waited >= 2:
            print(f"login: the server worked {waited:.0f} s more on requests left by the load", flush=True)

    def _send(self, server: Server, seconds: int, *, body: str | None, pairs: Path | None) -> LoginRun:
        load = self.ctx.load  # wrk if it can be had (installs it), else the Python client
        url = server.url(TOKENS)
        if load.name == "wrk":
            executable = getattr(load, "executable", "wrk")
            script = self.dir / "login.lua"
            _wrk_script(script, body=body, pairs=pairs, threads=min(2, self.ctx.options.connections))
            return _wrk(executable, script, url, seconds, self.ctx.options.connections)
        if pairs is not None:
            bodies: list[str] | str = [
                json.dumps({"phone": phone, "code": code, "device_name": "bench"})
                for phone, code in (line.split() for line in pairs.read_text().splitlines())
            ]
        else:
            assert body is not None
            bodies = body
        return _python(url, bodies, seconds, self.ctx.options.connections)

    def _measured(self, server: Server, *, body: str | None, pairs: Path | None) -> LoginRun:
        """One measured run; rerun once (after waiting for quiet) if other processes shared the
        CPUs — only for the password login, whose runs need no fresh pairs."""
        best: LoginRun | None = None
        tries = 1 + (max(0, self.ctx.options.retries) if pairs is None else 0)
        for _ in range(tries):
            wait_quiet(self.ctx.options.patience)
            start = CpuSample.take()
            run = self._send(server, self.ctx.options.seconds, body=body, pairs=pairs)
            other = CpuSample.take().other_since(start)
            self._drain(server)
            run.result = replace(run.result, other_cpu=other)
            if best is None or other < best.result.other_cpu:
                best = run
            if other < DISTURBED:
                break
        assert best is not None
        return best

    def password_login(self, server: Server) -> LoginRun:
        body = json.dumps({"username": PASSWORD_USER, "password": PASSWORD, "device_name": "bench"})
        self._check(server, body)
        if self.ctx.options.warmup:
            self._load(server, self.ctx.options.warmup, body=body, pairs=None)
        runs = [self._measured(server, body=body, pairs=None) for _ in range(max(1, self.ctx.options.repeat))]
        return self._median("login.password", runs)

    def sms_login(self, server: Server) -> LoginRun:
        warmup = self._load(server, max(MIN_WARMUP, self.ctx.options.warmup), body=None, pairs=self.pairs)
        # If every pair went in the warm-up, its rate is only a lower bound.
        rate = 3 * FIRST_PAIRS / warmup.result.seconds if warmup.exhausted else warmup.attempt_rate
        need = math.ceil(rate * self.ctx.options.seconds * SIZING) + 50
        runs = []
        for _ in range(max(1, self.ctx.options.repeat)):
            for attempt in range(2):
                self.prepare(need)
                run = self._measured(server, body=None, pairs=self.pairs)
                if not run.exhausted:
                    break
                if attempt == 0:
                    print(
                        f"login: the SMS run used all {need} pairs before its end; again with {2 * need}",
                        flush=True,
                    )
                need *= 2
            runs.append(run)
        return self._median("login.sms", runs)

    def _check(self, server: Server, body: str) -> None:
        """One request before the load: refuse to measure an endpoint that does not log in."""
        conn = http.client.HTTPConnection(HOST, server.port, timeout=TIMEOUT)
        try:
            conn.request("POST", TOKENS, body=body, headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            answer = response.read()
        finally:
            conn.close()
        if response.status != 201 or b'"token"' not in answer:
            raise BenchError(f"POST {TOKENS} gave {response.status} {answer[:300]!r}\n{server.log_tail()}")

    def _median(self, name: str, runs: list[LoginRun]) -> LoginRun:
        chosen = sorted(runs, key=lambda r: r.result.rps)[len(runs) // 2]
        if chosen.result.other_cpu >= DISTURBED:
            print(
                f"bench: WARNING {name}: other processes used {chosen.result.other_cpu:.0%} of the "
                "CPUs during the run; req/s are understated",
                flush=True,
            )
        return chosen

    def report(self, name: str, run: LoginRun, baseline: LoadResult) -> None:
        # report()'s shape, with a ratio precise enough for numbers a thousand times smaller.
        ratio = run.result.rps / baseline.rps if baseline.rps else 0.0
        inverse = f" = 1/{1 / ratio:,.0f}" if ratio else ""
        errors = f"  ERRORS {run.result.errors}" if run.result.errors else ""
        print(
            f"{name} [{PRODUCTION.name}]: {run.result.rps:,.1f} req/s  (ratio {ratio:.4f}{inverse} vs "
            f"baseline hello-world {baseline.rps:,.0f} req/s)  p99 {run.result.p99_ms:.1f} ms{errors}",
            flush=True,
        )
        others = ", ".join(
            f"{'socket error/timeout' if status == 0 else status}: {n}"
            for status, n in sorted(run.statuses.items())
            if status != 201
        )
        share = run.ok / run.attempts if run.attempts else 0.0
        line = (
            f"  {name}: {run.ok:,} of {run.attempts:,} requests succeeded (201, {share:.1%}) in "
            f"{run.result.seconds:.1f} s; p50 {run.result.p50_ms:.1f} ms, p99 {run.result.p99_ms:.1f} ms"
        )
        if others:
            line += f"; others: {others}"
        if run.exhausted:
            line += f"; {run.exhausted} sent after the pairs ran out"
        print(line, flush=True)
        if run.ok < run.attempts:
            self.ctx.failures.append(
                f"{name}: only {run.ok} of {run.attempts} logins succeeded ({others or 'no status'})"
            )


# --- the setup, in a child process with its own Django -----------------------------------------


def _argon2() -> dict[str, object]:
    from django.contrib.auth.hashers import check_password, get_hasher, make_password

    hasher = get_hasher()  # the first of PASSWORD_HASHERS: what every new password gets
    encoded = make_password(PASSWORD)
    started = time.perf_counter()
    check_password(PASSWORD, encoded)
    return {
        "algorithm": hasher.algorithm,
        "class": f"{type(hasher).__module__}.{type(hasher).__qualname__}",
        "time_cost": getattr(hasher, "time_cost", None),
        "memory_cost": getattr(hasher, "memory_cost", None),
        "parallelism": getattr(hasher, "parallelism", None),
        "verify_ms": (time.perf_counter() - started) * 1000,
    }


def prepare(out: Path, start: int, count: int, password_user: bool) -> dict[str, object]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from candor.accounts.models import User
    from candor.integrations.sms.models import OutboxMessage
    from candor.verification.services import code_send

    if not settings.CANDOR_SIMULATORS:
        raise SystemExit("the login setup reads codes from the SMS simulator: set CANDOR_SIMULATORS=1")
    info: dict[str, object] = {}
    if password_user:
        call_command("createcachetable", verbosity=0)  # axes' lockout counters without Redis
        User.objects.create_user(username=PASSWORD_USER, password=PASSWORD, nickname=PASSWORD_USER)
        info["hasher"] = _argon2()
    phones = [PHONE.format(index=i) for i in range(start, start + count)]
    now = timezone.now()
    for i, phone in zip(range(start, start + count), phones, strict=True):
        user = User(username=SMS_USER.format(index=i), nickname=SMS_USER.format(index=i))
        user.phone = phone
        user.phone_verified_at = now
        user.set_unusable_password()  # SMS login only
        user.save()
    for i, phone in zip(range(start, start + count), phones, strict=True):
        # One made-up address (198.18.0.0/15, for benchmarks) per 20 codes: the per-address limit.
        block = i // 20
        code_send(
            channel="sms", target=phone, purpose="login", ip=f"198.18.{block // 256 % 256}.{block % 256}"
        )
    codes: dict[str, str] = {}
    for message in OutboxMessage.objects.filter(phone__in=phones).order_by("created_at", "id"):
        found = CODE.search(message.text)
        if found:
            codes[message.phone] = found.group()
    out.write_text("".join(f"{phone} {codes[phone]}\n" for phone in phones if phone in codes))
    return info


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.login")
    sub = parser.add_subparsers(dest="command", required=True)
    setup = sub.add_parser("prepare", help="accounts and SMS login codes for the login benchmark")
    setup.add_argument("--out", type=Path, required=True)
    setup.add_argument("--start", type=int, default=0)
    setup.add_argument("--count", type=int, required=True)
    setup.add_argument("--password-user", action="store_true")
    args = parser.parse_args(argv)
    if os.environ.get("DJANGO_SETTINGS_MODULE") != "bench.settings" or not os.environ.get("CANDOR_VAR_DIR"):
        raise SystemExit("run through `python -m bench login`: it sets up the scratch database and var/")
    info = prepare(args.out, args.start, args.count, args.password_user)
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
