"""Hostile input to the team dashboard's choice of team and to the case list's filters.

Both are read from the address (a GET) and change nothing. The dashboard answers a team that is
not one of the person's with a 404, the same as one that does not exist; the case list shows a
message beside the filter and no case (its fields are attacked with the other cases pages, in
``test_cases``: here the filters the dashboards' links set, each with a valid value).
"""

import pytest
from django.http import QueryDict
from django.utils import timezone

from bloom.reports.dashboard_views import TeamChoiceForm
from bloom.reports.dashboards import supervisor
from cases import permissions, queries
from cases.forms import CaseFilterForm
from tests.hostile.harness import Target, attack, every_row_has_history, post_through_http
from tests.objects import Objects


def _bind_team(o: Objects, data, files) -> TeamChoiceForm:
    return TeamChoiceForm(data if data is not None else QueryDict(), user=o.world.supervisor)


def _show_boards(o: Objects, form: TeamChoiceForm) -> bool:
    """What the view does: a team that is not one of the person's is a 404; else its figures."""
    user = o.world.supervisor
    teams = list(supervisor.supervised_teams(user).prefetch_related("members"))
    if not form.is_valid():
        return False  # the view answers 404
    chosen = form.cleaned_data["team"]
    supervisor.team_boards(user, [t for t in teams if chosen is None or t.pk == chosen.pk])
    return False


def _bind_list(o: Objects, data, files) -> CaseFilterForm:
    return CaseFilterForm(data, user=o.world.supervisor)


def _list(o: Objects, form: CaseFilterForm) -> bool:
    """What the view does with the filters: no case when one is refused, else the page of cases."""
    user = o.world.supervisor
    cases = permissions.visible_cases(user)
    cases = queries.filtered(cases, **form.cleaned_data, user=user) if form.is_valid() else cases.none()
    list(queries.for_list(cases)[:25])
    return False


def _month() -> str:
    return timezone.localdate().strftime("%Y-%m")


TARGETS = [
    Target(
        "reports/teams/",
        "supervisor",
        bind=_bind_team,
        valid=lambda o: {"team": o.world.team_a.pk},
        submit=_show_boards,
        path=lambda o: "/reports/teams/",
        stores=False,
        status=200,
        method="get",
    ),
    Target(
        "cases/",
        "supervisor",
        bind=_bind_list,
        valid=lambda o: {
            "status": "active",
            "team": o.world.team_a.pk,
            "specialist": o.world.specialist.pk,
            "needs": "contact_overdue",
            "referred": _month(),
            "enrolled": _month(),
            "closed": _month(),
            "unassigned": "",
        },
        submit=_list,
        path=lambda o: "/cases/",
        stores=False,
        status=200,
        method="get",
        name="cases/ (the dashboards' filters, by address)",
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
