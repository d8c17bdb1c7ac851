"""Bearer tokens for app clients (``Authorization: Bearer <token>``).

An app logs in once (password or SMS code) and receives a random token; Candor stores only its
SHA-256, so the table cannot log anyone in. The middleware turns a valid token into
``request.user`` for ``/api/`` paths, which makes every API route work for apps exactly as for
the web client. A token request carries no cookies, so cross-site request forgery does not
apply to it and CSRF checks are waived for it — and only for it.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import OperationalError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candor.accounts.models import ApiToken, User
from candor.api.errors import API_PREFIX, error_response
from candor.privacy import audit

logger = logging.getLogger(__name__)
_TOUCH_EVERY = timedelta(minutes=5)  # last_used_at is for the user's device list, not a log


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user: User, name: str = "") -> tuple[str, ApiToken]:
    token = "cdr_" + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user,
        digest=_digest(token),
        name=name[:64],
        expires_at=timezone.now() + timedelta(days=settings.CANDOR_TOKEN_DAYS),
    )
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=user.pk,
        subject_id=user.pk,
        target=f"accounts.apitoken:{row.pk}",
        fields=["digest", "name"],
        purpose="transaction_security",
        detail={"operation": "create"},
    )
    return token, row


@transaction.atomic
def token_revoke(*, token: str) -> bool:
    row = ApiToken.objects.filter(digest=_digest(token)).first()
    if row is None:
        return False
    audit.record(
        action=audit.Action.CHANGE,
        actor_id=row.user_id,
        subject_id=row.user_id,
        target=f"accounts.apitoken:{row.pk}",
        fields=["digest", "name"],
        purpose="transaction_security",
        detail={"operation": "delete"},
    )
    row.delete()
    return True


def token_user(token: str) -> User | None:
    now = timezone.now()
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(token), expires_at__gt=now, user__is_active=True)
        .first()
    )
    if row is None:
        return None
    if row.last_used_at is None or now - row.last_used_at > _TOUCH_EVERY:
        try:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        except OperationalError:
            # SQLite's writer queue outlasted its busy timeout: the stamp is for the device list
            # only, so the request goes on without it (the next one within five minutes stamps).
            logger.warning("token last-used stamp skipped: database busy")
    return row.user


def bearer(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


class ApiTokenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = bearer(request) if request.path.startswith(API_PREFIX) else None
        if token is not None:
            user = token_user(token)
            if user is None:
                return error_response(
                    401, code="invalid_token", message=str(_("The token is invalid or has expired."))
                )
            request.user = user
            request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        return self.get_response(request)
