"""Declarations of the encrypted-field fixtures: one per key class, and a self-subject model."""

from __future__ import annotations

from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, exempt, register, unregister
from tests.privacy_app.crypto_models import Customer, Person, PlainPerson, Receipt

register(
    Person,
    subject="user",
    fields={
        "phone": Pi(taxonomy.BASIC, purposes=[taxonomy.REGISTRATION], encrypt=True, mask="phone"),
        "id_number": Pi(taxonomy.IDENTITY, purposes=[taxonomy.REAL_NAME], encrypt=True, mask="id_number"),
        "nickname": Pi(taxonomy.BASIC, purposes=[taxonomy.DISPLAY], mask="name"),
    },
    not_personal={"phone_bidx": "a keyed hash, only for equality lookups"},
    retention=retention.while_account(),
    on_erasure=OnErasure.DELETE,
)

register(
    Receipt,
    subject="user",
    fields={
        "recipient_phone": Pi(taxonomy.BASIC, purposes=[taxonomy.DELIVERY], encrypt=True, mask="phone"),
    },
    not_personal={"amount_fen": "an amount, which says nothing about anyone once the row is anonymized"},
    retention=retention.after(
        "completed_at", years=3, then=retention.Then.ANONYMIZE, while_account=True
    ),  # E-Commerce Law art. 31
    on_erasure=OnErasure.RESTRICT,
)

# Customer stands in for the user model (the only model whose subject is the row itself): the
# test that needs it declares it for its own duration, see ``declare_customer``.
exempt(Customer, reason="declared only inside the self-subject encryption test")


def declare_customer() -> None:
    register(
        Customer,
        subject="pk",
        fields={"email": Pi(taxonomy.BASIC, purposes=[taxonomy.REGISTRATION], encrypt=True, mask="email")},
        not_personal={"email_bidx": "a keyed hash, only for equality lookups"},
        retention=retention.while_account(),
        on_erasure=OnErasure.DELETE,
    )


def undeclare_customer() -> None:
    unregister(Customer)
    exempt(Customer, reason="declared only inside the self-subject encryption test")


register(
    PlainPerson,
    subject="user",
    fields={
        "phone": Pi(taxonomy.BASIC, purposes=[taxonomy.REGISTRATION], mask="phone", sensitive=False),
        "id_number": Pi(taxonomy.IDENTITY, purposes=[taxonomy.REAL_NAME], mask="id_number", sensitive=False),
        "nickname": Pi(taxonomy.BASIC, purposes=[taxonomy.DISPLAY], mask="name"),
    },
    not_personal={"phone_bidx": "the benchmark twin's copy of the index column"},
    retention=retention.while_account(),
    on_erasure=OnErasure.DELETE,
    label="benchmark twin of Person (unencrypted)",
)
