"""Turning product text and queries into the same tokens, on both databases.

Chinese has no spaces, so a database tokenizer sees "苹果手机壳" as one word and a search for
手机 finds nothing (Saleor's ``simple`` search fails exactly so). We segment in Python with
rjieba (the jieba dictionary in Rust; docs/adr/0006-search.md has the measurement) in *search
mode*, which adds the short words inside a long one (手机 inside 手机壳), and hand the database
space-separated tokens. Queries go through the same function, so a query token and a document
token are equal when the words are.

What a document holds, per product (``document``):
- ``zh``: search-mode tokens of the Chinese name; ``en``: the English name; ``brand``;
  ``sub``: both subtitles (lower weight);
- ``chars``: every Chinese character of the name once, so a one-character query (壳, 鞋)
  finds names in which the character sits inside a longer word;
- ``py``: pinyin syllables of the Chinese name, plus for every word boundary the joined pinyin
  from there on ("pingguoshoujike shoujike ke"), so ``shouji``, ``shou ji`` and
  ``pingguoshouji`` all find 苹果手机壳 by prefix; ``pyi``: the same with initials
  ("pgsjk sjk k"), so ``sj`` finds 手机.

Segmenting runs without the HMM guesser: it would guess new words differently depending on the
text around them, and then a query would not segment like the same words in a name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import rjieba
from pypinyin import lazy_pinyin

MAX_QUERY_CHARS = 200  # longer is not a search but a paste; refused with a clear 400
MAX_TERMS = 12  # more query words add nothing but cost
_MAX_PINYIN_WORDS = 12  # joined pinyin suffixes per run of Chinese words

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_RUN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")
# A token: a run of letters and digits of one script kind (Latin letters+digits, or other).
_PIECES = re.compile(r"[a-z0-9]+|[^\W_a-z0-9]+")
_ALNUM_PARTS = re.compile(r"[a-z]+|[0-9]+")


def normalize(text: str) -> str:
    """Full-width letters and digits as ASCII (ＡＢＣ１２８ → abc128), lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _pieces(raw_token: str) -> list[str]:
    out: list[str] = []
    for piece in _PIECES.findall(raw_token):
        out.append(piece)
        if piece.isascii():
            parts = _ALNUM_PARTS.findall(piece)
            if len(parts) > 1:  # "mate60pro" also as "mate", "60", "pro"
                out.extend(parts)
    return out


def tokens(text: str) -> list[str]:
    """Search-mode tokens of a text, normalized; punctuation and spaces dropped."""
    out: list[str] = []
    for raw in rjieba.cut_for_search(normalize(text), False):
        out.extend(_pieces(raw))
    return out


def words(text: str) -> list[str]:
    """Accurate-mode words (no overlaps): the units pinyin is joined by."""
    return rjieba.cut(normalize(text), False)


@lru_cache(maxsize=50_000)
def _word_pinyin(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    full = tuple(lazy_pinyin(word, errors="ignore"))
    initials = tuple(s[0] for s in full if s)
    return full, initials


def pinyin_fields(text: str) -> tuple[str, str]:
    """(py, pyi) of a Chinese text; see the module docstring."""
    runs: list[list[str]] = [[]]
    for word in words(text):
        if _HAN_RUN.match(word):
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    py: list[str] = []
    pyi: list[str] = []
    for run in runs:
        if not run:
            continue
        per_word = [_word_pinyin(w) for w in run]
        for full, _initials in per_word:
            py.extend(full)
        for i in range(min(len(per_word), _MAX_PINYIN_WORDS)):
            tail = per_word[i : i + _MAX_PINYIN_WORDS]
            joined = "".join("".join(full) for full, _ in tail)
            initials = "".join("".join(ini) for _, ini in tail)
            if len(tail) > 1 or len(tail[0][0]) > 1:  # single syllables are already in py
                py.append(joined)
            pyi.append(initials)
    return " ".join(py), " ".join(pyi)


def han_chars(text: str) -> str:
    return " ".join(dict.fromkeys(_HAN.findall(text or "")))


@dataclass(frozen=True)
class Document:
    """The searchable text of one product, every field already space-separated tokens."""

    zh: str
    en: str
    brand: str
    sub: str
    chars: str
    py: str
    pyi: str

    def columns(self) -> tuple[str, str, str, str, str, str, str]:
        return (self.zh, self.en, self.brand, self.sub, self.chars, self.py, self.pyi)


def document(
    *, name_zh: str, name_en: str, brand: str, subtitle_zh: str = "", subtitle_en: str = ""
) -> Document:
    py, pyi = pinyin_fields(name_zh)
    return Document(
        zh=" ".join(tokens(name_zh)),
        en=" ".join(tokens(name_en)),
        brand=" ".join(tokens(brand)),
        sub=" ".join(tokens(f"{subtitle_zh} {subtitle_en}")),
        chars=han_chars(name_zh),
        py=py,
        pyi=pyi,
    )


# --- queries ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One query word. ``prefix``: Latin letters, matched as the start of a word (English,
    pinyin, initials); otherwise matched whole."""

    text: str
    prefix: bool


# English words that say nothing about a product; dropped from queries that have other words.
_STOP = frozenset({"a", "an", "the", "for", "of", "and", "with", "in", "on", "to", "by", "or"})


def _singular(token: str) -> str:
    # "phones" finds "phone" (a prefix does the rest); "glass" and "ps" stay as they are.
    return token[:-1] if len(token) > 3 and token.endswith("s") and not token.endswith("ss") else token


def name_keys(name_zh: str, name_en: str) -> set[str]:
    """The ways a person types exactly this (category) name, spaces left out: 手机, shouji,
    sj, phone (for "Phones")."""
    keys: set[str] = set()
    zh = "".join(normalize(name_zh).split())
    if zh:
        full, initials = _word_pinyin(zh)
        keys.update({zh, "".join(full), "".join(initials)})
    keys.add("".join(_singular(w) for w in re.findall(r"[a-z0-9]+", normalize(name_en))))
    keys.discard("")
    return keys


def query_key(terms: list[Term]) -> str:
    """The query's words joined, to compare with ``name_keys``."""
    return "".join(t.text for t in terms)


def query_terms(query: str) -> list[Term]:
    """The query's words, segmented like the documents; empty when nothing searchable is left.

    Only letters and digits survive, so nothing a person types (quotes, ``*``, ``NEAR``, ``-``,
    ``:``, parentheses) reaches the database as syntax: every term is quoted as a plain string.
    """
    found = tokens(query[: MAX_QUERY_CHARS * 2])
    if any(t not in _STOP for t in found):
        found = [t for t in found if t not in _STOP]
    seen: dict[str, Term] = {}
    for token in found:
        # Letters only and at least two of them: a prefix (pinyin "shou", English "phon").
        prefix = token.isascii() and token.isalpha() and len(token) >= 2
        if prefix:
            token = _singular(token)
        if token in seen:
            continue
        seen[token] = Term(token, prefix)
        if len(seen) >= MAX_TERMS:
            break
    return list(seen.values())
