"""Resident identity card numbers (GB 11643-1999): validation before anything is stored or sent.

An 18-character number is 6 digits of administrative region (GB/T 2260), 8 of birth date
(YYYYMMDD), 3 of sequence (odd for men, even for women) and one check character computed with
ISO 7064 MOD 11-2 over the first 17 ("X" stands for 10). Checking the number here, before the
identity authority sees it, keeps typing errors from costing a paid look-up and keeps
malformed data out of the disclosure ledger. Only the province part of the region code is
checked: counties are renamed and merged every year, and the authority knows the rest.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError

# Province-level codes of GB/T 2260, plus 71 (Taiwan), 81/82 (Hong Kong, Macao residence
# permits) and 83 (Taiwan residents' residence permits), which use the same number format.
PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83",
})  # fmt: skip

# ISO 7064 MOD 11-2: weight of position i (0-based, left to right) is 2**(17 - i) mod 11.
WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
CHECK_CHARS = "10X98765432"  # indexed by (weighted sum mod 11)
EARLIEST_BIRTH = date(1900, 1, 1)


class InvalidIdNumber(CandorError):
    status = 400
    code = "invalid_id_number"

    def __init__(self, message: object = None) -> None:
        text = message or _("Enter a valid 18-digit resident identity card number.")
        super().__init__(text, fields={"id_number": [str(text)]})  # type: ignore[arg-type]


def normalize(raw: str) -> str:
    """Spaces removed, a lower-case check "x" raised: the form that is stored and indexed."""
    return "".join((raw or "").split()).upper()


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True)) % 11]


def birthday_of(number: str) -> date:
    """The birth date encoded in a (valid) number."""
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def validate(raw: str, *, today: date | None = None) -> str:
    """The normalized number, or ``InvalidIdNumber`` naming what is wrong."""
    number = normalize(raw)
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdNumber(_("An ID number has 18 characters: 17 digits and a final digit or X."))
    if number[:2] not in PROVINCES:
        raise InvalidIdNumber(_("The first two digits of this ID number are not a region code."))
    try:
        born = birthday_of(number)
    except ValueError:
        raise InvalidIdNumber(_("This ID number does not contain a valid date of birth.")) from None
    if born < EARLIEST_BIRTH or born > (today or date.today()):
        raise InvalidIdNumber(_("This ID number does not contain a valid date of birth."))
    if check_char(number[:17]) != number[17]:
        raise InvalidIdNumber(_("The check digit of this ID number does not match; please check for a typo."))
    return number


def is_valid(raw: str, *, today: date | None = None) -> bool:
    try:
        validate(raw, today=today)
    except InvalidIdNumber:
        return False
    return True
