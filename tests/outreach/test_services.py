"""The rules of outreach's services: sessions (times, counts, venues, the team), volunteers and
their trainings, partnership activities, who may write each, and the history every write leaves."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from bloom.accounts.models import Role
from bloom.directory.models import Organization
from outreach import queries
from outreach import services as outreach_services
from outreach.forms import SessionForm, VolunteerForm
from outreach.models import OutreachSession, PartnershipActivity, Volunteer
from outreach.services import OutreachError, PartnershipDetails
from tests.factories import log_outreach, make_town, make_user, make_volunteer, request_for_help, session_details

TODAY = timezone.localdate
# A fixed evening in the past, in the program's time zone (no clock change near it).
EVENING = date(2025, 5, 6)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.get_current_timezone())


def refusal(excinfo) -> dict[str, list[str]]:
    """The refusal's messages by field."""
    return excinfo.value.message_dict


def reasons(history) -> list[tuple[int, str]]:
    return list(history.order_by("history_id").values_list("history_user", "history_change_reason"))


def session_form_data(**overrides) -> dict:
    town = make_town()
    values = {
        "day": EVENING.isoformat(), "starts": "18:00", "ends": "20:00", "town": town.pk,
        "venue_types": ["street"], "area": "Park Street, between Main and Broad", "people_contacted": "4",
    }  # fmt: skip
    values.update(overrides)
    return values


# Times ------------------------------------------------------------------------------------------


def test_a_session_that_ends_before_it_starts_is_refused_on_its_end(world):
    details = session_details(world.outreach, starts_at=at(EVENING, 20))
    details.ends_at = at(EVENING, 18)

    with pytest.raises(OutreachError) as excinfo:
        outreach_services.log_session(by=world.outreach, details=details)

    assert list(refusal(excinfo)) == ["ends_at"]
    assert "ends before it starts" in refusal(excinfo)["ends_at"][0]
    assert "Ended after midnight" in refusal(excinfo)["ends_at"][0]
    assert OutreachSession.objects.count() == 0


def test_a_session_that_ends_when_it_starts_is_refused(world):
    details = session_details(world.outreach, starts_at=at(EVENING, 20))
    details.ends_at = details.starts_at

    with pytest.raises(OutreachError) as excinfo:
        outreach_services.log_session(by=world.outreach, details=details)

    assert list(refusal(excinfo)) == ["ends_at"]


def test_a_session_that_ended_after_midnight_lasts_into_the_next_day(world):
    form = SessionForm(
        session_form_data(starts="22:00", ends="01:00", ended_after_midnight="on", lead=world.outreach.pk)
    )
    assert form.is_valid(), form.errors

    details = form.details()
    session = outreach_services.log_session(by=world.outreach, details=details)

    assert details.ends_at - details.starts_at == timedelta(hours=3)
    session.refresh_from_db()
    assert session.minutes == 180
    assert timezone.localtime(session.starts_at) == at(EVENING, 22)
    assert timezone.localtime(session.ends_at) == at(EVENING + timedelta(days=1), 1)


# The nights the clocks change in the program's time zone (America/New_York by default).
SPRING_FORWARD, FALL_BACK = date(2026, 3, 8), date(2026, 11, 1)


@pytest.mark.parametrize(
    ("day", "starts", "ends", "minutes"),
    [
        (SPRING_FORWARD, "00:30", "03:30", 120),  # 2:00 to 3:00 never happened
        (SPRING_FORWARD, "02:30", "04:00", 30),  # a start that never happened is read as 3:30
        (FALL_BACK, "00:30", "02:30", 180),  # 1:00 to 2:00 happened twice
    ],
    ids=["over the lost hour", "from a time that never happened", "over the hour that came twice"],
)
def test_a_session_on_the_night_the_clocks_change_lasts_the_time_that_passed(client, world, day, starts, ends, minutes):
    client.force_login(world.outreach)

    response = client.post(
        reverse("outreach:session_new"),
        session_form_data(day=day.isoformat(), starts=starts, ends=ends, lead=world.outreach.pk),
    )

    assert response.status_code == 302
    assert OutreachSession.objects.get().minutes == minutes


def test_a_session_ending_before_a_start_that_never_happened_is_refused_beside_its_end(client, world):
    client.force_login(world.outreach)
    data = session_form_data(day=SPRING_FORWARD.isoformat(), starts="02:30", ends="03:15", lead=world.outreach.pk)

    response = client.post(reverse("outreach:session_new"), data)  # 2:30 is read as 3:30

    assert response.status_code == 200
    assert "ends before it starts" in response.context["form"].errors["ends"][0]
    assert OutreachSession.objects.count() == 0


def test_without_the_midnight_tick_a_late_session_is_refused_beside_its_end_time(client, world):
    client.force_login(world.outreach)

    response = client.post(
        reverse("outreach:session_new"), session_form_data(starts="22:00", ends="01:00", lead=world.outreach.pk)
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "ends" in form.errors
    assert "Ended after midnight" in form.errors["ends"][0]
    assert form.non_field_errors() == []
    assert form["starts"].value() == "22:00"  # what was typed is kept
    assert OutreachSession.objects.count() == 0


def test_a_session_of_sixteen_hours_is_accepted_and_seventeen_refused(world):
    session = log_outreach(world.outreach, starts_at=at(EVENING, 6), hours=16)
    assert session.minutes == 16 * 60

    with pytest.raises(OutreachError) as excinfo:
        log_outreach(world.outreach, starts_at=at(EVENING + timedelta(days=1), 6), hours=17)

    assert list(refusal(excinfo)) == ["ends_at"]
    assert "at most 16 hours" in refusal(excinfo)["ends_at"][0]
    assert OutreachSession.objects.count() == 1


# Counts -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", OutreachSession.COUNT_FIELDS)
def test_a_negative_count_is_refused_on_its_field(world, name):
    with pytest.raises(OutreachError) as excinfo:
        log_outreach(world.outreach, starts_at=at(EVENING, 18), **{name: -1})

    assert name in refusal(excinfo)
    assert "cannot be negative" in refusal(excinfo)[name][0]
    assert OutreachSession.objects.count() == 0


def test_a_negative_count_typed_in_the_form_is_refused_by_the_service(world):
    form = SessionForm(session_form_data(hygiene_kits="-3", lead=world.outreach.pk))
    assert form.is_valid(), form.errors
    details = form.details()
    assert details.counts["hygiene_kits"] == -3

    with pytest.raises(OutreachError) as excinfo:
        outreach_services.log_session(by=world.outreach, details=details)

    assert list(refusal(excinfo)) == ["hygiene_kits"]


def test_a_negative_count_posted_to_the_page_is_shown_beside_it(client, world):
    client.force_login(world.outreach)

    response = client.post(reverse("outreach:session_new"), session_form_data(food_items="-2", lead=world.outreach.pk))

    assert response.status_code == 200
    assert "cannot be negative" in response.context["form"].errors["food_items"][0]
    assert OutreachSession.objects.count() == 0


def test_a_count_above_the_largest_is_refused(world):
    with pytest.raises(OutreachError) as excinfo:
        log_outreach(world.outreach, starts_at=at(EVENING, 18), hotline_cards=10_001)

    assert "more than 10,000" in refusal(excinfo)["hotline_cards"][0]


def test_more_people_possibly_identified_than_contacted_is_refused(world):
    with pytest.raises(OutreachError) as excinfo:
        log_outreach(world.outreach, starts_at=at(EVENING, 18), people_contacted=3, possibly_identified=4)

    assert list(refusal(excinfo)) == ["possibly_identified"]
    assert "than people contacted" in refusal(excinfo)["possibly_identified"][0]


def test_as_many_people_possibly_identified_as_contacted_is_accepted(world):
    session = log_outreach(world.outreach, starts_at=at(EVENING, 18), people_contacted=3, possibly_identified=3)

    session.refresh_from_db()
    assert (session.people_contacted, session.possibly_identified) == (3, 3)


def test_a_safety_incident_needs_a_note_of_what_happened(world):
    with pytest.raises(OutreachError) as excinfo:
        log_outreach(world.outreach, starts_at=at(EVENING, 18), safety_incidents=1, incident_notes="   ")
    assert list(refusal(excinfo)) == ["incident_notes"]

    session = log_outreach(
        world.outreach, starts_at=at(EVENING, 18), safety_incidents=1, incident_notes=" A man followed us. "
    )
    session.refresh_from_db()
    assert (session.safety_incidents, session.incident_notes) == (1, "A man followed us.")


# Venues and area --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("venue_types", "words"),
    [
        ([], "at least one"),
        (["nightclub"], "from the list"),
        (["street", "nightclub"], "from the list"),
        (["street", "street"], "from the list"),
    ],
)
def test_the_kinds_of_venue_are_chosen_from_the_list(world, venue_types, words):
    with pytest.raises(OutreachError) as excinfo:
        log_outreach(world.outreach, starts_at=at(EVENING, 18), venue_types=venue_types)

    assert list(refusal(excinfo)) == ["venue_types"]
    assert words in refusal(excinfo)["venue_types"][0]


def test_two_kinds_of_venue_are_kept_in_order(world):
    session = log_outreach(world.outreach, starts_at=at(EVENING, 18), venue_types=["hotel", "street"])

    session.refresh_from_db()
    assert session.venue_types == ["hotel", "street"]


def test_the_area_must_be_described(world):
    with pytest.raises(OutreachError) as excinfo:
        log_outreach(world.outreach, starts_at=at(EVENING, 18), area="  ")

    assert list(refusal(excinfo)) == ["area"]


def test_the_lead_must_be_an_outreach_worker(world):
    details = session_details(world.outreach, starts_at=at(EVENING, 18))
    details.lead = world.specialist

    with pytest.raises(OutreachError) as excinfo:
        outreach_services.log_session(by=world.outreach, details=details)

    assert list(refusal(excinfo)) == ["lead"]


# The team ---------------------------------------------------------------------------------------


def test_a_volunteer_on_another_session_at_the_same_time_is_refused_by_name(world):
    val = make_volunteer(world.outreach, full_name="Val Volunteer")
    other = make_volunteer(world.outreach, full_name="Omar Other")
    log_outreach(world.outreach, town=make_town("New Britain"), starts_at=at(EVENING, 19), volunteers=[val])

    with pytest.raises(OutreachError) as excinfo:
        log_outreach(world.outreach, starts_at=at(EVENING, 20), hours=2, volunteers=[other, val])

    assert refusal(excinfo) == {
        "volunteers": ["Val Volunteer is already on the session in New Britain from 7 p.m. on 05/06/2025."]
    }
    assert OutreachSession.objects.count() == 1


def test_a_session_inside_another_clashes_too(world):
    val = make_volunteer(world.outreach)
    log_outreach(world.outreach, starts_at=at(EVENING, 18), hours=4, volunteers=[val])

    with pytest.raises(OutreachError) as excinfo:
        log_outreach(world.outreach, starts_at=at(EVENING, 19), hours=1, volunteers=[val])

    assert "Val Volunteer is already on the session in Hartford" in refusal(excinfo)["volunteers"][0]


def test_back_to_back_sessions_share_a_volunteer(world):
    val = make_volunteer(world.outreach)
    first = log_outreach(world.outreach, starts_at=at(EVENING, 18), hours=2, volunteers=[val])
    second = log_outreach(world.outreach, starts_at=at(EVENING, 20), hours=2, volunteers=[val])
    before = log_outreach(world.outreach, starts_at=at(EVENING, 16), hours=2, volunteers=[val])

    assert first.ends_at == second.starts_at
    assert before.ends_at == first.starts_at
    assert set(val.sessions.all()) == {first, second, before}


def test_sessions_at_the_same_time_without_a_shared_volunteer_are_accepted(world):
    val = make_volunteer(world.outreach, full_name="Val Volunteer")
    other = make_volunteer(world.outreach, full_name="Omar Other")
    log_outreach(world.outreach, starts_at=at(EVENING, 18), volunteers=[val])
    log_outreach(world.outreach, starts_at=at(EVENING, 18), volunteers=[other])

    assert OutreachSession.objects.count() == 2


def test_changing_a_session_does_not_clash_with_itself(world):
    val = make_volunteer(world.outreach)
    session = log_outreach(world.outreach, starts_at=at(EVENING, 18), hours=2, volunteers=[val], people_contacted=2)
    details = session_details(
        world.outreach, starts_at=at(EVENING, 18, 30), hours=2, volunteers=[val], people_contacted=5
    )

    outreach_services.change_session(session, by=world.outreach, details=details)

    session.refresh_from_db()
    assert (session.people_contacted, session.minutes) == (5, 120)
    assert timezone.localtime(session.starts_at) == at(EVENING, 18, 30)


def test_moving_a_session_onto_another_with_the_same_volunteer_is_refused(world):
    val = make_volunteer(world.outreach)
    log_outreach(world.outreach, starts_at=at(EVENING, 18), volunteers=[val])
    later = log_outreach(world.outreach, starts_at=at(EVENING, 21), volunteers=[val])

    with pytest.raises(OutreachError) as excinfo:
        outreach_services.change_session(
            later,
            by=world.outreach,
            details=session_details(world.outreach, starts_at=at(EVENING, 19), volunteers=[val]),
        )

    assert "already on the session in Hartford from 6 p.m. on 05/06/2025." in refusal(excinfo)["volunteers"][0]
    later.refresh_from_db()
    assert timezone.localtime(later.starts_at) == at(EVENING, 21)


@pytest.mark.parametrize(
    ("status", "shown"), [("inactive", "inactive"), ("applied", "applied"), ("trained", "trained")]
)
def test_a_volunteer_who_is_not_active_cannot_join_a_team(world, status, shown):
    waiting = make_volunteer(world.outreach, full_name="Nadia Notyet", status=status)

    with pytest.raises(OutreachError) as excinfo:
        log_outreach(world.outreach, starts_at=at(EVENING, 18), volunteers=[waiting])

    assert refusal(excinfo) == {
        "volunteers": [
            f"Nadia Notyet cannot join a team while their status is “{shown}”: only active volunteers go out."
        ]
    }
    assert OutreachSession.objects.count() == 0


def test_the_team_is_saved_with_the_session(world):
    val = make_volunteer(world.outreach, full_name="Val Volunteer")
    other = make_volunteer(world.outreach, full_name="Omar Other")

    session = log_outreach(world.outreach, starts_at=at(EVENING, 18), volunteers=[val, other])

    assert set(session.volunteers.all()) == {val, other}
    assert session.lead == world.outreach


# History ----------------------------------------------------------------------------------------


def test_every_session_write_leaves_a_history_row_with_its_author(world):
    val = make_volunteer(world.outreach)
    second_worker = make_user(Role.OUTREACH_WORKER, full_name="Olga Outreach")
    session = log_outreach(world.outreach, starts_at=at(EVENING, 18), volunteers=[val], people_contacted=1)
    logged = reasons(session.history)

    outreach_services.change_session(
        session,
        by=second_worker,
        details=session_details(world.outreach, starts_at=at(EVENING, 18), volunteers=[val], people_contacted=6),
    )

    # The session row, then its team (the many-to-many is kept in the history too).
    assert logged[0] == (world.outreach.pk, "session.logged")
    assert set(logged) == {(world.outreach.pk, "session.logged")}
    changed = reasons(session.history)[len(logged) :]
    assert changed == [(second_worker.pk, "session.changed")]
    assert session.history.latest("history_id").people_contacted == 6
    assert session.history.earliest("history_id").history_type == "+"


def test_an_unchanged_session_writes_no_history(world):
    val = make_volunteer(world.outreach)
    kwargs = {"starts_at": at(EVENING, 18), "volunteers": [val], "people_contacted": 4, "venue_types": ["hotel"]}
    session = log_outreach(world.outreach, **kwargs)
    rows = session.history.count()
    assert rows >= 1

    outreach_services.change_session(session, by=world.outreach, details=session_details(world.outreach, **kwargs))

    assert session.history.count() == rows


def test_changing_only_the_team_is_a_change(world):
    val = make_volunteer(world.outreach, full_name="Val Volunteer")
    other = make_volunteer(world.outreach, full_name="Omar Other")
    session = log_outreach(world.outreach, starts_at=at(EVENING, 18), volunteers=[val])
    rows = session.history.count()

    outreach_services.change_session(
        session,
        by=world.outreach,
        details=session_details(world.outreach, starts_at=at(EVENING, 18), volunteers=[val, other]),
    )

    assert set(session.volunteers.all()) == {val, other}
    assert session.history.count() > rows
    assert set(reasons(session.history)[rows:]) == {(world.outreach.pk, "session.changed")}


def test_a_hand_off_leaves_a_history_row(world):
    session = log_outreach(world.outreach, starts_at=at(EVENING, 18))
    handoff = outreach_services.hand_off(session, by=world.outreach, request=request_for_help(world.team_a))

    assert reasons(handoff.history) == [(world.outreach.pk, "handoff.passed")]
    assert handoff.passed_by == world.outreach


# Run again at awkward instants (tests/clock.py): a request for help waits for the session to start.
@pytest.mark.clock
def test_a_request_cannot_be_passed_on_from_a_planned_session(world):
    planned = log_outreach(world.outreach, starts_at=timezone.now() + timedelta(days=2))

    with pytest.raises(OutreachError) as excinfo:
        outreach_services.hand_off(planned, by=world.outreach, request=request_for_help(world.team_a))

    assert "has not started yet" in excinfo.value.messages[0]
    assert planned.handoffs.count() == 0


# Volunteers -------------------------------------------------------------------------------------


def volunteer_values(**overrides) -> dict:
    today = TODAY()
    values = {
        "full_name": "Val Volunteer", "email": "", "phone": "", "status": "active",
        "applied_on": today - timedelta(days=90), "background_checked_on": today - timedelta(days=60),
        "trained_on": today - timedelta(days=30), "languages": "", "skills": "", "availability": "",
        "emergency_contact_name": "", "emergency_contact_phone": "", "notes": "",
    }  # fmt: skip
    values.update(overrides)
    return values


def save(world, volunteer=None, *, account=None, **overrides):
    return outreach_services.save_volunteer(
        volunteer, by=world.outreach, details=volunteer_values(**overrides), account=account
    )


def test_an_active_volunteer_needs_the_background_check_on_record(world):
    with pytest.raises(OutreachError) as excinfo:
        save(world, background_checked_on=None)

    assert list(refusal(excinfo)) == ["background_checked_on"]
    assert Volunteer.objects.count() == 0


def test_an_active_volunteer_needs_the_training_on_record(world):
    with pytest.raises(OutreachError) as excinfo:
        save(world, trained_on=None)

    assert refusal(excinfo) == {
        "trained_on": ["Enter the date the volunteer training was completed before marking them active."]
    }


def test_a_volunteer_who_applied_needs_neither_date(world):
    volunteer = save(world, status="applied", background_checked_on=None, trained_on=None)

    volunteer.refresh_from_db()
    assert (volunteer.status, volunteer.may_serve) == ("applied", False)


# Run again at awkward instants (tests/clock.py): volunteers' dates are never in the future, and come in order.
@pytest.mark.clock
@pytest.mark.parametrize("name", ["applied_on", "background_checked_on", "trained_on"])
def test_a_volunteer_date_cannot_be_in_the_future(world, name):
    with pytest.raises(OutreachError) as excinfo:
        save(world, **{name: TODAY() + timedelta(days=1)})

    assert refusal(excinfo)[name] == ["This date cannot be in the future."]


@pytest.mark.clock
def test_the_check_and_training_come_after_the_application(world):
    with pytest.raises(OutreachError) as excinfo:
        save(world, applied_on=TODAY() - timedelta(days=40), background_checked_on=TODAY() - timedelta(days=50))

    assert list(refusal(excinfo)) == ["background_checked_on"]
    assert "after the application" in refusal(excinfo)["background_checked_on"][0]


def test_the_sign_in_account_must_hold_the_volunteer_role(world):
    with pytest.raises(OutreachError) as excinfo:
        save(world, account=world.specialist)

    assert list(refusal(excinfo)) == ["user"]
    assert "does not have the volunteer role" in refusal(excinfo)["user"][0]


def test_the_sign_in_account_cannot_belong_to_another_volunteer(world):
    first = save(world, full_name="Val Volunteer", account=world.volunteer)

    with pytest.raises(OutreachError) as excinfo:
        save(world, full_name="Omar Other", account=world.volunteer)

    assert refusal(excinfo) == {"user": ["This account already belongs to another volunteer."]}
    # the volunteer who has it may be saved again with it
    save(world, first, full_name="Val Volunteer", account=world.volunteer, phone="860-555-0100")
    first.refresh_from_db()
    assert (first.user, first.phone) == (world.volunteer, "860-555-0100")


def test_every_volunteer_write_leaves_a_history_row_and_an_unchanged_one_none(world):
    volunteer = save(world, status="applied", background_checked_on=None, trained_on=None)
    save(world, volunteer, status="applied", background_checked_on=None, trained_on=None)  # nothing changed
    save(world, volunteer)  # now active
    save(world, volunteer, account=world.volunteer)

    assert reasons(volunteer.history) == [
        (world.outreach.pk, "volunteer.recorded"),
        (world.outreach.pk, "volunteer.changed"),
        (world.outreach.pk, "volunteer.changed"),
    ]
    volunteer.refresh_from_db()
    assert (volunteer.status, volunteer.user) == ("active", world.volunteer)
    assert volunteer.created_by == world.outreach


def test_an_email_longer_than_the_record_keeps_is_refused_beside_it(client, world):
    # The address is valid (under the 320 characters Django's validator allows) but the record keeps 254.
    client.force_login(world.outreach)
    email = "a" * 250 + "@example.org"
    data = {"full_name": "Vera Volunteer", "status": "applied", "applied_on": TODAY().isoformat(), "email": email}

    response = client.post(reverse("outreach:volunteer_new"), data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["email"]
    assert Volunteer.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"full_name": "  "}, "full_name"), ({"status": "retired"}, "status")],
)
def test_a_volunteer_without_a_name_or_with_a_status_off_the_list_is_refused(world, overrides, field):
    with pytest.raises(OutreachError) as excinfo:
        save(world, **overrides)

    assert list(refusal(excinfo)) == [field]
    assert Volunteer.objects.count() == 0


def test_a_volunteer_detail_that_is_not_one_is_a_programming_error(world):
    with pytest.raises(TypeError):
        outreach_services.save_volunteer(
            None, by=world.outreach, details={**volunteer_values(), "age": 30}, account=None
        )


def test_a_training_is_recorded_with_its_history(world):
    volunteer = make_volunteer(world.outreach)

    training = outreach_services.add_training(
        volunteer,
        by=world.outreach,
        on=TODAY() - timedelta(days=2),
        topic="  Trauma-informed care ",
        hours=Decimal("3.5"),
    )

    training.refresh_from_db()
    assert (training.topic, training.hours, training.recorded_by) == (
        "Trauma-informed care",
        Decimal("3.5"),
        world.outreach,
    )
    assert list(volunteer.trainings.all()) == [training]
    assert reasons(training.history) == [(world.outreach.pk, "volunteer_training.recorded")]


# Run again at awkward instants (tests/clock.py): a training is never in the future.
@pytest.mark.clock
def test_a_training_in_the_future_or_without_a_topic_is_refused(world):
    volunteer = make_volunteer(world.outreach)

    with pytest.raises(OutreachError) as excinfo:
        outreach_services.add_training(
            volunteer, by=world.outreach, on=TODAY() + timedelta(days=1), topic=" ", hours=None
        )

    assert set(refusal(excinfo)) == {"on", "topic"}
    assert volunteer.trainings.count() == 0


@pytest.mark.parametrize("hours", [Decimal("-0.5"), Decimal("24.5")])
def test_a_training_longer_than_a_day_or_of_negative_hours_is_refused(world, hours):
    volunteer = make_volunteer(world.outreach)

    with pytest.raises(OutreachError) as excinfo:
        outreach_services.add_training(volunteer, by=world.outreach, on=TODAY(), topic="Refresher", hours=hours)

    assert list(refusal(excinfo)) == ["hours"]
    assert volunteer.trainings.count() == 0


# Partnerships -----------------------------------------------------------------------------------


@pytest.fixture
def partner(db):
    return Organization.objects.create(name="Hartford Legal Aid")


def activity(partner, **overrides) -> PartnershipDetails:
    values = {"organization": partner, "kind": "referral", "on": TODAY() - timedelta(days=1),
              "people_involved": "  Dana (intake lead) ", "notes": " Agreed a referral route. "}  # fmt: skip
    values.update(overrides)
    return PartnershipDetails(**values)


def test_a_partnership_activity_is_recorded_trimmed_with_its_history(world, partner):
    recorded = outreach_services.record_partnership(None, by=world.outreach, details=activity(partner))

    recorded.refresh_from_db()
    assert (recorded.kind, recorded.people_involved, recorded.notes, recorded.recorded_by) == (
        "referral",
        "Dana (intake lead)",
        "Agreed a referral route.",
        world.outreach,
    )
    assert reasons(recorded.history) == [(world.outreach.pk, "partnership.recorded")]


# Run again at awkward instants (tests/clock.py): an activity is recorded once it has happened: today at the latest.
@pytest.mark.clock
def test_a_partnership_activity_in_the_future_is_refused(world, partner):
    with pytest.raises(OutreachError) as excinfo:
        outreach_services.record_partnership(
            None, by=world.outreach, details=activity(partner, on=TODAY() + timedelta(days=1))
        )

    assert refusal(excinfo) == {"on": ["Record an activity once it has happened."]}
    assert PartnershipActivity.objects.count() == 0


@pytest.mark.clock
def test_a_partnership_activity_today_is_accepted(world, partner):
    recorded = outreach_services.record_partnership(None, by=world.outreach, details=activity(partner, on=TODAY()))

    assert recorded.on == TODAY()


def test_the_kind_of_partnership_activity_comes_from_the_list(world, partner):
    with pytest.raises(OutreachError) as excinfo:
        outreach_services.record_partnership(None, by=world.outreach, details=activity(partner, kind="lunch"))

    assert list(refusal(excinfo)) == ["kind"]


def test_a_changed_partnership_activity_keeps_its_history_and_an_unchanged_one_writes_none(world, partner):
    recorded = outreach_services.record_partnership(None, by=world.outreach, details=activity(partner))

    outreach_services.record_partnership(recorded, by=world.outreach, details=activity(partner))
    outreach_services.record_partnership(
        recorded, by=world.director, details=activity(partner, kind="joint programming")
    )

    recorded.refresh_from_db()
    assert recorded.kind == "joint programming"
    assert reasons(recorded.history) == [
        (world.outreach.pk, "partnership.recorded"),
        (world.director.pk, "partnership.changed"),
    ]


# Who may write ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["volunteer", "specialist", "supervisor", "director", "finance", "trainer"])
def test_only_an_outreach_worker_logs_a_session(world, persona):
    user = world.everyone()[persona]

    with pytest.raises(PermissionDenied):
        outreach_services.log_session(by=user, details=session_details(world.outreach, starts_at=at(EVENING, 18)))

    assert OutreachSession.objects.count() == 0


@pytest.mark.parametrize("persona", ["volunteer", "specialist", "supervisor", "director"])
def test_only_an_outreach_worker_changes_a_session(world, persona):
    session = log_outreach(world.outreach, starts_at=at(EVENING, 18), people_contacted=1)

    with pytest.raises(PermissionDenied):
        outreach_services.change_session(
            session,
            by=world.everyone()[persona],
            details=session_details(world.outreach, starts_at=at(EVENING, 18), people_contacted=9),
        )

    session.refresh_from_db()
    assert session.people_contacted == 1


@pytest.mark.parametrize("persona", ["volunteer", "specialist", "supervisor", "director"])
def test_only_an_outreach_worker_passes_a_request_to_intake(world, persona):
    session = log_outreach(world.outreach, starts_at=at(EVENING, 18))

    with pytest.raises(PermissionDenied):
        outreach_services.hand_off(session, by=world.everyone()[persona], request=request_for_help(world.team_a))

    assert session.handoffs.count() == 0


@pytest.mark.parametrize("persona", ["volunteer", "specialist", "supervisor", "director"])
def test_only_an_outreach_worker_records_and_changes_volunteers(world, persona):
    user = world.everyone()[persona]
    volunteer = make_volunteer(world.outreach)

    with pytest.raises(PermissionDenied):
        outreach_services.save_volunteer(None, by=user, details=volunteer_values(full_name="New One"), account=None)
    with pytest.raises(PermissionDenied):
        outreach_services.save_volunteer(volunteer, by=user, details=volunteer_values(phone="1"), account=None)
    with pytest.raises(PermissionDenied):
        outreach_services.add_training(volunteer, by=user, on=TODAY(), topic="First aid", hours=None)

    assert Volunteer.objects.count() == 1


@pytest.mark.parametrize("persona", ["volunteer", "specialist", "finance"])
def test_those_outside_outreach_record_no_partnership_activity(world, partner, persona):
    with pytest.raises(PermissionDenied):
        outreach_services.record_partnership(None, by=world.everyone()[persona], details=activity(partner))


def test_a_supervisor_records_a_partnership_activity_but_does_not_change_one(world, partner):
    recorded = outreach_services.record_partnership(None, by=world.supervisor, details=activity(partner))

    with pytest.raises(PermissionDenied):
        outreach_services.record_partnership(recorded, by=world.supervisor, details=activity(partner, kind="referral"))

    assert recorded.recorded_by == world.supervisor


def test_an_inactive_outreach_worker_writes_nothing(world):
    world.outreach.is_active = False
    world.outreach.save()

    with pytest.raises(PermissionDenied):
        outreach_services.log_session(
            by=world.outreach, details=session_details(world.outreach, starts_at=at(EVENING, 18))
        )


# Volunteer hours --------------------------------------------------------------------------------


# Run again at awkward instants (tests/clock.py): hours count the sessions that have ended by now.
@pytest.mark.clock
def test_hours_count_only_the_sessions_that_have_ended(world):
    val = make_volunteer(world.outreach, full_name="Val Volunteer")
    other = make_volunteer(world.outreach, full_name="Omar Other")
    now = timezone.now().replace(microsecond=0)
    log_outreach(world.outreach, starts_at=at(EVENING, 18), hours=2, volunteers=[val, other])
    log_outreach(world.outreach, starts_at=at(EVENING, 21), hours=1, volunteers=[val])
    log_outreach(world.outreach, starts_at=now - timedelta(hours=1), hours=3, volunteers=[val])  # under way
    log_outreach(world.outreach, starts_at=now + timedelta(days=3), hours=2, volunteers=[val, other])  # planned

    assert queries.hours_of(val) == Decimal("3.0")
    assert queries.hours_of(other) == Decimal("2.0")
    listed = {v.full_name: (v.hours, v.session_count) for v in queries.with_hours(Volunteer.objects.all())}
    assert listed == {"Val Volunteer": (Decimal("3.0"), 4), "Omar Other": (Decimal("2.0"), 2)}


def test_hours_are_in_tenths(world):
    val = make_volunteer(world.outreach)
    details = session_details(world.outreach, starts_at=at(EVENING, 18), volunteers=[val])
    details.ends_at = at(EVENING, 19, 45)
    outreach_services.log_session(by=world.outreach, details=details)

    assert queries.hours_of(val) == Decimal("1.8")  # 105 minutes
    # The list rounds in the database to the same tenth.
    assert queries.with_hours(Volunteer.objects.filter(pk=val.pk)).get().hours == Decimal("1.8")


def test_a_volunteer_on_no_session_has_no_hours(world):
    val = make_volunteer(world.outreach)

    assert queries.hours_of(val) == Decimal("0.0")
    listed = queries.with_hours(Volunteer.objects.filter(pk=val.pk)).get()
    assert (listed.hours, listed.session_count) == (Decimal("0.0"), 0)


def test_a_volunteer_whose_account_lost_the_role_can_still_be_corrected(world):
    val = make_volunteer(world.outreach, user=world.volunteer)
    world.volunteer.groups.clear()
    form = VolunteerForm(
        {**{k: v or "" for k, v in VolunteerForm.initial_for(val).items() if k != "user"},
         "user": world.volunteer.pk, "notes": "Back in the spring."},
        volunteer=val,
    )  # fmt: skip

    assert form.is_valid(), form.errors
    outreach_services.save_volunteer(val, by=world.outreach, details=form.details(), account=form.cleaned_data["user"])
    val.refresh_from_db()
    assert (val.notes, val.user) == ("Back in the spring.", world.volunteer)
    # A new record cannot take an account without the role.
    with pytest.raises(OutreachError) as excinfo:
        make_volunteer(world.outreach, full_name="Other", user=world.director)
    assert "volunteer role" in str(excinfo.value)
