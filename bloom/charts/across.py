"""Charts read across: horizontal bars and a funnel, drawn at a phone's width.

Each bar sits under its own label, so long words (a town, a field of work) need no room beside
the bars and stay readable on a phone; the page caps the chart's width on a wide screen.
"""

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import format_html
from django.utils.translation import gettext as _

from bloom.charts.base import (
    NO_VALUE,
    NOTHING,
    Chart,
    Format,
    Series,
    bar_title,
    check_lengths,
    count,
    exact_value,
    frame,
    has_something,
    legend,
    px,
    style_for,
    table,
    tone,
    tones,
)

WIDTH = 360
TOP, LABEL_HEIGHT, GAP = 4, 16, 10
# One series draws thicker bars; several draw thinner ones, close together under their label.
SINGLE_BAR, GROUPED_BAR, BAR_GAP = 14, 12, 2
# Room beside the longest bar for its number: at least this, more for a long number.
VALUE_ROOM, VALUE_OFFSET = 48, 6
DIGIT_WIDTH = 8  # a 12 px digit, rounded up (DejaVu Sans draws it 7.6 px wide)


def bars(
    labels: list,
    series: list[Series],
    *,
    chart_id: str,
    title: str,
    desc: str,
    fmt: Format = count,
    label_heading: str | None = None,
    low=0,
    high=None,
    own_scale: bool = False,
    for_pdf: bool = False,
) -> Chart:
    """Under each label, one bar per series, its length in proportion to its value.

    Bars run from ``low`` (0) to ``high`` (the largest value): a scale of averages can say where it
    starts and ends. With ``own_scale`` each series is measured against its own largest value (two
    kinds of count, such as sessions and attendees, side by side). A missing value draws no bar.
    """
    check_lengths(labels, series)
    headings, rows, raw = table(labels, series, fmt=fmt, label_heading=label_heading or _("Group"))
    chart = Chart(chart_id, title, desc, NOTHING, headings, rows, raw, legend(series), style_for(for_pdf))
    if not labels or not has_something(series):
        return chart
    bar = SINGLE_BAR if len(series) == 1 else GROUPED_BAR
    widest = max(len(cell) for row in rows for cell in row[1:] if cell != NO_VALUE)
    plot = Decimal(WIDTH - max(VALUE_ROOM, VALUE_OFFSET + DIGIT_WIDTH * widest + 2))
    start = exact_value(low)
    tops = [_top(one.values, start, high) for one in series]
    if not own_scale:
        tops = [max(tops)] * len(series)
    names = [None] * len(series) if len(series) == 1 else [one.name for one in series]
    parts, y = [], TOP
    for index, label in enumerate(labels):
        parts.append(format_html('<text class="chart__label" x="0" y="{}">{}</text>', y + 12, label))
        y += LABEL_HEIGHT
        for one, css, top, name, shown in zip(series, tones(series), tops, names, rows[index][1:], strict=True):
            value = one.values[index]
            if value is not None:
                length = min(max(plot * (exact_value(value) - start) / (top - start), Decimal(0)), plot)
                title_text = bar_title(label, name, shown)
                parts.append(_bar(css, y=y, length=length, height=bar, title=title_text, shown=shown))
            y += bar + (BAR_GAP if len(series) > 1 else 0)
        y += GAP
    svg = frame(parts, chart_id=chart_id, title=title, desc=desc, width=WIDTH, height=y + TOP,
                kind="chart chart--bars", for_pdf=for_pdf)  # fmt: skip
    return replace(chart, svg=svg)


def _bar(css: str, *, y: int, length: Decimal, height: int, title: str, shown: str):
    """A bar from the left edge, its number just past its end."""
    return format_html(
        '<rect class="chart__bar {}" x="0" y="{}" width="{}" height="{}"><title>{}</title></rect>'
        '<text class="chart__value" x="{}" y="{}">{}</text>',
        css,
        y,
        px(length),
        height,
        title,
        px(length + VALUE_OFFSET),
        y + height - 2,
        shown,
    )


def _top(values, start: Decimal, high) -> Decimal:
    """Where a bar reaches the end of the plot: ``high``, or the largest value (never at ``start``)."""
    top = exact_value(high) if high is not None else max((exact_value(v) for v in values if v is not None), default=0)
    return top if top > start else start + 1


FUNNEL_BAR = 18


def _add_shares(rows: list[list], raw: list[list], values: list) -> None:
    """Each step's share of the first, to the whole percent, at the end of its row."""
    first = exact_value(values[0]) if values and values[0] is not None else Decimal(0)
    for row, raw_row, value in zip(rows, raw, values, strict=True):
        share = None if value is None or not first else _percent(exact_value(value), first)
        row.append(NO_VALUE if share is None else _("%(percent)s%%") % {"percent": count(share)})
        raw_row.append(share)


def _step(label, value, row: list[str], *, y: int, top: Decimal) -> list:
    """A step's name, its number and share at the right, and under them its bar, centred."""
    number, share = row[1], row[2]
    parts = [
        format_html(
            '<text class="chart__label" x="0" y="{}">{}</text>'
            '<text class="chart__value" x="{}" y="{}" text-anchor="end">{}</text>',
            y + 12,
            label,
            WIDTH,
            y + 12,
            NO_VALUE if value is None else _("%(value)s · %(share)s") % {"value": number, "share": share},
        )
    ]
    if value is not None:
        length = Decimal(WIDTH) * max(exact_value(value), Decimal(0)) / top
        parts.append(
            format_html(
                '<rect class="chart__bar {}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
                tone(0),
                px((WIDTH - length) / 2),
                y + LABEL_HEIGHT + 2,
                px(length),
                FUNNEL_BAR,
                _("%(step)s: %(value)s (%(share)s of the first step)")
                % {"step": label, "value": number, "share": share},
            )
        )
    return parts


def _percent(part: Decimal, whole: Decimal) -> int:
    """A share to the whole percent, half up (as a reader rounds 62.5 %), not to the even one."""
    return int((part * 100 / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def funnel(
    labels: list,
    values: list,
    *,
    chart_id: str,
    title: str,
    desc: str,
    fmt: Format = count,
    label_heading: str | None = None,
    name: str | None = None,
    for_pdf: bool = False,
) -> Chart:
    """Steps that narrow, each as wide as its number, centred, with its share of the first step.

    The table has the number and the share; so has each bar's title.
    """
    series = [Series(name or _("Number"), values)]
    check_lengths(labels, series)
    headings, rows, raw = table(labels, series, fmt=fmt, label_heading=label_heading or _("Step"))
    headings.append(_("Share of the first step"))
    _add_shares(rows, raw, values)
    chart = Chart(chart_id, title, desc, NOTHING, headings, rows, raw, [], style_for(for_pdf))
    if not labels or not has_something(series):
        return chart
    top = max(exact_value(value) for value in values if value is not None)
    if top <= 0:  # only negatives (never a count): empty bars, not a division by zero
        top = Decimal(1)
    parts, y = [], TOP
    for label, value, row in zip(labels, values, rows, strict=True):
        parts.extend(_step(label, value, row, y=y, top=top))
        y += LABEL_HEIGHT + 2 + FUNNEL_BAR + GAP
    svg = frame(parts, chart_id=chart_id, title=title, desc=desc, width=WIDTH, height=y + TOP,
                kind="chart chart--funnel", for_pdf=for_pdf)  # fmt: skip
    return replace(chart, svg=svg)
