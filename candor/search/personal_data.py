"""What search keeps about people, and why (C000-02, C001-04, C002-02).

- Search history: the words a logged-in person searched and when, kept so they can search them
  again (the search page lists them to refill the box) and so suggestions can start from their
  own words (purpose: product display and search). It is never used to rank results for them
  or anyone else: search ranking is the same for everyone. Retention: 180 days after the last
  search of the same words; the person can delete one entry or all of them at any time (really
  deleted), and erasure deletes them. A guest's searches are kept only in their own session,
  never in this table.
"""

from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, register
from candor.search.models import SearchHistory

HISTORY_DAYS = 180

register(
    SearchHistory,
    subject="user",
    fields={
        "query": Pi(
            taxonomy.ONLINE_ACTIVITY,
            purposes=[taxonomy.DISPLAY],
            required=False,
            sensitive=False,
            label="search words",
        ),
        "searched_at": Pi(
            taxonomy.ONLINE_ACTIVITY, purposes=[taxonomy.DISPLAY], required=False, sensitive=False
        ),
    },
    retention=retention.after("searched_at", days=HISTORY_DAYS),
    on_erasure=OnErasure.DELETE,
)
