"""A survivor's copy of what Bloom holds about them: the page that asks for it, and the PDF read back.

The survivor is the one served in ``tests/cases/service_report_world.serve`` (contacts, a referral,
money, help in kind, housing, a plan with goals), with everything else a record can hold planted
around them: their details, a screening, a safety plan, a release, documents, a stage of change,
a request denied, and other people's details that must never reach the copy.
"""

import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from pypdf import PdfReader

from assistance.models import Category, Fund
from assistance.services import requests as request_services
from bloom import privacy
from bloom.audit.models import AccessLogEntry
from bloom.reports import services as report_services
from bloom.reports.models import ReportJob
from bloom.reports.pdf import render_pdf
from cases import services as case_services
from cases.models import Case, Service
from cases.printouts import PrintedSpecialist
from cases.service_report.sections import PrintedPart
from cases.services.access import set_restriction
from cases.services.contacts import log_contact, record_stage
from cases.services.sharing import add_document, delete_document, record_release
from cases.survivor_copy.casework import CopiedContact
from cases.survivor_copy.printing import KIND, TEMPLATE, copy_context
from cases.survivor_copy.record import CopiedEnrollment, Fact
from tests.bloom.accounts.test_security import assert_strict_page
from tests.cases.service_report_world import (
    BACK_REASON,
    BORN,
    CONTACT_NOTE,
    GOAL_SUMMARY,
    GOAL_WORDS,
    HOUSING_NOTE,
    ITEM_DESCRIPTION,
    LEGAL_NAME,
    ORGANIZATION,
    PHONE,
    PREFERRED_NAME,
    PURPOSE,
    REFERRAL_NOTE,
    SHELTER,
    START,
    TODAY,
    TRANSITIONAL,
    day,
    long,
    serve,
    short,
    without_sensitive,
)
from tests.cases.sharing_files import pdf_upload
from tests.factories import close_case, edit_survivor, form_errors
from tests.printouts import STAFF_NOTE, flat, make_safety_plan, page_texts, pdf_text, set_program_phone

# The survivor's own, printed whoever prints.
ALIAS = "Rosa Dee"
MAILING_ADDRESS = "44 Elm Street, Apt 2, Hartford"
EMERGENCY_CONTACT = "Marta Emergency"
GENDER_WORDS = "a woman, in my own way"
SAFE_CONTACT = "Only after 6 pm; say it is the clinic"
WHERE_IT_HAPPENED = "Waterbury, Connecticut"
RELEASE_PURPOSE = "So the lawyer can help with my T visa"
RELEASE_RECIPIENT = "Ana Lawyer"
DOCUMENT_TITLE = "Passport copy, front page"
REMOVED_TITLE = "Old lease, sent by mistake"
CODE_WORD = "sunflower"
# Other people's details, never printed.
FAMILY_NAME = "Tomas Familia"
FAMILY_WORDS = "my little brother in Bristol"
REFERRING_PERSON = "Rita Referrer"
REFERRING_CONTACT = "rita.referrer@example.org"
PAYEE = "Park Street Apartments LLC"
TRAFFICKER = ("Trafficker still in contact", "Takes earnings", "Withholds documents")
# Staff notes, printed only when asked for by someone who may see sensitive details.
SCREENING_NARRATIVE = "Narrative: she chose to share how the job offer came"
STAGE_NOTE = "Stage note: thinking about the move"
DENIED_REASON = "Denied: the fund for food is spent this month"
DENIED_PURPOSE = "Purpose: groceries for the week"
REMOVAL_REASON = "Removed: it was another family's lease"
STAFF_NOTES = (CONTACT_NOTE, REFERRAL_NOTE, PURPOSE, ITEM_DESCRIPTION, HOUSING_NOTE, BACK_REASON, GOAL_SUMMARY,
               STAFF_NOTE, SCREENING_NARRATIVE, STAGE_NOTE, DENIED_REASON, DENIED_PURPOSE, REMOVAL_REASON,
               "Progress note: kept every appointment")  # fmt: skip
OTHER_PEOPLE = (FAMILY_NAME, FAMILY_WORDS, REFERRING_PERSON, REFERRING_CONTACT, PAYEE, SHELTER, TRANSITIONAL,
                *TRAFFICKER)  # fmt: skip


@dataclass
class Held:
    case: Case


def hold_everything(world) -> Held:
    """The served survivor with everything else a record can hold about them, through the services."""
    served = serve(world)
    case, by = served.case, world.specialist
    edit_survivor(
        case,
        by=by,
        aliases=ALIAS,
        gender="female",
        gender_description=GENDER_WORDS,
        country_of_birth="Honduras",
        mailing_address=MAILING_ADDRESS,
        safe_to_call=True,
        safe_to_text=False,
        safe_contact_notes=SAFE_CONTACT,
        emergency_contact_name=EMERGENCY_CONTACT,
        emergency_contact_relationship="aunt",
        immigration_status="t visa applied",
    )
    case_services.update_case(
        case,
        by=by,
        details={},
        referral={"referral_source": "agency", "referring_person": REFERRING_PERSON,
                  "referring_contact": REFERRING_CONTACT},
    )  # fmt: skip
    case_services.add_family_member(case, by=by, name=FAMILY_NAME, relation="sibling", relationship=FAMILY_WORDS)
    case_services.record_screening(
        case,
        by=by,
        answers={"actions": ["recruits"], "means": ["withheld wages"], "purposes": ["labor"]},
        context={"location": WHERE_IT_HAPPENED, "recruitment_method": "job offer", "trafficker_in_contact": True,
                 "control_methods": ["takes earnings"], "narrative": SCREENING_NARRATIVE},
        sensitive_allowed=True,
    )  # fmt: skip
    make_safety_plan(case, by=by, code_word="an older word")
    make_safety_plan(case, by=by, code_word=CODE_WORD)
    record_release(case, by=by, organization=served.organization, recipient=RELEASE_RECIPIENT,
                   information=["identifying", "case plan"], purpose=RELEASE_PURPOSE, signed_on=START,
                   expires_on=TODAY + timedelta(days=30))  # fmt: skip
    add_document(case, by=by, kind="identification", title=DOCUMENT_TITLE, upload=pdf_upload())
    removed = add_document(case, by=by, kind="other", title=REMOVED_TITLE, upload=pdf_upload())
    delete_document(removed, by=by, reason=REMOVAL_REASON)
    record_stage(case, by=by, stage="preparation", observed_on=day(3), note=STAGE_NOTE)
    food = request_services.ask(
        case,
        by=by,
        details=request_services.RequestDetails(
            fund=Fund.objects.get(), category=Category.FOOD, amount=Decimal("75.00"), payee_kind="vendor",
            payee_name=PAYEE, payee_details="", purpose=DENIED_PURPOSE, needed_by=TODAY + timedelta(days=3),
        ),
    )  # fmt: skip
    request_services.deny(food, by=world.supervisor, reason=DENIED_REASON)
    return Held(case=case)


@pytest.fixture
def held(world) -> Held:
    return hold_everything(world)


def url(case) -> str:
    return reverse("cases:survivor_copy", args=[case.pk])


def ask(client, user, case, capture, **answers):
    """Ask for the copy on its page as ``user``; the response (the queue is captured, not run)."""
    client.force_login(user)
    with capture(execute=False):
        return client.post(url(case), {"language": "en", **answers})


def build(client, user, case, capture, **answers) -> tuple[ReportJob, bytes]:
    """Ask for the copy on its page, build it as the worker would, and download it."""
    response = ask(client, user, case, capture, **answers)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ReportJob.objects.filter(requested_by=user, kind=KIND).latest("created")
    report_services.run_report_job(job.pk)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    download = client.get(reverse("reports:download", args=[job.public_id]))
    assert download.status_code == 200
    return job, b"".join(download.streaming_content)


def text_of(client, user, case, capture, **answers) -> str:
    return flat(pdf_text(build(client, user, case, capture, **answers)[1]))


def present(phrases, text: str) -> list[str]:
    return [phrase for phrase in phrases if phrase in text]


# What it holds ---------------------------------------------------------------------------


def test_the_copy_holds_the_survivors_details_and_records_in_plain_words_and_no_staff_note(
    client, world, held, django_capture_on_commit_callbacks
):
    # One copy read three ways (a PDF costs a second to build): the survivor's details, every
    # kind of record, and no staff note when none was asked for.
    set_program_phone("860-555-0100")

    text = text_of(client, world.specialist, held.case, django_capture_on_commit_callbacks)

    assert f"What we hold about you For {PREFERRED_NAME} Printed on {long(TODAY)}" in text
    expected = [
        f"The name you use {PREFERRED_NAME}",
        f"Your legal name {LEGAL_NAME}",
        f"Other names {ALIAS}",
        f"Date of birth {long(BORN)}",
        f"Gender Female Gender, in your words {GENDER_WORDS}",
        "Country of birth Honduras",
        f"Phone {PHONE}",
        f"Mailing address {MAILING_ADDRESS}",
        "Safe ways to reach you call: yes; leave a message: not asked; text: no; send mail: not asked",
        f"How to reach you safely {SAFE_CONTACT}",
        f"Your emergency contact {EMERGENCY_CONTACT} (aunt)",
        "Immigration status T visa applied for",
        f"Your client code {held.case.survivor.client_code}",
    ]
    assert [line for line in expected if line not in text] == []
    assert "Who to call Sam Specialist, your specialist" in text
    assert "Your program: 860-555-0100" in text

    expected = [
        # The enrollment and the screening's answers.
        "Where it stands Open",
        "Referred by Another agency",
        "Your specialists Sam Specialist",
        f"Screened on {long(TODAY)}",
        "What it showed Labor trafficking What was done Recruiting How Withheld wages For what Labor or services",
        f"Where it happened {WHERE_IT_HAPPENED}",
        "How it started Through a job offer or advertisement",
        # Services given, contacts and referrals, over every day of the enrollment.
        f"Individual counseling 2 {short(day(2))}, {short(day(44))}",
        f"Transportation 2 {short(day(-10))}, {short(day(2))}",
        "Attempt, not reached",
        f"{short(day(9))} To {ORGANIZATION} Immigration legal aid Accepted, {short(day(19))}",
        # Money paid (the food paid before the period too), help in kind, money not paid, housing.
        f"{short(day(30))} Rent $400.00",
        f"{short(day(-20))} Food $100.00",
        f"{short(day(4))} Hygiene kit 2 $50.00",
        f"{short(TODAY)} Food $75.00 Denied",
        f"Emergency shelter {short(day(0))} {short(day(29))} Went to: Transitional housing",
        # The plan: the journey, every goal in the survivor's words, the review, the safety plan.
        f"Heal Moved forward {short(day(14))} {short(day(50))}",
        GOAL_WORDS,
        "Learn to drive",
        "I feel ready to work on healing now.",
        f"Your code word: {CODE_WORD}",
        "He said he would find my sister (0)",
        "We also keep the earlier version of this plan.",
        f"{short(day(3))} Preparation",
        # What they signed, and the list of their documents (never the files).
        f"To {ORGANIZATION}, {RELEASE_RECIPIENT}",
        RELEASE_PURPOSE,
        DOCUMENT_TITLE,
        REMOVED_TITLE,
        f"Identification {short(TODAY)}",
        f"Other {short(TODAY)}",
    ]
    assert [line for line in expected if line not in text] == []
    assert present(STAFF_NOTES, text) == []
    assert "Notes our staff wrote are not in this copy." in text


# Staff notes, other people and sensitive details ----------------------------------------------


def test_staff_notes_ticked_by_someone_who_may_see_them_are_printed_and_other_people_never(
    client, world, held, django_capture_on_commit_callbacks
):
    text = text_of(client, world.specialist, held.case, django_capture_on_commit_callbacks, staff_notes="on")

    # Even with every note a member of staff wrote, no one else's details.
    assert present(OTHER_PEOPLE, text) == []
    assert "Details about other people are theirs, so they are not printed here" in text
    assert [phrase for phrase in STAFF_NOTES if phrase not in text] == []
    assert "Notes our staff wrote about their work with you are included." in text
    assert "Notes our staff wrote are not in this copy." not in text


def test_the_box_is_not_offered_without_the_sensitive_permission_and_a_tick_is_refused(client, world, held):
    clerk = without_sensitive(world, held.case)
    client.force_login(clerk)

    page = client.get(url(held.case))
    response = client.post(url(held.case), {"language": "en", "staff_notes": "on"})

    assert re.search(r'<input type="checkbox" name="staff_notes"[^>]* disabled', page.content.decode())
    assert response.status_code == 200
    assert form_errors(response) == {"staff_notes"}
    assert "Staff notes are printed only by people who may see sensitive details." in response.content.decode()
    assert re.search(r'value="en"[^>]* checked', response.content.decode())
    assert (ReportJob.objects.count(), AccessLogEntry.objects.count()) == (0, 0)


def test_staff_notes_asked_through_the_report_route_without_the_permission_are_refused(client, world, held):
    clerk = without_sensitive(world, held.case)
    client.force_login(clerk)

    response = client.post(
        reverse("reports:request", args=[KIND, held.case.pk]), {"language": "en", "staff_notes": "on"}
    )

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Staff notes are printed only by people who may see sensitive details."
    ]
    assert (ReportJob.objects.count(), AccessLogEntry.objects.count()) == (0, 0)


def test_someone_without_the_sensitive_permission_prints_it_without_sensitive_details(
    client, world, held, django_capture_on_commit_callbacks
):
    clerk = without_sensitive(world, held.case)

    text = text_of(client, clerk, held.case, django_capture_on_commit_callbacks)

    assert present(("T visa applied for", CODE_WORD, "Your safety plan", *STAFF_NOTES), text) == []
    assert (
        "leaves out your immigration status; whether you obtained Continued Presence or a T visa; your safety plan, "
        "if we hold them."
    ) in text
    assert GOAL_WORDS in text


def test_a_job_with_staff_notes_for_someone_who_may_no_longer_see_them_prints_nothing(world, held):
    clerk = without_sensitive(world, held.case)
    job = ReportJob.objects.create(
        kind=KIND, target_id=held.case.pk, parameters={"language": "en", "staff_notes": True}, requested_by=clerk
    )

    report_services.run_report_job(job.pk)

    job.refresh_from_db()
    assert (job.status, job.error, bool(job.file)) == ("failed", "no_access", False)


# Every kind of record of a case, and where the copy prints it or why it does not. A new kind fails
# the test until someone decides (in the app's ``survivor_copy`` module, and here).
ACCOUNTED = {
    "assistance.AssistanceRequest": "Money asked for you, not paid; a paid one with its payment",
    "assistance.HousingPlacement": "Where you stayed (the service report's section), no shelter or landlord named",
    "assistance.InKindItem": "Money and help in kind (the service report's section)",
    "assistance.Payment": "Money and help in kind (the service report's section)",
    "cases.Case": "each enrollment, At a glance; the referring person and a guardian's name left out",
    "cases.Closure": "At a glance: the approved closure's answers; its notes with staff notes",
    "cases.Contact": "Our contacts with you",
    "cases.Document": "Your documents: titles, kinds and dates, never the files",
    "cases.EmergencyAccess": "left out: who covered a crisis and why is about staff; the access log keeps it",
    "cases.FamilyMember": "left out: other people's details",
    "cases.Handoff": "At a glance, with staff notes: the handoff's note",
    "cases.IntakeRequest": "At a glance: when and where they asked for help, and in their words",
    "cases.MandatedReport": "At a glance: its kind and day; its notes with staff notes",
    "cases.Referral": "Referrals (the service report's section)",
    "cases.Release": "Releases of information you signed",
    "cases.SafePerson": "Your safety plan (its latest version)",
    "cases.SafePlace": "Your safety plan (its latest version)",
    "cases.SafetyPlan": "Your safety plan (its latest version; the earlier ones counted)",
    "cases.SafetyRisk": "Your safety plan (its latest version), without the methods of control",
    "cases.Screening": "Your screening answers, every version; not the trafficker's contact or methods",
    "cases.StageObservation": "Stages of change we noted",
    "phases.ActionStep": "Your goals",
    "phases.BudgetLine": "Your budgets",
    "phases.BudgetMonth": "Your budgets",
    "phases.Goal": "Your goals",
    "phases.GoalNote": "Your goals, with staff notes",
    "phases.PhaseReview": "Moving on to the next phase",
    "phases.PhaseStay": "Your journey through the program (the service report's section)",
    "retention.Hold": "left out: a hold is the program's, about a court order or an investigation",
}


def test_every_kind_of_record_of_a_case_is_printed_or_left_out_for_a_reason():
    assert sorted(privacy.label(model) for model, _path in privacy.case_models()) == sorted(ACCOUNTED)


# Which enrollments ------------------------------------------------------------------------


def reenrolled(world, held, *, team=None, specialists=None) -> Case:
    """The survivor's case closed today and the survivor enrolled again, on team B with the outsider
    unless told."""
    close_case(held.case, by=world.specialist, approver=world.supervisor, closed_on=TODAY)
    return case_services.reenroll(held.case, by=world.director, on=TODAY, team=team or world.team_b,
                                  specialists=specialists or [world.outsider])  # fmt: skip


def test_the_copy_covers_every_enrollment_the_person_printing_may_see(
    client, world, held, django_capture_on_commit_callbacks
):
    later = reenrolled(world, held)
    log_contact(later, by=world.outsider, kind="phone", initiated_by="survivor",
                occurred_at=timezone.now(), note="")  # fmt: skip

    mine = text_of(client, world.specialist, held.case, django_capture_on_commit_callbacks)
    theirs = text_of(client, world.outsider, later, django_capture_on_commit_callbacks)
    both = text_of(client, world.director, later, django_capture_on_commit_callbacks)

    first, second = f"Your time with us from {long(held.case.opened_on)}", f"Your time with us since {long(TODAY)}"
    assert (first in mine, second in mine) == (True, False)
    assert (first in theirs, second in theirs) == (False, True)
    assert (first in both, second in both) == (True, True)
    assert both.index(second) < both.index(first)  # the latest first
    assert GOAL_WORDS not in theirs


def test_a_restricted_enrollment_that_does_not_name_the_person_hides_the_survivor(client, world, held):
    later = reenrolled(world, held, team=world.team_a, specialists=[world.colleague])
    set_restriction(later, by=world.supervisor, restricted=True, named=[world.director])
    client.force_login(world.supervisor)

    answers = [client.get(url(held.case)).status_code, client.post(url(held.case), {"language": "en"}).status_code]

    assert answers == [404, 404]
    assert (ReportJob.objects.count(), AccessLogEntry.objects.count()) == (0, 0)


def test_a_restricted_enrollment_is_printed_for_those_it_names(client, world, held, django_capture_on_commit_callbacks):
    later = reenrolled(world, held, team=world.team_a, specialists=[world.specialist])
    set_restriction(later, by=world.supervisor, restricted=True, named=[world.director])

    text = text_of(client, world.specialist, held.case, django_capture_on_commit_callbacks)

    assert f"Your time with us since {long(TODAY)}" in text
    assert f"Your time with us from {long(held.case.opened_on)}" in text


# Language -----------------------------------------------------------------------------------


def test_the_form_starts_in_the_survivors_language_and_the_copy_is_printed_in_it(
    client, world, held, django_capture_on_commit_callbacks
):
    edit_survivor(held.case, by=world.specialist, preferred_language="Español")
    client.force_login(world.specialist)

    page = client.get(url(held.case)).content.decode()
    _job, pdf = build(client, world.specialist, held.case, django_capture_on_commit_callbacks, language="es")

    assert re.search(r'value="es"[^>]* checked', page)
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "es"
    with translation.override("es"):
        assert date_format(TODAY, "DATE_FORMAT") in flat(pdf_text(pdf))  # "18 de noviembre de 2026"


def test_the_copy_is_printed_in_the_language_chosen(client, world, held, django_capture_on_commit_callbacks):
    edit_survivor(held.case, by=world.specialist, preferred_language="Spanish")

    _job, pdf = build(client, world.specialist, held.case, django_capture_on_commit_callbacks, language="en")

    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "en"
    assert "What we hold about you" in flat(pdf_text(pdf))


@pytest.mark.parametrize("language", ["", "fr", "es-MX", "<script>"])
def test_a_language_bloom_does_not_have_is_refused_beside_the_field(client, world, held, language):
    client.force_login(world.specialist)

    response = client.post(url(held.case), {"language": language, "staff_notes": "on"})

    assert response.status_code == 200
    assert form_errors(response) == {"language"}
    assert re.search(r'name="staff_notes"[^>]* checked', response.content.decode())
    assert ReportJob.objects.count() == 0


# The access log, who may print, the page -------------------------------------------------------


def test_printing_and_downloading_are_logged_by_client_code(client, world, held, django_capture_on_commit_callbacks):
    build(client, world.specialist, held.case, django_capture_on_commit_callbacks, staff_notes="on")

    entries = list(AccessLogEntry.objects.order_by("pk").values_list("action", "target_id", "target_label", "reason"))
    code = held.case.survivor.client_code
    reason = 'log.survivor_copy_notes|["en"]'
    assert entries == [("print", held.case.pk, code, reason), ("download", held.case.pk, code, reason)]


@pytest.mark.parametrize("persona", ["colleague", "outsider", "finance", "outreach", "volunteer", "trainer"])
def test_people_who_cannot_see_the_case_get_404(client, world, held, persona):
    client.force_login(world.everyone()[persona])

    answers = [client.get(url(held.case)).status_code, client.post(url(held.case), {"language": "en"}).status_code]
    answers.append(client.post(reverse("reports:request", args=[KIND, held.case.pk]), {"language": "en"}).status_code)

    assert answers == [404, 404, 404]
    assert (ReportJob.objects.count(), AccessLogEntry.objects.count()) == (0, 0)


@pytest.mark.parametrize("persona", ["specialist", "supervisor", "director"])
def test_people_who_see_the_case_may_ask_for_it(client, world, held, persona, django_capture_on_commit_callbacks):
    response = ask(client, world.everyone()[persona], held.case, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert ReportJob.objects.get().requested_by == world.everyone()[persona]
    assert AccessLogEntry.objects.get().action == "print"


def test_an_unknown_case_is_404(client, world):
    client.force_login(world.director)

    assert client.get(reverse("cases:survivor_copy", args=[99999999])).status_code == 404


def test_asking_twice_while_it_is_prepared_queues_one(client, world, held):
    client.force_login(world.specialist)

    client.post(url(held.case), {"language": "en"})
    again = client.post(url(held.case), {"language": "en"}, follow=True)

    assert (ReportJob.objects.count(), AccessLogEntry.objects.count()) == (1, 1)
    assert "This copy is already being prepared." in again.content.decode()
    assert 'hx-trigger="load delay:1s"' in again.content.decode()


def test_the_case_page_links_to_the_copy(client, world, held):
    client.force_login(world.specialist)

    html = client.get(held.case.get_absolute_url()).content.decode()

    assert f'href="{url(held.case)}"' in html


def test_the_page_loads_nothing_inline_or_from_elsewhere(client, world, held):
    client.force_login(world.specialist)

    assert_strict_page(client.get(url(held.case)), url(held.case))


# Query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 6])
def test_the_copy_reads_a_fixed_number_of_queries_however_much_is_recorded(world, size):
    held = hold_everything(world)
    counseling = Service.objects.get(key="individual-counseling")
    for n in range(size):
        log_contact(held.case, by=world.specialist, kind="in person", initiated_by="staff",
                    occurred_at=timezone.make_aware(datetime.combine(day(5 + n), time(11))),
                    services=[counseling], topics=["housing"], note=f"note {n}")  # fmt: skip
        record_stage(held.case, by=world.specialist, stage="action", observed_on=day(6 + n))

    with translation.override("en"), CaptureQueriesContext(connection) as queries:
        context = copy_context(held.case, by=world.specialist, staff_notes=True)

    contacts = next(p.data for p in context["enrollments"][0]["parts"] if p.template.endswith("_contacts.html"))
    assert len(contacts) == 4 + size
    assert len(queries) == COPY_QUERIES, "\n".join(q["sql"][:150] for q in queries)


# Enough for a copy whatever its size: the survivor, the enrollments and the permission checks, then
# each part of each app (a safety plan and goals a few each), and the specialists and the program's phone.
COPY_QUERIES = 34


# The PDF's pages ----------------------------------------------------------------------------


HEADINGS = ("About you", "At a glance", "Our contacts with you", "Releases of information you signed", "Your documents",
            "What this copy leaves out", "Who to call")  # fmt: skip


def copy_of(contacts: int) -> bytes:
    """A copy whose contacts grow by one row with each ``contacts``: what follows them moves down the pages."""
    first = date(2026, 1, 5)
    rows = tuple(
        CopiedContact(
            at=timezone.make_aware(datetime.combine(first + timedelta(days=n), time(10))),
            kind="In person",
            minutes=45,
            topics="Housing, Goals",
            interpreter=False,
            note="",
        )
        for n in range(contacts)
    )
    facts = tuple(Fact(f"Fact {n}", f"Value {n}") for n in range(6))
    parts = (
        PrintedPart("At a glance", "cases/survivor_copy/_enrollment.html", CopiedEnrollment(facts, ()), ""),
        PrintedPart("Our contacts with you", "cases/survivor_copy/_contacts.html", rows, ""),
        PrintedPart("Your documents", "cases/survivor_copy/_documents.html", (), ""),
    )
    context = {
        "name": "Ally",
        "about": facts,
        "enrollments": [{"case": Case(opened_on=first), "parts": parts, "nothing": ()}],
        "left_out": ("Details about other people are theirs.",),
        "staff_notes": False,
        "printed_on": date(2026, 3, 2),
        "specialists": [PrintedSpecialist("Sam Specialist", "sam@example.org")],
        "program_phone": "860-555-0142",
        "language": "en",
    }
    with translation.override("en"):
        return render_pdf(TEMPLATE, context)


def lines_of_each_page(pdf: bytes) -> list[list[str]]:
    """Each page's lines of text, its page number left out."""
    return [
        [line.strip() for line in page.splitlines() if line.strip() and not re.fullmatch(r"\d+ / \d+", line.strip())]
        for page in page_texts(pdf)
    ]


def test_a_heading_never_ends_a_page():
    # The contacts grow one row at a time past the foot of the enrollment's second page: the
    # headings after them (the documents, what is left out, who to call) each reach the foot on
    # the way, and must go over with what they head.
    ended, carried = {}, set()
    for size in range(24, 32):
        for lines in lines_of_each_page(copy_of(size)):
            if lines[-1] in HEADINGS:
                ended[size] = lines[-1]
            if lines[0] in HEADINGS:
                carried.add(lines[0])

    assert ended == {}
    assert carried >= {"Your documents", "What this copy leaves out"}  # the run did cross a page's foot there
