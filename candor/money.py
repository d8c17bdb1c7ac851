"""How Candor writes an amount for people: integer fen as yuan with two decimals and no
thousands separator, as Chinese malls print prices ("¥3999.00"), a negative amount (a refund, a
discount) as "-¥1.50". One function, so the product card, the cart, the order and the back
office show the same amount the same way."""

from __future__ import annotations

from typing import Any


def price_text(fen: int) -> str:
    """``1280`` → ``"¥12.80"``, ``399900`` → ``"¥3999.00"``, ``-150`` → ``"-¥1.50"``."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}¥{whole}.{cents:02d}"


def yuan_filter(fen: Any) -> str:
    """``{{ fen|yuan }}``: ``price_text``, or ``""`` for anything that is not a whole number of fen
    (a missing amount shows nothing rather than ¥0.00)."""
    try:
        amount = int(fen)
    except (TypeError, ValueError):
        return ""
    return price_text(amount)
