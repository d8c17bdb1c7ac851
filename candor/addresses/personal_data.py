"""What the address book holds (C000-03, C004-06: recipient name, address and mobile; landline
optional) and why: delivering the goods and placing orders.

No recipient is declared: nothing leaves Candor from the address book. An order copies the
chosen address when it is placed, and the carrier receives the order's copy through the
order's own declaration. Entries live as long as the account and go with it (the user can
also delete any of them at any time, C004-21).
"""

from candor.addresses.models import Address
from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, register

_USE = [taxonomy.DELIVERY, taxonomy.ORDERING]

register(
    Address,
    subject="user",
    fields={
        "recipient_name": Pi(taxonomy.BASIC, purposes=_USE, encrypt=True, mask="name"),
        "mobile": Pi(taxonomy.BASIC, purposes=_USE, encrypt=True, mask="phone"),
        "province": Pi(taxonomy.BASIC, purposes=_USE, mask="address"),
        "city": Pi(taxonomy.BASIC, purposes=_USE, mask="address"),
        "district": Pi(taxonomy.BASIC, purposes=_USE, required=False, mask="address"),
        "detail": Pi(taxonomy.BASIC, purposes=_USE, encrypt=True, mask="address"),
        "postal_code": Pi(taxonomy.BASIC, purposes=[taxonomy.DELIVERY], required=False),
        "landline": Pi(
            taxonomy.BASIC, purposes=[taxonomy.DELIVERY], encrypt=True, required=False, mask="phone"
        ),
        "label": Pi(taxonomy.OTHER, purposes=[taxonomy.DELIVERY], required=False),
    },
    not_personal={
        "is_default": "which entry the order form offers first",
        "created_at": "when the entry was added",
        "updated_at": "when the entry was last changed",
    },
    retention=retention.while_account(),
    on_erasure=OnErasure.DELETE,
)
