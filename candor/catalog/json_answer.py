"""A JSON answer for the list and search operations of the API, written without ninja's
second pass over it.

Ninja validates what an operation returns against its ``response`` schema, field by field
through pydantic, then encodes it with Django's encoder: for a page of 20 products that cost
more than the three SQL statements behind it (issue #5's bench: the API list at 0.24× a
raw-SQL view of the same rows). The list and search operations build their rows field by
field in the shape of the schema they still declare (``response=`` keeps it in OpenAPI), and
``catalog/tests/test_fast_paths.py`` and ``search/tests/test_api_shape.py`` validate their
real answers against it.

Encoded by orjson, a dependency for this (a page of 20 cards: 6 µs against 45–95 µs for the
standard library's encoder, on a request of under a millisecond): compact UTF-8 JSON.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson
from django.http import HttpResponse

if TYPE_CHECKING:  # pragma: no cover
    from candor.catalog.selectors import Card

CONTENT_TYPE = "application/json; charset=utf-8"


def encode(data: Any) -> bytes:
    return orjson.dumps(data)


def json_response(data: Any, *, status: int = 200) -> HttpResponse:
    """``data`` — dicts, lists, str, int, bool and None only — as the answer's JSON."""
    return HttpResponse(encode(data), content_type=CONTENT_TYPE, status=status)


def card_json(card: Card) -> dict[str, Any]:
    """A product card as the API writes it (``catalog.api.ProductCardOut``; a search hit adds
    its highlighted name)."""
    return {
        "id": card.id, "name": card.name, "subtitle": card.subtitle, "brand": card.brand,
        "price_fen": card.price_fen, "price": card.price, "sales_count": card.sales_count,
        "is_service": card.is_service, "merchant": card.merchant_slug,
        "merchant_name": card.merchant_name, "image_url": card.image_url,
    }  # fmt: skip
