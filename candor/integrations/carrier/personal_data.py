"""The carrier simulator's tables, and Kdniao, the party Candor hands recipients to for delivery.

The recipient data a carrier receives is declared on the order (its logistics share); here is
what the *simulated* carrier keeps of it — the recipient's city, for its tracking texts — and
the third party the published list names (C003-14, C004-16).
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from candor.integrations.carrier.models import SimShipment, SimTrace
from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, register
from candor.privacy.third_parties import ThirdParty, register_third_party

# The simulated carrier does not know Candor's accounts, so rows belong to no account (0); a
# subject's export and erasure do not reach them, their 30-day term does. They exist only where
# CANDOR_SIMULATORS is on.
register(
    SimShipment,
    subject="account",
    fields={
        "recipient_city": Pi(taxonomy.BASIC, purposes=[taxonomy.DELIVERY], mask="address"),
    },
    not_personal={
        "waybill_no": "a number the simulated carrier made up",
        "carrier_code": "which carrier (SF, ZTO …)",
        "order_no": "a random order number that says nothing about the buyer",
        "created_at": "when the simulated carrier issued the waybill",
    },
    retention=retention.after("created_at", days=30),
    on_erasure=OnErasure.DELETE,
    label=_("simulated shipments (demo only)"),
)

register(
    SimTrace,
    subject="account",
    fields={
        # The texts and cities of the last legs name the recipient's city, nothing more.
        "station": Pi(
            taxonomy.BASIC, purposes=[taxonomy.DELIVERY], label=_("tracking text (names the city)")
        ),
        "location": Pi(taxonomy.BASIC, purposes=[taxonomy.DELIVERY], mask="address"),
    },
    not_personal={
        "shipment": "the simulated waybill it belongs to",
        "action": "a state code of the carrier's",
        "at": "when the simulated event happened",
        "pushed_at": "when the simulated carrier pushed it to Candor",
    },
    retention=retention.after("at", days=30),
    on_erasure=OnErasure.DELETE,
    label=_("simulated tracking events (demo only)"),
)

_PARTIES = {
    "kdniao": ThirdParty(
        name=_("Kdniao logistics API (快递鸟)"),
        operator=_("Shenzhen Kuaijin Data Technology Service Co., Ltd."),
        function=_("Create waybills with the carrier that delivers your order, and track the parcel"),
        data_items=(
            _("recipient's name"),
            _("recipient's mobile number"),
            _("delivery address"),
            _("names and quantities of the goods"),
        ),
        policy_url="https://www.kdniao.com/",
        recipient=taxonomy.LOGISTICS,
        method=_("Server-to-server API call when your order is shipped"),
    ),
}
# Only the gateway this installation talks to is listed.
register_third_party(_PARTIES[settings.CANDOR_CARRIER["gateway"]])
