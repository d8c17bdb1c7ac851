"""GB 11643-1999 numbers: format, region, birth date, ISO 7064 MOD 11-2 check digit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from candor.identity import idnumbers
from candor.identity.idnumbers import InvalidIdNumber, birthday_of, check_char, validate

PROVINCES = sorted(idnumbers.PROVINCES)


@st.composite
def valid_numbers(draw):
    province = draw(st.sampled_from(PROVINCES))
    rest_of_region = draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date.today()))
    sequence = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    first17 = f"{province}{rest_of_region}{born:%Y%m%d}{sequence}"
    return first17 + check_char(first17), born


def test_known_example_validates():
    # The worked example of the standard's annex: 11010519491231002X.
    assert validate("11010519491231002x") == "11010519491231002X"
    assert birthday_of("11010519491231002X") == date(1949, 12, 31)


@given(valid_numbers())
def test_generated_numbers_round_trip(sample):
    number, born = sample
    assert validate(number) == number
    assert validate(" ".join([number[:6], number[6:14], number[14:]]).lower()) == number
    assert birthday_of(number) == born


@given(valid_numbers(), st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=10))
def test_any_single_character_change_breaks_the_checksum(sample, position, shift):
    number, _ = sample
    alphabet = "0123456789X" if position == 17 else "0123456789"
    current = alphabet.index(number[position])
    replacement = alphabet[(current + shift) % len(alphabet)]
    if replacement == number[position]:
        return
    changed = number[:position] + replacement + number[position + 1 :]
    first17, check = changed[:17], changed[17]
    assert check_char(first17) != check


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1101051949123100", "characters"),  # too short
        ("11010519491231002Y", "characters"),
        ("99010519491231002X", "region"),  # 99 is no province
        ("110105194913310028", "date"),  # month 13
        ("110105180001010012", "date"),  # before 1900
        ("110105194912310021", "check"),  # wrong check digit
    ],
)
def test_invalid_numbers_are_refused(raw, reason):
    with pytest.raises(InvalidIdNumber) as caught:
        validate(raw)
    assert caught.value.code == "invalid_id_number"
    assert caught.value.status == 400
    assert "id_number" in caught.value.fields


def test_birth_date_in_the_future_is_refused():
    tomorrow = date.today() + timedelta(days=1)
    first17 = f"110105{tomorrow:%Y%m%d}001"
    with pytest.raises(InvalidIdNumber):
        validate(first17 + check_char(first17))
    assert not idnumbers.is_valid(first17 + check_char(first17))
