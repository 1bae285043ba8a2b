"""The case's printouts: the face sheet for the file, and the safety plan for the survivor to take home.

The survivor's printouts copy only the values they show into small frozen records
(``PrintedRisk``, ``PrintedNumber``, ...), so a template cannot reach a safety plan's staff note
even by mistake: it is never loaded. They are printed in the survivor's preferred language when
the program has it (``bloom.reports.printouts``), with the program's own phone number when the
program has set one. The parts that every survivor printout shares (who the specialists are,
the numbers to call) are here, for ``phases.printouts`` (the case plan) to use too.

Who may print: anyone who may see the case (``cases.permissions.get_case_for``); the safety
plan also needs the sensitive-details permission. Both are checked again when the PDF is built
and when it is downloaded (``bloom.reports.services``). The builders are registered from
``CasesConfig.ready`` (``register_builders``).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from bloom.accounts.models import User
from bloom.reports.builders import Builder, register
from bloom.reports.pdf import render_pdf
from bloom.reports.printouts import asked_language, read_language, render_printout
from cases import fields, permissions
from cases.models import SAFETY_NUMBERS, Case, EmergencyNumber, ProgramSettings, SafetyPlan

FACE_SHEET = "case_face_sheet"
SAFETY_PLAN = "survivor_safety_plan"


def label(case: Case) -> str:
    """The access log's label: the client code, never a name."""
    return case.survivor.client_code


# What every survivor printout shares ----------------------------------------------------------


@dataclass(frozen=True)
class PrintedSpecialist:
    name: str
    email: str


@dataclass(frozen=True)
class PrintedNumber:
    name: str
    number: str
    when: str  # when to call it, in plain words
    # Typed by the program (its own phone), so it may be long enough to need a second line.
    wraps: bool = False


def program_phone() -> str:
    """The program's phone number from its settings, or "" when none is set; one query, and no write."""
    return (ProgramSettings.objects.filter(pk=1).values_list("phone", flat=True).first() or "").strip()


def addressed(case: Case) -> dict:
    """What every survivor printout shows besides its subject: the day, the specialists, the program's phone.

    Not the survivor's name: the case plan adds it, and the safety plan leaves it off on purpose.
    Two queries.
    """
    return {
        "printed_on": timezone.localdate(),
        "specialists": [
            PrintedSpecialist(name=s.full_name, email=s.email)
            for s in case.specialists.order_by("full_name").only("full_name", "email")
        ],
        "program_phone": program_phone(),
    }


def numbers_to_call(chosen: Iterable[str], *, program_phone: str) -> list[PrintedNumber]:
    """The numbers among ``chosen`` in the program's order, 911 first, then the program's own when it has one.

    Call it inside the printout's language: the words are translated here.
    """
    when = {
        EmergencyNumber.EMERGENCY: gettext("If you are in danger right now."),
        EmergencyNumber.HOTLINE: gettext("Any time, day or night, in many languages."),
        EmergencyNumber.CARELINE: gettext("If someone under 18 is being hurt or is in danger."),
    }
    chosen = set(chosen)
    printed = [
        PrintedNumber(name=str(choice.label), number=SAFETY_NUMBERS[choice], when=when.get(choice, ""))
        for choice in EmergencyNumber
        if choice in chosen
    ]
    if program_phone:
        ours = PrintedNumber(
            name=gettext("Your program"),
            number=program_phone,
            when=gettext("To reach us about anything in this plan."),
            wraps=True,
        )
        printed.insert(1 if EmergencyNumber.EMERGENCY in chosen else 0, ours)
    return printed


def survivor_printout(
    case: Case,
    *,
    template: str,
    context_of: Callable[[Case], dict],
    stem: str,
    progress: Callable[[int], None],
    parameters: dict | None = None,
) -> tuple[str, bytes]:
    """Render one of the survivor's printouts in the language asked for on the print form, else
    in the survivor's own; returns (filename, PDF)."""
    language = asked_language(parameters, preferred=case.survivor.preferred_language)
    pdf = render_printout(template, partial(context_of, case), language=language, progress=progress)
    return f"{stem}-{case.survivor.client_code}.pdf", pdf


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


def authorize_safety_plan(user: User, case_id: int) -> Case:
    """The case if ``user`` may see it and its sensitive details, else Http404.

    Someone who sees the case but not its safety plan gets the same answer as for a
    missing case: the printout's existence is not confirmed either.
    """
    case = permissions.get_case_for(user, case_id)
    if not permissions.can_see_sensitive(user, case):
        raise Http404
    return case


def safety_plan_missing(case: Case) -> str | None:
    """Why there is no safety plan to print (none made yet), or None."""
    if case.safety_plans.exists():
        return None
    return gettext("There is no safety plan to print yet. Make one with the survivor first.")


def safety_plan_context(case: Case) -> dict:
    """What the safety plan printout shows (its latest version), in six queries.

    The staff note is not loaded; the methods of control are staff vocabulary and are left
    out; the survivor's name is not in it, so that a copy someone else finds does not say
    whose plan it is. Call it inside the printout's language.
    """
    plan = (
        case.safety_plans.order_by("-version")
        .only("version", "code_word", "emergency_numbers", "documents_kept", "review_on")
        .first()
    )
    if plan is None:
        raise SafetyPlan.DoesNotExist(f"Case {case.pk} has no safety plan to print.")
    common = addressed(case)
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
        "numbers": numbers_to_call(
            _chosen_numbers(plan) or [EmergencyNumber.EMERGENCY], program_phone=common["program_phone"]
        ),
        "documents_kept": plan.documents_kept,
        "review_on": plan.review_on,
        **common,
    }


def _chosen_numbers(plan: SafetyPlan) -> list[str]:
    chosen = plan.emergency_numbers if isinstance(plan.emergency_numbers, list) else []
    return [n for n in chosen if n in EmergencyNumber.values]


def build_safety_plan(
    case: Case, *, requested_by: User, progress: Callable[[int], None], parameters: dict | None = None
) -> tuple[str, bytes]:
    return survivor_printout(
        case,
        template="cases/printout_safety_plan.html",
        context_of=safety_plan_context,
        stem="safety-plan",
        progress=progress,
        parameters=parameters,
    )


# The face sheet -----------------------------------------------------------------------------


def build_face_sheet(case: Case, *, requested_by: User, progress: Callable[[int], None]) -> tuple[str, bytes]:
    """The staff's one-page summary of the case, in the language of the person printing it; the
    intake fields the director has hidden are left out."""
    context = {
        "case": case,
        "survivor": case.survivor,
        "shown": fields.current().shown,
        "specialists": list(case.specialists.order_by("full_name")),
        "generated_at": timezone.localtime(),
        "generated_by": requested_by,
    }
    progress(40)
    pdf = render_pdf("cases/printout_face_sheet.html", context)
    progress(90)
    return f"face-sheet-{case.survivor.client_code}.pdf", pdf


def register_builders() -> None:
    """Make the face sheet and the safety plan kinds of report (from ``CasesConfig.ready``)."""
    register(
        Builder(
            kind=FACE_SHEET,
            title=gettext_lazy("Case face sheet"),
            authorize=permissions.get_case_for,
            label=label,
            build=build_face_sheet,
        )
    )
    register(
        Builder(
            kind=SAFETY_PLAN,
            title=gettext_lazy("Safety plan for the survivor"),
            authorize=authorize_safety_plan,
            label=label,
            build=build_safety_plan,
            nothing_to_print=safety_plan_missing,
            read_parameters=read_language,
        )
    )
