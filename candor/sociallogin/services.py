"""Writes of third-party login and binding, each with its audit row in the same transaction.

allauth runs the OAuth handshake and calls these through ``adapter.py``: a first login creates
an account (``social_signup_record``), a login of a bound account refreshes the kept nickname
and avatar (``social_login_record``), a logged-in person binds another platform
(``binding_add``) or unbinds one (``binding_remove``).
"""

from __future__ import annotations

import secrets
from typing import Any

from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from requests import RequestException

from candor.privacy import audit, taxonomy
from candor.sociallogin.errors import (
    AlreadyBound,
    BoundElsewhere,
    LastLoginMethod,
    NotBound,
    PlatformLoginFailed,
    UnknownPlatform,
)

KEPT = ["date_joined", "extra_data", "last_login", "provider", "uid"]
USERNAME_PREFIX = {"weixin": "wx", "qq": "qq"}


def _target(account: SocialAccount) -> str:
    return f"socialaccount.socialaccount:{account.pk}"


def username_generate(*, provider: str) -> str:
    """An account name that says nothing about the person (never the platform nickname)."""
    user_model = get_user_model()
    while True:
        candidate = f"{USERNAME_PREFIX.get(provider, provider)}_{secrets.token_hex(5)}"
        if not user_model.objects.filter(username__iexact=candidate).exists():
            return candidate


def social_signup_record(*, account: SocialAccount) -> None:
    """Audit the account and binding that allauth just created (call inside its transaction)."""
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=account.user_id,
        subject_id=account.user_id,
        target=_target(account),
        fields=KEPT,
        purpose=taxonomy.REGISTRATION.code,
        detail={"event": "bind", "provider": account.provider, "via": "signup"},
    )


@transaction.atomic
def social_login_record(*, account: SocialAccount) -> None:
    """Audit a login of a bound account: allauth refreshed its nickname, avatar and login time."""
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=account.user_id,
        subject_id=account.user_id,
        target=_target(account),
        fields=["extra_data", "last_login"],
        purpose=taxonomy.REGISTRATION.code,
        detail={"event": "login", "provider": account.provider},
    )


@transaction.atomic
def binding_add(*, user_id: int, sociallogin: SocialLogin) -> SocialAccount:
    """Bind the platform account of ``sociallogin`` to the logged-in person ``user_id``.

    Refused when the platform account belongs to another Candor account, or when this person
    already has another account on the same platform bound (one per platform).
    """
    account = sociallogin.account
    if account.pk is not None and account.user_id != user_id:
        raise BoundElsewhere()
    if account.pk is not None:
        return account  # already bound here; allauth has refreshed nickname and login time
    if SocialAccount.objects.filter(user_id=user_id, provider=account.provider).exists():
        raise AlreadyBound()
    account.user_id = user_id
    account.save()
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=user_id,
        subject_id=user_id,
        target=_target(account),
        fields=KEPT,
        purpose=taxonomy.REGISTRATION.code,
        detail={"event": "bind", "provider": account.provider, "via": "connect"},
    )
    return account


@transaction.atomic
def binding_remove(*, user_id: int, provider: str) -> None:
    """Unbind a platform; refused when it is the account's only way to log in."""
    user_model = get_user_model()
    user = user_model.objects.select_for_update().get(pk=user_id)
    account = SocialAccount.objects.filter(user_id=user_id, provider=provider).first()
    if account is None:
        raise NotBound()
    others = SocialAccount.objects.filter(user_id=user_id).exclude(pk=account.pk).exists()
    if not others and not user.has_usable_password():
        raise LastLoginMethod()
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=user_id,
        subject_id=user_id,
        target=_target(account),
        fields=KEPT,
        purpose=taxonomy.REGISTRATION.code,
        detail={"event": "unbind", "provider": provider},
    )
    account.delete()


def app_login(*, request: HttpRequest, provider: str, code: str) -> tuple[Any, bool]:
    """Exchange an app client's code with the platform and log the session in.

    The exchange is allauth's own (the provider's adapter and client, the same endpoints and
    checks as web login); the account is found or created by allauth's login flow with
    Candor's adapter, so the profile is cut down and the account name generated exactly as on
    the web. Returns the user and whether this login created the account.
    """
    from allauth.core.exceptions import ImmediateHttpResponse
    from allauth.socialaccount.adapter import get_adapter
    from allauth.socialaccount.internal.flows.login import complete_login
    from allauth.socialaccount.providers.base import ProviderException
    from allauth.socialaccount.providers.oauth2.client import OAuth2Error

    if provider not in USERNAME_PREFIX:
        raise UnknownPlatform()
    platform = get_adapter(request).get_provider(request, provider)
    oauth = platform.get_oauth2_adapter(request)
    client = oauth.get_client(request, platform.app)
    try:
        data = client.get_access_token(code)
        token = oauth.parse_token(data)
        sociallogin = oauth.complete_login(request, platform.app, token, response=data)
    except (OAuth2Error, ProviderException, RequestException, KeyError, ValueError) as exc:
        raise PlatformLoginFailed() from exc
    sociallogin.token = token
    sociallogin.state = {"process": "login"}
    created = not SocialAccount.objects.filter(provider=provider, uid=sociallogin.account.uid).exists()
    try:
        complete_login(request, sociallogin, raises=True)
    except ImmediateHttpResponse as exc:
        raise PlatformLoginFailed() from exc
    if not request.user.is_authenticated or request.user.pk != sociallogin.user.pk:
        raise PlatformLoginFailed()  # e.g. an inactive account: allauth did not log it in
    return request.user, created
