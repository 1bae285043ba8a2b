"""Services given on a contact: ticked in two taps, stored as service events on the contact's day,
kept in step when the contact is corrected, and shown on the contact list and the timeline."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Contact, Service, ServiceEvent
from tests.factories import make_case

NOTE = "Went with her to the benefits office."


def service(key: str) -> Service:
    return Service.objects.get(key=key)


def local(days_ago: int, hour: int = 10, minute: int = 0) -> datetime:
    """A moment on a past local day, made in local time (the day is what counts, not UTC's)."""
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def served(world):
    """A case of team A enrolled a month ago, so contacts in the past weeks are allowed."""
    return make_case(
        team=world.team_a,
        specialists=[world.specialist],
        opened_on=timezone.localdate() - timedelta(days=30),
    )


def log(case, by, *, given=(), **overrides) -> Contact:
    values = {"kind": Contact.Kind.PHONE, "occurred_at": local(2), "initiated_by": Contact.Initiator.STAFF}
    return services.log_contact(case, by=by, services=given, **{**values, **overrides})


def correct(contact, by, *, given, **overrides) -> Contact:
    values = {
        "kind": contact.kind,
        "occurred_at": contact.occurred_at,
        "initiated_by": contact.initiated_by,
        "duration_minutes": contact.duration_minutes,
        "topics": contact.topics,
        "note": contact.note,
        "interpreter_used": contact.interpreter_used,
    }
    return services.correct_contact(contact, by=by, services=given, **{**values, **overrides})


def events_of(contact) -> list[tuple[str, object, object]]:
    rows = ServiceEvent.objects.filter(contact=contact).order_by("service__key")
    return [(event.service.key, event.provided_on, event.recorded_by) for event in rows]


# Services -----------------------------------------------------------------------------------------


def test_log_contact_records_each_service_on_the_contacts_local_day_with_history(world, served):
    # Late in the evening, local time: already the next day in UTC.
    late = local(3, hour=23, minute=30)
    day = timezone.localdate(late)

    contact = log(served, world.specialist, occurred_at=late, given=[service("transportation"), service("childcare")])

    assert events_of(contact) == [
        ("childcare", day, world.specialist),
        ("transportation", day, world.specialist),
    ]
    assert set(ServiceEvent.objects.values_list("case", flat=True)) == {served.pk}
    history = ServiceEvent.history.filter(service__key="transportation").get()
    assert (history.history_type, history.history_user, history.history_change_reason) == (
        "+",
        world.specialist,
        f"service_event.given|[{history.service_id}]",
    )


def test_a_contact_without_services_records_none(world, served):
    log(served, world.specialist)

    assert ServiceEvent.objects.count() == 0


def test_whether_an_interpreter_was_used_is_kept_and_not_asked_is_none(world, served):
    asked = log(served, world.specialist, interpreter_used=True)
    not_asked = log(served, world.specialist, occurred_at=local(1))

    assert (
        Contact.objects.get(pk=asked.pk).interpreter_used,
        Contact.objects.get(pk=not_asked.pk).interpreter_used,
    ) == (
        True,
        None,
    )


def test_an_interpreter_answer_outside_yes_no_or_none_is_refused(world, served):
    with pytest.raises(services.ContactError) as refused:
        log(served, world.specialist, interpreter_used="maybe")

    assert refused.value.message_dict == {"interpreter_used": ["Choose yes, no or not asked."]}
    assert Contact.objects.count() == 0


def test_a_service_no_longer_offered_is_refused_and_nothing_is_stored(world, served):
    group = service("support-group")
    group.is_active = False
    group.save()

    with pytest.raises(services.ContactError) as refused:
        log(served, world.specialist, given=[service("transportation"), group])

    assert refused.value.message_dict == {"services": ["“Support group” is no longer offered. Untick it."]}
    assert (Contact.objects.count(), ServiceEvent.objects.count()) == (0, 0)


def test_a_service_ticked_twice_is_refused(world, served):
    ride = service("transportation")

    with pytest.raises(services.ContactError) as refused:
        log(served, world.specialist, given=[ride, ride])

    assert refused.value.message_dict == {"services": ["Choose each service once, from the list."]}
    assert Contact.objects.count() == 0


def test_a_correction_adds_removes_and_moves_the_events_each_with_history(world, served):
    ride, food, counsel = service("transportation"), service("basic-necessities"), service("individual-counseling")
    contact = log(served, world.specialist, occurred_at=local(3), given=[ride, food])
    new_day = timezone.localdate(local(1))

    correct(contact, world.supervisor, occurred_at=local(1), given=[food, counsel])

    assert events_of(contact) == [
        ("basic-necessities", new_day, world.specialist),
        ("individual-counseling", new_day, world.supervisor),
    ]
    removed = ServiceEvent.history.filter(service=ride, history_type="-").get()
    assert (removed.history_user, removed.history_change_reason) == (
        world.supervisor,
        f"service_event.unticked|[{ride.pk}]",
    )
    moved = ServiceEvent.history.filter(service=food).latest()
    assert (moved.history_type, moved.history_user, moved.history_change_reason, moved.provided_on) == (
        "~",
        world.supervisor,
        "service_event.moved",
        new_day,
    )
    added = ServiceEvent.history.filter(service=counsel).get()
    assert (added.history_type, added.history_user) == ("+", world.supervisor)


def test_a_correction_that_changes_nothing_writes_no_history(world, served):
    contact = log(served, world.specialist, given=[service("transportation")])
    before = (contact.history.count(), ServiceEvent.history.count())

    correct(contact, world.specialist, given=[service("transportation")])

    assert (contact.history.count(), ServiceEvent.history.count()) == before


def test_a_correction_keeps_a_service_no_longer_offered_that_was_already_ticked(world, served):
    group = service("support-group")
    contact = log(served, world.specialist, given=[group])
    group.is_active = False
    group.save()

    correct(contact, world.specialist, note="Support group at the library.", given=[group])

    assert events_of(contact) == [("support-group", timezone.localdate(local(2)), world.specialist)]
    with pytest.raises(services.ContactError):
        log(served, world.specialist, occurred_at=local(1), given=[group])


def test_a_refused_correction_changes_no_event(world, served):
    contact = log(served, world.specialist, given=[service("transportation")])

    with pytest.raises(services.ContactError):
        correct(contact, world.specialist, occurred_at=timezone.now() + timedelta(days=1), given=[])

    assert events_of(contact) == [("transportation", timezone.localdate(local(2)), world.specialist)]


# Pages ---------------------------------------------------------------------------------------------


def contact_post(*given: Service, **overrides) -> dict:
    return {
        "kind": "in person",
        "occurred_at": timezone.localtime(local(1)).strftime("%Y-%m-%dT%H:%M"),
        "initiated_by": "staff",
        "note": NOTE,
        "interpreter_used": "unknown",
        "services": [str(s.pk) for s in given],
        **overrides,
    }


def test_the_contact_form_shows_the_usual_services_first_and_the_rest_under_more(client, world):
    client.force_login(world.specialist)

    html = client.get(reverse("cases:contact_new", args=[world.case_a.pk])).content.decode()

    def box(key):
        return html.index(f'name="services" value="{service(key).pk}"')

    more = html.index("<summary>More services</summary>")
    assert box("transportation") < more < box("support-group")
    assert '<details class="figures">' in html  # closed: nothing under it is ticked
    assert html.index("Advocacy and accompaniment") < html.index("Emotional support and safety")
    assert re.search(r'<input type="radio" name="interpreter_used" value="unknown"[^>]*checked', html)
    assert "style=" not in html
    assert "<script>" not in html


def test_ticking_two_services_saves_them_and_the_list_and_timeline_show_them(client, world, served):
    client.force_login(world.specialist)
    ride, counsel = service("transportation"), service("individual-counseling")

    response = client.post(
        reverse("cases:contact_new", args=[served.pk]), contact_post(ride, counsel, interpreter_used="true")
    )

    contact = Contact.objects.get()
    assert (response.status_code, response["Location"]) == (302, served.get_absolute_url())
    assert [key for key, _day, _by in events_of(contact)] == ["individual-counseling", "transportation"]
    assert contact.interpreter_used is True
    listed = client.get(reverse("cases:contacts", args=[served.pk])).content.decode()
    assert "Individual counseling, Transportation" in listed
    assert "With an interpreter" in listed
    timeline = client.get(reverse("cases:timeline", args=[served.pk])).content.decode()
    assert "Services given: Individual counseling, Transportation" in timeline
    assert "An interpreter was used." in timeline


def test_a_refused_contact_keeps_the_services_ticked(client, world, served):
    client.force_login(world.specialist)
    group = service("support-group")
    tomorrow = timezone.localtime(timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    response = client.post(reverse("cases:contact_new", args=[served.pk]), contact_post(group, occurred_at=tomorrow))

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(rf'<input type="checkbox" name="services" value="{group.pk}"[^>]*checked', html)
    assert '<details class="figures" open>' in html  # what is ticked under "More services" is in sight
    assert Contact.objects.count() == 0


def test_the_correction_page_shows_the_services_ticked_and_changes_them(client, world, served):
    ride, food = service("transportation"), service("basic-necessities")
    contact = log(served, world.specialist, given=[ride])
    client.force_login(world.specialist)
    url = reverse("cases:contact_correct", args=[served.pk, contact.pk])

    shown = client.get(url).content.decode()
    response = client.post(url, contact_post(food, occurred_at=timezone.localtime(local(2)).strftime("%Y-%m-%dT%H:%M")))

    assert re.search(rf'<input type="checkbox" name="services" value="{ride.pk}"[^>]*checked', shown)
    assert response.status_code == 302
    assert [key for key, _day, _by in events_of(contact)] == ["basic-necessities"]


def test_a_service_no_longer_offered_is_not_on_the_form_unless_the_contact_has_it(client, world, served):
    group = service("support-group")
    contact = log(served, world.specialist, given=[group])
    group.is_active = False
    group.save()
    client.force_login(world.specialist)

    new = client.get(reverse("cases:contact_new", args=[served.pk])).content.decode()
    correction = client.get(reverse("cases:contact_correct", args=[served.pk, contact.pk])).content.decode()

    assert "Support group" not in new
    assert re.search(rf'<input type="checkbox" name="services" value="{group.pk}"[^>]*checked', correction)


def test_a_service_id_not_offered_is_shown_as_an_error(client, world, served):
    group = service("support-group")
    group.is_active = False
    group.save()
    client.force_login(world.specialist)

    response = client.post(reverse("cases:contact_new", args=[served.pk]), contact_post(group))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["services"]
    assert Contact.objects.count() == 0


@pytest.mark.parametrize("size", [1, 5])
def test_the_contacts_list_costs_the_same_however_many_contacts_and_services(
    client, world, django_assert_num_queries, size, served
):
    given = [service("transportation"), service("individual-counseling"), service("case-management")]
    for n in range(size):
        log(served, world.specialist, occurred_at=local(1) - timedelta(hours=n), note=f"Note {n}", given=given)
    client.force_login(world.specialist)
    url = reverse("cases:contacts", args=[served.pk])

    with django_assert_num_queries(11):
        response = client.get(url)

    assert response.status_code == 200
    assert response.content.decode().count("Case management, Individual counseling, Transportation") == size
