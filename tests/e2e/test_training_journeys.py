"""Community training in a real browser: a trainer records an event and shows its survey link,
three attendees answer the surveys before and after the training on their own phones with no
sign-in, and the trainer reads the results on screen and in the PDF the worker builds.

The attendees' windows are small touch phones (360 by 740 CSS px), each with its own cookies,
as three people in a room would be. Every survey page is checked for sideways scrolling and
for scale buttons a finger can hit (44 px). The averages the results must show are worked out
here from the scores the attendees tap, with exact fractions, rounded half up to one decimal
as the state's report prints them; the significance marks come from scipy's Welch's t-test.
"""

import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader
from scipy import stats as scipy_stats

from tests.factories import default_instrument, make_curriculum, make_trainer
from training import queries
from training.models import SurveyResponse, TrainingEvent

PHONE_WIDTH = 360
TOUCH_TARGET = 44  # CSS px: WCAG 2.5.5 and the platforms' guidance for a finger
PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"  # poppler-utils, installed by .ci/run
EVENT_PAGE = re.compile(r"/training/events/(\d+)/\?saved=training-event-new$")
CURRICULUM = "Recognizing and Responding to DMST"
TRAINER = "Terry Trainer"
ATTENDEE_COUNT = "24"
CONSTRUCTS = [("knowledge", "Knowledge"), ("beliefs", "Beliefs"), ("comfort", "Comfort")]
# The tenth knowledge item: the one that goes down after the training (people learn how little
# they knew of their own agency's process), while the knowledge average goes up.
WRONG_WAY_ITEM = "My agency's referral process"
MINUS = "\u2212"
EN_DASH = "\u2013"  # between the ends of a scale: "(1 to 5)"


@dataclass(frozen=True)
class Attendee:
    name: str
    field_of_work: str  # as the survey's "Your field of work" labels it; "" for not given
    before: dict[str, list[int | None]]  # construct code -> a score per item, None for one skipped
    after: dict[str, list[int | None]]


def _with(scores: list[int], tenth: int) -> list[int]:
    return [*scores[:9], tenth, *scores[10:]]


# Knowledge is 1 to 5 (12 items), Beliefs 1 to 10 where lower is better (4), Comfort 1 to 10 (6).
# After the training: Knowledge and Comfort higher, Beliefs lower, the referral process lower.
ATTENDEES = [
    Attendee(
        "attendee1",
        "Education",
        before={"knowledge": _with([2] * 12, 4), "beliefs": [6, 7, 5, 6], "comfort": [3, 2, 4, 3, 3, 3]},
        after={"knowledge": _with([4] * 12, 2), "beliefs": [2, 3, 2, 1], "comfort": [7, 6, 8, 7, 7, 7]},
    ),
    Attendee(
        "attendee2",
        "Child welfare",
        before={"knowledge": _with([3] * 12, 4), "beliefs": [8, 8, 7, 9], "comfort": [5, 4, 5, 6, 5, 5]},
        after={"knowledge": _with([5] * 12, 3), "beliefs": [3, 3, 4, 2], "comfort": [9, 8, 9, 9, 8, 9]},
    ),
    Attendee(
        "attendee3",
        "",
        before={"knowledge": _with([2] * 12, 3), "beliefs": [5, 6, 6, 5], "comfort": [2, 2, 3, 2, 2, 1]},
        # The last belief is skipped: "Skip any question you prefer not to answer."
        after={"knowledge": _with([4] * 12, 2), "beliefs": [2, 2, 1, None], "comfort": [6, 6, 7, 6, 6, 5]},
    ),
]


# --- what the results must say, worked out from the taps ----------------------------------


def tenths(value: Fraction, places: int = 1) -> str:
    """One decimal (or ``places``), half up: 25/6 is 4.2, not 4.1."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


def signed(value: Fraction, places: int = 1) -> str:
    shown = tenths(abs(value), places)
    return f"+{shown}" if value > 0 else (f"{MINUS}{shown}" if value < 0 else shown)


def trainee_average(scores: list[int | None]) -> Fraction:
    answered = [score for score in scores if score is not None]
    return Fraction(sum(answered), len(answered))


def averages(code: str, phase: str) -> list[Fraction]:
    return [trainee_average(getattr(attendee, phase)[code]) for attendee in ATTENDEES]


def mean(values: list[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def welch_mark(code: str) -> str:
    before = [float(v) for v in averages(code, "before")]
    after = [float(v) for v in averages(code, "after")]
    p = scipy_stats.ttest_ind(before, after, equal_var=False).pvalue
    return "**" if p < 0.01 else ("*" if p < 0.05 else "")


def item_mean(code: str, index: int, phase: str) -> Fraction:
    scores = [getattr(attendee, phase)[code][index] for attendee in ATTENDEES]
    return trainee_average(scores)


EXPECTED = {
    code: {
        "before": tenths(mean(averages(code, "before"))),
        "after": tenths(mean(averages(code, "after"))),
        "mark": welch_mark(code),
    }
    for code, _title in CONSTRUCTS
}
# Items are printed to two decimals: a small move the wrong way is listed too.
WRONG_WAY = {
    "before": tenths(item_mean("knowledge", 9, "before"), 2),
    "after": tenths(item_mean("knowledge", 9, "after"), 2),
    "change": signed(item_mean("knowledge", 9, "after") - item_mean("knowledge", 9, "before"), 2),
}


def test_the_expected_results_are_what_the_taps_give():
    # The worked-out numbers this journey checks the pages against, so a slip in the tables above shows.
    worked_out = {"constructs": EXPECTED, "wrong way": WRONG_WAY}
    assert worked_out == {
        "constructs": {
            "knowledge": {"before": "2.4", "after": "4.2", "mark": "*"},
            "beliefs": {"before": "6.5", "after": "2.2", "mark": "*"},
            "comfort": {"before": "3.3", "after": "7.2", "mark": "*"},
        },
        "wrong way": {"before": "3.67", "after": "2.33", "change": f"{MINUS}1.33"},
    }


# --- the phone --------------------------------------------------------------------------------


def fits_the_phone(browser) -> None:
    """The page is laid out for the phone's width and does not scroll sideways."""
    sizes = browser.page.evaluate(
        "({inner: window.innerWidth, scroll: document.documentElement.scrollWidth, body: document.body.scrollWidth})"
    )
    assert sizes["inner"] == PHONE_WIDTH, f"{browser.page.url} is not laid out for the phone: {sizes}"
    assert sizes["scroll"] <= sizes["inner"], f"{browser.page.url} scrolls sideways: {sizes}"
    assert sizes["body"] <= sizes["inner"], f"{browser.page.url} scrolls sideways: {sizes}"


def look_on_phone(browser, label: str) -> None:
    """``look``, the phone's screen as it is, and no sideways scrolling."""
    browser.look(label)
    browser.page.screenshot(path=browser.folder / f"{browser.shots:02d}-{label}-screen.png")
    fits_the_phone(browser)


def scale_buttons_are_large(browser, *, expected: int) -> None:
    """Every point of every scale, and Send, is a finger's size; each radio is inside its button."""
    page = browser.page
    boxes = page.locator("form.form--touch label.scale__option").evaluate_all(
        """labels => labels.map(label => {
            const box = label.getBoundingClientRect();
            const input = label.querySelector('input[type=radio]');
            return {text: label.innerText.trim(), width: box.width, height: box.height,
                    wraps: input !== null && label.htmlFor === input.id};
        })"""
    )
    assert len(boxes) == expected, f"{len(boxes)} scale buttons on {page.url}, expected {expected}"
    assert [b for b in boxes if not b["wraps"]] == []
    small = [b for b in boxes if b["height"] < TOUCH_TARGET - 0.5 or b["width"] < TOUCH_TARGET - 0.5]
    assert small == [], f"scale buttons under {TOUCH_TARGET} px on {page.url}: {small[:5]}"
    send = page.get_by_role("button", name="Send").bounding_box()
    assert send["height"] >= TOUCH_TARGET - 0.5
    assert send["x"] >= 0
    assert send["x"] + send["width"] <= PHONE_WIDTH


def open_survey(phone, link_path: str, which: str, label: str):
    page = phone.page
    response = phone.goto(link_path, f"{label}-landing")
    fits_the_phone(phone)
    # Not indexed, and the secret in the address is not sent to any other site.
    assert (response.headers["x-robots-tag"], response.headers["referrer-policy"]) == (
        "noindex, nofollow",
        "same-origin",
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Training survey")
    expect(page.locator("main")).to_contain_text(CURRICULUM)
    # No way into Bloom from here: the link opens this event's survey and nothing else.
    expect(page.get_by_role("navigation")).to_have_count(0)
    page.get_by_role("link", name=which).tap()
    page.wait_for_url(f"**{link_path}{'pre' if which.startswith('Before') else 'post'}/")
    look_on_phone(phone, label)
    expect(page.get_by_role("heading", level=1)).to_have_text(which)
    return page


def tap_scores(page, layout, scores: dict[str, list[int | None]]) -> int:
    """Tap each item's score on its scale; returns how many were tapped."""
    tapped = 0
    for code, texts in layout:
        for text, score in zip(texts, scores[code], strict=True):
            if score is not None:
                group = page.get_by_role("group", name=text, exact=True)
                group.get_by_role("radio", name=str(score), exact=True).tap()
                tapped += 1
    expect(page.locator("input[type=radio]:checked")).to_have_count(tapped)
    return tapped


def answer(phone, layout, link_path: str, phase: str, attendee: Attendee) -> None:
    which = "Before the training" if phase == "pre" else "After the training"
    page = open_survey(phone, link_path, which, f"{phase}-survey")
    points = sum(len(texts) * (5 if code == "knowledge" else 10) for code, texts in layout)
    scale_buttons_are_large(phone, expected=points)
    if attendee.field_of_work:
        page.get_by_label("Your field of work").select_option(label=attendee.field_of_work)
    tap_scores(page, layout, attendee.before if phase == "pre" else attendee.after)
    look_on_phone(phone, f"{phase}-survey-answered")
    page.get_by_role("button", name="Send").tap()
    page.wait_for_url(f"**{link_path}{phase}/thanks/")
    look_on_phone(phone, f"{phase}-thanks")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you!")


# --- the journey ------------------------------------------------------------------------------


@pytest.fixture
def course(e2e_world):
    """A curriculum and a trainer certified to teach it, recorded before any browser starts."""
    curriculum = make_curriculum(e2e_world.trainer, name=CURRICULUM, audience="school staff")
    make_trainer(e2e_world.trainer, full_name=TRAINER, curricula=[curriculum])
    layout = [
        (construct.code, [item.text for item in items])
        for construct, items in queries.survey_layout(default_instrument())
    ]
    assert [code for code, _texts in layout] == [code for code, _title in CONSTRUCTS]
    assert layout[0][1][9] == WRONG_WAY_ITEM
    return curriculum, layout


def record_event(trainer, curriculum) -> TrainingEvent:
    """The trainer fills in the event form: today, started an hour ago, so both surveys are open."""
    page = trainer.page
    now = timezone.localtime()
    starts = max(now - timedelta(hours=1), now.replace(hour=0, minute=0, second=0, microsecond=0))
    ends = now + timedelta(hours=2)
    page.get_by_role("navigation", name="Main", exact=True).get_by_role("link", name="Training").click()
    page.wait_for_url("**/training/")
    trainer.look("training-home")
    page.get_by_role("link", name="Record an event").click()
    page.wait_for_url("**/training/events/new/")
    trainer.look("event-form")

    page.get_by_role("combobox", name="Curriculum").select_option(label=str(curriculum))
    page.get_by_role("group", name="Trainers").get_by_role("checkbox", name=TRAINER, exact=True).check()
    page.get_by_role("textbox", name="Date", exact=True).fill(now.date().isoformat())
    page.get_by_role("textbox", name="Starts", exact=True).fill(starts.strftime("%H:%M"))
    if ends.date() != now.date():
        page.get_by_role("textbox", name="Last day", exact=True).fill(ends.date().isoformat())
    page.get_by_role("textbox", name="Ends", exact=True).fill(ends.strftime("%H:%M"))
    page.get_by_role("combobox", name="Audience").select_option(label="School staff")
    page.get_by_role("spinbutton", name="Attendees").fill(ATTENDEE_COUNT)
    survey = page.get_by_role("combobox", name="Survey", exact=True)
    expect(survey.locator("option:checked")).to_have_text(str(default_instrument()))  # the default, as offered
    trainer.look("event-form-filled")
    page.get_by_role("button", name="Save the event").click()
    page.wait_for_url(EVENT_PAGE)
    trainer.look("event")
    expect(page.get_by_role("status")).to_contain_text("Event recorded.")
    return TrainingEvent.objects.get(pk=EVENT_PAGE.search(page.url).group(1))


def test_a_trainer_records_an_event_attendees_answer_on_their_phones_and_the_results_print(
    e2e_world, course, open_browser, celery_worker
):
    worker, log = celery_worker
    curriculum, layout = course
    trainer = open_browser("trainer")
    desk = trainer.page
    trainer.sign_in(e2e_world.trainer)

    # 1. The event, through the form, and its survey link and QR code.
    event = record_event(trainer, curriculum)
    assert (event.curriculum, event.audience, event.attendee_count, event.instrument) == (
        curriculum,
        "school staff",
        int(ATTENDEE_COUNT),
        default_instrument(),
    )
    assert [t.full_name for t in event.trainers.all()] == [TRAINER]
    assert event.starts_at < timezone.now() < event.ends_at
    details = desk.get_by_role("region", name="The event")
    expect(details).to_contain_text(CURRICULUM)
    expect(details).to_contain_text(TRAINER)
    expect(details).to_contain_text("School staff")
    survey = desk.get_by_role("region", name="Survey")
    expect(survey).to_contain_text("Awareness of Sex Trafficking v1")
    link = survey.locator("code").inner_text().strip()
    assert link == trainer.url(f"/s/{event.survey_token}/")
    link_path = urlsplit(link).path

    survey.get_by_role("link", name="Show the QR code").click()
    desk.wait_for_url(f"**/training/events/{event.pk}/survey-sheet/")
    trainer.look("qr-code")
    qr = desk.locator(".survey-sheet__qr svg.qr")
    expect(qr).to_be_visible()
    expect(qr.locator("title")).to_have_text("QR code of the survey link")
    shown, drawn = qr.bounding_box(), qr.locator("path").bounding_box()
    assert shown["width"] >= 200, f"the QR code is too small to scan from a seat: {shown}"
    # All of the code is inside the box it is shown in: a code cut off at an edge loses the
    # squares in its corners and no phone can read it.
    cut_off = {
        "left": drawn["x"] < shown["x"] - 0.5,
        "top": drawn["y"] < shown["y"] - 0.5,
        "right": drawn["x"] + drawn["width"] > shown["x"] + shown["width"] + 0.5,
        "bottom": drawn["y"] + drawn["height"] > shown["y"] + shown["height"] + 0.5,
    }
    assert [edge for edge, cut in cut_off.items() if cut] == [], f"the QR code is cut off: {shown}, {drawn}"
    expect(desk.locator(".survey-sheet code")).to_have_text(link)

    # 2. Three attendees, each on their own phone and signed in to nothing.
    phones = {attendee.name: open_browser(attendee.name, phone=True) for attendee in ATTENDEES}
    first, second, _third = ATTENDEES

    # Sending a survey with nothing answered is refused, and what was chosen is kept.
    refused = phones[second.name]
    page = open_survey(refused, link_path, "Before the training", "pre-survey")
    page.get_by_label("Your field of work").select_option(label=second.field_of_work)
    page.get_by_label("Years of experience").select_option(label="3 to 5 years")
    with page.expect_navigation():
        page.get_by_role("button", name="Send").tap()
    look_on_phone(refused, "nothing-answered")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was answered. Give at least one score.")
    expect(alert).to_contain_text("Nothing you typed has been lost.")
    expect(page.get_by_label("Your field of work").locator("option:checked")).to_have_text(second.field_of_work)
    expect(page.get_by_label("Years of experience")).to_have_value("3-5")
    assert not SurveyResponse.objects.exists()

    for attendee in ATTENDEES:
        answer(phones[attendee.name], layout, link_path, "pre", attendee)
    assert SurveyResponse.objects.filter(event=event, phase="pre", source="link").count() == len(ATTENDEES)

    # The same phone cannot answer the same survey twice, and is told so before filling it in.
    again = phones[first.name]
    page = again.page
    again.goto(link_path, "pre-answered-landing")
    expect(page.get_by_role("link", name="Before the training")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Answered on this device. Thank you!")
    again.goto(f"{link_path}pre/", "pre-survey-again")
    page.wait_for_url(f"**{link_path}pre/answered/")
    look_on_phone(again, "already-answered")
    expect(page.get_by_role("heading", level=1)).to_have_text("Already answered")
    expect(page.locator("main")).to_contain_text("This survey was already answered on this device.")
    assert SurveyResponse.objects.filter(event=event, phase="pre").count() == len(ATTENDEES)

    for attendee in ATTENDEES:
        answer(phones[attendee.name], layout, link_path, "post", attendee)
    assert SurveyResponse.objects.filter(event=event, phase="post", source="link").count() == len(ATTENDEES)

    # 3. The results on screen.
    trainer.goto(f"/training/events/{event.pk}/", "event-answered")
    survey = desk.get_by_role("region", name="Survey")
    for term in ("Answered before the training", "Answered after the training"):
        count = survey.locator("dt", has_text=term).locator("xpath=following-sibling::dd[1]")
        expect(count).to_have_text(str(len(ATTENDEES)))
    desk.get_by_role("link", name="Survey results").click()
    desk.wait_for_url(f"**/training/events/{event.pk}/results/")
    trainer.look("results")
    main = desk.locator("main")
    expect(main).to_contain_text("3 surveys before and 3 after the training, from 1 event.")
    summary = desk.get_by_role("table", name="Average scores before and after the training")
    for code, title in CONSTRUCTS:
        row = summary.get_by_role("row").filter(has=desk.get_by_role("rowheader", name=re.compile(f"^{title} ")))
        expect(row).to_have_count(1)
        before, after, significance = (cell.strip() for cell in row.locator("td").all_inner_texts())
        expected = EXPECTED[code]
        assert before.split()[0] == expected["before"], f"{title} before: {before!r}, expected {expected}"
        assert after.split()[0] == expected["after"], f"{title} after: {after!r}, expected {expected}"
        assert significance.startswith(expected["mark"]), f"{title}: {significance!r}, expected {expected}"
        assert re.search(r"p [=<] 0\.\d{3}$", significance)

        section = desk.get_by_role("region", name=f"{title} by field of work")
        chart = section.get_by_role("img", name=f"{title}: average before and after the training")
        expect(chart).to_be_visible()
        expect(chart.locator("rect")).to_have_count(2 * (1 + len(ATTENDEES)))  # overall, then each field
        expect(chart.locator("rect title").first).to_have_text(f"All fields of work, Before: {expected['before']}")
        table = section.get_by_role("table", name=f"{title}: average scores by field of work")
        rows = [
            [cell.split()[0] for cell in r.locator("th, td").all_inner_texts()[:5]]
            for r in table.locator("tbody tr").all()
        ]
        assert [r[0] for r in rows] == ["All", "Child", "Education", "Other"]
        overall = rows[0]
        assert (overall[1], overall[2], overall[3], overall[4]) == ("3", expected["before"], "3", expected["after"])
        assert all((r[1], r[3]) == ("1", "1") for r in rows[1:])
    expect(main.locator("svg.chart")).to_have_count(len(CONSTRUCTS))

    wrong_way = desk.get_by_role("region", name="Items that went the wrong way after the training")
    items = wrong_way.get_by_role("table").locator("tbody tr")
    expect(items).to_have_count(1)  # every other item moved the right way
    cells = [cell.strip() for cell in items.first.locator("th, td").all_inner_texts()]
    assert cells == [
        WRONG_WAY_ITEM,
        "Knowledge",
        f"{WRONG_WAY['before']} (n=3)",
        f"{WRONG_WAY['after']} (n=3)",
        WRONG_WAY["change"],
    ]

    # 4. The PDF, built by the worker, read back as text and as a picture.
    desk.get_by_role("button", name="Prepare the PDF report").click()
    download_link = desk.get_by_role("link", name="Download PDF")
    failed = desk.get_by_role("status").filter(has_text="Could not be prepared")
    try:
        expect(download_link.or_(failed)).to_be_visible(timeout=60_000)
        expect(failed).to_have_count(0)
    except AssertionError as not_ready:
        raise AssertionError(f"worker log:\n{log.read_text()[-3000:]}") from not_ready
    trainer.look("pdf-ready")
    with desk.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    pdf = trainer.folder / "evaluation.pdf"
    download.save_as(pdf)
    assert download.suggested_filename == f"training-evaluation-{timezone.localdate():%Y-%m-%d}-{event.pk}.pdf"

    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert CURRICULUM in text
    assert "3 surveys before and 3 after the training, from 1 event." in text
    for code, title in CONSTRUCTS:
        expected = EXPECTED[code]
        summary_row = (
            rf"{title} \(1{EN_DASH}\d+[^)]*\) {re.escape(expected['before'])} .*?{re.escape(expected['after'])} "
        )
        assert re.search(summary_row, text), f"{title} {expected} not in the PDF's summary: {text[:1500]}"
        assert f"{title} by field of work" in text
    assert WRONG_WAY_ITEM in text
    assert f"{WRONG_WAY['before']} (n=3) {WRONG_WAY['after']} (n=3) {WRONG_WAY['change']}" in text
    assert e2e_world.trainer.full_name in text  # "Printed by"
    pictures = trainer.folder / "evaluation-page"
    subprocess.run([PDFTOPPM, "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(pictures)], check=True)
    assert (trainer.folder / "evaluation-page-1.png").exists()
    assert worker.poll() is None
