"""What the dashboards count and the case list filters by from the case plan (``cases.figures``).

Registered by ``PhasesConfig.ready``: a case's current phase (a column of the case list, a
filter, and the dashboard's cases by phase), the cases whose survivor has been in the same
phase for six months, and those with a goal whose step is overdue.
"""

from datetime import date

from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.expressions import BaseExpression
from django.utils.translation import gettext_lazy as _

from bloom.times import add_months
from bloom.translated import local, local_expression
from cases import figures
from cases.models import Case
from phases.models import Phase, PhaseStay
from phases.services.goals import overdue_steps

# A survivor this long in one phase may need the plan looked at again.
NO_MOVE_MONTHS = 6


def current_phase() -> dict[str, BaseExpression]:
    """The outer case's current phase, from its plan's current stay (at most one: a constraint).

    Its name is in the reader's language (the one active when the query is built), in the
    same query: the case list shows and sorts by it.
    """
    stay = PhaseStay.objects.filter(plan__case=OuterRef("pk"), left_on__isnull=True)
    named = stay.annotate(local_name=local_expression("phase__name"))
    return {
        "phase_id": Subquery(stay.values("phase_id")[:1]),
        "phase_name": Subquery(named.values("local_name")[:1]),
        "phase_position": Subquery(stay.values("phase__position")[:1]),
        "phase_since": Subquery(stay.values("entered_on")[:1]),
    }


def phase_choices() -> list[tuple[int, str]]:
    """Every phase a case can be in (of the template in use, or one a plan follows), in order,
    named in the reader's language.

    A name that two templates share says its template, so the two can be told apart.
    """
    phases = list(
        Phase.objects.filter(Q(template__in_use=True) | Q(template__plans__isnull=False))
        .distinct()
        .select_related("template")
        .order_by("-template__in_use", "template__name", "position")
    )
    names = [local(phase, "name") for phase in phases]
    return [
        (phase.pk, f"{name} ({local(phase.template, 'name')})" if names.count(name) > 1 else name)
        for phase, name in zip(phases, names, strict=True)
    ]


def no_move(today: date) -> Q:
    """Active cases whose survivor entered the current phase ``NO_MOVE_MONTHS`` or more months ago."""
    since = add_months(today, -NO_MOVE_MONTHS)
    stayed = PhaseStay.objects.filter(plan__case=OuterRef("pk"), left_on__isnull=True, entered_on__lte=since)
    return Q(status__in=Case.ACTIVE_STATUSES) & Exists(stayed)


def steps_overdue(today: date) -> Q:
    """Cases with an overdue step on an open goal: the steps the reminders are sent about."""
    return Exists(overdue_steps(today=today).filter(goal__case=OuterRef("pk")))


def register() -> None:
    figures.register_phases(figures.PhaseSource(annotations=current_phase, choices=phase_choices))
    figures.register(
        figures.Figure(
            "no_phase_move", _("No phase move in six months"), no_move, order=20, heading=_("No move in 6 months")
        )
    )
    figures.register(
        figures.Figure(
            "steps_overdue", _("A goal with an overdue step"), steps_overdue, order=30, heading=_("Steps overdue")
        )
    )
