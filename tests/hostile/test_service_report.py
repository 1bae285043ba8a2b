"""Hostile input to the service reports' forms: one case's (period, whom it is for, notes) and a team's.

Every hostile value must end in a message beside its field or in a queued report, never in a
server error; the whole stack is exercised with a few requests through HTTP.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from bloom.reports import services as report_services
from cases.service_report.forms import ServiceReportForm, TeamServiceReportForm
from cases.service_report.printing import CASE_KIND, TEAM_KIND, team_cases
from tests.hostile.harness import Target, attack, every_row_has_history, post_through_http
from tests.objects import Objects


def valid(o: Objects, **answers) -> dict:
    today = timezone.localdate()
    return {"start": (today - timedelta(days=30)).isoformat(), "end": today.isoformat(), **answers}


def _queue(o: Objects, *, by, kind: str, target_id: int, parameters: dict) -> bool:
    """What the pages do with valid answers: queue the report (the one asked before stands)."""
    try:
        report_services.request_report(by=by, kind=kind, target_id=target_id, parameters=parameters)
    except report_services.AlreadyAsked:
        return False
    return True


def _case_report(o: Objects, form: ServiceReportForm) -> bool:
    if not form.is_valid():
        return False
    return _queue(o, by=o.world.specialist, kind=CASE_KIND, target_id=o.world.case_a.pk, parameters=form.parameters())


def _team_report(o: Objects, form: TeamServiceReportForm) -> bool:
    if not form.is_valid():
        return False
    asked = form.cleaned_data
    if not team_cases(o.world.supervisor, o.world.team_a, start=asked["start"], end=asked["end"]).exists():
        return False
    return _queue(o, by=o.world.supervisor, kind=TEAM_KIND, target_id=o.world.team_a.pk, parameters=form.parameters())


TARGETS = [
    Target(
        "cases/<int:pk>/service-report/",
        "specialist",
        bind=lambda o, data, files: ServiceReportForm(
            data, case=o.world.case_a, may_include_notes=True, notice_url=f"/cases/{o.world.case_a.pk}/service-report/"
        ),
        valid=lambda o: valid(o, audience="organization", organization=o.organization.pk),
        submit=_case_report,
        path=lambda o: f"/cases/{o.world.case_a.pk}/service-report/",
        shows=lambda o: [f"/cases/{o.world.case_a.pk}/service-report/"],
        shows_text=False,  # no field takes text: days, choices and a tick
    ),
    Target(
        "cases/teams/<int:team_pk>/service-report/",
        "supervisor",
        bind=lambda o, data, files: TeamServiceReportForm(data, may_include_notes=True),
        valid=lambda o: valid(o, notes="on"),
        submit=_team_report,
        path=lambda o: f"/cases/teams/{o.world.team_a.pk}/service-report/",
        shows=lambda o: [f"/cases/teams/{o.world.team_a.pk}/service-report/"],
        shows_text=False,
    ),
]

BY_ROUTE = pytest.mark.parametrize("target", TARGETS, ids=str)


@BY_ROUTE
def test_every_field_takes_every_hostile_value(objects, target):
    outcome = attack(target, objects)

    assert outcome.sent > 0
    every_row_has_history()


@BY_ROUTE
def test_hostile_requests_through_the_whole_stack(objects, target):
    post_through_http(target, objects)

    every_row_has_history()
