"""Bloom in Spanish, in a real browser: sign in, open a case, log a contact, print the safety plan.

At 1280 px and at 360 px no page scrolls sideways and no button's text is cut: Spanish runs about
a quarter longer than English, so the words the pages were laid out for are not the words they
hold. Every label the journey looks for is the catalogue's translation of the English (through
gettext), so the journey follows the catalogue as it changes.
"""

import shutil
import subprocess
from datetime import timedelta

from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect
from pypdf import PdfReader

from cases.models import Contact
from tests.factories import edit_survivor
from tests.printouts import english_left_in, flat, make_safety_plan

PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"
NOTE = "Hablamos de su cita con la abogada el jueves."

# Everything on the page that may not be wider than the window, or than itself.
FITS = """() => {
  const problems = [];
  const page = document.documentElement;
  if (page.scrollWidth > page.clientWidth + 1) {
    problems.push(`the page scrolls sideways: ${page.scrollWidth}px of content in ${page.clientWidth}px`);
  }
  const width = window.innerWidth;
  for (const el of document.querySelectorAll('button, .btn, input[type=submit], [role=button]')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;  // not shown
    const words = (el.innerText || el.value || '').trim();
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
      problems.push(`button text cut: "${words}" needs ${el.scrollWidth}x${el.scrollHeight}, ` +
                    `has ${el.clientWidth}x${el.clientHeight}`);
    }
    if (box.right > width + 1 || box.left < -1) {
      problems.push(`button outside the window: "${words}" ` +
                    `from ${Math.round(box.left)} to ${Math.round(box.right)} of ${width}`);
    }
  }
  return problems;
}"""


def es(message: str) -> str:
    """``message`` as the Spanish catalogue has it."""
    with translation.override("es"):
        return gettext(message)


def look(browser, label: str) -> None:
    """Screenshot and axe (``Browser.look``), then ``check``."""
    browser.look(label)
    check(browser, label)


def check(browser, label: str) -> None:
    """The page is in Spanish and fits its window."""
    assert browser.page.evaluate("document.documentElement.lang") == "es", f"{label}: <html lang> is not es"
    problems = browser.page.evaluate(FITS)
    assert problems == [], f"{label} at {browser.page.viewport_size['width']} px:\n" + "\n".join(problems)


def sign_in_in_spanish(browser, user, password) -> None:
    """On a shared computer: the sign-in page switched to Español, then the person signs in."""
    page = browser.page
    browser.goto("/accounts/login/", "sign-in")
    page.get_by_role("button", name="Español").click()
    page.wait_for_load_state()
    look(browser, "sign-in-es")
    page.get_by_label(es("Email")).fill(user.email)
    page.get_by_label(es("Password")).fill(password)
    page.get_by_role("button", name=es("Sign in"), exact=True).click()
    page.wait_for_load_state()
    look(browser, "home")


def test_a_specialist_works_a_case_in_spanish_at_desktop_and_phone_width(e2e_world, open_browser, celery_worker):
    from tests.e2e.conftest import PASSWORD  # noqa: PLC0415 (the e2e conftest is not a package module)

    worker, log = celery_worker
    case, user = e2e_world.case_a, e2e_world.specialist
    # A survivor who reads Spanish; the person who prints works in English on their profile.
    edit_survivor(case, by=user, preferred_language="Español")
    make_safety_plan(case, by=user)
    assert user.language == "en"

    specialist = open_browser("specialist")
    page = specialist.page
    sign_in_in_spanish(specialist, user, PASSWORD)

    # Open the case from the case list.
    page.get_by_role("link", name=es("Cases"), exact=True).first.click()
    look(specialist, "cases")
    page.get_by_role("link", name=case.survivor.client_code).click()
    look(specialist, "case")

    # Log a contact.
    page.get_by_role("region", name=es("Contacts")).get_by_role("link", name=es("Log a contact")).click()
    look(specialist, "new-contact")
    occurred = timezone.localtime() - timedelta(hours=2)
    page.get_by_label(es("Phone"), exact=True).check()
    page.get_by_label(es("Date and time")).fill(occurred.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label(es("Duration in minutes")).fill("25")
    page.get_by_label(es("The survivor"), exact=True).check()
    page.get_by_label(es("Note")).fill(NOTE)
    page.get_by_role("button", name=es("Save contact")).click()
    page.wait_for_load_state()
    look(specialist, "contact-saved")
    expect(page.get_by_role("status")).to_contain_text(es("Contact saved: %(contact)s.") % {"contact": es("Phone")})
    assert Contact.objects.get(case=case).note == NOTE

    # Print the safety plan: the form says Spanish, the survivor's language.
    specialist.goto(f"/cases/{case.pk}/safety/", "safety-plan")
    look(specialist, "safety-plan-es")
    expect(page.get_by_label(es("Print in"))).to_have_value("es")
    page.get_by_role("button", name=es("Prepare the safety plan printout for the survivor")).click()
    download_link = page.get_by_role("link", name=es("Download PDF"))
    try:
        expect(download_link).to_be_visible(timeout=60_000)
    except AssertionError as not_ready:
        raise AssertionError(f"worker log:\n{log.read_text()[-3000:]}") from not_ready
    look(specialist, "safety-printout-ready")
    with page.expect_download() as download_info:
        download_link.click()
    pdf = specialist.folder / "plan-de-seguridad.pdf"
    download_info.value.save_as(pdf)
    reader = PdfReader(pdf)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert english_left_in(text) == []
    assert es("Any time, day or night, in many languages.") in flat(text)
    subprocess.run([PDFTOPPM, "-png", "-r", "60", str(pdf), str(specialist.folder / "plan-page")], check=True)
    assert worker.poll() is None

    # The same pages on a small phone.
    phone = open_browser("specialist-phone", phone=True)
    sign_in_in_spanish(phone, user, PASSWORD)
    for path, label in [
        (case.get_absolute_url(), "case"),
        (f"/cases/{case.pk}/contacts/new/", "new-contact"),
        (f"/cases/{case.pk}/safety/", "safety-plan"),
        ("/cases/", "cases"),
    ]:
        phone.goto(path, label)  # a screenshot and axe
        check(phone, label)
