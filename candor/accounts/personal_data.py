"""What the account holds about a person (C001-02, C002-01, C004-03: account name, password,
optional nickname and email; everything else optional)."""

from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat

from candor.accounts.models import User
from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, register

register(
    User,
    subject="pk",
    fields={
        # The account name is how the person logs in; shown to staff masked.
        "username": Pi(
            taxonomy.NETWORK_IDENTITY,
            purposes=[taxonomy.REGISTRATION],
            sensitive=False,
            mask="generic",
            # Erased accounts keep a unique placeholder so the row can stay for the records
            # that point at it, while the name itself is free to register again.
            anonymize=Concat(Value("erased-"), Cast(F("id"), output_field=CharField())),
        ),
        "password": Pi(
            taxonomy.NETWORK_IDENTITY, purposes=[taxonomy.REGISTRATION], hashed=True, anonymize="!erased"
        ),
        "email": Pi(taxonomy.BASIC, purposes=[taxonomy.REGISTRATION], required=False, mask="email"),
        "nickname": Pi(
            taxonomy.BASIC, purposes=[taxonomy.REGISTRATION, taxonomy.DISPLAY], required=False, mask="name"
        ),
        "language": Pi(taxonomy.OTHER, purposes=[taxonomy.DISPLAY], required=False),
        "last_login": Pi(taxonomy.ONLINE_ACTIVITY, purposes=[taxonomy.TRANSACTION_SECURITY], required=False),
    },
    not_personal={
        "date_joined": "when the account was opened; stays on the anonymized row that records point at",
    },
    retention=retention.while_account(),
    on_erasure=OnErasure.ANONYMIZE,
)
