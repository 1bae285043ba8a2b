"""Outreach on a phone, in a real browser: a session logged in the street, a draft that survives
a lost connection, bad input answered beside the field, and a request for help passed to a
team's intake, where a specialist starts an intake from it.

The outreach worker's window is a small touch phone (360 by 740 CSS px). Every page it reaches
is checked for sideways scrolling, and the forms' choices and buttons for a 44 px tap target.
"""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import IntakeRequest
from outreach.models import OutreachSession
from tests.factories import log_outreach, make_town, make_volunteer

PHONE_WIDTH = 360
TOUCH_TARGET = 44  # CSS px: WCAG 2.5.5 and the platforms' guidance for a finger
SESSION_PAGE = re.compile(r"/outreach/sessions/(\d+)/(\?saved=session-new)?$")
NEW_SESSION = "/outreach/sessions/new/"
AREA = "Park Street, between Main and Broad"
# The counts as the form labels them, with what the worker types.
COUNTS = {
    "People contacted": ("people_contacted", "14"),
    "People possibly identified": ("possibly_identified", "2"),
    "Hotline cards": ("hotline_cards", "20"),
    "Hygiene kits": ("hygiene_kits", "6"),
    "Food": ("food_items", "10"),
    "Resource sheets": ("resource_sheets", "12"),
    "Safety incidents": ("safety_incidents", "0"),
}
PERSON = "Marisol"
PERSON_PHONE = "860-555-0199"


@pytest.fixture
def outreach_team(e2e_world):
    """Two towns and three volunteers (one active) recorded before any browser starts."""
    make_town("Hartford")
    make_town("New Britain")
    active = make_volunteer(e2e_world.outreach, full_name="Val Volunteer")
    make_volunteer(e2e_world.outreach, full_name="Ada Applicant", status="applied")
    make_volunteer(e2e_world.outreach, full_name="Ivo Inactive", status="inactive")
    return active


@pytest.fixture
def phone(e2e_world, open_browser):
    """The outreach worker, signed in on a phone."""
    browser = open_browser("outreach", phone=True)
    browser.sign_in(e2e_world.outreach)
    fits_the_phone(browser)
    return browser


# --- what every phone page must do ----------------------------------------------------------


def fits_the_phone(browser) -> None:
    """The page is laid out for the phone's width and does not scroll sideways."""
    sizes = browser.page.evaluate(
        "({inner: window.innerWidth, scroll: document.documentElement.scrollWidth, body: document.body.scrollWidth})"
    )
    # A phone shrinks a page wider than itself to fit, which would widen innerWidth: pin it.
    assert sizes["inner"] == PHONE_WIDTH, f"{browser.page.url} is not laid out for the phone: {sizes}"
    assert sizes["scroll"] <= sizes["inner"], f"{browser.page.url} scrolls sideways: {sizes}"
    assert sizes["body"] <= sizes["inner"], f"{browser.page.url} scrolls sideways: {sizes}"


def tap_targets_are_large(browser) -> int:
    """Every checkbox's and radio's label and every button of the touch form is 44 px high.

    Returns how many targets were measured, so a test can tell the check saw the choices.
    """
    page = browser.page
    form = page.locator("form.form--touch")
    expect(form).to_have_count(1)
    small = []
    measured = 0
    choices = form.locator("input[type=checkbox], input[type=radio]")
    for i in range(choices.count()):
        choice = choices.nth(i)
        label = page.locator(f'label[for="{choice.get_attribute("id")}"]')
        expect(label).to_have_count(1)
        box = label.bounding_box()
        assert box is not None, f"the label of {choice.get_attribute('id')} is not shown"
        measured += 1
        if box["height"] < TOUCH_TARGET - 0.5:
            small.append(f"label {label.inner_text().strip()!r}: {box['height']:.1f} px")
    buttons = form.locator("button, .btn")
    for i in range(buttons.count()):
        button = buttons.nth(i)
        box = button.bounding_box()
        assert box is not None, f"button {button.inner_text()!r} is not shown"
        measured += 1
        if box["height"] < TOUCH_TARGET - 0.5:
            small.append(f"button {button.inner_text().strip()!r}: {box['height']:.1f} px")
    assert small == [], f"tap targets under {TOUCH_TARGET} px on {page.url}:\n  " + "\n  ".join(small)
    return measured


def look_on_phone(browser, label: str) -> None:
    """``look``, and the phone's screen as it is (Chromium's full-page capture stops emulating
    the touch screen while it runs, so that picture has the fine-pointer sizes)."""
    browser.look(label)
    browser.page.screenshot(path=browser.folder / f"{browser.shots:02d}-{label}-screen.png")
    fits_the_phone(browser)


def stored(browser) -> dict:
    """Everything this phone's browser keeps in localStorage for the site."""
    return json.loads(browser.page.evaluate("JSON.stringify(localStorage)"))


def draft_key(user) -> str:
    return f"bloom:draft:{user.pk}:session-new"


# --- the session form -----------------------------------------------------------------------


def open_session_form(browser, label: str):
    page = browser.page
    page.get_by_role("navigation", name="Main", exact=True).get_by_role("link", name="Outreach").tap()
    page.wait_for_url("**/outreach/")
    look_on_phone(browser, "outreach-home")
    page.get_by_role("link", name="Log a session").tap()
    page.wait_for_url(f"**{NEW_SESSION}")
    look_on_phone(browser, label)
    return page


def textbox(page, label: str):
    return page.get_by_role("textbox", name=label, exact=True)


def combobox(page, label: str):
    return page.get_by_role("combobox", name=label, exact=True)


def count(page, label: str):
    return page.get_by_role("spinbutton", name=label, exact=True)


def venue(page, label: str):
    return page.get_by_role("group", name="Kinds of venue").get_by_role("checkbox", name=label, exact=True)


def volunteer(page, name: str):
    return page.get_by_role("group", name="Volunteers").get_by_role("checkbox", name=name, exact=True)


def fill_when_and_where(page, day, starts="19:00", ends="21:30") -> None:
    textbox(page, "Date").fill(day.isoformat())
    textbox(page, "Started").fill(starts)
    textbox(page, "Ended").fill(ends)
    combobox(page, "Town").select_option(label="Hartford")
    venue(page, "Street-based").tap()
    venue(page, "Hotel or motel").tap()
    textbox(page, "Area").fill(AREA)


def expect_when_and_where(page, day, starts="19:00", ends="21:30") -> None:
    expect(textbox(page, "Date")).to_have_value(day.isoformat())
    expect(textbox(page, "Started")).to_have_value(starts)
    expect(textbox(page, "Ended")).to_have_value(ends)
    expect(combobox(page, "Town").locator("option:checked")).to_have_text("Hartford")
    expect(venue(page, "Street-based")).to_be_checked()
    expect(venue(page, "Hotel or motel")).to_be_checked()
    expect(venue(page, "Internet-based")).not_to_be_checked()
    expect(textbox(page, "Area")).to_have_value(AREA)


def save_session(browser, label: str) -> OutreachSession:
    page = browser.page
    page.get_by_role("button", name="Save the session").tap()
    page.wait_for_url(SESSION_PAGE)
    look_on_phone(browser, label)
    expect(page.get_by_role("status")).to_contain_text("Session logged.")
    return OutreachSession.objects.get(pk=SESSION_PAGE.search(page.url).group(1))


def test_outreach_worker_logs_a_session_on_a_phone(e2e_world, outreach_team, phone):
    worker = e2e_world.outreach
    yesterday = timezone.localdate() - timedelta(days=1)
    page = open_session_form(phone, "session-form")
    assert page.evaluate("matchMedia('(pointer: coarse)').matches"), "the phone window has no touch screen"

    # Counts bring up the numeric keypad; the lead is the worker; only active volunteers are offered.
    for label, (_name, _typed) in COUNTS.items():
        expect(count(page, label)).to_have_attribute("inputmode", "numeric")
    expect(combobox(page, "Outreach worker").locator("option:checked")).to_have_text(worker.full_name)
    expect(volunteer(page, "Val Volunteer")).to_have_count(1)
    expect(page.get_by_role("group", name="Volunteers").get_by_role("checkbox")).to_have_count(1)
    assert tap_targets_are_large(phone) >= 14 + 1 + 1 + 2  # venues, a volunteer, after midnight, buttons

    fill_when_and_where(page, yesterday)
    volunteer(page, "Val Volunteer").tap()
    expect(volunteer(page, "Val Volunteer")).to_be_checked()
    for label, (_name, typed) in COUNTS.items():
        count(page, label).fill(typed)
    textbox(page, "Notes").fill("Quiet night; the shelter on Main had beds.")
    look_on_phone(phone, "session-form-filled")
    tap_targets_are_large(phone)
    page.wait_for_function("key => localStorage.getItem(key) !== null", arg=draft_key(worker))

    session = save_session(phone, "session-saved")

    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Outreach in Hartford")
    when = page.get_by_role("region", name="When and where")
    expect(when).to_contain_text("Street-based")
    expect(when).to_contain_text("Hotel or motel")
    expect(when).to_contain_text(AREA)
    expect(when).to_contain_text(f"{worker.full_name}, Val Volunteer")
    people = page.get_by_role("region", name="People and materials")
    expect(people).to_contain_text("People contacted")
    expect(people).to_contain_text("14")
    expect(main).to_contain_text("Quiet night; the shelter on Main had beds.")
    expect(page.get_by_role("region", name="Requests for help passed to intake")).to_contain_text(
        "None from this session."
    )
    hand_off = page.get_by_role("link", name="Pass a request for help to intake")
    assert hand_off.bounding_box()["height"] >= TOUCH_TARGET - 0.5
    assert hand_off.bounding_box()["width"] <= PHONE_WIDTH

    starts = timezone.localtime(session.starts_at)
    assert (starts.date(), starts.strftime("%H:%M"), session.minutes) == (yesterday, "19:00", 150)
    assert (session.town.name, sorted(session.venue_types), session.area, session.lead) == (
        "Hartford",
        ["hotel", "street"],
        AREA,
        worker,
    )
    assert [v.full_name for v in session.volunteers.all()] == ["Val Volunteer"]
    assert {name: getattr(session, name) for name, _typed in COUNTS.values()} == {
        name: int(typed) for name, typed in COUNTS.values()
    }
    # Saved and confirmed: the draft kept while typing is gone from the phone.
    assert draft_key(worker) not in stored(phone)


def test_a_draft_survives_a_lost_connection_and_is_cleared_once_saved(e2e_world, outreach_team, phone):
    worker = e2e_world.outreach
    yesterday = timezone.localdate() - timedelta(days=1)
    page = open_session_form(phone, "session-form")
    offline = page.locator("[data-offline-notice]")
    draft = page.locator("[data-draft-notice]")
    expect(offline).to_be_hidden()
    expect(draft).to_be_hidden()

    fill_when_and_where(page, yesterday)
    count(page, "People contacted").fill("9")
    count(page, "Hotline cards").fill("11")
    textbox(page, "Notes").fill("Two new faces at the corner store.")
    page.wait_for_function(
        "([key, text]) => (localStorage.getItem(key) || '').includes(text)",
        arg=[draft_key(worker), "Two new faces at the corner store."],
    )

    # The connection drops: the page says so, and sending is held instead of losing the page.
    page.context.set_offline(True)
    expect(offline).to_be_visible()
    expect(offline).to_contain_text("No connection.")
    page.get_by_role("button", name="Save the session").tap()
    page.wait_for_timeout(500)  # time for a navigation to start, had the submit gone through
    look_on_phone(phone, "offline-held")
    assert page.url == phone.url(NEW_SESSION)
    expect(offline).to_be_visible()
    expect(textbox(page, "Area")).to_have_value(AREA)
    assert not OutreachSession.objects.exists()
    kept = json.loads(stored(phone)[draft_key(worker)])["values"]
    assert (kept["area"], kept["people_contacted"], sorted(kept["venue_types"])) == (AREA, "9", ["hotel", "street"])

    # Back online later, the worker opens the form again: the draft is put back and said so.
    page.context.set_offline(False)
    expect(offline).to_be_hidden()
    phone.goto(NEW_SESSION, "draft-restored")
    fits_the_phone(phone)
    expect(draft).to_be_visible()
    expect(draft).to_contain_text("A draft you started on this phone was put back. Check it and save.")
    expect(offline).to_be_hidden()
    expect_when_and_where(page, yesterday)
    expect(count(page, "People contacted")).to_have_value("9")
    expect(count(page, "Hotline cards")).to_have_value("11")
    expect(textbox(page, "Notes")).to_have_value("Two new faces at the corner store.")
    discard = page.get_by_role("button", name="Discard the draft")
    assert discard.bounding_box()["height"] >= TOUCH_TARGET - 0.5, "the discard button is too small to tap"
    tap_targets_are_large(phone)

    session = save_session(phone, "draft-saved")
    assert (session.area, session.people_contacted, session.hotline_cards, session.notes) == (
        AREA,
        9,
        11,
        "Two new faces at the corner store.",
    )
    assert draft_key(worker) not in stored(phone)

    # A new form starts empty: no draft is put back.
    phone.goto(NEW_SESSION, "new-form-after-save")
    expect(draft).to_be_hidden()
    expect(textbox(page, "Area")).to_have_value("")
    expect(count(page, "People contacted")).to_have_value("")
    expect(venue(page, "Street-based")).not_to_be_checked()
    assert OutreachSession.objects.count() == 1


def test_a_session_refused_by_the_server_says_why_beside_the_field_and_keeps_everything(
    e2e_world, outreach_team, phone
):
    yesterday = timezone.localdate() - timedelta(days=1)
    page = open_session_form(phone, "session-form")
    # Half past one, after starting at nine, reads as before it started on the same day.
    fill_when_and_where(page, yesterday, starts="21:00", ends="01:30")
    volunteer(page, "Val Volunteer").tap()
    count(page, "People contacted").fill("7")
    count(page, "Resource sheets").fill("5")
    textbox(page, "Notes").fill("Rain; few people out.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the session").tap()
    look_on_phone(phone, "ends-before-start")

    expect(page.get_by_role("alert")).to_contain_text("Nothing you typed has been lost.")
    ended = textbox(page, "Ended")
    expect(ended).to_have_accessible_description(re.compile("The session ends before it starts"))
    expect(page.locator(".field", has=ended).locator(".field__error")).to_contain_text("tick 'Ended after midnight'")
    expect_when_and_where(page, yesterday, starts="21:00", ends="01:30")
    expect(volunteer(page, "Val Volunteer")).to_be_checked()
    expect(count(page, "People contacted")).to_have_value("7")
    expect(count(page, "Resource sheets")).to_have_value("5")
    expect(textbox(page, "Notes")).to_have_value("Rain; few people out.")
    # The server's copy is shown as it is, with no draft notice over it.
    expect(page.locator("[data-draft-notice]")).to_be_hidden()
    assert not OutreachSession.objects.exists()
    tap_targets_are_large(phone)

    # It went on past midnight: ticking that is all it takes.
    page.get_by_role("checkbox", name="Ended after midnight").tap()
    session = save_session(phone, "after-midnight-saved")
    assert session.minutes == 270
    expect(page.get_by_role("region", name="When and where")).to_contain_text("(the next day)")


def test_a_negative_count_is_refused_with_a_clear_message_and_nothing_is_lost(e2e_world, outreach_team, phone):
    yesterday = timezone.localdate() - timedelta(days=1)
    page = open_session_form(phone, "session-form")
    fill_when_and_where(page, yesterday)
    count(page, "People contacted").fill("-3")
    count(page, "Hotline cards").fill("15")
    count(page, "Hygiene kits").fill("4")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the session").tap()
    look_on_phone(phone, "negative-count")

    expect(page.get_by_role("alert")).to_contain_text("Nothing you typed has been lost.")
    contacted = count(page, "People contacted")
    expect(contacted).to_have_accessible_description(
        re.compile(re.escape("A count cannot be negative: enter 0 if there were none."))
    )
    expect(contacted).to_have_value("-3")
    expect(count(page, "Hotline cards")).to_have_value("15")
    expect(count(page, "Hygiene kits")).to_have_value("4")
    expect(count(page, "Hotline cards")).not_to_have_accessible_description(re.compile("negative"))
    expect_when_and_where(page, yesterday)
    assert not OutreachSession.objects.exists()

    contacted.fill("3")
    session = save_session(phone, "count-corrected")
    assert (session.people_contacted, session.hotline_cards, session.hygiene_kits) == (3, 15, 4)


# --- a request for help, from the street to an intake ---------------------------------------


def test_a_request_for_help_goes_from_the_phone_to_the_team_intake_and_not_back(e2e_world, outreach_team, open_browser):
    worker = e2e_world.outreach
    session = log_outreach(worker, town=make_town("Hartford"), people_contacted=5)
    phone = open_browser("outreach", phone=True)
    page = phone.page
    phone.sign_in(worker)
    phone.goto(f"/outreach/sessions/{session.pk}/", "session")
    fits_the_phone(phone)

    page.get_by_role("link", name="Pass a request for help to intake").tap()
    page.wait_for_url(f"**/outreach/sessions/{session.pk}/hand-off/")
    look_on_phone(phone, "hand-off-form")
    assert tap_targets_are_large(phone) > 10

    combobox(page, "Pass to the intake of").select_option(label="Team A")
    textbox(page, "What they want to be called").fill(PERSON)
    textbox(page, "Phone").fill(PERSON_PHONE)
    page.get_by_role("group", name="Safe to text?").get_by_role("radio", name="Yes", exact=True).tap()
    page.get_by_role("group", name="Safe to call?").get_by_role("radio", name="No", exact=True).tap()
    page.get_by_role("group", name="What they asked for help with").get_by_role(
        "checkbox", name="A safe place to stay"
    ).tap()
    textbox(page, "In their words").fill("Needs somewhere to sleep tonight.")
    page.get_by_role("checkbox", name="They agreed that the program may have this and reach out to them").tap()
    page.wait_for_timeout(500)  # longer than the drafts' delay: nothing may be kept as it is typed
    assert PERSON not in json.dumps(stored(phone))
    look_on_phone(phone, "hand-off-filled")

    page.get_by_role("button", name="Pass to intake").tap()
    page.wait_for_url(f"**/outreach/sessions/{session.pk}/")
    look_on_phone(phone, "passed-on")
    expect(page.get_by_role("status")).to_contain_text("Passed to the intake of Team A.")
    passed = page.get_by_role("region", name="Requests for help passed to intake")
    expect(passed).to_contain_text(f"Passed on by {worker.full_name}")
    expect(page.locator("body")).not_to_contain_text(PERSON)
    expect(page.locator("body")).not_to_contain_text(PERSON_PHONE)
    kept = json.dumps(stored(phone))
    assert PERSON not in kept
    assert PERSON_PHONE not in kept

    waiting = IntakeRequest.objects.get()
    assert (waiting.team, waiting.name, waiting.phone, waiting.needs, waiting.safe_to_text, waiting.safe_to_call) == (
        e2e_world.team_a,
        PERSON,
        PERSON_PHONE,
        ["safe place"],
        True,
        False,
    )
    assert waiting.status == IntakeRequest.Status.WAITING

    # The team-A specialist finds it in the intake queue and starts an intake from it.
    specialist = open_browser("specialist")
    desk = specialist.page
    specialist.sign_in(e2e_world.specialist)
    desk.get_by_role("navigation", name="Main", exact=True).get_by_role("link", name="Cases").click()
    desk.wait_for_url("**/cases/")
    specialist.look("cases")
    desk.get_by_role("link", name="Requests for help").click()
    desk.wait_for_url("**/cases/intake-requests/")
    specialist.look("intake-requests")
    row = desk.get_by_role("row").filter(has_text="Street outreach, Hartford")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(worker.full_name)
    expect(row).to_contain_text("Team A")
    row.get_by_role("link").click()
    desk.wait_for_url(f"**/cases/intake-requests/{waiting.pk}/")
    specialist.look("intake-request")
    shared = desk.get_by_role("region", name="What they agreed to share")
    expect(shared).to_contain_text(PERSON)
    expect(shared).to_contain_text(PERSON_PHONE)
    expect(shared).to_contain_text("A safe place to stay")
    expect(shared).to_contain_text("Needs somewhere to sleep tonight.")

    desk.get_by_role("button", name="Start an intake").click()
    desk.wait_for_url(re.compile(r"/cases/\d+/edit/$"))
    specialist.look("intake-started")
    expect(desk.get_by_role("status")).to_contain_text("Intake started for")
    expect(desk.get_by_label("Legal name")).to_have_value(PERSON)
    expect(desk.get_by_label("Preferred name")).to_have_value(PERSON)
    expect(desk.get_by_label("Phone", exact=True)).to_have_value(PERSON_PHONE)
    waiting.refresh_from_db()
    case = waiting.case
    assert waiting.status == IntakeRequest.Status.STARTED
    assert desk.url == specialist.url(f"/cases/{case.pk}/edit/")
    assert list(case.specialists.all()) == [e2e_world.specialist]
    assert case.survivor.legal_name == PERSON

    # The outreach worker who passed it on cannot read it back, as a case or as a request.
    response = phone.goto(case.get_absolute_url(), "case-not-found")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("This page is not here")
    expect(page.locator("body")).not_to_contain_text(PERSON)
    fits_the_phone(phone)
    response = phone.goto(f"/cases/intake-requests/{waiting.pk}/", "request-not-found")
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text(PERSON)
