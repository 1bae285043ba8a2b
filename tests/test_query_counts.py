"""Query-count guards: each list and dashboard costs the same at 1 row and at 5."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bloom.directory.models import Organization, ServiceType
from cases import services
from cases.models import Contact, InformationKind, Referral, StageOfChange
from tests.cases.sharing_files import pdf_upload
from tests.factories import edit_survivor, make_case


def add_cases(world, count):
    for n in range(count):
        make_case(team=world.team_a, specialists=[world.specialist, world.colleague], legal_name=f"Person {n}")


def grow(world, size):
    # The world has one case per team already; grow team A to `size` cases.
    add_cases(world, size - 1)
    services.send_contact_reminders()


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize(
    ("persona", "url_name", "queries"),
    [
        ("specialist", "cases:list", 13),
        ("supervisor", "cases:list", 13),
        ("director", "cases:list", 13),
        ("specialist", "home", 13),
        ("supervisor", "home", 14),
        ("director", "home", 12),
        ("specialist", "notifications:list", 8),
    ],
)
def test_page_query_count_does_not_grow_with_rows(
    client, world, django_assert_num_queries, size, persona, url_name, queries
):
    grow(world, size)
    client.force_login(world.everyone()[persona])
    client.get(reverse(url_name))  # warm the per-process content-type caches

    with django_assert_num_queries(queries):
        response = client.get(reverse(url_name))

    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 5])
def test_history_and_access_log_query_counts(client, world, django_assert_num_queries, size):
    for n in range(size):
        edit_survivor(world.case_a, by=world.supervisor, legal_name=f"Name {n}")
    client.force_login(world.supervisor)
    for _ in range(size):
        client.get(reverse("cases:detail", args=[world.case_a.pk]))
    client.get(reverse("cases:access_log", args=[world.case_a.pk]))  # warm the content-type caches

    with django_assert_num_queries(18):
        client.get(reverse("cases:history", args=[world.case_a.pk]))
    with django_assert_num_queries(15):
        client.get(reverse("cases:access_log", args=[world.case_a.pk]))


def add_intake_records(world, size):
    """``size`` screening versions, family members and mandated reports on case A."""
    case = world.case_a
    for n in range(size):
        services.record_screening(
            case,
            by=world.specialist,
            answers={"actions": ["recruits"], "means": ["confinement"], "purposes": ["commercial sex"]},
            context={"location": f"Town {n}", "control_methods": ["threats"]},
            sensitive_allowed=True,
        )
        services.add_family_member(case, by=world.specialist, name=f"Relative {n}", relationship="Sibling")
        services.record_mandated_report(
            case,
            by=world.specialist,
            kind="mdt",
            made_at=timezone.now(),
            made_by="Sam Specialist",
            reference="",
            notes="",
        )


def add_casework(world, size):
    """``size`` contacts, stages, documents, releases, referrals and handoffs on case A."""
    case, today = world.case_a, timezone.localdate()
    partner = Organization.objects.create(name="Legal aid")
    for n in range(size):
        services.log_contact(
            case,
            by=world.specialist,
            kind=Contact.Kind.PHONE,
            occurred_at=timezone.now() - timedelta(minutes=n + 1),
            initiated_by=Contact.Initiator.STAFF,
            note=f"Call {n}",
        )
        services.record_stage(case, by=world.specialist, stage=StageOfChange.ACTION, observed_on=today)
        services.add_document(case, by=world.specialist, kind="letter", title=f"Letter {n}", upload=pdf_upload())
        services.record_release(
            case,
            by=world.specialist,
            organization=partner,
            recipient="",
            information=[InformationKind.IDENTIFYING],
            purpose="Legal help.",
            signed_on=today,
            expires_on=today + timedelta(days=90),
        )
        services.make_referral(
            case,
            by=world.specialist,
            direction=Referral.Direction.OUT,
            organization=partner,
            service_type=ServiceType.IMMIGRATION_LEGAL_AID,
            made_on=today,
            note="",
            share_identifying=True,
        )
        specialists = [world.specialist, world.colleague] if n % 2 == 0 else [world.specialist]
        services.assign_case(case, by=world.supervisor, specialists=specialists, note=f"Handoff {n}")


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize(
    ("url_name", "queries"),
    [("cases:detail", 30), ("cases:screenings", 15), ("cases:contacts", 17)],
)
def test_case_pages_cost_the_same_with_more_records(client, world, django_assert_num_queries, size, url_name, queries):
    add_intake_records(world, size)
    add_casework(world, size)
    client.force_login(world.specialist)
    url = reverse(url_name, args=[world.case_a.pk])
    client.get(url)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 5])
def test_careline_reminders_cost_the_same_for_more_minors(world, django_assert_num_queries, size):
    born = timezone.localdate().replace(year=timezone.localdate().year - 16)
    for n in range(size):
        services.start_intake(
            by=world.specialist,
            team=world.team_a,
            specialists=[world.specialist],
            details={"legal_name": f"Minor {n}", "date_of_birth": born},
        )
    tomorrow = timezone.localdate() + timedelta(days=1)

    with django_assert_num_queries(6):
        sent = services.send_careline_reminders(today=tomorrow)

    assert sent == size  # one supervisor on team A, one reminder per minor


@pytest.mark.parametrize("size", [1, 5])
def test_the_timeline_loads_each_kind_on_its_page_once(client, world, django_assert_max_num_queries, size):
    # A page holds 25 entries, so with more records some kinds fall to the next page and
    # the count can only drop: one query per kind shown, never per entry.
    add_intake_records(world, size)
    add_casework(world, size)
    client.force_login(world.specialist)
    url = reverse("cases:timeline", args=[world.case_a.pk])
    client.get(url)

    with django_assert_max_num_queries(26):
        response = client.get(url)

    assert len(response.context["entries"]) == min(25, 2 + 8 * size)
