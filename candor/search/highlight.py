"""Marking the query's words in a product name, safely.

The name is escaped piece by piece and only our own ``<mark>`` tags are added around the
matched spans, so a product called ``<script>`` shows as text. Spans are found on the
normalized name (full-width as ASCII, lower case) and mapped back to the original characters.
Chinese terms match anywhere; Latin terms at the start of a word (``pro`` in "Mate60Pro");
a pinyin term marks the Chinese words it spells (``shouji`` or ``sj`` marks 手机).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import rjieba
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from candor.search.text import Term, _word_pinyin, normalize

_HAN_WORD = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")


def _normalized(text: str) -> tuple[str, list[int]]:
    """The normalized text and, per normalized character, the index of its original one."""
    out: list[str] = []
    owner: list[int] = []
    for i, ch in enumerate(text):
        n = normalize(ch)
        out.append(n)
        owner.extend([i] * len(n))
    return "".join(out), owner


def _pinyin_spans(norm: str, term: str) -> list[tuple[int, int]]:
    words = rjieba.tokenize(norm, "default", False)
    spans = []
    for i, (_first, start, _end) in enumerate(words):
        full = initials = ""
        for word, _a, end in words[i:]:
            if not _HAN_WORD.match(word):
                break
            syllables, inits = _word_pinyin(word)
            full += "".join(syllables)
            initials += "".join(inits)
            if full.startswith(term) or initials.startswith(term):
                spans.append((start, end))
                break
            if not (term.startswith(full) or term.startswith(initials)):
                break
    return spans


def _spans(norm: str, terms: Sequence[Term]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for term in terms:
        t = term.text
        if t.isascii():
            before = r"(?<![a-z])" if t[0].isalpha() else r"(?<![0-9])"
            after = "" if term.prefix else (r"(?![a-z])" if t[-1].isalpha() else r"(?![0-9])")
            spans.extend(m.span() for m in re.finditer(before + re.escape(t) + after, norm))
            if term.prefix:
                spans.extend(_pinyin_spans(norm, t))
        else:
            spans.extend(m.span() for m in re.finditer(re.escape(t), norm))
    return spans


def highlight(text: str, terms: Sequence[Term]) -> SafeString:
    """``text`` as HTML with the matched words in ``<mark>``."""
    text = text or ""
    norm, owner = _normalized(text)
    marked = [False] * len(text)
    for a, b in _spans(norm, terms):
        if a < b:
            for i in range(owner[a], owner[b - 1] + 1):
                marked[i] = True
    out: list[str] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and marked[j] == marked[i]:
            j += 1
        piece = escape(text[i:j])
        out.append(f"<mark>{piece}</mark>" if marked[i] else piece)
        i = j
    return mark_safe("".join(out))  # noqa: S308 - every piece of the text was escaped above
