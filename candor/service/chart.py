"""The staff chart of requests against their deadlines: one stacked bar per week of receipt —
answered in time, answered late, open and overdue, open and not yet due — as an inline SVG.

No JavaScript and no style attribute (the CSP allows neither): bars are sized by SVG geometry
attributes and coloured by classes from ``service/admin.css``; each bar part has a ``<title>``
that reads out its count.
"""

from __future__ import annotations

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from candor.service.selectors import Week

BAR, GAP, HEIGHT, TOP, BOTTOM = 28, 12, 200, 20, 40


def parts() -> list[tuple[str, str]]:
    """(Week attribute, label) in stacking order, bottom first; also the legend."""
    return [
        ("in_time", _("Answered in time")),
        ("late", _("Answered late")),
        ("open_overdue", _("Open, overdue")),
        ("open_in_time", _("Open, not yet due")),
    ]


def bars(weeks: list[Week]) -> SafeString:
    peak = max((w.total for w in weeks), default=0) or 1
    scale = HEIGHT / peak
    width = len(weeks) * (BAR + GAP) + GAP
    items = []
    rect = '<rect class="bar-{}" x="{}" y="{}" width="{}" height="{}"><title>{} {}: {}</title></rect>'
    text = '<text class="{}" x="{}" y="{}" text-anchor="middle">{}</text>'
    for index, week in enumerate(weeks):
        x = GAP + index * (BAR + GAP)
        middle = x + BAR / 2
        base = TOP + HEIGHT
        day = formats.date_format(week.start, "m-d")
        for name, label in parts():
            count = getattr(week, name)
            if not count:
                continue
            height = round(count * scale, 1)
            base -= height
            items.append(format_html(rect, name, x, round(base, 1), BAR, height, day, label, count))
        items.append(format_html(text, "bar-total", middle, round(base - 4, 1), week.total or ""))
        items.append(format_html(text, "bar-week", middle, TOP + HEIGHT + 16, day))
    axis = format_html(
        '<line class="bar-axis" x1="0" y1="{}" x2="{}" y2="{}"></line>', TOP + HEIGHT, width, TOP + HEIGHT
    )
    return format_html(
        '<svg class="request-chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}">'
        "{}{}</svg>",
        _("Requests per week of receipt, against their deadlines"), width, TOP + HEIGHT + BOTTOM,
        width, TOP + HEIGHT + BOTTOM, axis, format_html_join("", "{}", ((i,) for i in items)),
    )  # fmt: skip
