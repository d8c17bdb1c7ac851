"""Template filters for the Markdown renderings of the published documents."""

from __future__ import annotations

import re

from django import template

register = template.Library()

# Characters that would turn plain text into emphasis, code, links or table cells.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_|\[\]<])")


@register.filter
def md(value: object) -> str:
    """Plain text made literal in Markdown, on one line (it may sit in a table cell)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))
