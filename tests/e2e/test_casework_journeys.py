"""The daily case work, as people do it in a real browser: contacts, documents, closure, emergency access."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bloom.audit.models import AccessLogEntry
from bloom.notifications.models import Notification
from cases.models import Case, Closure, Contact, ServiceEvent
from tests.cases.sharing_files import HTML, pdf_bytes


@pytest.mark.clock
def test_specialist_logs_a_contact_and_finds_it_on_the_case_and_its_timeline(e2e_world, open_browser):
    case = e2e_world.case_a
    now = timezone.localtime().replace(second=0, microsecond=0)
    # Forty minutes ago, or midnight if that was yesterday; worked out in UTC, as local time can skip an hour.
    forty_minutes_ago = timezone.localtime(timezone.now() - timedelta(minutes=40)).replace(second=0, microsecond=0)
    occurred = max(forty_minutes_ago, now.replace(hour=0, minute=0))
    note = "Talked through the lease; she wants to visit the apartment on Friday."
    browser = open_browser("specialist")
    page = browser.page
    browser.sign_in(e2e_world.specialist)

    page.get_by_role("link", name="Cases", exact=True).first.click()
    browser.look("case-list")
    page.get_by_role("link", name=case.survivor.client_code).click()
    browser.look("case-detail")
    contacts_card = page.get_by_role("region", name="Contacts")
    expect(contacts_card).to_contain_text("No contact yet")
    contacts_card.get_by_role("link", name="Log a contact").click()
    browser.look("log-contact")
    page.get_by_label("Phone", exact=True).check()
    page.get_by_label("Date and time").fill(occurred.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Duration in minutes").fill("35")
    page.get_by_label("The survivor").check()
    page.get_by_label("Housing", exact=True).check()
    page.get_by_label("Safety", exact=True).check()
    page.get_by_label("Note").fill(note)
    page.get_by_role("button", name="Save contact").click()
    page.wait_for_url(f"**{case.get_absolute_url()}")
    browser.look("contact-saved")

    expect(page.get_by_role("status")).to_contain_text("Contact saved: Phone.")
    contacts_card = page.get_by_role("region", name="Contacts")
    expect(contacts_card).to_contain_text("(today)")
    expect(contacts_card).to_contain_text("35 minutes")
    expect(contacts_card).to_contain_text("Safety, Housing")
    expect(contacts_card).to_contain_text(note)
    page.get_by_role("link", name="Timeline").click()
    browser.look("timeline")
    entry = page.locator(".timeline__entry", has_text="Contact: Phone")
    expect(entry).to_contain_text(note)
    expect(entry).to_contain_text("Topics: Safety, Housing")
    expect(entry).to_contain_text("Sam Specialist")

    contact = Contact.objects.get(case=case)
    assert (contact.kind, contact.duration_minutes, contact.initiated_by, contact.note) == (
        "phone",
        35,
        "survivor",
        note,
    )
    assert (sorted(contact.topics), timezone.localtime(contact.occurred_at), contact.recorded_by) == (
        ["housing", "safety"],
        occurred,
        e2e_world.specialist,
    )


def test_specialist_ticks_two_services_on_a_new_contact_and_sees_them_listed(e2e_world, open_browser):
    case = e2e_world.case_a
    browser = open_browser("specialist")
    page = browser.page
    browser.sign_in(e2e_world.specialist)

    page.get_by_role("link", name="Cases", exact=True).first.click()
    browser.look("case-list")
    page.get_by_role("link", name=case.survivor.client_code).click()
    browser.look("case-detail")
    page.get_by_role("region", name="Contacts").get_by_role("link", name="Log a contact").click()
    browser.look("log-contact-with-services")
    services = page.get_by_role("group", name="Services given")
    more = services.locator("details", has_text="More services")
    expect(more).not_to_have_attribute("open", "")
    # Two taps: a usual service in sight, and one under "More services".
    services.get_by_label("Transportation", exact=True).check()
    more.locator("summary").click()
    browser.look("more-services-open")
    services.get_by_label("Support group", exact=True).check()
    page.get_by_role("group", name="Was an interpreter used?").get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Save contact").click()
    page.wait_for_url(f"**{case.get_absolute_url()}")
    browser.look("contact-with-services-saved")

    expect(page.get_by_role("status")).to_contain_text("Contact saved: Phone.")
    page.get_by_role("region", name="Contacts").get_by_role("link", name="See all contacts").click()
    browser.look("contacts-with-services")
    row = page.get_by_role("row").filter(has_text="Support group")
    expect(row).to_contain_text("Support group, Transportation")
    expect(row).to_contain_text("With an interpreter")

    contact = Contact.objects.get(case=case)
    assert contact.interpreter_used is True
    assert sorted(
        ServiceEvent.objects.filter(contact=contact).values_list("service__key", "provided_on", "recorded_by")
    ) == [
        ("support-group", timezone.localdate(contact.occurred_at), e2e_world.specialist.pk),
        ("transportation", timezone.localdate(contact.occurred_at), e2e_world.specialist.pk),
    ]


def test_specialist_uploads_a_pdf_downloads_the_same_bytes_and_is_refused_a_disguised_page(e2e_world, open_browser):
    case = e2e_world.case_a
    pdf = pdf_bytes()
    browser = open_browser("specialist")
    page = browser.page
    browser.sign_in(e2e_world.specialist)

    page.get_by_role("link", name="Cases", exact=True).first.click()
    browser.look("case-list")
    page.get_by_role("link", name=case.survivor.client_code).click()
    browser.look("case-detail")
    page.get_by_role("link", name="Add a document").click()
    browser.look("add-document")
    page.get_by_label("Type").select_option(label="Identification")
    page.get_by_label("Description").fill("State ID")
    page.get_by_label("File").set_input_files({"name": "state-id.pdf", "mimeType": "application/pdf", "buffer": pdf})
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(f"**{case.get_absolute_url()}")
    browser.look("document-kept")

    expect(page.get_by_role("status")).to_contain_text("The document is kept with the case.")
    documents = page.get_by_role("region", name="Documents")
    expect(documents).to_contain_text("Identification")
    with page.expect_download() as download_info:
        documents.get_by_role("link", name="State ID", exact=True).click()
    download = download_info.value
    saved = browser.folder / "downloaded.pdf"
    download.save_as(saved)
    assert download.suggested_filename == "state-id.pdf"
    assert saved.read_bytes() == pdf
    assert list(
        AccessLogEntry.objects.filter(action=AccessLogEntry.Action.DOWNLOAD).values_list("user", "target_label")
    ) == [(e2e_world.specialist.pk, case.survivor.client_code)]

    documents.get_by_role("link", name="Add a document").click()
    browser.look("add-another-document")
    page.get_by_label("Type").select_option(label="Letter")
    page.get_by_label("Description").fill("Lease letter")
    page.get_by_label("File").set_input_files({"name": "lease.pdf", "mimeType": "application/pdf", "buffer": HTML})
    page.get_by_role("button", name="Upload").click()
    page.wait_for_load_state()
    browser.look("disguised-page-refused")

    expect(page.locator("main")).to_contain_text("This file is not a PDF, although its name ends in .pdf.")
    expect(page.get_by_label("Type")).to_have_value("letter")
    expect(page.get_by_label("Description")).to_have_value("Lease letter")
    assert list(case.documents.values_list("title", flat=True)) == ["State ID"]


def test_a_closure_asked_for_by_the_specialist_is_approved_by_the_supervisor(e2e_world, open_browser):
    case = e2e_world.case_a
    specialist = open_browser("specialist")
    page = specialist.page
    specialist.sign_in(e2e_world.specialist)

    page.get_by_role("link", name="Cases", exact=True).first.click()
    specialist.look("case-list")
    page.get_by_role("link", name=case.survivor.client_code).click()
    specialist.look("case-detail")
    page.get_by_role("link", name="Ask to close the case", exact=True).click()
    specialist.look("ask-to-close")
    page.get_by_label("Reason for closing").select_option(label="Goals met")
    page.get_by_label("Closing date").fill(timezone.localdate().isoformat())
    page.get_by_label("Living situation at closure").select_option(label="With family or friends")
    page.get_by_label("Continued Presence or T visa obtained").select_option(label="Neither")
    page.get_by_label("HHS certification or eligibility letter").select_option(label="Not applicable")
    page.get_by_label("Closing summary").fill("She has a lease and a job; we agreed she can call any time.")
    page.get_by_role("button", name="Send for approval").click()
    page.wait_for_url(f"**{case.get_absolute_url()}")
    specialist.look("closure-asked")

    expect(page.get_by_role("status")).to_contain_text("The case stays open until a supervisor approves it.")
    closure_card = page.get_by_role("region", name="Closure and enrollments")
    expect(closure_card).to_contain_text("Waiting for approval")
    expect(closure_card).to_contain_text("Goals met")

    supervisor = open_browser("supervisor")
    boss = supervisor.page
    supervisor.sign_in(e2e_world.supervisor)
    boss.get_by_role("link", name="1 closure is waiting for your approval").click()
    supervisor.look("closure-queue")
    row = boss.get_by_role("row", name=case.survivor.client_code)
    expect(row).to_contain_text("Sam Specialist")
    row.get_by_role("link", name="Approve or return").click()
    supervisor.look("decide-closure")
    expect(boss.get_by_role("region", name="What was asked")).to_contain_text("With family or friends")
    boss.get_by_label("Approve: close the case").check()
    boss.get_by_role("button", name="Record my decision").click()
    boss.wait_for_url(f"**{case.get_absolute_url()}")
    supervisor.look("closure-approved")

    expect(boss.get_by_role("status")).to_contain_text("Closure approved. The case is closed.")
    expect(boss.get_by_role("region", name="Case")).to_contain_text("Closed")
    page.reload()
    specialist.look("case-closed")
    expect(page.get_by_role("region", name="Closure and enrollments")).to_contain_text("Approved by")
    expect(page.get_by_role("link", name="Ask to close the case", exact=True)).to_have_count(0)

    case.refresh_from_db()
    closure = Closure.objects.get(case=case)
    assert (case.status, case.closed_on) == (Case.Status.CLOSED, timezone.localdate())
    assert (closure.status, closure.requested_by, closure.decided_by) == (
        Closure.Status.APPROVED,
        e2e_world.specialist,
        e2e_world.supervisor,
    )
    assert (closure.reason, closure.living_situation, closure.immigration_relief) == (
        "goals met",
        "family or friends",
        "neither",
    )


def test_an_outsider_opens_a_case_in_an_emergency_and_its_supervisor_is_told(e2e_world, open_browser):
    case = e2e_world.case_a
    code = case.survivor.client_code
    outsider = open_browser("outsider")
    page = outsider.page
    outsider.sign_in(e2e_world.outsider)

    page.get_by_role("link", name="Cases", exact=True).first.click()
    outsider.look("case-list")
    expect(page.locator("main")).not_to_contain_text(code)
    page.get_by_role("link", name="Emergency access").click()
    outsider.look("emergency-access")
    page.get_by_label("Client code").fill(code.lower())
    page.get_by_label("Why you need to open this case now").fill(
        "She called the hotline from a hospital; her specialist is not answering."
    )
    page.get_by_role("button", name="Open the case").click()
    page.wait_for_url(f"**{case.get_absolute_url()}")
    outsider.look("case-in-emergency")

    banner = page.get_by_role("region", name="You are using emergency access")
    expect(banner).to_contain_text("her specialist is not answering")
    expect(page.get_by_role("status")).to_contain_text("the case's supervisors have been told.")
    until = re.search(r"emergency access until (.+?);", page.get_by_role("status").inner_text()).group(1)
    expect(banner).to_contain_text(f"You may see and work on it until {until};")
    expect(page.locator("h1")).to_contain_text(code)

    supervisor = open_browser("supervisor")
    boss = supervisor.page
    supervisor.sign_in(e2e_world.supervisor)
    boss.locator("summary", has_text="Notifications").click()
    notice = boss.get_by_role("button", name=f"Otto Outsider opened {code} under emergency access.")
    expect(notice).to_be_visible()
    supervisor.look("notification-open")
    notice.click()
    boss.wait_for_url(f"**/cases/{case.pk}/access-log/")
    supervisor.look("access-log")
    expect(boss.locator("main")).to_contain_text("her specialist is not answering")

    assert list(
        Notification.objects.filter(kind=Notification.Kind.EMERGENCY_ACCESS).values_list("recipient", flat=True)
    ) == [e2e_world.supervisor.pk]
    assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.EMERGENCY, user=e2e_world.outsider).count() == 1
