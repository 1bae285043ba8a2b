"""Training's lists and totals, each in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth, TruncQuarter, TruncYear
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from training import access
from training.models import Attendee, Audience, Construct, Item, SurveyInstrument, SurveyResponse, TrainingEvent

PERIODS = {"year": TruncYear, "quarter": TruncQuarter, "month": TruncMonth}


def with_counts(events: QuerySet[TrainingEvent]) -> QuerySet[TrainingEvent]:
    """Each event with ``headcount`` (the count given, else the sign-in list) and its surveys per phase."""
    return (
        events.select_related("curriculum", "host", "town")
        .annotate(
            headcount=_headcount(),
            surveys_before=Count("responses", filter=_answered(SurveyResponse.Phase.PRE), distinct=True),
            surveys_after=Count("responses", filter=_answered(SurveyResponse.Phase.POST), distinct=True),
        )
        .prefetch_related("trainers")
    )


def _headcount() -> Coalesce:
    """How many came: the count given on the event, else the length of its sign-in list."""
    listed = Attendee.objects.filter(event=OuterRef("pk")).values("event").annotate(n=Count("pk")).values("n")
    return Coalesce("attendee_count", Subquery(listed, output_field=IntegerField()), 0)


def _answered(phase) -> Q:
    return Q(responses__phase=phase, responses__set_aside=False)


@dataclass
class Totals:
    sessions: int = 0
    attendees: int = 0


@dataclass
class Activity:
    """Sessions and attendees by audience, overall and per period (the seed's awareness efforts)."""

    by: str = "year"
    by_audience: list[tuple[str, Totals]] = field(default_factory=list)
    periods: list[tuple[object, dict[str, Totals]]] = field(default_factory=list)
    total: Totals = field(default_factory=Totals)
    audiences: list[tuple[str, str]] = field(default_factory=list)

    @property
    def period_rows(self) -> list[tuple[str, list[Totals]]]:
        """Each period's label with its totals in the order of ``audiences``."""
        return [
            (period_label(period, self.by), [cells[value] for value, _label in self.audiences])
            for period, cells in self.periods
        ]


def period_label(start, by: str) -> str:
    start = timezone.localtime(start) if isinstance(start, datetime) else start
    if by == "year":
        return str(start.year)
    if by == "quarter":
        return _("Q%(quarter)s %(year)s") % {"quarter": (start.month - 1) // 3 + 1, "year": start.year}
    return date_format(start, "YEAR_MONTH_FORMAT")


def activity(events: QuerySet[TrainingEvent], *, by: str = "year") -> Activity:
    """Totals of ``events`` by audience and by ``by`` (year, quarter or month): one query."""
    rows = (
        events.annotate(
            period=PERIODS[by]("starts_at"),
            heads=_headcount(),
        )
        .values("period", "audience")
        .annotate(sessions=Count("pk"), attendees=Sum("heads"))
        .order_by("period", "audience")
    )
    result = Activity(by=by, audiences=list(Audience.choices))
    per_audience = {value: Totals() for value, _label in Audience.choices}
    periods: dict[object, dict[str, Totals]] = {}
    for row in rows:
        cell = periods.setdefault(row["period"], {value: Totals() for value, _label in Audience.choices})
        cell[row["audience"]] = Totals(row["sessions"], row["attendees"] or 0)
        per_audience[row["audience"]].sessions += row["sessions"]
        per_audience[row["audience"]].attendees += row["attendees"] or 0
    result.by_audience = [(label, per_audience[value]) for value, label in Audience.choices]
    result.periods = sorted(periods.items(), key=lambda pair: pair[0])
    everything = per_audience.values()
    result.total = Totals(sum(t.sessions for t in everything), sum(t.attendees for t in everything))
    return result


def survey_layout(instrument: SurveyInstrument) -> list[tuple[Construct, list[Item]]]:
    """The instrument's constructs, each with its items, in order (two queries)."""
    return [(construct, list(construct.items.all())) for construct in instrument.constructs.prefetch_related("items")]


HOME_EVENTS = 5


def coming_up(user) -> dict:
    """For a trainer's home page: the next events, and those whose survey link is still open."""
    now = timezone.now()
    events = with_counts(access.visible_events(user))
    return {
        "events": list(events.filter(starts_at__gte=now).order_by("starts_at", "pk")[:HOME_EVENTS]),
        "surveys_open": list(
            events.filter(starts_at__lt=now, survey_closes_at__gt=now, instrument__isnull=False).order_by(
                "survey_closes_at", "pk"
            )[:HOME_EVENTS]
        ),
    }
