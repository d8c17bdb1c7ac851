"""Chinese mobile numbers: one parser for registration, login, guardians and addresses.

Candor accepts mainland mobile numbers only (the seeds' malls verify a +86 mobile), written
with or without +86, spaces or dashes, and stores them in one canonical form, the 11 national
digits, so the blind index of "+86 138-1234-8000" and "13812348000" is the same.
"""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError


class InvalidPhone(CandorError):
    status = 400
    code = "invalid_phone"

    def __init__(self) -> None:
        message = _("Enter a valid mainland China mobile number.")
        super().__init__(message, fields={"phone": [str(message)]})


def normalize_cn_mobile(raw: str) -> str:
    """The 11-digit national form of a mainland mobile number, or ``InvalidPhone``."""
    try:
        number = phonenumbers.parse((raw or "").strip(), "CN")
    except phonenumbers.NumberParseException:
        raise InvalidPhone() from None
    if (
        number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE
    ):
        raise InvalidPhone()
    return str(number.national_number)


def digits_only(value: str) -> str:
    """Blind-index normalization for phone columns (values are already canonical)."""
    return "".join(ch for ch in value if ch.isdigit())
