"""Staff see personal data masked; ``reveal`` is the one way to see a value in clear.

It needs the ``privacy.reveal_personal_data`` permission and a stated reason, and it writes an
audit event in the same transaction as the read (Zulip's pattern: the action and its record
commit together or not at all). A denied attempt leaves no trace in the data and reveals
nothing — the checks run before the value is read. The value is opened for customer service,
a legal purpose, so a record kept restricted for its legal term can still be answered for.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError
from candor.privacy import audit, taxonomy
from candor.privacy.datamap import declaration_for
from candor.privacy.processing import processing

PERMISSION = "privacy.reveal_personal_data"
PURPOSE = "staff_reveal"
MIN_REASON = 4


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
        super().__init__(
            _("State why you need to see this value (at least %(count)d characters).")
            % {"count": MIN_REASON},
            fields={"reason": [str(_("This field is required."))]},
        )


class NotPersonalField(CandorError):
    status = 400
    code = "not_personal_field"

    def __init__(self, field: str) -> None:
        super().__init__(_("“%(field)s” is not a declared personal-data field.") % {"field": field})


@transaction.atomic
def reveal(*, actor: Actor, obj: models.Model, field: str, reason: str) -> str | None:
    """The clear value of ``obj.<field>`` for ``actor``, audited with ``reason``."""
    if not actor.has_perm(PERMISSION):
        raise RevealDenied()
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise RevealReasonRequired()
    declaration = declaration_for(type(obj))
    if declaration is None or field not in declaration.fields:
        raise NotPersonalField(field)
    with processing(taxonomy.CUSTOMER_SERVICE):
        value = getattr(obj, field)
    audit.record(
        action=audit.Action.REVEAL,
        actor_id=actor.pk,
        subject_id=declaration.subject_id_of(obj),
        target=f"{obj._meta.label_lower}:{obj.pk}",
        fields=[field],
        purpose=PURPOSE,
        detail={"reason": reason},
    )
    return None if value is None else str(value)
