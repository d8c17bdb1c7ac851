"""The one error shape of the whole API: ``{"code", "message", "fields"}``.

Every error a client can meet — validation, unknown path, wrong method, missing consent,
an unexpected crash — answers in this shape, with ``message`` in the request's language
(LocaleMiddleware has activated it from the session, cookie or Accept-Language).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from candor.errors import CandorError

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"  # every path under it answers errors in the shape below


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


def status_code_name(status: int) -> str:
    return {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        413: "payload_too_large",
        415: "unsupported_media_type",
        422: "validation_error",
        429: "too_many_requests",
    }.get(status, "internal_error" if status >= 500 else "error")


def status_message(status: int) -> str:
    messages = {
        400: _("The request could not be understood."),
        401: _("Please log in first."),
        403: _("You do not have permission to do this."),
        404: _("Nothing was found at this address."),
        405: _("This method is not allowed here."),
        409: _("This conflicts with the current state; reload and try again."),
        413: _("The request is too large."),
        415: _("This content type is not supported."),
        422: _("Some fields are invalid."),
        429: _("Too many requests; please wait a moment and try again."),
    }
    if status >= 500:
        return _("Something went wrong on our side. Nothing was changed; please try again.")
    return messages.get(status, _("The request could not be completed."))


def error_response(
    status: int,
    *,
    code: str | None = None,
    message: str | None = None,
    fields: dict[str, list[str]] | None = None,
    extra: dict[str, Any] | None = None,
) -> JsonResponse:
    body: dict[str, Any] = {
        "code": code or status_code_name(status),
        "message": message or status_message(status),
        "fields": fields or {},
    }
    body.update(extra or {})
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _validation_message(error: dict[str, Any]) -> str:
    """Pydantic's messages are English only; translate the common kinds, keep ours."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"string_too_short", "too_short"} and "min_length" in ctx:
        return _("Ensure this value has at least %(n)s characters.") % {"n": ctx["min_length"]}
    if kind in {"string_too_long", "too_long"} and "max_length" in ctx:
        return _("Ensure this value has at most %(n)s characters.") % {"n": ctx["max_length"]}
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"float_parsing", "float_type", "decimal_parsing"}:
        return _("Enter a number.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind == "string_type":
        return _("Enter text.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Ensure this value is at least %(n)s.") % {"n": ctx.get("ge", ctx.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Ensure this value is at most %(n)s.") % {"n": ctx.get("le", ctx.get("lt"))}
    if kind in {"enum", "literal_error"}:
        return _("Select a valid choice.")
    if kind in {"date_parsing", "date_from_datetime_parsing", "datetime_parsing"}:
        return _("Enter a valid date.")
    if kind == "value_error":
        # Our own validators raise ValueError with a message already in the user's language.
        return str(ctx.get("error") or error.get("msg", "")).removeprefix("Value error, ")
    return _("Enter a valid value.")


def _field_name(loc: Iterable[Any]) -> str:
    """``("body", "payload", "name")`` -> ``"name"``; ``("query", "page")`` -> ``"page"``."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
    # Ninja nests a body schema under its parameter name; the client never sees that name.
    if len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def validation_fields(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(_validation_message(error))
    return fields


def install(api: NinjaAPI) -> None:
    """Register the error shape for every exception the API can meet."""

    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> JsonResponse:
        return error_response(422, fields=validation_fields(list(exc.errors)))

    @api.exception_handler(CandorError)
    def on_candor(request: HttpRequest, exc: CandorError) -> JsonResponse:
        return error_response(
            exc.status, code=exc.code, message=str(exc.message), fields=exc.fields, extra=exc.extra
        )

    @api.exception_handler(AuthenticationError)
    def on_auth(request: HttpRequest, exc: AuthenticationError) -> JsonResponse:
        return error_response(401)

    @api.exception_handler(HttpError)
    def on_http(request: HttpRequest, exc: HttpError) -> JsonResponse:
        # Ninja raises HttpError(400) from the JSONDecodeError of a malformed body.
        if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
            return error_response(400, message=_("The request body is not valid JSON."))
        return error_response(exc.status_code)

    @api.exception_handler(Http404)
    def on_404(request: HttpRequest, exc: Http404) -> JsonResponse:
        return error_response(404)

    @api.exception_handler(PermissionDenied)
    def on_403(request: HttpRequest, exc: PermissionDenied) -> JsonResponse:
        return error_response(403)

    @api.exception_handler(OperationalError)
    def on_busy(request: HttpRequest, exc: OperationalError) -> JsonResponse:
        # SQLite's one writer at a time: a write that waited out the busy timeout is refused as
        # "busy, retry" rather than a crash. Its transaction was rolled back, so nothing changed
        # and a retry with the same idempotency key is safe.
        if "locked" not in str(exc):
            return on_crash(request, exc)
        logger.warning("database busy on %s %s", request.method, request.path)
        response = error_response(
            503, code="busy", message=_("The shop is very busy just now. Please try again in a moment.")
        )
        response["Retry-After"] = "1"
        return response

    @api.exception_handler(Exception)
    def on_crash(request: HttpRequest, exc: Exception) -> JsonResponse:
        logger.exception("API crash on %s %s", request.method, request.path)
        return error_response(500)
