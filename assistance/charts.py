"""A fund's spending by month and category, drawn on the server as SVG.

As in ``phases.charts``: no script and no ``style`` attribute (the Content Security Policy
allows neither), a ``<title>`` and a ``<desc>``, a ``<title>`` on every bar, and the page
shows the same numbers in a table. The legend is HTML beside the chart (``legend``), with
the same colours, so it wraps on a phone.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from assistance.models import Category
from assistance.queries import MonthSpending

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 16, 16, 28, 36
TEXT_FILL = "#1d2830"
AXIS_STROKE = "#747c84"
TENTH = Decimal("0.1")
# The most recent months shown; the table lists them all.
MONTHS_SHOWN = 18
# One colour per category, each at least 3:1 against white, neighbours told apart.
COLOURS = {
    Category.FOOD: "#0d5c63",
    Category.CLOTHING: "#9a5b00",
    Category.SHELTER: "#5b3f8c",
    Category.RENT: "#1f6fb2",
    Category.UTILITIES: "#b0413e",
    Category.MEDICAL: "#2f7d32",
    Category.TRANSPORTATION: "#8a4f7d",
    Category.EDUCATION: "#6b6b00",
    Category.JOB_TRAINING: "#3d5a80",
    Category.OTHER: "#5f6b73",
}


def money(amount: Decimal) -> str:
    return "$" + number_format(amount, decimal_pos=2, force_grouping=True)


def _px(value: Decimal) -> str:
    return str(value.quantize(TENTH, rounding=ROUND_HALF_UP))


def legend(months: list[MonthSpending]) -> list[tuple[str, str]]:
    """(label, colour) of each category the chart shows, in the order of ``Category``."""
    shown = {category for month in months[-MONTHS_SHOWN:] for category in month.by_category}
    return [(str(label), COLOURS[value]) for value, label in Category.choices if value in shown]


def spending_by_month(months: list[MonthSpending], *, chart_id: str = "spending-chart") -> SafeString:
    """Stacked bars: each month's payments, one colour per category. Nothing when nothing was paid."""
    months = months[-MONTHS_SHOWN:]
    if not months or not any(month.total for month in months):
        return SafeString("")
    plot_width = Decimal(WIDTH - LEFT - RIGHT)
    plot_height = Decimal(HEIGHT - TOP - BOTTOM)
    top = max(month.total for month in months)
    slot = plot_width / len(months)
    bar = min(slot * Decimal("0.6"), Decimal(36))
    base = Decimal(TOP) + plot_height
    parts = []
    for index, month in enumerate(months):
        middle = Decimal(LEFT) + slot * index + slot / 2
        label = date_format(month.month, "M Y")
        y = base
        for category in Category.values:
            amount = month.by_category.get(category)
            if not amount:
                continue
            height = amount / top * plot_height
            y -= height
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
                    _px(middle - bar / 2),
                    _px(y),
                    _px(bar),
                    _px(height),
                    COLOURS[category],
                    _("%(category)s, %(month)s: %(amount)s")
                    % {"category": Category(category).label, "month": label, "amount": money(amount)},
                )
            )
        if len(months) <= 12 or index % 2 == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{}">{}</text>',
                    _px(middle),
                    HEIGHT - BOTTOM + 16,
                    TEXT_FILL,
                    label,
                )
            )
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        'role="img" aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="xMidYMid meet">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<text x="{left}" y="16" font-size="12" fill="{text}">{top}</text>'
        '<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="{axis}" stroke-width="1"></line>'
        "{bars}</svg>",
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        title=_("Paid from this fund by month and category"),
        desc=_("A bar for each month, split by category; the tallest month is %(top)s. The table has every number.")
        % {"top": money(top)},
        left=LEFT,
        right=WIDTH - RIGHT,
        base=_px(base),
        axis=AXIS_STROKE,
        text=TEXT_FILL,
        top=money(top),
        bars=SafeString("".join(parts)),
    )
