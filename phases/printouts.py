"""The survivor's case plan, to take home: where they are, their goals in their own words, their next steps.

Plain words, large type, and nothing written for staff. The context copies only the values the
printout shows into small frozen records (``PrintedGoal``, ``PrintedStep``, ...), so the template
cannot reach a goal's staff summary, its progress notes or a phase review even by mistake: they
are never loaded. The parts every survivor printout shares (the specialists, the numbers to call,
the program's phone, the language) come from ``cases.printouts``.

Who may print: anyone who may see the case, checked again when the PDF is built and when it is
downloaded. The builder is registered from ``PhasesConfig.ready`` (``register_builders``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import F
from django.utils.translation import gettext, gettext_lazy

from bloom.accounts.models import User
from bloom.reports.builders import Builder, register
from bloom.reports.printouts import read_language
from cases import fields, permissions
from cases.models import Case, EmergencyNumber
from cases.printouts import addressed, label, numbers_to_call, survivor_printout
from phases.models import ActionStep, CasePlan, Goal, PhaseStay

CASE_PLAN = "survivor_case_plan"


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


def case_plan_missing(case: Case) -> str | None:
    """Why there is no case plan to print (no plan started and no goal written), or None."""
    if CasePlan.objects.filter(case=case).exists() or case.goals.exists():
        return None
    return gettext("There is no case plan to print yet. Start the plan or write down a goal with the survivor first.")


def case_plan_context(case: Case) -> dict:
    """What the case plan printout shows, in five queries whatever the number of goals and steps.

    Call it inside the printout's language (labels are translated here).
    """
    stay = (
        PhaseStay.objects.filter(plan__case=case, left_on__isnull=True)
        .select_related("phase")
        .only("entered_on", "phase__name", "phase__purpose", "phase__translations")
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
    common = addressed(case)
    return {
        # The name the survivor asked to be called; never the legal name when they gave another,
        # nor a name the director hid from intake.
        "name": fields.current().name_of(case.survivor),
        "phase": stay and _printed_phase(stay),
        "open_goals": printed[True],
        "achieved_goals": printed[False],
        "steps": [
            PrintedStep(description=s.description, who=_who(s), due_on=s.due_on, goal_words=s.goal.in_own_words)
            for s in steps
        ],
        "numbers": numbers_to_call(
            [EmergencyNumber.EMERGENCY, EmergencyNumber.HOTLINE], program_phone=common["program_phone"]
        ),
        **common,
    }


def _printed_phase(stay: PhaseStay) -> PrintedPhase:
    """The current phase as the director wrote it in the printout's language (this runs inside it)."""
    return PrintedPhase(name=stay.phase.local("name"), purpose=stay.phase.local("purpose"), since=stay.entered_on)


def _who(step: ActionStep) -> str:
    if step.owner == ActionStep.Owner.SURVIVOR:
        return gettext("You")
    if step.owner == ActionStep.Owner.SPECIALIST:
        return gettext("Your specialist")
    return step.partner or gettext("A partner organization")


def build_case_plan(
    case: Case, *, requested_by: User, progress: Callable[[int], None], parameters: dict | None = None
) -> tuple[str, bytes]:
    return survivor_printout(
        case,
        template="phases/printout_case_plan.html",
        context_of=case_plan_context,
        stem="case-plan",
        progress=progress,
        parameters=parameters,
    )


def register_builders() -> None:
    """Make the survivor's case plan a kind of report (from ``PhasesConfig.ready``)."""
    register(
        Builder(
            kind=CASE_PLAN,
            title=gettext_lazy("Case plan for the survivor"),
            authorize=permissions.get_case_for,
            label=label,
            build=build_case_plan,
            nothing_to_print=case_plan_missing,
            read_parameters=read_language,
        )
    )
