"""``candor search reindex``: rebuild the product search index from the catalog (after a bulk
load that bypassed the catalog's services, such as demo data or the 100k generator), in batches
of ``--batch`` products; ``candor search query <words>`` prints what a search finds (a check
from the shell)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from candor.search import index, selectors


class Command(BaseCommand):
    help = "Product search index."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        reindex = actions.add_parser("reindex", help="rebuild the index from every active product")
        reindex.add_argument("--batch", type=int, default=index.BATCH)
        query = actions.add_parser("query", help="print the first page of a search")
        query.add_argument("words")
        query.add_argument("--sort", default="relevance")
        query.add_argument("--lang", default="zh-hans")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "reindex":
            started = time.perf_counter()
            done = index.reindex_all(batch=max(1, options["batch"]))
            self.stdout.write(f"indexed {done} products in {time.perf_counter() - started:.1f} s")
        else:
            found = selectors.search(q=options["words"], lang=options["lang"], sort=options["sort"])
            for hit in found.items:
                self.stdout.write(f"{hit.card.id}\t{hit.card.price}\t{hit.card.sales_count}\t{hit.card.name}")
            self.stdout.write(f"{found.total}{'' if found.total_exact else '+'} found")
