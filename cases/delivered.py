"""Services delivered: the rules that derive service events from other records, and the one
place that gathers every event of a period.

A service event is (case, service, day). Specialists tick services on a contact
(``ServiceEvent`` rows); the rest are implied by what Bloom already records, each by one
``Rule`` written down here or in the app that owns the record (assistance registers its
payments, help in kind and housing stays from its ``AppConfig.ready``), so imports keep
pointing one way. Derived events are computed when they are counted, never stored, so a
corrected payment or a shortened stay can never leave a stale event behind.

A service is counted once per case, service and day, however many records imply it: the
events of a period are one SQL ``UNION`` (which drops duplicates) of every source.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import DateField, F, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Greatest, TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bloom.directory.models import Organization
from cases import catalogue
from cases.models import Contact, Referral, SafetyPlan, Service, ServiceEvent

# Before any record Bloom could hold: "since the beginning".
BEGINNING = date(1900, 1, 1)


@dataclass(frozen=True)
class Rule:
    """Events of one service implied by one kind of record."""

    name: str
    service_key: str
    description: str | Promise
    # The records' events between two days (both included), as rows with ``case_id`` and
    # a date ``day``.
    events: Callable[[date, date], QuerySet]


RULES: dict[str, Rule] = {}


def register(rule: Rule) -> None:
    """Add a rule; its service is named by key, so the catalogue can rename it freely."""
    RULES[rule.name] = rule


def _on_days(queryset: QuerySet, field: str, start: date, end: date) -> QuerySet:
    """Rows whose moment ``field`` falls on a day from ``start`` to ``end`` in the program's time
    zone, with that ``day``. Filtered on the moment itself, so an index on it can be used."""
    zone = timezone.get_current_timezone()
    first = datetime.combine(start, time.min, tzinfo=zone)
    after = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    return queryset.filter(**{f"{field}__gte": first, f"{field}__lt": after}).annotate(day=TruncDate(field))


def _referrals(kind_filter: bool) -> Callable[[date, date], QuerySet]:
    def events(start: date, end: date) -> QuerySet:
        referrals = Referral.objects.filter(direction=Referral.Direction.OUT, made_on__range=(start, end))
        if kind_filter:
            referrals = referrals.filter(organization__kind=Organization.Kind.VICTIM_SERVICES)
        else:
            referrals = referrals.exclude(organization__kind=Organization.Kind.VICTIM_SERVICES)
        return referrals.annotate(day=F("made_on"))

    return events


def _safety_plans(start: date, end: date) -> QuerySet:
    return _on_days(SafetyPlan.objects.all(), "created", start, end)


def _interpreted_contacts(start: date, end: date) -> QuerySet:
    return _on_days(Contact.objects.filter(interpreter_used=True), "occurred_at", start, end)


def stays(queryset: QuerySet, start: date, end: date) -> QuerySet:
    """Stays (rows with ``started_on`` and ``ended_on``) as one event in each period they cover:
    on the first day of the stay within the period."""
    return (
        queryset.filter(started_on__lte=end)
        .exclude(ended_on__lt=start)
        .annotate(day=Greatest(F("started_on"), Cast(Value(start), DateField())))
    )


register(
    Rule(
        "referral to a victim service program",
        catalogue.REFERRAL_VICTIM_SERVICES,
        _("A referral made out to an organization listed in the directory as victim services."),
        _referrals(True),
    )
)
register(
    Rule(
        "referral to other services",
        catalogue.REFERRAL_OTHER_SERVICES,
        _("A referral made out to any other organization in the directory."),
        _referrals(False),
    )
)
register(
    Rule(
        "safety plan",
        catalogue.CRISIS_SAFETY_PLANNING,
        _("A version of the safety plan saved, on the day it was saved."),
        _safety_plans,
    )
)
register(
    Rule(
        "interpreter",
        catalogue.INTERPRETER,
        _("A contact on which an interpreter was used."),
        _interpreted_contacts,
    )
)


def _rows(queryset: QuerySet, service_key: str | None = None) -> QuerySet:
    """The (case, service, day) columns every source gives, under the same names. A derived
    event's service is found by its key inside the same SQL, so gathering costs no query."""
    if service_key is None:
        service = F("service_id")
    else:
        service = Subquery(Service.objects.filter(key=service_key).values("pk")[:1], output_field=IntegerField())
    return (
        queryset.order_by()
        .annotate(event_case=F("case_id"), event_service=service, event_day=Cast(F("day"), DateField()))
        .values_list("event_case", "event_service", "event_day")
    )


def events_sql(start: date, end: date) -> tuple[str, tuple]:
    """SQL for every service event from ``start`` to ``end`` (both included), once per case,
    service and day, with the columns ``event_case``, ``event_service`` and ``event_day``.

    For the counting selectors only (``cases.tallies``): the rows name cases, so they never
    leave this module and its selectors. Building it runs no query.
    """
    ticked = _rows(ServiceEvent.objects.filter(provided_on__range=(start, end)).annotate(day=F("provided_on")))
    derived = [_rows(rule.events(start, end), rule.service_key) for rule in RULES.values()]
    sql, params = ticked.union(*derived).order_by().query.sql_with_params()
    return sql, tuple(params)
