"""Charts drawn on the server as SVG, so a page and its PDF show the same picture.

No script and no ``style`` attribute (the Content Security Policy allows neither): colours
and sizes are SVG presentation attributes. Every chart has a ``<title>`` and a ``<desc>``,
and the page shows the same numbers in a table.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from phases.queries.budget import MonthPoint, money

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 16, 16, 40, 36  # margins around the plot
INCOME_FILL = "#0d5c63"  # the primary teal
EXPENSE_FILL = "#9a5b00"  # the warning amber: 4.9:1 on white, told apart by the legend too
TEXT_FILL = "#1d2830"
AXIS_STROKE = "#747c84"
TENTH = Decimal("0.1")


def _px(value: Decimal) -> str:
    return str(value.quantize(TENTH, rounding=ROUND_HALF_UP))


def income_and_expenses(points: list[MonthPoint], *, chart_id: str = "budget-chart") -> SafeString:
    """A bar chart of income beside expenses for each month in ``points`` (oldest first).

    Heights are worked out in ``Decimal`` from the exact totals. An empty list draws nothing.
    """
    if not points:
        return SafeString("")
    plot_width = Decimal(WIDTH - LEFT - RIGHT)
    plot_height = Decimal(HEIGHT - TOP - BOTTOM)
    top = max(max(p.totals.income, p.totals.expenses) for p in points) or Decimal(1)
    slot = plot_width / len(points)
    bar = min(slot * Decimal("0.35"), Decimal(40))
    base = Decimal(TOP) + plot_height
    bars = []
    for index, point in enumerate(points):
        middle = Decimal(LEFT) + slot * index + slot / 2
        label = date_format(point.month, "M Y")
        for x, amount, fill, what in (
            (middle - bar, point.totals.income, INCOME_FILL, _("Income")),
            (middle, point.totals.expenses, EXPENSE_FILL, _("Expenses")),
        ):
            height = amount / top * plot_height
            bars.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
                    _px(x),
                    _px(base - height),
                    _px(bar),
                    _px(height),
                    fill,
                    _("%(what)s, %(month)s: %(amount)s") % {"what": what, "month": label, "amount": money(amount)},
                )
            )
        bars.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="{}">{}</text>',
                _px(middle),
                HEIGHT - BOTTOM + 18,
                TEXT_FILL,
                label,
            )
        )
    legend = format_html_join(
        "",
        '<rect x="{}" y="12" width="12" height="12" fill="{}"></rect>'
        '<text x="{}" y="22" font-size="12" fill="{}">{}</text>',
        (
            (LEFT, INCOME_FILL, LEFT + 18, TEXT_FILL, _("Income")),
            (LEFT + 110, EXPENSE_FILL, LEFT + 128, TEXT_FILL, _("Expenses")),
        ),
    )
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        'role="img" aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="xMidYMid meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{legend}'
        '<text x="{right}" y="22" text-anchor="end" font-size="12" fill="{text}">{top}</text>'
        '<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="{axis}" stroke-width="1"></line>'
        "{bars}</svg>",
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        title=_("Income and expenses by month"),
        desc=_("Bars for each month's income and expenses; the tallest is %(top)s. The table below has every number.")
        % {"top": money(top)},
        legend=legend,
        right=WIDTH - RIGHT,
        left=LEFT,
        base=_px(base),
        axis=AXIS_STROKE,
        text=TEXT_FILL,
        top=money(top),
        bars=SafeString("".join(bars)),
    )
