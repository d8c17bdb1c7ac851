"""Demo catalog for ``make run``: seven merchants (one self-operated), a two-level category
tree over phones, computers, appliances, home, food and services, and a few thousand bilingual
products with SKUs and stock — made deterministically from word lists (see generate.py)."""

from __future__ import annotations

from typing import TextIO

from candor.catalog import generate
from candor.catalog.models import Product

DEMO_PRODUCTS = 3000


def load(stdout: TextIO) -> None:
    if Product.objects.exists():
        return
    ids = generate.products_generate(count=DEMO_PRODUCTS, seed=5)
    stdout.write(f"Catalog: {len(ids)} products from {len(generate.MERCHANTS)} merchants.\n")
