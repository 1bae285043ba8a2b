"""The survivor's printouts: their case plan and their safety plan, read back from the real PDF."""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from bloom.accounts.services import set_team_members
from bloom.audit.models import AccessLogEntry
from bloom.reports import printouts, services
from bloom.reports.models import ReportJob
from cases import services as case_services
from cases.services.safety import save_safety_plan
from cases.views import safety as safety_views
from phases.models import ActionStep, Goal, GoalDomain, PhaseTemplate
from phases.services import journey
from phases.services.goals import add_goal_note, add_step, change_goal_status, set_goal
from tests.factories import edit_survivor, make_user

CASE_PLAN, SAFETY_PLAN = printouts.CASE_PLAN, printouts.SAFETY_PLAN

# What must never reach a printout.
STAFF_SUMMARY = "Staff summary: housing referral pending HUD voucher"
PROGRESS_NOTE = "Progress note: seemed withdrawn at the meeting"
SPECIALIST_NOTE = "Review note: ready for Heal per checklist"
SURVIVOR_VIEW = "Review view: I want to move on soon"
DECISION_NOTE = "Decision note: please add the budget first"
STAFF_NOTE = "Staff note: trafficker seen near the shelter on Main St"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    """The PDF's text with line breaks and runs of spaces made single spaces (words wrap across lines)."""
    return re.sub(r"\s+", " ", text)


# Arranging a case plan and a safety plan -------------------------------------------------------


def start_plan(case, *, by):
    """The case's plan, in the first phase of the program's template."""
    template = PhaseTemplate.objects.get(in_use=True)
    return journey.start_plan(case, by=by, template=template, started_on=case.opened_on, expected_months=12)


def review_plan(plan, *, by, supervisor):
    """A move forward returned with a note, then asked again and signed off: every kind of review note."""
    checklist = plan.stays.get(left_on__isnull=True).phase.checklist

    def ask(note, view):
        return journey.request_move(
            plan, by=by, done=[True] * len(checklist), specialist_note=note, survivor_view=view, move_on=plan.started_on
        )

    journey.return_move(ask(SPECIALIST_NOTE, SURVIVOR_VIEW), by=supervisor, note=DECISION_NOTE)
    return journey.sign_off_move(ask(SPECIALIST_NOTE, SURVIVOR_VIEW), by=supervisor, note=DECISION_NOTE)


def goal_with_steps(case, *, by, words, steps=(), priority=Goal.Priority.SOON, **fields):
    goal = set_goal(case, by=by, in_own_words=words, domain=GoalDomain.HOUSING, priority=priority, **fields)
    for description, owner, days in steps:
        due_on = timezone.localdate() + timedelta(days=days) if days is not None else None
        partner = "Legal Aid of Hartford" if owner == ActionStep.Owner.PARTNER else ""
        add_step(goal, by=by, description=description, owner=owner, partner=partner, due_on=due_on)
    return goal


@pytest.fixture
def case_plan(world):
    """Case A with a plan, two open goals with steps, an achieved one, a note and a review."""
    case, by = world.case_a, world.specialist
    edit_survivor(case, by=by, preferred_name="Ally")
    plan = start_plan(case, by=by)
    first = goal_with_steps(
        case,
        by=by,
        words="I want my own place where my kids can visit",
        priority=Goal.Priority.NOW,
        staff_summary=STAFF_SUMMARY,
        status=Goal.Status.IN_PROGRESS,
        steps=[
            ("Call the housing office on Tuesday", ActionStep.Owner.SURVIVOR, 3),
            ("Send the voucher letter", ActionStep.Owner.SPECIALIST, 10),
        ],
    )
    add_goal_note(first, by=by, written_on=timezone.localdate(), note=PROGRESS_NOTE)
    goal_with_steps(
        case,
        by=by,
        words="Learn to drive so I can get to work",
        priority=Goal.Priority.LATER,
        steps=[("Ask about the learner's permit", ActionStep.Owner.PARTNER, 1)],
    )
    done = goal_with_steps(
        case, by=by, words="Open a bank account of my own", status=Goal.Status.IN_PROGRESS, staff_summary=STAFF_SUMMARY
    )
    change_goal_status(done, by=by, status=Goal.Status.ACHIEVED, note=PROGRESS_NOTE)
    set_aside = goal_with_steps(case, by=by, words="Move to Boston", steps=[("Look at rents", "survivor", 2)])
    change_goal_status(set_aside, by=by, status=Goal.Status.SET_ASIDE)
    review_plan(plan, by=by, supervisor=world.supervisor)
    return case


def make_safety_plan(case, *, by, risks=1, people=1, places=1, **fields):
    """A new version of the case's safety plan, saved through the service."""
    values = {
        "code_word": "sunflower",
        "emergency_numbers": ["911", "hotline"],
        "documents_kept": "Passport in the office safe at the program",
        "review_on": timezone.localdate() + timedelta(days=90),
        "staff_note": STAFF_NOTE,
        **fields,
    }
    return save_safety_plan(
        case,
        by=by,
        risks=[
            {
                "source": "trafficker",
                "kind": "threats to family",
                "methods": ["debt bondage", "withholds documents"],
                "description": f"He said he would find my sister ({i})",
                "strategies": f"Change my phone number and tell my sister to stay with our aunt ({i})",
            }
            for i in range(risks)
        ],
        people=[{"name": f"Rosa Friend {i}", "relationship": "cousin", "phone": "860-555-0199"} for i in range(people)],
        places=[{"place": f"St. Anne's church hall {i}", "note": "Open every day until 9 pm"} for i in range(places)],
        **values,
    )


@pytest.fixture
def safety_plan(world):
    make_safety_plan(world.case_a, by=world.specialist, code_word="old-word", staff_note="an older note")
    return make_safety_plan(world.case_a, by=world.specialist)


@pytest.fixture
def clerk(world):
    """Someone assigned to case A whose role lacks ``cases.view_sensitive_details``."""
    group = Group.objects.create(name="intake clerk")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="cases", codename__in=["add_case", "view_case_history"])
    )
    user = make_user(full_name="Cleo Clerk")
    user.groups.add(group)
    set_team_members(world.team_a, members=[world.specialist, world.colleague, user], by=None)
    case_services.assign_case(world.case_a, by=world.supervisor, specialists=[world.specialist, user])
    return user


def print_and_download(client, user, kind, case, django_capture_on_commit_callbacks):
    """Ask for a printout as ``user``, build it as the worker would, and download it."""
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("reports:request", args=[kind, case.pk]))
    assert (response.status_code, len(callbacks)) == (302, 1)
    job = ReportJob.objects.get(kind=kind, requested_by=user)
    services.run_report_job(job.pk)
    job.refresh_from_db()
    assert job.status == "done", job.error
    download = client.get(reverse("reports:download", args=[job.public_id]))
    assert download.status_code == 200
    return job, b"".join(download.streaming_content)


# The case plan printout --------------------------------------------------------------------


def test_case_plan_printout_has_the_survivors_goals_steps_and_who_to_call(
    client, world, case_plan, django_capture_on_commit_callbacks
):
    _job, pdf = print_and_download(client, world.specialist, CASE_PLAN, case_plan, django_capture_on_commit_callbacks)
    text = flat(pdf_text(pdf))

    for words in ("I want my own place where my kids can visit", "Learn to drive so I can get to work"):
        assert words in text
    for step in ("Call the housing office on Tuesday", "Send the voucher letter", "Ask about the learner's permit"):
        assert step in text
    assert "Legal Aid of Hartford" in text  # who does the partner's step
    assert "For Ally" in text
    assert "You are in the Heal part of the program" in text  # moved forward with sign-off
    assert "Spiritual and therapeutic recovery" in text
    assert "What you have achieved" in text
    assert "Open a bank account of my own" in text
    assert "Who to call" in text
    assert "Sam Specialist" in text
    assert world.specialist.email in text
    assert "911" in text
    assert "1-888-373-7888" in text


def test_case_plan_printout_lists_open_goals_by_priority_and_steps_by_due_date(
    client, world, case_plan, django_capture_on_commit_callbacks
):
    _job, pdf = print_and_download(client, world.specialist, CASE_PLAN, case_plan, django_capture_on_commit_callbacks)
    text = flat(pdf_text(pdf))

    positions = [
        text.index(s)
        for s in (
            "I want my own place",  # most important now
            "Learn to drive",  # for later
            "What you have achieved",
            "Ask about the learner's permit",  # due tomorrow
            "Call the housing office",  # in three days
            "Send the voucher letter",  # in ten days
        )
    ]
    assert positions == sorted(positions)


def test_case_plan_printout_leaves_out_every_internal_note(
    client, world, case_plan, django_capture_on_commit_callbacks
):
    edit_survivor(case_plan, by=world.specialist, immigration_status="t visa")
    _job, pdf = print_and_download(client, world.specialist, CASE_PLAN, case_plan, django_capture_on_commit_callbacks)
    text = flat(pdf_text(pdf))

    leaked = [
        s
        for s in (STAFF_SUMMARY, PROGRESS_NOTE, SPECIALIST_NOTE, SURVIVOR_VIEW, DECISION_NOTE, "Alma Alpha", "T visa")
        if s in text
    ]
    assert leaked == []
    assert "Move to Boston" not in text
    assert "Look at rents" not in text


def test_case_plan_printout_needs_only_sight_of_the_case(client, clerk, case_plan, django_capture_on_commit_callbacks):
    _job, pdf = print_and_download(client, clerk, CASE_PLAN, case_plan, django_capture_on_commit_callbacks)

    assert "Learn to drive so I can get to work" in flat(pdf_text(pdf))


def test_a_case_plan_with_goals_but_no_plan_yet_prints(client, world, django_capture_on_commit_callbacks):
    goal_with_steps(world.case_a, by=world.specialist, words="Find a quiet job", steps=[("Write a CV", "survivor", 5)])

    _job, pdf = print_and_download(
        client, world.specialist, CASE_PLAN, world.case_a, django_capture_on_commit_callbacks
    )

    text = flat(pdf_text(pdf))
    assert "Find a quiet job" in text
    assert "Write a CV" in text
    assert "Where you are now" not in text


# The safety plan printout ------------------------------------------------------------------


def test_safety_plan_printout_has_the_latest_version_and_no_staff_note(
    client, world, safety_plan, django_capture_on_commit_callbacks
):
    _job, pdf = print_and_download(
        client, world.specialist, SAFETY_PLAN, world.case_a, django_capture_on_commit_callbacks
    )
    text = flat(pdf_text(pdf))

    assert "He said he would find my sister (0)" in text
    assert "Change my phone number and tell my sister to stay with our aunt (0)" in text
    assert "Rosa Friend 0" in text
    assert "860-555-0199" in text
    assert "St. Anne's church hall 0" in text
    assert "sunflower" in text
    assert "Passport in the office safe at the program" in text
    assert "1-888-373-7888" in text
    assert "911" in text
    assert "Keep this somewhere safe. You can ask us for a new copy at any time." in text
    assert safety_plan.review_on.strftime("%Y") in text
    leaked = [
        s for s in (STAFF_NOTE, "an older note", "old-word", "Debt bondage", "debt bondage", "Alma Alpha") if s in text
    ]
    assert leaked == []


def test_safety_plan_printout_shows_only_the_numbers_chosen(client, world, django_capture_on_commit_callbacks):
    make_safety_plan(world.case_a, by=world.specialist, emergency_numbers=["careline"], risks=0, people=0, places=0)

    _job, pdf = print_and_download(
        client, world.specialist, SAFETY_PLAN, world.case_a, django_capture_on_commit_callbacks
    )

    text = flat(pdf_text(pdf))
    assert "1-800-842-2288" in text
    assert "1-888-373-7888" not in text


def test_a_risk_without_the_survivors_words_is_named_plainly(client, world, django_capture_on_commit_callbacks):
    housing = {"source": "life", "kind": "housing", "description": "", "strategies": "Stay at the shelter on Park St"}
    save_safety_plan(
        world.case_a, by=world.specialist, risks=[housing], people=[], places=[], review_on=timezone.localdate()
    )

    _job, pdf = print_and_download(
        client, world.specialist, SAFETY_PLAN, world.case_a, django_capture_on_commit_callbacks
    )

    text = flat(pdf_text(pdf))
    assert "Housing needs" in text
    assert "Stay at the shelter on Park St" in text


# Who may print ------------------------------------------------------------------------------


def test_without_the_sensitive_permission_the_safety_plan_printout_is_404(client, world, clerk, safety_plan):
    client.force_login(clerk)

    response = client.post(reverse("reports:request", args=[SAFETY_PLAN, world.case_a.pk]))

    assert response.status_code == 404
    assert (ReportJob.objects.count(), AccessLogEntry.objects.count()) == (0, 0)


def test_losing_the_sensitive_permission_stops_the_safety_plan_download(
    client, world, clerk, safety_plan, django_capture_on_commit_callbacks
):
    grant = Group.objects.create(name="sensitive for a while")
    grant.permissions.add(Permission.objects.get(content_type__app_label="cases", codename="view_sensitive_details"))
    clerk.groups.add(grant)
    job, _pdf = print_and_download(client, clerk, SAFETY_PLAN, world.case_a, django_capture_on_commit_callbacks)

    clerk.groups.remove(grant)
    client.force_login(clerk)  # a fresh request: permissions are read again

    assert client.get(reverse("reports:download", args=[job.public_id])).status_code == 404
    assert client.get(reverse("reports:job", args=[job.public_id])).status_code == 200  # the job is still theirs


@pytest.mark.parametrize("kind", [CASE_PLAN, SAFETY_PLAN])
@pytest.mark.parametrize("persona", ["colleague", "outsider", "finance", "outreach", "volunteer", "trainer"])
def test_people_who_cannot_see_the_case_get_404(client, world, safety_plan, case_plan, persona, kind):
    client.force_login(world.everyone()[persona])

    response = client.post(reverse("reports:request", args=[kind, world.case_a.pk]))

    assert response.status_code == 404
    assert ReportJob.objects.count() == 0


@pytest.mark.parametrize("kind", [CASE_PLAN, SAFETY_PLAN])
def test_a_printout_is_logged_by_client_code(
    client, world, safety_plan, case_plan, kind, django_capture_on_commit_callbacks
):
    print_and_download(client, world.specialist, kind, world.case_a, django_capture_on_commit_callbacks)

    entries = list(AccessLogEntry.objects.order_by("pk").values_list("action", "target_label"))
    code = world.case_a.survivor.client_code
    assert entries == [("print", code), ("download", code)]


@pytest.mark.parametrize("kind", [CASE_PLAN, SAFETY_PLAN])
def test_a_printout_fails_cleanly_when_access_was_lost_before_it_was_built(
    client, world, safety_plan, case_plan, kind, django_capture_on_commit_callbacks
):
    client.force_login(world.specialist)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("reports:request", args=[kind, world.case_a.pk]))
    case_services.assign_case(world.case_a, by=world.supervisor, specialists=[])

    services.run_report_job(ReportJob.objects.get().pk)

    job = ReportJob.objects.get()
    assert (job.status, job.error, bool(job.file)) == ("failed", "no_access", False)


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


def test_a_case_plan_with_only_a_plan_and_no_goal_prints(client, world, django_capture_on_commit_callbacks):
    start_plan(world.case_a, by=world.specialist)

    _job, pdf = print_and_download(
        client, world.specialist, CASE_PLAN, world.case_a, django_capture_on_commit_callbacks
    )

    text = flat(pdf_text(pdf))
    assert "Strengthen" in text
    assert "No goals are written down yet." in text


def test_the_nothing_to_print_check_does_not_reveal_an_invisible_case(client, world):
    client.force_login(world.outsider)

    response = client.post(reverse("reports:request", args=[SAFETY_PLAN, world.case_a.pk]))

    assert response.status_code == 404


def test_without_the_sensitive_permission_a_missing_safety_plan_is_404_too(client, world, clerk):
    client.force_login(clerk)

    response = client.post(reverse("reports:request", args=[SAFETY_PLAN, world.case_a.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("kind", [CASE_PLAN, SAFETY_PLAN])
@pytest.mark.parametrize("target", ["99999999999999999999", "0"])
def test_odd_case_ids_are_404(client, world, kind, target):
    client.force_login(world.director)

    assert client.post(f"/reports/request/{kind}/{target}/").status_code == 404


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


def test_printout_is_made_in_the_survivors_language(client, world, safety_plan, django_capture_on_commit_callbacks):
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
    client, world, case_plan, django_capture_on_commit_callbacks
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
def test_printouts_are_in_large_type(client, world, safety_plan, case_plan, kind, django_capture_on_commit_callbacks):
    _job, pdf = print_and_download(client, world.specialist, kind, world.case_a, django_capture_on_commit_callbacks)

    sizes = font_sizes(pdf)
    page_number = re.compile(r"\d+ / \d+")
    body = [size for text, size in sizes.items() if not page_number.fullmatch(text)]
    heading = sizes["Who to call" if kind == CASE_PLAN else "If you feel unsafe"]
    title = sizes["Your plan" if kind == CASE_PLAN else "Your safety plan"]

    # Every piece of text but the page number is at least 14 pt; headings are larger still.
    assert min(body) >= 14
    assert title > heading > 14


def test_printouts_link_the_large_type_stylesheet():
    html = render_to_string(
        "reports/survivor_safety_plan.html",
        {"language": "en", "risks": [], "people": [], "places": [], "numbers": [], "specialists": []},
    )

    assert '<link rel="stylesheet" href="/static/css/pdf_survivor.css">' in html
    assert '<html lang="en">' in html


# The print button --------------------------------------------------------------------------


def test_print_button_posts_to_the_printout_and_shows_the_last_job(
    client, world, safety_plan, django_capture_on_commit_callbacks
):
    client.force_login(world.specialist)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("reports:request", args=[SAFETY_PLAN, world.case_a.pk]), headers={"HX-Request": "true"}
        )
    job = printouts.latest_printout(world.specialist, kind=SAFETY_PLAN, case=world.case_a)

    html = render_to_string("reports/_printout_button.html", {"kind": SAFETY_PLAN, "case": world.case_a, "job": job})

    url = reverse("reports:request", args=[SAFETY_PLAN, world.case_a.pk])
    assert b'hx-trigger="load delay:1s"' in response.content
    assert f'hx-post="{url}"' in html
    assert 'hx-target="#printout-survivor_safety_plan"' in html
    assert f'id="job-{job.public_id}"' in html
    assert printouts.latest_printout(world.colleague, kind=SAFETY_PLAN, case=world.case_a) is None


@pytest.mark.parametrize(("kind", "page"), [(CASE_PLAN, "phases:plan"), (SAFETY_PLAN, "cases:safety_plan")])
def test_the_plan_pages_carry_their_print_button_and_last_job(
    client, world, safety_plan, case_plan, kind, page, django_capture_on_commit_callbacks
):
    client.force_login(world.specialist)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("reports:request", args=[kind, world.case_a.pk]))
    job = printouts.latest_printout(world.specialist, kind=kind, case=world.case_a)

    html = client.get(reverse(page, args=[world.case_a.pk])).content.decode()

    assert f'action="{reverse("reports:request", args=[kind, world.case_a.pk])}"' in html
    assert f'id="job-{job.public_id}"' in html


def test_the_safety_page_names_the_printout_kind_the_builders_know():
    assert safety_views.SAFETY_PRINTOUT == SAFETY_PLAN


# Query counts ------------------------------------------------------------------------------


def count_queries(function, case) -> int:
    with CaptureQueriesContext(connection) as queries:
        function(case)
    return len(queries)


@pytest.mark.parametrize("size", [1, 5])
def test_case_plan_context_reads_a_fixed_number_of_queries(world, size):
    start_plan(world.case_a, by=world.specialist)
    for i in range(size):
        goal_with_steps(
            world.case_a,
            by=world.specialist,
            words=f"Goal {i}",
            steps=[(f"Step {i}", "partner", i), (f"Other {i}", "survivor", None)],
        )
        done = goal_with_steps(world.case_a, by=world.specialist, words=f"Done {i}", status=Goal.Status.IN_PROGRESS)
        change_goal_status(done, by=world.specialist, status=Goal.Status.ACHIEVED)

    # The current phase, the goals, the open steps, the specialists.
    assert count_queries(printouts.case_plan_context, world.case_a) == 4


@pytest.mark.parametrize("size", [1, 5])
def test_safety_plan_context_reads_a_fixed_number_of_queries(world, size):
    make_safety_plan(world.case_a, by=world.specialist, risks=size, people=size, places=size)

    # The latest version, its risks, people and places, the specialists.
    assert count_queries(printouts.safety_plan_context, world.case_a) == 5
