"""The aggregate-only selector: counts over every case, and never a row.

Funder and program reports count every case, restricted ones included (a restricted case is
hidden even from the director, yet it was served and must be counted). So they cannot read
through a person's visible cases. They read through this module instead, whose public
functions look at every case and return **only counts**: ``Counter``s keyed by codes (a
funder's code, a choice value, an age band), never a row, a name, a client code, a date of
birth or an id. Rows are read inside the functions and dropped there.

How each count is made (who is "new", which date puts a person in a period, what a survivor
with two enrollments counts as) is written down in docs/REPORTING.md; the tests count small
fixtures by hand against it.

- A **person** is a survivor, however many cases (enrollments) they have: people are counted
  once, by survivor. Family members served are never counted: they are not survivors.
- A person is **served** in a period when they have at least one service event in it
  (``cases.delivered``: ticked on a contact or derived from a record).
- ``cases`` (optional, every function): a one-column queryset of case ids to count within,
  such as the cases served under one award (``assistance.queries.cases_under``).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from cases import delivered
from cases.models import (
    ADULT_AGE,
    Answer,
    Case,
    Closure,
    FamilyMember,
    FunderCode,
    ImmigrationStatus,
    Race,
    Residence,
    Screening,
    Survivor,
)

NOT_REPORTED = "not reported"
# (key, lowest age, highest age) of the victim-services funder's age bands.
AGE_BANDS = (("0-12", 0, 12), ("13-17", 13, 17), ("18-24", 18, 24), ("25-59", 25, 59), ("60+", 60, 200))
# The state's bands of age at the time of victimization.
STATE_AGE_BANDS = (
    ("10 and under", 0, 10), ("11-12", 11, 12), ("13-14", 13, 14), ("15-16", 15, 16), ("17-18", 17, 18),
    ("over 18", 19, 200),
)  # fmt: skip


def age_band(age: int | None, bands=AGE_BANDS, *, unknown: str = NOT_REPORTED) -> str:
    if age is None:
        return unknown
    return next((key for key, low, high in bands if low <= age <= high), unknown)


def victim_services_race(races: list[str]) -> str:
    """The victim-services funder's race and ethnicity category of a multi-select answer.

    Two or more categories are "multiple races"; Middle Eastern or North African, which the
    funder's list lacks, is "some other race"; none, or only "prefers not to say", is not reported.
    """
    chosen = [value for value in races if value in Race.values and value != Race.DECLINED]
    if len(chosen) > 1:
        return "multiple"
    if not chosen:
        return NOT_REPORTED
    return "other" if chosen[0] == Race.MENA else chosen[0]


def state_race(races: list[str]) -> str:
    """The state's seven categories: Hispanic whatever else is chosen (the state counts ethnicity
    first); then Multi-racial for two or more races; White is Caucasian, Black is African
    American/Black, Asian is Asian; any other single race is Other; nothing is Unknown."""
    chosen = [value for value in races if value in Race.values and value != Race.DECLINED]
    if Race.HISPANIC in chosen:
        return "hispanic"
    if len(chosen) > 1:
        return "multi-racial"
    if not chosen:
        return "unknown"
    return {Race.WHITE: "caucasian", Race.BLACK: "black", Race.ASIAN: "asian"}.get(chosen[0], "other")


# The state's residence categories, from Bloom's (which also cover adults).
STATE_RESIDENCE = {
    Residence.PARENT_HOME: "parent home",
    Residence.RUNAWAY: "runaway",
    Residence.FOSTER_HOME: "foster home",
    Residence.CONGREGATE_CARE: "congregate care",
    Residence.RELATIVE_HOME: "relative home",
    Residence.OWN_HOME: "relative home",
    Residence.EMPLOYER_HOUSING: "relative home",
    Residence.DETENTION: "detention",
    Residence.SHELTER: "shelter",
    Residence.HOMELESS: "shelter",
    Residence.UNKNOWN: "unknown",
}


def _query(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _case_filter(cases: QuerySet | None, column: str) -> tuple[str, tuple]:
    """SQL keeping ``column`` to ``cases``: a one-column queryset of case ids."""
    if cases is None:
        return "", ()
    sql, params = cases.order_by().query.sql_with_params()
    return f" AND {column} IN ({sql})", tuple(params)


@dataclass(frozen=True)
class _People:
    """The people served in a period: their first service day, the case it was given under, and
    SQL selecting their ids."""

    firsts: dict[int, date]
    # survivor id: (the intake date, and the age at intake kept by a purge) of the case under
    # which they were first served; their age is counted on that case's intake date.
    intakes: dict[int, tuple[date, int | None]]
    ids: RawSQL  # usable as ``survivor_id__in=...``: a subquery, so the count of queries stays fixed


def _served(start: date, end: date, *, since: date, cases: QuerySet | None) -> _People:
    """Each person served from ``start`` to ``end``, with their first service day since ``since``
    and the case it was given under (the earliest intake of two served that day, then the first made).

    Who was served is read from the period's own events: a stay is dated on its first day in
    whatever period is asked, so a stay begun before ``start`` is an event of the period only
    when the period itself is asked.
    """
    events, params = delivered.events_sql(since, end)
    where, where_params = _case_filter(cases, "c.id")
    served, served_params = _events_people(start, end, cases)
    # Only SQL built here and by the ORM is joined; every value is a parameter.
    sql = (
        "SELECT survivor, first_day, opened_on, intake_age FROM ("  # noqa: S608
        "SELECT c.survivor_id AS survivor, e.event_day AS first_day, c.opened_on AS opened_on, "
        "c.intake_age AS intake_age, ROW_NUMBER() OVER ("
        "PARTITION BY c.survivor_id ORDER BY e.event_day, c.opened_on, c.id) AS n "
        f"FROM ({events}) e JOIN cases_case c ON c.id = e.event_case WHERE c.survivor_id IN ({served}){where}"
        ") ranked WHERE n = 1"
    )
    params = (*params, *served_params, *where_params)
    rows = _query(sql, params)
    firsts = {survivor: _as_date(first) for survivor, first, _opened, _age in rows}
    intakes = {survivor: (_as_date(opened), age) for survivor, _first, opened, age in rows}
    return _People(firsts, intakes, RawSQL(f"SELECT survivor FROM ({sql}) served", params))  # noqa: S608, S611 (as above)


def _events_people(start: date, end: date, cases: QuerySet | None) -> tuple[str, tuple]:
    """SQL selecting the survivors with a service event from ``start`` to ``end``."""
    events, params = delivered.events_sql(start, end)
    where, where_params = _case_filter(cases, "c.id")
    return (
        f"SELECT c.survivor_id FROM ({events}) e JOIN cases_case c ON c.id = e.event_case WHERE 1 = 1{where}",  # noqa: S608
        (*params, *where_params),
    )


def _as_date(value) -> date:
    # SQLite returns a compound select's dates as text.
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _survivors(ids) -> QuerySet:
    """What is counted of the survivors ``ids`` (a subquery), one row each, in one query."""
    fields = ("pk", "race", "gender", "date_of_birth", "estimated_age", "immigration_status", "born_in_us",
              *Survivor.CLASSIFICATION_FIELDS)  # fmt: skip
    return Survivor.objects.filter(pk__in=ids).order_by().values(*fields)


def _age_at_intake(row: dict, opened_on: date, kept: int | None) -> int | None:
    """The age on a case's intake date: as a purge kept it (``Case.intake_age``) once the birth
    date is gone, else from the birth date, else the estimated age. The same before a purge and
    after it, so that a past period's report does not change."""
    if kept is not None:
        return kept
    born = row["date_of_birth"]
    if born:
        return opened_on.year - born.year - ((opened_on.month, opened_on.day) < (born.month, born.day))
    return row["estimated_age"]


def _latest_screenings(ids) -> dict[int, dict]:
    """Each survivor's latest screening over all their cases (``ids``, a subquery), in one query:
    determination, residence, age when first exploited."""
    latest = {}
    rows = (
        Screening.objects.filter(case__survivor_id__in=ids)
        .order_by("case__survivor_id", "-screened_on", "-case__opened_on", "-version")
        .values("case__survivor_id", "determination", "residence", "age_at_first_exploitation")
    )
    for row in rows:
        latest.setdefault(row["case__survivor_id"], row)
    return latest


def _per_code(start: date, end: date, *, scheme: str, group: str, cases: QuerySet | None) -> dict[str, tuple[int, int]]:
    """{code or category: (people, times)} of the services given from ``start`` to ``end``."""
    events, params = delivered.events_sql(start, end)
    where, where_params = _case_filter(cases, "c.id")
    column = {"victim services": "s.victim_services_code_id", "hhs": "s.hhs_code_id"}[scheme]
    if group not in ("code", "category"):
        raise ValueError(group)
    # ``column`` and ``group`` are this module's own names; every value is a parameter.
    rows = _query(
        f"SELECT f.{group}, COUNT(DISTINCT c.survivor_id), COUNT(*) FROM ({events}) e "  # noqa: S608
        f"JOIN cases_case c ON c.id = e.event_case JOIN cases_service s ON s.id = e.event_service "
        f"JOIN cases_fundercode f ON f.id = {column} WHERE 1 = 1{where} GROUP BY f.{group}",
        params + where_params,
    )
    return {key: (people, times) for key, people, times in rows}


@dataclass
class Served:
    """People served in a period, and what is counted of them."""

    total: int = 0
    new: int = 0
    continuing: int = 0
    # Of the new people only (victim-services) or of everyone served (trafficking program).
    race: Counter = field(default_factory=Counter)
    gender: Counter = field(default_factory=Counter)
    age: Counter = field(default_factory=Counter)
    adults_minors: Counter = field(default_factory=Counter)
    classifications: Counter = field(default_factory=Counter)
    victimization: Counter = field(default_factory=Counter)
    citizenship: Counter = field(default_factory=Counter)
    referral_source: Counter = field(default_factory=Counter)
    # {code or category: (people, times)}
    services: dict = field(default_factory=dict)


def _describe(served: Served, people: _People, *, new_since: date | None = None) -> None:
    """Count the demographics of ``people``, each with their age at the intake of the case they
    were first served under; with ``new_since``, only of those first served on or after it."""
    screenings = _latest_screenings(people.ids)
    for row in _survivors(people.ids):
        day = people.firsts[row["pk"]]
        if new_since is not None and day < new_since:
            continue
        age = _age_at_intake(row, *people.intakes[row["pk"]])
        served.race[victim_services_race(row["race"])] += 1
        served.gender[row["gender"] or NOT_REPORTED] += 1
        served.age[age_band(age)] += 1
        served.adults_minors["unknown" if age is None else "minor" if age < ADULT_AGE else "adult"] += 1
        for name in Survivor.CLASSIFICATION_FIELDS:
            if row[name] == Answer.YES:
                served.classifications[name] += 1
        determination = screenings.get(row["pk"], {}).get("determination") or "not screened"
        served.victimization[determination] += 1
        served.citizenship[_citizenship(row)] += 1


def _citizenship(row: dict) -> str:
    status = row["immigration_status"]
    if status in (ImmigrationStatus.US_CITIZEN, ImmigrationStatus.PERMANENT_RESIDENT) or row["born_in_us"]:
        return "citizen or resident"
    if status in ("", ImmigrationStatus.UNKNOWN, ImmigrationStatus.DECLINED):
        return "not known" if row["born_in_us"] is None else "foreign national"
    return "foreign national"


def victim_services(start: date, end: date, *, fiscal_year_start: date, cases: QuerySet | None = None) -> Served:
    """The victim-services funder's counts for a period within one federal fiscal year.

    New people had their first service of the fiscal year in the period; the others served
    are continuing. Demographics are of the new people only, with their age at the intake of
    the case that first service was given under. Services: people and times per
    victim-services code.
    """
    people = _served(start, end, since=fiscal_year_start, cases=cases)
    new = sum(1 for day in people.firsts.values() if day >= start)
    served = Served(total=len(people.firsts), new=new, continuing=len(people.firsts) - new)
    _describe(served, people, new_since=start)
    served.services = _per_code(start, end, scheme="victim services", group="code", cases=cases)
    return served


def trafficking_program(start: date, end: date, *, cases: QuerySet | None = None) -> Served:
    """The trafficking-program funder's counts for a half year.

    Everyone served in the period is counted, by age at the intake of the case of their first
    service in the period; new people had no service before the period. Services by the
    victim-services categories.
    """
    ever = _served(start, end, since=delivered.BEGINNING, cases=cases)
    new = sum(1 for day in ever.firsts.values() if day >= start)
    people = _served(start, end, since=start, cases=cases)
    served = Served(total=len(people.firsts), new=new, continuing=len(people.firsts) - new)
    _describe(served, people)
    served.referral_source = _referral_sources(people, end=end, cases=cases)
    served.services = _per_code(start, end, scheme="victim services", group="category", cases=cases)
    return served


def _referral_sources(people: _People, *, end: date, cases: QuerySet | None) -> Counter:
    """Each person's referral source, from their latest case opened by the period's end."""
    rows = Case.objects.filter(survivor_id__in=people.ids, opened_on__lte=end)
    if cases is not None:
        rows = rows.filter(pk__in=cases)
    latest = {}
    for survivor, source in rows.order_by("survivor_id", "-opened_on", "-pk").values_list(
        "survivor_id", "referral_source"
    ):
        latest.setdefault(survivor, source or NOT_REPORTED)
    return Counter(latest.values())


@dataclass
class Entries:
    """Cases that entered the program in a period (HHS's program entry), and their closures."""

    entered: int = 0
    intake_type: Counter = field(default_factory=Counter)
    referral_source: Counter = field(default_factory=Counter)
    matched_in_48_hours: Counter = field(default_factory=Counter)
    eligibility: Counter = field(default_factory=Counter)
    age: Counter = field(default_factory=Counter)
    gender: Counter = field(default_factory=Counter)
    race: Counter = field(default_factory=Counter)
    family: Counter = field(default_factory=Counter)
    closed: int = 0
    closure_reason: Counter = field(default_factory=Counter)
    living_situation: Counter = field(default_factory=Counter)
    immigration_relief: Counter = field(default_factory=Counter)
    certification: Counter = field(default_factory=Counter)
    continued_care: Counter = field(default_factory=Counter)
    services: dict = field(default_factory=dict)


def hhs(start: date, end: date, *, cases: QuerySet | None = None) -> Entries:
    """HHS's quarterly counts: the cases whose intake date falls in the period (program entry),
    the cases closed in it (closure), and people and times per HHS category.

    Matched within 48 hours: a first specialist assigned on the referral date (the intake
    date when there is none) or the day after, kept even after a reassignment.
    """
    entries = Entries()
    entered = Case.objects.filter(opened_on__range=(start, end))
    if cases is not None:
        entered = entered.filter(pk__in=cases)
    rows = entered.order_by().values(
        "previous_case_id", "referral_source", "referred_on", "opened_on", "first_assigned_on", "status",
        "not_enrolled_reason", "intake_age", "survivor__race", "survivor__gender", "survivor__date_of_birth",
        "survivor__estimated_age",
    )  # fmt: skip
    for row in rows:
        entries.entered += 1
        entries.intake_type["returning" if row["previous_case_id"] else "first"] += 1
        entries.referral_source[row["referral_source"] or NOT_REPORTED] += 1
        referred = row["referred_on"] or row["opened_on"]
        first = row["first_assigned_on"]
        entries.matched_in_48_hours[
            "not yet" if first is None else "yes" if (first - referred).days <= 1 else "no"
        ] += 1
        eligibility = row["status"] if row["status"] in ("intake", "not enrolled") else "enrolled"
        entries.eligibility[row["not_enrolled_reason"] if eligibility == "not enrolled" else eligibility] += 1
        person = {"date_of_birth": row["survivor__date_of_birth"], "estimated_age": row["survivor__estimated_age"]}
        entries.age[age_band(_age_at_intake(person, row["opened_on"], row["intake_age"]))] += 1
        entries.gender[row["survivor__gender"] or NOT_REPORTED] += 1
        entries.race[victim_services_race(row["survivor__race"])] += 1
    family = FamilyMember.objects.filter(case__in=entered.values("pk")).order_by()
    entries.family = Counter(relation or NOT_REPORTED for relation in family.values_list("relation", flat=True))
    closures = Closure.objects.filter(status=Closure.Status.APPROVED, case__closed_on__range=(start, end))
    if cases is not None:
        closures = closures.filter(case__in=cases)
    for row in closures.order_by().values(
        "reason", "living_situation", "immigration_relief", "hhs_certification", "continued_care"
    ):
        entries.closed += 1
        entries.closure_reason[row["reason"]] += 1
        entries.living_situation[row["living_situation"]] += 1
        entries.immigration_relief[row["immigration_relief"]] += 1
        entries.certification[row["hhs_certification"]] += 1
        entries.continued_care["yes" if row["continued_care"] else "no"] += 1
    entries.services = _per_code(start, end, scheme="hhs", group="code", cases=cases)
    return entries


@dataclass
class StateTables:
    referrals_by_year: Counter = field(default_factory=Counter)
    people: int = 0
    race: Counter = field(default_factory=Counter)
    age_at_victimization: Counter = field(default_factory=Counter)
    residence: Counter = field(default_factory=Counter)


def state_tables(start: date, end: date, *, cases: QuerySet | None = None) -> StateTables:
    """The state's program tables for the people referred in a period.

    A referral is a case, dated by its referral date (its intake date when there is none);
    race, age at victimization and residence count each person once, from their latest
    screening.
    """
    tables = StateTables()
    referred = Case.objects.filter(
        Q(referred_on__range=(start, end)) | Q(referred_on__isnull=True, opened_on__range=(start, end))
    )
    if cases is not None:
        referred = referred.filter(pk__in=cases)
    people = set()
    for survivor, referred_on, opened_on in referred.order_by().values_list("survivor_id", "referred_on", "opened_on"):
        tables.referrals_by_year[str((referred_on or opened_on).year)] += 1
        people.add(survivor)
    tables.people = len(people)
    ids = referred.order_by().values("survivor_id")
    screenings = _latest_screenings(ids)
    for row in _survivors(ids):
        tables.race[state_race(row["race"])] += 1
        screening = screenings.get(row["pk"], {})
        tables.age_at_victimization[
            age_band(screening.get("age_at_first_exploitation"), STATE_AGE_BANDS, unknown="unknown")
        ] += 1
        tables.residence[STATE_RESIDENCE.get(screening.get("residence") or "unknown", "unknown")] += 1
    return tables


def codes(scheme: str) -> list[tuple[str, str, str]]:
    """The scheme's codes in order, as (code, the funder's name, category): catalogue data, not survivors'."""
    return list(FunderCode.objects.filter(scheme=scheme).values_list("code", "label", "category"))
