"""Reads of third-party bindings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from allauth.socialaccount.models import SocialAccount
from django.utils.translation import gettext_lazy as _

PLATFORMS = {"weixin": _("WeChat"), "qq": _("QQ")}


@dataclass(frozen=True)
class Binding:
    provider: str
    platform: str  # display name, in the request's language
    nickname: str
    bound_at: datetime
    last_login: datetime


def bindings_of(user_id: int) -> list[Binding]:
    rows = SocialAccount.objects.filter(user_id=user_id, provider__in=PLATFORMS).order_by("date_joined")
    return [
        Binding(
            provider=row.provider,
            platform=str(PLATFORMS[row.provider]),
            nickname=str((row.extra_data or {}).get("nickname", "")),
            bound_at=row.date_joined,
            last_login=row.last_login,
        )
        for row in rows
    ]


def unbound_platforms(user_id: int) -> list[tuple[str, str]]:
    bound = set(SocialAccount.objects.filter(user_id=user_id).values_list("provider", flat=True))
    return [(code, str(label)) for code, label in PLATFORMS.items() if code not in bound]
