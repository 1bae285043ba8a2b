"""Reads. Each function takes a queryset already scoped by ``cases.permissions`` (or, for
system tasks, chosen deliberately) and returns a narrower or richer one."""

from dataclasses import replace
from datetime import date

from django.contrib.postgres.aggregates import BoolOr
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db import connections
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from bloom.directory.models import Town
from bloom.text import fold
from cases import amp
from cases.eligibility import Eligibility, eligibility_of
from cases.models import (
    ADULT_AGE,
    Case,
    Contact,
    MandatedReport,
    ProgramSettings,
    Screening,
    ServiceEvent,
    StageObservation,
    Survivor,
    digits_of,
)


class AddDays(Func):
    """A date plus a whole number of days, as a date, on PostgreSQL and on SQLite (the demo).

    Django's duration arithmetic cannot multiply a column by a day on SQLite.
    """

    arity = 2
    output_field = DateField()
    template = "(%(expressions)s)"
    arg_joiner = " + "  # PostgreSQL: date + integer is a date

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="date(%(expressions)s || ' days')", arg_joiner=", '+' || ", **extra_context
        )


def quiet_since() -> Greatest:
    """The day a case's quiet spell is counted from, over its own columns: the day of the last
    contact that reached the survivor or, if later (or with none), the day the case was enrolled
    or reopened. The stored due date is counted from it (``services.store_last_contact``)."""
    served_from = Coalesce("reopened_on", "decided_on", "opened_on")
    return Greatest(Coalesce(TruncDate("last_contact_at"), served_from), served_from)


def with_last_contact(cases: QuerySet[Case], *, as_of: date | None = None) -> QuerySet[Case]:
    """Annotate when the quiet spell began and whether a contact is due, from the case's own columns.

    Stored on the case (``services.store_last_contact``): ``last_contact_at``, the time of the
    last contact that reached the survivor (an attempt does not count), None when never;
    ``next_contact_agreed``, the case's ``next_contact_on`` is later than the spell's first
    day, so it was agreed within this spell; ``contact_due_on``, then that agreed day, sooner
    or later than the cadence's, otherwise the spell's first day plus the case's cadence.
    Annotated: ``last_contact_on``, the spell's first day (``quiet_since``); ``contact_overdue``,
    an active case whose due day has come by ``as_of`` (today). No subquery: a list costs the
    same however many contacts its cases have.
    """
    as_of = as_of or timezone.localdate()
    return cases.annotate(
        last_contact_on=quiet_since(),
        contact_overdue=ExpressionWrapper(
            Q(status__in=Case.ACTIVE_STATUSES, contact_due_on__lte=as_of), output_field=BooleanField()
        ),
    )


def open_cases(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Enrolled and being served: open or reopened (not in intake, closed or not enrolled)."""
    return cases.filter(status__in=Case.ACTIVE_STATUSES)


def cases_without_recent_contact(cases: QuerySet[Case], *, as_of: date) -> QuerySet[Case]:
    """Active cases whose quiet spell has lasted their contact cadence or longer by ``as_of``."""
    return with_last_contact(open_cases(cases), as_of=as_of).filter(contact_due_on__lte=as_of)


def for_list(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What the case list shows, in a fixed number of queries however many rows."""
    # A filter on what a case needs has annotated the last contact already (``figures.annotated``):
    # not built and compiled twice.
    if "contact_overdue" not in cases.query.annotations:
        cases = with_last_contact(cases)
    return cases.select_related("survivor", "team").prefetch_related("specialists")


CONTACT_SUMMARY_FIELDS = (
    "last_contact_at", "last_contact_on", "contact_due_on", "contact_overdue", "contact_cadence_days",
    "next_contact_agreed", "stage", "stage_observed_on",
)  # fmt: skip


def identity_purged(survivor_id: int) -> bool:
    """Whether the retention purge took the survivor's identity: their cases are tombstones
    (``retention``), which nothing may fill again. One query."""
    return Case.objects.filter(survivor_id=survivor_id, tombstone__identity_purged_on__isnull=False).exists()


def contact_summary(case: Case) -> dict:
    """For the case page, in one query: ``with_last_contact``'s values, the cadence, and the
    current stage of change (``stage``, ``stage_observed_on``; None when none is recorded)."""
    latest_stage = StageObservation.objects.filter(case=OuterRef("pk")).order_by("-observed_on", "-pk")
    return (
        with_last_contact(Case.objects.filter(pk=case.pk))
        .annotate(
            stage=Subquery(latest_stage.values("stage")[:1]),
            stage_observed_on=Subquery(latest_stage.values("observed_on")[:1]),
        )
        .values(*CONTACT_SUMMARY_FIELDS)
        .get()
    )


def contacts_of(case: Case) -> QuerySet[Contact]:
    """The case's contacts, newest first, with who recorded them."""
    return case.contacts.select_related("recorded_by").order_by("-occurred_at", "-pk")


def services_given() -> Prefetch:
    """The services given on contacts, by name: prefetched, one query for a whole page of contacts."""
    return Prefetch("service_events", queryset=ServiceEvent.objects.select_related("service").order_by("service__name"))


def search(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """Cases whose survivor's name, other names, client code or phone matches ``text``.

    Names are compared folded (``bloom.text.fold``: "jose nunez" finds "José Núñez"), by
    containment, and on PostgreSQL also by trigram similarity so that a misspelling still finds
    the person; both use the trigram indexes on the survivor's folded names.
    """
    text = " ".join(text.split())[:100]
    if not text:
        return cases
    code = text.upper() if text.upper().startswith("BL-") else f"BL-{text.upper()}"
    match = Q(survivor__client_code__startswith=code)
    if name := fold(text):  # nothing is left of text made only of accents
        match |= (
            Q(survivor__legal_name_key__contains=name)
            | Q(survivor__preferred_name_key__contains=name)
            | Q(survivor__aliases_key__contains=name)
        )
    digits = digits_of(text)
    if len(digits) >= PHONE_DIGITS_TO_SEARCH:
        match |= Q(survivor__phone_digits__contains=digits)
    if _on_postgresql(cases) and len(name) >= TRIGRAM_SEARCH_FROM:
        for key in ("legal_name_key", "preferred_name_key"):
            match |= Q(**{f"survivor__{key}__trigram_similar": name})
    return cases.filter(match)


def _on_postgresql(rows: QuerySet) -> bool:
    """Whether ``rows`` are read from PostgreSQL, which has the trigram operators (the demo runs on SQLite)."""
    return connections[rows.db].vendor == "postgresql"


# Fewer digits than this would match half the phone book.
PHONE_DIGITS_TO_SEARCH = 4
# Shorter text is a name's start or a piece of a client code: containment finds it, and a
# likeness of three letters means little.
TRIGRAM_SEARCH_FROM = 4


# The status filter's value for "open or reopened".
ACTIVE = "active"


def filtered(cases: QuerySet[Case], *, q: str, mine: bool, user, **filters) -> QuerySet[Case]:
    """The case list's search and filters, applied to an already scoped queryset.

    ``filters`` are those of ``cases.figures.condition`` (status, team, specialist, phase,
    what the case needs, months): the dashboards count with the same condition.
    """
    from cases import figures  # noqa: PLC0415 (figures reads services, which read this module)

    cases = search(cases, q)
    if any(filters.values()):
        cases = figures.annotated(cases).filter(figures.condition(today=timezone.localdate(), **filters))
    if mine:
        cases = cases.filter(specialists=user)
    return cases


def totals(cases: QuerySet[Case], *, month_start: date) -> dict[str, int]:
    """Counts for a dashboard, in one query."""
    return cases.aggregate(
        open=Count("pk", filter=Q(status__in=Case.ACTIVE_STATUSES)),
        in_intake=Count("pk", filter=Q(status=Case.Status.INTAKE)),
        closed=Count("pk", filter=Q(status=Case.Status.CLOSED)),
        opened_this_month=Count("pk", filter=Q(opened_on__gte=month_start)),
        total=Count("pk"),
    )


# The intake fields the Careline rule reads: whether the survivor was under 18 on the intake day
# (``Case.minor_at_intake``). ``cases.fields`` keeps them asked as built.
CARELINE_NEEDS = ("survivor.date_of_birth", "survivor.estimated_age")


def careline_reports_due(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Cases of survivors who were minors at intake with no DCF Careline report recorded.

    Whether or not they were enrolled: a minor under the age floor, or referred elsewhere,
    is still reported. Closed cases are left to the closing review.
    """
    return cases.filter(careline_report_missing())


def careline_report_missing() -> Q:
    """The condition of ``careline_reports_due``, for a count or a filter."""
    reported = MandatedReport.objects.filter(case=OuterRef("pk"), kind=MandatedReport.Kind.CARELINE)
    return Q(minor_at_intake=True) & ~Q(status=Case.Status.CLOSED) & ~Exists(reported)


def careline_report_due(case: Case, reports: list[MandatedReport] | None = None) -> bool:
    """Whether ``case`` (a minor's, not closed) lacks its DCF Careline report; see ``careline_reports_due``.

    ``reports``: the case's mandated reports when already fetched, to save a query.
    """
    if not case.minor_at_intake or case.status == Case.Status.CLOSED:
        return False
    if reports is None:
        return not case.mandated_reports.filter(kind=MandatedReport.Kind.CARELINE).exists()
    return not any(report.kind == MandatedReport.Kind.CARELINE for report in reports)


def minor_at_exploitation(case: Case, age_at_first_exploitation: int | None) -> bool | None:
    """Under 18 when exploited: from the age given, else true for a survivor still a minor at intake."""
    if age_at_first_exploitation is not None:
        return age_at_first_exploitation < ADULT_AGE
    if case.minor_at_intake:
        return True
    return None


def current_determination(case: Case, screening: Screening) -> str:
    """The screening's determination with the survivor's age as now recorded.

    A corrected date of birth can change whether the rule for minors applies, so
    eligibility asks again rather than trusting the one stored when it was saved.
    """
    answers = replace(screening.answers(), minor=minor_at_exploitation(case, screening.age_at_first_exploitation))
    return amp.determine(answers).determination


def latest_screening(case: Case) -> Screening | None:
    return case.screenings.select_related("screened_by").order_by("-version").first()


# For ``eligibility``: the caller has not read the latest screening (None says there is none).
_UNREAD = object()


def eligibility(case: Case, *, screening: Screening | None = _UNREAD) -> Eligibility:
    """The case's eligibility under the program's current settings and its latest screening."""
    service_area = list(Town.objects.filter(in_service_area=True).values_list("name", flat=True))
    if screening is _UNREAD:
        screening = latest_screening(case)
    return eligibility_of(
        case,
        minimum_age=ProgramSettings.load().minimum_age,
        service_area=service_area,
        determination=current_determination(case, screening) if screening else None,
    )


# How alike two names must be (pg_trgm similarity, 0 to 1) to be offered as the same
# person; with the same date of birth a weaker likeness is enough.
SIMILAR_NAME = 0.45
SIMILAR_NAME_SAME_BIRTH_DATE = 0.2
# A name is weighed at all when this alike to one typed (pg_trgm's default thresholds, at which
# its operators first chose the candidates): other names by word similarity, the rest by similarity.
CANDIDATE_NAME = 0.3
CANDIDATE_OTHER_NAME = 0.6


class NamedLike(Func):
    """Whether the survivor has a name at least ``threshold`` alike one of ``names`` (similarity,
    or word similarity for other names). The SQL function (migration 0025) finds them through
    the trigram indexes, with pg_trgm's thresholds set for its own query only, once per query:
    the planner then reads just those survivors by id."""

    function = "survivors_named_like"
    output_field = BooleanField()

    def __init__(self, names: list[str], threshold: float):
        super().__init__(
            F("pk"), Value(names, output_field=ArrayField(TextField())), Value(threshold, output_field=FloatField())
        )

    def as_sql(self, compiler, connection, **extra_context):
        (pk, pk_params), (names, names_params), (threshold, threshold_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        # A subquery, run once when the query starts: called directly, the planner would also run
        # the function to estimate how many ids it gives.
        sql = f"{pk} = ANY((SELECT {self.function}({names}, {threshold}))::bigint[])"
        return sql, (*pk_params, *names_params, *threshold_params)


def similar_survivors(
    survivors: QuerySet[Survivor], *, names: list[str], date_of_birth: date | None, limit: int
) -> list[Survivor]:
    """Survivors whose name or other names are like one of ``names``, most alike first.

    Names are compared folded (``bloom.text.fold``), so accents and case make no difference.
    On PostgreSQL by trigram similarity (indexed); elsewhere (the SQLite demo) by
    containment only. With ``date_of_birth``, a weaker likeness is enough on that date.
    """
    alike = _alike(survivors, names=names, date_of_birth=date_of_birth)
    if alike is None:
        return []
    return list(alike.order_by("-likeness", "pk")[:limit]) if _on_postgresql(alike) else list(alike[:limit])


def any_similar_survivor(survivors: QuerySet[Survivor], *, names: list[str]) -> bool:
    """Whether one of ``survivors`` has a name strongly like one of ``names`` (stops at the first)."""
    alike = _alike(survivors, names=names, date_of_birth=None)
    return alike is not None and alike.exists()


def likely_duplicates(
    survivors: QuerySet[Survivor], *, mine: Exists, names: list[str], date_of_birth: date | None, limit: int
) -> tuple[list[int], bool]:
    """For the duplicate check: the ids of the survivors that ``mine`` holds for (a condition on the
    survivor) as ``similar_survivors`` gives them, and whether another of ``survivors`` has a name
    strongly like as ``any_similar_survivor`` tells (their birth date is never asked).

    On PostgreSQL in one query: the names are looked up and scored once for both answers.
    """
    if not _on_postgresql(survivors):
        shown = similar_survivors(survivors.filter(mine), names=names, date_of_birth=date_of_birth, limit=limit)
        return [survivor.pk for survivor in shown], any_similar_survivor(survivors.exclude(mine), names=names)
    names = _folded(names)
    if not names:
        return [], False
    scored, alike = _scored(survivors, names)
    near = Q(NamedLike(names, SIMILAR_NAME))
    if date_of_birth:
        near |= Q(date_of_birth=date_of_birth)
        alike |= Q(mine, date_of_birth=date_of_birth, likeness__gte=SIMILAR_NAME_SAME_BIRTH_DATE)
    # The user's own first, most alike first; whether any other is alike counted over all the rows.
    rows = list(
        scored.filter(near, alike)
        .annotate(seen=mine, others=Window(BoolOr(~mine)))
        .order_by("-seen", "-likeness", "pk")
        .values_list("pk", "seen", "others")[:limit]
    )
    return [pk for pk, seen, _ in rows if seen], bool(rows) and rows[0][2]


def _alike(survivors: QuerySet[Survivor], *, names: list[str], date_of_birth: date | None) -> QuerySet | None:
    names = _folded(names)
    if not names:
        return None
    if not _on_postgresql(survivors):
        match = Q()
        for name in names:
            for key in Survivor.NAME_KEYS.values():
                match |= Q(**{f"{key}__contains": name})
        return survivors.filter(match).order_by("pk")
    scored, alike = _scored(survivors, names)
    near = Q(NamedLike(names, SIMILAR_NAME))
    if date_of_birth:
        near |= Q(date_of_birth=date_of_birth)
        alike |= Q(date_of_birth=date_of_birth, likeness__gte=SIMILAR_NAME_SAME_BIRTH_DATE)
    return scored.filter(near, alike)


def _folded(names: list[str]) -> list[str]:
    # Folded, as the keys are: "JOSÉ" and "jose" are one name, and compared once.
    names = list(dict.fromkeys(fold(name)[:200] for name in names if name))
    return [name for name in names if len(name) >= 2]


def _scored(survivors: QuerySet[Survivor], names: list[str]) -> tuple[QuerySet[Survivor], Q]:
    """``survivors`` with their ``likeness`` to ``names`` (the best score of any name against any of
    theirs), and the condition of a strong likeness by name: SIMILAR_NAME or more, on a name first
    weighed at all (``CANDIDATE_NAME``, ``CANDIDATE_OTHER_NAME``). ``NamedLike`` at SIMILAR_NAME
    holds every survivor it can hold, for the indexes to bound the search."""
    scores, weighed = {}, Q()
    for i, name in enumerate(names):
        scores |= {
            f"legal_{i}": TrigramSimilarity("legal_name_key", name),
            f"preferred_{i}": TrigramSimilarity("preferred_name_key", name),
            f"other_{i}": TrigramWordSimilarity(name, "aliases_key"),
        }
        weighed |= (
            Q(**{f"legal_{i}__gte": CANDIDATE_NAME})
            | Q(**{f"preferred_{i}__gte": CANDIDATE_NAME})
            | Q(**{f"other_{i}__gte": CANDIDATE_OTHER_NAME})
        )
    scored = survivors.alias(**scores).annotate(likeness=Greatest(*(F(score) for score in scores)))
    return scored, weighed & Q(likeness__gte=SIMILAR_NAME)
