"""What the announcements keep about members, and what the SMS gateway receives for a notice.

Drafts, incidents, shutdown notices and notice runs are about the service, not about a person:
their ``created_by`` is the staff member accountable for them. Two tables are about members:
who an incident touched and how they were told (``IncidentAffected``), and each text message that
announced a policy change (``SmsNotice``). Both hand the SMS gateway the mobile number and the
notice's subject — only in memory, for the one message — under a legal duty: a change of the
policy must be made known (PIPL art. 17) and so must an incident (PIPL art. 57). The records are
kept three years, as evidence that the notice went out, and go with the account.
"""

from django.utils.translation import gettext_lazy as _

from candor.announcements.models import (
    Incident,
    IncidentAffected,
    NoticeRun,
    PolicyDraft,
    ShutdownNotice,
    SmsNotice,
)
from candor.privacy import datamap, retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, Share, register

_STAFF = "the staff member accountable for it, not a member"

datamap.not_personal(PolicyDraft, fields={"created_by": _STAFF})
datamap.not_personal(ShutdownNotice, fields={"created_by": _STAFF})
datamap.not_personal(NoticeRun, fields={"created_by": _STAFF})
datamap.not_personal(
    Incident,
    fields={
        "created_by": _STAFF,
        "contact": "how to reach Candor's personal-information contact, printed in every notice",
    },
)

register(
    IncidentAffected,
    subject="user",
    fields={
        "notified_at": Pi(
            taxonomy.ONLINE_ACTIVITY,
            purposes=[taxonomy.TRANSACTION_SECURITY],
            required=False,
            label=_("told about a security incident at"),
        ),
    },
    not_personal={
        "incident": "which incident, a record about the service",
        "found_at": "when the search for affected members found this one",
        "emailed": "whether the notice also went by e-mail",
        "sms_receipt": "the gateway's random receipt id",
    },
    retention=retention.after("found_at", years=3),
    on_erasure=OnErasure.DELETE,
    recipients=[
        Share(
            taxonomy.SMS_GATEWAY,
            ("phone", "message"),
            taxonomy.TRANSACTION_SECURITY,
            basis=taxonomy.LEGAL_OBLIGATION,
        )
    ],
    label=_("security incidents that concerned you"),
)

register(
    SmsNotice,
    subject="user",
    fields={},
    not_personal={
        "run": "which announcement it belonged to",
        "sent_at": "when it was handed to the gateway",
        "receipt": "the gateway's random receipt id",
    },
    retention=retention.after("sent_at", years=3),
    on_erasure=OnErasure.DELETE,
    recipients=[
        Share(
            taxonomy.SMS_GATEWAY, ("phone", "message"), taxonomy.REGISTRATION, basis=taxonomy.LEGAL_OBLIGATION
        )
    ],
    label=_("text messages about policy changes"),
)
