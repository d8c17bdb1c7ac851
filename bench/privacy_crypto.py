"""Reading a page of encrypted rows vs the same page unencrypted (goals: ≤ 1.2×, ≤ 1 extra query).

``python -m bench crypto`` runs it from the harness; ``python -m bench.privacy_crypto`` runs it
alone. It works in a fresh temporary SQLite file and ``CANDOR_VAR_DIR`` (never the developer's
``var/`` or ``DATABASE_URL``), with the test-only models of ``tests.privacy_app``: ``Person``
(phone and ID number encrypted, a blind-index column, a nickname) and ``PlainPerson``, its
column-for-column twin in clear. Each holds ``--rows`` rows, one subject per row. With
``--postgres URL`` it runs against that scratch PostgreSQL database instead (created and
dropped when missing; required empty, and emptied after, when it exists).

One operation is what a request does for a list page: take the first 20 rows, read every
field. The encrypted page runs in a fresh key cache each time, as each request does, so the
key query and 20 key unwraps are paid every time; the plain page runs in the same wrapper. The
two are timed in alternating blocks and the best block of each is kept (noise only adds time).
A second line shows the encrypted page with its keys already cached (a second page in the same
request), which isolates the AES-GCM cost from the extra query.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.harness import BenchError, Context, ScratchPostgres, run_child, setup_django

PAGE = 20
ROWS = 1_000
GOAL_RATIO = 1.2
GOAL_EXTRA_QUERIES = 1


_config: dict[str, str | None] = {"postgres": None}


def configure(*, postgres: str | None = None) -> None:
    """Set from ``python -m bench --postgres URL``: the page is measured there too."""
    _config["postgres"] = postgres


def run(ctx: Context) -> None:
    run_child(ctx, "crypto")
    if _config["postgres"]:
        run_child(ctx, "crypto", "--postgres", _config["postgres"])


def build(rows: int) -> None:
    """Every table of the app (the served page's base layout reads some: the shutdown bar, the
    cart badge), the test-only ``Person`` and ``PlainPerson`` with them, then the rows."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from tests.privacy_app.crypto_models import Person, PlainPerson

    call_command("migrate", "--no-input", verbosity=0)
    with connection.schema_editor() as editor:  # test-only models have no migrations
        editor.create_model(Person)
        editor.create_model(PlainPerson)
    user_model = get_user_model()
    with transaction.atomic():
        users = user_model.objects.bulk_create(
            user_model(username=f"bench-{i}", password="!") for i in range(rows)
        )
        for i, user in enumerate(users):  # save(), not bulk_create: each row takes its subject's key
            values = {"phone": f"138{i:08d}", "id_number": f"110101199003{i:06d}", "nickname": f"用户{i}"}
            Person.objects.create(user=user, **values)
            PlainPerson.objects.create(user=user, **values)


def page(model: Any) -> Callable[[], list[tuple[Any, ...]]]:
    from candor.privacy.crypto import key_scope

    def read() -> list[tuple[Any, ...]]:
        with key_scope():  # one request: its own key cache
            return [(r.phone, r.id_number, r.nickname) for r in model.objects.order_by("pk")[:PAGE]]

    return read


TABLE = (
    "<table>{% for row in rows %}<tr><td>{{ row.nickname }}</td><td>{{ row.phone }}</td>"
    "<td>{{ row.id_number }}</td></tr>{% endfor %}</table>"
)


def rendered_page(model: Any) -> Callable[[], str]:
    """The same page rendered as an HTML table, as a list page would show it."""
    from django.template import engines

    from candor.privacy.crypto import key_scope

    template = engines["django"].from_string(TABLE)

    def render() -> str:
        with key_scope():
            return template.render({"rows": model.objects.order_by("pk")[:PAGE]})

    return render


def _served(request: Any, kind: str) -> Any:
    """A list page as the storefront serves one: the base layout around the 20-row table."""
    from django.http import HttpResponse
    from django.template import engines

    from tests.privacy_app.crypto_models import Person, PlainPerson

    model = Person if kind == "encrypted" else PlainPerson
    template = engines["django"].from_string(
        '{% extends "base.html" %}{% block content %}' + TABLE + "{% endblock %}"
    )
    return HttpResponse(template.render({"rows": model.objects.order_by("pk")[:PAGE]}, request))


def served_page(kind: str) -> Callable[[], bytes]:
    """The page requested through Django's whole stack (middleware, key cache per request)."""
    from django.test import Client

    client = Client()

    def get() -> bytes:
        response = client.get(f"/bench-page/{kind}")
        if response.status_code != 200:
            raise BenchError(f"the served page answered {response.status_code}")
        return bytes(response.content)

    return get


def warm_page(model: Any) -> Callable[[], list[tuple[Any, ...]]]:
    def read() -> list[tuple[Any, ...]]:
        return [(r.phone, r.id_number, r.nickname) for r in model.objects.order_by("pk")[:PAGE]]

    return read


def per_call(work: Callable[[], Any], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        work()
    return (time.perf_counter() - start) / calls


def best_alternating(
    a: Callable[[], Any], b: Callable[[], Any], *, calls: int, rounds: int
) -> tuple[float, float]:
    best_a = best_b = float("inf")
    for _ in range(rounds):
        best_a = min(best_a, per_call(a, calls))
        best_b = min(best_b, per_call(b, calls))
    return best_a, best_b


def queries(work: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        work()
    return len(captured)


def measure(rows: int, calls: int, rounds: int) -> int:
    from django.db import connection

    from candor.privacy.crypto import key_scope
    from tests.privacy_app.crypto_models import Person, PlainPerson

    started = time.perf_counter()
    build(rows)
    print(f"crypto: built {rows:,} encrypted rows and their twins in {time.perf_counter() - started:.1f} s")
    encrypted, plain = page(Person), page(PlainPerson)
    if encrypted() != plain():
        print("crypto: FAILED: the encrypted page does not read back as the plain one", file=sys.stderr)
        return 1
    extra = queries(encrypted) - queries(plain)
    enc_s, plain_s = best_alternating(encrypted, plain, calls=calls, rounds=rounds)
    with key_scope():
        warm_page(Person)()  # the page's keys into this scope's cache
        warm_s, warm_plain_s = best_alternating(
            warm_page(Person), warm_page(PlainPerson), calls=calls, rounds=rounds
        )
    html_s, html_plain_s = best_alternating(
        rendered_page(Person), rendered_page(PlainPerson), calls=calls, rounds=rounds
    )
    from django.test.utils import override_settings

    with override_settings(ROOT_URLCONF=__name__):
        served_s, served_plain_s = best_alternating(
            served_page("encrypted"), served_page("plain"), calls=calls, rounds=rounds
        )
    ratio = enc_s / plain_s
    ok = ratio <= GOAL_RATIO and extra <= GOAL_EXTRA_QUERIES
    print(
        f"crypto page [{connection.display_name}, {PAGE} rows of {PAGE} subjects, 2 encrypted fields each]: "
        f"{enc_s * 1e6:,.0f} µs  (ratio {ratio:.2f} vs baseline same page unencrypted "
        f"{plain_s * 1e6:,.0f} µs)  extra queries {extra}  "
        f"goal ≤ {GOAL_RATIO}× and ≤ {GOAL_EXTRA_QUERIES} query: {'met' if ok else 'NOT met'}",
        flush=True,
    )
    print(
        f"crypto page, keys already cached in the request: {warm_s * 1e6:,.0f} µs  "
        f"(ratio {warm_s / warm_plain_s:.2f} vs {warm_plain_s * 1e6:,.0f} µs unencrypted)",
        flush=True,
    )
    print(
        f"crypto page rendered as an HTML table, fresh keys: {html_s * 1e6:,.0f} µs  "
        f"(ratio {html_s / html_plain_s:.2f} vs {html_plain_s * 1e6:,.0f} µs unencrypted)",
        flush=True,
    )
    served_ratio = served_s / served_plain_s
    print(
        f"crypto page served by Django (middleware, base layout, a fresh key cache per request): "
        f"{served_s * 1e6:,.0f} µs  (ratio {served_ratio:.2f} vs {served_plain_s * 1e6:,.0f} µs plain)  "
        f"goal ≤ {GOAL_RATIO}×: {'met' if served_ratio <= GOAL_RATIO else 'NOT met'}",
        flush=True,
    )
    return 0


def _urlpatterns() -> list[Any]:
    from django.urls import path

    from candor import urls as candor_urls

    # Candor's own patterns too: the base layout links to them.
    return [path("bench-page/<str:kind>", _served), *candor_urls.urlpatterns]


def __getattr__(name: str) -> Any:
    # ROOT_URLCONF points here while the served page is measured; built lazily because the
    # module is imported before Django is set up.
    if name == "urlpatterns":
        return _urlpatterns()
    raise AttributeError(name)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.privacy_crypto", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--calls", type=int, default=300, help="pages per timed block")
    parser.add_argument("--rounds", type=int, default=15, help="alternating blocks per variant")
    parser.add_argument("--dir", type=Path, help="scratch directory (default: a temporary one, removed)")
    parser.add_argument(
        "--postgres", metavar="URL",
        help="run against this empty scratch PostgreSQL database instead (tables made and dropped here)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    scratch = args.dir or Path(tempfile.mkdtemp(prefix="candor-bench-crypto-"))
    scratch.mkdir(parents=True, exist_ok=True)
    for stale in scratch.glob("crypto.sqlite3*"):  # a kept --dir from an earlier run
        stale.unlink()
    database = ScratchPostgres(args.postgres) if args.postgres else None
    try:
        if database is not None:
            database.create()  # created, or required empty; dropped or emptied below
        setup_django(scratch, "crypto.sqlite3", database_url=args.postgres)
        return measure(args.rows, args.calls, args.rounds)
    finally:
        try:
            if database is not None:
                from django.db import connections

                connections.close_all()
                database.drop()
        finally:
            if args.dir is None:
                shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
