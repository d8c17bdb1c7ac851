"""What the staff second factor (django-otp) holds about a staff member (C002-16).

A ``TOTPDevice`` row belongs to one staff account: its ``name`` is a label of the device (Candor
sets "Authenticator app", but the admin lets a privacy officer type another), and
``last_used_at`` records when the staff member last signed in with it — activity on the back
office, kept for account security. Both go with the account.

The ``key`` is not declared as personal information, and here is why, honestly: it is a random
secret Candor generated and shared with the staff member's authenticator app; it identifies no
one and says nothing about the person, but it *is* a credential. django-otp must read it back to
compute codes, so it cannot be a one-way hash, and declaring it hashed would make the published
policy say something false. It is protected as a secret instead: never shown in the admin after
enrolment (``OTP_ADMIN_HIDE_SENSITIVE_DATA``), never exported or revealed (only declared fields
are), shown once to its owner on the enrolment page, and deleted with the device or the account.
"""

from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, register

register(
    TOTPDevice,
    subject="user",
    label=_("Staff second-factor devices"),
    fields={
        "name": Pi(
            taxonomy.DEVICE,
            purposes=[taxonomy.TRANSACTION_SECURITY],
            label=_("Name of the staff authenticator device"),
            mask="generic",
        ),
        "last_used_at": Pi(
            taxonomy.ONLINE_ACTIVITY,
            purposes=[taxonomy.TRANSACTION_SECURITY],
            required=False,
            label=_("When the staff second factor was last used"),
        ),
    },
    not_personal={
        "key": "a random secret Candor generated for the authenticator app: a credential, not "
        "information about the person; hidden in the admin, never exported, deleted with the device",
        "confirmed": "whether the device finished enrolment",
    },
    retention=retention.while_account(),
    on_erasure=OnErasure.DELETE,
)
