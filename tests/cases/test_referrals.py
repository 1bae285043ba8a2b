"""Referrals: identifying information goes only under an active release that covers the organization."""

from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from bloom.directory.models import Organization
from cases import services
from cases.models import InformationKind, Referral, Release
from tests.cases.sharing_files import cards, reader_of_every_case

TODAY = timezone.localdate


def days(n: int) -> date:
    return TODAY() + timedelta(days=n)


@pytest.fixture
def legal_aid(db) -> Organization:
    return Organization.objects.create(name="Legal Aid Partners", kind=Organization.Kind.LEGAL)


@pytest.fixture
def shelter(db) -> Organization:
    return Organization.objects.create(name="Safe Harbor Shelter", kind=Organization.Kind.HOUSING)


def release_for(world, organization, **kwargs) -> Release:
    kwargs.setdefault("information", [InformationKind.IDENTIFYING])
    kwargs.setdefault("signed_on", days(-30))
    kwargs.setdefault("expires_on", days(300))
    return services.record_release(
        world.case_a, by=world.specialist, organization=organization, recipient="", purpose="Legal help", **kwargs
    )


def refer(world, organization, **kwargs) -> services.MadeReferral:
    kwargs.setdefault("direction", Referral.Direction.OUT)
    kwargs.setdefault("service_type", "immigration legal aid")
    kwargs.setdefault("made_on", TODAY())
    kwargs.setdefault("note", "")
    kwargs.setdefault("share_identifying", True)
    return services.make_referral(world.case_a, by=world.specialist, organization=organization, **kwargs)


# Release-gated sharing ------------------------------------------------------------------------


def test_an_active_release_for_the_organization_lets_identifying_information_go(world, legal_aid):
    release = release_for(world, legal_aid)

    made = refer(world, legal_aid)

    referral = made.referral
    assert (referral.identifying_information_shared, referral.release, made.not_shared_because) == (
        True,
        release,
        None,
    )
    assert (referral.history.count(), referral.history.get().history_user) == (1, world.specialist)


def test_an_expired_release_does_not(world, legal_aid):
    release_for(world, legal_aid, signed_on=days(-200), expires_on=days(-1))

    made = refer(world, legal_aid)

    assert (made.referral.identifying_information_shared, made.referral.release) == (False, None)
    assert made.not_shared_because == (f"The release for Legal Aid Partners expired on {date_format(days(-1))}.")
    assert made.referral.status == Referral.Status.MADE


def test_a_revoked_release_does_not(world, legal_aid):
    release = release_for(world, legal_aid)
    services.revoke_release(release, by=world.specialist, on=days(-2), note="")

    made = refer(world, legal_aid)

    assert made.referral.identifying_information_shared is False
    assert made.not_shared_because == f"The release for Legal Aid Partners was revoked on {date_format(days(-2))}."


def test_a_release_for_another_organization_does_not(world, legal_aid, shelter):
    release_for(world, shelter)

    made = refer(world, legal_aid)

    assert made.referral.identifying_information_shared is False
    assert made.not_shared_because == "There is no release of information for Legal Aid Partners."


def test_a_release_of_another_case_does_not(world, legal_aid):
    services.record_release(
        world.case_b,
        by=world.outsider,
        organization=legal_aid,
        recipient="",
        information=[InformationKind.IDENTIFYING],
        purpose="x",
        signed_on=days(-3),
        expires_on=days(100),
    )

    made = refer(world, legal_aid)

    assert made.not_shared_because == "There is no release of information for Legal Aid Partners."


def test_a_release_without_identifying_information_does_not(world, legal_aid):
    release_for(world, legal_aid, information=[InformationKind.HEALTH])

    made = refer(world, legal_aid)

    assert made.referral.identifying_information_shared is False
    assert made.not_shared_because == (
        f"The release for Legal Aid Partners signed on {date_format(days(-30))} "
        "does not include identifying information."
    )


def test_a_release_signed_after_the_referral_date_does_not_cover_it(world, legal_aid):
    release_for(world, legal_aid, signed_on=days(-1))

    made = refer(world, legal_aid, made_on=days(-5))

    assert made.referral.identifying_information_shared is False
    assert "after the referral date" in made.not_shared_because


def test_a_release_revoked_after_the_referral_date_still_covered_that_day(world, legal_aid):
    release = release_for(world, legal_aid)
    services.revoke_release(release, by=world.specialist, on=TODAY(), note="")

    made = refer(world, legal_aid, made_on=days(-3))

    assert (made.referral.identifying_information_shared, made.referral.release) == (True, release)


def test_nothing_is_shared_when_it_was_not_asked_for(world, legal_aid):
    release_for(world, legal_aid)

    made = refer(world, legal_aid, share_identifying=False)

    assert (made.referral.identifying_information_shared, made.referral.release, made.not_shared_because) == (
        False,
        None,
        None,
    )


def test_a_referral_in_carries_nothing_out(world, legal_aid):
    release_for(world, legal_aid)

    made = refer(world, legal_aid, direction=Referral.Direction.IN)

    assert made.referral.identifying_information_shared is False
    assert made.not_shared_because == "Identifying information is only sent with a referral out."


def test_a_referral_in_the_future_is_refused(world, legal_aid):
    with pytest.raises(services.SharingError):
        refer(world, legal_aid, made_on=days(1))

    assert Referral.objects.count() == 0


# Outcomes ---------------------------------------------------------------------------------------


def test_update_referral_records_the_outcome_with_history(world, legal_aid):
    referral = refer(world, legal_aid, made_on=days(-10)).referral

    services.update_referral(referral, by=world.supervisor, status="accepted", outcome_on=days(-2), note="Intake set")

    referral.refresh_from_db()
    assert (referral.status, referral.outcome_on, referral.note) == ("accepted", days(-2), "Intake set")
    assert (referral.history.count(), referral.history.first().history_user) == (2, world.supervisor)


def test_update_referral_back_to_made_clears_the_outcome_date(world, legal_aid):
    referral = refer(world, legal_aid, made_on=days(-10)).referral
    services.update_referral(referral, by=world.specialist, status="declined", outcome_on=days(-1), note="")

    services.update_referral(referral, by=world.specialist, status="made", outcome_on=days(-1), note="")

    referral.refresh_from_db()
    assert (referral.status, referral.outcome_on) == ("made", None)


@pytest.mark.parametrize(
    ("status", "outcome_on", "field"),
    [("completed", None, "outcome_on"), ("completed", -11, "outcome_on"), ("no response", 1, "outcome_on")],
    ids=["no date", "before the referral", "in the future"],
)
def test_update_referral_refuses_impossible_outcomes(world, legal_aid, status, outcome_on, field):
    referral = refer(world, legal_aid, made_on=days(-10)).referral

    with pytest.raises(services.SharingError) as refused:
        services.update_referral(
            referral, by=world.specialist, status=status, outcome_on=None if outcome_on is None else days(outcome_on),
            note="",
        )  # fmt: skip

    referral.refresh_from_db()
    assert list(refused.value.message_dict) == [field]
    assert (referral.status, referral.history.count()) == ("made", 1)


def test_an_unchanged_update_writes_no_history(world, legal_aid):
    referral = refer(world, legal_aid).referral

    services.update_referral(referral, by=world.specialist, status="made", outcome_on=None, note="")

    assert referral.history.count() == 1


# Pages ------------------------------------------------------------------------------------------


def referral_post(organization, **overrides) -> dict:
    return {
        "direction": "out",
        "organization": organization.pk,
        "service_type": "immigration legal aid",
        "made_on": TODAY().isoformat(),
        "note": "",
        "share_identifying": "on",
        **overrides,
    }


def test_referral_page_warns_plainly_when_identifying_information_was_not_shared(client, world, legal_aid):
    release = release_for(world, legal_aid)
    services.revoke_release(release, by=world.specialist, on=days(-1), note="")
    client.force_login(world.specialist)

    response = client.post(reverse("cases:referral_new", args=[world.case_a.pk]), referral_post(legal_aid))

    referral = Referral.objects.get()
    [message] = get_messages(response.wsgi_request)
    assert (response.status_code, referral.identifying_information_shared) == (302, False)
    assert message.level_tag == "warning"
    assert message.message.startswith(
        "Referral recorded without identifying information. "
        f"The release for Legal Aid Partners was revoked on {date_format(days(-1))}."
    )


def test_referral_page_says_under_which_release_it_was_shared(client, world, legal_aid):
    release_for(world, legal_aid)
    client.force_login(world.specialist)

    response = client.post(reverse("cases:referral_new", args=[world.case_a.pk]), referral_post(legal_aid))

    [message] = get_messages(response.wsgi_request)
    assert message.level_tag == "success"
    assert Referral.objects.get().identifying_information_shared is True


def test_referral_page_offers_only_listed_organizations(client, world, legal_aid):
    gone = Organization.objects.create(name="Closed Clinic", is_active=False)
    client.force_login(world.specialist)

    response = client.post(reverse("cases:referral_new", args=[world.case_a.pk]), referral_post(gone))

    assert list(response.context["form"].errors) == ["organization"]
    assert Referral.objects.count() == 0


def test_referral_page_refuses_sharing_with_a_referral_in(client, world, legal_aid):
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:referral_new", args=[world.case_a.pk]), referral_post(legal_aid, direction="in", note="Kept")
    )

    assert response.context["form"].errors == {
        "share_identifying": ["Identifying information is only sent with a referral out."]
    }
    assert "Kept" in response.text


def test_referral_status_page_records_the_outcome(client, world, legal_aid):
    referral = refer(world, legal_aid, made_on=days(-4)).referral
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:referral_status", args=[world.case_a.pk, referral.pk]),
        {"status": "completed", "outcome_on": TODAY().isoformat(), "note": "Done"},
    )

    referral.refresh_from_db()
    assert (response.status_code, referral.status, referral.outcome_on) == (302, "completed", TODAY())


def test_referral_status_page_needs_an_outcome_date(client, world, legal_aid):
    referral = refer(world, legal_aid).referral
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:referral_status", args=[world.case_a.pk, referral.pk]),
        {"status": "accepted", "outcome_on": "", "note": "Keep me"},
    )

    assert response.context["form"].errors == {"outcome_on": ["Give the date of the outcome."]}
    assert "Keep me" in response.text


def test_referral_pages_are_404_for_an_outsider_and_403_for_a_reader(client, world, legal_aid):
    referral = refer(world, legal_aid).referral
    urls = [
        reverse("cases:referral_new", args=[world.case_a.pk]),
        reverse("cases:referral_status", args=[world.case_a.pk, referral.pk]),
    ]
    answers = []
    for user in (world.outsider, reader_of_every_case()):
        client.force_login(user)
        answers += [client.get(url).status_code for url in urls]

    assert answers == [404, 404, 403, 403]


def test_referral_status_page_is_404_for_a_referral_of_another_case(client, world, legal_aid):
    foreign = services.make_referral(
        world.case_b,
        by=world.outsider,
        direction="out",
        organization=legal_aid,
        service_type="therapy",
        made_on=TODAY(),
        note="",
        share_identifying=False,
    ).referral
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:referral_status", args=[world.case_a.pk, foreign.pk]),
        {"status": "declined", "outcome_on": TODAY().isoformat()},
    )

    foreign.refresh_from_db()
    assert (response.status_code, foreign.status) == (404, "made")


def test_the_case_page_shows_referrals_with_their_status(client, world, legal_aid, shelter):
    release_for(world, legal_aid)
    refer(world, legal_aid)
    refer(world, shelter, service_type="housing")
    client.force_login(world.specialist)

    html = client.get(world.case_a.get_absolute_url()).text

    assert '<span class="badge badge--info">Made</span>' in html
    assert "identifying information shared under the release signed" in html
    assert "no identifying information shared" in html
    assert "Safe Harbor Shelter" in html


@pytest.mark.parametrize("size", [1, 5])
def test_the_referrals_card_costs_the_same_for_more_referrals(world, legal_aid, django_assert_num_queries, size):
    release_for(world, legal_aid)
    for _n in range(size):
        refer(world, legal_aid)

    with django_assert_num_queries(3):
        html = cards(world.case_a)

    assert html.count("/status/") == size
