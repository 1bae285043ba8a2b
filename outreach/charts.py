"""The outreach dashboard's charts, drawn on the server as SVG.

Horizontal bars, one per month, town or kind of venue, each under its label, drawn at a
phone's width so the words stay readable there (the page caps the chart's width on a wide
screen). As for
every chart in Bloom: no script and no ``style`` attribute (the Content Security Policy
allows neither), a ``<title>`` and a ``<desc>``, a ``<title>`` on every bar, and the page
shows the same numbers in a table beside it.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

WIDTH = 360
VALUE_WIDTH, LABEL_HEIGHT, BAR_HEIGHT, GAP, TOP = 48, 16, 14, 10, 4
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + GAP
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
    plot = Decimal(WIDTH - VALUE_WIDTH)
    height = TOP * 2 + ROW_HEIGHT * len(rows)
    parts = []
    for index, (label, value) in enumerate(rows):
        y = TOP + ROW_HEIGHT * index
        bar_y = y + LABEL_HEIGHT
        length = plot * Decimal(value) / Decimal(top)
        shown = number_format(value, force_grouping=True)
        parts.append(
            format_html(
                '<text x="0" y="{}" font-size="13" fill="{}">{}</text>'
                '<rect x="0" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>'
                '<text x="{}" y="{}" font-size="13" fill="{}">{}</text>',
                y + LABEL_HEIGHT - 4,
                TEXT_FILL,
                label,
                bar_y,
                _px(length),
                BAR_HEIGHT,
                BAR_FILL,
                label,
                shown,
                _px(length + 6),
                bar_y + BAR_HEIGHT - 2,
                TEXT_FILL,
                shown,
            )
        )
    return format_html(
        '<svg class="chart chart--bars" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        'role="img" aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="xMinYMin meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{bars}</svg>',
        w=WIDTH,
        h=height,
        id=chart_id,
        title=title,
        desc=desc,
        bars=SafeString("".join(parts)),
    )
