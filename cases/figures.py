"""What a dashboard counts about cases and the case list filters by: one condition per figure.

The supervisor's dashboard says, for each team and specialist, how many cases need something
(a contact overdue, a safety plan to review, a housing stay near its limit), and each number
links to the case list showing exactly those cases. The count and the list both ask
``condition`` here, with the same values, so the two cannot disagree.

``cases`` cannot import the apps built on it, so ``phases`` and ``assistance`` register their
figures (no phase move for six months, goals with overdue steps, a stay near its limit) and
where a case's current phase is read from, in their ``AppConfig.ready``, as they register
their case tabs (``cases.sections``).

A condition may read the annotations of ``annotated``: whether a contact is overdue
(``queries.with_last_contact``) and the current phase of ``with_phase``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import DateField, Exists, IntegerField, OuterRef, Q, QuerySet, Value
from django.db.models.expressions import BaseExpression
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bloom.accounts.models import User
from cases import permissions, queries
from cases.models import Case, CaseAssignment

# The status filter's value for "open or reopened" (``queries.ACTIVE``).
ACTIVE = queries.ACTIVE


@dataclass(frozen=True)
class Figure:
    """Cases that need one thing, as a condition on cases for a given day."""

    key: str  # the case list's ``needs`` value
    label: str | Promise  # as the filter and the dashboard name it
    condition: Callable[[date], Q]
    # Where the dashboard shows it: with the caseload, or with what is coming due.
    section: str = "caseload"
    order: int = 100
    # Only for those whose role sees sensitive details (a safety plan's review date).
    sensitive: bool = False
    # A shorter name, for a column of the dashboard's tables.
    heading: str | Promise = ""

    @property
    def column(self) -> str | Promise:
        return self.heading or self.label


CASELOAD = "caseload"
COMING_DUE = "coming due"

FIGURES: dict[str, Figure] = {}


def register(figure: Figure) -> None:
    FIGURES[figure.key] = figure


def shown_to(user: User) -> list[Figure]:
    """The figures ``user`` may count and filter by, in the order the dashboard shows them."""
    sensitive = permissions.may_see_sensitive(user)
    return sorted((f for f in FIGURES.values() if sensitive or not f.sensitive), key=lambda f: (f.order, f.key))


# The current phase ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseSource:
    """Where a case's current phase is read from: ``phases`` registers it.

    ``annotations()``: expressions on the outer case (``OuterRef("pk")``) for ``phase_id``,
    ``phase_name``, ``phase_position`` and ``phase_since`` (the day its current stay began);
    ``choices()``: (phase id, label) of every phase a case can be in, for the filter.
    """

    annotations: Callable[[], dict[str, BaseExpression]]
    choices: Callable[[], list[tuple[int, str]]]


_phase_source: list[PhaseSource] = []


def register_phases(source: PhaseSource) -> None:
    _phase_source[:] = [source]


def phase_choices() -> list[tuple[int, str]]:
    return _phase_source[0].choices() if _phase_source else []


def with_phase(cases: QuerySet[Case]) -> QuerySet[Case]:
    """``cases`` with their current phase (``phase_id``, ``phase_name``, ``phase_position``,
    ``phase_since``; None without a case plan), in the same query. Annotating twice is a no-op."""
    if "phase_id" in cases.query.annotations:
        return cases
    if _phase_source:
        return cases.annotate(**_phase_source[0].annotations())
    nothing = {"phase_id": IntegerField(), "phase_name": IntegerField(), "phase_position": IntegerField()}
    return cases.annotate(
        **{name: Value(None, output_field=field) for name, field in nothing.items()},
        phase_since=Value(None, output_field=DateField()),
    )


def annotated(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What every condition may read: whether a contact is overdue, and the current phase."""
    if "contact_overdue" not in cases.query.annotations:
        cases = queries.with_last_contact(cases)
    return with_phase(cases)


# The conditions ------------------------------------------------------------------------------


def condition(
    *,
    today: date,
    status: str = "",
    team=None,
    specialist=None,
    unassigned: bool = False,
    phase: int | None = None,
    needs: str = "",
    referred: date | None = None,
    enrolled: date | None = None,
    closed: date | None = None,
) -> Q:
    """The case list's filters (all but the name search and "mine") as one condition on ``annotated`` cases.

    ``referred``, ``enrolled`` and ``closed`` are months (their first day). An unknown
    ``needs`` matches nothing rather than everything.
    """
    match = Q()
    if status == ACTIVE:
        match &= Q(status__in=Case.ACTIVE_STATUSES)
    elif status:
        match &= Q(status=status)
    if team:
        match &= Q(team=team)
    if specialist:
        match &= Exists(CaseAssignment.objects.filter(case=OuterRef("pk"), specialist=specialist))
    if unassigned:
        match &= ~Exists(CaseAssignment.objects.filter(case=OuterRef("pk")))
    if phase:
        match &= Q(phase_id=phase)
    if needs:
        figure = FIGURES.get(needs)
        match &= figure.condition(today) if figure else Q(pk__in=[])
    for month, in_month in ((referred, referred_in), (enrolled, enrolled_in), (closed, closed_in)):
        if month:
            match &= in_month(month)
    return match


def month_end(first: date) -> date:
    """The last day of the month that begins on ``first``."""
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def referred_in(month: date) -> Q:
    """Referred in the month: by the referral date, or the intake date when there is none (as
    the state's tables count referrals, docs/REPORTING.md)."""
    days = (month, month_end(month))
    return Q(referred_on__range=days) | Q(referred_on__isnull=True, opened_on__range=days)


def enrolled_in(month: date) -> Q:
    """Enrolled in the month: the outcome of the intake was enrolment, on a day in it."""
    return Q(status__in=Case.ENROLLED_STATUSES, decided_on__range=(month, month_end(month)))


def closed_in(month: date) -> Q:
    """Closed in the month: an approved closure whose closing date is in it."""
    return Q(status=Case.Status.CLOSED, closed_on__range=(month, month_end(month)))


def _contact_overdue(today: date) -> Q:
    # The annotation already holds the whole rule (each case's cadence or agreed day).
    return Q(contact_overdue=True)


def _safety_review_due(today: date) -> Q:
    from cases.services.safety import plans_due_for_review  # noqa: PLC0415 (services read this module's readers)

    return Exists(plans_due_for_review(today=today).filter(case=OuterRef("pk")))


def _release_expiring(today: date) -> Q:
    from cases.services.sharing import releases_expiring  # noqa: PLC0415 (as above)

    return Exists(releases_expiring(today=today).filter(case=OuterRef("pk")))


def _careline_report_due(today: date) -> Q:
    return queries.careline_report_missing()


register(Figure("contact_overdue", _("Contact overdue"), _contact_overdue, order=10))
register(
    Figure(
        "safety_review",
        _("Safety plan review due"),
        _safety_review_due,
        COMING_DUE,
        order=50,
        sensitive=True,
        heading=_("Safety plans to review"),
    )
)
register(
    Figure(
        "release_expiring",
        _("Release expiring within 30 days"),
        _release_expiring,
        COMING_DUE,
        order=60,
        heading=_("Releases expiring"),
    )
)
register(
    Figure(
        "careline_due",
        _("Minor without a Careline report"),
        _careline_report_due,
        COMING_DUE,
        order=70,
        heading=_("Careline reports due"),
    )
)
