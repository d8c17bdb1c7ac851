"""A JSON answer for the list and search operations of the API, written without ninja's
second pass over it.

Ninja validates what an operation returns against its ``response`` schema, field by field
through pydantic, then encodes it with Django's encoder: for a page of 20 products that cost
more than the three SQL statements behind it (issue #5's bench: the API list at 0.24× a
raw-SQL view of the same rows). The list and search operations build their rows field by
field in the shape of the schema they still declare (``response=`` keeps it in OpenAPI), and
``catalog/tests/test_fast_paths.py`` and ``search/tests/test_api_shape.py`` validate their
real answers against it.

Encoded by orjson when it is installed (a page of 20 cards: 6 µs against 45–95 µs for the
standard library's encoder, on a request of under a millisecond), else by ``json``; both
write compact UTF-8 JSON of the same values.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse

try:
    import orjson
except ImportError:  # pragma: no cover - the standard library's encoder then
    orjson = None

CONTENT_TYPE = "application/json; charset=utf-8"


def encode(data: Any) -> bytes:
    if orjson is not None:
        return orjson.dumps(data)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def json_response(data: Any, *, status: int = 200) -> HttpResponse:
    """``data`` — dicts, lists, str, int, bool and None only — as the answer's JSON."""
    return HttpResponse(encode(data), content_type=CONTENT_TYPE, status=status)
