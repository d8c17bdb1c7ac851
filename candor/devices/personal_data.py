"""What a registration or login records about the device and network (C000-01, C001-03,
C002-06), and why.

Purposes: account and transaction security for all of it (the user's "login devices" page,
spotting a strange device); the screen resolution and device model also choose how products
are displayed (C000-01, C001-03). The IP address is network identity information (GB/T 35273
Annex A), which the taxonomy treats as sensitive: it is encrypted, under the key of the
records the law makes us keep.

Retention: these rows are network logs, which the Cybersecurity Law (art. 21) requires to be
kept *at least* six months. Six calendar months are at most 184 days (July to December), so
rows go 184 days after the event: never a day early, and no longer than needed. On erasure
they are restricted rather than deleted, since the legal duty outlives the account: the
encrypted IP stays readable only for a legal purpose, the rest is blanked; the sweep removes
the rows when the 184 days are over.
"""

from candor.devices.models import DeviceEvent
from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, register

SECURITY = [taxonomy.TRANSACTION_SECURITY]
SECURITY_AND_DISPLAY = [taxonomy.TRANSACTION_SECURITY, taxonomy.DISPLAY]
NETWORK_LOG_DAYS = 184  # Cybersecurity Law art. 21: at least six months

register(
    DeviceEvent,
    subject="user",
    fields={
        "device_model": Pi(taxonomy.DEVICE, purposes=SECURITY_AND_DISPLAY, required=False),
        "os": Pi(taxonomy.DEVICE, purposes=SECURITY, required=False),
        "app_version": Pi(taxonomy.DEVICE, purposes=SECURITY, required=False),
        "language": Pi(taxonomy.DEVICE, purposes=SECURITY, required=False),
        "resolution": Pi(taxonomy.DEVICE, purposes=SECURITY_AND_DISPLAY, required=False),
        "carrier": Pi(taxonomy.DEVICE, purposes=SECURITY, required=False),
        "browser": Pi(taxonomy.DEVICE, purposes=SECURITY, required=False),
        "ip_address": Pi(
            taxonomy.NETWORK_IDENTITY,
            purposes=[taxonomy.TRANSACTION_SECURITY, taxonomy.LEGAL_RETENTION],
            encrypt=True,
            mask="generic",
        ),
    },
    not_personal={
        "event": "whether the row records a registration or a login",
        "at": "when it happened; the retention term counts from it",
    },
    retention=retention.after("at", days=NETWORK_LOG_DAYS),
    on_erasure=OnErasure.RESTRICT,
)
