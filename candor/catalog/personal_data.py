"""What the catalog keeps about people, and why.

- Browsing history ("足迹", C000-02 / C004-04 kin): which products a logged-in person opened
  and when, so the person can find them again on the history page (purpose: product display).
  Listings and search never rank by it (their orders stay non-personal, C004-04); only with the
  person's own opt-in to personalized recommendation does it feed their profile tags and the
  home page's "For you" list (``candor.centre``), which they can see, delete and switch off. A
  guest's views are not stored at all. Retention: 180 days after the last view — long enough to find
  something seen "last season", short enough that the list stays a convenience and not a
  profile; the person can delete one entry or all of them at any time, and erasure deletes them.
- Merchant staff (``Merchant.staff``): that an account works for a merchant is work
  information; it is used only to let that account manage its merchant's products in admin
  (and no one else's). Kept while the account lives; deleted with it.

Products, merchants and categories are about no one: their ``name_*`` fields only look personal.
"""

from candor.catalog.models import BrowsingHistory, Category, Merchant, Product
from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, not_personal, register

HISTORY_DAYS = 180
_USES = [taxonomy.DISPLAY, taxonomy.PERSONALIZATION]  # the second only with its own consent

register(
    BrowsingHistory,
    subject="user",
    fields={
        "product": Pi(taxonomy.ONLINE_ACTIVITY, purposes=_USES, required=False, sensitive=False),
        "viewed_at": Pi(taxonomy.ONLINE_ACTIVITY, purposes=_USES, required=False, sensitive=False),
    },
    retention=retention.after("viewed_at", days=HISTORY_DAYS),
    on_erasure=OnErasure.DELETE,
)

register(
    Merchant.staff.through,
    subject="user",
    fields={
        "merchant": Pi(
            taxonomy.EDUCATION_WORK,
            purposes=[taxonomy.TRANSACTION_SECURITY],
            required=False,
            label="merchant the account works for",
        ),
    },
    retention=retention.while_account(),
    on_erasure=OnErasure.DELETE,
)

_NAMES = {
    "name_zh": "the Chinese name of a shop, category or product, not of a person",
    "name_en": "the English name of a shop, category or product, not of a person",
}
for _model in (Merchant, Category, Product):
    not_personal(_model, fields=_NAMES)
