"""``candor catalog generate --products 100000 --users 10000 [--history 20]``: a benchmark
catalog, bench accounts and their browsing history, in bulk."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from candor.catalog import generate


class Command(BaseCommand):
    help = "Catalog tools: generate a benchmark catalog."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        gen = sub.add_parser(
            "generate", help="Create products (with SKUs and stock), users and their history."
        )
        gen.add_argument("--products", type=int, default=100_000)
        gen.add_argument("--users", type=int, default=0)
        gen.add_argument("--history", type=int, default=0, help="Browsing-history rows per generated user.")
        gen.add_argument("--seed", type=int, default=5)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        product_ids = generate.products_generate(
            count=options["products"], seed=options["seed"], stdout=self.stdout
        )
        self.stdout.write(f"{len(product_ids)} products in {time.perf_counter() - started:.1f} s")
        if options["users"]:
            started = time.perf_counter()
            user_ids = generate.users_generate(count=options["users"])
            self.stdout.write(f"{len(user_ids)} users in {time.perf_counter() - started:.1f} s")
            if options["history"] and product_ids:
                rows = generate.history_generate(
                    user_ids=user_ids,
                    product_ids=product_ids,
                    per_user=options["history"],
                    seed=options["seed"],
                )
                self.stdout.write(f"{rows} browsing-history rows")
