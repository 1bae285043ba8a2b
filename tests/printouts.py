"""What the tests of the survivor's printouts share: reading a PDF back, and arranging the plans to print.

The case plan printout is ``phases``' (tests/phases/test_printouts.py), the safety plan and the face
sheet are ``cases``' (tests/cases/test_printouts.py), and what both survivor printouts do alike is
the platform's (tests/bloom/reports/test_printouts.py).
"""

import io
import re
from datetime import timedelta
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from bloom.accounts.services import set_team_members
from bloom.reports import services
from bloom.reports.models import ReportJob
from cases import services as case_services
from cases.models import ProgramSettings
from cases.services.safety import save_safety_plan
from phases.models import ActionStep, Goal, GoalDomain, PhaseTemplate
from phases.services import journey
from phases.services.goals import add_goal_note, add_step, change_goal_status, set_goal
from tests.factories import edit_survivor, make_user

CASE_PLAN, SAFETY_PLAN = "survivor_case_plan", "survivor_safety_plan"

# What must never reach a printout.
STAFF_SUMMARY = "Staff summary: housing referral pending HUD voucher"
PROGRESS_NOTE = "Progress note: seemed withdrawn at the meeting"
SPECIALIST_NOTE = "Review note: ready for Heal per checklist"
SURVIVOR_VIEW = "Review view: I want to move on soon"
DECISION_NOTE = "Decision note: please add the budget first"
STAFF_NOTE = "Staff note: trafficker seen near the shelter on Main St"


# Reading the PDF -------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    return "\n".join(page_texts(data))


def page_texts(data: bytes) -> list[str]:
    """Each page's text, in order."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    """The PDF's text with line breaks and runs of spaces made single spaces (words wrap across lines)."""
    return re.sub(r"\s+", " ", text)


# English left in a printout made in Spanish ---------------------------------------------------

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "es" / "LC_MESSAGES" / "django.po"
# What is cut out of a message before its English is looked for: placeholders and tags.
NOT_WORDS = re.compile(r"%\(\w+\)[sdifr]|%[sdifr%]|\{\w*\}|<[^<>]+>|&\w+;")
# A piece of a message of one word, or shorter than this, could be anyone's ("Yes", "May", "Phone").
SHORTEST_TELLING = 8


@cache
def english_pieces() -> frozenset[str]:
    """Every piece of English of the catalogue that the Spanish does not keep as it is."""
    with CATALOGUE.open("rb") as source:
        catalogue = read_po(source, locale="es")
    pieces = set()
    for message in catalogue:
        if not message.id:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        spanish = " ".join(message.string if isinstance(message.string, tuple) else (message.string,))
        for text in english:
            for part in NOT_WORDS.split(text):
                piece = " ".join(part.split()).strip(" .,:;()")
                if len(piece) >= SHORTEST_TELLING and " " in piece and piece not in spanish:
                    pieces.add(piece)
    return frozenset(pieces)


def english_left_in(text: str) -> list[str]:
    """The pieces of the catalogue's English found, as whole words, in ``text``."""
    text = flat(text)
    return sorted(piece for piece in english_pieces() if piece in text and re.search(rf"\b{re.escape(piece)}\b", text))


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


def make_case_plan(world):
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


def make_safety_plans(world):
    """Two versions of case A's safety plan; the latest is the one printed."""
    make_safety_plan(world.case_a, by=world.specialist, code_word="old-word", staff_note="an older note")
    return make_safety_plan(world.case_a, by=world.specialist)


def make_clerk(world):
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


def set_program_phone(phone: str) -> None:
    """The program's phone, as the administrator sets it in the admin (tests/cases/test_printouts.py does it there)."""
    program = ProgramSettings.load()
    program.phone = phone
    program.save()


# Printing ------------------------------------------------------------------------------------


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
