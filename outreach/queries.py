"""Reads of outreach's records: the dashboard's figures and volunteers' hours.

Each function takes an already scoped queryset (``outreach.access``) and returns figures; the
dashboard's totals are summed in the database per session and grouped here, because a
session with two kinds of venue counts once under each of them (and once in every total).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Round
from django.utils import timezone

from bloom.vocabulary import VenueType
from outreach import access
from outreach.models import HandOff, OutreachSession, Volunteer

MINUTES_PER_HOUR = Decimal(60)
# The figures the dashboard shows for every group, in column order.
FIGURES = (
    "sessions", "volunteer_hours", "people_contacted", "hotline_cards", "hygiene_kits", "food_items",
    "resource_sheets", "materials", "possibly_identified", "handoffs", "safety_incidents",
)  # fmt: skip


@dataclass
class Figures:
    """What a group of sessions (a month, a town, a kind of venue, or all) adds up to."""

    label: str
    key: str = ""
    sessions: int = 0
    volunteer_minutes: int = 0
    people_contacted: int = 0
    hotline_cards: int = 0
    hygiene_kits: int = 0
    food_items: int = 0
    resource_sheets: int = 0
    possibly_identified: int = 0
    handoffs: int = 0
    safety_incidents: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def materials(self) -> int:
        return self.hotline_cards + self.hygiene_kits + self.food_items + self.resource_sheets

    @property
    def volunteer_hours(self) -> Decimal:
        return (Decimal(self.volunteer_minutes) / MINUTES_PER_HOUR).quantize(Decimal("0.1"))

    def add(self, row: dict) -> None:
        self.sessions += 1
        self.volunteer_minutes += row["minutes"] * row["team_size"]
        self.handoffs += row["handoff_count"]
        for name in OutreachSession.COUNT_FIELDS:
            setattr(self, name, getattr(self, name) + row[name])

    def values(self) -> list:
        return [getattr(self, name) for name in FIGURES]


@dataclass
class Dashboard:
    total: Figures
    by_month: list[Figures]
    by_town: list[Figures]
    by_venue: list[Figures]


ROW_FIELDS = ("starts_at", "minutes", "town_id", "town__name", "venue_types", "team_size", "handoff_count")


def _rows(sessions: QuerySet[OutreachSession]) -> list[dict]:
    team_size = (
        OutreachSession.volunteers.through.objects.filter(outreachsession=OuterRef("pk"))
        .values("outreachsession")
        .annotate(n=Count("pk"))
        .values("n")
    )
    handoffs = HandOff.objects.filter(session=OuterRef("pk")).values("session").annotate(n=Count("pk")).values("n")
    return list(
        sessions.annotate(
            team_size=Coalesce(Subquery(team_size), 0),
            handoff_count=Coalesce(Subquery(handoffs), 0),
        )
        .order_by("starts_at", "pk")
        .values(*ROW_FIELDS, *OutreachSession.COUNT_FIELDS)
    )


def dashboard(sessions: QuerySet[OutreachSession], *, venue: str = "") -> Dashboard:
    """The figures of ``sessions`` in total and by month (local time), town and kind of venue.

    With ``venue``, only the sessions at that kind of venue count.
    """
    total = Figures(label="")
    months: dict[date, Figures] = {}
    towns: dict[int, Figures] = {}
    venues: dict[str, Figures] = {}
    for row in _rows(sessions):
        if venue and venue not in row["venue_types"]:
            continue
        total.add(row)
        month = timezone.localtime(row["starts_at"]).date().replace(day=1)
        months.setdefault(month, Figures(label="", key=month.isoformat(), extra={"month": month})).add(row)
        towns.setdefault(row["town_id"], Figures(label=row["town__name"], key=str(row["town_id"]))).add(row)
        for kind in row["venue_types"]:
            if kind in VenueType.values:
                venues.setdefault(kind, Figures(label=str(VenueType(kind).label), key=kind)).add(row)
    return Dashboard(
        total=total,
        by_month=[months[m] for m in sorted(months)],
        by_town=sorted(towns.values(), key=lambda f: (-f.sessions, f.label)),
        by_venue=[venues[v] for v in VenueType.values if v in venues],
    )


def with_hours(volunteers: QuerySet[Volunteer]) -> QuerySet[Volunteer]:
    """Each volunteer with ``hours``: the length of the sessions they were on that have ended."""
    minutes = Coalesce(Sum("sessions__minutes", filter=Q(sessions__ends_at__lte=timezone.now())), Value(0))
    return volunteers.annotate(
        hours=Round(
            ExpressionWrapper(minutes * Decimal("1.0") / MINUTES_PER_HOUR, output_field=DecimalField()),
            1,
            output_field=DecimalField(max_digits=9, decimal_places=1),
        ),
        session_count=Count("sessions", distinct=True),
    )


def hours_of(volunteer: Volunteer) -> Decimal:
    minutes = volunteer.sessions.filter(ends_at__lte=timezone.now()).aggregate(m=Sum("minutes"))["m"] or 0
    return (Decimal(minutes) / MINUTES_PER_HOUR).quantize(Decimal("0.1"))


def upcoming(sessions: QuerySet[OutreachSession]) -> QuerySet[OutreachSession]:
    return sessions.filter(ends_at__gt=timezone.now()).order_by("starts_at", "pk")


def coming_up(user) -> dict:
    """For the home page: the next sessions ``user`` may see (an outreach worker's all, a volunteer's own)."""
    sessions = with_team(upcoming(access.visible_sessions(user)))[:HOME_SESSIONS]
    return {"sessions": list(sessions), "now": timezone.now()}


HOME_SESSIONS = 5


def with_team(sessions: QuerySet[OutreachSession]) -> QuerySet[OutreachSession]:
    """Sessions ready for a list: town, lead, volunteers and the number of hand-offs, in fixed queries."""
    return (
        sessions.select_related("town", "lead")
        .prefetch_related("volunteers")
        .annotate(handoff_count=Count("handoffs", distinct=True))
    )


__all__ = ["FIGURES", "Dashboard", "Figures", "dashboard", "hours_of", "upcoming", "with_hours", "with_team"]
