"""Contacts, the contact cadence and its reminders, the last contact everywhere, and stages of change."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bloom.notifications.models import Notification
from cases import queries, services
from cases.models import Case, Contact, StageObservation
from tests.factories import close_case, make_case

NOTE = "Talked about the lease; she wants to call the landlord herself."


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def local_input(moment) -> str:
    """A time as the datetime-local field sends it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def quiet_case(world, days, **kwargs) -> Case:
    return make_case(
        team=world.team_a,
        specialists=[world.specialist, world.colleague],
        opened_on=timezone.localdate() - timedelta(days=days),
        **kwargs,
    )


@pytest.fixture
def served(world) -> Case:
    """A case of team A enrolled a month ago, so contacts in the past weeks are allowed."""
    return quiet_case(world, 30)


def log(case, by, **overrides) -> Contact:
    # Now, by default: the world's cases start today, and a contact cannot come before that.
    values = {"kind": Contact.Kind.PHONE, "occurred_at": timezone.now(), "initiated_by": Contact.Initiator.STAFF}
    return services.log_contact(case, by=by, **{**values, **overrides})


def summary(case) -> dict:
    return queries.contact_summary(case)


# Services -------------------------------------------------------------------------------------


def test_log_contact_stores_it_with_its_author_in_history(world, served):
    when = ago(minutes=30)

    contact = log(
        served,
        world.specialist,
        occurred_at=when,
        duration_minutes=25,
        topics=["safety", "budgeting"],
        note=NOTE,
        kind=Contact.Kind.IN_PERSON,
    )

    stored = Contact.objects.get()
    assert (stored.case, stored.kind, stored.occurred_at, stored.duration_minutes, stored.note) == (
        served,
        "in person",
        when,
        25,
        NOTE,
    )
    # Topics are kept in the list's order, whatever order they were ticked in.
    assert stored.topics == ["budgeting", "safety"]
    assert (stored.recorded_by, contact.reached) == (world.specialist, True)
    history = stored.history.get()
    assert (history.history_user, history.history_change_reason) == (world.specialist, "contact.logged")


# Run again at awkward instants (tests/clock.py): contacts and stages are never in the future nor before intake.
@pytest.mark.clock
def test_a_contact_in_the_future_is_refused_on_its_field(world):
    with pytest.raises(services.ContactError) as refused:
        log(world.case_a, world.specialist, occurred_at=timezone.now() + timedelta(minutes=5))

    assert refused.value.message_dict == {
        "occurred_at": ["A contact cannot be in the future. Check the date and time."]
    }
    assert Contact.objects.count() == 0


@pytest.mark.clock
def test_a_contact_before_the_intake_date_is_refused(world):
    case = quiet_case(world, 3)
    before = timezone.now() - timedelta(days=5)

    with pytest.raises(services.ContactError) as refused:
        log(case, world.specialist, occurred_at=before)

    assert list(refused.value.message_dict) == ["occurred_at"]
    assert "before the intake date" in refused.value.message_dict["occurred_at"][0]
    assert Contact.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"topics": ["safety", "safety"]}, "topics"),
        ({"topics": ["astrology"]}, "topics"),
        ({"kind": "carrier pigeon"}, "kind"),
        ({"initiated_by": "nobody"}, "initiated_by"),
        ({"duration_minutes": 24 * 60 + 1}, "duration_minutes"),
    ],
)
def test_values_outside_the_lists_are_refused(world, overrides, field):
    with pytest.raises(services.ContactError) as refused:
        log(world.case_a, world.specialist, **overrides)

    assert list(refused.value.message_dict) == [field]
    assert Contact.objects.count() == 0


def test_contact_error_is_a_validation_error():
    assert issubclass(services.ContactError, ValidationError)


def test_correct_contact_changes_it_and_history_keeps_the_old_values(world, served):
    contact = log(served, world.specialist, note="Wrong note", topics=["housing"])
    fixed_time = ago(hours=3)

    services.correct_contact(
        contact,
        by=world.supervisor,
        kind=Contact.Kind.VIDEO,
        occurred_at=fixed_time,
        initiated_by=Contact.Initiator.SURVIVOR,
        duration_minutes=10,
        topics=["housing", "legal"],
        note=NOTE,
        interpreter_used=None,
        services=[],
    )

    contact.refresh_from_db()
    assert (contact.kind, contact.occurred_at, contact.initiated_by, contact.topics, contact.note) == (
        "video",
        fixed_time,
        "survivor",
        ["housing", "legal"],
        NOTE,
    )
    latest, first = contact.history.order_by("-history_id")
    assert (latest.history_user, first.history_user) == (world.supervisor, world.specialist)
    assert latest.history_change_reason.startswith("contact.corrected|")
    assert (first.note, first.kind) == ("Wrong note", "phone")


def test_correcting_with_nothing_changed_writes_no_history(world):
    contact = log(world.case_a, world.specialist, topics=["goals"], note=NOTE)

    services.correct_contact(
        contact,
        by=world.specialist,
        kind=contact.kind,
        occurred_at=contact.occurred_at,
        initiated_by=contact.initiated_by,
        duration_minutes=contact.duration_minutes,
        topics=["goals"],
        note=NOTE,
        interpreter_used=None,
        services=[],
    )

    assert contact.history.count() == 1


@pytest.mark.clock
def test_a_correction_into_the_future_is_refused_and_changes_nothing(world):
    contact = log(world.case_a, world.specialist, note=NOTE)

    with pytest.raises(services.ContactError):
        services.correct_contact(
            contact,
            by=world.specialist,
            kind=contact.kind,
            occurred_at=timezone.now() + timedelta(days=1),
            initiated_by=contact.initiated_by,
            duration_minutes=None,
            topics=[],
            note="changed",
            interpreter_used=None,
            services=[],
        )

    contact.refresh_from_db()
    assert (contact.note, contact.history.count()) == (NOTE, 1)


def test_set_contact_cadence_records_who_changed_it(world):
    services.set_contact_cadence(world.case_a, by=world.supervisor, days=7)

    case = Case.objects.get(pk=world.case_a.pk)
    latest = case.history.latest()
    assert (case.contact_cadence_days, latest.history_user, latest.history_change_reason) == (
        7,
        world.supervisor,
        "case.cadence_set|[7]",
    )


@pytest.mark.parametrize("days", [0, -3, 366])
def test_a_cadence_outside_one_to_365_days_is_refused(world, days):
    before = world.case_a.history.count()

    with pytest.raises(services.ContactError):
        services.set_contact_cadence(world.case_a, by=world.specialist, days=days)

    assert (Case.objects.get(pk=world.case_a.pk).contact_cadence_days, world.case_a.history.count()) == (14, before)


def test_a_new_case_starts_with_the_configured_cadence(world, settings):
    settings.BLOOM_CONTACT_REMINDER_DAYS = 10

    case = make_case(team=world.team_a, specialists=[world.specialist])

    assert case.contact_cadence_days == 10


def test_record_stage_stores_it_and_it_becomes_the_current_stage(world):
    services.record_stage(
        world.case_a, by=world.specialist, stage="contemplation", observed_on=timezone.localdate(), note="Unsure"
    )
    observation = services.record_stage(
        world.case_a, by=world.specialist, stage="preparation", observed_on=timezone.localdate(), note=""
    )

    assert (observation.history.get().history_user, StageObservation.objects.count()) == (world.specialist, 2)
    assert (summary(world.case_a)["stage"], summary(world.case_a)["stage_observed_on"]) == (
        "preparation",
        timezone.localdate(),
    )


@pytest.mark.clock
@pytest.mark.parametrize(("days_from_today", "message"), [(1, "future"), (-10, "before the intake date")])
def test_a_stage_in_the_future_or_before_intake_is_refused(world, days_from_today, message):
    case = quiet_case(world, 3)

    with pytest.raises(services.ContactError) as refused:
        services.record_stage(
            case,
            by=world.specialist,
            stage="action",
            observed_on=timezone.localdate() + timedelta(days=days_from_today),
        )

    assert message in refused.value.message_dict["observed_on"][0]
    assert StageObservation.objects.count() == 0


# The last contact -----------------------------------------------------------------------------


# Run again at awkward instants (tests/clock.py): the last contact's day is local, and a contact is overdue by days.
@pytest.mark.clock
def test_an_attempt_is_not_a_last_contact(world):
    case = quiet_case(world, 30)
    reached = log(case, world.specialist, occurred_at=ago(days=10))
    log(case, world.specialist, kind=Contact.Kind.ATTEMPT, occurred_at=ago(days=1))

    found = summary(case)

    assert (found["last_contact_at"], found["last_contact_on"]) == (
        reached.occurred_at,
        timezone.localdate(reached.occurred_at),
    )


@pytest.mark.clock
def test_with_no_contact_the_quiet_spell_counts_from_enrollment(world):
    case = quiet_case(world, 20)

    found = summary(case)

    assert (found["last_contact_at"], found["last_contact_on"], found["contact_due_on"], found["contact_overdue"]) == (
        None,
        case.opened_on,
        case.opened_on + timedelta(days=14),
        True,
    )


@pytest.mark.clock
def test_a_closed_case_is_never_overdue(world):
    case = quiet_case(world, 40)
    close_case(case, by=world.specialist, approver=world.supervisor, closed_on=timezone.localdate())

    assert summary(case)["contact_overdue"] is False


# Reminders ------------------------------------------------------------------------------------


def reminded(case) -> list[int]:
    return sorted(Notification.objects.filter(url=case.get_absolute_url()).values_list("recipient", flat=True))


# Run again at awkward instants (tests/clock.py): reminders are due by days since the last contact.
@pytest.mark.clock
def test_reminders_follow_each_cases_own_cadence(world):
    weekly = quiet_case(world, 8)
    services.set_contact_cadence(weekly, by=world.specialist, days=7)
    monthly = quiet_case(world, 20)
    services.set_contact_cadence(monthly, by=world.specialist, days=30)
    exactly_due = quiet_case(world, 14)

    created = services.send_contact_reminders()

    both = sorted([world.specialist.pk, world.colleague.pk])
    assert (created, reminded(weekly), reminded(monthly), reminded(exactly_due)) == (4, both, [], both)


@pytest.mark.clock
def test_a_recent_reached_contact_means_no_reminder_but_an_attempt_does_not(world):
    reached = quiet_case(world, 30)
    log(reached, world.specialist, occurred_at=ago(days=2))
    attempted = quiet_case(world, 30)
    log(attempted, world.specialist, kind=Contact.Kind.ATTEMPT, occurred_at=ago(days=2))

    services.send_contact_reminders()

    assert (reminded(reached), reminded(attempted)) == ([], sorted([world.specialist.pk, world.colleague.pk]))


@pytest.mark.clock
def test_running_the_reminders_twice_makes_no_duplicate(world):
    case = quiet_case(world, 30)

    first = services.send_contact_reminders()
    second = services.send_contact_reminders()

    keys = set(Notification.objects.values_list("dedupe_key", flat=True))
    assert (first, second, Notification.objects.count()) == (2, 0, 2)
    assert keys == {f"contact-overdue:{case.pk}:{case.opened_on.isoformat()}"}


@pytest.mark.clock
def test_a_new_quiet_spell_gets_a_new_reminder_and_the_old_one_is_settled(world):
    case = quiet_case(world, 40)
    services.send_contact_reminders()
    contact = log(case, world.specialist, occurred_at=ago(days=20))

    settled = set(Notification.objects.values_list("read_at", flat=True))
    services.send_contact_reminders()

    spell = timezone.localdate(contact.occurred_at).isoformat()
    assert None not in settled
    assert Notification.objects.filter(read_at__isnull=True, dedupe_key__endswith=spell).count() == 2


@pytest.mark.parametrize("size", [1, 5])
def test_reminders_cost_the_same_however_many_cases_are_due(world, django_assert_num_queries, size):
    for _n in range(size):
        log(quiet_case(world, 40), world.specialist, occurred_at=ago(days=30))

    # The due cases, their assignments, and notify's count, insert and count again.
    with django_assert_num_queries(5):
        created = services.send_contact_reminders()

    assert created == size * 2


# Pages ----------------------------------------------------------------------------------------


def contact_post(**overrides) -> dict:
    return {
        "kind": "in person",
        "occurred_at": local_input(timezone.now()),
        "duration_minutes": "45",
        "initiated_by": "survivor",
        "topics": ["housing", "safety"],
        "note": NOTE,
        **overrides,
    }


# Run again at awkward instants (tests/clock.py): contacts are in local time, never in the future, overdue by days.
@pytest.mark.clock
def test_the_contact_form_starts_with_quick_defaults(client, world):
    client.force_login(world.specialist)

    html = client.get(reverse("cases:contact_new", args=[world.case_a.pk])).content.decode()

    assert re.search(r'<input type="radio" name="kind" value="phone"[^>]*checked', html)
    assert re.search(r'<input type="radio" name="initiated_by" value="staff"[^>]*checked', html)
    assert f'value="{timezone.localtime().strftime("%Y-%m-%dT")}' in html
    assert 'type="checkbox" name="topics" value="budgeting"' in html


@pytest.mark.clock
def test_logging_a_contact_returns_to_the_case_page_which_shows_it(client, world, served):
    client.force_login(world.specialist)

    response = client.post(reverse("cases:contact_new", args=[served.pk]), contact_post())

    contact = Contact.objects.get()
    assert (response.status_code, response["Location"]) == (302, served.get_absolute_url())
    assert (contact.kind, contact.initiated_by, contact.topics, contact.duration_minutes) == (
        "in person",
        "survivor",
        ["safety", "housing"],  # in the list's order
        45,
    )
    html = client.get(served.get_absolute_url()).content.decode()
    assert "(today)" in html
    assert "Safety, Housing" in html


@pytest.mark.clock
def test_a_future_contact_shows_a_message_and_keeps_what_was_typed(client, world):
    client.force_login(world.specialist)
    tomorrow = local_input(timezone.now() + timedelta(days=1))

    response = client.post(reverse("cases:contact_new", args=[world.case_a.pk]), contact_post(occurred_at=tomorrow))

    html = response.content.decode()
    assert response.status_code == 200
    assert dict(response.context["form"].errors) == {
        "occurred_at": ["A contact cannot be in the future. Check the date and time."]
    }
    assert "A contact cannot be in the future." in html
    assert f'value="{tomorrow}"' in html
    assert NOTE.replace("'", "&#x27;") in html
    assert 'value="45"' in html
    assert re.search(r'<input type="radio" name="kind" value="in person"[^>]*checked', html)
    assert re.search(r'<input type="checkbox" name="topics" value="safety"[^>]*checked', html)
    assert Contact.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    [
        lambda w, c: reverse("cases:contact_new", args=[w.case_a.pk]),
        lambda w, c: reverse("cases:contacts", args=[w.case_a.pk]),
        lambda w, c: reverse("cases:contact_correct", args=[w.case_a.pk, c.pk]),
        lambda w, c: reverse("cases:contact_cadence", args=[w.case_a.pk]),
        lambda w, c: reverse("cases:stage_new", args=[w.case_a.pk]),
    ],
)
def test_an_outsider_gets_404_on_every_contact_page(client, world, url):
    contact = log(world.case_a, world.specialist, note=NOTE)
    client.force_login(world.outsider)

    got = client.get(url(world, contact))

    assert got.status_code == 404
    assert NOTE not in got.content.decode()


def test_a_contact_of_another_case_is_404_through_this_case(client, world):
    foreign = log(world.case_b, world.outsider, note=NOTE)
    client.force_login(world.specialist)

    get = client.get(reverse("cases:contact_correct", args=[world.case_a.pk, foreign.pk]))
    post = client.post(reverse("cases:contact_correct", args=[world.case_a.pk, foreign.pk]), contact_post(note="x"))

    foreign.refresh_from_db()
    assert (get.status_code, post.status_code, foreign.note) == (404, 404, NOTE)


def test_correcting_a_contact_by_page_saves_and_returns_to_the_list(client, world, served):
    contact = log(served, world.specialist, note="Typo")
    client.force_login(world.specialist)
    url = reverse("cases:contact_correct", args=[served.pk, contact.pk])

    shown = client.get(url).content.decode()
    response = client.post(url, contact_post(note=NOTE))

    contact.refresh_from_db()
    assert "Typo" in shown
    assert (response.status_code, response["Location"]) == (302, reverse("cases:contacts", args=[served.pk]))
    assert (contact.note, contact.history.count()) == (NOTE, 2)


def test_the_contacts_list_shows_notes_newest_first(client, world, served):
    log(served, world.specialist, occurred_at=ago(days=2), note="Older note")
    log(served, world.specialist, occurred_at=ago(hours=1), note="Newer note")
    client.force_login(world.supervisor)

    html = client.get(reverse("cases:contacts", args=[served.pk])).content.decode()

    assert html.index("Newer note") < html.index("Older note")


@pytest.mark.parametrize("size", [1, 5])
def test_the_contacts_list_costs_the_same_however_many_contacts(client, world, django_assert_num_queries, size, served):
    for n in range(size):
        log(served, world.specialist, occurred_at=ago(hours=n + 1), note=f"Note {n}")
    client.force_login(world.specialist)
    url = reverse("cases:contacts", args=[served.pk])

    with django_assert_num_queries(11):  # the services given on the page: one prefetch query
        response = client.get(url)

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == size


def test_setting_the_cadence_by_page(client, world):
    client.force_login(world.specialist)
    url = reverse("cases:contact_cadence", args=[world.case_a.pk])

    shown = client.get(url).content.decode()
    response = client.post(url, {"days": "7"})

    assert 'value="14"' in shown
    assert (response.status_code, Case.objects.get(pk=world.case_a.pk).contact_cadence_days) == (302, 7)


@pytest.mark.parametrize("days", ["0", "366", "9" * 30, "seven"])
def test_a_cadence_out_of_range_is_shown_on_its_field(client, world, days):
    client.force_login(world.specialist)

    response = client.post(reverse("cases:contact_cadence", args=[world.case_a.pk]), {"days": days})

    assert (response.status_code, list(response.context["form"].errors)) == (200, ["days"])
    assert Case.objects.get(pk=world.case_a.pk).contact_cadence_days == 14


def test_recording_a_stage_by_page_shows_it_on_the_case(client, world):
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:stage_new", args=[world.case_a.pk]),
        {"stage": "maintenance", "observed_on": timezone.localdate().isoformat(), "note": "Steady"},
    )

    html = client.get(world.case_a.get_absolute_url()).content.decode()
    assert response.status_code == 302
    assert "Maintenance" in html


@pytest.mark.clock
def test_a_future_stage_by_page_is_shown_on_its_field(client, world):
    client.force_login(world.specialist)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = client.post(
        reverse("cases:stage_new", args=[world.case_a.pk]),
        {"stage": "action", "observed_on": tomorrow, "note": "Kept"},
    )

    assert response.status_code == 200
    assert dict(response.context["form"].errors) == {"observed_on": ["The date cannot be in the future."]}
    assert "Kept" in response.content.decode()
    assert StageObservation.objects.count() == 0


@pytest.mark.clock
def test_the_case_page_says_no_contact_yet_and_shows_an_overdue_notice(client, world):
    case = quiet_case(world, 20)
    client.force_login(world.specialist)

    html = client.get(case.get_absolute_url()).content.decode()

    assert "No contact yet" in html
    assert "A contact is due" in html


@pytest.mark.clock
def test_the_case_list_and_home_page_show_the_last_contact_and_overdue(client, world, served):
    overdue = quiet_case(world, 20, legal_name="Quiet Person")
    log(served, world.specialist, occurred_at=ago(days=3))
    client.force_login(world.specialist)

    listing = client.get(reverse("cases:list")).content.decode()
    home = client.get(reverse("home")).content.decode()

    assert "(3 days ago)" in listing
    assert "No contact yet" in listing
    assert listing.count("Contact due") == 1
    # The home page is a task list: the quiet case is due, the one reached three days ago is not.
    assert "No contact yet" in home
    assert overdue.survivor.client_code in home
    assert served.survivor.client_code not in home
