"""Charts drawn on the server as SVG, so that a page and its PDF show the same picture.

Every builder takes labels and series and returns a ``Chart``: the SVG, and the same numbers as
a table (``headings``, ``rows``), for ``templates/charts/_figure.html`` to show side by side, and
raw for a CSV file (``csv_rows()``). No script and no ``style`` attribute (the Content Security
Policy allows neither): colours and text are classes from ``static/css/bloom.css``. Each chart
has a ``<title>`` and a ``<desc>`` for screen readers, and every bar or point its own ``<title>``.
``svg`` is empty when there is nothing to draw (no value but zeros), and the figure says so.

    from bloom import charts
    chart = charts.bars(towns, [charts.Series(_("Sessions"), counts)], chart_id="towns",
                        title=_("Sessions by town"), desc=_("A bar for each town."))
"""

from bloom.charts.across import bars, funnel
from bloom.charts.base import Chart, Series, count, decimals, money
from bloom.charts.upright import columns, lines, stacked_bars

__all__ = ["Chart", "Series", "bars", "columns", "count", "decimals", "funnel", "lines", "money", "stacked_bars"]
