"""The notices sent 30 days before part of a case is purged: to whom, how often, and never for a held case."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from bloom.accounts.models import Role
from bloom.notifications.models import Notification
from bloom.times import add_months
from cases import services as case_services
from retention import schedule, tasks
from retention.services import lift_hold, place_hold
from tests.factories import close_case, make_case, make_user
from tests.retention.test_schedule import CLOSED, NARRATIVES_DUE, ended_case

NOTICE_DAY = NARRATIVES_DUE - timedelta(days=30)


def told(kind=Notification.Kind.PURGE_COMING) -> list[tuple[int, dict]]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient", "data"))


def test_the_specialists_and_the_supervisors_are_told_thirty_days_before(world):
    case = ended_case(world, specialists=[world.specialist, world.colleague], legal_name="Nina Noticed")

    assert schedule.send_purge_notices(today=NOTICE_DAY - timedelta(days=1)) == 0
    sent = schedule.send_purge_notices(today=NOTICE_DAY)

    data = {
        "code": case.survivor.client_code,
        "until": NARRATIVES_DUE.isoformat(),
        "levels": ["narratives", "documents"],
    }
    assert sent == 3
    assert told() == sorted([(world.specialist.pk, data), (world.colleague.pk, data), (world.supervisor.pk, data)])
    notice = Notification.objects.filter(recipient=world.specialist).get()
    assert notice.url == case.get_absolute_url()
    assert case.survivor.client_code in notice.text
    assert "Nina" not in notice.text


def test_sending_twice_or_daily_tells_once(world):
    ended_case(world)

    first = schedule.send_purge_notices(today=NOTICE_DAY)
    again = schedule.send_purge_notices(today=NOTICE_DAY)
    later = schedule.send_purge_notices(today=NOTICE_DAY + timedelta(days=10))

    assert (first, again, later) == (2, 0, 0)
    assert Notification.objects.filter(kind=Notification.Kind.PURGE_COMING).count() == 2


def test_the_identity_is_told_on_its_own_day(world):
    case = ended_case(world)
    identity_day = add_months(CLOSED, 36)

    schedule.send_purge_notices(today=identity_day - timedelta(days=30))

    assert {data["until"] for _recipient, data in told()} == {identity_day.isoformat()}
    assert {tuple(data["levels"]) for _recipient, data in told()} == {("identity",)}
    assert told()[0][1]["code"] == case.survivor.client_code


def test_a_held_case_gets_no_notice_until_the_hold_is_lifted(world):
    case = ended_case(world)
    hold = place_hold(case, by=world.supervisor, reason="Court order")

    assert schedule.send_purge_notices(today=NOTICE_DAY) == 0

    lift_hold(hold, by=world.supervisor, note="Released")
    assert schedule.send_purge_notices(today=NOTICE_DAY) == 2


def test_nobody_else_is_told(world):
    ended_case(world)
    make_case(team=world.team_b, specialists=[world.outsider], opened_on=date(2021, 1, 4))

    schedule.send_purge_notices(today=NOTICE_DAY)

    assert {recipient for recipient, _data in told()} == {world.specialist.pk, world.supervisor.pk}


def test_on_a_restricted_case_only_the_people_named_are_told(world):
    case = ended_case(world)
    case_services.set_restriction(case, by=world.supervisor, restricted=True, named=[world.director])
    ended_case(world, team=world.team_b, specialists=[world.outsider])
    supervisor_b = world.team_b.supervisors.get()

    schedule.send_purge_notices(today=NOTICE_DAY)

    # Team A's supervisor is not named on the restricted case; team B's case tells its own people.
    assert {recipient for recipient, _data in told()} == {world.specialist.pk, world.outsider.pk, supervisor_b.pk}


def test_a_restriction_on_another_enrollment_keeps_the_code_from_those_it_hides_it_from(world):
    first = ended_case(world, closed_on=date(2022, 6, 30))
    later = case_services.reenroll(
        first, by=world.supervisor, on=date(2022, 7, 1), team=world.team_a, specialists=[world.colleague]
    )
    case_services.set_restriction(later, by=world.supervisor, restricted=True, named=[world.director])
    close_case(later, by=world.colleague, approver=world.director, closed_on=date(2022, 7, 29))

    # Both fall due within 30 days: the first case on 30 June, the later one on 29 July.
    schedule.send_purge_notices(today=date(2024, 6, 29))

    # The first case is not restricted, but the later one hides their survivor from everyone it
    # does not name: the first case's specialist and the team's supervisor hear of neither.
    assert told() == [(world.colleague.pk, {"code": first.survivor.client_code, "until": "2024-07-29",
                                           "levels": ["narratives", "documents"]})]  # fmt: skip


@pytest.mark.parametrize("cases", [1, 5])
def test_the_notices_cost_the_same_however_many_cases(world, cases, django_assert_num_queries):
    for index in range(cases):
        ended_case(world, closed_on=CLOSED - timedelta(days=index))
    make_user(Role.SUPERVISOR)

    with django_assert_num_queries(8):
        assert schedule.send_purge_notices(today=NOTICE_DAY) == 2 * cases


def test_the_daily_task_tells_about_cases_due_within_thirty_days_of_today(world):
    today = timezone.localdate()
    # Closed so that its narratives fall due in two weeks, whatever day the tests' clock stands at.
    closed_on = add_months(today + timedelta(days=14), -24)
    case = make_case(team=world.team_a, specialists=[world.specialist], opened_on=closed_on)
    close_case(case, by=world.specialist, approver=world.supervisor, closed_on=closed_on)

    assert tasks.send_purge_notices() == 2
    assert tasks.send_purge_notices() == 0
