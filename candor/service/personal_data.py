"""What requests and complaints hold (C002-24, C003-22, C004-25) and why: answering them.

What the requester wrote, the name of the child or deceased relative they act for, the answer
and the explanation of a refusal are encrypted under the requester's profile key: they may be
about anyone, and erasure makes every copy unreadable. Erasure anonymizes rather than deletes:
kind, status and the dates name no one once those fields are blank, and they are the proof, for
three years after a request closed, that it was answered in time (PIPL art. 50, 54).
"""

from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, exempt, register
from candor.service.models import RequestEvent, RightsRequest

_USE = [taxonomy.RIGHTS_REQUESTS]

register(
    RightsRequest,
    subject="user",
    fields={
        "on_behalf": Pi(taxonomy.OTHER, purposes=_USE),
        "relation_name": Pi(taxonomy.BASIC, purposes=_USE, encrypt=True, mask="name", required=False),
        "relationship": Pi(taxonomy.BASIC, purposes=_USE, required=False),
        "body": Pi(taxonomy.COMMUNICATION, purposes=_USE, encrypt=True),
        "answer": Pi(taxonomy.COMMUNICATION, purposes=_USE, encrypt=True, required=False),
        "refusal_explanation": Pi(taxonomy.COMMUNICATION, purposes=_USE, encrypt=True, required=False),
    },
    not_personal={
        "kind": "which kind of request, from a fixed list",
        "scope": "which data set of the data map a deletion concerns (a model label), never a value",
        "channel": "where the request came in (web, app, customer service)",
        "status": "where the request stands, from a fixed list",
        "received_at": "when it came in: with due_at, the proof of answering in time",
        "due_at": "when the answer is due",
        "identity_verified_at": "when the requester's identity was verified",
        "identity_verified_by": "the staff account that verified it: a work record, not the requester's",
        "identity_method": "how identity was verified, from a fixed list",
        "refusal_reason": "which of the listed cases a refusal relied on (C004-22)",
        "closed_at": "when the request was answered, refused or withdrawn",
    },
    retention=retention.after("closed_at", years=3),
    on_erasure=OnErasure.ANONYMIZE,
)

exempt(
    RequestEvent,
    reason="status codes, ids and times only (free text is never logged); the request's own "
    "declaration covers what the person wrote",
)
