"""Staff see personal data masked; ``reveal`` is the one way to see a value in clear.

It needs the ``privacy.reveal_personal_data`` permission and a reason, and it writes an audit
event in the same transaction as the read (Zulip's pattern: the action and its record commit
together or not at all). The reason is a code from ``Reason`` plus, optionally, a ticket
reference — never free text: the audit log is kept for good, and a sentence typed by staff
("the buyer called from 138…") would put personal data into it. A denied attempt leaves no
trace in the data and reveals nothing: every check runs before the value is read.

The value is opened for customer service, which is not a legal purpose: a record kept
restricted for its legal term (PIPL art. 47) refuses with ``RestrictedData``, and the refusal is
not audited because nothing was seen. Answering an authority about such a record goes through
``processing(taxonomy.LEGAL_RETENTION)`` in the code that handles that request.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError
from candor.privacy import audit, taxonomy
from candor.privacy.datamap import declaration_for
from candor.privacy.processing import processing

PERMISSION = "privacy.reveal_personal_data"
PURPOSE = "staff_reveal"
# A reference to look up, with no room for prose, starting with a letter so that a bare phone
# number is refused. "\-" keeps it valid as an HTML pattern too.
TICKET = re.compile(r"[A-Za-z][A-Za-z0-9\-]{0,31}")


class Reason(models.TextChoices):
    """Why staff need a value in clear: the only reasons the audit log records."""

    CUSTOMER_REQUEST = "customer_request", _("The customer asked us to check it")
    DELIVERY_PROBLEM = "delivery_problem", _("A delivery problem")
    AFTER_SALES = "after_sales", _("After-sales service")
    PAYMENT_PROBLEM = "payment_problem", _("A payment problem")
    FRAUD_INVESTIGATION = "fraud_investigation", _("A fraud investigation")
    LEGAL_REQUEST = "legal_request", _("A request from an authority under the law")


class Actor(Protocol):
    pk: Any

    def has_perm(self, perm: str, obj: Any = None) -> bool: ...


class RevealDenied(CandorError):
    status = 403
    code = "reveal_denied"

    def __init__(self) -> None:
        super().__init__(_("You are not allowed to reveal personal data."))


class RevealReasonRequired(CandorError):
    status = 400
    code = "reveal_reason_required"

    def __init__(self) -> None:
        message = _("Choose why you need to see this value.")
        super().__init__(message, fields={"reason": [str(message)]})


class InvalidTicket(CandorError):
    status = 400
    code = "reveal_ticket_invalid"

    def __init__(self) -> None:
        message = _("A ticket reference is up to 32 letters, digits and dashes, and nothing else.")
        super().__init__(message, fields={"ticket": [str(message)]})


class NotPersonalField(CandorError):
    status = 400
    code = "not_personal_field"

    def __init__(self, field: str) -> None:
        super().__init__(_("“%(field)s” is not a declared personal-data field.") % {"field": field})


class NothingToReveal(CandorError):
    status = 400
    code = "nothing_to_reveal"

    def __init__(self, field: str) -> None:
        super().__init__(
            _("“%(field)s” is stored only as a one-way hash: there is nothing to reveal.") % {"field": field}
        )


@transaction.atomic
def reveal(*, actor: Actor, obj: models.Model, field: str, reason: str, ticket: str = "") -> str | None:
    """The clear value of ``obj.<field>`` for ``actor``, audited with the ``reason`` code (one of
    ``Reason``) and the optional ``ticket`` reference."""
    if not actor.has_perm(PERMISSION):
        raise RevealDenied()
    if reason not in Reason.values:
        raise RevealReasonRequired()
    ticket = ticket.strip()
    if ticket and not TICKET.fullmatch(ticket):
        raise InvalidTicket()
    declaration = declaration_for(type(obj))
    if declaration is None or field not in declaration.fields:
        raise NotPersonalField(field)
    if declaration.fields[field].hashed:
        raise NothingToReveal(field)
    with processing(taxonomy.CUSTOMER_SERVICE):
        value = getattr(obj, field)
    audit.record(
        action=audit.Action.REVEAL,
        actor_id=actor.pk,
        subject_id=declaration.subject_id_of(obj),
        target=f"{obj._meta.label_lower}:{obj.pk}",
        fields=[field],
        purpose=PURPOSE,
        detail={"reason": Reason(reason).value, "ticket": ticket},
    )
    return None if value is None else str(value)
