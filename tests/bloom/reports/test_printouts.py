"""What the survivor's two printouts do alike: who may print, the language, large type, and pages
that never end on a lone line. What each one says is tested beside it: tests/phases/test_printouts.py
(the case plan) and tests/cases/test_printouts.py (the safety plan)."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from bloom.audit.models import AccessLogEntry
from bloom.reports import printouts, services
from bloom.reports.builders import BUILDERS
from bloom.reports.models import ReportJob
from bloom.reports.pdf import render_pdf
from bloom.reports.queries import latest_job_for
from cases import printouts as case_printouts
from cases import services as case_services
from phases import printouts as phase_printouts
from tests.factories import edit_survivor
from tests.printouts import (
    CASE_PLAN,
    SAFETY_PLAN,
    flat,
    make_case_plan,
    make_safety_plans,
    page_texts,
    pdf_text,
    print_and_download,
)


@pytest.fixture
def both_plans(world):
    make_case_plan(world)
    make_safety_plans(world)
    return world.case_a


def test_the_printouts_keep_their_kinds_and_are_registered_by_their_apps():
    # Stored report jobs carry these names: moving the printouts must not rename them.
    assert (case_printouts.FACE_SHEET, case_printouts.SAFETY_PLAN, phase_printouts.CASE_PLAN) == (
        "case_face_sheet",
        SAFETY_PLAN,
        CASE_PLAN,
    )
    assert BUILDERS["case_face_sheet"].build is case_printouts.build_face_sheet
    assert BUILDERS[SAFETY_PLAN].build is case_printouts.build_safety_plan
    assert BUILDERS[CASE_PLAN].build is phase_printouts.build_case_plan


# Who may print ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [CASE_PLAN, SAFETY_PLAN])
@pytest.mark.parametrize("persona", ["colleague", "outsider", "finance", "outreach", "volunteer", "trainer"])
def test_people_who_cannot_see_the_case_get_404(client, world, both_plans, persona, kind):
    client.force_login(world.everyone()[persona])

    response = client.post(reverse("reports:request", args=[kind, world.case_a.pk]))

    assert response.status_code == 404
    assert ReportJob.objects.count() == 0


@pytest.mark.parametrize("kind", [CASE_PLAN, SAFETY_PLAN])
def test_a_printout_is_logged_by_client_code(client, world, both_plans, kind, django_capture_on_commit_callbacks):
    print_and_download(client, world.specialist, kind, world.case_a, django_capture_on_commit_callbacks)

    entries = list(AccessLogEntry.objects.order_by("pk").values_list("action", "target_label"))
    code = world.case_a.survivor.client_code
    assert entries == [("print", code), ("download", code)]


@pytest.mark.parametrize("kind", [CASE_PLAN, SAFETY_PLAN])
def test_a_printout_fails_cleanly_when_access_was_lost_before_it_was_built(
    client, world, both_plans, kind, django_capture_on_commit_callbacks
):
    client.force_login(world.specialist)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("reports:request", args=[kind, world.case_a.pk]))
    case_services.assign_case(world.case_a, by=world.supervisor, specialists=[])

    services.run_report_job(ReportJob.objects.get().pk)

    job = ReportJob.objects.get()
    assert (job.status, job.error, bool(job.file)) == ("failed", "no_access", False)


@pytest.mark.parametrize("kind", [CASE_PLAN, SAFETY_PLAN])
@pytest.mark.parametrize("target", ["99999999999999999999", "0"])
def test_odd_case_ids_are_404(client, world, kind, target):
    client.force_login(world.director)

    assert client.post(f"/reports/request/{kind}/{target}/").status_code == 404


# Nothing to print ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (SAFETY_PLAN, "There is no safety plan to print yet. Make one with the survivor first."),
        (CASE_PLAN, "There is no case plan to print yet. Start the plan or write down a goal with the survivor first."),
    ],
)
def test_nothing_to_print_says_so_and_queues_nothing(client, world, kind, message):
    client.force_login(world.specialist)
    url = reverse("reports:request", args=[kind, world.case_a.pk])

    plain = client.post(url)
    htmx = client.post(url, headers={"HX-Request": "true"})

    assert plain.status_code == 302
    assert plain["Location"] == world.case_a.get_absolute_url()
    assert [str(m) for m in get_messages(plain.wsgi_request)] == [message]
    assert htmx.status_code == 200
    assert message in htmx.content.decode()
    assert b"<html" not in htmx.content
    assert (ReportJob.objects.count(), AccessLogEntry.objects.count()) == (0, 0)


def test_the_nothing_to_print_check_does_not_reveal_an_invisible_case(client, world):
    client.force_login(world.outsider)

    response = client.post(reverse("reports:request", args=[SAFETY_PLAN, world.case_a.pk]))

    assert response.status_code == 404


# The language ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preferred", "code"),
    [
        ("es", "es"),
        ("ES", "es"),
        ("es-MX", "es"),
        ("Spanish", "es"),
        ("spanish", "es"),
        ("español", "es"),
        ("Espanol", "es"),
        ("  ESPAÑOL ", "es"),
        ("Spanish (Mexico)", "es"),
        ("Spanish, some English", "es"),
        ("English", "en"),
        ("en", "en"),
        ("", "en"),
        ("Portuguese", "en"),
        ("Not Spanish", "en"),
        ("Españolish", "en"),
        ("\u202espanish", "en"),
    ],
)
def test_printout_language_reads_the_free_text_preferred_language(preferred, code):
    assert printouts.printout_language(preferred) == code


def test_printout_language_falls_back_to_the_programs_language(settings):
    settings.LANGUAGE_CODE = "es"

    assert (printouts.printout_language(""), printouts.printout_language("Tigrinya")) == ("es", "es")


def test_printout_is_made_in_the_survivors_language(client, world, both_plans, django_capture_on_commit_callbacks):
    edit_survivor(world.case_a, by=world.specialist, preferred_language="Español")

    _job, pdf = print_and_download(
        client, world.specialist, SAFETY_PLAN, world.case_a, django_capture_on_commit_callbacks
    )

    reader = PdfReader(io.BytesIO(pdf))
    # The document's language comes from <html lang>; dates use Django's Spanish month names.
    assert reader.trailer["/Root"]["/Lang"] == "es"
    months = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
              "noviembre", "diciembre"]  # fmt: skip
    assert any(f" de {month} de " in flat(pdf_text(pdf)) for month in months)


def test_printout_without_a_known_language_is_made_in_english(
    client, world, both_plans, django_capture_on_commit_callbacks
):
    edit_survivor(world.case_a, by=world.specialist, preferred_language="Tigrinya")

    _job, pdf = print_and_download(
        client, world.specialist, CASE_PLAN, world.case_a, django_capture_on_commit_callbacks
    )

    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "en"


# Large type --------------------------------------------------------------------------------


def font_sizes(pdf: bytes) -> dict[str, float]:
    """The size in points at which each piece of text is drawn, from the PDF's own text operators."""
    sizes = {}

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            # The size set by Tf, scaled by the text and current matrices' vertical scale.
            sizes[text.strip()] = round(font_size * tm[3] * cm[3], 1)

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return sizes


@pytest.mark.parametrize("kind", [CASE_PLAN, SAFETY_PLAN])
def test_printouts_are_in_large_type(client, world, both_plans, kind, django_capture_on_commit_callbacks):
    _job, pdf = print_and_download(client, world.specialist, kind, world.case_a, django_capture_on_commit_callbacks)

    sizes = font_sizes(pdf)
    page_number = re.compile(r"\d+ / \d+")
    body = [size for text, size in sizes.items() if not page_number.fullmatch(text)]
    heading = sizes["Who to call" if kind == CASE_PLAN else "If you feel unsafe"]
    title = sizes["Your plan" if kind == CASE_PLAN else "Your safety plan"]

    # Every piece of text but the page number is at least 14 pt; headings are larger still.
    assert min(body) >= 14
    assert title > heading > 14


@pytest.mark.parametrize("template", ["cases/printout_safety_plan.html", "phases/printout_case_plan.html"])
def test_printouts_link_the_large_type_stylesheet(template):
    html = render_to_string(
        template,
        {"language": "en", "risks": [], "people": [], "places": [], "numbers": [], "specialists": [], "steps": []},
    )

    assert '<link rel="stylesheet" href="/static/css/pdf_survivor.css">' in html
    assert '<html lang="en">' in html


# Pages that never end on a lone line --------------------------------------------------------


PAGE_NUMBER = re.compile(r"\d+ / \d+")


def lines_per_page(pdf: bytes) -> list[int]:
    """How many lines of text each page holds, its page number left out."""
    return [
        len([line for line in text.splitlines() if line.strip() and not PAGE_NUMBER.fullmatch(line.strip())])
        for text in page_texts(pdf)
    ]


def case_plan_of(size: int) -> tuple[str, dict]:
    """A case plan whose last step, just before "Who to call", grows by a few words with each ``size``."""
    goal = phase_printouts.PrintedGoal("I want my own place where my kids can visit", "Housing", None)
    last_step = "Call the housing office" + " and bring the letter" * size
    context = {
        "name": "Ally",
        "phase": phase_printouts.PrintedPhase("Strengthen", "Safety and stability come first.", date(2026, 1, 5)),
        "open_goals": [goal],
        "achieved_goals": [],
        "steps": [phase_printouts.PrintedStep(last_step, "You", date(2026, 3, 9), goal.words)],
        "specialists": [case_printouts.PrintedSpecialist("Sam Specialist", "sam@example.org")],
        "numbers": case_printouts.numbers_to_call(["911", "hotline"], program_phone="860-555-0142"),
    }
    return "phases/printout_case_plan.html", context


def safety_plan_of(size: int) -> tuple[str, dict]:
    """A safety plan whose note on where the papers are kept, near the end, is ``size`` lines long."""
    kept = "\n".join(f"Line {i + 1}: the passport is in the office safe" for i in range(size))
    context = {
        "risks": [case_printouts.PrintedRisk("He said he would find my sister", True, "Stay with our aunt")],
        "people": [case_printouts.PrintedPerson("Rosa Friend", "cousin", "860-555-0199")],
        "places": [],
        "code_word": "sunflower",
        "numbers": case_printouts.numbers_to_call(["911"], program_phone="860-555-0142"),
        "documents_kept": kept,
        "review_on": date(2026, 6, 1),
        "specialists": [case_printouts.PrintedSpecialist("Sam Specialist", "sam@example.org")],
    }
    return "cases/printout_safety_plan.html", context


def pages_of(arrange, size: int) -> list[int]:
    template, context = arrange(size)
    with translation.override("en"):
        return lines_per_page(render_pdf(template, {**context, "printed_on": date(2026, 3, 2), "language": "en"}))


@pytest.mark.parametrize("arrange", [case_plan_of, safety_plan_of])
def test_a_printout_that_spills_onto_one_more_page_never_leaves_a_lone_line_there(arrange):
    # The smallest size that starts a new last page, found by halving; then that size and the next
    # ones: what spills first is what comes last, the closing words, which must not go over alone.
    low, high = 0, 48
    pages = len(pages_of(arrange, low))
    assert len(pages_of(arrange, high)) > pages
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if len(pages_of(arrange, middle)) == pages else (low, middle)

    spilled = {size: pages_of(arrange, size) for size in range(high, high + 6)}

    assert {size: lines for size, lines in spilled.items() if len(lines) != pages + 1 or min(lines) < 3} == {}


def test_the_printout_stylesheets_keep_lines_and_blocks_together():
    survivor = (Path(settings.BASE_DIR) / "static/css/pdf_survivor.css").read_text()
    staff = (Path(settings.BASE_DIR) / "static/css/pdf.css").read_text()

    for css in (survivor, staff):
        assert re.search(r"orphans:\s*3;", css)
        assert re.search(r"widows:\s*3;", css)
    # A step, a person, a number: each stays whole, and the closing words go with what they close.
    assert re.search(r"\.sv-item \{[^}]*break-inside: avoid;", survivor)
    assert re.search(r"\.sv-footer \{[^}]*break-before: avoid;", survivor)
    assert re.search(r"\.pdf-footer \{[^}]*break-before: avoid;", staff)


# The print button --------------------------------------------------------------------------


def test_print_button_posts_to_the_printout_and_shows_the_last_job(
    client, world, both_plans, django_capture_on_commit_callbacks
):
    client.force_login(world.specialist)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("reports:request", args=[SAFETY_PLAN, world.case_a.pk]), headers={"HX-Request": "true"}
        )
    job = latest_job_for(world.specialist, kind=SAFETY_PLAN, target_id=world.case_a.pk)

    html = render_to_string("reports/_printout_button.html", {"kind": SAFETY_PLAN, "case": world.case_a, "job": job})

    url = reverse("reports:request", args=[SAFETY_PLAN, world.case_a.pk])
    assert b'hx-trigger="load delay:1s"' in response.content
    assert f'hx-post="{url}"' in html
    assert 'hx-target="#printout-survivor_safety_plan"' in html
    assert f'id="job-{job.public_id}"' in html
    assert latest_job_for(world.colleague, kind=SAFETY_PLAN, target_id=world.case_a.pk) is None
