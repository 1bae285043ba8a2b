"""Survey versions changed twice at the same moment (a double click), on real PostgreSQL.

The first change holds its transaction open after writing; the second starts meanwhile, in its
own thread and connection. Without the locks in ``training.services`` the second would read
what the first had not committed yet and break a unique constraint: an error page, not a version.
"""

import pytest

from tests.concurrency import first_then_second
from tests.factories import default_instrument
from training import services
from training.models import SurveyInstrument

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_new_versions_at_once_get_the_next_two_numbers(committed_world):
    world = committed_world
    survey = default_instrument()

    results, errors = first_then_second(
        lambda: services.revise(survey, by=world.trainer).version,
        lambda: services.revise(survey, by=world.trainer).version,
    )

    assert errors == []
    assert sorted(results) == [2, 3]
    assert list(
        SurveyInstrument.objects.filter(name=survey.name).values_list("version", flat=True).order_by("version")
    ) == [1, 2, 3]


def test_two_defaults_chosen_at_once_leave_one_default_the_last_chosen(committed_world):
    world = committed_world
    survey = default_instrument()
    mine, theirs = services.revise(survey, by=world.trainer), services.revise(survey, by=world.trainer)

    _results, errors = first_then_second(
        lambda: services.make_default(mine, by=world.trainer),
        lambda: services.make_default(theirs, by=world.trainer),
    )

    assert errors == []
    assert list(SurveyInstrument.objects.filter(is_default=True)) == [theirs]
