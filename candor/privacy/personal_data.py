"""The privacy core's own ledgers are about people too; here is what they hold and why."""

from django.contrib.admin.models import LogEntry

from candor.privacy import retention
from candor.privacy.datamap import OnErasure, exempt, register
from candor.privacy.models import (
    AuditEvent,
    AuditHead,
    ConsentRecord,
    DataKey,
    DisclosureRecord,
    ErasureRecord,
)

# Consent is the proof that processing was lawful: kept after erasure for the legal term.
register(
    ConsentRecord,
    subject="subject",
    fields={},
    not_personal={"evidence": "the page and policy version shown; never a personal value"},
    retention=retention.after("at", years=3, while_account=True),
    on_erasure=OnErasure.RESTRICT,
)
# Disclosure records are kept 3 years (DESIGN: disclosure records), with field names only.
register(
    DisclosureRecord,
    subject="subject",
    fields={},
    not_personal={"recipient": "the code of a class of recipient, such as logistics"},
    retention=retention.after("at", years=3),
    on_erasure=OnErasure.RESTRICT,
)
exempt(AuditEvent, reason="ids, field names and purposes only; after erasure the id points at no one; "
       "deleting rows would break the tamper-evident chain")  # fmt: skip
exempt(AuditHead, reason="the chain's tip: a sequence number and a hash")
exempt(DataKey, reason="wrapped key material; its life is governed by erasure and legal terms")
exempt(ErasureRecord, reason="records only that an id was erased, so the erasure stays effective")
exempt(
    LogEntry,
    reason="the back office's log of staff actions; object_repr uses __str__, which for declared "
    "models shows no personal value",
)
