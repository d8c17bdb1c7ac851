"""Purchase and order numbers: the date (for people reading them on the phone) and 14 random
digits from ``secrets``, so that a number cannot be guessed from another one — it is what the
payment institution and the carrier see, and a URL of the buyer's order holds it."""

from __future__ import annotations

import secrets

from django.utils import timezone


def new_number() -> str:
    return timezone.localtime().strftime("%y%m%d") + f"{secrets.randbelow(10**14):014d}"
