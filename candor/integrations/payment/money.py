"""Amounts: Candor counts in fen (integers); Alipay writes yuan with two decimals.

No float ever holds an amount: "0.1" + "0.2" yuan must be 30 fen, not 30.000000000000004. The
conversion from text accepts only what Alipay writes (digits, optionally a point and one or two
decimals) and refuses the rest, so a malformed amount in a notification is rejected rather than
rounded into a different one.
"""

from __future__ import annotations

import re

_YUAN = re.compile(r"(0|[1-9][0-9]{0,12})(?:\.([0-9]{1,2}))?")


def yuan(fen: int) -> str:
    """``1`` → ``"0.01"``, ``999999`` → ``"9999.99"``."""
    if fen < 0:
        raise ValueError("an amount cannot be negative")
    return f"{fen // 100}.{fen % 100:02d}"


def fen(text: str) -> int:
    """``"0.01"`` → ``1``, ``"88.8"`` → ``8880``; ``ValueError`` for anything else."""
    match = _YUAN.fullmatch(text)
    if match is None:
        raise ValueError(f"not an amount in yuan: {text!r}")
    return int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
