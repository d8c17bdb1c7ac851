"""Acceptance: 1,000 buyers race for 200 units against the real server, and none is oversold.

A SKU with 200 units in one warehouse; 1,000 "buy now" orders (``POST /api/v1/orders`` with
``lines``), each with its own idempotency key, from a few dozen buyers' bearer tokens, sent by
48 threads at once to ``candor serve``'s server (granian, 2 workers × 8 threads: 16 requests in
Django at a time) — see ``live``. The database is the suite's kind: a SQLite file in WAL mode
(IMMEDIATE transactions, as ``candor.settings`` configures it), or, when ``DATABASE_URL`` is set,
a PostgreSQL database of its own.

Exactly 200 requests are answered 201 and every other one a clean 409 ``out_of_stock``: no 500,
no "database is locked" reaching a buyer or the server log. Read back with plain SQL: 200
purchases with one order each, each order with its line and the line with its reservation (the
stock row set, not released), the reserved units sum to 200 and the warehouse has 0 left.

The abnormal-order check (``orders/risk.py``) would hold most of these orders — all come from
one network address, a few dozen accounts and one delivery address. Holding is not refusing (a
held order is placed and keeps its stock), so it cannot change the count; the server runs with
the limits raised so that the run tests stock alone, and the test checks none was held.

Not a timing test: nothing here asserts how fast it went.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.harness import HOST, Server
from candor.orders.tests import live
from candor.orders.tests.factories import RECIPIENT

STOCK = 200
ATTEMPTS = 1_000
THREADS = 48
BUYERS = 40
UNLIMITED = str(10**9)
BUSY_RETRIES = 30


def _attempts(sku_id: int, tokens: list[str], port: int) -> list[tuple[int, dict[str, object]]]:
    """Send every attempt from ``THREADS`` keep-alive connections. A ``503 busy`` (SQLite's
    writer queue outlasting its busy timeout on a loaded machine) is retried as a client would,
    after its ``Retry-After``, with the same idempotency key — safe, because the refused request
    changed nothing and a repeated key returns the first purchase."""
    local = threading.local()

    def send(i: int, key: str) -> tuple[int, dict[str, object]]:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection(HOST, port, timeout=60)
        body = {
            "payment_method": "cod" if i % 2 else "alipay",
            "recipient": RECIPIENT,
            "lines": [{"sku_id": sku_id, "quantity": 1}],
        }
        headers = {
            "Authorization": f"Bearer {tokens[i % len(tokens)]}",
            "Idempotency-Key": key,
            "Content-Type": "application/json",
            "Accept-Language": "en",
        }
        try:
            conn.request("POST", "/api/v1/orders", body=json.dumps(body), headers=headers)
            response = conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            local.conn = None
            return 0, {"error": repr(exc)}
        try:
            answer = json.loads(raw)
        except ValueError:
            answer = {"unparsed": raw[:300].decode(errors="replace")}
        return response.status, answer

    def attempt(i: int) -> tuple[int, dict[str, object]]:
        key = f"contention-{i:04d}-{uuid.uuid4().hex[:12]}"
        for _try in range(BUSY_RETRIES):
            status, answer = send(i, key)
            if not (status == 503 and answer.get("code") == "busy"):
                return status, answer
            time.sleep(1)
        return status, answer

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(attempt, range(ATTEMPTS)))


def test_stock_200_is_sold_exactly_once_to_1000_concurrent_buyers(tmp_path: Path) -> None:
    with live.Database(tmp_path, os.environ.get("DATABASE_URL")) as database:
        env = live.server_env(
            tmp_path,
            database,
            CANDOR_RISK_ACCOUNT_PER_HOUR=UNLIMITED,
            CANDOR_RISK_IP_PER_HOUR=UNLIMITED,
            CANDOR_RISK_DEVICE_PER_HOUR=UNLIMITED,
            CANDOR_RISK_ACCOUNTS_PER_ADDRESS=UNLIMITED,
        )
        info = live.setup(env, stock=STOCK, users=BUYERS)
        sku_id = info["sku_id"]
        with Server(live.SERVE, env, tmp_path) as server:
            answers = _attempts(sku_id, info["tokens"], server.port)
        log = server.log_path.read_text(errors="replace")

        statuses = Counter(status for status, _answer in answers)
        unexpected = [(s, a) for s, a in answers if s not in (201, 409)][:5]
        assert statuses == {201: STOCK, 409: ATTEMPTS - STOCK}, (statuses, unexpected)
        refusals = Counter(a.get("code") for s, a in answers if s == 409)
        assert refusals == {"out_of_stock": ATTEMPTS - STOCK}, refusals
        assert all(a.get("message") for s, a in answers if s == 409)  # a message for the buyer
        for needle in ("database is locked", "Traceback", "Internal Server Error"):
            assert needle not in log, log[-3000:]

        created = [a for s, a in answers if s == 201]
        placed = {a["number"] for a in created}
        assert len(placed) == STOCK
        assert all(a["status"] in ("pending", "confirmed") and len(a["orders"]) == 1 for a in created)

        assert database.one("SELECT quantity FROM catalog_stock WHERE sku_id = %s", [sku_id]) == 0
        assert database.one("SELECT count(*) FROM catalog_stock WHERE quantity < 0") == 0
        assert {row[0] for row in database.all("SELECT number FROM orders_purchase")} == placed
        assert database.one("SELECT count(*) FROM orders_order") == STOCK
        lines = database.all(
            "SELECT l.order_id, l.quantity, l.stock_id, l.released_at, s.sku_id FROM orders_orderline l "
            "LEFT JOIN catalog_stock s ON s.id = l.stock_id"
        )
        assert len(lines) == STOCK
        assert len({line[0] for line in lines}) == STOCK  # every order has its line
        assert all(stock_id is not None and released is None for _o, _q, stock_id, released, _s in lines)
        assert all(line_sku == sku_id for *_rest, line_sku in lines)
        assert sum(quantity for _o, quantity, *_rest in lines) == STOCK
        assert database.one("SELECT count(*) FROM orders_order WHERE held_reason <> ''") == 0
