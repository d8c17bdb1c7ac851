"""What the page-view statistics hold (C002-12, C004-16), and why: counting which pages are
used, to improve the mall, only with the visitor's consent (``taxonomy.ANALYTICS``).

A row holds a random browser id, the page's URL pattern and the previous page's, and a time
(``models.py`` says why that is de-identified but still personal). Kept 90 days, long enough to
compare one season with the last, then deleted by the retention sweep. Nothing is shared.
"""

from django.utils.translation import gettext_lazy as _

from candor.cookies.models import PageView
from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, register

_USE = [taxonomy.ANALYTICS]

register(
    PageView,
    subject="account",  # always 0, "no account": see models.py
    fields={
        "aid": Pi(taxonomy.DEVICE, purposes=_USE, label=_("Analytics cookie id (random)")),
        "path": Pi(taxonomy.ONLINE_ACTIVITY, purposes=_USE, label=_("Page visited (address pattern)")),
        "referrer": Pi(
            taxonomy.ONLINE_ACTIVITY,
            purposes=_USE,
            required=False,
            label=_("Previous page on Candor (address pattern)"),
        ),
        "at": Pi(taxonomy.ONLINE_ACTIVITY, purposes=_USE, label=_("Time of the page view")),
    },
    retention=retention.after("at", days=90),
    on_erasure=OnErasure.DELETE,
    label=_("page views (analytics)"),
)
