"""The simulator's outbox, and the SMS provider Candor hands numbers to (C003-14, C004-16)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from candor.integrations.sms.models import OutboxMessage
from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, register
from candor.privacy.third_parties import ThirdParty, register_third_party

register(
    OutboxMessage,
    # The simulated provider does not know Candor's accounts, so rows belong to no account
    # (0); a subject's export and erasure do not reach them, their one-day term does. They
    # exist only where CANDOR_SIMULATORS is on.
    subject="account",
    fields={
        "phone": Pi(taxonomy.BASIC, purposes=[taxonomy.REGISTRATION], mask="phone"),
        # A message Candor wrote to the person (the code), not their own correspondence.
        "text": Pi(taxonomy.COMMUNICATION, purposes=[taxonomy.REGISTRATION], sensitive=False),
    },
    not_personal={
        "provider": "which simulated provider received the request",
        "receipt": "a random receipt id",
        "created_at": "when the simulated provider received it",
    },
    retention=retention.after("created_at", days=1),
    on_erasure=OnErasure.DELETE,
    label=_("simulated text messages (demo only)"),
)

_DATA_ITEMS = (_("mobile number"), _("message content (the verification code)"))
_PARTIES = {
    "aliyun": ThirdParty(
        name=_("Aliyun SMS (Short Message Service)"),
        operator=_("Alibaba Cloud Computing Co., Ltd."),
        function=_("Deliver verification codes by text message"),
        data_items=_DATA_ITEMS,
        policy_url="https://terms.aliyun.com/legal-agreement/terms/suit_bu1_ali_cloud/suit_bu1_ali_cloud201902141711_54837.html",
        recipient=taxonomy.SMS_GATEWAY,
        method=_("Server-to-server API call when you ask for a code"),
    ),
    "tencent": ThirdParty(
        name=_("Tencent Cloud SMS"),
        operator=_("Tencent Cloud Computing (Beijing) Co., Ltd."),
        function=_("Deliver verification codes by text message"),
        data_items=_DATA_ITEMS,
        policy_url="https://privacy.tencent.com/",
        recipient=taxonomy.SMS_GATEWAY,
        method=_("Server-to-server API call when you ask for a code"),
    ),
}
# Only the provider this installation talks to is listed; the other receives nothing.
register_third_party(_PARTIES[settings.CANDOR_SMS_GATEWAY])
