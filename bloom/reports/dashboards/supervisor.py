"""The supervisor's dashboard, and its summary on their home page: each of their teams and each
specialist on it.

Every number of cases is a count of ``cases.permissions.visible_cases(user)`` (so a restricted
case counts only for those it names) under ``cases.figures.condition``, and carries the case
list's filters that list exactly the cases counted: the list applies the same condition. The
queries do not grow with the number of cases, teams or specialists: every count of cases is read
by two queries (grouped by team, and by specialist), and the contacts by a third, each compiled
once per process for a person, their teams and the day (``_statements``).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Avg, Count, DateField, DurationField, F, FilteredRelation, Q, QuerySet, Value
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from bloom import charts
from bloom.accounts.models import Team, User
from bloom.reports.dashboards import waiting
from bloom.times import add_months
from cases import figures, queries
from cases import permissions as case_permissions
from cases.models import Case, Contact
from phases.queries.journey import time_in_words

ACTIVE = figures.ACTIVE
# How far back the monthly charts reach: this month and the eleven before it.
MONTHS_SHOWN = 12
# The months charted per team, and the case list's filter for each.
MONTHLY = (("referred", _("New referrals")), ("enrolled", _("Enrolments")), ("closed", _("Closures")))


def supervised_teams(user: User) -> QuerySet[Team]:
    return Team.objects.filter(supervisors=user).order_by("name", "pk")


# One number and the list behind it ----------------------------------------------------------------


def as_query(filters: dict) -> str:
    """The case list's address for ``filters`` (values as ``cases.figures.condition`` takes them)."""
    return f"{reverse('cases:list')}?{query_string(filters)}"


def query_string(filters: dict) -> str:
    """The case list's query string for ``filters``: a page of numbers puts the list's path,
    reversed once, before each (``Number.query``), not a ``reverse()`` per number."""
    shown = {}
    for name, value in filters.items():
        if isinstance(value, bool):
            shown[name] = "on"
        elif isinstance(value, date):
            shown[name] = value.strftime("%Y-%m")
        else:
            shown[name] = getattr(value, "pk", value)
    return urlencode(shown)


@dataclass(frozen=True)
class Number:
    """How many cases, and the case list's filters that show exactly them."""

    count: int
    filters: dict
    label: str | Promise = ""  # what is counted (its column), for a screen reader reading the link alone
    note: str = ""  # said beside the number (the average time in a phase)

    @property
    def url(self) -> str:
        return as_query(self.filters)

    @property
    def query(self) -> str:
        return query_string(self.filters)


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    filters: dict  # ``figures.condition``'s values for this column, besides the row's


@dataclass
class Row:
    label: str | Promise
    filters: dict  # the team, and the specialist or "no specialist"; empty for the whole team
    numbers: list[Number] = field(default_factory=list)
    total: bool = False


@dataclass
class Table:
    columns: list[Column]
    rows: list[Row]


@dataclass
class TeamBoard:
    team: Team
    caseload: Table
    coming_due: Table
    phases: Table
    months: list[str]  # labels, oldest first
    monthly: list[Row]  # a row per month: new referrals, enrolments, closures
    cases_chart: charts.Chart
    contacts_chart: charts.Chart


def columns_for(user: User) -> tuple[list[Column], list[Column]]:
    """The caseload's columns and what is coming due, as far as ``user`` may count them."""
    caseload = [
        Column("open", _("Open"), {"status": ACTIVE}),
        Column("intake", _("In intake"), {"status": Case.Status.INTAKE}),
    ]
    coming_due = []
    for figure in figures.shown_to(user):
        column = Column(figure.key, figure.column, {"needs": figure.key})
        (coming_due if figure.section == figures.COMING_DUE else caseload).append(column)
    return caseload, coming_due


def _counts(columns: list[Column], today: date) -> dict:
    return {c.key: Count("pk", filter=figures.condition(today=today, **c.filters)) for c in columns}


# The rows of a team's tables: a key for the counts grouped by specialist (None: no specialist),
# or TEAM for the counts of the whole team.
TEAM = "team"


def _row_keys(team: Team) -> list[tuple[str | Promise, dict, object]]:
    """(label, the case list's filters, key) of each row: the specialists on the team by name,
    its cases with no specialist, and the whole team."""
    members = sorted(team.members.all(), key=lambda m: (m.full_name.casefold(), m.pk))
    return [
        *((m.full_name, {"team": team.pk, "specialist": m.pk}, m.pk) for m in members),
        (_("No specialist"), {"team": team.pk, "unassigned": True}, None),
        (_("The whole team"), {"team": team.pk}, TEAM),
    ]


def _table(team: Team, columns: list[Column], by_team: dict, by_specialist: dict) -> Table:
    rows = []
    for label, filters, key in _row_keys(team):
        counts = by_team.get(team.pk, {}) if key == TEAM else by_specialist.get((team.pk, key), {})
        numbers = [Number(counts.get(c.key, 0), {**filters, **c.filters}, c.label) for c in columns]
        rows.append(Row(label, filters, numbers, total=key == TEAM))
    return Table(columns, rows)


# The dashboard ----------------------------------------------------------------------------------


def team_boards(user: User, teams: list[Team], *, today: date | None = None) -> list[TeamBoard]:
    """Each of ``teams`` as ``user`` may see it: caseload, what is coming due, cases by phase, the months."""
    today = today or timezone.localdate()
    caseload, coming_due = columns_for(user)
    months = last_months(today)
    counts, per_specialist, contacted = _statements(user, [team.pk for team in teams], today)
    # One instant for the three, as one visible_cases() gave them before they were kept.
    now = timezone.now()
    by_team, team_phases = _summed(counts.rows(now))
    by_specialist, specialist_phases = _summed(per_specialist.rows(now))
    phases = _Phases(choices=figures.phase_choices(), counts={**team_phases, **specialist_phases})
    contacts = _by_team_and_month(contacted.rows(now))
    labels = month_labels(months)
    boards = []
    for team in teams:
        boards.append(
            TeamBoard(
                team=team,
                caseload=_table(team, caseload, by_team, by_specialist),
                coming_due=_table(team, coming_due, by_team, by_specialist),
                phases=_phase_table(team, phases),
                months=labels,
                monthly=_monthly_rows(team, months, labels, by_team),
                cases_chart=_cases_chart(team, labels, by_team),
                contacts_chart=_contacts_chart(team, months, labels, contacts),
            )
        )
    return boards


def _queries(user: User, team_ids: list[int], today: date) -> tuple:
    """(counts by team, counts by team and specialist, contacts by team and month): every number
    on the boards, in three queries.

    The two counts are grouped by the current phase as well, and summed over the phases by
    ``_summed``: a case has at most one current stay (``phase_stay_one_current``), so the phase
    groups of a team or a specialist split its cases without counting one twice. The stay is
    joined (as ``director.phases_on`` does), not looked up case by case.
    """
    caseload, coming_due = columns_for(user)
    months = last_months(today)
    visible = case_permissions.visible_cases(user).filter(team__in=team_ids)
    held = FilteredRelation("plan__stays", condition=Q(plan__stays__left_on__isnull=True))
    # Overdue as of ``today``, the day the SQL is kept for, not the day it happens to be compiled.
    cases = figures.annotated(queries.with_last_contact(visible, as_of=today)).annotate(current_stay=held)
    active = figures.condition(today=today, status=ACTIVE)
    time_in = Value(today, output_field=DateField()) - F("current_stay__entered_on")
    in_phase = {
        "in_phase": Count("pk", filter=active),
        "stayed": Avg(time_in, filter=active, output_field=DurationField()),
    }
    counts = _counts(caseload + coming_due, today)
    phase = F("current_stay__phase_id")
    by_team = cases.values("team", stay_phase=phase).annotate(**counts, **_monthly_counts(months, today), **in_phase)
    by_specialist = cases.values("team", specialist=F("assignments__specialist"), stay_phase=phase)
    return (
        by_team.order_by(),
        by_specialist.annotate(**counts, **in_phase).order_by(),
        _contacts(visible, team_ids, months),
    )


# Groups and figures of a row of the counts that are not summed over the phases.
_NOT_SUMMED = {"team", "specialist", "stay_phase", "in_phase", "stayed"}


def _summed(rows: list[dict]) -> tuple[dict, dict]:
    """The counts of ``rows`` (grouped by the current phase too) summed by team, or by team and
    specialist; and each phase's open cases with their average time in it."""
    summed: dict = {}
    phases: dict = {}
    for row in rows:
        key = (row["team"], row["specialist"]) if "specialist" in row else row["team"]
        if row["stay_phase"] is not None and row["in_phase"]:
            phases[row["team"], row["stay_phase"], row.get("specialist", TEAM)] = (row["in_phase"], row["stayed"])
        total = summed.get(key)
        if total is None:
            summed[key] = {name: value for name, value in row.items() if name not in _NOT_SUMMED}
        else:
            for name in total:
                total[name] += row[name]
    return summed, phases


# The counting SQL, kept ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Statement:
    """A query compiled once, sent again with the instant of each page where it asks for "now"."""

    sql: str | None  # None: it can find nothing (no case is visible)
    params: tuple
    now_at: tuple[int, ...] = ()  # the places in ``params`` of the instant it was compiled at

    def rows(self, now: datetime) -> list[dict]:
        if self.sql is None:
            return []
        params = list(self.params)
        for place in self.now_at:
            params[place] = now
        # Read as the database gives them, no field converting them: counts, ids, the time in a
        # phase as a timedelta, and the month as ``_by_team_and_month`` reads it.
        with connections[Case.objects.db].cursor() as cursor:
            cursor.execute(self.sql, params)
            names = [column.name for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _compiled(querysets: tuple) -> list[tuple[str | None, tuple]]:
    compiled = []
    for queryset in querysets:
        try:
            sql, params = queryset.query.sql_with_params()
        except EmptyResultSet:
            sql, params = None, ()
        compiled.append((sql, tuple(params)))
    return compiled


# The three queries of each person as they are, for their teams and the day, compiled once per
# process: building them through the choke point and compiling them costs more than running them
# (``waiting._counting`` keeps the queues' the same way). Their SQL is a function of the person's
# shape (``waiting._shape``: what ``visible_cases`` and ``figures.shown_to`` read of them; their
# teams' cases, assignments and grants are subqueries), the teams, the day, and the time zone
# and language it was built in. Only SQL is kept: the numbers are counted afresh on every page.
# ``visible_cases`` asks for emergency access running *now*, an instant, not a day: such a
# parameter is found by compiling twice (it moves between the two, within the second's span) and
# is given each page's instant. A parameter that moves otherwise cannot be kept: those queries
# are compiled afresh on every page (``_FRESH``).
_kept: dict[tuple, tuple | str] = {}
_KEPT_MAX = 1000
_FRESH = "fresh"


@dataclass(frozen=True)
class _Read:
    """A query read through the ORM: on SQLite (the demo), whose raw values differ (months as
    text, times in a phase as numbers), the fields convert them."""

    queryset: QuerySet

    def rows(self, now: datetime) -> list[dict]:
        return list(self.queryset)


def _statements(user: User, team_ids: list[int], today: date) -> tuple[_Statement | _Read, ...]:
    """The three statements of ``_queries``, compiled once per shape of ``user``, teams and day."""
    if connections[Case.objects.db].vendor != "postgresql":
        return tuple(_Read(queryset) for queryset in _queries(user, team_ids, today))
    zone, language = timezone.get_current_timezone_name(), translation.get_language()
    key = (waiting._shape(user), tuple(team_ids), today, zone, language)
    kept = _kept.get(key)
    if kept is None:
        if len(_kept) >= _KEPT_MAX:
            _kept.clear()
        kept = _kept[key] = _compiled_twice(user, team_ids, today)
    if kept == _FRESH:
        return tuple(_Statement(sql, params) for sql, params in _compiled(_queries(user, team_ids, today)))
    return kept


def _compiled_twice(user: User, team_ids: list[int], today: date) -> tuple[_Statement, ...] | str:
    """The statements to keep, their instants found by comparing two compilations; or ``_FRESH``."""
    first = _compiled(_queries(user, team_ids, today))
    before = timezone.now()
    second = _compiled(_queries(user, team_ids, today))
    after = timezone.now()
    statements = []
    for (sql, params), (again, moved) in zip(first, second, strict=True):
        now_at = tuple(n for n, value in enumerate(moved) if isinstance(value, datetime) and before <= value <= after)
        if sql != again or any(a != b for n, (a, b) in enumerate(zip(params, moved, strict=True)) if n not in now_at):
            return _FRESH
        statements.append(_Statement(sql, moved, now_at))
    return tuple(statements)


# Cases by phase -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Phases:
    choices: list[tuple[int, str]]
    # (team, phase, specialist or None or TEAM) -> (open cases, their average time in the phase)
    counts: dict


def _phase_table(team: Team, phases: _Phases) -> Table:
    """A column per phase that any open case of the team is in, in the phases' order."""
    present = {phase for (team_pk, phase, key) in phases.counts if team_pk == team.pk and key == TEAM}
    columns = [Column(str(pk), label, {"status": ACTIVE, "phase": pk}) for pk, label in phases.choices if pk in present]
    rows = []
    for label, filters, key in _row_keys(team):
        numbers = []
        for column in columns:
            count, stayed = phases.counts.get((team.pk, column.filters["phase"], key), (0, None))
            note = _average_stay(stayed) if count else ""
            numbers.append(Number(count, {**filters, **column.filters}, column.label, note))
        rows.append(Row(label, filters, numbers, total=key == TEAM))
    return Table(columns, rows)


def _average_stay(stayed: timedelta | None) -> str:
    if stayed is None:
        return ""
    end = date(2000, 1, 1) + stayed  # a fixed day: the words depend only on the length
    return str(_("about %(time)s on average")) % {"time": time_in_words(date(2000, 1, 1), end)}


# The last twelve months ---------------------------------------------------------------------------


def last_months(today: date) -> list[date]:
    """The first day of this month and of the eleven before it, oldest first (local time)."""
    return [add_months(today.replace(day=1), -n) for n in reversed(range(MONTHS_SHOWN))]


def month_labels(months: list[date]) -> list[str]:
    """Short enough for twelve under a phone's chart: the year said at the first month and each January."""
    return [date_format(m, "M Y" if n == 0 or m.month == 1 else "M") for n, m in enumerate(months)]


def _monthly_counts(months: list[date], today: date) -> dict:
    """The cases referred, enrolled and closed in each month, as counts to group."""
    return {
        f"{kind}_{n}": Count("pk", filter=figures.condition(today=today, **{kind: month}))
        for kind, _label in MONTHLY
        for n, month in enumerate(months)
    }


def _monthly_rows(team: Team, months: list[date], labels: list[str], monthly: dict) -> list[Row]:
    counts = monthly.get(team.pk, {})
    return [
        Row(
            label,
            {"team": team.pk},
            [Number(counts.get(f"{kind}_{n}", 0), {"team": team.pk, kind: month}, what) for kind, what in MONTHLY],
        )
        for n, (month, label) in enumerate(zip(months, labels, strict=True))
    ]


def _contacts(visible: QuerySet[Case], team_ids: list[int], months: list[date]) -> QuerySet:
    """Per team and month, the contacts that reached the survivor and the attempts: one query."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(months[0], time.min, tzinfo=zone)
    return (
        # The teams' cases twice (``visible`` is of those teams already): the case joined for
        # its team is then read from the teams' cases alone, not from every case.
        Contact.objects.filter(case__in=visible.values("pk"), case__team__in=team_ids, occurred_at__gte=start)
        .annotate(month=TruncMonth("occurred_at", tzinfo=zone))
        .values("case__team", "month")
        # Counted by kind (never empty), not by id: the case, the time and the kind are all in
        # the index ``contact_case_latest``, so no contact's row is read.
        .annotate(
            reached=Count("kind", filter=Q(kind__in=Contact.REACHED)),
            attempts=Count("kind", filter=Q(kind=Contact.Kind.ATTEMPT)),
        )
        .order_by()
    )


def _by_team_and_month(rows: list[dict]) -> dict:
    # The month as PostgreSQL truncates it in the local time zone: a time of day with no zone,
    # midnight on the month's first day there. Read through the ORM (``_Read``), it comes with
    # that zone.
    zone = timezone.get_current_timezone()
    return {
        (
            row["case__team"],
            (timezone.localtime(row["month"], zone) if timezone.is_aware(row["month"]) else row["month"]).date(),
        ): row
        for row in rows
    }


def _cases_chart(team: Team, labels: list[str], monthly: dict) -> charts.Chart:
    counts = monthly.get(team.pk, {})
    series = [
        charts.Series(str(label), [counts.get(f"{kind}_{n}", 0) for n in range(len(labels))]) for kind, label in MONTHLY
    ]
    return charts.columns(
        labels,
        series,
        chart_id=f"team-{team.pk}-cases",
        title=str(_("New referrals, enrolments and closures by month")),
        desc=str(_("For each of the last twelve months, three columns: cases referred, enrolled and closed.")),
        label_heading=str(_("Month")),
    )


def _contacts_chart(team: Team, months: list[date], labels: list[str], contacts: dict) -> charts.Chart:
    found = [contacts.get((team.pk, month), {}) for month in months]
    return charts.lines(
        labels,
        [
            charts.Series(str(_("Reached the survivor")), [row.get("reached", 0) for row in found]),
            charts.Series(str(_("Attempts")), [row.get("attempts", 0) for row in found]),
        ],
        chart_id=f"team-{team.pk}-contacts",
        title=str(_("Contacts by month")),
        desc=str(_("For each of the last twelve months, the contacts that reached the survivor and the attempts.")),
        label_heading=str(_("Month")),
    )


# The home page's summary ----------------------------------------------------------------------------


def my_teams(user: User) -> list[dict]:
    """Each team ``user`` supervises: open cases, intakes, contacts overdue, cases with no specialist
    (each with its case list), and the open caseload of each member."""
    today = timezone.localdate()
    teams = list(supervised_teams(user).prefetch_related("members"))
    cases = figures.annotated(case_permissions.visible_cases(user).filter(team__in=[team.pk for team in teams]))
    shown = {
        "open": {"status": ACTIVE},
        "intake": {"status": Case.Status.INTAKE},
        "overdue": {"needs": "contact_overdue"},
        "unassigned": {"status": ACTIVE, "unassigned": True},
    }
    counts = {
        row["team"]: row
        for row in cases.values("team")
        .annotate(**{key: Count("pk", filter=figures.condition(today=today, **f)) for key, f in shown.items()})
        .order_by()
    }
    loads = {
        (row["team"], row["specialist"]): row["n"]
        for row in cases.filter(figures.condition(today=today, status=ACTIVE))
        .values("team", specialist=F("assignments__specialist"))
        .annotate(n=Count("pk"))
        .order_by()
    }
    result = []
    for team in teams:
        row = counts.get(team.pk, {})
        numbers = {key: Number(row.get(key, 0), {"team": team.pk, **f}) for key, f in shown.items()}
        result.append(
            {
                "team": team,
                **{key: number.count for key, number in numbers.items()},
                "numbers": numbers,
                "members": [(m, loads.get((team.pk, m.pk), 0)) for m in team.members.all()],
            }
        )
    return result
