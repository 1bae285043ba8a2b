"""The survivor's budget as one of the platform's charts (``bloom.charts``): income beside expenses."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bloom import charts
from phases.queries.budget import MonthPoint


def income_and_expenses(points: list[MonthPoint], *, chart_id: str = "budget-chart") -> charts.Chart:
    """A column of income beside one of expenses for each month in ``points`` (oldest first).

    Heights come from the exact totals. No month, or nothing but zeros, draws nothing.
    """
    top = max((max(point.totals.income, point.totals.expenses) for point in points), default=0)
    return charts.columns(
        [date_format(point.month, "M Y") for point in points],
        [
            charts.Series(_("Income"), [point.totals.income for point in points]),
            charts.Series(_("Expenses"), [point.totals.expenses for point in points]),
        ],
        chart_id=chart_id,
        title=_("Income and expenses by month"),
        desc=_("Bars for each month's income and expenses; the tallest is %(top)s. The table below has every number.")
        % {"top": charts.money(top)},
        fmt=charts.money,
        label_heading=_("Month"),
    )
