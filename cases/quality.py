"""What the funder reports count and a case does not have yet: the list to complete.

Funder reports count each enrolled case's race and ethnicity, gender, age, referral source,
type of trafficking, age when first exploited and residence at the time, and, for a case
closed in the period, the answers given at closure. ``to_complete`` lists the cases a person
may see that lack any of these. Every gap is worked out inside the case query (the latest
screening and the approved closure are subqueries), so the list and its counts cost the same
number of queries however many cases it holds.
"""

from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.utils.translation import gettext_lazy as _

from bloom.accounts.models import Team, User
from cases import amp, permissions
from cases.models import Case, CaseAssignment, Closure, Screening

# The answer given at closure when it was not known; a report cannot count it.
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Gap:
    key: str
    label: str  # what is not recorded yet, in the reader's language
    # Shown only to those who may see sensitive details (the answer itself is sensitive).
    sensitive: bool = False

    @property
    def flag(self) -> str:
        """The name of the case annotation that says whether the case has this gap."""
        return f"lacks_{self.key}"


GAPS = (
    Gap("race", _("Race and ethnicity")),
    Gap("gender", _("Gender")),
    Gap("age", _("Date of birth or estimated age")),
    Gap("referral_source", _("Referral source")),
    Gap("trafficking_type", _("Type of trafficking")),
    Gap("age_first_exploited", _("Age when first exploited")),
    Gap("residence", _("Where they lived at the time")),
    Gap("living_situation", _("Living situation at closure")),
    Gap("immigration_relief", _("Continued Presence or T visa at closure"), sensitive=True),
    Gap("hhs_certification", _("HHS letter at closure")),
)


@dataclass(frozen=True)
class GapCount:
    gap: Gap
    cases: int


@dataclass(frozen=True)
class Counts:
    cases: int  # cases with at least one gap
    by_gap: tuple[GapCount, ...]


def gaps_for(user: User) -> tuple[Gap, ...]:
    """The gaps ``user`` is shown: the sensitive ones only with the sensitive-details permission."""
    sensitive = permissions.may_see_sensitive(user)
    return tuple(gap for gap in GAPS if sensitive or not gap.sensitive)


def enrolled_during(cases: QuerySet[Case], *, start: date, end: date) -> QuerySet[Case]:
    """Enrolled cases open at any time from ``start`` to ``end`` (both days included)."""
    return cases.filter(status__in=Case.ENROLLED_STATUSES, opened_on__lte=end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=start)
    )


def to_complete(user: User, *, start: date, end: date, team: Team | None = None, mine: bool = False) -> QuerySet[Case]:
    """The cases ``user`` may see, enrolled during the period, that lack something the reports count.

    Cases reached only by emergency access are left out. Each case carries one boolean
    annotation per gap of ``gaps_for(user)`` (``Gap.flag``), read by ``gaps_of``. Narrowed to
    ``team`` and to the cases assigned to ``user`` when asked. Sorted by the first assigned
    specialist's name (cases with none last), then client code.
    """
    # A case opened in a crisis is still another team's caseload: that team completes it.
    cases = enrolled_during(permissions.visible_cases(user, emergency=False), start=start, end=end)
    if team is not None:
        cases = cases.filter(team=team)
    if mine:
        cases = cases.filter(Exists(CaseAssignment.objects.filter(case=OuterRef("pk"), specialist=user)))
    gaps = gaps_for(user)
    conditions = _conditions(start=start, end=end)
    cases = _with_answers(cases).annotate(
        **{gap.flag: ExpressionWrapper(conditions[gap.key], output_field=BooleanField()) for gap in gaps}
    )
    first_specialist = CaseAssignment.objects.filter(case=OuterRef("pk")).order_by("specialist__full_name", "pk")
    return (
        cases.filter(reduce(or_, (Q(**{gap.flag: True}) for gap in gaps)))
        .annotate(first_specialist=Subquery(first_specialist.values("specialist__full_name")[:1]))
        .select_related("survivor", "team")
        .prefetch_related(Prefetch("specialists", queryset=User.objects.order_by("full_name", "pk")))
        .order_by(F("first_specialist").asc(nulls_last=True), "survivor__client_code", "pk")
    )


def gaps_of(case: Case) -> list[Gap]:
    """What ``case`` (from ``to_complete``) lacks, in the order of ``GAPS``."""
    return [gap for gap in GAPS if getattr(case, gap.flag, False)]


def counts(cases: QuerySet[Case], *, user: User) -> Counts:
    """How many of ``cases`` (from ``to_complete`` for ``user``) lack each thing, in one query."""
    gaps = gaps_for(user)
    totals = cases.order_by().aggregate(
        all_cases=Count("pk"), **{gap.key: Count("pk", filter=Q(**{gap.flag: True})) for gap in gaps}
    )
    return Counts(cases=totals["all_cases"], by_gap=tuple(GapCount(gap, totals[gap.key]) for gap in gaps))


def _with_answers(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The latest screening's and the approved closure's answers the gaps read (None when there is none).

    The latest screening is the survivor's, over all their enrollments, as the reports count it: a
    survivor enrolled again is not asked to tell their story twice.
    """
    latest = Screening.objects.filter(case__survivor=OuterRef("survivor")).order_by(
        "-screened_on", "-case__opened_on", "-version"
    )
    approved = Closure.objects.filter(case=OuterRef("pk"), status=Closure.Status.APPROVED)
    return cases.annotate(
        screened_as=Subquery(latest.values("determination")[:1]),
        screened_age=Subquery(latest.values("age_at_first_exploitation")[:1]),
        screened_residence=Subquery(latest.values("residence")[:1]),
        closed_living=Subquery(approved.values("living_situation")[:1]),
        closed_relief=Subquery(approved.values("immigration_relief")[:1]),
        closed_letter=Subquery(approved.values("hhs_certification")[:1]),
    )


def _conditions(*, start: date, end: date) -> dict[str, Q]:
    """Each gap as a condition on a case annotated by ``_with_answers``."""
    # A report can count "not met"; it cannot count a case never screened or still uncertain.
    uncounted_type = Q(screened_as__isnull=True) | Q(screened_as=amp.Determination.UNCERTAIN)
    closed_in_period = Q(status=Case.Status.CLOSED, closed_on__gte=start, closed_on__lte=end)

    def unknown_at_closure(answer: str) -> Q:
        # A case closed before closures were approved has no closure: none of its answers is known.
        return closed_in_period & (Q(**{f"{answer}__isnull": True}) | Q(**{answer: UNKNOWN}))

    return {
        "race": Q(survivor__race=[]),
        "gender": Q(survivor__gender=""),
        # After a purge the age at intake is kept on the case, and the reports count it.
        "age": Q(survivor__date_of_birth__isnull=True, survivor__estimated_age__isnull=True, intake_age__isnull=True),
        "referral_source": Q(referral_source=""),
        "trafficking_type": uncounted_type,
        "age_first_exploited": Q(screened_age__isnull=True),
        "residence": Q(screened_residence__isnull=True) | Q(screened_residence=""),
        "living_situation": unknown_at_closure("closed_living"),
        "immigration_relief": unknown_at_closure("closed_relief"),
        "hhs_certification": unknown_at_closure("closed_letter"),
    }
