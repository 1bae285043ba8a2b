"""One case's service report: the page that asks for it, and the PDF read back as text.

The survivor of ``tests/cases/service_report_world.serve`` was served over the period in ways
counted here by hand; every narrative written about them is a planted phrase, so the tests
can say exactly when notes appear.
"""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.contrib.staticfiles import finders
from django.urls import reverse
from pypdf import PdfReader

from bloom.audit.models import AccessLogEntry
from bloom.reports import services as report_services
from bloom.reports.models import ReportJob
from cases.models import ProgramSettings
from cases.services.sharing import record_release, revoke_release
from tests.bloom.accounts.test_security import assert_strict_page
from tests.cases.service_report_world import (
    BORN,
    LEGAL_NAME,
    NARRATIVES,
    NEVER,
    ORGANIZATION,
    PHONE,
    PREFERRED_NAME,
    SHELTER,
    START,
    TODAY,
    TRANSITIONAL,
    ask_and_build,
    day,
    long,
    period,
    serve,
    short,
    without_sensitive,
)
from tests.factories import edit_survivor, form_errors
from tests.printouts import flat, pdf_text

KIND = "case_service_report"
NO_RELEASE = f"No active release of information covers {ORGANIZATION}; only the client code is printed."


@pytest.fixture
def served(world):
    return serve(world)


def url(case) -> str:
    return reverse("cases:service_report", args=[case.pk])


def build(client, user, served, capture, **answers) -> str:
    return ask_and_build(client, user, url(served.case), period(**answers), capture)[1]


def planted(text: str) -> list[str]:
    return [phrase for phrase in (*NARRATIVES, *NEVER) if phrase in text]


# What is printed ----------------------------------------------------------------------------


def test_the_report_has_the_services_by_category_with_their_dates_and_counts(
    client, world, served, django_capture_on_commit_callbacks
):
    text = build(client, world.specialist, served, django_capture_on_commit_callbacks)

    # Ticked on contacts, and implied by a referral, a payment, help in kind and two stays;
    # the call before the period (transportation) is left out.
    expected = [
        "Information and referral (1)",
        f"Referral to other services 1 {short(day(9))}",
        "Advocacy and accompaniment (1)",
        f"Transportation 1 {short(day(2))}",
        "Emotional support and safety (3)",
        f"Individual counseling 2 {short(day(2))}, {short(day(44))}",
        f"Emergency financial assistance 1 {short(day(30))}",
        "Shelter and housing (2)",
        f"Emergency shelter or safe house 1 {short(day(0))}",
        f"Transitional housing 1 {short(day(29))}",
        "Basic needs and other help (1)",
        f"Food, clothing or hygiene items 1 {short(day(4))}",
        "In all 8",
    ]
    positions = [text.find(line) for line in expected]
    assert -1 not in positions, [line for line in expected if line not in text]
    assert positions == sorted(positions)


def test_the_report_has_contacts_referrals_money_stays_journey_and_goals(
    client, world, served, django_capture_on_commit_callbacks
):
    text = build(client, world.specialist, served, django_capture_on_commit_callbacks)

    last = TODAY - timedelta(days=16)
    assert "Contacts Reached the survivor 2 Attempts, not reached 1" in text
    assert f"The last one {long(last)} (Attempt, not reached)" in text
    assert f"{short(day(9))} To {ORGANIZATION} Immigration legal aid Accepted, {short(day(19))}" in text
    assert f"{short(day(30))} Rent $400.00 Paid in all $400.00" in text  # the food paid before is left out
    assert f"{short(day(4))} Hygiene kit 2 $50.00 Value in all $50.00" in text
    assert f"Emergency shelter {SHELTER} {short(day(0))} {short(day(29))} Went to: Transitional housing" in text
    assert f"Transitional housing {TRANSITIONAL} {short(day(29))} Still there" in text
    assert f"Heal Moved forward {short(day(14))} {short(day(50))}" in text
    assert f"Strengthen Moved back {short(day(50))} Now" in text
    assert f"Goals achieved Area of life Achieved on Housing {short(TODAY)}" in text
    assert "Education" not in text  # achieved before the period


def test_an_internal_copy_names_the_survivor_and_says_whom_it_is_for(
    client, world, served, django_capture_on_commit_callbacks
):
    text = build(client, world.specialist, served, django_capture_on_commit_callbacks)

    assert f"From {long(START)} to {long(TODAY)}" in text
    assert "Prepared for: internal use" in text
    assert f"Name {PREFERRED_NAME} (legal name: {LEGAL_NAME})" in text
    assert f"Date of birth {long(BORN)}" in text
    assert PHONE in text
    assert served.case.survivor.client_code in text
    assert "Team A: Sam Specialist" in text
    assert f"Printed on {long(TODAY)} by Sam Specialist." in text


# Notes ------------------------------------------------------------------------------------


def test_without_notes_no_narrative_is_printed(client, world, served, django_capture_on_commit_callbacks):
    text = build(client, world.specialist, served, django_capture_on_commit_callbacks)

    assert planted(text) == []
    assert "Notes are included" not in text


def test_with_notes_ticked_by_someone_who_may_see_sensitive_details_the_notes_are_printed(
    client, world, served, django_capture_on_commit_callbacks
):
    text = build(client, world.specialist, served, django_capture_on_commit_callbacks, notes="on")

    assert [phrase for phrase in NARRATIVES if phrase not in text] == []
    assert [phrase for phrase in NEVER if phrase in text] == []  # before the period, or never a note
    assert "Notes are included." in text


def test_notes_are_refused_beside_the_field_without_the_sensitive_permission(client, world, served):
    clerk = without_sensitive(world, served.case)
    client.force_login(clerk)

    page = client.get(url(served.case))
    response = client.post(url(served.case), period(notes="on"))

    assert re.search(r'<input type="checkbox" name="notes"[^>]* disabled', page.content.decode())
    assert response.status_code == 200
    assert form_errors(response) == {"notes"}
    assert "Notes are printed only for people who may see sensitive details." in response.content.decode()
    assert (ReportJob.objects.count(), AccessLogEntry.objects.count()) == (0, 0)


def test_someone_without_the_sensitive_permission_prints_without_notes(
    client, world, served, django_capture_on_commit_callbacks
):
    clerk = without_sensitive(world, served.case)

    text = build(client, clerk, served, django_capture_on_commit_callbacks)

    assert planted(text) == []
    assert f"Individual counseling 2 {short(day(2))}, {short(day(44))}" in text


def test_notes_asked_through_the_report_route_without_the_permission_are_refused_and_not_logged(client, world, served):
    clerk = without_sensitive(world, served.case)
    client.force_login(clerk)

    response = client.post(reverse("reports:request", args=[KIND, served.case.pk]), period(notes="on"))

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Notes are printed only for people who may see sensitive details."
    ]
    assert (ReportJob.objects.count(), AccessLogEntry.objects.count()) == (0, 0)


def test_a_job_with_notes_for_someone_who_may_no_longer_see_them_prints_nothing(world, served):
    clerk = without_sensitive(world, served.case)
    parameters = {"start": START.isoformat(), "end": TODAY.isoformat(), "notes": True,
                  "audience": "internal", "organization": ""}  # fmt: skip
    job = ReportJob.objects.create(kind=KIND, target_id=served.case.pk, parameters=parameters, requested_by=clerk)

    report_services.run_report_job(job.pk)

    job.refresh_from_db()
    assert (job.status, job.error, bool(job.file)) == ("failed", "no_access", False)


# For an organization -----------------------------------------------------------------------


def answers_for(served, **more) -> dict:
    return {"audience": "organization", "organization": served.organization.pk, **more}


def test_for_an_organization_without_a_release_only_the_client_code_is_printed_and_why(
    client, world, served, django_capture_on_commit_callbacks
):
    text = build(client, world.specialist, served, django_capture_on_commit_callbacks, **answers_for(served))

    identifying = [LEGAL_NAME, PREFERRED_NAME, long(BORN), PHONE, SHELTER, TRANSITIONAL]
    assert [value for value in identifying if value in text] == []
    assert served.case.survivor.client_code in text
    assert f"Prepared for: {ORGANIZATION}" in text
    assert NO_RELEASE in text
    assert f"Individual counseling 2 {short(day(2))}, {short(day(44))}" in text


def test_the_page_says_why_before_printing_for_an_organization_without_a_release(client, world, served):
    client.force_login(world.specialist)

    chosen = {"audience": "organization", "organization": served.organization.pk}
    asked = client.get(url(served.case), chosen, headers={"HX-Request": "true"})
    elsewhere = client.get(url(served.case), {**chosen, "audience": "internal"}, headers={"HX-Request": "true"})
    after = client.post(url(served.case), period(**answers_for(served)), follow=True)

    assert NO_RELEASE in asked.content.decode()
    assert b"<html" not in asked.content
    assert elsewhere.content.decode() == '<div id="release-notice" aria-live="polite"></div>'
    assert NO_RELEASE in after.content.decode()


def test_for_an_organization_with_an_active_release_the_survivor_is_named(
    client, world, served, django_capture_on_commit_callbacks
):
    record_release(served.case, by=world.specialist, organization=served.organization, recipient="",
                   information=["identifying", "case plan"], purpose="Legal help", signed_on=START,
                   expires_on=TODAY + timedelta(days=30))  # fmt: skip
    client.force_login(world.specialist)
    chosen = {"audience": "organization", "organization": served.organization.pk}
    page = client.get(url(served.case), chosen, headers={"HX-Request": "true"})

    text = build(client, world.specialist, served, django_capture_on_commit_callbacks, **answers_for(served))

    assert NO_RELEASE not in page.content.decode()
    assert f"Name {PREFERRED_NAME} (legal name: {LEGAL_NAME})" in text
    assert f"Date of birth {long(BORN)}" in text
    assert SHELTER in text
    assert NO_RELEASE not in text


@pytest.mark.parametrize("how", ["revoked", "without identifying information", "for another organization"])
def test_a_release_that_does_not_cover_the_organization_today_names_no_one(
    client, world, served, how, django_capture_on_commit_callbacks
):
    other = type(served.organization).objects.create(name="Another partner")
    release = record_release(
        served.case,
        by=world.specialist,
        organization=other if how == "for another organization" else served.organization,
        recipient="",
        information=["case plan"] if how == "without identifying information" else ["identifying"],
        purpose="Legal help",
        signed_on=START,
        expires_on=TODAY + timedelta(days=30),
    )
    if how == "revoked":
        revoke_release(release, by=world.specialist, on=TODAY, note="")

    text = build(client, world.specialist, served, django_capture_on_commit_callbacks, **answers_for(served))

    assert LEGAL_NAME not in text
    assert NO_RELEASE in text


def test_notes_for_an_organization_without_a_release_are_refused(client, world, served):
    client.force_login(world.specialist)

    response = client.post(url(served.case), period(**answers_for(served), notes="on"))

    assert form_errors(response) == {"notes"}
    assert ReportJob.objects.count() == 0


def test_an_organization_must_be_chosen_from_the_directory(client, world, served):
    client.force_login(world.specialist)

    missing = client.post(url(served.case), period(audience="organization"))
    unknown = client.post(url(served.case), period(audience="organization", organization="999999999"))

    assert form_errors(missing) == form_errors(unknown) == {"organization"}
    assert "Choose the organization the report is for." in missing.content.decode()
    assert ReportJob.objects.count() == 0


# The survivor's own copy -------------------------------------------------------------------


def test_the_survivors_own_copy_names_them_as_they_ask_and_carries_the_programs_phone(
    client, world, served, django_capture_on_commit_callbacks
):
    ProgramSettings.objects.update_or_create(pk=1, defaults={"phone": "860-555-0100"})

    text = build(client, world.specialist, served, django_capture_on_commit_callbacks, audience="survivor")

    assert f"The services you received For {PREFERRED_NAME}" in text
    assert "Your program: 860-555-0100" in text
    assert "Sam Specialist, your specialist" in text
    assert [value for value in (LEGAL_NAME, long(BORN), PHONE, "Confidential", "internal use") if value in text] == []
    assert planted(text) == []


def test_the_survivors_own_copy_without_a_program_phone_leaves_the_line_out(
    client, world, served, django_capture_on_commit_callbacks
):
    text = build(client, world.specialist, served, django_capture_on_commit_callbacks, audience="survivor")

    assert "Your program" not in text


def test_the_survivors_own_copy_is_in_their_language(client, world, served, django_capture_on_commit_callbacks):
    edit_survivor(served.case, by=world.specialist, preferred_language="Español")
    client.force_login(world.specialist)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(url(served.case), period(audience="survivor"))
    job = ReportJob.objects.get()
    report_services.run_report_job(job.pk)
    job.refresh_from_db()

    data = job.file.read()

    assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/Lang"] == "es"
    assert " de noviembre de " in flat(pdf_text(data))


# The access log --------------------------------------------------------------------------


def test_printing_and_downloading_are_logged_with_whom_the_report_was_for(
    client, world, served, django_capture_on_commit_callbacks
):
    build(client, world.specialist, served, django_capture_on_commit_callbacks, **answers_for(served), notes="")

    entries = list(AccessLogEntry.objects.order_by("pk").values_list("action", "target_id", "target_label", "reason"))
    code = served.case.survivor.client_code
    whom = f"{ORGANIZATION} (#{served.organization.pk})"
    reason = f'log.service_report_organization|["{START}","{TODAY}","{whom}"]'
    assert entries == [("print", served.case.pk, code, reason), ("download", served.case.pk, code, reason)]


@pytest.mark.parametrize(
    ("answers", "code"),
    [({"audience": "survivor"}, "log.service_report_own"), ({"notes": "on"}, "log.service_report_internal_notes")],
)
def test_the_access_log_says_the_survivors_own_copy_or_internal_use(client, world, served, answers, code):
    client.force_login(world.specialist)

    client.post(url(served.case), period(**answers))

    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.reason) == ("print", f'{code}|["{START}","{TODAY}"]')


# Who may print ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["colleague", "outsider", "finance", "outreach", "volunteer", "trainer"])
def test_people_who_cannot_see_the_case_get_404(client, world, served, persona):
    client.force_login(world.everyone()[persona])

    answers = [client.get(url(served.case)).status_code, client.post(url(served.case), period()).status_code]
    answers.append(client.post(reverse("reports:request", args=[KIND, served.case.pk]), period()).status_code)

    assert answers == [404, 404, 404]
    assert (ReportJob.objects.count(), AccessLogEntry.objects.count()) == (0, 0)


@pytest.mark.parametrize("persona", ["specialist", "supervisor", "director"])
def test_people_who_see_the_case_may_ask_for_it(client, world, served, persona):
    client.force_login(world.everyone()[persona])

    response = client.post(url(served.case), period())

    assert response.status_code == 302
    assert ReportJob.objects.get().requested_by == world.everyone()[persona]


def test_an_unknown_case_is_404(client, world):
    client.force_login(world.director)

    assert client.get(reverse("cases:service_report", args=[99999999])).status_code == 404


# The page ---------------------------------------------------------------------------------


def test_after_asking_the_page_shows_the_job_and_what_was_asked(client, world, served):
    client.force_login(world.specialist)

    response = client.post(url(served.case), period(audience="survivor", start=day(3).isoformat()), follow=True)

    html = response.content.decode()
    job = ReportJob.objects.get()
    assert f'id="job-{job.public_id}"' in html
    assert 'hx-trigger="load delay:1s"' in html
    assert f'value="{day(3).isoformat()}"' in html
    assert f"The survivor&#x27;s own copy, from {long(day(3))} to {long(TODAY)}" in html
    assert re.search(r'value="survivor"[^>]* checked', html)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The report is being prepared. It is shown here when it is ready."
    ]


def test_asking_twice_while_it_is_prepared_queues_one(client, world, served):
    client.force_login(world.specialist)

    client.post(url(served.case), period())
    again = client.post(url(served.case), period(), follow=True)

    assert ReportJob.objects.count() == 1
    assert AccessLogEntry.objects.count() == 1
    assert "This report is already being prepared." in again.content.decode()


def test_the_case_page_links_to_the_service_report(client, world, served):
    client.force_login(world.specialist)

    html = client.get(served.case.get_absolute_url()).content.decode()

    assert f'href="{url(served.case)}"' in html


def test_the_form_starts_with_the_last_three_months_and_internal_use(client, world, served):
    client.force_login(world.specialist)

    html = client.get(url(served.case)).content.decode()

    assert f'name="end" value="{TODAY.isoformat()}"' in html
    assert f'name="start" value="{(TODAY - timedelta(days=91)).isoformat()}"' in html
    assert re.search(r'value="internal"[^>]* checked', html)


# Bad periods ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (TODAY + timedelta(days=1), TODAY, "start", "A service report covers what was given up to"),
        (START, TODAY + timedelta(days=1), "end", "A service report covers what was given up to"),
        (TODAY, START, "end", "The period ends before it starts."),
        (TODAY - timedelta(days=5 * 366), TODAY, "end", "Choose a period of at most five years."),
        ("1999-12-31", START, "start", "Enter a date from"),
        ("2026-02-30", TODAY, "start", "Enter a date, like"),
        ("", TODAY, "start", "Enter the first day."),
    ],
)
def test_a_bad_period_is_refused_beside_its_field_and_nothing_is_lost(
    client, world, served, start, end, field, message
):
    client.force_login(world.specialist)
    answers = period(start=str(start), end=str(end), audience="survivor")

    response = client.post(url(served.case), answers)

    html = response.content.decode()
    assert response.status_code == 200
    assert form_errors(response) == {field}
    assert message in html
    assert f'value="{start}"' in html or not start
    assert re.search(r'value="survivor"[^>]* checked', html)
    assert (ReportJob.objects.count(), AccessLogEntry.objects.count()) == (0, 0)


def test_a_bad_period_through_the_report_route_is_a_clear_message(client, world, served):
    client.force_login(world.specialist)

    response = client.post(
        reverse("reports:request", args=[KIND, served.case.pk]),
        period(start=TODAY.isoformat(), end=START.isoformat()),
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 422
    assert "The period ends before it starts." in response.content.decode()
    assert ReportJob.objects.count() == 0


# The PDF's pages --------------------------------------------------------------------------


def test_the_stylesheet_keeps_rows_whole_and_leaves_no_lone_line():
    css = Path(finders.find("css/pdf_service_report.css")).read_text()

    assert "orphans: 3;\n  widows: 3;" in css
    assert re.search(r"\.sr-table tr,\s*\.sr-facts tr \{\s*break-inside: avoid;", css)
    assert re.search(r"\.sr-case \+ \.sr-case \{\s*break-before: page;", css)


def test_the_page_loads_nothing_inline_or_from_elsewhere(client, world, served):
    client.force_login(world.specialist)

    assert_strict_page(client.get(url(served.case)), url(served.case))
