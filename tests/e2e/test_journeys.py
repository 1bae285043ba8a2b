"""The day's main paths, as people take them in a real browser."""

import time

from playwright.sync_api import expect
from pypdf import PdfReader

from cases.models import Case


def test_specialist_registers_a_survivor_and_downloads_the_face_sheet(e2e_world, open_browser, celery_worker):
    worker, log = celery_worker
    browser = open_browser("specialist")
    page = browser.page
    browser.sign_in(e2e_world.specialist)

    page.get_by_role("link", name="Cases", exact=True).first.click()
    browser.look("case-list")
    page.get_by_role("link", name="Open a new case").click()
    browser.look("new-case")
    page.get_by_label("Legal name").fill("Noor Haddad")
    page.get_by_label("Preferred name").fill("Noor")
    page.get_by_label("Date of birth").fill("1998-04-17")
    page.get_by_role("button", name="Open case").click()
    page.wait_for_url("**/cases/*/")
    browser.look("case-opened")

    case = Case.objects.select_related("survivor").get(survivor__legal_name="Noor Haddad")
    expect(page.get_by_role("status").filter(has_text="Case opened")).to_contain_text(case.survivor.client_code)
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


def test_a_session_left_idle_is_signed_out(e2e_world, open_browser, settings):
    settings.SESSION_COOKIE_AGE = 2
    browser = open_browser("specialist")
    browser.sign_in(e2e_world.specialist)
    case_url = e2e_world.case_a.get_absolute_url()

    time.sleep(3)
    browser.goto(case_url, "after-idle")

    assert browser.page.url == browser.url(f"/accounts/login/?next={case_url}")
    expect(browser.page.get_by_role("heading", level=1)).to_have_text("Sign in to Bloom")
    expect(browser.page.get_by_role("status")).to_contain_text("signed out because Bloom was left unused for a while")
    expect(browser.page.locator("body")).not_to_contain_text(e2e_world.case_a.survivor.legal_name)
