"""Two saves of a case's records at the same moment, each in its own thread and connection."""

import pytest

from cases.models import SafetyPlan
from tests.cases.test_safety_plans import save_plan
from tests.concurrency import first_then_second


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_saves_at_once_get_consecutive_versions(committed_world):
    world = committed_world
    # The first save holds its transaction open after writing; the second starts meanwhile.
    # Without the lock on the case, both would read "no version yet" and the second would
    # fail on the unique (case, version) constraint.
    versions, errors = first_then_second(
        lambda: save_plan(world.case_a, world.specialist, code_word="first").version,
        lambda: save_plan(world.case_a, world.supervisor, code_word="second").version,
    )

    assert errors == []
    assert sorted(versions) == [1, 2]
    stored = SafetyPlan.objects.filter(case=world.case_a).order_by("version")
    assert [(p.version, p.code_word) for p in stored] == [(1, "first"), (2, "second")]
