"""Hostile input to the survivor's copy's form: the language and whether staff notes are printed.

Every hostile value must end in a message beside its field or in a queued copy, never in a server
error; the whole stack is exercised with a few requests through HTTP. Staff notes are attacked as
the specialist asks (who may see them) and as someone who may not (the box is disabled, and a
tick is refused).
"""

import pytest

from bloom.reports import services as report_services
from cases.forms.copy import SurvivorCopyForm
from cases.survivor_copy.printing import KIND
from tests.hostile.harness import Target, attack, every_row_has_history, post_through_http
from tests.objects import Objects


def _queue(o: Objects, form: SurvivorCopyForm) -> bool:
    """What the page does with valid answers: queue the copy (the one asked before stands)."""
    if not form.is_valid():
        return False
    try:
        report_services.request_report(
            by=o.world.specialist, kind=KIND, target_id=o.world.case_a.pk, parameters=form.parameters()
        )
    except report_services.AlreadyAsked:
        return False
    return True


def _path(o: Objects) -> str:
    return f"/cases/{o.world.case_a.pk}/survivor-copy/"


TARGETS = [
    Target(
        "cases/<int:pk>/survivor-copy/",
        "specialist",
        bind=lambda o, data, files: SurvivorCopyForm(data, may_include_notes=True),
        valid=lambda o: {"language": "es", "staff_notes": "on"},
        submit=_queue,
        path=_path,
        shows=lambda o: [_path(o)],
        shows_text=False,  # no field takes text: a choice and a tick
    ),
    Target(
        "cases/<int:pk>/survivor-copy/",
        "specialist",
        bind=lambda o, data, files: SurvivorCopyForm(data, may_include_notes=False),
        valid=lambda o: {"language": "en"},
        submit=_queue,
        path=_path,
        shows=lambda o: [_path(o)],
        shows_text=False,
        name="cases/<int:pk>/survivor-copy/ (without the sensitive-details permission)",
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


def test_a_tick_without_the_permission_is_refused_whatever_is_sent(objects):
    for sent in ("on", "true", "1", "yes"):
        form = SurvivorCopyForm({"language": "en", "staff_notes": sent}, may_include_notes=False)

        assert (form.is_valid(), list(form.errors)) == (False, ["staff_notes"]), sent
