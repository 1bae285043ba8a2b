"""The next contact agreed with the survivor: one due day for the reminders, the lists and the case page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from bloom.notifications.models import Notification
from cases import queries, services, tasks
from cases.forms import ContactForm
from cases.models import LONGEST_CONTACT_CADENCE_DAYS, Case, Contact
from tests.factories import correct_contact as correct
from tests.factories import log_contact as log
from tests.factories import make_case, morning

# Run again at awkward instants (tests/clock.py): due days are counted in local days.
pytestmark = pytest.mark.clock

CADENCE = 14


def today():
    return timezone.localdate()


def day(n: int):
    """``n`` days from today (back when negative)."""
    return today() + timedelta(days=n)


@pytest.fixture
def served(world) -> Case:
    """A case of team A enrolled a month ago, both team A specialists on it, contacted every 14 days."""
    case = make_case(
        team=world.team_a,
        specialists=[world.specialist, world.colleague],
        opened_on=day(-30),
        legal_name="Nadia Served",
    )
    return services.set_contact_cadence(case, by=world.supervisor, days=CADENCE)


def due_on(case):
    return queries.contact_summary(case)["contact_due_on"]


def reminders_for(case) -> list[int]:
    return sorted(Notification.objects.filter(url=case.get_absolute_url()).values_list("recipient", flat=True))


# The due day ---------------------------------------------------------------------------------


def test_an_agreed_day_later_than_the_cadence_is_the_due_day(world, served):
    log(served, world.specialist, days_ago=2, next_contact_on=day(20))

    summary = queries.contact_summary(served)
    served.refresh_from_db()
    latest = served.history.first()
    assert served.next_contact_on == day(20)
    assert (summary["contact_due_on"], summary["next_contact_agreed"], summary["contact_overdue"]) == (
        day(20),
        True,
        False,
    )
    assert (latest.history_user, latest.history_change_reason) == (
        world.specialist,
        f'case.next_contact_agreed|["{day(20).isoformat()}"]',
    )


def test_an_agreed_day_sooner_than_the_cadence_is_the_due_day_and_the_reminder_task_reads_it(world, served):
    log(served, world.specialist, days_ago=5, next_contact_on=day(-1))
    untouched = make_case(team=world.team_a, specialists=[world.specialist], opened_on=day(-30))
    log(untouched, world.specialist, days_ago=5)

    created = tasks.send_contact_reminders()

    assert (due_on(served), due_on(untouched)) == (day(-1), day(-5 + CADENCE))
    assert created == 2
    assert reminders_for(served) == sorted([world.specialist.pk, world.colleague.pk])
    assert reminders_for(untouched) == []


def test_the_cadence_decides_again_once_the_survivor_is_reached_without_a_new_day(world, served):
    log(served, world.specialist, days_ago=10, next_contact_on=day(5))
    log(served, world.specialist, days_ago=4, kind=Contact.Kind.ATTEMPT)
    kept = due_on(served)

    log(served, world.specialist, days_ago=2)

    served.refresh_from_db()
    assert kept == day(5)  # an attempt is not the contact agreed
    assert served.next_contact_on is None
    assert due_on(served) == day(-2 + CADENCE)
    assert served.history.first().history_change_reason == "case.next_contact_cleared"


def test_an_attempt_keeps_a_passed_agreed_day_so_the_case_stays_due(world, served):
    log(served, world.specialist, days_ago=6, next_contact_on=day(-2))

    log(served, world.specialist, days_ago=1, kind=Contact.Kind.ATTEMPT)

    summary = queries.contact_summary(served)
    assert (summary["contact_due_on"], summary["contact_overdue"]) == (day(-2), True)


def test_an_agreed_day_from_before_the_quiet_spell_no_longer_counts(world, served):
    # Stored by hand: the services never leave such a day behind, but a corrected contact can move past it.
    log(served, world.specialist, days_ago=3)
    Case.objects.filter(pk=served.pk).update(next_contact_on=day(-3))

    summary = queries.contact_summary(served)

    assert (summary["contact_due_on"], summary["next_contact_agreed"]) == (day(-3 + CADENCE), False)


# The reminder: one per quiet spell ---------------------------------------------------------------


def test_the_reminder_waits_for_the_agreed_day_and_comes_once_in_the_quiet_spell(world, served):
    log(served, world.specialist, days_ago=2, next_contact_on=day(20))

    def reminded_on(n: int) -> int:
        services.send_contact_reminders(today=day(n))
        return len(reminders_for(served))

    # The world's other cases come due too on these days: count this case's reminders only.
    assert [reminded_on(n) for n in (-2 + CADENCE, 19, 20, 21, 60)] == [0, 0, 2, 2, 2]
    keys = set(Notification.objects.filter(url=served.get_absolute_url()).values_list("dedupe_key", flat=True))
    assert keys == {f"contact-overdue:{served.pk}:{day(-2).isoformat()}"}


def test_a_later_day_agreed_after_an_attempt_keeps_the_one_reminder_of_the_spell(world, served):
    log(served, world.specialist, days_ago=8, next_contact_on=day(-3))
    first = services.send_contact_reminders()

    log(served, world.specialist, days_ago=1, kind=Contact.Kind.ATTEMPT, next_contact_on=day(4))

    assert (first, due_on(served)) == (2, day(4))
    assert services.send_contact_reminders(today=day(4)) == 0
    assert len(reminders_for(served)) == 2


@pytest.mark.parametrize("size", [1, 5])
def test_reminders_with_agreed_days_cost_the_same_however_many_cases(world, django_assert_num_queries, size):
    for n in range(size):
        case = make_case(team=world.team_a, specialists=[world.specialist], opened_on=day(-30), legal_name=f"P {n}")
        log(case, world.specialist, days_ago=6, next_contact_on=day(-1))

    # The due cases, their assignments, and notify's count, insert and count again.
    with django_assert_num_queries(5):
        created = services.send_contact_reminders()

    assert created == size


# Refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("agreed", "message"),
    [
        (lambda: day(-3), "Give a day after this contact ({contact})."),
        (lambda: day(-4), "Give a day after this contact ({contact})."),
        (
            lambda: day(-3 + LONGEST_CONTACT_CADENCE_DAYS + 1),
            f"Give a day within {LONGEST_CONTACT_CADENCE_DAYS} days of this contact: {{latest}} at the latest.",
        ),
    ],
    ids=["the contact's own day", "before the contact", "too far"],
)
def test_an_agreed_day_out_of_range_is_refused_beside_its_field(world, served, agreed, message):
    with pytest.raises(services.ContactError) as refused:
        log(served, world.specialist, days_ago=3, next_contact_on=agreed())

    served.refresh_from_db()
    expected = message.format(contact=date_format(day(-3)), latest=date_format(day(-3 + LONGEST_CONTACT_CADENCE_DAYS)))
    assert refused.value.message_dict == {"next_contact_on": [expected]}
    assert (served.next_contact_on, served.contacts.count()) == (None, 0)


def test_the_longest_cadence_from_the_contact_is_allowed(world, served):
    log(served, world.specialist, days_ago=3, next_contact_on=day(-3 + LONGEST_CONTACT_CADENCE_DAYS))

    assert due_on(served) == day(-3 + LONGEST_CONTACT_CADENCE_DAYS)


def test_a_day_given_with_an_older_contact_is_refused_and_one_without_a_day_changes_nothing(world, served):
    log(served, world.specialist, days_ago=2, next_contact_on=day(5))

    with pytest.raises(services.ContactError) as refused:
        log(served, world.specialist, days_ago=6, next_contact_on=day(10))
    log(served, world.specialist, days_ago=6)

    served.refresh_from_db()
    message = f"A later contact is recorded ({date_format(day(-2))}): give the next contact's day on that one."
    assert refused.value.message_dict == {"next_contact_on": [message]}
    assert served.next_contact_on == day(5)


def test_a_day_that_is_not_a_date_is_refused_and_nothing_typed_is_lost(client, world, served):
    client.force_login(world.specialist)
    post = {
        "kind": "phone",
        "occurred_at": timezone.localtime(morning(1)).strftime("%Y-%m-%dT%H:%M"),
        "initiated_by": "staff",
        "note": "She will call after her shift.",
        "next_contact_on": "2026-02-30",
    }

    response = client.post(reverse("cases:contact_new", args=[served.pk]), post)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors == {"next_contact_on": ["Enter a valid date."]}
    assert "She will call after her shift." in html
    assert 'value="2026-02-30"' in html
    assert served.contacts.count() == 0


def test_a_day_before_the_contact_is_shown_beside_the_field(client, world, served):
    client.force_login(world.specialist)
    post = {
        "kind": "phone",
        "occurred_at": timezone.localtime(morning(1)).strftime("%Y-%m-%dT%H:%M"),
        "initiated_by": "staff",
        "next_contact_on": day(-5).isoformat(),
    }

    response = client.post(reverse("cases:contact_new", args=[served.pk]), post)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "next_contact_on": [f"Give a day after this contact ({date_format(day(-1))})."]
    }


# Corrections ---------------------------------------------------------------------------------


def test_the_latest_contact_shows_the_agreed_day_and_an_earlier_one_does_not(world, served):
    earlier = log(served, world.specialist, days_ago=6)
    latest = log(served, world.specialist, days_ago=2, next_contact_on=day(5))

    shown = {contact.pk: ContactForm(contact=contact).initial["next_contact_on"] for contact in (earlier, latest)}

    assert shown == {earlier.pk: None, latest.pk: day(5)}


def test_a_correction_of_the_latest_contact_moves_or_clears_the_agreed_day(world, served):
    contact = log(served, world.specialist, days_ago=2, next_contact_on=day(5))

    correct(contact, world.specialist, next_contact_on=day(9))
    moved = due_on(served)
    correct(contact, world.specialist, next_contact_on=None)

    served.refresh_from_db()
    assert moved == day(9)
    assert served.next_contact_on is None
    assert due_on(served) == day(-2 + CADENCE)


def test_a_correction_of_an_earlier_contact_leaves_the_agreed_day_or_refuses_a_new_one(world, served):
    earlier = log(served, world.specialist, days_ago=6)
    log(served, world.specialist, days_ago=2, next_contact_on=day(5))

    correct(earlier, world.specialist, note="Spoke about the lease.")
    with pytest.raises(services.ContactError) as refused:
        correct(earlier, world.specialist, next_contact_on=day(8))

    served.refresh_from_db()
    assert served.next_contact_on == day(5)
    assert list(refused.value.message_dict) == ["next_contact_on"]


def test_a_correction_moving_the_contact_past_its_agreed_day_is_refused_beside_the_field(world, served):
    contact = log(served, world.specialist, days_ago=6, next_contact_on=day(-3))

    with pytest.raises(services.ContactError) as refused:
        correct(contact, world.specialist, occurred_at=morning(2), next_contact_on=day(-3))

    contact.refresh_from_db()
    assert refused.value.message_dict == {
        "next_contact_on": [f"Give a day after this contact ({date_format(day(-2))})."]
    }
    assert timezone.localdate(contact.occurred_at) == day(-6)


def test_a_contact_corrected_to_an_attempt_keeps_the_agreed_day_as_the_due_day(world, served):
    log(served, world.specialist, days_ago=12)
    contact = log(served, world.specialist, days_ago=3, next_contact_on=day(6))

    correct(contact, world.specialist, kind=Contact.Kind.ATTEMPT, next_contact_on=day(6))

    summary = queries.contact_summary(served)
    assert (summary["last_contact_on"], summary["contact_due_on"]) == (day(-12), day(6))


# Everywhere the same day ---------------------------------------------------------------------


def test_the_case_list_the_case_page_and_the_home_page_show_the_same_due_day(client, world, served):
    log(served, world.specialist, days_ago=2, next_contact_on=day(3))
    client.force_login(world.specialist)

    listed = client.get(reverse("cases:list"))
    page = client.get(served.get_absolute_url())
    home = client.get(reverse("home"))

    (row,) = [case for case in listed.context["page"].object_list if case.pk == served.pk]
    (soon,) = home.context["sections"]["tasks"]["contacts_soon"]
    assert {row.contact_due_on, page.context["contact_summary"]["contact_due_on"], soon.contact_due_on} == {day(3)}
    assert f"next contact agreed for {date_format(day(3))}" in page.content.decode()
    assert date_format(day(3)) in home.content.decode()


def test_a_passed_agreed_day_is_overdue_on_the_case_list_the_case_page_and_the_home_page(client, world, served):
    log(served, world.specialist, days_ago=5, next_contact_on=day(-1))
    client.force_login(world.specialist)

    listed = client.get(reverse("cases:list"))
    page = client.get(served.get_absolute_url()).content.decode()
    home = client.get(reverse("home"))

    (row,) = [case for case in listed.context["page"].object_list if case.pk == served.pk]
    (due,) = home.context["sections"]["tasks"]["contacts_due"]
    assert (row.contact_overdue, due.pk) == (True, served.pk)
    assert listed.content.decode().count("Contact due") == 1
    assert f"the next contact was agreed for {date_format(day(-1))}" in page
