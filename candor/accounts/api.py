"""Session login for the web client; token login for apps arrives with the accounts issue."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema
from ninja.utils import check_csrf

from candor.accounts.selectors import session_state
from candor.api.errors import ErrorOut
from candor.errors import CandorError

router = Router(tags=["session"])


class SessionOut(Schema):
    authenticated: bool
    username: str | None
    display_name: str | None


class LoginIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)


class InvalidCredentials(CandorError):
    status = 400
    code = "invalid_credentials"

    def __init__(self) -> None:
        super().__init__(gettext_lazy("Account name or password is incorrect."))


@router.get("/session", response=SessionOut, summary="Who is logged in")
def session_get(request: HttpRequest) -> dict[str, Any]:
    return session_state(user=request.user)


@router.post(
    "/session", response={200: SessionOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut}, summary="Log in"
)
def session_create(request: HttpRequest, payload: LoginIn) -> dict[str, Any]:
    # Login CSRF: a hostile page must not log a visitor into the attacker's account.
    if check_csrf(request) is not None:
        raise CandorError(gettext_lazy("The form expired; reload the page."), code="csrf_failed", status=403)
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise InvalidCredentials()
    login(request, user)
    return session_state(user=user)


@router.delete("/session", response=SessionOut, summary="Log out")
def session_delete(request: HttpRequest) -> dict[str, Any]:
    logout(request)
    return session_state(user=request.user)
