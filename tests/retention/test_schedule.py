"""When each part of a case falls due under the retention policy (``retention.schedule``).

Every date is fixed: cases are opened and closed on named days long past, and the schedule
is asked about a ``today`` given explicitly, so nothing depends on when the tests run.
"""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from bloom.accounts.models import Role
from cases import services as case_services
from cases.services.contacts import log_contact
from retention import schedule
from retention.models import Level
from retention.services import place_hold, set_policy
from tests.factories import close_case, make_case, make_user

N, D, ID = Level.NARRATIVES, Level.DOCUMENTS, Level.IDENTITY
OPENED = date(2022, 1, 10)
CLOSED = date(2022, 6, 30)
# Under the default policy (24, 24 and 36 months) a case closed on CLOSED falls due:
NARRATIVES_DUE = date(2024, 6, 30)
IDENTITY_DUE = date(2025, 6, 30)


def ended_case(world, *, closed_on=CLOSED, opened_on=OPENED, team=None, specialists=None, **details):
    """A case opened and closed on the days given, through the services (team A's specialist asks,
    its supervisor approves, unless another team is given: then the director approves)."""
    team = team or world.team_a
    specialists = specialists if specialists is not None else [world.specialist]
    case = make_case(team=team, specialists=specialists, opened_on=opened_on, **details)
    approver = world.supervisor if team == world.team_a else world.director
    close_case(case, by=specialists[0] if specialists else world.director, approver=approver, closed_on=closed_on)
    case.refresh_from_db()
    return case


def not_enrolled_case(world, *, opened_on=OPENED, decided_on=date(2022, 2, 1), contacts=(), **details):
    """An intake whose survivor was not enrolled on ``decided_on``, with contacts at noon on ``contacts``."""
    case = case_services.start_intake(
        by=world.specialist,
        team=world.team_a,
        specialists=[world.specialist],
        details={"legal_name": "Nadia Never", **details},
        opened_on=opened_on,
    )
    for day in contacts:
        at = timezone.make_aware(datetime.combine(day, time(12)))
        log_contact(case, by=world.specialist, kind="attempt", occurred_at=at, initiated_by="staff")
    case_services.record_not_enrolled(case, by=world.specialist, reason="unreachable", note="", on=decided_on)
    case.refresh_from_db()
    return case


def again(world, case, *, on):
    """The survivor of the closed ``case`` enrolled again on ``on``, on team A."""
    return case_services.reenroll(case, by=world.supervisor, on=on, team=world.team_a, specialists=[world.specialist])


def days(items, case) -> dict[str, date]:
    return {item.level: item.day for item in items if item.case.pk == case.pk}


def policy(world, *, narratives=24, documents=24, identity=36, reopen=6, backup=30, since=date(2020, 1, 1)):
    """The policy set by the director on ``since``, long before the days these tests run."""
    return set_policy(
        today=since,
        by=world.director,
        narratives_months=narratives,
        documents_months=documents,
        identity_months=identity,
        reopen_months=reopen,
        backup_days=backup,
    )


def test_a_closed_case_falls_due_the_policy_months_after_it_closed(world):
    case = ended_case(world)

    items = schedule.due(today=IDENTITY_DUE)

    assert days(items, case) == {N: NARRATIVES_DUE, D: NARRATIVES_DUE, ID: IDENTITY_DUE}
    assert {item.held for item in items} == {False}


def test_each_level_follows_its_own_period(world):
    policy(world, narratives=12, documents=18, identity=40)
    case = ended_case(world)

    assert days(schedule.due(today=date(2030, 1, 1)), case) == {
        N: date(2023, 6, 30),
        D: date(2023, 12, 30),
        ID: date(2025, 10, 30),
    }


def test_nothing_is_due_before_its_day(world):
    case = ended_case(world)

    assert days(schedule.due(today=date(2024, 6, 29)), case) == {}
    assert days(schedule.due(today=NARRATIVES_DUE), case) == {N: NARRATIVES_DUE, D: NARRATIVES_DUE}


def test_the_horizon_reaches_ahead(world):
    case = ended_case(world)

    assert days(schedule.due(today=date(2024, 6, 1), horizon_days=29), case) == {N: NARRATIVES_DUE, D: NARRATIVES_DUE}
    assert days(schedule.due(today=date(2024, 6, 1), horizon_days=28), case) == {}


def test_a_purge_never_comes_sooner_than_thirty_days_after_the_end(world):
    # One month after 31 January is 28 February: 28 days. The floor of 30 days decides.
    policy(world, narratives=1, documents=1, identity=1, reopen=1, backup=28)
    case = ended_case(world, opened_on=date(2023, 1, 2), closed_on=date(2023, 1, 31))

    assert days(schedule.due(today=date(2023, 12, 31)), case) == {
        N: date(2023, 3, 2),
        D: date(2023, 3, 2),
        ID: date(2023, 3, 2),
    }
    assert schedule.due_day(date(2023, 1, 31), 1) == date(2023, 3, 2)
    assert schedule.due_day(date(2023, 3, 31), 1) == date(2023, 4, 30)


def test_open_and_intake_cases_are_never_due(world):
    open_case = make_case(team=world.team_a, specialists=[world.specialist], opened_on=date(2010, 1, 4))
    intake = case_services.start_intake(
        by=world.specialist,
        team=world.team_a,
        specialists=[world.specialist],
        details={"legal_name": "Ida Intake"},
        opened_on=date(2010, 1, 4),
    )

    items = schedule.due(today=date(2040, 1, 1))

    assert days(items, open_case) == {}
    assert days(items, intake) == {}
    assert days(items, world.case_a) == {}


def test_a_case_never_enrolled_counts_from_its_last_contact(world):
    case = not_enrolled_case(world, contacts=[date(2022, 1, 20), date(2022, 3, 5)])

    # The last attempt to reach them (after the outcome was recorded) decides, not the outcome date.
    assert days(schedule.due(today=date(2030, 1, 1)), case) == {
        N: date(2024, 3, 5),
        D: date(2024, 3, 5),
        ID: date(2025, 3, 5),
    }


def test_a_case_never_enrolled_without_contacts_counts_from_its_outcome(world):
    case = not_enrolled_case(world, decided_on=date(2022, 2, 1))

    assert days(schedule.due(today=date(2030, 1, 1)), case) == {
        N: date(2024, 2, 1),
        D: date(2024, 2, 1),
        ID: date(2025, 2, 1),
    }


def test_identity_waits_for_the_latest_enrollment(world):
    first = ended_case(world, closed_on=date(2022, 6, 30))
    second = again(world, first, on=date(2023, 1, 9))
    close_case(second, by=world.specialist, approver=world.supervisor, closed_on=date(2023, 9, 29))

    items = schedule.due(today=date(2030, 1, 1))

    # Each enrollment's narratives go on its own day; the identity of both on the latest's.
    assert days(items, first) == {N: date(2024, 6, 30), D: date(2024, 6, 30), ID: date(2026, 9, 29)}
    assert days(items, second) == {N: date(2025, 9, 29), D: date(2025, 9, 29), ID: date(2026, 9, 29)}


def test_identity_is_never_due_while_another_enrollment_is_open(world):
    first = ended_case(world, closed_on=date(2022, 6, 30))
    second = again(world, first, on=date(2023, 1, 9))

    items = schedule.due(today=date(2040, 1, 1))

    assert days(items, first) == {N: date(2024, 6, 30), D: date(2024, 6, 30)}
    assert days(items, second) == {}


def test_a_hold_marks_every_part_of_its_case_held(world):
    held = ended_case(world)
    free = ended_case(world)
    place_hold(held, by=world.supervisor, reason="Court order of 3 May")

    items = schedule.due(today=IDENTITY_DUE)

    assert {(item.level, item.held) for item in items if item.case.pk == held.pk} == {(N, True), (D, True), (ID, True)}
    assert {item.held for item in items if item.case.pk == free.pk} == {False}


def test_a_hold_on_one_enrollment_keeps_the_survivor_identity_on_every_one(world):
    first = ended_case(world, closed_on=date(2022, 6, 30))
    second = again(world, first, on=date(2023, 1, 9))
    close_case(second, by=world.specialist, approver=world.supervisor, closed_on=date(2023, 2, 28))
    place_hold(second, by=world.supervisor, reason="Open investigation")

    items = {(item.case.pk, item.level): item.held for item in schedule.due(today=date(2030, 1, 1))}

    assert items == {
        (first.pk, N): False,
        (first.pk, D): False,
        (first.pk, ID): True,
        (second.pk, N): True,
        (second.pk, D): True,
        (second.pk, ID): True,
    }


def test_the_case_schedule_lists_every_part_still_to_come(world):
    case = ended_case(world)

    assert [(item.level, item.day) for item in schedule.case_schedule(case)] == [
        (N, NARRATIVES_DUE),
        (D, NARRATIVES_DUE),
        (ID, IDENTITY_DUE),
    ]
    assert schedule.case_schedule(world.case_a) == []


def test_the_preview_shows_what_is_due_now_and_what_comes(world):
    now = ended_case(world, closed_on=date(2022, 6, 30))
    soon = ended_case(world, closed_on=date(2022, 8, 15))
    later = ended_case(world, closed_on=date(2023, 1, 31))
    place_hold(now, by=world.supervisor, reason="Court order")

    shown = schedule.preview(world.director, today=date(2024, 7, 1), horizon_days=90)

    assert [(item.case.pk, item.level, item.held) for item in shown.now] == [(now.pk, N, True), (now.pk, D, True)]
    assert [(item.case.pk, item.level, item.day) for item in shown.coming] == [
        (soon.pk, N, date(2024, 8, 15)),
        (soon.pk, D, date(2024, 8, 15)),
    ]
    assert [hold.reason for hold in shown.now[0].case.active_holds] == ["Court order"]
    assert (shown.hidden_now, shown.hidden_coming) == (0, 0)
    assert later.pk not in {item.case.pk for item in shown.now + shown.coming}


def test_restricted_cases_that_do_not_name_the_reader_are_counted_only(world):
    secret = ended_case(world)
    case_services.set_restriction(secret, by=world.supervisor, restricted=True, named=[world.supervisor])
    ended_case(world)

    shown = schedule.preview(world.director, today=NARRATIVES_DUE)
    named = schedule.preview(world.supervisor, today=NARRATIVES_DUE)

    assert secret.pk not in {item.case.pk for item in shown.now + shown.coming}
    assert (shown.hidden_now, len(shown.now)) == (1, 2)
    assert secret.pk in {item.case.pk for item in named.now}
    assert named.hidden_now == 0


def test_an_outsider_sees_nothing_of_another_team_in_the_preview(world):
    ended_case(world)

    shown = schedule.preview(world.outsider, today=NARRATIVES_DUE)

    assert (shown.now, shown.hidden_now) == ([], 1)


@pytest.mark.parametrize("cases", [1, 5])
def test_due_and_preview_cost_the_same_however_many_cases(world, cases, django_assert_num_queries):
    for index in range(cases):
        case = ended_case(world, closed_on=date(2022, 6, 1 + index))
        again_case = again(world, case, on=date(2022, 7, 1))
        close_case(again_case, by=world.specialist, approver=world.supervisor, closed_on=date(2022, 7, 2))
        place_hold(again_case, by=world.supervisor, reason="Court order")
    director = make_user(Role.PROGRAM_DIRECTOR)

    identity_due = date(2025, 7, 2)  # the second enrollment's, for both

    with django_assert_num_queries(2):
        assert len(schedule.due(today=identity_due)) == 6 * cases
    with django_assert_num_queries(7):  # and the requests for help closed without an intake
        shown = schedule.preview(director, today=identity_due)
    assert len(shown.now) == 6 * cases
    assert {hold.reason for item in shown.now for hold in item.case.active_holds} == {"Court order"}
