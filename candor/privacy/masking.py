"""Desensitization on display (C001-22, C002-16): what staff and screens see by default.

Each kind keeps just enough for a person to recognise the value ("is this the 138…8000 number
you registered?") and hides the rest: phone numbers keep the operator prefix or area code and
the last four digits, names the surname, ID numbers the region code and the last four, e-mail
the first and last letter of the mailbox, addresses stop at the district, bank cards keep the
last four. Masking is total: any string (or None) gives a string, never an exception — it runs
inside admin pages and API serializers, where a crash would be worse than a plain "****" —
and masking a masked value changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

STAR = "*"
HIDDEN = "****"  # a fixed-width run where the length itself would tell something

# Compound surnames (复姓) keep both characters; the rest of a Chinese name is hidden.
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "钟离", "端木", "西门", "南宫", "独孤", "申屠", "太史", "澹台", "公冶",
    "宗政", "濮阳", "淳于", "单于", "太叔", "仲孙", "闻人", "万俟", "赫连", "百里", "呼延", "东郭",
    "拓跋", "第五", "鲜于", "闾丘", "司空", "司寇", "亓官", "子车", "颛孙", "壤驷", "公良", "漆雕",
    "乐正", "宰父", "谷梁", "公西", "梁丘", "左丘", "段干",
})  # fmt: skip

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _keep(value: str, head: int, tail: int, *, maskable: Callable[[str], bool] = str.isalnum) -> str:
    """Replace every maskable character except the first ``head`` and last ``tail`` of them;
    separators (spaces, dashes, brackets, '+') stay so the shape remains readable. A star
    counts as maskable, so that masking again keeps the same positions."""
    symbols = sum(1 for ch in value if ch == STAR or maskable(ch))
    if head + tail >= symbols:  # too short to show anything and still hide something
        head, tail = 0, 0
    out, seen = [], 0
    for ch in value:
        if ch == STAR or maskable(ch):
            out.append(ch if seen < head or seen >= symbols - tail else STAR)
            seen += 1
        else:
            out.append(ch)
    return "".join(out)


def phone(value: str) -> str:
    """13812348000 → 138****8000; +86 138 1234 8000 → +86 138 **** 8000; 010-12345678 →
    010-****5678. The country code of a mobile number is not part of the number."""
    text = value.strip()
    prefix = ""
    international = re.match(r"(\+|00)86[\s-]*", text)
    if international:
        prefix, text = text[: international.end()], text[international.end() :]
    symbols = [ch for ch in text if ch == STAR or ch.isalnum()]
    if len(symbols) == 11 and symbols[0] == "1":
        head = 3  # the operator prefix
    elif (area := re.match(r"\(?(0\d{2,3})\)?[\s-]", text)) is not None:
        head = len(area[1])  # a landline's area code
    else:
        head = 0
    return prefix + _keep(text, head, 4 if len(symbols) >= 7 else 0)


def name(value: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧阳**, John Smith → J*** S****."""
    text = value.strip()
    if _CJK.match(text):  # a Chinese surname first (tested on the first character, which stays)
        head = 2 if text[:2] in COMPOUND_SURNAMES and len(text) > 2 else 1
        # "·" separates the parts of many minority and transliterated names: keep it.
        return _keep(text, head, 0, maskable=lambda ch: ch not in "·• ")
    return " ".join(_keep(word, 1, 0) for word in text.split())


def id_number(value: str) -> str:
    """110101199003071234 → 1101**********1234: the region code and the last four stay."""
    text = value.strip()
    length = sum(1 for ch in text if ch == STAR or ch.isalnum())
    if length >= 15:
        return _keep(text, 4, 4)
    if length >= 8:  # passports and other documents
        return _keep(text, 1, 2)
    return _keep(text, 0, 0)


def email(value: str) -> str:
    """zhangsan@example.com → z******n@example.com: the domain says little about the person."""
    text = value.strip()
    local, at, domain = text.rpartition("@")
    if not at:
        return generic(text)
    if len(local) < 3:
        return STAR * len(local) + at + domain
    return local[0] + STAR * (len(local) - 2) + local[-1] + at + domain


# Administrative divisions, from the top: province-level, prefecture-level, county-level. A
# division is a short run of CJK characters (no street words) ending in its level's suffix.
_NAME = r"(?:(?![路街号巷弄村])[\u3400-\u9fff]){1,12}?"
_MUNICIPALITY = re.compile(r"(?:北京|上海|天津|重庆)市?")
_PROVINCE = re.compile(_NAME + r"(?:特别行政区|自治区|省)")
_PREFECTURE = re.compile(_NAME + r"(?:自治州|地区|市|盟|州(?!市))")
# A housing estate (小区), community (社区) or park (园区) is not a district.
_COUNTY = re.compile(_NAME + r"(?:自治县|自治旗|林区|特区|(?<![小社园])区|县|旗|市)")


def address(value: str) -> str:
    """北京市朝阳区建国路88号 → 北京市朝阳区****; "Room 5, 88 Jianguo Road, Beijing,
    China" → "****, Beijing, China": down to the district (or city and province), no further."""
    text = value.strip()
    if not _CJK.search(text):
        parts = [part.strip() for part in text.split(",")]
        kept = parts[-2:] if len(parts) > 2 else parts[1:]
        return ", ".join([HIDDEN, *(part for part in kept if part and STAR not in part)])
    position = 0
    municipality = _MUNICIPALITY.match(text)
    levels = (_COUNTY,) if municipality else (_PROVINCE, _PREFECTURE, _COUNTY)
    if municipality:
        position = municipality.end()
    for level in levels:
        found = level.match(text, position)
        if found:
            position = found.end()
    return text[:position] + HIDDEN if position < len(text) else text


def bank_card(value: str) -> str:
    """6222 0212 3456 7890 → **** **** **** 7890, whatever the length."""
    symbols = [ch for ch in value if ch == STAR or ch.isalnum()]
    if len(symbols) < 8:
        return "**** **** **** ****"
    return "**** **** **** " + "".join(symbols[-4:])


def generic(value: str) -> str:
    """The first character and a fixed run of stars."""
    text = value.strip()
    if len(text) < 2:
        return STAR
    return text[0] + STAR * 6


MASKS: dict[str, Callable[[str], str]] = {
    "phone": phone,
    "name": name,
    "id_number": id_number,
    "email": email,
    "address": address,
    "bank_card": bank_card,
    "generic": generic,
}


def mask(kind: str, value: str | None) -> str:
    """The display form of ``value``; "" for nothing. ``kind`` is one of ``MASKS`` (the
    declaration's ``Pi.mask``); an unknown kind is a programming error and raises KeyError."""
    if value is None:
        return ""
    text = str(value)
    if not text.strip():
        return ""
    return MASKS[kind](text)
