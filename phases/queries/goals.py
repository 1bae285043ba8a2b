"""Reads of a case's goals: the list with each goal's next step, one goal's steps and notes.

Every function starts from a case (or a goal reached through it) that the caller has
loaded through ``cases.permissions``. Each costs a fixed number of queries however many
goals, steps and notes there are.
"""

from datetime import date

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.timeline import Source
from phases.models import ActionStep, Goal, GoalNote


def _next_step() -> QuerySet[ActionStep]:
    """Subquery: the outer goal's next step not yet done, the soonest due first (undated last)."""
    return ActionStep.objects.filter(goal=OuterRef("pk"), done_on__isnull=True).order_by(
        F("due_on").asc(nulls_last=True), "pk"
    )


def goals_of(case: Case) -> QuerySet[Goal]:
    """``case``'s goals by the survivor's priority, then target date (undated last), each with its step counts
    and its next step (``next_step``, ``next_step_due_on``)."""
    return (
        case.goals.select_related("phase")
        .annotate(
            steps_total=Count("steps"),
            steps_done=Count("steps", filter=Q(steps__done_on__isnull=False)),
            next_step=Subquery(_next_step().values("description")[:1]),
            next_step_due_on=Subquery(_next_step().values("due_on")[:1]),
        )
        .order_by("priority", F("target_on").asc(nulls_last=True), "pk")
    )


def open_goals(case: Case) -> QuerySet[Goal]:
    return goals_of(case).filter(status__in=Goal.OPEN)


def goals_grouped(case: Case) -> dict[str, list[Goal]]:
    """``case``'s goals split into those being worked on (``open``) and the rest (``resting``), in one query."""
    goals = list(goals_of(case))
    return {
        "open": [goal for goal in goals if goal.is_open],
        "resting": [goal for goal in goals if not goal.is_open],
    }


def steps_of(goal: Goal) -> list[ActionStep]:
    """``goal``'s steps: those still to do by due date (undated last), then those done, latest first."""
    steps = list(goal.steps.all())
    to_do = sorted((s for s in steps if s.done_on is None), key=lambda s: (s.due_on or date.max, s.pk))
    done = sorted((s for s in steps if s.done_on is not None), key=lambda s: (s.done_on, s.pk), reverse=True)
    return to_do + done


def notes_of(goal: Goal) -> list[GoalNote]:
    """``goal``'s progress notes, newest first."""
    return list(goal.notes.select_related("written_by"))


def overdue(step: ActionStep, today: date) -> bool:
    return step.done_on is None and step.due_on is not None and step.due_on < today


# The case timeline's events from goals: a goal set, and each progress note. Registered by
# ``PhasesConfig.ready`` (``for source in TIMELINE_SOURCES: timeline.register(source)``).
TIMELINE_SOURCES = (
    Source(
        "goal",
        _("Goals"),
        lambda case: Goal.objects.filter(case=case),
        "created",
        "phases/timeline/_goal.html",
        ("created_by",),
    ),
    Source(
        "goal note",
        _("Goal progress notes"),
        lambda case: GoalNote.objects.filter(goal__case=case),
        "written_on",
        "phases/timeline/_goal_note.html",
        ("goal", "written_by"),
    ),
)
