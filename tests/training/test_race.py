"""Survey versions changed twice at the same moment (a double click), on real PostgreSQL.

The first change holds its transaction open after writing; the second starts meanwhile, in its
own thread and connection. Without the locks in ``training.services`` the second would read
what the first had not committed yet and break a unique constraint: an error page, not a version.
"""

import threading

import pytest
from django.db import connection, transaction

from tests.factories import default_instrument
from training import services
from training.models import SurveyInstrument

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def first_then_second(first, second) -> tuple[list, list]:
    """Run ``first`` in a transaction held open a moment after it wrote, and ``second`` meanwhile."""
    written, errors, results = threading.Event(), [], []

    def run_first():
        try:
            with transaction.atomic():
                results.append(first())
                written.set()
                threading.Event().wait(0.5)
        except Exception as error:  # reported by the caller's assertions
            errors.append(error)
            written.set()
        finally:
            connection.close()

    def run_second():
        try:
            written.wait(10)
            results.append(second())
        except Exception as error:  # reported by the caller's assertions
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads), "a change is stuck (a deadlock?)"
    return results, errors


def test_two_new_versions_at_once_get_the_next_two_numbers(world):
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


def test_two_defaults_chosen_at_once_leave_one_default_the_last_chosen(world):
    survey = default_instrument()
    mine, theirs = services.revise(survey, by=world.trainer), services.revise(survey, by=world.trainer)

    _results, errors = first_then_second(
        lambda: services.make_default(mine, by=world.trainer),
        lambda: services.make_default(theirs, by=world.trainer),
    )

    assert errors == []
    assert list(SurveyInstrument.objects.filter(is_default=True)) == [theirs]
