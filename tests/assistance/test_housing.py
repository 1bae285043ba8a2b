"""Housing stays: the limits of each kind, one open stay at a time, long-term housing, and the limit reminders."""

import calendar
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assistance import tasks
from assistance.models import HousingPlacement
from assistance.services import housing
from assistance.services.common import AssistanceError
from bloom.directory.models import Organization
from bloom.notifications.models import Notification
from tests.factories import close_case, make_case

TODAY = timezone.localdate
Kind = HousingPlacement.Kind
LongTerm = HousingPlacement.LongTerm
Exit = HousingPlacement.Exit
NEAR, PASSED = Notification.Kind.HOUSING_LIMIT_NEAR, Notification.Kind.HOUSING_LIMIT_PASSED
AT_LIMIT = object()  # the stay's expected end is its kind's limit


def days(n: int) -> date:
    return TODAY() + timedelta(days=n)


@pytest.fixture
def case(world):
    """A case of team A, assigned to the world's specialist, open for about a year and a half."""
    return make_case(team=world.team_a, specialists=[world.specialist], legal_name="Hana Housing", opened_on=days(-540))


def stay(kind=Kind.EMERGENCY, *, started_on=None, expected_end=AT_LIMIT, long_term="", provider=None,
         provider_name="Safe Haven Shelter", note="") -> housing.StayDetails:  # fmt: skip
    started_on = started_on or days(-10)
    if expected_end is AT_LIMIT:
        expected_end = housing.limit_of(kind, started_on)
    return housing.StayDetails(
        kind=kind,
        long_term=long_term,
        provider=provider,
        provider_name=provider_name,
        started_on=started_on,
        expected_end=expected_end,
        note=note,
    )


def place(case, by, **details) -> HousingPlacement:
    return housing.place(case, by=by, details=stay(**details))


def change(placement, by, **changes) -> HousingPlacement:
    values = {
        "expected_end": placement.expected_end,
        "ended_on": placement.ended_on,
        "exit_destination": placement.exit_destination,
        "note": placement.note,
        **changes,
    }
    return housing.change_stay(placement, by=by, change=housing.StayChange(**values))


def shelter(program=Organization.HousingProgram.EMERGENCY, name="Safe Haven Shelter") -> Organization:
    return Organization.objects.create(name=name, kind=Organization.Kind.HOUSING, housing_program=program)


# The limits ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2027, 12, 31), 2, date(2028, 2, 29)),  # a leap year
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 8, 31), 8, date(2027, 4, 30)),
        (date(2026, 6, 30), 8, date(2027, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
        (date(2026, 5, 1), 8, date(2027, 1, 1)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -2, date(2025, 11, 15)),
        (date(2026, 1, 15), 0, date(2026, 1, 15)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last_of_a_shorter_month(start, months, expected):
    assert housing.add_months(start, months) == expected


def test_the_limit_of_each_kind():
    assert housing.limit_of(Kind.EMERGENCY, date(2025, 12, 31)) == date(2026, 2, 28)
    assert housing.limit_of(Kind.EMERGENCY, date(2023, 12, 31)) == date(2024, 2, 29)
    assert housing.limit_of(Kind.TRANSITIONAL, date(2025, 12, 31)) == date(2026, 8, 31)
    assert housing.limit_of(Kind.TRANSITIONAL, date(2026, 6, 30)) == date(2027, 2, 28)
    assert housing.limit_of(Kind.LONG_TERM, date(2025, 12, 31)) is None


# Run again at awkward instants (tests/clock.py): a stay's limit is counted in months from its start.
@pytest.mark.clock
@pytest.mark.parametrize(("kind", "months"), [(Kind.EMERGENCY, 2), (Kind.TRANSITIONAL, 8)])
def test_a_limited_stay_may_be_expected_to_last_up_to_its_limit_and_no_longer(world, case, kind, months):
    started_on = days(-3)
    limit = housing.add_months(started_on, months)

    with pytest.raises(AssistanceError) as refused:
        place(case, world.specialist, kind=kind, started_on=started_on, expected_end=limit + timedelta(days=1))

    assert list(refused.value.message_dict) == ["expected_end"]
    assert f"up to {months} months" in refused.value.message_dict["expected_end"][0]
    assert not HousingPlacement.objects.exists()
    assert place(case, world.specialist, kind=kind, started_on=started_on, expected_end=limit).expected_end == limit


@pytest.mark.clock
def test_an_emergency_stay_from_new_years_eve_lasts_until_the_end_of_february(world, case):
    started_on = date(TODAY().year - 1, 12, 31)
    last_of_february = date(TODAY().year, 2, 29 if calendar.isleap(TODAY().year) else 28)

    with pytest.raises(AssistanceError, match="up to 2 months"):
        place(case, world.specialist, started_on=started_on, expected_end=last_of_february + timedelta(days=1))
    placed = place(case, world.specialist, started_on=started_on, expected_end=last_of_february)

    assert placed.expected_end == last_of_february


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"expected_end": None}, "expected_end"),
        ({"kind": Kind.TRANSITIONAL, "expected_end": None}, "expected_end"),
        # Run again at awkward instants (tests/clock.py): a stay ends after it starts.
        pytest.param({"started_on": days(-10), "expected_end": days(-11)}, "expected_end", marks=pytest.mark.clock),
        ({"kind": Kind.LONG_TERM, "long_term": "", "expected_end": None}, "long_term"),
        ({"kind": Kind.LONG_TERM, "long_term": "hotel", "expected_end": None}, "long_term"),
        ({"kind": Kind.EMERGENCY, "long_term": LongTerm.RENTAL}, "long_term"),
        ({"provider_name": "   "}, "provider"),
        ({"kind": Kind.TRANSITIONAL, "provider_name": ""}, "provider"),
        # Run again at awkward instants (tests/clock.py): a stay is recorded once it has begun.
        pytest.param({"started_on": days(1), "expected_end": days(20)}, "started_on", marks=pytest.mark.clock),
        ({"kind": "hotel"}, "kind"),
        ({"note": "x" * (housing.NOTE_LONGEST + 1)}, "note"),
    ],
)
def test_a_stay_the_rules_do_not_allow_is_refused_by_field(world, case, details, field):
    with pytest.raises(AssistanceError) as refused:
        place(case, world.specialist, **details)

    assert list(refused.value.message_dict) == [field]
    assert not HousingPlacement.objects.exists()


def test_a_stay_that_has_not_begun_is_refused_whenever_it_would_start(world, case):
    # The calendar's last day has no limit two months on: the start is refused, not the end checked.
    with pytest.raises(AssistanceError) as refused:
        place(case, world.specialist, started_on=date(9999, 12, 31), expected_end=date(9999, 12, 31))

    assert list(refused.value.message_dict) == ["started_on"]
    assert not HousingPlacement.objects.exists()


@pytest.mark.parametrize(
    "provider",
    [
        {"name": "Legal aid", "kind": Organization.Kind.LEGAL},
        {"name": "Closed shelter", "kind": Organization.Kind.HOUSING, "is_active": False},
    ],
)
def test_the_provider_from_the_directory_is_an_active_one_that_houses_people(world, case, provider):
    with pytest.raises(AssistanceError) as refused:
        place(case, world.specialist, provider=Organization.objects.create(**provider), provider_name="")

    assert list(refused.value.message_dict) == ["provider"]
    assert not HousingPlacement.objects.exists()


def test_a_provider_name_longer_than_the_form_allows_is_refused(world, case):
    with pytest.raises(AssistanceError) as refused:
        place(case, world.specialist, provider_name="p" * 201)

    assert list(refused.value.message_dict) == ["provider_name"]


def test_a_provider_from_the_directory_or_a_name_not_both(world, case):
    with pytest.raises(AssistanceError) as refused:
        place(case, world.specialist, provider=shelter(), provider_name="Safe Haven")

    assert list(refused.value.message_dict) == ["provider_name"]
    assert not HousingPlacement.objects.exists()


@pytest.mark.parametrize("long_term", LongTerm.values)
def test_long_term_housing_says_what_it_is_and_has_no_limit(world, case, long_term):
    placed = place(
        case, world.specialist, kind=Kind.LONG_TERM, long_term=long_term, expected_end=None, provider_name=""
    )

    placed.refresh_from_db()
    assert (placed.kind, placed.long_term, placed.expected_end) == (Kind.LONG_TERM, long_term, None)
    assert placed.history.get().history_change_reason == "housing.recorded"


@pytest.mark.parametrize("program", Organization.HousingProgram.values)
def test_a_shelter_or_transitional_program_is_never_long_term_housing(world, case, program):
    provider = shelter(program)

    with pytest.raises(AssistanceError) as refused:
        place(case, world.specialist, kind=Kind.LONG_TERM, long_term=LongTerm.RENTAL, expected_end=None,
              provider=provider, provider_name="")  # fmt: skip

    assert list(refused.value.message_dict) == ["provider"]
    assert "never long-term housing" in refused.value.message_dict["provider"][0]
    assert not HousingPlacement.objects.exists()


def test_a_housing_organization_without_a_shelter_may_be_the_long_term_landlord(world, case):
    landlord = shelter(program="", name="Hartford Housing Authority")

    placed = place(case, world.specialist, kind=Kind.LONG_TERM, long_term=LongTerm.RENTAL, expected_end=None,
                   provider=landlord, provider_name="")  # fmt: skip

    assert placed.provider_label == "Hartford Housing Authority"


def test_the_provider_of_a_shelter_stay_may_come_from_the_directory(world, case):
    placed = place(case, world.specialist, provider=shelter(), provider_name="")

    assert placed.provider_label == "Safe Haven Shelter"


@pytest.mark.parametrize("person", ["outsider", "finance", "volunteer", "trainer"])
def test_only_those_who_work_the_case_record_stays(world, case, person):
    with pytest.raises(PermissionDenied):
        place(case, getattr(world, person))

    assert not HousingPlacement.objects.exists()


def test_no_stay_is_recorded_on_a_closed_case(world, case):
    close_case(case, by=world.specialist, approver=world.supervisor)

    with pytest.raises(AssistanceError, match="while a survivor is served"):
        place(case, world.specialist)

    assert not HousingPlacement.objects.exists()


# One stay after another -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("next_stay", "destination"),
    [
        ({"kind": Kind.EMERGENCY}, Exit.EMERGENCY),
        ({"kind": Kind.TRANSITIONAL}, Exit.TRANSITIONAL),
        ({"kind": Kind.LONG_TERM, "long_term": LongTerm.RENTAL, "expected_end": None}, Exit.RENTAL),
        ({"kind": Kind.LONG_TERM, "long_term": LongTerm.FAMILY, "expected_end": None}, Exit.FAMILY),
        ({"kind": Kind.LONG_TERM, "long_term": LongTerm.REPATRIATION, "expected_end": None}, Exit.REPATRIATION),
    ],
)
def test_a_new_stay_ends_the_open_one_on_its_first_day_saying_where_the_survivor_went(
    world, case, next_stay, destination
):
    first = place(case, world.specialist, started_on=days(-40))

    second = place(case, world.specialist, started_on=days(-5), **next_stay)

    first.refresh_from_db()
    assert (first.ended_on, first.exit_destination) == (days(-5), destination)
    assert first.history.latest().history_change_reason == "housing.moved_on"
    assert second.is_open
    assert list(case.housing_placements.filter(ended_on__isnull=True)) == [second]


def test_a_case_has_one_open_stay_whatever_happens(world, case):
    place(case, world.specialist, started_on=days(-100))
    place(case, world.specialist, kind=Kind.TRANSITIONAL, started_on=days(-50))
    last = place(case, world.specialist, kind=Kind.LONG_TERM, long_term=LongTerm.RENTAL, expected_end=None,
                 started_on=days(-1))  # fmt: skip

    stays = case.housing_placements.order_by("started_on")
    assert [(s.kind, s.started_on, s.ended_on) for s in stays] == [
        (Kind.EMERGENCY, days(-100), days(-50)),
        (Kind.TRANSITIONAL, days(-50), days(-1)),
        (Kind.LONG_TERM, days(-1), None),
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        HousingPlacement.objects.create(
            case=case, kind=Kind.EMERGENCY, provider_name="Another", started_on=days(0), expected_end=days(10),
            recorded_by=world.specialist,
        )  # fmt: skip
    assert list(case.housing_placements.filter(ended_on__isnull=True)) == [last]


# Run again at awkward instants (tests/clock.py): a stay starts after the last one began and ended.
@pytest.mark.clock
@pytest.mark.parametrize("started_on", [-11, -10])
def test_a_new_stay_cannot_start_before_or_on_the_day_the_open_one_began(world, case, started_on):
    open_stay = place(case, world.specialist, started_on=days(-10))

    with pytest.raises(AssistanceError) as refused:
        place(case, world.specialist, kind=Kind.TRANSITIONAL, started_on=days(started_on))

    assert list(refused.value.message_dict) == ["started_on"]
    open_stay.refresh_from_db()
    assert open_stay.is_open
    assert case.housing_placements.count() == 1


@pytest.mark.clock
def test_a_new_stay_cannot_start_before_the_last_one_ended(world, case):
    ended = change(place(case, world.specialist, started_on=days(-30)), world.specialist,
                   ended_on=days(-10), exit_destination=Exit.FRIENDS)  # fmt: skip

    with pytest.raises(AssistanceError) as refused:
        place(case, world.specialist, started_on=days(-11))
    assert list(refused.value.message_dict) == ["started_on"]

    again = place(case, world.specialist, started_on=days(-10))
    ended.refresh_from_db()
    assert (ended.ended_on, ended.exit_destination) == (days(-10), Exit.FRIENDS)  # untouched by the new stay
    assert again.is_open


# Changing a stay --------------------------------------------------------------------------------


def test_a_stay_ends_with_where_the_survivor_went(world, case):
    placed = place(case, world.specialist, started_on=days(-20))

    change(placed, world.specialist, ended_on=days(-2), exit_destination=Exit.FAMILY, note="  Back home. ")

    placed.refresh_from_db()
    assert (placed.ended_on, placed.exit_destination, placed.note) == (days(-2), Exit.FAMILY, "Back home.")
    assert placed.history.latest().history_change_reason == "housing.ended"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ended_on": days(-2), "exit_destination": ""}, "exit_destination"),
        ({"ended_on": days(-2), "exit_destination": "the moon"}, "exit_destination"),
        ({"ended_on": None, "exit_destination": Exit.FAMILY}, "ended_on"),
        # Run again at awkward instants (tests/clock.py): a stay ends by today and within its limit in months.
        pytest.param({"ended_on": days(1), "exit_destination": Exit.FAMILY}, "ended_on", marks=pytest.mark.clock),
        pytest.param({"ended_on": days(-21), "exit_destination": Exit.FAMILY}, "ended_on", marks=pytest.mark.clock),
        ({"expected_end": None}, "expected_end"),
        pytest.param({"expected_end": days(-21)}, "expected_end", marks=pytest.mark.clock),
        pytest.param(
            {"expected_end": housing.add_months(days(-20), 2) + timedelta(days=1)},
            "expected_end",
            marks=pytest.mark.clock,
        ),
        ({"note": "x" * (housing.NOTE_LONGEST + 1)}, "note"),
    ],
)
def test_a_change_the_rules_do_not_allow_is_refused_by_field(world, case, changes, field):
    placed = place(case, world.specialist, started_on=days(-20))
    history = placed.history.count()

    with pytest.raises(AssistanceError) as refused:
        change(placed, world.specialist, **changes)

    assert list(refused.value.message_dict) == [field]
    placed.refresh_from_db()
    assert (placed.ended_on, placed.expected_end) == (None, housing.add_months(days(-20), 2))
    assert placed.history.count() == history


# Run again at awkward instants (tests/clock.py): a stay's limit is counted in months from its start.
@pytest.mark.clock
def test_the_expected_end_moves_within_the_limit(world, case):
    placed = place(case, world.specialist, kind=Kind.TRANSITIONAL, started_on=days(-20), expected_end=days(30))

    change(placed, world.specialist, expected_end=housing.add_months(days(-20), 8))

    placed.refresh_from_db()
    assert placed.expected_end == housing.add_months(days(-20), 8)
    assert placed.history.latest().history_change_reason == "housing.changed"


def test_an_ended_stay_stays_ended(world, case):
    placed = change(place(case, world.specialist, started_on=days(-20)), world.specialist,
                    ended_on=days(-2), exit_destination=Exit.FAMILY)  # fmt: skip

    with pytest.raises(AssistanceError) as refused:
        change(placed, world.specialist, ended_on=None, exit_destination="")

    assert list(refused.value.message_dict) == ["ended_on"]
    placed.refresh_from_db()
    assert placed.ended_on == days(-2)


def test_someone_outside_the_case_cannot_change_a_stay(world, case):
    placed = place(case, world.specialist, started_on=days(-20))

    with pytest.raises(PermissionDenied):
        change(placed, world.outsider, ended_on=days(-1), exit_destination=Exit.LEFT)

    placed.refresh_from_db()
    assert placed.is_open


# Reminders --------------------------------------------------------------------------------------


def reminders(kind=None):
    found = Notification.objects.filter(kind__in=[NEAR, PASSED])
    return found.filter(kind=kind) if kind else found


# Run again at awkward instants (tests/clock.py): people are told as the limit nears and once it has passed.
@pytest.mark.clock
@pytest.mark.parametrize(("kind", "notice"), [(Kind.EMERGENCY, 14), (Kind.TRANSITIONAL, 30)])
def test_those_who_work_the_case_are_told_as_the_limit_nears_and_not_earlier(world, case, kind, notice):
    placed = place(case, world.specialist, kind=kind, started_on=days(-30))
    limit = housing.limit_of(kind, days(-30))

    assert housing.send_limit_reminders(today=limit - timedelta(days=notice + 1)) == 0
    assert housing.send_limit_reminders(today=limit - timedelta(days=notice)) == 1

    told = reminders().get()
    code = case.survivor.client_code
    assert (told.kind, told.recipient) == (NEAR, world.specialist)
    assert told.data == {"code": code, "until": limit.isoformat()}
    assert told.url == reverse("assistance:case", args=[case.pk])
    assert told.dedupe_key == f"housing-limit:{placed.pk}:{NEAR}"
    assert code in told.text
    assert "Hana" not in told.text
    assert "Hana" not in str(told.data)


@pytest.mark.clock
def test_an_emergency_stay_is_not_told_a_transitional_stays_notice_ahead(world, case):
    place(case, world.specialist, started_on=days(-30))
    limit = housing.limit_of(Kind.EMERGENCY, days(-30))

    assert housing.send_limit_reminders(today=limit - timedelta(days=30)) == 0
    assert housing.send_limit_reminders(today=limit - timedelta(days=15)) == 0
    assert not reminders().exists()


@pytest.mark.clock
def test_once_the_limit_has_passed_they_are_told_again_once(world, case):
    place(case, world.specialist, started_on=days(-30))
    limit = housing.limit_of(Kind.EMERGENCY, days(-30))

    assert housing.send_limit_reminders(today=limit - timedelta(days=3)) == 1
    assert housing.send_limit_reminders(today=limit) == 0  # the limit's own day: still near, already told
    assert housing.send_limit_reminders(today=limit + timedelta(days=1)) == 1
    assert housing.send_limit_reminders(today=limit + timedelta(days=1)) == 0
    assert housing.send_limit_reminders(today=limit + timedelta(days=40)) == 0

    passed = reminders(PASSED).get()
    assert passed.recipient == world.specialist
    assert passed.data == {"code": case.survivor.client_code, "since": limit.isoformat()}
    assert reminders().count() == 2
    # "Near its limit" is settled once the limit has passed; the passed notice stays to be read.
    assert list(reminders().filter(read_at__isnull=True).values_list("kind", flat=True)) == [PASSED]


@pytest.mark.clock
def test_every_assigned_specialist_is_told_and_nobody_twice(world):
    case = make_case(team=world.team_a, specialists=[world.specialist, world.colleague], opened_on=days(-90))
    place(case, world.specialist, started_on=days(-55))

    first = housing.send_limit_reminders()
    second = housing.send_limit_reminders()

    assert (first, second) == (2, 0)
    assert sorted(reminders(NEAR).values_list("recipient", flat=True)) == sorted(
        [world.specialist.pk, world.colleague.pk]
    )


def test_with_nobody_assigned_the_teams_supervisor_is_told(world):
    case = make_case(team=world.team_a, by=world.supervisor, opened_on=days(-90))
    place(case, world.supervisor, started_on=days(-55))

    housing.send_limit_reminders()

    assert list(reminders(NEAR).values_list("recipient", flat=True)) == [world.supervisor.pk]


def test_ending_the_stay_settles_its_reminders(world, case):
    placed = place(case, world.specialist, started_on=days(-30))
    limit = housing.limit_of(Kind.EMERGENCY, days(-30))
    housing.send_limit_reminders(today=limit - timedelta(days=1))
    assert reminders().filter(read_at__isnull=True).count() == 1

    change(placed, world.specialist, ended_on=TODAY(), exit_destination=Exit.TRANSITIONAL)

    assert reminders().count() == 1
    assert not reminders().filter(read_at__isnull=True).exists()
    assert housing.send_limit_reminders(today=limit + timedelta(days=1)) == 0


def test_moving_on_to_a_new_stay_settles_the_old_ones_reminders(world, case):
    place(case, world.specialist, started_on=days(-55))
    housing.send_limit_reminders()
    assert reminders().filter(read_at__isnull=True).count() == 1

    place(case, world.specialist, kind=Kind.TRANSITIONAL, started_on=TODAY())

    assert not reminders().filter(read_at__isnull=True).exists()
    assert housing.send_limit_reminders() == 0


def test_long_term_housing_is_never_reminded(world, case):
    place(case, world.specialist, kind=Kind.LONG_TERM, long_term=LongTerm.FAMILY, expected_end=None,
          started_on=days(-500))  # fmt: skip

    assert housing.send_limit_reminders(today=days(400)) == 0


def test_a_closed_case_is_not_reminded(world, case):
    place(case, world.specialist, started_on=days(-55))
    close_case(case, by=world.specialist, approver=world.supervisor)

    assert housing.send_limit_reminders() == 0
    assert housing.send_limit_reminders(today=days(60)) == 0
    assert not reminders().exists()


@pytest.mark.parametrize("size", [1, 5])
def test_reminders_take_a_fixed_number_of_queries(world, django_assert_num_queries, size):
    for number in range(size):
        case = make_case(team=world.team_a, specialists=[world.specialist], opened_on=days(-90),
                         legal_name=f"Person {number}")  # fmt: skip
        place(case, world.specialist, started_on=days(-55 - number))

    # The stays (with their cases and survivors), the three relations of who is told, and
    # the notifications counted, written and counted again.
    with django_assert_num_queries(7):
        created = housing.send_limit_reminders()

    assert created == size


def test_the_daily_task_sends_the_reminders(world, case):
    place(case, world.specialist, started_on=days(-55))

    assert tasks.send_housing_reminders() == 1
    assert tasks.send_housing_reminders() == 0
    assert reminders(NEAR).get().recipient == world.specialist
