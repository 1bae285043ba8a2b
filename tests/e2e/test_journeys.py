"""The day's main paths, as people take them in a real browser."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from bloom.notifications.models import Notification
from cases.models import Case
from tests.factories import make_town


def test_specialist_takes_an_adult_from_intake_to_an_open_case_and_its_face_sheet(
    e2e_world, open_browser, celery_worker
):
    worker, log = celery_worker
    make_town("Hartford")
    browser = open_browser("specialist")
    page = browser.page
    browser.sign_in(e2e_world.specialist)

    page.get_by_role("link", name="Cases", exact=True).first.click()
    browser.look("case-list")
    page.get_by_role("link", name="New intake").click()
    browser.look("new-intake")
    page.get_by_label("Referred by").select_option(label="National Human Trafficking Hotline")
    page.get_by_label("Legal name").fill("Noor Haddad")
    page.get_by_label("Preferred name").fill("Noor")
    page.get_by_label("Date of birth").fill("1998-04-17")
    page.get_by_label("Town of residence").select_option(label="Hartford")
    page.get_by_label("Middle Eastern or North African").check()
    page.get_by_label("Safe to call").select_option(label="Yes")
    page.get_by_role("button", name="Save intake").click()
    page.wait_for_url("**/cases/*/")
    browser.look("intake-saved")
    expect(page.get_by_role("heading", name="Intake in progress")).to_be_visible()

    page.get_by_role("link", name="Screen for trafficking").first.click()
    browser.look("screening")
    page.get_by_label("Recruiting").check()
    page.get_by_label("Confinement").check()
    page.get_by_label("A commercial sex act").check()
    page.get_by_role("button", name="Save screening").click()
    page.wait_for_url("**/cases/*/")
    browser.look("screened")
    expect(page.get_by_role("status")).to_contain_text("Sex trafficking")

    page.get_by_role("link", name="Record the outcome").click()
    browser.look("outcome")
    page.get_by_label("Enrolled", exact=True).check()
    page.get_by_role("button", name="Record the outcome").click()
    page.wait_for_url("**/cases/*/")
    browser.look("enrolled")
    expect(page.get_by_role("status")).to_contain_text("Enrolled. The case is open.")

    case = Case.objects.select_related("survivor").get(survivor__legal_name="Noor Haddad")
    assert (case.status, case.referral_source, case.survivor.race) == ("open", "hotline", ["mena"])
    page.get_by_role("button", name="Prepare face sheet PDF").click()
    download_link = page.get_by_role("link", name="Download PDF")
    try:
        expect(download_link).to_be_visible(timeout=60_000)
    except AssertionError as not_ready:
        raise AssertionError(f"worker log:\n{log.read_text()[-3000:]}") from not_ready
    browser.look("face-sheet-ready")
    with page.expect_download() as download_info:
        download_link.click()
    pdf = browser.folder / "face-sheet.pdf"
    download_info.value.save_as(pdf)

    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert case.survivor.client_code in text
    assert "Noor Haddad" in text
    assert worker.poll() is None


def test_a_sixteen_year_old_intake_leads_to_a_recorded_careline_report(e2e_world, open_browser):
    today = timezone.localdate()
    born = today.replace(year=today.year - 16) - timedelta(days=30)
    browser = open_browser("specialist")
    page = browser.page
    browser.sign_in(e2e_world.specialist)

    browser.goto("/cases/new/", "new-intake")
    page.get_by_label("Referred by").select_option(label="DCF")
    page.get_by_label("Legal name").fill("Tia Morales")
    page.get_by_label("Date of birth").fill(born.isoformat())
    page.get_by_role("button", name="Save intake").click()
    page.wait_for_url("**/cases/*/")
    browser.look("minor-intake-saved")
    banner = page.get_by_role("region", name="A DCF Careline report is needed")
    expect(banner).to_be_visible()
    case = Case.objects.get(survivor__legal_name="Tia Morales")
    assert list(Notification.objects.filter(kind="careline report due").values_list("recipient", flat=True)) == [
        e2e_world.supervisor.pk
    ]

    supervisor = open_browser("supervisor")
    supervisor.sign_in(e2e_world.supervisor)
    supervisor.goto("/notifications/", "careline-notification")
    expect(supervisor.page.locator("main")).to_contain_text(f"{case.survivor.client_code} was under 18 at intake")
    expect(supervisor.page.locator("main")).not_to_contain_text("Tia Morales")

    banner.get_by_role("link", name="Record the Careline report").click()
    browser.look("careline-form")
    page.get_by_label("Reference number").fill("CL-2026-4471")
    page.get_by_role("button", name="Save report").click()
    page.wait_for_url(f"**{case.get_absolute_url()}")
    browser.look("careline-recorded")

    expect(page.get_by_role("status")).to_contain_text("DCF Careline report recorded.")
    expect(page.get_by_text("A DCF Careline report is needed")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("CL-2026-4471")
    assert not Notification.objects.filter(kind="careline report due", read_at__isnull=True).exists()


def test_supervisor_reassigns_a_case_to_a_teammate(e2e_world, open_browser):
    case = e2e_world.case_a
    browser = open_browser("supervisor")
    page = browser.page
    browser.sign_in(e2e_world.supervisor)

    page.get_by_role("link", name="Cases", exact=True).first.click()
    browser.look("case-list")
    page.get_by_role("link", name=case.survivor.client_code).click()
    browser.look("case-detail")
    page.get_by_role("link", name="Reassign").click()
    browser.look("reassign")
    page.get_by_label(e2e_world.specialist.full_name).uncheck()
    page.get_by_label(e2e_world.colleague.full_name).check()
    page.get_by_role("button", name="Save assignment").click()
    page.wait_for_url(f"**{case.get_absolute_url()}")
    browser.look("reassigned")

    expect(page.locator("main")).to_contain_text(e2e_world.colleague.full_name)
    assert list(case.specialists.all()) == [e2e_world.colleague]


def test_an_outsider_gets_the_not_found_page_for_another_teams_case(e2e_world, open_browser):
    browser = open_browser("outsider")
    browser.sign_in(e2e_world.outsider)

    response = browser.goto(e2e_world.case_a.get_absolute_url(), "someone-elses-case")

    assert response.status == 404
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("This page is not here")
    expect(browser.page.locator("main")).not_to_contain_text(e2e_world.case_a.survivor.legal_name)


def test_a_session_left_idle_is_signed_out(e2e_world, open_browser, ticking_clock, settings):
    browser = open_browser("specialist")
    browser.sign_in(e2e_world.specialist)
    case_url = e2e_world.case_a.get_absolute_url()

    # The server's clock moves past the idle limit; the browser, on the machine's clock, still
    # holds the session cookie, as it would after a long lunch.
    ticking_clock.shift(settings.SESSION_COOKIE_AGE + 60)
    browser.goto(case_url, "after-idle")

    assert browser.page.url == browser.url(f"/accounts/login/?next={case_url}")
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Sign in to Bloom")
    expect(browser.page.get_by_role("status")).to_contain_text("signed out because Bloom was left unused for a while")
    expect(browser.page.locator("body")).not_to_contain_text(e2e_world.case_a.survivor.legal_name)
