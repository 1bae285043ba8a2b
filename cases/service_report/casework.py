"""The service report's sections that ``cases`` prints itself: services given, contacts and referrals.

Each loads every case of the report at once, in one query (contacts: two with notes), and
copies only what is printed into frozen records. Services given are read from
``cases.delivered.events_sql``, the same events the funder reports count (derived ones
included: a payment, a shelter stay, a referral), restricted here to the report's cases.
"""

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from bloom import translated
from cases import delivered
from cases.models import Contact, Referral, Service
from cases.service_report.sections import Scope, Section, register

# Services given ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GivenService:
    name: str
    days: tuple[date, ...]  # each day it was given, once per day

    @property
    def times(self) -> int:
        return len(self.days)


@dataclass(frozen=True)
class ServiceGroup:
    name: str  # the funder's category, as the contact form groups the services
    services: tuple[GivenService, ...]

    @property
    def times(self) -> int:
        return sum(service.times for service in self.services)


@dataclass(frozen=True)
class ServicesGiven:
    groups: tuple[ServiceGroup, ...]

    @property
    def times(self) -> int:
        return sum(group.times for group in self.groups)


def _as_date(value) -> date:
    # SQLite (the demo's database) returns a compound select's dates as text.
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def services_given(scope: Scope) -> dict[int, ServicesGiven]:
    """The services each case was given in the period, by category, with their days: one query.

    Each is named in the report's language, as the director wrote the service in it (the
    ``translations`` of ``bloom.translated``, read in the same query).
    """
    if not scope.case_ids:
        return {}
    events, params = delivered.events_sql(scope.start, scope.end)
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(scope.case_ids))
    # Only SQL built by the ORM and this module's own names are joined; every value is a parameter.
    sql = (
        f"SELECT e.event_case, s.id, s.name, s.translations, s.{quote('group')}, s.{quote('order')}, e.event_day "  # noqa: S608
        f"FROM ({events}) e JOIN {quote(Service._meta.db_table)} s ON s.id = e.event_service "
        f"WHERE e.event_case IN ({marks})"
    )
    days: dict[int, dict[tuple, list[date]]] = defaultdict(lambda: defaultdict(list))
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, *scope.case_ids))
        for case_id, service_id, name, words, group, order, day in cursor.fetchall():
            shown = translated.pick(name, json.loads(words) if isinstance(words, str) else words, "name")
            days[case_id][(group, order, shown, service_id)].append(_as_date(day))
    groups = list(Service.Group)

    def rank(key: tuple) -> tuple:
        # As the contact form shows them: by category, then the catalogue's order.
        group, order, name, _pk = key
        return (groups.index(group) if group in groups else len(groups), order, name)

    printed = {}
    for case_id, by_service in days.items():
        grouped: dict[str, list[GivenService]] = defaultdict(list)
        for key in sorted(by_service, key=rank):
            grouped[key[0]].append(GivenService(name=key[2], days=tuple(sorted(by_service[key]))))
        printed[case_id] = ServicesGiven(
            groups=tuple(
                ServiceGroup(name=_group_label(group), services=tuple(services)) for group, services in grouped.items()
            )
        )
    return printed


def _group_label(group: str) -> str:
    return str(Service.Group(group).label) if group in Service.Group.values else group


# Contacts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactNote:
    at: datetime
    kind: str
    note: str


@dataclass(frozen=True)
class ContactsInPeriod:
    reached: int
    attempts: int
    last_at: datetime  # the latest contact of the period, reached or not
    last_kind: str
    notes: tuple[ContactNote, ...]  # empty unless notes are printed

    @property
    def total(self) -> int:
        return self.reached + self.attempts


def contacts(scope: Scope) -> dict[int, ContactsInPeriod]:
    """How many contacts each case had in the period, and the last: one query, two with notes."""
    first, after = scope.moments()
    in_period = Contact.objects.filter(case_id__in=scope.case_ids, occurred_at__gte=first, occurred_at__lt=after)
    latest = in_period.filter(case_id=OuterRef("case_id")).order_by("-occurred_at", "-pk")
    rows = (
        in_period.order_by()
        .values("case_id")
        .annotate(
            reached=Count("pk", filter=Q(kind__in=Contact.REACHED)),
            attempts=Count("pk", filter=~Q(kind__in=Contact.REACHED)),
            last_at=Subquery(latest.values("occurred_at")[:1]),
            last_kind=Subquery(latest.values("kind")[:1]),
        )
    )
    notes: dict[int, list[ContactNote]] = defaultdict(list)
    if scope.notes:
        for contact in (
            in_period.exclude(note="")
            .only("case_id", "occurred_at", "kind", "note")
            .order_by("case_id", "occurred_at", "pk")
        ):
            notes[contact.case_id].append(
                ContactNote(at=contact.occurred_at, kind=str(contact.get_kind_display()), note=contact.note)
            )
    kinds = dict(Contact.Kind.choices)
    return {
        row["case_id"]: ContactsInPeriod(
            reached=row["reached"],
            attempts=row["attempts"],
            last_at=row["last_at"],
            last_kind=str(kinds.get(row["last_kind"], row["last_kind"])),
            notes=tuple(notes[row["case_id"]]),
        )
        for row in rows
    }


# Referrals ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrintedReferral:
    made_on: date
    outward: bool  # to the organization; else from it
    organization: str  # empty unless identifying details are printed: whom they were sent to says who they are
    service: str
    outcome: str
    outcome_on: date | None
    note: str  # empty unless notes are printed


def referrals(scope: Scope) -> dict[int, tuple[PrintedReferral, ...]]:
    """Referrals made in the period, or whose outcome came in it, oldest first: one query.

    Where identifying details may not be printed (an organization without a release), only each
    referral's service and outcome are: a partner that took the survivor in could name them.
    """
    chosen = (
        Referral.objects.filter(case_id__in=scope.case_ids)
        .filter(Q(made_on__range=(scope.start, scope.end)) | Q(outcome_on__range=(scope.start, scope.end)))
        .select_related("organization")
        .only("case_id", "made_on", "direction", "organization__name", "service_type", "status", "outcome_on", "note")
        .order_by("case_id", "made_on", "pk")
    )
    printed: dict[int, list[PrintedReferral]] = defaultdict(list)
    for referral in chosen:
        printed[referral.case_id].append(
            PrintedReferral(
                made_on=referral.made_on,
                outward=referral.direction == Referral.Direction.OUT,
                organization=referral.organization.name if scope.identifying else "",
                service=str(referral.get_service_type_display()),
                outcome=str(referral.get_status_display()),
                outcome_on=referral.outcome_on,
                note=referral.note if scope.notes else "",
            )
        )
    return {case_id: tuple(rows) for case_id, rows in printed.items()}


def register_sections() -> None:
    register(
        Section(
            key="services",
            title=_("Services given"),
            own_title=_("Services you received"),
            template="cases/service_report/_services.html",
            load=services_given,
            empty=_("No services were recorded in this period."),
            order=10,
        )
    )
    register(
        Section(
            key="contacts",
            title=_("Contacts"),
            own_title=_("Our contacts with you"),
            template="cases/service_report/_contacts.html",
            load=contacts,
            empty=_("No contacts were recorded in this period."),
            order=20,
        )
    )
    register(
        Section(
            key="referrals",
            title=_("Referrals and their outcomes"),
            own_title=_("Referrals"),
            template="cases/service_report/_referrals.html",
            load=referrals,
            empty=_("No referrals were made in this period."),
            order=30,
        )
    )
