"""What the account holds about a person (C001-02, C002-01, C004-03: account name, password,
mobile number and e-mail; C003-18: an optional profile; nothing else is required)."""

from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _

from candor.accounts.models import ApiToken, Cancellation, Profile, User
from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, exempt, register

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
            label=_("account name"),
            # Erased accounts keep a unique placeholder so the row can stay for the records
            # that point at it, while the name itself is free to register again.
            anonymize=Concat(Value("erased-"), Cast(F("id"), output_field=CharField())),
        ),
        "password": Pi(
            taxonomy.NETWORK_IDENTITY, purposes=[taxonomy.REGISTRATION], hashed=True, anonymize="!erased"
        ),
        # The person's own mobile: verified by SMS at registration, used to log in by code and
        # to reset the password (C001-02, C003-02).
        "phone": Pi(
            taxonomy.BASIC,
            purposes=[taxonomy.REGISTRATION, taxonomy.TRANSACTION_SECURITY],
            encrypt=True,
            mask="phone",
        ),
        "phone_verified_at": Pi(
            taxonomy.ONLINE_ACTIVITY, purposes=[taxonomy.REGISTRATION], required=False, sensitive=False
        ),
        "email": Pi(taxonomy.BASIC, purposes=[taxonomy.REGISTRATION], mask="email"),
        "nickname": Pi(
            taxonomy.BASIC, purposes=[taxonomy.REGISTRATION, taxonomy.DISPLAY], required=False, mask="name"
        ),
        "language": Pi(taxonomy.OTHER, purposes=[taxonomy.DISPLAY], required=False),
        "last_login": Pi(taxonomy.ONLINE_ACTIVITY, purposes=[taxonomy.TRANSACTION_SECURITY], required=False),
    },
    not_personal={
        "date_joined": "when the account was opened; stays on the anonymized row that records point at",
        "phone_bidx": "a keyed hash of the mobile number, only for equality lookups; blanked on erasure",
    },
    retention=retention.while_account(),
    on_erasure=OnErasure.ANONYMIZE,
)

register(
    Profile,
    subject="user",
    fields={
        "avatar": Pi(taxonomy.BASIC, purposes=[taxonomy.DISPLAY], required=False),
        "avatar_type": Pi(taxonomy.OTHER, purposes=[taxonomy.DISPLAY], required=False),
        "gender": Pi(taxonomy.BASIC, purposes=[taxonomy.DISPLAY], required=False),
        # Needed only to tell whether the person is a minor (guardian consent, C004-23).
        "birthday": Pi(taxonomy.BASIC, purposes=[taxonomy.GUARDIAN_CONSENT], required=False),
        "residence": Pi(taxonomy.BASIC, purposes=[taxonomy.DISPLAY], required=False, mask="address"),
        "interests": Pi(taxonomy.OTHER, purposes=[taxonomy.DISPLAY], required=False),
        "landline": Pi(taxonomy.BASIC, purposes=[taxonomy.DISPLAY], required=False, mask="phone"),
    },
    not_personal={"updated_at": "when the profile last changed"},
    retention=retention.while_account(),
    on_erasure=OnErasure.DELETE,
)

register(
    ApiToken,
    subject="user",
    fields={
        "digest": Pi(
            taxonomy.NETWORK_IDENTITY,
            purposes=[taxonomy.TRANSACTION_SECURITY],
            hashed=True,
            label="token digest",
        ),
        "name": Pi(
            taxonomy.DEVICE, purposes=[taxonomy.TRANSACTION_SECURITY], required=False, sensitive=False
        ),
        "last_used_at": Pi(
            taxonomy.ONLINE_ACTIVITY, purposes=[taxonomy.TRANSACTION_SECURITY], required=False
        ),
    },
    not_personal={
        "created_at": "when the token was issued",
        "expires_at": "when the token stops working",
    },
    retention=retention.after("expires_at", days=1),
    on_erasure=OnErasure.DELETE,
)

register(
    Cancellation,
    subject="user",
    fields={
        "requested_at": Pi(taxonomy.ONLINE_ACTIVITY, purposes=[taxonomy.RIGHTS_REQUESTS], sensitive=False),
        "decided_at": Pi(
            taxonomy.ONLINE_ACTIVITY, purposes=[taxonomy.RIGHTS_REQUESTS], required=False, sensitive=False
        ),
        # Written by staff about this person's request, and shown to them on the cancel page.
        "hold_reason": Pi(taxonomy.OTHER, purposes=[taxonomy.RIGHTS_REQUESTS], required=False),
    },
    not_personal={
        "status": "where the request stands",
        "review_until": "when the 48-hour review ends",
        "held_at": "when staff stopped the review clock",
    },
    # The erasure itself is recorded by the core (ErasureRecord); this row goes with the account.
    retention=retention.while_account(),
    on_erasure=OnErasure.DELETE,
)

# django-axes counts failed logins in the cache (settings.AXES_HANDLER) for the 15-minute
# cool-off and writes none of its tables; tests/test_accounts_login.py shows they stay empty.
_AXES_UNUSED = "django-axes runs with its cache handler: this table is never written"
for _model in (AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog):
    exempt(_model, reason=_AXES_UNUSED)
