"""What a survivor's copy of their record prints of the case plan: goals, reviews and budgets.

Registered with ``cases.survivor_copy`` when that registry first looks for the apps' parts
(this module is found by name, as the privacy modules are). The phase journey comes from the
service report's section (``phases.service_report``). A goal in the survivor's own words, its
steps, the survivor's own view at a review and their budget are theirs and always printed;
a goal's staff summary, its progress notes and the review notes of staff only with staff notes.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.survivor_copy import Part, Scope, by_case, register
from phases.models import ActionStep, BudgetLine, BudgetMonth, Goal, GoalNote, PhaseReview
from phases.printouts import _who as who_does  # the printout's "You", "Your specialist" or the partner


@dataclass(frozen=True)
class CopiedStep:
    description: str
    who: str
    due_on: date | None
    done_on: date | None


@dataclass(frozen=True)
class CopiedNote:
    written_on: date
    note: str


@dataclass(frozen=True)
class CopiedGoal:
    words: str  # exactly as the survivor said it
    area: str
    status: str
    priority: str
    target_on: date | None
    steps: tuple[CopiedStep, ...]
    summary: str  # the staff summary; empty unless staff notes are printed
    notes: tuple[CopiedNote, ...]  # progress notes; empty unless staff notes are printed


def goals(scope: Scope) -> dict[int, tuple[CopiedGoal, ...]]:
    """Every goal of each enrollment with its steps, the most important first: two queries, three with notes."""
    steps = ActionStep.objects.only("goal_id", "description", "owner", "partner", "due_on", "done_on").order_by(
        F("due_on").asc(nulls_last=True), "pk"
    )
    rows = (
        Goal.objects.filter(case_id__in=scope.case_ids)
        .prefetch_related(Prefetch("steps", queryset=steps))
        .order_by("case_id", "priority", F("target_on").asc(nulls_last=True), "pk")
    )
    if scope.staff_notes:
        rows = rows.prefetch_related(Prefetch("notes", queryset=GoalNote.objects.order_by("written_on", "pk")))
    else:
        rows = rows.defer("staff_summary")
    return by_case(
        rows,
        lambda goal: CopiedGoal(
            words=goal.in_own_words,
            area=str(goal.get_domain_display()),
            status=str(goal.get_status_display()),
            priority=str(goal.get_priority_display()),
            target_on=goal.target_on,
            steps=tuple(
                CopiedStep(description=s.description, who=who_does(s), due_on=s.due_on, done_on=s.done_on)
                for s in goal.steps.all()
            ),
            summary=goal.staff_summary if scope.staff_notes else "",
            notes=tuple(CopiedNote(n.written_on, n.note) for n in goal.notes.all()) if scope.staff_notes else (),
        ),
    )


@dataclass(frozen=True)
class CopiedReview:
    asked_on: date
    from_phase: str
    to_phase: str
    move_on: date
    status: str
    survivor_view: str  # the survivor's own view, as they gave it
    specialist_note: str  # empty unless staff notes are printed
    decision_note: str  # empty unless staff notes are printed


def reviews(scope: Scope) -> dict[int, tuple[CopiedReview, ...]]:
    """Every request to move on to the next phase, oldest first: one query."""
    rows = (
        PhaseReview.objects.filter(plan__case_id__in=scope.case_ids)
        .annotate(case_pk=F("plan__case_id"))
        .select_related("from_phase", "to_phase")
        .order_by("requested_at", "pk")
    )
    return by_case(
        rows,
        lambda review: CopiedReview(
            asked_on=timezone.localdate(review.requested_at),
            from_phase=review.from_phase.local("name"),
            to_phase=review.to_phase.local("name"),
            move_on=review.move_on,
            status=str(review.get_status_display()),
            survivor_view=review.survivor_view,
            specialist_note=review.specialist_note if scope.staff_notes else "",
            decision_note=review.get_decision_note_display() if scope.staff_notes else "",
        ),
        case="case_pk",
    )


@dataclass(frozen=True)
class CopiedLine:
    kind: str
    category: str
    label: str
    amount: Decimal


@dataclass(frozen=True)
class CopiedBudget:
    month: date
    lines: tuple[CopiedLine, ...]
    income: Decimal
    expenses: Decimal
    note: str  # empty unless staff notes are printed


def budgets(scope: Scope) -> dict[int, tuple[CopiedBudget, ...]]:
    """Every month's budget worksheet, oldest first, with its lines: two queries."""
    lines = BudgetLine.objects.order_by("kind", "category", "pk")
    months = (
        BudgetMonth.objects.filter(case_id__in=scope.case_ids)
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("case_id", "month")
    )

    def copied(month: BudgetMonth) -> CopiedBudget:
        lines = tuple(
            CopiedLine(kind=line.kind, category=str(line.get_category_display()), label=line.label, amount=line.amount)
            for line in month.lines.all()
        )
        return CopiedBudget(
            month=month.month,
            lines=lines,
            income=sum((line.amount for line in lines if line.kind == BudgetLine.Kind.INCOME), Decimal("0.00")),
            expenses=sum((line.amount for line in lines if line.kind == BudgetLine.Kind.EXPENSE), Decimal("0.00")),
            note=month.note if scope.staff_notes else "",
        )

    return by_case(months, copied)


register(
    Part(
        "plan goals",
        _("Your goals"),
        "phases/survivor_copy/_goals.html",
        goals,
        order=62,
        replaces=("goals",),
    )
)
register(Part("plan reviews", _("Moving on to the next phase"), "phases/survivor_copy/_reviews.html", reviews, 64))
register(Part("budgets", _("Your budgets"), "phases/survivor_copy/_budgets.html", budgets, 66))
