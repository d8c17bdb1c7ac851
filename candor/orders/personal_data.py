"""What purchases and orders hold about people, why, who receives which part, and for how long.

- The recipient's name, mobile and address are needed to deliver (C000-03, C004-06); landline
  and email are optional and the order is placed without them. The carrier receives the
  recipient, mobile, address and the items (C000-09, C004-08); the merchant receives what the
  shipping label and after-sales need; the payment institution receives the purchase's number
  and amount and a subject line that names no one (C000-08) — each as an allowlist below, used by
  ``disclosure.disclose`` and by nothing else.
- Transaction records are kept while the account lives and three years after the transaction
  closed (E-Commerce Law art. 31), then anonymized. Cancelling the account restricts them: the
  encrypted recipient fields stay under the buyer's transaction key, readable only for legal
  purposes until the term ends; everything kept in clear is blanked at once.
- Special goods (C000-04/05/06) add what the product itself needs, each for its purpose.
- The abnormal-order check keeps keyed hashes of network address, device and delivery address
  for 30 days, for transaction security (C001-06).
"""

from django.utils.translation import gettext_lazy as _

from candor.orders.models import Order, OrderCheck, OrderLine, Purchase, SpecialDetails
from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, Share, not_personal, register
from candor.privacy.retention import Then

_RECIPIENT = [taxonomy.ORDERING, taxonomy.DELIVERY, taxonomy.CUSTOMER_SERVICE]
_LEGAL_TERM = retention.after("closed_at", years=3, then=Then.ANONYMIZE, while_account=True)
_ADDRESS = ("province", "city", "district", "address_detail")
_HOUSE = [taxonomy.CUSTOMER_SERVICE]
# Which institution and when — not an account or a card number, so not sensitive. The same on
# the purchase and on each of its orders, which copy them.
_PAYMENT_METHOD = Pi(
    taxonomy.PROPERTY, purposes=[taxonomy.PAYMENT], sensitive=False, label=_("Payment method")
)
_PAID_AT = Pi(
    taxonomy.PROPERTY, purposes=[taxonomy.PAYMENT], sensitive=False, required=False, label=_("Paid at")
)

register(
    Purchase,
    subject="buyer",
    reference="number",
    fields={
        "payment_method": _PAYMENT_METHOD,
        "paid_at": _PAID_AT,
    },
    not_personal={
        "number": "a random number that says nothing about the buyer",
        "idempotency_key": "the client's random retry key",
        "status": "where the payment stands",
        "total_fen": "the amount of the purchase; who paid it is the buyer link",
        "created_at": "when the purchase was placed",
        "pay_by": "when an unpaid purchase closes",
    },
    retention=retention.after("created_at", years=3, then=Then.ANONYMIZE, while_account=True),
    on_erasure=OnErasure.RESTRICT,
    recipients=[
        Share(taxonomy.PAYMENT_INSTITUTION, ("number", "total_fen", "payment_subject"), taxonomy.PAYMENT),
    ],
)

register(
    Order,
    subject="buyer",
    reference="number",
    fields={
        "recipient_name": Pi(taxonomy.BASIC, purposes=_RECIPIENT, encrypt=True, mask="name"),
        "recipient_phone": Pi(taxonomy.BASIC, purposes=_RECIPIENT, encrypt=True, mask="phone"),
        "province": Pi(taxonomy.BASIC, purposes=_RECIPIENT, mask="address"),
        "city": Pi(taxonomy.BASIC, purposes=_RECIPIENT, mask="address"),
        "district": Pi(taxonomy.BASIC, purposes=_RECIPIENT, required=False, mask="address"),
        "address_detail": Pi(taxonomy.BASIC, purposes=_RECIPIENT, encrypt=True, mask="address"),
        "landline": Pi(
            taxonomy.BASIC, purposes=[taxonomy.DELIVERY], encrypt=True, required=False, mask="phone"
        ),
        "email": Pi(taxonomy.BASIC, purposes=[taxonomy.DELIVERY], encrypt=True, required=False, mask="email"),
        "for_someone_else": Pi(taxonomy.OTHER, purposes=[taxonomy.ORDERING], required=False, anonymize=False),
        "warehouse_name": Pi(taxonomy.EDUCATION_WORK, purposes=[taxonomy.DELIVERY], required=False),
        # A company's name and taxpayer number, or a person's name on a personal invoice.
        "invoice_title": Pi(taxonomy.BASIC, purposes=[taxonomy.ORDERING], required=False),
        "tax_number": Pi(taxonomy.BASIC, purposes=[taxonomy.ORDERING], required=False),
        "note": Pi(taxonomy.OTHER, purposes=[taxonomy.ORDERING, taxonomy.DELIVERY], required=False),
        "buyer_deleted_at": Pi(
            taxonomy.ONLINE_ACTIVITY, purposes=[taxonomy.ORDERING], required=False,
            label=_("Removed from my orders at"),
        ),
        # Copied from the purchase: declared as there.
        "payment_method": _PAYMENT_METHOD,
        "paid_at": _PAID_AT,
    },
    not_personal={
        "number": "a random number that says nothing about the buyer",
        "status": "where the order stands",
        "goods_fen": "the amount; who paid it is the buyer link",
        "shipping_fen": "the shipping fee",
        "total_fen": "the amount; who paid it is the buyer link",
        "created_at": "when the order was placed",
        "shipped_at": "when the merchant shipped it",
        "delivered_at": "when the carrier delivered it",
        "completed_at": "when it completed",
        "cancelled_at": "when it was cancelled",
        "cancel_reason": "a code from a fixed list (timeout, buyer, staff)",
        "closed_at": "when the transaction ended; the legal term counts from it",
        "held_reason": "the rule that held the order, from a fixed list",
    },
    retention=_LEGAL_TERM,
    on_erasure=OnErasure.RESTRICT,
    recipients=[
        Share(
            taxonomy.LOGISTICS,
            ("number", "recipient_name", "recipient_phone", *_ADDRESS, "items"),
            taxonomy.DELIVERY,
        ),
        Share(
            taxonomy.MERCHANT,
            ("number", "recipient_name", "recipient_phone", *_ADDRESS, "items", "note", "warehouse_name"),
            taxonomy.DELIVERY,
        ),
    ],
)  # fmt: skip

register(
    SpecialDetails,
    subject="buyer",
    fields={
        # A phone card is activated only for a verified holder (real-name registration of
        # mobile numbers, C000-04).
        "holder_name": Pi(taxonomy.IDENTITY, purposes=[taxonomy.REAL_NAME], encrypt=True, mask="name"),
        "holder_id_number": Pi(
            taxonomy.IDENTITY, purposes=[taxonomy.REAL_NAME], encrypt=True, mask="id_number", sensitive=True
        ),
        # Whole-house customization: the designer needs the house (C000-05).
        "house_layout": Pi(taxonomy.PROPERTY, purposes=_HOUSE, encrypt=True, required=False),
        "house_status": Pi(taxonomy.PROPERTY, purposes=_HOUSE, encrypt=True, required=False),
        "house_area_m2": Pi(taxonomy.PROPERTY, purposes=_HOUSE, encrypt=True, required=False),
        "budget_fen": Pi(taxonomy.PROPERTY, purposes=_HOUSE, encrypt=True, required=False),
        # Phone insurance covers one handset, named by its IMEI (C000-06).
        "imei": Pi(taxonomy.DEVICE, purposes=[taxonomy.CUSTOMER_SERVICE], encrypt=True, required=False),
    },
    not_personal={"kind": "which special goods the line is"},
    # Every field is encrypted under the transaction key: kept with the order while the account
    # lives, restricted at erasure, unreadable for good when the key is destroyed at the end of
    # the legal term.
    retention=retention.while_account(),
    on_erasure=OnErasure.RESTRICT,
)  # fmt: skip

register(
    OrderCheck,
    subject="buyer",
    fields={
        "ip_hash": Pi(
            taxonomy.NETWORK_IDENTITY, purposes=[taxonomy.TRANSACTION_SECURITY], hashed=True,
            label=_("Network address (keyed hash)"),
        ),
        "device_hash": Pi(
            taxonomy.DEVICE, purposes=[taxonomy.TRANSACTION_SECURITY], hashed=True, required=False,
            label=_("Device (keyed hash)"),
        ),
        "address_hash": Pi(
            taxonomy.BASIC, purposes=[taxonomy.TRANSACTION_SECURITY], hashed=True,
            label=_("Delivery address (keyed hash)"),
        ),
        "at": Pi(taxonomy.ONLINE_ACTIVITY, purposes=[taxonomy.TRANSACTION_SECURITY], label=_("Order time")),
    },
    retention=retention.after("at", days=30),
    on_erasure=OnErasure.DELETE,
)  # fmt: skip

not_personal(
    OrderLine,
    fields={"product_name": "the product's name at the time of the order, not a person's"},
)
