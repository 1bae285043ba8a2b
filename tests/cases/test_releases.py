"""Releases of information: at most 12 months, revocable, reminded before they expire."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from bloom.directory.models import Organization
from bloom.notifications.models import Notification
from cases import services, tasks
from cases.models import Document, InformationKind, Release
from tests.cases.sharing_files import HTML, cards, pdf_upload, reader_of_every_case, upload
from tests.factories import close_case, make_case

TODAY = timezone.localdate


def days(n: int) -> date:
    return TODAY() + timedelta(days=n)


@pytest.fixture
def legal_aid(db) -> Organization:
    return Organization.objects.create(name="Legal Aid Partners", kind=Organization.Kind.LEGAL)


def record(world, organization=None, case=None, **kwargs) -> Release:
    kwargs.setdefault("recipient", "" if organization else "Dr. Reyes")
    kwargs.setdefault("information", [InformationKind.IDENTIFYING, InformationKind.IMMIGRATION])
    kwargs.setdefault("purpose", "T visa application")
    kwargs.setdefault("signed_on", days(-10))
    kwargs.setdefault("expires_on", days(200))
    return services.record_release(case or world.case_a, by=world.specialist, organization=organization, **kwargs)


# The 12-month rule --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signed", "latest"),
    [
        (date(2024, 2, 29), date(2025, 2, 28)),
        (date(2023, 2, 28), date(2024, 2, 28)),
        (date(2025, 1, 31), date(2026, 1, 31)),
        (date(2024, 12, 15), date(2025, 12, 15)),
        (date(9999, 6, 1), date.max),
    ],
)
def test_latest_expiry_is_twelve_calendar_months_on(signed, latest):
    assert services.latest_expiry(signed) == latest


def test_a_release_signed_on_29_february_may_run_to_28_february_and_no_later():
    today = date(2025, 1, 10)

    fits = services.release_date_problems(signed_on=date(2024, 2, 29), expires_on=date(2025, 2, 28), today=today)
    too_long = services.release_date_problems(signed_on=date(2024, 2, 29), expires_on=date(2025, 3, 1), today=today)

    assert fits == {}
    assert too_long == {
        "expires_on": "A release can run for at most 12 months: from this signing date, until Feb. 28, 2025."
    }


# Run again at awkward instants (tests/clock.py): a release is signed by today and runs at most 12 months from it.
@pytest.mark.clock
def test_record_release_refuses_a_future_signing_and_more_than_a_year(world):
    with pytest.raises(services.SharingError) as refused:
        record(world, signed_on=days(1), expires_on=days(400))

    assert set(refused.value.message_dict) == {"signed_on", "expires_on"}
    assert Release.objects.count() == 0


# Recording and revoking -------------------------------------------------------------------------


def test_record_release_with_its_signed_form(world, legal_aid):
    release = record(world, legal_aid, signed_form=pdf_upload("signed.pdf"))

    form = release.signed_form
    assert (release.organization, release.information, release.recorded_by) == (
        legal_aid,
        ["identifying", "immigration"],
        world.specialist,
    )
    assert (form.case, form.kind, form.original_name, form.title) == (
        world.case_a,
        Document.Kind.SIGNED_FORM,
        "signed.pdf",
        'document.signed_release|["Legal Aid Partners"]',
    )
    with translation.override("en"):
        assert form.get_title_display() == "Signed release: Legal Aid Partners"
    assert (release.history.count(), release.history.get().history_user) == (1, world.specialist)


def test_a_signed_form_that_is_not_what_its_name_says_stores_nothing(world, legal_aid):
    with pytest.raises(services.SharingError) as refused:
        record(world, legal_aid, signed_form=upload("signed.pdf", HTML))

    assert refused.value.message_dict == {"signed_form": ["This file is not a PDF, although its name ends in .pdf."]}
    assert (Release.objects.count(), Document.objects.count()) == (0, 0)


def test_revoke_release_records_the_day_and_settles_its_reminders(world, legal_aid):
    release = record(world, legal_aid, expires_on=days(20))
    services.send_release_expiry_reminders()

    services.revoke_release(release, by=world.supervisor, on=TODAY(), note="Told us by phone")

    release.refresh_from_db()
    latest = release.history.first()
    assert (release.revoked_on, release.revocation_note, release.status_on(TODAY())) == (
        TODAY(),
        "Told us by phone",
        Release.Status.REVOKED,
    )
    assert (release.history.count(), latest.history_user) == (2, world.supervisor)
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


# Run again at awkward instants (tests/clock.py): a release is revoked between its signing and today.
@pytest.mark.clock
@pytest.mark.parametrize(
    ("on", "field"),
    [(lambda: days(-11), "revoked_on"), (lambda: days(1), "revoked_on")],
    ids=["before signing", "in the future"],
)
def test_revoke_release_refuses_impossible_days(world, on, field):
    release = record(world)

    with pytest.raises(services.SharingError) as refused:
        services.revoke_release(release, by=world.specialist, on=on(), note="")

    release.refresh_from_db()
    assert list(refused.value.message_dict) == [field]
    assert (release.revoked_on, release.history.count()) == (None, 1)


def test_a_release_is_revoked_only_once(world):
    release = record(world)
    services.revoke_release(release, by=world.specialist, on=days(-1), note="")

    with pytest.raises(services.SharingError):
        services.revoke_release(release, by=world.specialist, on=TODAY(), note="")

    release.refresh_from_db()
    assert (release.revoked_on, release.history.count()) == (days(-1), 2)


# Pages ------------------------------------------------------------------------------------------


def release_post(organization=None, **overrides) -> dict:
    return {
        "organization": organization.pk if organization else "",
        "recipient": "",
        "information": ["identifying", "case plan"],
        "purpose": "Housing application",
        "signed_on": days(-1).isoformat(),
        "expires_on": days(180).isoformat(),
        **overrides,
    }


def test_release_page_says_signing_is_never_a_condition_of_service(client, world):
    client.force_login(world.specialist)

    response = client.get(reverse("cases:release_new", args=[world.case_a.pk]))

    assert response.status_code == 200
    assert "Signing a release is never a condition of receiving services." in response.text
    assert 'enctype="multipart/form-data"' in response.text


def test_release_page_records_a_release_with_its_form(client, world, legal_aid):
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:release_new", args=[world.case_a.pk]),
        {**release_post(legal_aid), "signed_form": pdf_upload()},
    )

    release = Release.objects.get()
    assert (response.status_code, release.organization, release.signed_form.kind) == (302, legal_aid, "signed form")
    assert release.information == ["case plan", "identifying"]


def test_release_page_refuses_thirteen_months_next_to_the_field_and_keeps_the_rest(client, world, legal_aid):
    client.force_login(world.specialist)
    data = release_post(legal_aid, expires_on=(days(-1) + timedelta(days=400)).isoformat())

    response = client.post(reverse("cases:release_new", args=[world.case_a.pk]), data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["expires_on"]
    assert "A release can run for at most 12 months" in response.text
    assert "Housing application" in response.text
    assert Release.objects.count() == 0


def test_release_page_needs_someone_to_receive_it(client, world):
    client.force_login(world.specialist)

    response = client.post(reverse("cases:release_new", args=[world.case_a.pk]), release_post())

    assert response.context["form"].errors == {
        "recipient": ["Choose an organization or write who receives the information."]
    }


def test_release_pages_are_404_for_an_outsider_and_403_for_a_reader(client, world):
    release = record(world)
    urls = [
        reverse("cases:release_new", args=[world.case_a.pk]),
        reverse("cases:release_revoke", args=[world.case_a.pk, release.pk]),
    ]
    answers = []
    for user in (world.outsider, reader_of_every_case()):
        client.force_login(user)
        answers += [client.get(url).status_code for url in urls]

    assert answers == [404, 404, 403, 403]


def test_revoke_page_revokes(client, world):
    release = record(world)
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:release_revoke", args=[world.case_a.pk, release.pk]),
        {"revoked_on": TODAY().isoformat(), "revocation_note": "She asked us to stop"},
    )

    release.refresh_from_db()
    assert (response.status_code, release.revoked_on) == (302, TODAY())


def test_revoke_page_is_404_for_a_release_of_another_case(client, world):
    foreign = record(world, case=world.case_b)
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:release_revoke", args=[world.case_a.pk, foreign.pk]), {"revoked_on": TODAY().isoformat()}
    )

    foreign.refresh_from_db()
    assert (response.status_code, foreign.revoked_on) == (404, None)


# Run again at awkward instants (tests/clock.py): a release is expiring soon or expired by days from today.
@pytest.mark.clock
def test_the_case_page_shows_each_release_with_its_status(client, world):
    record(world, recipient="Active Clinic", expires_on=days(200))
    record(world, recipient="Expiring Shelter", expires_on=days(10))
    record(world, recipient="Expired School", signed_on=days(-300), expires_on=days(-1))
    services.revoke_release(record(world, recipient="Revoked Church"), by=world.specialist, on=TODAY(), note="")
    client.force_login(world.specialist)

    html = client.get(world.case_a.get_absolute_url()).text

    for name, badge in [
        ("Active Clinic", '<span class="badge badge--open">Active</span>'),
        ("Expiring Shelter", '<span class="badge badge--warning">Expiring soon</span>'),
        ("Expired School", '<span class="badge badge--closed">Expired</span>'),
        ("Revoked Church", '<span class="badge badge--danger">Revoked</span>'),
    ]:
        after = html[html.index(name) :]
        assert after.index(badge) < after.index("</p>"), name
    assert "Signing a release is never a condition of receiving services." in html


@pytest.mark.parametrize("size", [1, 5])
def test_the_releases_card_costs_the_same_for_more_releases(world, legal_aid, django_assert_num_queries, size):
    for n in range(size):
        record(world, legal_aid if n % 2 else None, signed_form=pdf_upload())

    with django_assert_num_queries(3):
        html = cards(world.case_a)

    assert html.count("/revoke/") == size


# Expiry reminders ---------------------------------------------------------------------------------


# Run again at awkward instants (tests/clock.py): reminders go out within 30 days of the expiry.
@pytest.mark.clock
def test_expiry_reminders_are_sent_once_to_the_assigned_specialists(world):
    case = make_case(team=world.team_a, specialists=[world.specialist, world.colleague])
    release = record(world, case=case, expires_on=days(30))

    first = services.send_release_expiry_reminders()
    second = tasks.send_release_expiry_reminders()

    rows = Notification.objects.order_by("recipient__full_name").values_list("recipient", "kind", "data", "url")
    data = {"code": case.survivor.client_code, "until": release.expires_on.isoformat()}
    assert (first, second) == (2, 0)
    assert list(rows) == [
        (world.colleague.pk, "release expiring", data, case.get_absolute_url()),
        (world.specialist.pk, "release expiring", data, case.get_absolute_url()),
    ]


@pytest.mark.clock
def test_expiry_reminders_skip_revoked_expired_distant_and_inactive(world):
    services.revoke_release(record(world, expires_on=days(5)), by=world.specialist, on=TODAY(), note="")
    record(world, signed_on=days(-300), expires_on=days(-1))
    record(world, expires_on=days(31))
    closed = make_case(team=world.team_a, specialists=[world.specialist], opened_on=days(-50))
    record(world, case=closed, expires_on=days(5))
    close_case(closed, by=world.specialist, approver=world.supervisor, closed_on=TODAY())

    assert services.send_release_expiry_reminders() == 0
    assert Notification.objects.filter(kind=Notification.Kind.RELEASE_EXPIRING).count() == 0


def test_expiry_reminder_goes_to_the_supervisors_when_nobody_is_assigned(world):
    case = make_case(team=world.team_a, specialists=[], by=world.supervisor)
    record(world, case=case, expires_on=days(3))

    services.send_release_expiry_reminders()

    assert list(Notification.objects.values_list("recipient", flat=True)) == [world.supervisor.pk]


def test_expiry_reminder_names_the_client_code_never_the_name(world):
    record(world, expires_on=days(7))

    services.send_release_expiry_reminders()

    text = Notification.objects.get().text
    assert world.case_a.survivor.client_code in text
    assert "Alma" not in text


@pytest.mark.parametrize("size", [1, 5])
def test_expiry_reminders_cost_the_same_for_more_releases(world, django_assert_num_queries, size):
    for _n in range(size):
        case = make_case(team=world.team_a, specialists=[world.specialist])
        record(world, case=case, expires_on=days(4))

    # The releases, and the assignments, team supervisors and named people who may be told.
    with django_assert_num_queries(7):
        sent = services.send_release_expiry_reminders()

    assert sent == size
