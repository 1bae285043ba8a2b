"""One case's service report for someone outside the program: an organization, or the survivor.

An organization is sent only the kinds of information an active release for it allows on the
day the PDF is built (the name with "identifying", the phase journey and goals with "case
plan"), and never a note; the survivor's own copy carries no staff note and names no shelter or
landlord. Each is checked in the PDF read back as text, and again when a job asked for before
the rule (or by another way in) is built.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from bloom.audit.models import AccessLogEntry
from bloom.directory.models import Organization
from bloom.reports import services as report_services
from bloom.reports.models import ReportJob
from cases.models import InformationKind
from cases.service_report import printing
from cases.services.sharing import record_release, revoke_release
from tests.cases.service_report_world import (
    LEGAL_NAME,
    NARRATIVES,
    ORGANIZATION,
    PREFERRED_NAME,
    SHELTER,
    START,
    TODAY,
    TRANSITIONAL,
    ask_and_build,
    day,
    period,
    serve,
    short,
)
from tests.factories import form_errors
from tests.printouts import flat, pdf_text

KIND = "case_service_report"
NO_RELEASE = f"No active release of information covers {ORGANIZATION}; only the client code is printed."
PLAN_LEFT_OUT = (
    f"Left out, as no active release of information lets {ORGANIZATION} receive “Case plan, goals and progress”: "
    "Phase journey, Goals achieved."
)
JOURNEY = f"Heal Moved forward {short(day(14))} {short(day(50))}"
GOALS = f"Goals achieved Area of life Achieved on Housing {short(TODAY)}"
NOT_FOR_AN_ORGANIZATION = "Notes are never printed for an organization"
NOT_FOR_THE_SURVIVOR = "Staff notes are not part of the survivor's copy."


@pytest.fixture
def served(world):
    return serve(world)


def url(case) -> str:
    return reverse("cases:service_report", args=[case.pk])


def for_organization(served, organization=None, **more) -> dict:
    return period(audience="organization", organization=(organization or served.organization).pk, **more)


def release(world, served, *kinds: str, signed_on=START, expires_on=TODAY + timedelta(days=30)):
    return record_release(served.case, by=world.specialist, organization=served.organization, recipient="",
                          information=list(kinds), purpose="Legal help", signed_on=signed_on,
                          expires_on=expires_on)  # fmt: skip


def build(client, world, served, capture, answers: dict) -> str:
    return ask_and_build(client, world.specialist, url(served.case), answers, capture)[1]


def built_from(client, world, served, parameters: dict) -> str:
    """A job queued with ``parameters`` as they were stored (before this rule, or by another way in), built."""
    job, _case = report_services.request_report(
        by=world.specialist, kind=KIND, target_id=served.case.pk, parameters=parameters
    )
    report_services.run_report_job(job.pk)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    client.force_login(world.specialist)
    download = client.get(reverse("reports:download", args=[job.public_id]))
    return flat(pdf_text(b"".join(download.streaming_content)))


def narratives(text: str) -> list[str]:
    return [phrase for phrase in NARRATIVES if phrase in text]


# An organization: what its releases allow ----------------------------------------------------


@pytest.mark.parametrize(
    ("releases", "named", "plan"),
    [
        ([["identifying"]], True, False),
        ([["case plan"]], False, True),
        ([["identifying", "case plan"]], True, True),
        ([["identifying"], ["case plan", "health"]], True, True),  # two releases: what either allows
        ([["health", "immigration", "experience", "documents", "other"]], False, False),
    ],
    ids=["identifying", "case-plan", "both", "two-releases", "other-kinds"],
)
def test_an_organizations_copy_prints_only_what_its_active_releases_allow(
    client, world, served, releases, named, plan, django_capture_on_commit_callbacks
):
    for kinds in releases:
        release(world, served, *kinds)

    text = build(client, world, served, django_capture_on_commit_callbacks, for_organization(served))

    assert (f"Name {PREFERRED_NAME} (legal name: {LEGAL_NAME})" in text, NO_RELEASE in text) == (named, not named)
    assert (JOURNEY in text, GOALS in text, PLAN_LEFT_OUT in text) == (plan, plan, not plan)
    # Left out is not "nothing happened": the case plan's "nothing in the period" lines are not printed either.
    assert "No case plan was under way in this period." not in text
    assert f"Individual counseling 2 {short(day(2))}, {short(day(44))}" in text
    assert narratives(text) == []


def test_a_release_that_is_not_active_on_the_print_day_allows_nothing(
    client, world, served, django_capture_on_commit_callbacks
):
    ran_out = {"signed_on": TODAY - timedelta(days=300), "expires_on": TODAY - timedelta(days=1)}
    release(world, served, "identifying", "case plan", **ran_out)
    later = release(world, served, "identifying", "case plan", signed_on=START)
    revoke_release(later, by=world.specialist, on=TODAY, note="")

    text = build(client, world, served, django_capture_on_commit_callbacks, for_organization(served))

    assert [LEGAL_NAME in text, PREFERRED_NAME in text, JOURNEY in text] == [False, False, False]
    assert NO_RELEASE in text
    assert PLAN_LEFT_OUT in text


def test_a_release_revoked_after_asking_is_checked_again_when_the_pdf_is_built(client, world, served):
    covering = release(world, served, "identifying", "case plan")
    client.force_login(world.specialist)
    asked = client.get(url(served.case), {"audience": "organization", "organization": served.organization.pk},
                       headers={"HX-Request": "true"})  # fmt: skip
    client.post(url(served.case), for_organization(served))
    job = ReportJob.objects.get()
    revoke_release(covering, by=world.specialist, on=TODAY, note="The survivor changed their mind")

    report_services.run_report_job(job.pk)

    job.refresh_from_db()
    text = flat(pdf_text(job.file.read()))
    assert NO_RELEASE not in asked.content.decode()  # it covered them when asked
    assert [LEGAL_NAME in text, PREFERRED_NAME in text, SHELTER in text, JOURNEY in text] == [False] * 4
    assert NO_RELEASE in text
    assert PLAN_LEFT_OUT in text


def test_the_page_says_before_printing_that_the_case_plan_is_left_out(client, world, served):
    release(world, served, "identifying")
    client.force_login(world.specialist)

    asked = client.get(url(served.case), {"audience": "organization", "organization": served.organization.pk},
                       headers={"HX-Request": "true"})  # fmt: skip

    html = asked.content.decode()
    assert NO_RELEASE not in html
    assert "Left out, as no active release of information lets" in html
    assert "Phase journey, Goals achieved." in html


# An organization: never a note ----------------------------------------------------------------


def test_notes_are_refused_for_an_organization_even_under_a_release_that_covers_everything(client, world, served):
    release(world, served, *InformationKind.values)
    client.force_login(world.specialist)

    response = client.post(url(served.case), for_organization(served, notes="on"))

    assert response.status_code == 200
    assert form_errors(response) == {"notes"}
    assert NOT_FOR_AN_ORGANIZATION in response.content.decode()
    assert (ReportJob.objects.count(), AccessLogEntry.objects.count()) == (0, 0)


@pytest.mark.parametrize("audience", ["organization", "survivor"])
def test_notes_asked_through_the_report_route_for_someone_outside_are_refused_and_not_logged(
    client, world, served, audience
):
    release(world, served, *InformationKind.values)
    client.force_login(world.specialist)

    response = client.post(
        reverse("reports:request", args=[KIND, served.case.pk]),
        {**for_organization(served, notes="on"), "audience": audience},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 422
    message = NOT_FOR_AN_ORGANIZATION if audience == "organization" else NOT_FOR_THE_SURVIVOR
    assert message in response.content.decode().replace("&#x27;", "'")
    assert (ReportJob.objects.count(), AccessLogEntry.objects.count()) == (0, 0)


@pytest.mark.parametrize("audience", ["organization", "survivor"])
def test_notes_stored_in_a_job_for_someone_outside_are_left_out_when_it_is_built(client, world, served, audience):
    release(world, served, *InformationKind.values)
    parameters = {"start": START.isoformat(), "end": TODAY.isoformat(), "notes": True, "audience": audience,
                  "organization": served.organization.pk if audience == "organization" else ""}  # fmt: skip

    text = built_from(client, world, served, parameters)

    assert narratives(text) == []
    assert "Notes are included" not in text
    assert f"Individual counseling 2 {short(day(2))}, {short(day(44))}" in text


def test_the_access_log_says_with_notes_only_when_notes_are_printed():
    asked = {"start": START.isoformat(), "end": TODAY.isoformat(), "notes": True, "organization": ""}

    reasons = [str(printing.case_reason({**asked, "audience": audience})) for audience in ("internal", "survivor")]

    assert reasons == [
        f'log.service_report_internal_notes|["{START}","{TODAY}"]',
        f'log.service_report_own|["{START}","{TODAY}"]',
    ]


# An organization: referrals --------------------------------------------------------------------


def test_without_a_release_a_referral_prints_its_service_and_outcome_but_not_the_organization(
    client, world, served, django_capture_on_commit_callbacks
):
    other = Organization.objects.create(name="Hartford Health Partners")

    text = build(client, world, served, django_capture_on_commit_callbacks, for_organization(served, other))

    assert "Prepared for: Hartford Health Partners" in text
    assert ORGANIZATION not in text
    assert f"{short(day(9))} Immigration legal aid Accepted, {short(day(19))}" in text


def test_under_a_release_covering_identifying_information_a_referral_names_the_organization(
    client, world, served, django_capture_on_commit_callbacks
):
    release(world, served, "identifying")

    text = build(client, world, served, django_capture_on_commit_callbacks, for_organization(served))

    assert f"{short(day(9))} To {ORGANIZATION} Immigration legal aid Accepted, {short(day(19))}" in text


# The survivor's own copy ---------------------------------------------------------------------


def test_notes_are_refused_for_the_survivors_own_copy(client, world, served):
    client.force_login(world.specialist)

    response = client.post(url(served.case), period(audience="survivor", notes="on"))

    html = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert form_errors(response) == {"notes"}
    assert NOT_FOR_THE_SURVIVOR in html
    assert re.search(r'value="survivor"[^>]* checked', html)  # nothing chosen is lost
    assert (ReportJob.objects.count(), AccessLogEntry.objects.count()) == (0, 0)


def test_the_survivors_own_copy_names_no_shelter_or_landlord(client, world, served, django_capture_on_commit_callbacks):
    text = build(client, world, served, django_capture_on_commit_callbacks, period(audience="survivor"))

    assert [name for name in (SHELTER, TRANSITIONAL) if name in text] == []
    assert f"Emergency shelter {short(day(0))} {short(day(29))} Went to: Transitional housing" in text
    assert f"Transitional housing {short(day(29))} Still there" in text
    assert JOURNEY in text  # their own journey is theirs to have
