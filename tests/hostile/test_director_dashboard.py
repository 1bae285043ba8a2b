"""Hostile input to the program director's dashboard: its period, on the page and on each CSV.

The period is read from the address (a GET) and changes nothing: every hostile value must end in
a message beside its field or in the figures, never in a server error. The whole stack is
exercised with a few requests through HTTP, on the page and on one section's CSV.
"""

import pytest
from django.http import QueryDict
from django.utils import timezone

from bloom.forms import PeriodForm
from bloom.reports.dashboards import program
from bloom.reports.figures import fiscal_year_start
from tests.hostile.harness import Target, attack, every_row_has_history, post_through_http
from tests.objects import Objects


def _bind(o: Objects, data, files) -> PeriodForm:
    """The period as the view reads it: without one, the fiscal year to date."""
    return PeriodForm(
        PeriodForm.with_default_period(data if data is not None else QueryDict(), today=timezone.localdate())
    )


def _show(o: Objects, form: PeriodForm) -> bool:
    """What the page does with a valid period: every section counted."""
    if form.is_valid():
        program.sections(o.world.director, form.period())
    return False


def _download(o: Objects, form: PeriodForm) -> bool:
    """What a section's CSV does with a valid period: that section counted, as rows."""
    if form.is_valid():
        program.SECTIONS["services"](o.world.director, form.period()).chart.csv_rows()
    return False


def _valid(o: Objects) -> dict:
    today = timezone.localdate()
    return {"start": fiscal_year_start(today).isoformat(), "end": today.isoformat()}


TARGETS = [
    Target(
        "reports/dashboard/",
        "director",
        bind=_bind,
        valid=_valid,
        submit=_show,
        path=lambda o: "/reports/dashboard/",
        stores=False,
        status=200,
        method="get",
    ),
    Target(
        "reports/dashboard/<slug:section>.csv",
        "director",
        bind=_bind,
        valid=_valid,
        submit=_download,
        path=lambda o: "/reports/dashboard/services.csv",
        stores=False,
        status=200,
        method="get",
    ),
]

BY_ROUTE = pytest.mark.parametrize("target", TARGETS, ids=str)


@BY_ROUTE
def test_every_field_takes_every_hostile_value(objects, target):
    outcome = attack(target, objects)

    assert outcome.sent > 0
    assert outcome.stored == 0
    every_row_has_history()


@BY_ROUTE
def test_hostile_requests_through_the_whole_stack(objects, target):
    post_through_http(target, objects)

    every_row_has_history()
