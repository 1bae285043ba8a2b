"""Scale data that ``seed_demo`` does not make: the services specialists tick on contacts.

``cases.demo.seed_scale`` writes contacts without services. A program that records services
ticks one or two on most contacts that reached the survivor, and answers on each whether an
interpreter was used; ``tick_services`` adds that to the benchmark database. It does the
contacts not done yet (reached, no service ticked, the interpreter question blank), so it runs
again after each growth and leaves what it did before alone.

Events are written with their history rows, as ``log_contact`` writes them, but with COPY,
in less than half the time ``bulk_create_with_history`` took (27 s at 10,000 survivors). The
interpreter answer is set by an UPDATE, without a history row: the benchmark reads only
current rows. PostgreSQL only.

Events that other records imply (payments, help in kind, stays, referrals, safety plans,
interpreted contacts) are never stored: ``cases.delivered`` derives them when a report counts.
"""

import csv
import io
import random
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cases import catalogue
from cases.models import Contact, Service, ServiceEvent

# What a specialist ticks, in relative weights: the catalogue's usual services most, now and
# then something rarer. A key the catalogue no longer offers is left out.
TICKED = {
    "case-management": 30,
    "individual-counseling": 14,
    "individual-advocacy": 12,
    "transportation": 10,
    catalogue.CRISIS_SAFETY_PLANNING: 8,
    catalogue.BASIC_NECESSITIES: 8,
    catalogue.REFERRAL_OTHER_SERVICES: 6,
    "immigration-assistance": 5,
    "support-group": 2,
    "court-accompaniment": 1,
    "medical-accompaniment": 1,
    "legal-advice": 1,
    "employment": 1,
    "relocation": 1,
}
# How many services a reached contact has ticked, in relative weights: mostly one or two,
# none on a call that was only a check-in.
TICKS = {0: 15, 1: 50, 2: 35}
# The share of cases whose survivor needs an interpreter, each of whose reached contacts has one:
# about one contact in ten.
INTERPRETED_CASES = 0.125
BATCH = 20_000


@dataclass(frozen=True)
class Ticked:
    contacts: int
    events: int
    interpreted: int


def tick_services(*, seed: int = 13) -> Ticked:
    """Tick services on the reached contacts not done yet, and answer the interpreter question; returns the counts."""
    offered = dict(Service.objects.filter(key__in=TICKED, is_active=True).values_list("key", "pk"))
    keys = [key for key in TICKED if key in offered]
    weights = [TICKED[key] for key in keys]
    todo = Contact.objects.filter(kind__in=Contact.REACHED, interpreter_used__isnull=True).filter(
        ~Exists(ServiceEvent.objects.filter(contact=OuterRef("pk")))
    )
    rng = random.Random(seed)  # noqa: S311 (made-up scale data, not secrets)
    contacts = events = interpreted = 0
    after = 0
    while True:
        rows = list(
            todo.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", "case_id", "occurred_at", "recorded_by_id")[:BATCH]
        )
        if not rows:
            break
        after = rows[-1][0]
        ticked = [
            (pk, case_id, offered[key], timezone.localdate(occurred_at), by)
            for pk, case_id, occurred_at, by in rows
            for key in _services(rng, keys, weights)
        ]
        needing = {case_id for case_id in {row[1] for row in rows} if _needs_interpreter(case_id, seed)}
        with_interpreter = [pk for pk, case_id, _at, _by in rows if case_id in needing]
        with transaction.atomic():
            _write(ticked)
            Contact.objects.filter(pk__in=[row[0] for row in rows]).update(interpreter_used=False)
            Contact.objects.filter(pk__in=with_interpreter).update(interpreter_used=True)
        contacts, events, interpreted = contacts + len(rows), events + len(ticked), interpreted + len(with_interpreter)
    return Ticked(contacts=contacts, events=events, interpreted=interpreted)


EVENT_FIELDS = ["id", "contact", "case", "service", "provided_on", "recorded_by", "created"]
HISTORY_FIELDS = [*EVENT_FIELDS, "history_date", "history_type", "history_change_reason", "history_user"]


def _write(ticked: list[tuple]) -> None:
    """COPY the events (contact, case, service, day, recorder) and their first history rows."""
    if not ticked:
        return
    now = timezone.now().isoformat()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [ServiceEvent._meta.db_table, len(ticked)],
        )
        events = [
            [pk, *row[:3], row[3].isoformat(), row[4], now]
            for (pk,), row in zip(cursor.fetchall(), ticked, strict=True)
        ]
        _copy(cursor, ServiceEvent, EVENT_FIELDS, events)
        # As ``bulk_create_with_history`` writes them: created ("+") by the person who recorded it.
        _copy(
            cursor,
            ServiceEvent.history.model,
            HISTORY_FIELDS,
            [[*row, now, "+", "Scale data", row[5]] for row in events],
        )


def _copy(cursor, model, fields: list[str], rows: list[list]) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    buffer.seek(0)
    cursor.copy_expert(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN WITH (FORMAT csv)", buffer)


def _services(rng: random.Random, keys: list[str], weights: list[int]) -> set[str]:
    count = rng.choices(list(TICKS), weights=list(TICKS.values()))[0]
    chosen: set[str] = set()
    while len(chosen) < min(count, len(keys)):
        chosen.add(rng.choices(keys, weights=weights)[0])
    return chosen


def _needs_interpreter(case_id: int, seed: int) -> bool:
    # Decided by the case, not the contact: a survivor who needs an interpreter needs one every
    # time, and the answer stays the same when the contacts are done in another run.
    return random.Random(case_id * 1_000_003 + seed).random() < INTERPRETED_CASES  # noqa: S311 (made-up data)
