"""Deleting one survivor's record at once: asked by a director, confirmed by a second authorised
person, never the same one; the result is the whole purge of every case of the survivor."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from bloom.accounts.models import Role
from bloom.audit.models import PurgeLogEntry
from bloom.notifications.models import Notification
from cases import services as case_services
from cases.models import Survivor
from retention.models import DeletionRequest, Level, Tombstone
from retention.services import (
    RetentionError,
    confirm_deletion,
    place_hold,
    request_deletion,
    withdraw_deletion,
)
from tests.factories import close_case, make_user
from tests.retention.test_schedule import again, ended_case

ASKED = DeletionRequest.Why.ASKED
TODAY = date(2026, 11, 2)


@pytest.fixture
def second(world):
    """Another program director: the one who confirms."""
    return make_user(Role.PROGRAM_DIRECTOR, full_name="Paz Second")


def ask(world, case, **overrides):
    values = {"by": world.director, "why": ASKED, "reason": "Asked in person on 2 November", **overrides}
    return request_deletion(case, **values)


def refused(call, *args, **kwargs) -> RetentionError:
    with pytest.raises(RetentionError) as raised:
        call(*args, **kwargs)
    return raised.value


def test_asking_keeps_the_reason_with_history_and_tells_the_others_who_may_confirm(world, second):
    case = ended_case(world)

    request = ask(world, case)

    stored = DeletionRequest.objects.get(pk=request.pk)
    assert (stored.survivor, stored.why, stored.status, stored.requested_by) == (
        case.survivor,
        ASKED,
        DeletionRequest.Status.WAITING,
        world.director,
    )
    assert stored.history.get().history_change_reason == "deletion.requested"
    told = Notification.objects.filter(kind=Notification.Kind.DELETION_WAITING)
    assert list(told.values_list("recipient", "data")) == [(second.pk, {"code": case.survivor.client_code})]
    assert case.survivor.client_code in told.get().text
    assert told.get().url == reverse("retention:deletions")


@pytest.mark.parametrize("persona", ["specialist", "supervisor", "finance", "outsider", "administrator"])
def test_only_those_who_may_delete_records_may_ask(world, persona):
    case = ended_case(world)

    with pytest.raises(PermissionDenied):
        ask(world, case, by=getattr(world, persona))
    assert DeletionRequest.objects.count() == 0


def test_a_director_a_restriction_hides_the_case_from_may_not_ask(world):
    case = ended_case(world)
    case_services.set_restriction(case, by=world.supervisor, restricted=True, named=[world.supervisor])

    with pytest.raises(PermissionDenied):
        ask(world, case)


@pytest.mark.parametrize(("field", "values"), [("why", {"why": "bored"}), ("reason", {"reason": "  "})])
def test_asking_needs_a_why_and_a_reason(world, field, values):
    case = ended_case(world)

    error = refused(ask, world, case, **values)

    assert error.code == field
    assert list(error.error_dict) == [field]
    assert DeletionRequest.objects.count() == 0


def test_asking_is_refused_while_a_case_of_the_survivor_is_open(world):
    first = ended_case(world, closed_on=date(2022, 6, 30))
    again(world, first, on=date(2023, 1, 9))

    error = refused(ask, world, first)

    assert error.code == "open"
    assert "Close it" in error.messages[0]
    assert refused(ask, world, world.case_a).code == "open"


def test_asking_is_refused_while_a_case_of_the_survivor_is_held(world):
    case = ended_case(world)
    place_hold(case, by=world.supervisor, reason="Court order")

    assert refused(ask, world, case).code == "held"


def test_only_one_request_waits_at_a_time(world, second):
    case = ended_case(world)
    ask(world, case)

    assert refused(ask, world, case, by=second).code == "waiting"


def test_the_person_who_asked_may_not_confirm(world):
    case = ended_case(world, legal_name="Lía Kept")
    request = ask(world, case)

    error = refused(confirm_deletion, request, by=world.director, today=TODAY)

    assert error.code == "same_person"
    assert "Another authorised person" in error.messages[0]
    assert DeletionRequest.objects.get(pk=request.pk).status == DeletionRequest.Status.WAITING
    assert Survivor.objects.filter(legal_name="Lía Kept").exists()
    assert not Tombstone.objects.exists()


def test_confirming_purges_every_case_of_the_survivor_at_once(world, second):
    first = ended_case(world, closed_on=date(2022, 6, 30), legal_name="Dora Deleted")
    later = again(world, first, on=date(2023, 1, 9))
    close_case(later, by=world.specialist, approver=world.supervisor, closed_on=date(2026, 10, 30))
    request = ask(world, first)

    entry = confirm_deletion(request, by=second, today=TODAY)

    assert (entry.trigger, entry.by, entry.held) == (PurgeLogEntry.Trigger.DELETION, second, 0)
    assert entry.cases == {Level.IDENTITY: [first.pk, later.pk]}
    assert entry.counts[Level.IDENTITY]["cases"] == 2
    for case in (first, later):
        tombstone = Tombstone.objects.get(case=case)
        assert (tombstone.identity_purged_on, tombstone.narratives_purged_on, tombstone.deletion) == (
            TODAY,
            TODAY,
            request,
        )
    assert not Survivor.objects.filter(legal_name="Dora Deleted").exists()
    done = DeletionRequest.objects.get(pk=request.pk)
    assert (done.status, done.decided_by) == (DeletionRequest.Status.DONE, second)
    assert [row.history_change_reason for row in done.history.order_by("history_id")] == [
        "deletion.requested",
        "deletion.confirmed",
    ]
    assert not Notification.objects.filter(kind=Notification.Kind.DELETION_WAITING, read_at__isnull=True).exists()


def test_a_deletion_leaves_the_other_survivors_alone(world, second):
    case = ended_case(world, legal_name="Dora Deleted")
    other = ended_case(world, legal_name="Otilia Other")

    confirm_deletion(ask(world, case), by=second, today=TODAY)

    assert Survivor.objects.filter(legal_name="Otilia Other").exists()
    assert not Tombstone.objects.filter(case=other).exists()


def test_confirming_checks_the_holds_again(world, second):
    case = ended_case(world, legal_name="Hana Held")
    request = ask(world, case)
    place_hold(case, by=world.supervisor, reason="A subpoena arrived")

    assert refused(confirm_deletion, request, by=second, today=TODAY).code == "held"
    assert Survivor.objects.filter(legal_name="Hana Held").exists()
    assert DeletionRequest.objects.get(pk=request.pk).status == DeletionRequest.Status.WAITING


def test_a_decided_request_cannot_be_confirmed_again(world, second):
    third = make_user(Role.PROGRAM_DIRECTOR)
    request = ask(world, ended_case(world))
    confirm_deletion(request, by=second, today=TODAY)

    assert refused(confirm_deletion, request, by=third, today=TODAY).code == "decided"
    assert PurgeLogEntry.objects.count() == 1


def test_only_those_who_may_delete_records_may_confirm(world):
    request = ask(world, ended_case(world))

    with pytest.raises(PermissionDenied):
        confirm_deletion(request, by=world.supervisor, today=TODAY)


def test_a_director_the_restriction_does_not_name_is_neither_told_nor_may_confirm(world, second):
    case = ended_case(world)
    named = make_user(Role.PROGRAM_DIRECTOR)
    case_services.set_restriction(case, by=world.supervisor, restricted=True, named=[world.supervisor, named])
    request = request_deletion(case, by=named, why=ASKED, reason="Entered twice")

    with pytest.raises(PermissionDenied):
        confirm_deletion(request, by=second, today=TODAY)
    told = Notification.objects.filter(kind=Notification.Kind.DELETION_WAITING)
    assert list(told.values_list("recipient", flat=True)) == []


def test_withdrawing_deletes_nothing(world, second):
    case = ended_case(world, legal_name="Wren Withdrawn")
    request = ask(world, case)

    withdrawn = withdraw_deletion(request, by=world.director)

    assert withdrawn.status == DeletionRequest.Status.WITHDRAWN
    assert Survivor.objects.filter(legal_name="Wren Withdrawn").exists()
    assert refused(confirm_deletion, request, by=second, today=TODAY).code == "decided"
    assert not Notification.objects.filter(kind=Notification.Kind.DELETION_WAITING, read_at__isnull=True).exists()
    # Another may be asked for later.
    assert ask(world, case, by=second).status == DeletionRequest.Status.WAITING


def test_only_those_who_may_delete_records_may_withdraw(world):
    request = ask(world, ended_case(world))

    with pytest.raises(PermissionDenied):
        withdraw_deletion(request, by=world.specialist)
