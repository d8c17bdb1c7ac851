"""The in-process half of the checkout benchmark (``bench.checkout``), run in its child process:
one order taken from placing to completion with its queries counted per step, and the rate of
placing orders through the app against the raw SQL of the same rows (``bench.checkout_raw``).
"""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
LANG = "zh-hans"


def _sim_tables() -> tuple[str, ...]:
    from candor.integrations.carrier.models import SimShipment, SimTrace
    from candor.integrations.payment.models import SimRefund, SimTrade

    return tuple(m._meta.db_table for m in (SimTrade, SimRefund, SimShipment, SimTrace))


def describe(sql: str) -> str:
    """A query in a few words: its verb (COUNT for a count) and first table."""
    words = sql.replace('"', "").replace("(", " ( ").split()
    upper = [w.upper() for w in words]
    verb = upper[0] if upper else "?"
    if verb == "SELECT" and "COUNT(" in sql.upper().replace(" ", ""):
        verb = "COUNT"
    for i, word in enumerate(upper[:-1]):
        if word in {"FROM", "INTO", "UPDATE"} and words[i + 1] != "(":
            return f"{verb} {words[i + 1]}"
    return verb


class Lifecycle:
    """place → pay (Alipay simulator) → ship → deliver (four carrier scans) → confirm."""

    def __init__(self, prepared: dict[str, Any], recipient: dict[str, str]) -> None:
        from candor.accounts.models import User

        self.sku_id = prepared["sku_id"]
        self.buyer = User.objects.get(pk=prepared["buyer_ids"][0])
        self.staff = User.objects.get(pk=prepared["staff_id"])
        self.buyer_auth = {"HTTP_AUTHORIZATION": f"Bearer {prepared['tokens'][0]}"}
        self.staff_auth = {"HTTP_AUTHORIZATION": f"Bearer {prepared['staff_token']}"}
        self.recipient = recipient
        self.sim = _sim_tables()
        self.counts: dict[str, dict[str, Any]] = {}
        self.described: dict[str, list[str]] = {}

    def _split(self, captured: CaptureQueriesContext) -> tuple[list[str], int]:
        """The app's queries (described) and how many were the simulators' own."""
        app, sim = [], 0
        for query in captured.captured_queries:
            sql = query["sql"].lstrip()
            if sql.upper().startswith(_CONTROL):
                continue
            if any(f'"{table}"' in sql or f" {table} " in sql for table in self.sim):
                sim += 1
            else:
                app.append(describe(sql))
        return app, sim

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        from candor.privacy import crypto

        with CaptureQueriesContext(connection) as captured, crypto.key_scope(), translation.override(LANG):
            yield
        app, sim = self._split(captured)
        self.counts[name] = {**self.counts.get(name, {}), "app": len(app), "sim": sim}
        self.described[name] = app

    def _api(self, method: str, path: str, auth: dict[str, str], data: Any = None, **extra: str) -> Any:
        response = Client().generic(
            method, f"/api/v1{path}", data=json_body(data), content_type="application/json", **auth, **extra
        )
        if response.status_code not in (200, 201):
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.content[:300]!r}")
        return response.json()

    def _browser_pays(self, start: dict[str, Any], number: str) -> None:
        """The buyer's browser submits the start form to the simulated Alipay, then presses Pay."""
        from candor.integrations.payment import simulator

        url = urlsplit(start["url"])
        if url.scheme not in ("", "inprocess") or not url.path.startswith("/_sim/"):
            raise RuntimeError(f"the payment start points at {start['url']}, not this site's simulator")
        client = Client()
        if start["method"] == "GET":
            client.get(f"{url.path}?{url.query}")
        else:
            client.post(
                url.path, urlencode(start["fields"]), content_type="application/x-www-form-urlencoded"
            )
        simulator.pay("alipay", number)

    def _deliver(self, waybill: str) -> None:
        """The carrier's four scans, each pushed with the trace so far; app queries per scan kept."""
        from candor.integrations.carrier import simulator

        scans = []
        for _scan in range(4):
            with CaptureQueriesContext(connection) as captured:
                simulator.advance(waybill)
            scans.append(len(self._split(captured)[0]))
        self.counts["deliver"] = {"scans": scans}

    def _waybill(self, order_number: str) -> str:
        from candor.fulfillment.models import Shipment

        return Shipment.objects.get(order__number=order_number).waybill_no

    def complete_via_api(self) -> dict[str, dict[str, Any]]:
        self.counts, self.described = {}, {}
        body = {
            "payment_method": "alipay",
            "recipient": self.recipient,
            "lines": [{"sku_id": self.sku_id, "quantity": 1}],
        }
        with self.step("place"):
            placed = self._api("POST", "/orders", self.buyer_auth, body, HTTP_IDEMPOTENCY_KEY=new_key())
        purchase, order = placed["number"], placed["orders"][0]["number"]
        with self.step("pay: start"):
            start = self._api("POST", f"/purchases/{purchase}/pay", self.buyer_auth, {"method": "alipay"})
        with self.step("pay: notification"):
            self._browser_pays(start, purchase)
        with self.step("ship"):
            self._api("POST", f"/merchant/orders/{order}/ship", self.staff_auth, {})
        waybill = self._waybill(order)
        with self.step("deliver"):
            self._deliver(waybill)
        with self.step("confirm"):
            done = self._api("POST", f"/orders/{order}/confirm", self.buyer_auth)
        if done["status"] != "completed":
            raise RuntimeError(f"order {order} ended {done['status']}, not completed")
        return self.counts

    def complete_via_services(self) -> dict[str, dict[str, Any]]:
        from candor.fulfillment.services import shipment_create
        from candor.orders.checkout import CheckoutForm, ClientSignals, purchase_place
        from candor.orders.models import Order
        from candor.orders.services import order_confirm_received
        from candor.payments.services import payment_start

        self.counts, self.described = {}, {}
        form = CheckoutForm(payment_method="alipay", recipient=self.recipient, lines={self.sku_id: 1})
        base = str(settings.CANDOR_PUBLIC_BASE_URL).rstrip("/")
        with self.step("place"):
            purchase, _created = purchase_place(
                user=self.buyer,
                idempotency_key=new_key(),
                form=form,
                client=ClientSignals(ip="198.18.0.1", device=""),
            )
        with self.step("pay: start"):
            start = payment_start(
                user=self.buyer, purchase_number=purchase.number, method="alipay", notify_base=base,
                return_url=f"{base}/payments/{purchase.number}/return/",
            )  # fmt: skip
        with self.step("pay: notification"):
            self._browser_pays(
                {"url": start.url, "method": start.method, "fields": dict(start.fields)}, purchase.number
            )
        order = Order.objects.get(purchase=purchase)
        with self.step("ship"):
            shipment_create(order=order, actor_id=self.staff.pk)
        waybill = self._waybill(order.number)
        with self.step("deliver"):
            self._deliver(waybill)
        with self.step("confirm"):
            done = order_confirm_received(user=self.buyer, order_number=order.number)
        if done.status != Order.Status.COMPLETED:
            raise RuntimeError(f"order {order.number} ended {done.status}, not completed")
        return self.counts


def json_body(data: Any) -> str | None:
    import json

    return None if data is None else json.dumps(data)


_keys = itertools.count(1)
_run = secrets.token_hex(4)


def new_key() -> str:
    return f"bench-{_run}-{next(_keys)}"


def _rate(place: Callable[[], None], seconds: float) -> tuple[float, float]:
    """Orders/s of ``place`` called for ``seconds`` once the machine is quiet, and the share of
    the CPUs other processes used meanwhile."""
    from bench.harness import CpuSample, wait_quiet

    wait_quiet(5)
    sample = CpuSample.take()
    done = 0
    start = time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        place()
        done += 1
    return done / elapsed, CpuSample.take().other_since(sample)


def _best(runs: list[tuple[float, float]]) -> tuple[float, bool]:
    """The best rate of the runs other processes left alone (of all, flagged, if none was)."""
    from bench.harness import DISTURBED

    quiet = [rate for rate, other in runs if other < DISTURBED]
    return (max(quiet), False) if quiet else (max(rate for rate, _other in runs), True)


def throughput(
    prepared: dict[str, Any], recipient: dict[str, str], *, rounds: int, seconds: float
) -> tuple[float, float, bool]:
    """Best orders/s of the app's checkout and of the raw SQL of its rows, in alternating rounds;
    and whether every round of either was disturbed by other processes."""
    from bench.checkout_raw import RawCheckout
    from candor.accounts.models import User
    from candor.orders.checkout import CheckoutForm, ClientSignals, purchase_place
    from candor.privacy import crypto

    buyers = itertools.cycle(list(User.objects.filter(pk__in=prepared["buyer_ids"])))
    form = CheckoutForm(payment_method="cod", recipient=recipient, lines={prepared["sku_id"]: 1})
    client = ClientSignals(ip="198.18.0.2", device="bench")

    def app() -> None:
        with crypto.key_scope(), translation.override(LANG):  # as each request has its own
            purchase_place(user=next(buyers), idempotency_key=new_key(), form=form, client=client)

    template, _created = purchase_place(
        user=next(buyers), idempotency_key=new_key(), form=form, client=client
    )
    raw = RawCheckout(template.pk)
    for _warm in range(20):
        app()
        raw.place()
    app_runs, raw_runs = [], []
    for _round in range(rounds):
        app_runs.append(_rate(app, seconds))
        raw_runs.append(_rate(raw.place, seconds))
    (app_rate, app_disturbed), (raw_rate, raw_disturbed) = _best(app_runs), _best(raw_runs)
    return app_rate, raw_rate, app_disturbed or raw_disturbed
