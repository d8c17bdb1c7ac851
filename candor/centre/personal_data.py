"""What the privacy centre keeps about people, and why.

- Profile tags: product categories a member seems interested in, with a weight and the source
  (their browsing history, their favorites or both) — the "user profile" of C001-10, used only
  for personalized recommendation (C000-19) and only while the member consents to it.
  Withdrawing that consent deletes them at once. They are re-derived at most daily while the
  member uses the mall; a tag not re-derived for ``TAG_DAYS`` days is swept, so a profile does
  not outlive its use. The member sees and deletes each on the automated-decisions page.
- Deleted profile tags: the categories a member removed from their profile, kept so that a
  deleted tag stays deleted (the next derivation skips it) until they allow it again. Kept
  while the account lives; deleted with it.

Coordinates sent to the location feature are not stored at all: the nearest province and city
are computed in memory and only they are returned.
"""

from django.utils.translation import gettext_lazy as _

from candor.centre.models import ProfileTag, ProfileTagSuppression
from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, register

TAG_DAYS = 30


def _profile(**kwargs: object) -> Pi:
    return Pi(
        taxonomy.OTHER,
        purposes=[taxonomy.PERSONALIZATION],
        required=False,
        sensitive=False,
        **kwargs,  # type: ignore[arg-type]
    )


register(
    ProfileTag,
    subject="user",
    fields={
        "category": _profile(label=_("interest (a product category)")),
        "weight": _profile(),
        "source": _profile(),
        "derived_at": _profile(),
    },
    retention=retention.after("derived_at", days=TAG_DAYS),
    on_erasure=OnErasure.DELETE,
)

register(
    ProfileTagSuppression,
    subject="user",
    fields={
        "category": _profile(label=_("interest you deleted from your profile")),
        "created_at": _profile(),
    },
    retention=retention.while_account(),
    on_erasure=OnErasure.DELETE,
)
