"""Every hand-over of personal data to a third party goes through ``disclose``.

The payload is built from the recipient's allowlist in the model's declaration — never from
what a call site asks for — so a payment institution gets the order number, the amount and a
non-personal subject line, and nothing else, however the order is filled (C000-08, C000-24).
Each disclosure is recorded (recipient, whose data, which fields, purpose, legal basis, when)
in the same transaction, so the user can see who received what.
"""

from __future__ import annotations

import base64
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError
from candor.privacy import audit, consent, taxonomy
from candor.privacy.datamap import declaration_for
from candor.privacy.models import DisclosureRecord
from candor.privacy.processing import processing
from candor.privacy.taxonomy import Purpose, Recipient


class DisclosureRefused(CandorError):
    status = 403
    code = "disclosure_refused"


def target_of(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


@transaction.atomic
def disclose(
    recipient: Recipient, obj: models.Model, purpose: Purpose, *, actor_id: int | None = None
) -> dict[str, Any]:
    """The payload ``recipient`` may receive about ``obj`` for ``purpose``, recorded."""
    declaration = declaration_for(type(obj))
    share = declaration.share_for(recipient) if declaration else None
    if declaration is None or share is None:
        raise DisclosureRefused(_("This recipient may not receive this record."))
    if share.purpose.code != purpose.code:
        raise DisclosureRefused(_("This recipient receives this record only for its declared purpose."))
    subject_id = declaration.subject_id_of(obj)
    # A hand-over that rests on consent, or serves a purpose that needs it, waits for it.
    if share.basis.code == taxonomy.CONSENT.code or purpose.needs_consent:
        consent.require(subject_id, purpose)
    with processing(purpose):
        payload = {name: jsonable(getattr(obj, name)) for name in share.fields}
    DisclosureRecord.objects.create(
        recipient=recipient.code,
        subject_id=subject_id,
        target=target_of(obj),
        fields=list(share.fields),
        purpose=purpose.code,
        basis=share.basis.code,
        actor_id=actor_id,
    )
    audit.record(
        action=audit.Action.DISCLOSE,
        actor_id=actor_id,
        subject_id=subject_id,
        target=target_of(obj),
        fields=share.fields,
        purpose=purpose.code,
        detail={"recipient": recipient.code, "basis": share.basis.code},
    )
    return payload


def jsonable(value: Any) -> Any:
    """JSON-ready values (for a recipient's payload and for the subject's export)."""
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):  # an uploaded picture: JSON carries it as base64
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def ledger(subject_id: int) -> list[DisclosureRecord]:
    """Who received what about a subject, newest first (shown in the privacy centre)."""
    return list(DisclosureRecord.objects.filter(subject_id=subject_id).order_by("-at", "-id"))
