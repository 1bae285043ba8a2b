"""Charts read left to right along their labels (most often months): columns, stacked or side by side,
and lines.

The plot starts at zero; a faint line marks the largest value and says what it is, so the eye
has a measure without a crowded axis. When there are many labels, only every so many is written
under the plot, so that they never run into each other; the table has them all.
"""

import math
from dataclasses import replace
from decimal import Decimal
from itertools import pairwise

from django.utils.html import format_html
from django.utils.translation import gettext as _

from bloom.charts.base import (
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
    tones,
)

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 16, 16, 28, 36
# Labels written under the plot, at most: about "Sep 2026" every 50 px at 11 px.
MOST_TICKS = 12
# A label's width, guessed from its length: 11 px DejaVu Sans averages under 6.7 px a character.
CHARACTER_WIDTH, TICK_GAP = Decimal("6.7"), 6
POINT_RADIUS = 3.5


def stacked_bars(
    labels: list,
    series: list[Series],
    *,
    chart_id: str,
    title: str,
    desc: str,
    fmt: Format = count,
    label_heading: str | None = None,
    total_heading: str | None = None,
    for_pdf: bool = False,
) -> Chart:
    """A column per label, its series stacked in order from the bottom; the tallest column fills the plot.

    A zero or missing value adds nothing to its column. With ``total_heading`` the table has each
    label's total too.
    """
    check_lengths(labels, series)
    headings, rows, raw = table(
        labels, series, fmt=fmt, label_heading=label_heading or _("Period"), total_heading=total_heading
    )
    chart = Chart(chart_id, title, desc, NOTHING, headings, rows, raw, legend(series, always=True),
                  style_for(for_pdf))  # fmt: skip
    if not labels or not has_something(series):
        return chart
    top = max(
        sum((exact_value(one.values[index]) for one in series if one.values[index]), Decimal(0))
        for index in range(len(labels))
    )
    plot = _Plot(labels, top)
    width = min(plot.slot * Decimal("0.6"), Decimal(36))
    parts = [*plot.frame(fmt(top))]
    for index, label in enumerate(labels):
        middle, y = plot.middle(index), plot.base
        for one, css, cell in zip(series, tones(series), rows[index][1 : 1 + len(series)], strict=True):
            value = one.values[index]
            if not value or value < 0:
                continue
            height = plot.height(value)
            y -= height
            parts.append(_rect(css, middle - width / 2, y, width, height, title=bar_title(one.name, label, cell)))
        parts.extend(plot.tick(index, label))
    return _drawn(chart, parts, for_pdf)


def columns(
    labels: list,
    series: list[Series],
    *,
    chart_id: str,
    title: str,
    desc: str,
    fmt: Format = count,
    label_heading: str | None = None,
    for_pdf: bool = False,
) -> Chart:
    """For each label, a column per series side by side (income beside expenses); the tallest fills the plot."""
    check_lengths(labels, series)
    headings, rows, raw = table(labels, series, fmt=fmt, label_heading=label_heading or _("Period"))
    chart = Chart(chart_id, title, desc, NOTHING, headings, rows, raw, legend(series), style_for(for_pdf))
    if not labels or not has_something(series):
        return chart
    top = max(exact_value(value) for one in series for value in one.values if value is not None)
    plot = _Plot(labels, top)
    group = min(plot.slot * Decimal("0.7"), Decimal(40 * len(series)))
    width = group / len(series)
    names = [None] * len(series) if len(series) == 1 else [one.name for one in series]
    parts = [*plot.frame(fmt(top))]
    for index, label in enumerate(labels):
        left = plot.middle(index) - group / 2
        for place, (one, css, name, cell) in enumerate(zip(series, tones(series), names, rows[index][1:], strict=True)):
            value = one.values[index]
            if value is None:
                continue
            height = plot.height(max(value, 0))
            title_text = bar_title(label, None, cell) if name is None else bar_title(name, label, cell)
            parts.append(_rect(css, left + width * place, plot.base - height, width, height, title=title_text))
        parts.extend(plot.tick(index, label))
    return _drawn(chart, parts, for_pdf)


def lines(
    labels: list,
    series: list[Series],
    *,
    chart_id: str,
    title: str,
    desc: str,
    fmt: Format = count,
    label_heading: str | None = None,
    for_pdf: bool = False,
) -> Chart:
    """A line per series through its values at each label, a dot on each with its own title.

    A missing value breaks the line there rather than drawing it through a number nobody gave.
    """
    check_lengths(labels, series)
    headings, rows, raw = table(labels, series, fmt=fmt, label_heading=label_heading or _("Period"))
    chart = Chart(chart_id, title, desc, NOTHING, headings, rows, raw, legend(series), style_for(for_pdf))
    if not labels or not has_something(series):
        return chart
    top = max(exact_value(value) for one in series for value in one.values if value is not None)
    plot = _Plot(labels, top)
    names = [None] * len(series) if len(series) == 1 else [one.name for one in series]
    parts = [*plot.frame(fmt(top))]
    for index, label in enumerate(labels):
        parts.extend(plot.tick(index, label))
    for place, (one, css, name) in enumerate(zip(series, tones(series), names, strict=True)):
        points = [
            None if value is None else (plot.middle(index), plot.base - plot.height(max(value, 0)))
            for index, value in enumerate(one.values)
        ]
        for run in _runs(points):
            if len(run) > 1:
                parts.append(
                    format_html(
                        '<polyline class="chart__line {}" points="{}"></polyline>',
                        css,
                        " ".join(f"{px(x)},{px(y)}" for x, y in run),
                    )
                )
        for index, (label, point) in enumerate(zip(labels, points, strict=True)):
            if point is not None:
                cell = rows[index][1 + place]
                parts.append(
                    format_html(
                        '<circle class="chart__point {}" cx="{}" cy="{}" r="{}"><title>{}</title></circle>',
                        css,
                        px(point[0]),
                        px(point[1]),
                        POINT_RADIUS,
                        bar_title(label, None, cell) if name is None else bar_title(name, label, cell),
                    )
                )
    return _drawn(chart, parts, for_pdf)


def _runs(points: list) -> list[list]:
    """The stretches of ``points`` with no gap in them."""
    runs, run = [], []
    for point in [*points, None]:
        if point is not None:
            run.append(point)
        elif run:
            runs.append(run)
            run = []
    return runs


def _rect(css: str, x, y, width, height, *, title: str):
    return format_html(
        '<rect class="chart__bar {}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
        css,
        px(x),
        px(y),
        px(width),
        px(height),
        title,
    )


def _drawn(chart: Chart, parts: list, for_pdf: bool) -> Chart:
    svg = frame(parts, chart_id=chart.chart_id, title=chart.title, desc=chart.desc, width=WIDTH, height=HEIGHT,
                kind="chart", for_pdf=for_pdf)  # fmt: skip
    return replace(chart, svg=svg)


def _spacing(labels: list, slot: Decimal) -> int:
    """Write every so many labels (counted back from the last) so that no two written ones touch:
    "Dec 2025" beside "Jan 2026" needs more room than "Feb" beside "Mar"."""
    widths = [CHARACTER_WIDTH * len(str(label)) for label in labels]
    every = math.ceil(len(labels) / MOST_TICKS)
    while every < len(labels):
        written = widths[len(widths) - 1 :: -every]
        if all((a + b) / 2 + TICK_GAP <= slot * every for a, b in pairwise(written)):
            break
        every += 1
    return every


class _Plot:
    """Where things go: ``count`` slots left to right, heights in proportion to ``top``."""

    def __init__(self, labels: list, top: Decimal):
        self.count = count = len(labels)
        self.top = top if top > 0 else Decimal(1)
        self.slot = Decimal(WIDTH - LEFT - RIGHT) / count
        self.plot_height = Decimal(HEIGHT - TOP - BOTTOM)
        self.base = Decimal(TOP) + self.plot_height
        self.every = _spacing(labels, self.slot)

    def middle(self, index: int) -> Decimal:
        return Decimal(LEFT) + self.slot * index + self.slot / 2

    def height(self, value) -> Decimal:
        return exact_value(value) / self.top * self.plot_height

    def frame(self, top_shown: str) -> list:
        """The base line, and a faint line at the largest value with that value written above it."""
        return [
            format_html(
                '<line class="chart__grid" x1="{left}" y1="{top}" x2="{right}" y2="{top}"></line>'
                '<text class="chart__tick" x="{left}" y="{above}">{shown}</text>'
                '<line class="chart__axis" x1="{left}" y1="{base}" x2="{right}" y2="{base}"></line>',
                left=LEFT,
                right=WIDTH - RIGHT,
                top=TOP,
                above=TOP - 8,
                base=px(self.base),
                shown=top_shown,
            )
        ]

    def tick(self, index: int, label) -> list:
        """The label under a slot, if this slot's label is one written (the last is, always)."""
        if (self.count - 1 - index) % self.every:
            return []
        return [
            format_html(
                '<text class="chart__tick" x="{}" y="{}" text-anchor="middle">{}</text>',
                px(self.middle(index)),
                HEIGHT - BOTTOM + 16,
                label,
            )
        ]
