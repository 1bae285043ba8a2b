"""The outreach dashboard's charts, drawn on the server as SVG.

Horizontal bars, one per month, town or kind of venue, so long labels fit a phone. As for
every chart in Bloom: no script and no ``style`` attribute (the Content Security Policy
allows neither), a ``<title>`` and a ``<desc>``, a ``<title>`` on every bar, and the page
shows the same numbers in a table beside it.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

WIDTH = 640
LABEL_WIDTH, VALUE_WIDTH, ROW_HEIGHT, BAR_HEIGHT, TOP = 200, 56, 26, 16, 8
TEXT_FILL = "#1d2830"
BAR_FILL = "#0d5c63"
TENTH = Decimal("0.1")


def _px(value) -> str:
    return str(Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP))


def bars(rows: list[tuple[str, int]], *, chart_id: str, title: str, desc: str) -> SafeString:
    """A bar per (label, value), longest bar the largest value; nothing when all are zero."""
    if not rows or not any(value for _label, value in rows):
        return SafeString("")
    top = max(value for _label, value in rows)
    plot = Decimal(WIDTH - LABEL_WIDTH - VALUE_WIDTH)
    height = TOP * 2 + ROW_HEIGHT * len(rows)
    parts = []
    for index, (label, value) in enumerate(rows):
        y = TOP + ROW_HEIGHT * index
        length = plot * Decimal(value) / Decimal(top)
        shown = number_format(value, force_grouping=True)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="{}">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>'
                '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
                LABEL_WIDTH - 8,
                y + BAR_HEIGHT - 3,
                TEXT_FILL,
                label if len(label) <= 28 else label[:27] + "…",
                LABEL_WIDTH,
                y,
                _px(length),
                BAR_HEIGHT,
                BAR_FILL,
                label,
                shown,
                _px(LABEL_WIDTH + length + 6),
                y + BAR_HEIGHT - 3,
                TEXT_FILL,
                shown,
            )
        )
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        'role="img" aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="xMinYMin meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{bars}</svg>',
        w=WIDTH,
        h=height,
        id=chart_id,
        title=title,
        desc=desc,
        bars=SafeString("".join(parts)),
    )
