"""The service report's phase journey and goals achieved: registered with ``cases.service_report``
from ``PhasesConfig.ready``.

The journey is each time in a phase that covered a day of the period, with how it began
(started, moved forward, moved back) and, with notes only, why the survivor went back. A goal
counts as achieved in the period when its latest move to "achieved" falls in it and it is
still achieved; goals keep no achievement date, so the day is read from the goal's history.
Its area of life is printed; its words (the survivor's) and its staff summary are narratives,
printed with notes only. Both are the case plan: an organization is sent them only under an
active release that covers it (``Section.kind``).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import InformationKind
from cases.service_report import Scope, Section, register
from phases.models import Goal, PhaseStay


@dataclass(frozen=True)
class PrintedStay:
    phase: str
    entered_on: date
    left_on: date | None  # None while it is the current one
    how: str
    reason: str  # why the survivor moved back; empty unless notes are printed


def journey(scope: Scope) -> dict[int, tuple[PrintedStay, ...]]:
    """Each case's times in a phase that covered a day of the period, in order: one query."""
    stays = (
        PhaseStay.objects.filter(plan__case_id__in=scope.case_ids, entered_on__lte=scope.end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=scope.start))
        .annotate(case_pk=F("plan__case_id"))
        .select_related("phase")
        .only("entered_on", "left_on", "how", "reason", "phase__name", "phase__translations")
        .order_by("entered_on", "pk")
    )
    printed: dict[int, list[PrintedStay]] = defaultdict(list)
    for stay in stays:
        printed[stay.case_pk].append(
            PrintedStay(
                phase=stay.phase.local("name"),
                entered_on=stay.entered_on,
                left_on=stay.left_on,
                how=str(stay.get_how_display()),
                reason=stay.reason if scope.notes else "",
            )
        )
    return {case_id: tuple(rows) for case_id, rows in printed.items()}


@dataclass(frozen=True)
class AchievedGoal:
    area: str
    achieved_on: date
    words: str  # the survivor's; empty unless notes are printed
    summary: str  # the staff summary; empty unless notes are printed


def achieved_since() -> Subquery:
    """Subquery: when the outer goal last became achieved (its earliest history row as achieved
    that no later row in another status follows)."""
    history = Goal.history.model
    left_after = history.objects.filter(id=OuterRef("id"), history_date__gt=OuterRef("history_date")).exclude(
        status=Goal.Status.ACHIEVED
    )
    became = (
        history.objects.filter(id=OuterRef("pk"), status=Goal.Status.ACHIEVED)
        .exclude(Exists(left_after))
        .order_by("history_date")
        .values("history_date")[:1]
    )
    return Subquery(became)


def goals_achieved(scope: Scope) -> dict[int, tuple[AchievedGoal, ...]]:
    """Goals achieved in the period and still achieved, in the order they were: one query."""
    first, after = scope.moments()
    goals = (
        Goal.objects.filter(case_id__in=scope.case_ids, status=Goal.Status.ACHIEVED)
        .annotate(achieved_at=achieved_since())
        .filter(achieved_at__gte=first, achieved_at__lt=after)
        .only("case_id", "domain", "in_own_words", "staff_summary")
        .order_by("achieved_at", "pk")
    )
    printed: dict[int, list[AchievedGoal]] = defaultdict(list)
    for goal in goals:
        printed[goal.case_id].append(
            AchievedGoal(
                area=str(goal.get_domain_display()),
                achieved_on=timezone.localdate(goal.achieved_at),
                words=goal.in_own_words if scope.notes else "",
                summary=goal.staff_summary if scope.notes else "",
            )
        )
    return {case_id: tuple(rows) for case_id, rows in printed.items()}


def register_sections() -> None:
    register(
        Section(
            key="journey",
            title=_("Phase journey"),
            own_title=_("Your journey through the program"),
            template="phases/service_report/_journey.html",
            load=journey,
            empty=_("No case plan was under way in this period."),
            order=60,
            kind=InformationKind.CASE_PLAN,
        )
    )
    register(
        Section(
            key="goals",
            title=_("Goals achieved"),
            own_title=_("Goals you achieved"),
            template="phases/service_report/_goals.html",
            load=goals_achieved,
            empty=_("No goal was marked achieved in this period."),
            order=70,
            kind=InformationKind.CASE_PLAN,
        )
    )
