"""The program director's figures: the home page's totals, and the dashboard for a period.

Every figure reads through the choke points, as every dashboard does: cases (and what hangs
off them: screenings, phases, closures, services) through ``cases.permissions.visible_cases``,
money through ``assistance.access.visible_requests``, sessions and events through the outreach
and training ``access`` modules. So a restricted case that does not name the director is not
counted here, although the funder reports, which read ``cases.tallies``, count it; the
director's dashboard shows what the director may open (docs/REPORTING.md, "The director's
dashboard"). Money is the exception that proves the rule: those who pay requests see every
request's amount, restricted or not (``assistance.access``), so a fund's payments are all there.

Each function returns counts keyed by codes or months, never a row, and costs a fixed number of
queries however many cases there are (one each, two for money).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from assistance import access as assistance_access
from assistance.models import Fund
from bloom.accounts.models import Role, User
from bloom.reports.figures import Period
from bloom.times import add_months
from bloom.translated import local_expression
from cases import delivered
from cases import permissions as case_permissions
from cases import queries as case_queries
from cases.models import Case, Closure, Screening, Service
from outreach import access as outreach_access
from outreach import queries as outreach_queries
from training import access as training_access
from training import queries as training_queries

# Enrolled and being served: not in intake, closed or not enrolled.
ACTIVE = Q(status__in=Case.ACTIVE_STATUSES)
ZERO = Decimal("0.00")


def program_totals(user: User) -> dict:
    today = timezone.localdate()
    cases = case_permissions.visible_cases(user)
    by_team = list(
        cases.values("team__name").annotate(open=Count("pk", filter=ACTIVE), total=Count("pk")).order_by("team__name")
    )
    return {"totals": case_queries.totals(cases, month_start=today.replace(day=1)), "by_team": by_team}


def may_see_dashboard(user: User) -> bool:
    """Whether ``user`` may open the program dashboard: the program director's role (as the menu
    and the home page decide it), which also holds what every figure's choke point asks."""
    return user.is_active and user.has_role(Role.PROGRAM_DIRECTOR)


def months_of(period: Period) -> list[date]:
    """The first day of each calendar month the period touches, in order."""
    months, month = [], period.start.replace(day=1)
    while month <= period.end:
        months.append(month)
        month = add_months(month, 1)
    return months


def _month(value) -> date:
    """A truncated month as a date, whether the database gave a date or a moment."""
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


# The path from referral to enrolment ------------------------------------------------------------


@dataclass(frozen=True)
class FunnelMonth:
    month: date
    referred: int = 0
    screened: int = 0
    enrolled: int = 0


def funnel(user: User, period: Period) -> list[FunnelMonth]:
    """Each month of ``period``: the referrals received in it, and how many of those were screened
    and how many enrolled by the period's end (one query).

    A referral is a case, dated by its referral date, else its intake date (as the state's
    tables count referrals). Screened: a screening of that case dated by the period's end.
    Enrolled: the case's outcome is enrolment (open, closed or reopened since), decided by the
    period's end. Each month follows its own referrals, so the three never cross: a month's
    screenings are of its own referrals, whenever they were screened within the period.
    """
    end = period.end
    screened = Screening.objects.filter(case=OuterRef("pk"), screened_on__lte=end)
    rows = (
        case_permissions.visible_cases(user)
        .annotate(referred_day=Coalesce("referred_on", "opened_on"))
        .filter(referred_day__range=(period.start, end))
        .annotate(month=TruncMonth("referred_day"))
        .values("month")
        .annotate(
            referred=Count("pk"),
            screened=Count("pk", filter=Exists(screened)),
            enrolled=Count("pk", filter=Q(status__in=Case.ENROLLED_STATUSES, decided_on__lte=end)),
        )
        .order_by()
    )
    found = {_month(row["month"]): row for row in rows}
    return [
        FunnelMonth(month, **{key: found[month][key] for key in ("referred", "screened", "enrolled")})
        if month in found
        else FunnelMonth(month)
        for month in months_of(period)
    ]


# Where survivors are in the program ---------------------------------------------------------------


@dataclass(frozen=True)
class PhaseCount:
    name: str  # the phase's name; "" for the survivors with no case plan yet
    survivors: int


def phases_on(user: User, day: date) -> list[PhaseCount]:
    """The survivors whose case was active on ``day``, by the phase they were in that day, in the
    phases' order, and those with no case plan yet last (one query).

    Active on a day: enrolled by then and not closed by then. A phase is counted by its name in
    the reader's language, so that two templates' "Heal" are one row.

    The stay a case was in is joined, not looked up case by case: a plan's stays follow one
    another without overlap (each move ends the stay on the day the next begins, and
    ``phase_stay_one_current`` allows one open stay), so at most one stay of a case holds ``day``.
    """
    held = Q(plan__stays__entered_on__lte=day) & ~Q(plan__stays__left_on__lte=day)
    rows = (
        case_permissions.visible_cases(user)
        .filter(status__in=Case.ENROLLED_STATUSES, decided_on__lte=day)
        .exclude(closed_on__lte=day)
        .annotate(stay=FilteredRelation("plan__stays", condition=held))
        .annotate(phase_name=local_expression("stay__phase__name"), phase_position=F("stay__phase__position"))
        .values("phase_name", "phase_position")
        .annotate(survivors=Count("survivor", distinct=True))
        .order_by()
    )
    positions: dict[str, int] = {}
    counts: dict[str, int] = {}
    for row in rows:
        name = row["phase_name"] or ""
        counts[name] = counts.get(name, 0) + row["survivors"]
        if name:
            positions[name] = min(positions.get(name, row["phase_position"]), row["phase_position"])
    named = sorted(positions, key=lambda name: (positions[name], name))
    result = [PhaseCount(name, counts[name]) for name in named]
    if "" in counts:
        result.append(PhaseCount("", counts[""]))
    return result


# Closures -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Closures:
    by_reason: dict[str, int]
    by_living_situation: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_reason.values())


def closures(user: User, period: Period) -> Closures:
    """The cases closed in ``period`` (an approved closure, dated by the case's closing date, as
    HHS counts them), by reason and by living situation at closure (one query)."""
    rows = (
        Closure.objects.filter(
            status=Closure.Status.APPROVED,
            case__in=case_permissions.visible_cases(user).values("pk"),
            case__closed_on__range=(period.start, period.end),
        )
        .values("reason", "living_situation")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_reason: dict[str, int] = {}
    by_living: dict[str, int] = {}
    for row in rows:
        by_reason[row["reason"]] = by_reason.get(row["reason"], 0) + row["n"]
        by_living[row["living_situation"]] = by_living.get(row["living_situation"], 0) + row["n"]
    return Closures(by_reason=by_reason, by_living_situation=by_living)


# Money --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundMoney:
    name: str
    award_number: str
    budget: Decimal
    paid_in_period: Decimal
    paid_by_end: Decimal  # since the fund began, up to the period's last day


def money(user: User, period: Period) -> list[FundMoney]:
    """Each fund whose award period overlaps ``period`` (or that paid something in it): its budget,
    what it paid in the period, and what it had paid in all by the period's end (two queries).

    A payment counts on the day it was paid, for the amount of its request.
    """
    # From the requests, not the payments: one pass over each table, and none over the requests
    # again to test them against the choke point.
    paid = assistance_access.visible_requests(user).filter(payment__paid_on__lte=period.end)
    sums = {
        row["fund"]: row
        for row in paid.values("fund")
        .annotate(
            in_period=Sum("amount", filter=Q(payment__paid_on__gte=period.start), default=ZERO),
            by_end=Sum("amount", default=ZERO),
        )
        .order_by()
    }
    paid_in_period = [fund for fund, row in sums.items() if row["in_period"]]
    funds = Fund.objects.filter(
        Q(starts_on__lte=period.end, ends_on__gte=period.start) | Q(pk__in=paid_in_period)
    ).order_by("-ends_on", "name", "pk")
    return [
        FundMoney(
            name=fund.name,
            award_number=fund.award_number,
            budget=fund.total,
            paid_in_period=sums.get(fund.pk, {}).get("in_period", ZERO),
            paid_by_end=sums.get(fund.pk, {}).get("by_end", ZERO),
        )
        for fund in funds
    ]


# Services given -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupServed:
    group: str  # a ``Service.Group`` value
    people: int  # survivors given a service of the group, each once
    times: int  # service events: once per case, service and day


def services(user: User, period: Period) -> list[GroupServed]:
    """Services given in ``period`` by the catalogue's groups, ticked on contacts or implied by
    other records (``cases.delivered``), in the order of ``Service.Group`` (one query).

    The events name cases, so they are read and counted here in SQL and only the counts leave.
    """
    events, params = delivered.events_sql(period.start, period.end)
    visible, visible_params = case_permissions.visible_cases(user).order_by().values("pk").query.sql_with_params()
    case_table, service_table = Case._meta.db_table, Service._meta.db_table
    group = connection.ops.quote_name("group")
    # Only SQL built by the ORM and names from the models are joined; every value is a parameter.
    sql = (
        f"SELECT s.{group}, COUNT(DISTINCT c.survivor_id), COUNT(*) FROM ({events}) e "  # noqa: S608
        f"JOIN {case_table} c ON c.id = e.event_case JOIN {service_table} s ON s.id = e.event_service "
        f"WHERE c.id IN ({visible}) GROUP BY s.{group}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, *visible_params))
        found = {key: (people, times) for key, people, times in cursor.fetchall()}
    return [GroupServed(key, *found.get(key, (0, 0))) for key in Service.Group.values]


# Outreach and training ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityMonth:
    month: date
    sessions: int = 0
    people: int = 0  # contacted in outreach, or trained


def outreach(user: User, period: Period) -> list[ActivityMonth]:
    """Outreach sessions by the month they began in (local time), and the people contacted (one query)."""
    sessions = outreach_access.visible_sessions(user).filter(
        starts_at__date__gte=period.start, starts_at__date__lte=period.end
    )
    found = {f.extra["month"]: f for f in outreach_queries.dashboard(sessions).by_month}
    return [
        ActivityMonth(month, found[month].sessions, found[month].people_contacted)
        if month in found
        else ActivityMonth(month)
        for month in months_of(period)
    ]


def training(user: User, period: Period) -> list[ActivityMonth]:
    """Training events by the month they began in (local time), and the people trained: the head
    count given, else the sign-in list, as the reports count them (one query)."""
    events = training_access.visible_events(user).filter(
        starts_at__date__gte=period.start, starts_at__date__lte=period.end
    )
    found = {}
    for start, cells in training_queries.activity(events, by="month").periods:
        totals = cells.values()
        found[_month(start)] = ActivityMonth(
            _month(start), sum(t.sessions for t in totals), sum(t.attendees for t in totals)
        )
    return [found.get(month, ActivityMonth(month)) for month in months_of(period)]
