"""A fund's spending by month and category, as one of the platform's charts (``bloom.charts``).

Each category keeps its own tone of the palette, in the order of ``Category``, so that rent is
the same colour on every fund's page whichever categories were paid.
"""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assistance.models import Category
from assistance.queries import MonthSpending
from bloom import charts


def spending_by_month(months: list[MonthSpending], *, chart_id: str = "spending-chart") -> charts.Chart:
    """Stacked columns: each month's payments, a colour per category, and the table with each month's total.

    Only the categories paid from appear; a month with nothing paid has an empty column.
    """
    paid = {category for month in months for category, amount in month.by_category.items() if amount}
    series = [
        charts.Series(label, [month.by_category.get(value) for month in months], tone=index)
        for index, (value, label) in enumerate(Category.choices)
        if value in paid
    ]
    top = max((month.total for month in months), default=0)
    return charts.stacked_bars(
        [date_format(month.month, "M Y") for month in months],
        series,
        chart_id=chart_id,
        title=_("Paid from this fund by month and category"),
        desc=_("A bar for each month, split by category; the tallest month is %(top)s. The table has every number.")
        % {"top": charts.money(top)},
        fmt=charts.money,
        label_heading=_("Month"),
        total_heading=_("Paid"),
    )
