"""What travels between Candor and the institutions: form bodies, header look-ups, JSON text.

Reading is strict on purpose. A notification whose body does not parse, repeats a field or is
not UTF-8 is refused rather than guessed at: with two ``total_amount`` fields, the one the
signature covered need not be the one Candor would read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta, timezone
from typing import Any
from urllib.parse import parse_qsl, urlencode

# The institutions write Beijing time; China has had no daylight saving since 1991.
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")


class Malformed(ValueError):
    pass


def parse_form(body: bytes) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body (UTF-8) as a dict; ``Malformed`` if a
    field repeats or the body does not parse."""
    try:
        pairs = parse_qsl(body.decode("ascii"), keep_blank_values=True, strict_parsing=bool(body),
                          encoding="utf-8", errors="strict")  # fmt: skip
    except (UnicodeDecodeError, ValueError) as exc:
        raise Malformed("the form does not parse") from exc
    params = dict(pairs)
    if len(params) != len(pairs):
        raise Malformed("a field repeats")
    return params


def form_body(params: Mapping[str, str]) -> bytes:
    return urlencode(params).encode()


def header(headers: Mapping[str, str], name: str) -> str:
    """``headers[name]`` whatever the case (Django's ``request.headers`` already is; a plain
    dict from a test or another framework may not be)."""
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), "")
    return value


def compact_json(value: Any) -> str:
    """JSON as the institutions write it: no spaces, Chinese as itself."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
