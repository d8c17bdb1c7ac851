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

from typing import Any

import orjson
from django.http import HttpResponse

CONTENT_TYPE = "application/json; charset=utf-8"


def encode(data: Any) -> bytes:
    return orjson.dumps(data)


def json_response(data: Any, *, status: int = 200) -> HttpResponse:
    """``data`` — dicts, lists, str, int, bool and None only — as the answer's JSON."""
    return HttpResponse(encode(data), content_type=CONTENT_TYPE, status=status)
