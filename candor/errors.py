"""Errors that any layer may raise and that the API and web turn into a clear 4xx answer.

A service raises ``CandorError`` (or a subclass such as the privacy core's
``ConsentRequired``) with a stable machine ``code`` and a message already marked for
translation; the API renders it in the one error shape, in the request's language.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class CandorError(Exception):
    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        status: int | None = None,
        fields: dict[str, list[str]] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.fields = fields or {}
        # Extra top-level members of the error body, e.g. the purpose a consent error names.
        self.extra = extra or {}
