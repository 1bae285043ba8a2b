from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bloom.audit.models import AccessLogEntry
from bloom.directory.models import Organization, ServiceType
from cases import services, timeline
from cases.models import Contact, InformationKind, Referral, Service, StageOfChange


def at(days_ago: int, hour: int = 10) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def contact(world, *, days_ago: int, note: str = "", hour: int = 10, given=()) -> Contact:
    return services.log_contact(
        world.case_a,
        by=world.specialist,
        kind=Contact.Kind.PHONE,
        occurred_at=at(days_ago, hour),
        initiated_by=Contact.Initiator.STAFF,
        note=note,
        services=given,
    )


@pytest.fixture(autouse=True)
def opened_40_days_ago(world):
    world.case_a.opened_on = world.case_a.decided_on = timezone.localdate() - timedelta(days=40)
    world.case_a.save(update_fields=["opened_on", "decided_on"])


@pytest.fixture
def story(world):
    """Case A, opened 40 days ago, with one event of most kinds since."""
    legal_aid = Organization.objects.create(name="Legal aid")
    services.log_contact(
        world.case_a,
        by=world.specialist,
        kind=Contact.Kind.IN_PERSON,
        occurred_at=at(30),
        initiated_by=Contact.Initiator.SURVIVOR,
        note="First meeting at the library.",
    )
    services.record_stage(
        world.case_a, by=world.specialist, stage=StageOfChange.CONTEMPLATION, observed_on=at(20).date()
    )
    services.record_release(
        world.case_a,
        by=world.specialist,
        organization=legal_aid,
        recipient="",
        information=[InformationKind.IDENTIFYING],
        purpose="Immigration legal help.",
        signed_on=at(10).date(),
        expires_on=at(10).date() + timedelta(days=180),
    )
    services.make_referral(
        world.case_a,
        by=world.specialist,
        direction=Referral.Direction.OUT,
        organization=legal_aid,
        service_type=ServiceType.IMMIGRATION_LEGAL_AID,
        made_on=at(5).date(),
        note="",
        share_identifying=True,
    )
    return world


def test_the_timeline_shows_every_kind_newest_first(story, client):
    client.force_login(story.specialist)

    response = client.get(f"/cases/{story.case_a.pk}/timeline/")

    assert response.status_code == 200
    kinds = [entry.kind for entry in response.context["entries"]]
    assert kinds == ["referral", "release", "stage", "contact", "outcome", "intake"]
    assert "First meeting at the library." in response.text
    assert "Identifying information shared, under a signed release." in response.text


def test_the_timeline_shows_only_the_kinds_chosen(story, client):
    client.force_login(story.specialist)

    response = client.get(f"/cases/{story.case_a.pk}/timeline/", {"kind": ["contact", "referral"]})

    assert [entry.kind for entry in response.context["entries"]] == ["referral", "contact"]


def test_an_unknown_kind_is_a_form_error_not_a_server_error(story, client):
    client.force_login(story.specialist)

    response = client.get(f"/cases/{story.case_a.pk}/timeline/", {"kind": ["salary", "<script>"]})

    assert response.status_code == 200
    assert "kind" in response.context["form"].errors


def test_a_days_event_sorts_among_that_days_timed_events(world):
    contact(world, days_ago=3, hour=8, note="morning")
    contact(world, days_ago=3, hour=18, note="evening")
    services.record_stage(world.case_a, by=world.specialist, stage=StageOfChange.ACTION, observed_on=at(3).date())

    _page, entries = timeline.timeline_page(world.case_a, kinds=["contact", "stage"])

    assert [(e.kind, getattr(e.item, "note", "")) for e in entries] == [
        ("contact", "evening"),
        ("stage", ""),
        ("contact", "morning"),
    ]


def test_the_timeline_is_paged_by_twenty_five(world):
    # From yesterday back: today at ten may still be in the future when the suite runs early.
    for day in range(1, 31):
        contact(world, days_ago=day, note=f"call {day}")

    first, first_entries = timeline.timeline_page(world.case_a, kinds=["contact"], number=1)
    second, second_entries = timeline.timeline_page(world.case_a, kinds=["contact"], number=2)

    assert first.paginator.count == 30
    assert (second.number, second.has_next()) == (2, False)
    assert [e.item.note for e in first_entries] == [f"call {day}" for day in range(1, 26)]
    assert [e.item.note for e in second_entries] == [f"call {day}" for day in range(26, 31)]


def test_the_timeline_is_a_404_for_someone_who_cannot_see_the_case(world, client):
    client.force_login(world.outsider)

    assert client.get(f"/cases/{world.case_a.pk}/timeline/").status_code == 404


def test_reading_the_timeline_is_written_to_the_access_log(world, client):
    client.force_login(world.supervisor)

    client.get(f"/cases/{world.case_a.pk}/timeline/")

    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.target_id, entry.action) == (world.supervisor, world.case_a.pk, "view")


def test_the_timeline_page_costs_the_same_queries_with_one_or_five_events_of_each_kind(story, client):
    client.force_login(story.specialist)
    url = f"/cases/{story.case_a.pk}/timeline/"
    client.get(url)  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    given = list(Service.objects.filter(usual=True)[:2])
    for day in range(4):
        contact(story, days_ago=day + 1, given=given)
        services.record_stage(
            story.case_a, by=story.specialist, stage=StageOfChange.ACTION, observed_on=at(day + 1).date()
        )
    with CaptureQueriesContext(connection) as five:
        client.get(url)

    # One query per kind on the page, and one more for the services given on its contacts.
    assert len(one.captured_queries) == len(five.captured_queries) == 13
