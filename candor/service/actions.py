"""What staff do to a requester's data for a request, through the privacy core: a copy of it
(``rights.export``) and its erasure (``rights.erase``).

Both ask for a verified identity first (C003-08, C003-22): a copy handed to the wrong person is
a leak, and an erasure asked for by the wrong person destroys someone's account. Both act on the
requester's own account only: a request for a child or a deceased relative concerns another
account, which staff find and handle themselves. The core writes the audit entry (who, whose
data, why); the request's event log says which request it served.

Erasure is for a cancellation request, or a deletion request for everything (no ``scope``), only:
a deletion of one data set is answered by deleting that data (or explaining why it is kept),
never by erasing the account. It is confirmed explicitly, and waits for what blocks a
cancellation (unpaid or undelivered orders, open refunds, balances — the same checks as
"我的 → 注销账号"). The request is answered in the same transaction, before the core
anonymizes it with the rest of the person's data; the answer itself goes too, as does the inbox,
so no message is sent: the person can no longer log in to read one.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from candor.accounts import cancellation
from candor.errors import CandorError
from candor.privacy import rights
from candor.service.models import Kind, OnBehalf, RequestEvent, RightsRequest, Status
from candor.service.services import close_as, event_add, locked_open, require_verified

ERASABLE = (Kind.DELETION, Kind.CANCEL)


def _own_account(request: RightsRequest) -> None:
    if request.on_behalf != OnBehalf.SELF:
        raise CandorError(
            _("This request concerns another person: find their account and act on it there."),
            code="not_own_account", status=409,
        )  # fmt: skip


@transaction.atomic
def request_export(*, request_id: int, actor: Any) -> bytes:
    """The requester's data as the core's zip, for staff to hand over; audited by the core."""
    request = locked_open(request_id)
    _own_account(request)
    require_verified(request)
    archive = rights.export(request.user_id, actor_id=actor.pk)
    before = request.status
    request.status = Status.IN_PROGRESS
    request.save(update_fields=["status"])
    event_add(request, action=RequestEvent.Action.EXPORTED, actor=actor, before=before)
    return archive


@transaction.atomic
def request_erase(*, request_id: int, actor: Any, confirm: bool) -> RightsRequest:
    """Erase the requester's account and data (C003-18, C004-21) and close the request."""
    request = locked_open(request_id)
    if request.kind not in ERASABLE:
        raise CandorError(
            _("Only a deletion or cancellation request can erase an account."),
            code="not_erasable",
            status=409,
        )
    if not request.erases_account:
        raise CandorError(
            _("This request asks for one set of data to be deleted, not the account: delete that data, "
              "or answer explaining why it is kept."),
            code="scoped_deletion", status=409,
        )  # fmt: skip
    _own_account(request)
    require_verified(request)
    if not confirm:
        message = _("Confirm that the account and its data are to be erased.")
        raise CandorError(message, code="not_confirmed", fields={"confirm": [str(message)]})
    blocked = cancellation.blockers(request.user)
    if blocked:
        raise CandorError(
            _("The account cannot be erased yet: %(reasons)s") % {"reasons": "; ".join(blocked)},
            code="erasure_blocked", status=409,
        )  # fmt: skip
    before = close_as(request, Status.ANSWERED)
    request.save(update_fields=["status", "closed_at"])
    event_add(request, action=RequestEvent.Action.ERASED, actor=actor, before=before)
    rights.erase(request.user_id, actor_id=actor.pk)
    request.refresh_from_db()
    return request
