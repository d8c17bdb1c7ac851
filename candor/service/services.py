"""Writes on requests and complaints: filing and withdrawing (the requester), and the staff
workflow — identity verification, answer, refusal — each with its line in the event log, written
in the same transaction as the change it records.

What reveals or changes a person's data (an export, an erasure) lives in ``actions.py``; it asks
``require_verified`` first, so no data leaves or goes before the requester's identity is known
(C003-08, C003-22). A request is answered within its due date (``deadlines.py``); closing it —
answered, refused or withdrawn — stamps ``closed_at``, which the staff chart compares with it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError
from candor.privacy import datamap
from candor.service import deadlines, notices, selectors
from candor.service.models import (
    OPEN,
    Channel,
    IdentityMethod,
    Kind,
    OnBehalf,
    RefusalReason,
    Relationship,
    RequestEvent,
    RightsRequest,
    Status,
)
from candor.verification import models as codes_models
from candor.verification import services as codes

BODY_MAX = 5000
NAME_MAX = 64
ANSWER_MAX = 10000
MAX_OPEN = 20  # per requester: enough for any real need, a limit to a flood


class RequestClosed(CandorError):
    status = 409
    code = "request_closed"

    def __init__(self) -> None:
        super().__init__(_("This request is already closed."))


class IdentityNotVerified(CandorError):
    status = 409
    code = "identity_not_verified"

    def __init__(self) -> None:
        super().__init__(_("Verify the requester's identity before acting on their data."))


def _invalid(field: str, message: Any) -> CandorError:
    return CandorError(message, code="invalid", status=400, fields={field: [str(message)]})


def _choice(value: str, choices: type[Any], field: str) -> str:
    if value not in choices.values:
        raise _invalid(field, _("Choose one of the listed options."))
    return value


def event_add(
    request: RightsRequest, *, action: str, actor: Any, before: str, detail: dict[str, Any] | None = None
) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request, action=action, actor_id=getattr(actor, "pk", None), status_from=before,
        status_to=request.status, detail=detail or {},
    )  # fmt: skip


def _scope(kind: str, scope: str) -> str:
    scope = (scope or "").strip()
    if not scope:
        return ""
    if kind != Kind.DELETION or scope not in {d.model._meta.label_lower for d in datamap.declarations()}:
        raise _invalid("scope", _("Unknown data."))
    return scope


@transaction.atomic
def request_file(
    *,
    user: Any,
    kind: str,
    body: str,
    on_behalf: str = "self",
    relation_name: str = "",
    channel: str = "web",
    relationship: str = "",
    scope: str = "",
) -> RightsRequest:
    """File a question, complaint or rights request for ``user`` (or, ``on_behalf``, for their
    child or a deceased relative, whose name is ``relation_name``; for a deceased relative the
    requester's ``relationship`` too, C003-22). ``scope``: for a deletion of one data set only,
    its data map label ("app.model"); empty asks to delete everything. Raises a 400
    ``CandorError`` naming the field."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        raise CandorError(_("Log in to file a request."), code="not_authenticated", status=401)
    _choice(kind, Kind, "kind")
    scope = _scope(kind, scope)
    _choice(on_behalf, OnBehalf, "on_behalf")
    _choice(channel, Channel, "channel")
    body = (body or "").strip()
    if not body:
        raise _invalid("body", _("Please describe your request."))
    if len(body) > BODY_MAX:
        raise _invalid("body", _("Please keep the description under %(max)d characters.") % {"max": BODY_MAX})
    relation_name = (relation_name or "").strip()
    relationship = (relationship or "").strip()
    if on_behalf == OnBehalf.SELF:
        relation_name, relationship = "", ""
    else:
        if not relation_name:
            raise _invalid("relation_name", _("Please give the name of the person concerned."))
        if len(relation_name) > NAME_MAX:
            raise _invalid("relation_name", _("The name is too long."))
    if on_behalf == OnBehalf.DECEASED_RELATIVE:
        if not relationship:
            raise _invalid("relationship", _("Please say how you are related to the deceased."))
        _choice(relationship, Relationship, "relationship")
    elif on_behalf == OnBehalf.CHILD:
        relationship = ""
    if RightsRequest.objects.filter(user_id=user.pk, status__in=OPEN).count() >= MAX_OPEN:
        raise CandorError(
            _("You have too many open requests. Please wait for an answer first."),
            code="too_many_requests", status=429,
        )  # fmt: skip
    now = timezone.now()
    request = RightsRequest.objects.create(
        user=user, kind=kind, on_behalf=on_behalf, relation_name=relation_name or None,
        relationship=relationship, body=body, channel=channel, status=Status.RECEIVED,
        received_at=now, due_at=deadlines.due_at(kind, now), scope=scope,
    )  # fmt: skip
    event_add(request, action=RequestEvent.Action.FILED, actor=user, before="")
    return request


def locked_open(request_id: int, **scope: Any) -> RightsRequest:
    if not 0 < request_id <= selectors.MAX_ID:
        raise selectors.not_found()
    request = RightsRequest.objects.select_for_update().filter(pk=request_id, **scope).first()
    if request is None:
        raise selectors.not_found()
    if not request.is_open:
        raise RequestClosed()
    return request


def close_as(request: RightsRequest, status: str) -> str:
    before = request.status
    request.status = status
    request.closed_at = timezone.now()
    return before


@transaction.atomic
def request_withdraw(*, user: Any, request_id: int) -> RightsRequest:
    """The requester withdraws an open request of their own (another's is a 404)."""
    request = locked_open(request_id, user_id=user.pk)
    before = close_as(request, Status.WITHDRAWN)
    request.save(update_fields=["status", "closed_at"])
    event_add(request, action=RequestEvent.Action.WITHDRAWN, actor=user, before=before)
    return request


@transaction.atomic
def request_start(*, request_id: int, actor: Any) -> RightsRequest:
    """Staff take a request in hand (a question or complaint needs no identity check)."""
    request = locked_open(request_id)
    before = request.status
    if before != Status.IN_PROGRESS:
        request.status = Status.IN_PROGRESS
        request.save(update_fields=["status"])
        event_add(request, action=RequestEvent.Action.STARTED, actor=actor, before=before)
    return request


# Whoever reads the code holds the account's mobile. A purpose of its own, not LOGIN: the requester
# reads it back to staff, and a login code read to someone would open the account to them.
SMS_PURPOSE = codes_models.Purpose.RIGHTS_REQUEST


def _mobile(request: RightsRequest) -> str:
    phone = request.user.phone
    if not phone:
        raise CandorError(
            _("The requester's account has no mobile number: verify their identity by documents."),
            code="no_mobile", status=409,
        )  # fmt: skip
    return str(phone)


@transaction.atomic
def request_code_send(*, request_id: int, actor: Any, ip: str) -> RightsRequest:
    """Send a one-time code to the requester's own mobile; they give it back to staff, or type
    it on their request's page (``request_code_check``)."""
    request = locked_open(request_id)
    codes.code_send(target=_mobile(request), purpose=SMS_PURPOSE, ip=ip)
    before = request.status
    request.status = Status.VERIFYING_IDENTITY
    request.save(update_fields=["status"])
    event_add(request, action=RequestEvent.Action.CODE_SENT, actor=actor, before=before)
    return request


@transaction.atomic
def request_code_check(*, request_id: int, code: str, actor: Any, requester: Any = None) -> RightsRequest:
    """Check the code sent by ``request_code_send``: the requester's identity is verified.
    ``requester``: when they type it themselves, only their own request (another's is a 404)."""
    scope = {"user_id": requester.pk} if requester is not None else {}
    request = locked_open(request_id, **scope)
    if request.status != Status.VERIFYING_IDENTITY:
        raise CandorError(_("No verification code was sent for this request."), code="no_code", status=409)
    codes.code_check(target=_mobile(request), purpose=SMS_PURPOSE, code=code)
    return _verified(request, actor=actor, method=IdentityMethod.SMS_CODE)


@transaction.atomic
def request_identity_verify(*, request_id: int, actor: Any, method: str) -> RightsRequest:
    """Staff record that they verified the requester's identity, by ``method`` (documents seen;
    an SMS code goes through ``request_code_check``)."""
    _choice(method, IdentityMethod, "method")
    if method == IdentityMethod.SMS_CODE:
        raise _invalid("method", _("Check the code the requester received instead."))
    return _verified(locked_open(request_id), actor=actor, method=method)


def _verified(request: RightsRequest, *, actor: Any, method: str) -> RightsRequest:
    before = request.status
    request.status = Status.IN_PROGRESS
    request.identity_verified_at = timezone.now()
    request.identity_verified_by_id = getattr(actor, "pk", None)
    request.identity_method = method
    request.save(update_fields=["status", "identity_verified_at", "identity_verified_by", "identity_method"])
    event_add(
        request, action=RequestEvent.Action.VERIFIED, actor=actor, before=before, detail={"method": method}
    )
    return request


def require_verified(request: RightsRequest) -> None:
    if request.identity_verified_at is None:
        raise IdentityNotVerified()


@transaction.atomic
def request_answer(*, request_id: int, actor: Any, answer: str) -> RightsRequest:
    """Answer and close the request; the requester gets an inbox message."""
    answer = (answer or "").strip()
    if not answer:
        raise _invalid("answer", _("Write the answer."))
    if len(answer) > ANSWER_MAX:
        raise _invalid("answer", _("The answer is too long."))
    request = locked_open(request_id)
    before = close_as(request, Status.ANSWERED)
    request.answer = answer
    request.save(update_fields=["status", "closed_at", "answer"])
    event_add(request, action=RequestEvent.Action.ANSWERED, actor=actor, before=before)
    notices.answered(request)
    return request


@transaction.atomic
def request_refuse(*, request_id: int, actor: Any, reason: str, explanation: str) -> RightsRequest:
    """Refuse, only for one of the listed reasons and with an explanation (C004-22)."""
    if not reason:
        raise _invalid("reason", _("Choose the reason for the refusal."))
    _choice(reason, RefusalReason, "reason")
    explanation = (explanation or "").strip()
    if not explanation:
        raise _invalid("explanation", _("Explain the refusal to the requester."))
    if len(explanation) > ANSWER_MAX:
        raise _invalid("explanation", _("The explanation is too long."))
    request = locked_open(request_id)
    before = close_as(request, Status.REFUSED)
    request.refusal_reason = reason
    request.refusal_explanation = explanation
    request.save(update_fields=["status", "closed_at", "refusal_reason", "refusal_explanation"])
    event_add(
        request, action=RequestEvent.Action.REFUSED, actor=actor, before=before, detail={"reason": reason}
    )
    notices.refused(request)
    return request
