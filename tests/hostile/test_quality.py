"""Hostile input to the list of records to complete: its period, team and "mine" filters.

The filter is read from the address (a GET), and changes nothing: every hostile value must
end in a message beside its field or in the list, never in a server error. The whole
stack is exercised with a few requests through HTTP.
"""

from datetime import timedelta

import pytest
from django.http import QueryDict
from django.utils import timezone

from cases import quality
from cases.forms.quality import QualityFilterForm
from tests.hostile.harness import Target, attack, every_row_has_history, post_through_http
from tests.objects import Objects


def today():
    return timezone.localdate()


def _bind(o: Objects, data, files) -> QualityFilterForm:
    """The filter as the view builds it: without a period, the fiscal year to date."""
    data = QualityFilterForm.with_default_period(data if data is not None else QueryDict(), today=today())
    return QualityFilterForm(data, user=o.world.supervisor)


def _list(o: Objects, form: QualityFilterForm) -> bool:
    """What the view does with a valid filter: the page of cases, their gaps, and the counts."""
    if form.is_valid():
        data = form.cleaned_data
        user = o.world.supervisor
        cases = quality.to_complete(user, start=data["start"], end=data["end"], team=data["team"], mine=data["mine"])
        for case in cases[:25]:
            quality.gaps_of(case)
        quality.counts(cases, user=user)
    return False


TARGETS = [
    Target(
        "cases/quality/",
        "supervisor",
        bind=_bind,
        valid=lambda o: {
            "start": (today() - timedelta(days=90)).isoformat(),
            "end": today().isoformat(),
            "team": o.world.team_a.pk,
            "mine": "on",
        },
        submit=_list,
        path=lambda o: "/cases/quality/",
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
