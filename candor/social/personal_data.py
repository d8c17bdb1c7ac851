"""What favorites, follows and share links keep about people (C003-05, C004-05), and why.

- Favorites: which products and services a member keeps under 我的—收藏, and since when, so
  they can find them again (purpose: product display); with the member's own opt-in to
  personalized recommendation, they also feed their profile tags (``candor.centre``).
- Follows: which merchants and members a member follows, and since when, shown on their page.
  A follow of a member is about two people. For the follower it is their activity
  (``Follow``, subject ``user``). For the followed member it is the fact of being followed
  (``FollowOfMember``, the same rows with subject ``member``): erasing the followed member
  deletes the follows of them, and their export lists how many there are and since when —
  not who follows, which is the followers' own data and is shown to no one else.
- Share links: which product a member shared, on which channel, when, and how often the link
  was opened (the sharer's log of their shares, C004-05). The token is random and the link
  says nothing about the sharer; who opened a link is not recorded.

All are kept while the account lives, deleted by the member at any time, and deleted at erasure.
"""

from django.utils.translation import gettext_lazy as _

from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, register
from candor.social.models import Favorite, Follow, FollowOfMember, ShareLink


def _activity(**kwargs: object) -> Pi:
    return Pi(taxonomy.ONLINE_ACTIVITY, purposes=[taxonomy.DISPLAY], sensitive=False, **kwargs)  # type: ignore[arg-type]


_FAVORITE = [taxonomy.DISPLAY, taxonomy.PERSONALIZATION]  # the second only with its own consent

register(
    Favorite,
    subject="user",
    fields={
        "product": Pi(taxonomy.ONLINE_ACTIVITY, purposes=_FAVORITE, sensitive=False),
        "created_at": Pi(taxonomy.ONLINE_ACTIVITY, purposes=_FAVORITE, sensitive=False),
    },
    retention=retention.while_account(),
    on_erasure=OnErasure.DELETE,
)

register(
    Follow,
    subject="user",
    fields={
        "merchant": _activity(required=False),
        # Another member, followed by this one: the follower's activity (the followed member's
        # side is FollowOfMember below). Not a contact list: nothing is imported or matched.
        "member": _activity(required=False),
        "created_at": _activity(),
    },
    retention=retention.while_account(),
    on_erasure=OnErasure.DELETE,
)

register(
    FollowOfMember,
    subject="member",
    # The followed member's export lists when they were followed — not by whom.
    fields={"created_at": _activity(label=_("when a member followed you"))},
    not_personal={
        "user": "the follower: the follower's own data (social.Follow), never shown to the followed member",
        "merchant": "always empty on a follow of a member",
    },
    retention=retention.while_account(),
    on_erasure=OnErasure.DELETE,
    label=_("follows of you by other members"),
)

register(
    ShareLink,
    subject="sharer",
    fields={
        "product": _activity(),
        "token": _activity(label=_("link token")),
        "channel": _activity(required=False),
        "visits": _activity(required=False, label=_("times the link was opened")),
        "created_at": _activity(),
    },
    retention=retention.while_account(),
    on_erasure=OnErasure.DELETE,
)
