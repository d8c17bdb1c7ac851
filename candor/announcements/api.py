"""``GET /api/v1/notices``: what the notices page shows, for apps — the announced end of the
service, if any, and every policy change, in the request's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Router, Schema

from candor.announcements import selectors
from candor.privacy import policy

router = Router(tags=["announcements"])


class ShutdownOut(Schema):
    announced_at: datetime
    shutdown_at: datetime
    message: str = Field(description="What ends and what members can do, in the request's language")


class PolicyChangeOut(Schema):
    number: str
    effective_at: datetime
    significant: bool = Field(description="Members must accept it before their next use")
    summary: str


class NoticesOut(Schema):
    shutdown: ShutdownOut | None = Field(description="null unless the end of the service is announced")
    policy_changes: list[PolicyChangeOut] = Field(description="Newest first")


@router.get("/notices", response=NoticesOut, summary="Announcements: service shutdown and policy changes")
def notices_get(request: HttpRequest) -> dict[str, Any]:
    lang = get_language()
    shutdown = selectors.active_shutdown()
    return {
        "shutdown": None if shutdown is None else {
            "announced_at": shutdown.announced_at, "shutdown_at": shutdown.shutdown_at,
            "message": shutdown.message(lang),
        },
        "policy_changes": [
            {"number": v.number, "effective_at": v.effective_at, "significant": v.significant,
             "summary": policy.summary(v, lang)}
            for v in selectors.policy_versions()
        ],
    }  # fmt: skip
