"""The outreach dashboard's charts, made by the platform (``bloom.charts``): bars by month, town
and kind of venue, each under its label, drawn at a phone's width."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bloom import charts
from outreach.queries import Dashboard


def dashboard_charts(figures: Dashboard) -> dict[str, charts.Chart]:
    """People contacted by month, and sessions by town and by kind of venue."""
    return {
        "month": charts.bars(
            [date_format(f.extra["month"], "YEAR_MONTH_FORMAT") for f in figures.by_month],
            [charts.Series(_("People contacted"), [f.people_contacted for f in figures.by_month])],
            chart_id="contacts-chart",
            title=_("People contacted by month"),
            desc=_("A bar for each month; the table below has every figure."),
            label_heading=_("Month"),
        ),
        "town": charts.bars(
            [f.label for f in figures.by_town],
            [charts.Series(_("Sessions"), [f.sessions for f in figures.by_town])],
            chart_id="towns-chart",
            title=_("Sessions by town"),
            desc=_("A bar for each town; the table below has every figure."),
            label_heading=_("Town"),
        ),
        "venue": charts.bars(
            [f.label for f in figures.by_venue],
            [charts.Series(_("Sessions"), [f.sessions for f in figures.by_venue])],
            chart_id="venues-chart",
            title=_("Sessions by kind of venue"),
            desc=_("A bar for each kind of venue; a session at two kinds counts under both."),
            label_heading=_("Kind of venue"),
        ),
    }
