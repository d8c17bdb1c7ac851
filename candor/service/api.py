"""Requests and complaints for app clients: ``/api/v1/me/requests`` (the pages' twin). Owner
only — another user's id answers 404 exactly like a missing one. Bad input answers 400 with a
message per field, in the language of ``Accept-Language`` (the same checks and words as the web
form); nothing is stored when any field is wrong."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from candor.api.errors import ErrorOut
from candor.service import selectors, services
from candor.service.models import RightsRequest

router = Router(tags=["service"], auth=django_auth)

ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}
_CAP = 20_000  # a ceiling against abuse; the real limits are the service's, with clear messages


class RequestIn(Schema):
    kind: str = Field(
        ..., max_length=32,
        description="question, complaint, access, correction, deletion, withdraw, cancel, "
        "contest_decision or other",
    )  # fmt: skip
    body: str = Field(..., max_length=_CAP)
    on_behalf: str = Field("self", max_length=32, description="self, child or deceased_relative")
    relation_name: str = Field("", max_length=256, description="the child's or the deceased's name")
    relationship: str = Field(
        "", max_length=32,
        description="for a deceased relative: spouse, parent, child, sibling, grandparent or grandchild",
    )  # fmt: skip


class CodeIn(Schema):
    code: str = Field(..., max_length=32)


class EventOut(Schema):
    at: datetime
    action: str
    status: str


class RequestOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    on_behalf: str
    relation_name: str
    relationship: str
    body: str
    received_at: datetime
    due_at: datetime
    overdue: bool
    identity_verified: bool
    answer: str
    refusal_reason: str
    refusal_reason_label: str
    refusal_explanation: str
    closed_at: datetime | None


class RequestDetailOut(RequestOut):
    events: list[EventOut]


def _out(item: RightsRequest) -> dict[str, Any]:
    return {
        "id": item.pk, "kind": item.kind, "kind_label": item.get_kind_display(),
        "status": item.status, "status_label": item.get_status_display(),
        "on_behalf": item.on_behalf, "relation_name": item.relation_name or "",
        "relationship": item.relationship, "body": item.body or "",
        "received_at": item.received_at, "due_at": item.due_at, "overdue": item.is_overdue,
        "identity_verified": item.identity_verified_at is not None, "answer": item.answer or "",
        "refusal_reason": item.refusal_reason,
        "refusal_reason_label": item.get_refusal_reason_display() if item.refusal_reason else "",
        "refusal_explanation": item.refusal_explanation or "", "closed_at": item.closed_at,
    }  # fmt: skip


def _detail(item: RightsRequest) -> dict[str, Any]:
    events = [
        {"at": e.at, "action": e.action, "status": e.status_to}
        for e in selectors.request_events(request=item)
    ]
    return {**_out(item), "events": events}


@router.get(
    "/me/requests",
    response={200: list[RequestOut], 401: ErrorOut},
    url_name="request_list",  # opens /me/requests/… while a policy waits (privacy/middleware.py)
    summary="My requests",
)
def request_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(item) for item in selectors.request_list(user=request.user)]


@router.post("/me/requests", response={201: RequestDetailOut, **ERRORS}, summary="File a request")
def request_file(request: HttpRequest, payload: RequestIn) -> Status[dict[str, Any]]:
    item = services.request_file(user=request.user, channel="api", **payload.model_dump())
    return Status(201, _detail(item))


@router.get("/me/requests/{int:request_id}", response={200: RequestDetailOut, 401: ErrorOut, 404: ErrorOut})
def request_get(request: HttpRequest, request_id: int) -> dict[str, Any]:
    return _detail(selectors.request_get(user=request.user, request_id=request_id))


@router.post(
    "/me/requests/{int:request_id}/withdraw", response={200: RequestDetailOut, **ERRORS},
    summary="Withdraw an open request",
)  # fmt: skip
def request_withdraw(request: HttpRequest, request_id: int) -> dict[str, Any]:
    services.request_withdraw(user=request.user, request_id=request_id)
    return _detail(selectors.request_get(user=request.user, request_id=request_id))


@router.post(
    "/me/requests/{int:request_id}/verify", response={200: RequestDetailOut, **ERRORS},
    summary="Confirm my identity with the code sent to my mobile",
)  # fmt: skip
def request_verify(request: HttpRequest, request_id: int, payload: CodeIn) -> dict[str, Any]:
    services.request_code_check(
        request_id=request_id, code=payload.code, actor=request.user, requester=request.user
    )
    return _detail(selectors.request_get(user=request.user, request_id=request_id))
