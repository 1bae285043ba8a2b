"""A supervisor's Monday in a real browser: the team dashboard, the list of exactly the cases no one
has reached, and the team's service report prepared by the real worker and read back.

At 1280 px and at 360 px, no page of the journey scrolls sideways.
"""

from datetime import datetime, time, timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from bloom.audit.models import AccessLogEntry
from cases.models import Contact
from cases.services import contacts as contact_services
from tests.factories import make_case

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def monday(e2e_world):
    """Team A: Alma, enrolled 40 days ago and never reached (overdue), and Cleo, reached yesterday."""
    world = e2e_world
    today = timezone.localdate()
    case = world.case_a
    case.opened_on = case.decided_on = today - timedelta(days=40)
    case.save(update_fields=["opened_on", "decided_on"])
    # Saved past the services, so the due day stored on the case is worked out again here, in
    # a transaction as the services do (it locks the case's row).
    with transaction.atomic():
        contact_services.store_last_contact(case)
    reached = make_case(
        team=world.team_a,
        specialists=[world.specialist],
        legal_name="Cleo Gamma",
        opened_on=today - timedelta(days=40),
    )
    contact_services.log_contact(
        reached,
        by=world.specialist,
        kind=Contact.Kind.PHONE,
        occurred_at=timezone.make_aware(datetime.combine(today - timedelta(days=1), time(10))),
        initiated_by=Contact.Initiator.STAFF,
    )
    return world, reached


def assert_fits(browser, label: str) -> None:
    browser.look(label)
    assert browser.page.evaluate(NO_SIDEWAYS_SCROLL), f"{label} scrolls sideways at {browser.page.viewport_size}"


def test_a_supervisor_follows_contacts_overdue_and_prints_the_teams_service_report(monday, open_browser, celery_worker):
    world, reached = monday
    worker, log = celery_worker
    supervisor = open_browser("supervisor")
    page = supervisor.page
    supervisor.sign_in(world.supervisor)
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    # 1. From home to the team dashboard, and from its "Contact overdue" count to those cases.
    page.get_by_role("link", name="Open the team dashboard").click()
    assert_fits(supervisor, "team-dashboard")
    caseload = page.get_by_role("table", name="Caseload by specialist")
    whole_team = caseload.get_by_role("row").filter(has_text="The whole team")
    whole_team.get_by_role("link", name="Contact overdue").click()
    assert_fits(supervisor, "contacts-overdue")
    listed = page.locator("#results tbody tr")
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text(world.case_a.survivor.client_code)
    expect(page.locator("#results")).not_to_contain_text(reached.survivor.client_code)

    # 2. The team's service report, for the last 60 days, prepared by the worker.
    page.go_back()
    page.wait_for_load_state()
    supervisor.look("team-dashboard-again")
    page.get_by_role("link", name="Service report for Team A").click()
    assert_fits(supervisor, "team-service-report")
    today = timezone.localdate()
    page.get_by_role("textbox", name="From").fill((today - timedelta(days=60)).isoformat())
    page.get_by_role("textbox", name="To").fill(today.isoformat())
    page.get_by_role("button", name="Prepare the team's service report").click()
    page.wait_for_load_state()
    supervisor.look("team-report-asked")
    download_link = page.get_by_role("link", name="Download PDF")
    try:
        expect(download_link).to_be_visible(timeout=60_000)
    except AssertionError as not_ready:
        raise AssertionError(f"worker log:\n{log.read_text()[-3000:]}") from not_ready
    assert_fits(supervisor, "team-report-ready")
    with page.expect_download() as pdf_download:
        download_link.click()
    pdf = supervisor.folder / "team-service-report.pdf"
    pdf_download.value.save_as(pdf)
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages]
    # One page per case of the team, each naming its survivor by client code.
    assert len(pages) == 2
    assert all(
        any(code in p for p in pages) for code in (world.case_a.survivor.client_code, reached.survivor.client_code)
    )
    assert AccessLogEntry.objects.filter(user=world.supervisor, action=AccessLogEntry.Action.DOWNLOAD).count() == 1
    assert worker.poll() is None


@pytest.mark.parametrize("phone", [False, True], ids=["1280px", "360px"])
def test_the_dashboards_and_the_filtered_list_fit_the_screen(monday, open_browser, phone):
    world, _reached = monday
    supervisor = open_browser("supervisor", phone=phone)
    supervisor.sign_in(world.supervisor)
    assert supervisor.page.evaluate(NO_SIDEWAYS_SCROLL)
    for path, label in (
        ("/reports/teams/", "team-dashboard"),
        (f"/cases/?team={world.team_a.pk}&needs=contact_overdue&sort=-name", "filtered-list"),
        (f"/cases/teams/{world.team_a.pk}/service-report/", "team-service-report"),
        (f"/cases/{world.case_a.pk}/service-report/", "case-service-report"),
    ):
        supervisor.goto(path, label)
        assert supervisor.page.evaluate(NO_SIDEWAYS_SCROLL), f"{label} scrolls sideways"
    director = open_browser("director", phone=phone)
    director.sign_in(world.director)
    director.goto("/reports/dashboard/", "program-dashboard")
    assert director.page.evaluate(NO_SIDEWAYS_SCROLL), "the program dashboard scrolls sideways"
