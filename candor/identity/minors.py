"""Age from a birth date, and the two thresholds the law draws for minors.

PIPL art. 31 treats the data of a child under 14 as sensitive and requires a guardian's consent
before any processing; the seeds (C003-28, C004-23) ask for a guardian's involvement for
everyone under 18. Between 14 and 17 Candor shows a guardian notice; under 14 the account
waits for a guardian's verified consent.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

CHILD_AGE = 14  # under this: guardian consent before any processing (PIPL art. 31)
ADULT_AGE = 18


class Band(StrEnum):
    CHILD = "child"  # under 14
    MINOR = "minor"  # 14 to 17
    ADULT = "adult"


def age_on(birthday: date, today: date) -> int:
    """Completed years on ``today``; someone born on 29 February turns a year older on
    1 March in common years."""
    return today.year - birthday.year - ((today.month, today.day) < (birthday.month, birthday.day))


def band_of(birthday: date, today: date) -> Band:
    age = age_on(birthday, today)
    if age < CHILD_AGE:
        return Band.CHILD
    if age < ADULT_AGE:
        return Band.MINOR
    return Band.ADULT
