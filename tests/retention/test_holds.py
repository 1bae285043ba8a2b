"""Holds: who may place and lift them, what they need, and that they stop every purge until lifted."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from bloom.audit.models import PurgeLogEntry
from bloom.notifications.models import Notification
from cases import services as case_services
from retention import access, schedule
from retention.models import Hold, Level, Tombstone
from retention.services import RetentionError, lift_hold, place_hold
from tests.factories import close_case
from tests.retention.test_schedule import IDENTITY_DUE, NARRATIVES_DUE, ended_case

BY_HAND = PurgeLogEntry.Trigger.BY_HAND


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("specialist", True),  # assigned to case A
        ("supervisor", True),  # supervises team A
        ("director", True),
        ("colleague", False),  # on team A, not assigned
        ("outsider", False),
        ("finance", False),
        ("outreach", False),
        ("volunteer", False),
        ("trainer", False),
        ("administrator", False),
    ],
)
def test_who_may_hold_a_case(world, persona, allowed):
    assert access.can_hold(getattr(world, persona), world.case_a) is allowed


def test_on_a_restricted_case_only_the_people_named_may_hold_it(world):
    case_services.set_restriction(world.case_a, by=world.supervisor, restricted=True, named=[world.supervisor])

    assert access.can_hold(world.specialist, world.case_a) is True
    assert access.can_hold(world.supervisor, world.case_a) is True
    assert access.can_hold(world.director, world.case_a) is False
    with pytest.raises(PermissionDenied):
        place_hold(world.case_a, by=world.director, reason="Court order")


def test_emergency_access_does_not_let_anyone_hold_a_case(world):
    case_services.open_in_emergency(world.case_b, by=world.specialist, reason="Crisis call at night")

    assert access.can_hold(world.specialist, world.case_b) is False


def test_placing_a_hold_keeps_its_reason_and_who_placed_it_with_history(world):
    hold = place_hold(world.case_a, by=world.supervisor, reason="  Court order of 3 May  ")

    stored = Hold.objects.get(pk=hold.pk)
    assert (stored.case, stored.reason, stored.placed_by, stored.active) == (
        world.case_a,
        "Court order of 3 May",
        world.supervisor,
        True,
    )
    row = stored.history.get()
    assert (row.history_user, row.history_change_reason) == (world.supervisor, "hold.placed")


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_hold_needs_a_reason(world, reason):
    with pytest.raises(RetentionError) as raised:
        place_hold(world.case_a, by=world.supervisor, reason=reason)

    assert raised.value.code == "reason"
    assert list(raised.value.error_dict) == ["reason"]
    assert Hold.objects.count() == 0


def test_an_outsider_may_not_hold_a_case(world):
    with pytest.raises(PermissionDenied):
        place_hold(world.case_a, by=world.outsider, reason="Court order")
    assert Hold.objects.count() == 0


def test_lifting_a_hold_needs_a_note_and_is_done_once(world):
    hold = place_hold(world.case_a, by=world.supervisor, reason="Court order")

    with pytest.raises(RetentionError) as no_note:
        lift_hold(hold, by=world.supervisor, note=" ")
    lifted = lift_hold(hold, by=world.director, note="The order was withdrawn")
    with pytest.raises(RetentionError) as twice:
        lift_hold(hold, by=world.supervisor, note="Again")

    assert no_note.value.code == "note"
    assert twice.value.code == "lifted"
    stored = Hold.objects.get(pk=hold.pk)
    assert (stored.active, stored.lifted_by, stored.lift_note) == (False, world.director, "The order was withdrawn")
    assert lifted.lifted_at == stored.lifted_at
    assert [row.history_change_reason for row in stored.history.order_by("history_id")] == [
        "hold.placed",
        "hold.lifted",
    ]


def test_an_outsider_may_not_lift_a_hold(world):
    hold = place_hold(world.case_a, by=world.supervisor, reason="Court order")

    with pytest.raises(PermissionDenied):
        lift_hold(hold, by=world.outsider, note="Not mine")
    assert Hold.objects.get(pk=hold.pk).active


def test_a_held_case_is_not_purged_and_is_counted_as_held(world):
    held = ended_case(world)
    free = ended_case(world)
    place_hold(held, by=world.supervisor, reason="Open investigation")

    entry = schedule.run(today=IDENTITY_DUE, trigger=BY_HAND, by=world.director)

    assert not Tombstone.objects.filter(case=held).exists()
    assert entry.held == 1
    assert entry.cases == {Level.IDENTITY: [free.pk]}
    assert Tombstone.objects.get(case=free).identity_purged_on == IDENTITY_DUE


def test_a_run_with_only_held_cases_takes_nothing_and_writes_nothing(world):
    held = ended_case(world)
    place_hold(held, by=world.specialist, reason="Open investigation")

    assert schedule.run(today=IDENTITY_DUE, trigger=BY_HAND, by=world.director) is None
    assert PurgeLogEntry.objects.count() == 0
    assert not Tombstone.objects.filter(case=held).exists()


def test_a_lifted_hold_lets_the_next_run_purge(world):
    case = ended_case(world)
    hold = place_hold(case, by=world.supervisor, reason="Court order")
    assert schedule.run(today=NARRATIVES_DUE, trigger=BY_HAND, by=world.director) is None

    lift_hold(hold, by=world.supervisor, note="The court released it")
    entry = schedule.run(today=NARRATIVES_DUE, trigger=BY_HAND, by=world.director)

    assert entry.cases == {Level.NARRATIVES: [case.pk], Level.DOCUMENTS: [case.pk]}
    tombstone = Tombstone.objects.get(case=case)
    assert (tombstone.narratives_purged_on, tombstone.documents_purged_on, tombstone.identity_purged_on) == (
        NARRATIVES_DUE,
        NARRATIVES_DUE,
        None,
    )


def test_a_hold_on_one_enrollment_keeps_the_identity_of_the_other(world):
    first = ended_case(world, closed_on=date(2022, 6, 30))
    second = case_services.reenroll(
        first, by=world.supervisor, on=date(2022, 7, 1), team=world.team_a, specialists=[world.specialist]
    )
    close_case(second, by=world.specialist, approver=world.supervisor, closed_on=date(2022, 7, 29))
    place_hold(second, by=world.supervisor, reason="Court order")

    # The day the survivor's identity would go, the second enrollment's.
    entry = schedule.run(today=date(2025, 7, 29), trigger=BY_HAND, by=world.director)

    # The first enrollment loses its narratives and documents; nobody loses identity.
    assert entry.cases == {Level.NARRATIVES: [first.pk], Level.DOCUMENTS: [first.pk]}
    assert entry.held == 2
    assert Tombstone.objects.get(case=first).identity_purged_on is None
    assert not Tombstone.objects.filter(case=second).exists()


def test_a_hold_settles_the_purge_notices_of_its_case(world):
    case = ended_case(world)
    schedule.send_purge_notices(today=date(2024, 6, 10))
    assert Notification.objects.filter(kind=Notification.Kind.PURGE_COMING, read_at__isnull=True).count() == 2

    place_hold(case, by=world.supervisor, reason="Court order")

    assert Notification.objects.filter(kind=Notification.Kind.PURGE_COMING, read_at__isnull=True).count() == 0


def test_a_wholly_purged_case_cannot_be_held(world):
    case = ended_case(world)
    schedule.run(today=IDENTITY_DUE, trigger=BY_HAND, by=world.director)

    with pytest.raises(RetentionError) as raised:
        place_hold(case, by=world.supervisor, reason="Court order")

    assert raised.value.code == "purged"
