"""What the inbox keeps: the notices sent to a member, for a year (a notice about a policy
change or an incident must be provable later), deleted with the account."""

from django.utils.translation import gettext_lazy as _

from candor.inbox.models import Message
from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, register

register(
    Message,
    subject="user",
    fields={
        "title": Pi(taxonomy.COMMUNICATION, purposes=[taxonomy.RIGHTS_REQUESTS], sensitive=False),
        "body": Pi(
            taxonomy.COMMUNICATION, purposes=[taxonomy.RIGHTS_REQUESTS], sensitive=False, required=False
        ),
        "read_at": Pi(
            taxonomy.ONLINE_ACTIVITY, purposes=[taxonomy.RIGHTS_REQUESTS], required=False, label=_("Read at")
        ),
    },
    not_personal={
        "kind": "which kind of notice, from a fixed list",
        "link": "a link to a page of the site",
        "channels": "which channels the notice also went out on",
        "created_at": "when it was sent",
    },
    retention=retention.after("created_at", years=1),
    on_erasure=OnErasure.DELETE,
)
