"""``Api``: the tests' JSON client for ``/api/v1`` — a method, a path under it, a body as JSON
(a str or bytes body goes as it is, for malformed-input tests) and the reader's language."""

from __future__ import annotations

import json
from typing import Any


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
