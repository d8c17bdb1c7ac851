"""What codes and the dev outbox hold about people, and who receives what (C000-22, C001-02).

Keyed hashes of a mobile number or an address are declared as personal data, not waved
through as "not personal": whoever holds the key can test a number against them, and mobile
numbers are few enough to try them all. They are kept one day — the longest rate-limit
window — and then swept (``retention.after("created_at", days=1)``).

Subject. A code's row points at the account that held the number when the code was sent, so
that the account's export, erasure and disclosure ledger include it; a registration code goes
to someone who has no account yet, and its row (and its disclosure record) carries subject 0,
"no account" — user ids start at 1, so 0 is nobody's. Those rows are reached by their one-day
term only. No change to the privacy core was needed: ``disclose`` records whatever integer
subject the declaration yields.
"""

from django.utils.translation import gettext_lazy as _

from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, Share, register
from candor.verification.models import OutboxEmail, VerificationCode

register(
    VerificationCode,
    subject="account",
    fields={
        "phone_hash": Pi(
            taxonomy.BASIC, purposes=[taxonomy.REGISTRATION, taxonomy.TRANSACTION_SECURITY], hashed=True
        ),
        "ip_hash": Pi(taxonomy.DEVICE, purposes=[taxonomy.TRANSACTION_SECURITY], hashed=True),
    },
    not_personal={
        "channel": "how the code was sent",
        "purpose": "what the code is for",
        "salt": "random bytes of the code's hash",
        "code_hash": "a keyed hash of a random number, about no one",
        "attempts": "how many wrong codes were entered",
        "created_at": "when the code was sent",
        "expires_at": "when the code expires",
        "consumed_at": "when the code was used",
        "receipt": "the gateway's random receipt id",
    },
    retention=retention.after("created_at", days=1),
    on_erasure=OnErasure.DELETE,
    # The number and the code exist only in memory for this hand-over (models.outgoing).
    recipients=[Share(taxonomy.SMS_GATEWAY, ("phone", "message"), taxonomy.REGISTRATION)],
)

register(
    OutboxEmail,
    # The outbox stands in for a mail server (demo and tests only), which does not know whose
    # address it is: subject 0, "no account"; its one-day term removes the rows.
    subject="account",
    fields={
        "to": Pi(taxonomy.BASIC, purposes=[taxonomy.REGISTRATION], mask="email"),
        # A message Candor wrote to the person (a link), not their own correspondence.
        "subject": Pi(taxonomy.COMMUNICATION, purposes=[taxonomy.REGISTRATION], sensitive=False),
        "body": Pi(taxonomy.COMMUNICATION, purposes=[taxonomy.REGISTRATION], sensitive=False),
    },
    not_personal={"created_at": "when the e-mail was sent"},
    retention=retention.after("created_at", days=1),
    on_erasure=OnErasure.DELETE,
    label=_("outbox e-mails (demo only)"),
)
