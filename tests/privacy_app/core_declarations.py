from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, Share, not_personal, register
from tests.privacy_app.core_models import Catalogue, Deal, Profile, Review, SearchEntry

register(
    Profile,
    subject="user",
    fields={
        "real_name": Pi(taxonomy.IDENTITY, purposes=[taxonomy.REAL_NAME], encrypt=True, mask="name"),
        "id_number": Pi(taxonomy.IDENTITY, purposes=[taxonomy.REAL_NAME], encrypt=True, mask="id_number"),
        "gender": Pi(taxonomy.BASIC, purposes=[taxonomy.DISPLAY], required=False),
        "landline": Pi(taxonomy.BASIC, purposes=[taxonomy.DELIVERY], required=False, mask="phone"),
        "bio": Pi(taxonomy.OTHER, purposes=[taxonomy.DISPLAY], required=False),
    },
    retention=retention.while_account(),
    on_erasure=OnErasure.DELETE,
)
register(
    SearchEntry,
    subject="user",
    fields={"keyword": Pi(taxonomy.ONLINE_ACTIVITY, purposes=[taxonomy.DISPLAY])},
    not_personal={"created_at": "when the search was made"},
    retention=retention.after("created_at", days=180),
    on_erasure=OnErasure.DELETE,
)
register(
    Review,
    subject="user",
    fields={
        "author_name": Pi(taxonomy.BASIC, purposes=[taxonomy.DISPLAY], mask="name", anonymize="匿名用户"),
        "contact_email": Pi(
            taxonomy.BASIC, purposes=[taxonomy.CUSTOMER_SERVICE], required=False, mask="email"
        ),
        "body": Pi(taxonomy.OTHER, purposes=[taxonomy.DISPLAY]),
    },
    retention=retention.while_account(),
    on_erasure=OnErasure.ANONYMIZE,
)
register(
    Deal,
    subject="user",
    fields={
        "recipient_name": Pi(taxonomy.BASIC, purposes=[taxonomy.DELIVERY], encrypt=True, mask="name"),
        "recipient_phone": Pi(taxonomy.BASIC, purposes=[taxonomy.DELIVERY], encrypt=True, mask="phone"),
        "address": Pi(taxonomy.LOCATION, purposes=[taxonomy.DELIVERY], encrypt=True, mask="address"),
        "buyer_note": Pi(taxonomy.OTHER, purposes=[taxonomy.ORDERING], required=False),
    },
    not_personal={"number": "order number, random", "completed_at": "when the order completed"},
    retention=retention.after("completed_at", years=3, then=retention.Then.ANONYMIZE, while_account=True),
    on_erasure=OnErasure.RESTRICT,
    recipients=[
        Share(taxonomy.PAYMENT_INSTITUTION, ("number", "amount_fen", "payment_subject"), taxonomy.PAYMENT),
        Share(
            taxonomy.LOGISTICS, ("number", "recipient_name", "recipient_phone", "address"), taxonomy.DELIVERY
        ),
    ],
)
not_personal(Catalogue, fields={"name": "a product's name"})
