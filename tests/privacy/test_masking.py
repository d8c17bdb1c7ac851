"""Display masking: the examples the seeds and the brief name, and properties over any input."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from candor.errors import CandorError
from candor.privacy.admin_mixins import masked_value
from candor.privacy.keyring import DecryptionError, RestrictedData, SubjectErased
from candor.privacy.masking import MASKS, mask

EXAMPLES = [
    ("phone", "13812348000", "138****8000"),
    ("phone", "+86 138 1234 8000", "+86 138 **** 8000"),
    ("phone", "+8613812348000", "+86138****8000"),
    ("phone", "010-12345678", "010-****5678"),
    ("phone", "(0755) 8888 1234", "(0755) **** 1234"),
    ("phone", "12345", "*****"),
    ("name", "张三", "张*"),
    ("name", "欧阳娜娜", "欧阳**"),
    ("name", "诸葛亮", "诸葛*"),
    ("name", "欧阳", "欧*"),
    ("name", "张", "*"),
    ("name", "买买提·艾力", "买**·**"),
    ("name", "John Smith", "J*** S****"),
    ("id_number", "110101199003071234", "1101**********1234"),
    ("id_number", "11010119900307123X", "1101**********123X"),
    ("id_number", "E12345678", "E******78"),
    ("email", "zhangsan@example.com", "z******n@example.com"),
    ("email", "ab@example.com", "**@example.com"),
    ("address", "北京市朝阳区建国路88号", "北京市朝阳区****"),
    ("address", "上海市浦东新区世纪大道100号", "上海市浦东新区****"),
    ("address", "浙江省杭州市西湖区文三路90号", "浙江省杭州市西湖区****"),
    ("address", "江苏省苏州市昆山市玉山镇", "江苏省苏州市昆山市****"),
    ("address", "新疆维吾尔自治区乌鲁木齐市天山区解放路1号", "新疆维吾尔自治区乌鲁木齐市天山区****"),
    ("address", "广西壮族自治区南宁市青秀区民族大道", "广西壮族自治区南宁市青秀区****"),
    ("address", "吉林省延边朝鲜族自治州延吉市局子街", "吉林省延边朝鲜族自治州延吉市****"),
    ("address", "内蒙古自治区锡林郭勒盟正蓝旗上都镇", "内蒙古自治区锡林郭勒盟正蓝旗****"),
    ("address", "广东省东莞市南城街道鸿福路", "广东省东莞市****"),
    ("address", "北京市望京花园小区3号楼", "北京市****"),  # a housing estate is not a district
    ("address", "建国路88号", "****"),
    ("address", "Room 5, 88 Jianguo Road, Chaoyang District, Beijing", "****, Chaoyang District, Beijing"),
    ("address", "12 High Street, Cambridge", "****, Cambridge"),
    ("address", "somewhere", "****"),
    ("bank_card", "6222 0212 3456 7890", "**** **** **** 7890"),
    ("bank_card", "6222021234567890123", "**** **** **** 0123"),
    ("bank_card", "1234", "**** **** **** ****"),
    ("generic", "hello world", "h******"),
    ("generic", "x", "*"),
]


@pytest.mark.parametrize(("kind", "value", "masked"), EXAMPLES)
def test_examples(kind, value, masked):
    assert mask(kind, value) == masked


@pytest.mark.parametrize("kind", sorted(MASKS))
@pytest.mark.parametrize("value", [None, "", "   "])
def test_nothing_masks_to_nothing(kind, value):
    assert mask(kind, value) == ""


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(KeyError):
        mask("no-such-kind", "x")


@given(kind=st.sampled_from(sorted(MASKS)), value=st.text(max_size=60))
def test_any_text_masks_without_error_and_masking_twice_changes_nothing(kind, value):
    once = mask(kind, value)
    assert isinstance(once, str)
    assert mask(kind, once) == once


@given(kind=st.sampled_from(sorted(MASKS)), value=st.text(max_size=3))
def test_short_input_never_comes_back_whole(kind, value):
    masked = mask(kind, value)
    # What a kind hides: an e-mail's mailbox (its domain is shown); an address is skipped, as a
    # bare division name ("北京市") is shown whole. A value with stars may already be masked.
    hidden = value.strip().rpartition("@")[0] if kind == "email" and "@" in value else value
    if any(ch.isalnum() for ch in hidden) and "*" not in value and kind != "address":
        assert masked != value.strip()


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_a_mobile_number_hides_its_middle_four(number):
    masked = mask("phone", number)
    assert masked == number[:3] + "****" + number[7:]


@given(st.from_regex(r"[1-6][0-9]{16}[0-9X]", fullmatch=True))
def test_an_id_number_hides_birth_date_and_sequence(number):
    masked = mask("id_number", number)
    assert masked == number[:4] + "*" * 10 + number[14:]


@given(
    st.from_regex(r"[a-z0-9._]{3,20}", fullmatch=True),
    st.from_regex(r"[a-z0-9]{1,10}\.(com|cn|net)", fullmatch=True),
)
def test_an_email_hides_the_inside_of_its_mailbox(local, domain):
    masked = mask("email", f"{local}@{domain}")
    assert masked == f"{local[0]}{'*' * (len(local) - 2)}{local[-1]}@{domain}"


NAME_CHARS = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@given(st.text(NAME_CHARS, min_size=2, max_size=4))
def test_a_chinese_name_shows_only_the_surname(full_name):
    masked = mask("name", full_name)
    kept = len(masked.rstrip("*"))
    assert kept in (1, 2) and len(masked) == len(full_name)
    assert masked[kept:] == "*" * (len(full_name) - kept)


@given(st.from_regex(r"[0-9]{12,19}", fullmatch=True))
def test_a_bank_card_shows_only_its_last_four(number):
    masked = mask("bank_card", number)
    assert masked == "**** **** **** " + number[-4:]
    assert number[:-4] not in masked.replace(" ", "")


@given(st.text(st.characters(categories=["L", "N"]), min_size=2, max_size=40))
def test_generic_shows_only_the_first_character(value):
    masked = mask("generic", value)
    assert masked == value[0] + "******"


@given(
    st.sampled_from(["北京市朝阳区", "浙江省杭州市西湖区", "广西壮族自治区南宁市青秀区"]),
    st.text(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5) | st.sampled_from("0123456789号"),
        min_size=1,
    ),
)
def test_an_address_keeps_the_district_and_hides_the_rest(district, street):
    masked = mask("address", district + "88号" + street)
    assert masked == district + "****"


# --- the admin's masked displays -----------------------------------------------------------------


class _Row:
    """A row whose field raises what opening its value raised."""

    pk = 7

    class _meta:  # what masked_value reads of a model
        label_lower = "shop.row"

    def __init__(self, error: Exception | None, value: str = "13812348000") -> None:
        self.error, self.value = error, value

    @property
    def phone(self) -> str:
        if self.error is not None:
            raise self.error
        return self.value


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (None, "138****8000"),
        (RestrictedData(), "(restricted)"),
        (DecryptionError("a value of shop.row.phone does not decrypt with its key"), "(cannot be shown)"),
        (SubjectErased(), "(cannot be shown)"),
        (CandorError("any other refusal"), "(cannot be shown)"),
    ],
)
def test_an_admin_display_shows_a_placeholder_when_a_value_does_not_open(error, shown):
    with translation.override("en"):
        assert masked_value(_Row(error), "phone", "phone") == shown


def test_a_missing_master_key_is_not_hidden_behind_a_placeholder():
    # A configuration error concerns every row: it fails loudly instead.
    with pytest.raises(ImproperlyConfigured):
        masked_value(_Row(ImproperlyConfigured("master key v2 is needed")), "phone", "phone")
