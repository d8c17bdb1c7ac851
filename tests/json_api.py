"""``Api``: the tests' JSON client for ``/api/v1`` — a method, a path under it, a body as JSON
(a str or bytes body goes as it is, for malformed-input tests) and the reader's language.
``exactly(schema, body)``: an answer written without ninja's response validation is still
exactly the schema it declares."""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter


class Api:
    def __init__(self, client: Any, *, lang: str = "en") -> None:
        self.client = client
        self.lang = lang

    def call(self, method: str, path: str, data: Any = None, lang: str | None = None, **extra: Any) -> Any:
        return self.client.generic(
            method.upper(),
            f"/api/v1{path}",
            data=data if data is None or isinstance(data, str | bytes) else json.dumps(data),
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE=lang or self.lang,
            **extra,
        )


def exactly(schema: Any, body: dict[str, Any]) -> None:
    """``body`` validates against ``schema`` strictly (no coercion: "1" is not an int, 1 is
    not a bool) and has exactly its fields, at the top and in each of its ``items``."""
    TypeAdapter(schema).validate_python(body, strict=True)
    assert set(body) == set(schema.model_fields)
    item_schema = schema.model_fields["items"].annotation.__args__[0]
    for item in body["items"]:
        assert set(item) == set(item_schema.model_fields)
