"""Printouts for the survivor: their case plan and their safety plan, to take home.

Plain words, large type, and nothing written for staff. The contexts below copy only the
values a printout shows into small frozen records (``PrintedGoal``, ``PrintedStep``, ...), so
a template cannot reach a goal's staff summary, its progress notes, a phase review or a
safety plan's staff note even by mistake: they are never loaded. Each printout is rendered
in the survivor's preferred language when the program has it (``printout_language``).

Who may print: anyone who may see the case (``cases.permissions.get_case_for``); the safety
plan also needs the sensitive-details permission. Both are checked again when the PDF is
built and when it is downloaded (``bloom.reports.services``).
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.db.models import F
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext

from bloom.accounts.models import User
from bloom.reports.models import ReportJob
from bloom.reports.pdf import render_pdf
from bloom.reports.queries import latest_job_for
from cases import permissions as case_permissions
from cases.models import SAFETY_NUMBERS, Case, EmergencyNumber, SafetyPlan
from phases.models import ActionStep, CasePlan, Goal, PhaseStay

CASE_PLAN = "survivor_case_plan"
SAFETY_PLAN = "survivor_safety_plan"


# The language ---------------------------------------------------------------------------------


def printout_language(preferred: str) -> str:
    """The language code to print in for a survivor whose preferred language is ``preferred``.

    ``Survivor.preferred_language`` is free text. It names one of ``settings.LANGUAGES`` when
    it is that language's code ("es", "es-MX"), its English name ("Spanish") or its own name
    ("español"), in any case, with or without accents; the first word is enough ("Spanish,
    some English"). Anything else, or nothing, gives ``settings.LANGUAGE_CODE``.
    """
    wanted = _plain(preferred)
    if not wanted:
        return settings.LANGUAGE_CODE
    known = {}
    for code, name in settings.LANGUAGES:
        info = LANG_INFO.get(code, {})
        with translation.override("en"):
            english = str(name)
        for alias in (code, english, info.get("name", ""), info.get("name_local", "")):
            if alias:
                known.setdefault(_plain(alias), code)
    first_word = re.split(r"[\W_]+", wanted)[0]
    return known.get(wanted) or known.get(first_word) or settings.LANGUAGE_CODE


def _plain(text: str) -> str:
    """``text`` without accents, in lower case, trimmed: "  Español " -> "espanol"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


# Who may print -------------------------------------------------------------------------------


def authorize_case_plan(user: User, case_id: int) -> Case:
    """The case if ``user`` may see it, else Http404."""
    return case_permissions.get_case_for(user, case_id)


def authorize_safety_plan(user: User, case_id: int) -> Case:
    """The case if ``user`` may see it and its sensitive details, else Http404.

    Someone who sees the case but not its safety plan gets the same answer as for a
    missing case: the printout's existence is not confirmed either.
    """
    case = case_permissions.get_case_for(user, case_id)
    if not case_permissions.can_see_sensitive(user, case):
        raise Http404
    return case


def label(case: Case) -> str:
    """The access log's label: the client code, never a name."""
    return case.survivor.client_code


# Nothing to print ----------------------------------------------------------------------------


def case_plan_missing(case: Case) -> str | None:
    """Why there is no case plan to print (no plan started and no goal written), or None."""
    if CasePlan.objects.filter(case=case).exists() or case.goals.exists():
        return None
    return gettext("There is no case plan to print yet. Start the plan or write down a goal with the survivor first.")


def safety_plan_missing(case: Case) -> str | None:
    """Why there is no safety plan to print (none made yet), or None."""
    if case.safety_plans.exists():
        return None
    return gettext("There is no safety plan to print yet. Make one with the survivor first.")


# The case plan -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintedPhase:
    name: str
    purpose: str
    since: date


@dataclass(frozen=True)
class PrintedGoal:
    words: str  # exactly as the survivor said it
    area: str
    target_on: date | None


@dataclass(frozen=True)
class PrintedStep:
    description: str
    who: str  # "You", "Your specialist", or the partner's name
    due_on: date | None
    goal_words: str


@dataclass(frozen=True)
class PrintedSpecialist:
    name: str
    email: str


@dataclass(frozen=True)
class PrintedNumber:
    name: str
    number: str
    when: str  # when to call it, in plain words


def case_plan_context(case: Case) -> dict:
    """What the case plan printout shows, in four queries whatever the number of goals and steps.

    Call it inside the printout's language (labels are translated here).
    """
    stay = (
        PhaseStay.objects.filter(plan__case=case, left_on__isnull=True)
        .select_related("phase")
        .only("entered_on", "phase__name", "phase__purpose")
        .first()
    )
    goals = case.goals.filter(status__in=[*Goal.OPEN, Goal.Status.ACHIEVED]).only(
        "in_own_words", "domain", "target_on", "status", "priority"
    )
    printed = {True: [], False: []}
    for goal in goals.order_by("priority", F("target_on").asc(nulls_last=True), "pk"):
        printed[goal.is_open].append(
            PrintedGoal(words=goal.in_own_words, area=goal.get_domain_display(), target_on=goal.target_on)
        )
    steps = (
        ActionStep.objects.filter(goal__case=case, goal__status__in=Goal.OPEN, done_on__isnull=True)
        .select_related("goal")
        .only("description", "owner", "partner", "due_on", "goal__in_own_words")
        .order_by(F("due_on").asc(nulls_last=True), "goal__priority", "pk")
    )
    return {
        "phase": stay and PrintedPhase(name=stay.phase.name, purpose=stay.phase.purpose, since=stay.entered_on),
        "open_goals": printed[True],
        "achieved_goals": printed[False],
        "steps": [
            PrintedStep(description=s.description, who=_who(s), due_on=s.due_on, goal_words=s.goal.in_own_words)
            for s in steps
        ],
        **_common(case),
        "numbers": _numbers([EmergencyNumber.EMERGENCY, EmergencyNumber.HOTLINE]),
    }


def _who(step: ActionStep) -> str:
    if step.owner == ActionStep.Owner.SURVIVOR:
        return gettext("You")
    if step.owner == ActionStep.Owner.SPECIALIST:
        return gettext("Your specialist")
    return step.partner or gettext("A partner organization")


def _common(case: Case) -> dict:
    """What both printouts show: the survivor's name, the day, and their specialists."""
    return {
        # The name the survivor asked to be called; never the legal name when they gave another.
        "name": case.survivor.display_name,
        "printed_on": timezone.localdate(),
        "specialists": [
            PrintedSpecialist(name=s.full_name, email=s.email)
            for s in case.specialists.order_by("full_name").only("full_name", "email")
        ],
    }


def _numbers(chosen) -> list[PrintedNumber]:
    """The program's numbers among ``chosen``, in the program's order (911 first)."""
    when = {
        EmergencyNumber.EMERGENCY: gettext("If you are in danger right now."),
        EmergencyNumber.HOTLINE: gettext("Any time, day or night, in many languages."),
        EmergencyNumber.CARELINE: gettext("If someone under 18 is being hurt or is in danger."),
    }
    return [
        PrintedNumber(name=str(choice.label), number=SAFETY_NUMBERS[choice], when=when.get(choice, ""))
        for choice in EmergencyNumber
        if choice in chosen
    ]


def build_case_plan(case: Case, *, requested_by: User, progress: Callable[[int], None]) -> tuple[str, bytes]:
    return _build(case, "reports/survivor_case_plan.html", case_plan_context, "case-plan", progress)


# The safety plan -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintedRisk:
    words: str  # the survivor's description, or the plain name of the risk
    in_their_words: bool  # whether ``words`` are the survivor's own (quoted) or the risk's name
    strategies: str


@dataclass(frozen=True)
class PrintedPerson:
    name: str
    relationship: str
    phone: str


@dataclass(frozen=True)
class PrintedPlace:
    place: str
    note: str


def safety_plan_context(case: Case) -> dict:
    """What the safety plan printout shows (its latest version), in five queries.

    The staff note is not loaded; the methods of control are staff vocabulary and are left
    out. Call it inside the printout's language.
    """
    plan = (
        case.safety_plans.order_by("-version")
        .only("version", "code_word", "emergency_numbers", "documents_kept", "review_on")
        .first()
    )
    if plan is None:
        raise SafetyPlan.DoesNotExist(f"Case {case.pk} has no safety plan to print.")
    return {
        "risks": [
            PrintedRisk(
                words=r.description or r.get_kind_display(),
                in_their_words=bool(r.description),
                strategies=r.strategies,
            )
            for r in plan.risks.only("kind", "description", "strategies")
        ],
        "people": [
            PrintedPerson(name=p.name, relationship=p.relationship, phone=p.phone)
            for p in plan.safe_people.only("name", "relationship", "phone")
        ],
        "places": [PrintedPlace(place=p.place, note=p.note) for p in plan.safe_places.only("place", "note")],
        "code_word": plan.code_word,
        # 911 is always worth having on paper, even if the plan chose no number.
        "numbers": _numbers(_chosen_numbers(plan) or [EmergencyNumber.EMERGENCY]),
        "documents_kept": plan.documents_kept,
        "review_on": plan.review_on,
        **_common(case),
    }


def _chosen_numbers(plan: SafetyPlan) -> list[str]:
    chosen = plan.emergency_numbers if isinstance(plan.emergency_numbers, list) else []
    return [n for n in chosen if n in EmergencyNumber.values]


def build_safety_plan(case: Case, *, requested_by: User, progress: Callable[[int], None]) -> tuple[str, bytes]:
    return _build(case, "reports/survivor_safety_plan.html", safety_plan_context, "safety-plan", progress)


# Both ----------------------------------------------------------------------------------------


def _build(case: Case, template: str, context_of: Callable[[Case], dict], stem: str, progress) -> tuple[str, bytes]:
    """Render one printout in the survivor's language; returns (filename, PDF)."""
    language = printout_language(case.survivor.preferred_language)
    with translation.override(language):
        context = {**context_of(case), "language": language}
        progress(40)
        pdf = render_pdf(template, context)
    progress(90)
    return f"{stem}-{case.survivor.client_code}.pdf", pdf


def latest_printout(user: User, *, kind: str, case: Case) -> ReportJob | None:
    """The latest printout of ``kind`` that ``user`` asked for on ``case``, for the print button."""
    return latest_job_for(user, kind=kind, target_id=case.pk)
