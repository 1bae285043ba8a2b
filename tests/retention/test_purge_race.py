"""Two purges, or a purge and a hold, at the same moment: each in its own thread and connection.

The first holds its transaction open a moment after it wrote (``tests.concurrency``); the
second has read what was due before the first committed, and must find under the case's lock
that it is done, or held.
"""

from datetime import date

import pytest

from bloom.audit.models import PurgeLogEntry
from retention import schedule
from retention.models import Hold, Level, Tombstone
from retention.services import place_hold
from tests.concurrency import first_then_second
from tests.retention.test_schedule import IDENTITY_DUE, NARRATIVES_DUE, ended_case

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BY_HAND = PurgeLogEntry.Trigger.BY_HAND


@pytest.mark.parametrize("today", [NARRATIVES_DUE, IDENTITY_DUE], ids=["partial", "whole"])
def test_two_runs_at_once_purge_once(committed_world, today):
    world = committed_world
    cases = [ended_case(world), ended_case(world, closed_on=date(2022, 5, 31))]

    entries, errors = first_then_second(
        lambda: schedule.run(today=today, trigger=BY_HAND, by=world.director),
        lambda: schedule.run(today=today, trigger=BY_HAND, by=world.supervisor),
    )

    assert errors == []
    assert len([entry for entry in entries if entry is not None]) == 1
    entry = PurgeLogEntry.objects.get()
    ids = sorted(case.pk for case in cases)
    levels = [Level.IDENTITY] if today == IDENTITY_DUE else [Level.NARRATIVES, Level.DOCUMENTS]
    assert entry.cases == dict.fromkeys(levels, ids)
    # Each case's tombstone written once per level, by one run.
    assert sorted(Tombstone.history.values_list("case_id", flat=True)) == sorted(ids * len(levels))


def test_a_hold_placed_while_a_run_starts_stops_it(committed_world):
    world = committed_world
    case = ended_case(world)

    # The run reads what is due before the hold is committed; under the case's lock it finds the hold.
    results, errors = first_then_second(
        lambda: place_hold(case, by=world.supervisor, reason="Court order served this morning"),
        lambda: schedule.run(today=IDENTITY_DUE, trigger=BY_HAND, by=world.director),
    )

    assert errors == []
    assert results[1] is None
    assert Hold.objects.filter(case=case, lifted_at__isnull=True).count() == 1
    assert not Tombstone.objects.filter(case=case).exists()
    assert PurgeLogEntry.objects.count() == 0
