"""Third-party bindings and the app client's WeChat login.

``POST /connect/wechat`` takes the code a WeChat mobile app obtained through the WeChat SDK
(the same open-platform code exchange as web login: ``/sns/oauth2/access_token`` then
``/sns/userinfo``), finds or creates the account exactly as the web login does, and logs the
session in — or, with ``token: true``, answers with a bearer token and keeps no session.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import logout
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from candor.accounts import tokens
from candor.api.csrf import require_csrf
from candor.api.errors import ErrorOut
from candor.sociallogin import selectors, services
from candor.sociallogin.errors import UnknownPlatform

router = Router(tags=["sociallogin"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class BindingOut(Schema):
    provider: str = Field(description="weixin or qq")
    platform: str
    nickname: str
    bound_at: datetime
    last_login: datetime


class WeChatLoginIn(Schema):
    code: str = Field(min_length=1, max_length=512, description="the code from the WeChat SDK")
    token: bool = Field(False, description="an app client: answer with a bearer token, keep no session")
    device_name: str = Field("", max_length=64)


class AccountOut(Schema):
    username: str
    display_name: str
    created: bool = Field(description="true when this login created the account")
    token: str | None = Field(None, description="the bearer token, when one was asked for")


@router.get(
    "/connect/bindings",
    response={200: list[BindingOut], **ERRORS},
    auth=django_auth,
    summary="Bound platforms",
)
def bindings_list(request: HttpRequest) -> list[Any]:
    return selectors.bindings_of(request.user.pk)


@router.delete(
    "/connect/bindings/{provider}",
    response={204: None, **ERRORS},
    auth=django_auth,
    summary="Unbind a platform",
)
def binding_delete(request: HttpRequest, provider: str) -> Status[None]:
    if provider not in selectors.PLATFORMS:
        raise UnknownPlatform()
    services.binding_remove(user_id=request.user.pk, provider=provider)
    return Status(204, None)


@router.post("/connect/wechat", response={200: AccountOut, **ERRORS}, summary="Log in with a WeChat app code")
def wechat_login(request: HttpRequest, payload: WeChatLoginIn) -> dict[str, Any]:
    if not payload.token:  # a session login: no login CSRF
        require_csrf(request)
    user, created = services.app_login(request=request, provider="weixin", code=payload.code)
    token = None
    if payload.token:
        # allauth's flow logged the session in; an app client gets a token instead.
        logout(request)
        token, _row = tokens.token_issue(user=user, name=payload.device_name)
    name = user.nickname or user.username
    return {"username": user.username, "display_name": name, "created": created, "token": token}
