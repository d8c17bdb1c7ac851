"""What payments hold about people and for how long.

A payment and a refund are transaction records (E-Commerce Law art. 31): kept while the account
lives and three years after, restricted when the account is cancelled, then anonymized. What a
payment institution receives is declared on the purchase (``orders/personal_data.py``): the
number, the amount and a subject line that names no one (C000-08). The notification log holds
trade numbers and amounts only, and no person. A business's remittance slip may show its bank
account, so it is encrypted; it is kept as long as the payment it proves.
"""

from django.utils.translation import gettext_lazy as _

from candor.payments.models import Payment, PaymentNotice, Refund, RemittanceSlip
from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, exempt, register
from candor.privacy.retention import Then

_TERM = retention.after("created_at", years=3, then=Then.ANONYMIZE, while_account=True)

register(
    Payment,
    subject="buyer",
    fields={
        "provider_trade_no": Pi(
            taxonomy.PROPERTY,
            purposes=[taxonomy.PAYMENT],
            encrypt=True,
            required=False,
            label=_("Payment trade number"),
        ),
    },
    not_personal={
        "method": "which institution; the buyer link says whose",
        "out_trade_no": "the purchase's random number",
        "amount_fen": "the amount",
        "status": "whether it is paid",
        "created_at": "when payment started",
        "paid_at": "when it was paid",
        "applied": "whether this payment is the one that paid the purchase",
    },
    retention=_TERM,
    on_erasure=OnErasure.RESTRICT,
)

register(
    Refund,
    subject="buyer",
    reference="refund_no",
    fields={
        "provider_refund_no": Pi(
            taxonomy.PROPERTY,
            purposes=[taxonomy.PAYMENT],
            encrypt=True,
            required=False,
            label=_("Refund trade number"),
        ),
    },
    not_personal={
        "refund_no": "R or L and the order's or purchase's random number",
        "amount_fen": "the amount",
        "status": "whether it succeeded",
        "created_at": "when it was asked for",
        "reason": "a code from a fixed list (buyer, staff, late)",
        "requested_by": "who asked for it (the buyer or a staff member), for accountability",
        "attempts": "how often the institution was asked",
        "attempted_at": "when the institution was last asked",
        "refunded_at": "when the money went back",
        "paid_back_by": "the finance staff member who paid a remittance back, not the buyer",
    },
    retention=_TERM,
    on_erasure=OnErasure.RESTRICT,
)

register(
    RemittanceSlip,
    subject="buyer",
    fields={
        "payer_name": Pi(taxonomy.PROPERTY, purposes=[taxonomy.PAYMENT], encrypt=True, mask="name"),
        "slip": Pi(taxonomy.PROPERTY, purposes=[taxonomy.PAYMENT], encrypt=True, sensitive=True),
        "review_note": Pi(taxonomy.OTHER, purposes=[taxonomy.PAYMENT], required=False),
    },
    not_personal={
        "status": "where the review stands",
        "uploaded_at": "when it was uploaded",
        "reviewed_at": "when finance reviewed it",
        "reviewed_by": "the finance staff member accountable for the decision, not the buyer",
    },
    retention=retention.after("uploaded_at", years=3, then=Then.ANONYMIZE, while_account=True),
    on_erasure=OnErasure.RESTRICT,
)

exempt(
    PaymentNotice,
    reason="the payment institutions' messages: trade numbers, amounts and outcomes, no person",
)
