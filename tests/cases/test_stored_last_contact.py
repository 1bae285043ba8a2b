"""The last contact and the due date kept on the case: the same values the contacts give, at any size."""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.models import BooleanField, DateField, DateTimeField, ExpressionWrapper, F, OuterRef, Q, Subquery, When
from django.db.models import Case as CaseWhen
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from cases import figures, permissions, queries, services, sorting
from cases.models import Case, Contact, Survivor
from retention.models import Level
from retention.purge import purge_case
from tests.factories import correct_contact as correct
from tests.factories import log_contact as log
from tests.factories import make_case, morning
from tests.sqlite import in_memory_sqlite

# Run again at awkward instants (tests/clock.py): the last contact's day is a local day.
pytestmark = pytest.mark.clock

CADENCE = 14
STORED = ("last_contact_at", "last_contact_on", "next_contact_agreed", "contact_due_on", "contact_overdue")


def day(n: int):
    return timezone.localdate() + timedelta(days=n)


def from_the_contacts(case) -> dict:
    """What the case list computed from the contacts, row by row, before the values were stored."""
    last_reached = Subquery(
        Contact.objects.filter(case=OuterRef("pk"), kind__in=Contact.REACHED)
        .order_by("-occurred_at")
        .values("occurred_at")[:1],
        output_field=DateTimeField(),
    )
    served_from = Coalesce("reopened_on", "decided_on", "opened_on")
    return (
        Case.objects.filter(pk=case.pk)
        .annotate(
            was_at=last_reached,
            was_on=Greatest(Coalesce(TruncDate(last_reached), served_from), served_from),
            was_agreed=ExpressionWrapper(
                Q(next_contact_on__isnull=False, next_contact_on__gt=F("was_on")), output_field=BooleanField()
            ),
            was_due=CaseWhen(
                When(was_agreed=True, then=F("next_contact_on")),
                default=queries.AddDays(F("was_on"), F("contact_cadence_days")),
                output_field=DateField(),
            ),
            was_overdue=ExpressionWrapper(
                Q(status__in=Case.ACTIVE_STATUSES, was_due__lte=timezone.localdate()), output_field=BooleanField()
            ),
        )
        .values_list("was_at", "was_on", "was_agreed", "was_due", "was_overdue")
        .get()
    )


def stored(case) -> tuple:
    summary = queries.contact_summary(case)
    return tuple(summary[name] for name in STORED)


@pytest.fixture
def served(world) -> Case:
    case = make_case(team=world.team_a, specialists=[world.specialist], opened_on=day(-40), legal_name="Ana Kept")
    return services.set_contact_cadence(case, by=world.supervisor, days=CADENCE)


def _nothing(world, case):
    pass


def _recorded(world, case):
    log(case, world.specialist, days_ago=9)


def _agreed(world, case):
    log(case, world.specialist, days_ago=9, next_contact_on=day(3))


def _latest_corrected(world, case):
    contact = log(case, world.specialist, days_ago=9, next_contact_on=day(3))
    correct(contact, world.specialist, occurred_at=morning(4), next_contact_on=None)


def _older_corrected_to_latest(world, case):
    older = log(case, world.specialist, days_ago=20)
    log(case, world.specialist, days_ago=9, kind=Contact.Kind.ATTEMPT, next_contact_on=day(2))
    correct(older, world.specialist, occurred_at=morning(3))


def _struck_to_an_attempt(world, case):
    log(case, world.specialist, days_ago=20)
    contact = log(case, world.specialist, days_ago=5)
    correct(contact, world.specialist, kind=Contact.Kind.ATTEMPT)


def _attempt_only(world, case):
    log(case, world.specialist, days_ago=3, kind=Contact.Kind.ATTEMPT)


def _cadence_changed(world, case):
    log(case, world.specialist, days_ago=9)
    services.set_contact_cadence(case, by=world.supervisor, days=5)


def _reopened(world, case):
    log(case, world.specialist, days_ago=30, next_contact_on=day(-20))
    # No service reopens a case in place any more; older rows can be reopened ones.
    Case.objects.filter(pk=case.pk).update(status=Case.Status.REOPENED, reopened_on=day(-10))
    services.store_last_contact(case)


def _closed(world, case):
    from tests.factories import close_case  # noqa: PLC0415 (only this case needs it)

    log(case, world.specialist, days_ago=9)
    close_case(case, by=world.specialist, approver=world.supervisor, closed_on=day(-1))


@pytest.mark.parametrize(
    "history",
    [
        _nothing,
        _recorded,
        _agreed,
        _latest_corrected,
        _older_corrected_to_latest,
        _struck_to_an_attempt,
        _attempt_only,
        _cadence_changed,
        _reopened,
        _closed,
    ],
)
def test_the_stored_values_are_what_the_contacts_give(world, served, history):
    history(world, served)

    assert stored(served) == from_the_contacts(served)


def test_an_intake_never_enrolled_counts_from_its_intake_date_and_moves_with_it(world):
    case = services.start_intake(
        by=world.specialist,
        team=world.team_a,
        specialists=[world.specialist],
        details={"legal_name": "Inés Waiting"},
        opened_on=day(-6),
    )
    services.update_case(case, by=world.specialist, details={}, referral={"opened_on": day(-4)})

    assert stored(case) == from_the_contacts(case)
    assert queries.contact_summary(case)["contact_due_on"] == day(-4 + case.contact_cadence_days)


def test_a_purge_keeps_the_last_contact_and_the_due_date(world, served):
    log(served, world.specialist, days_ago=9, note="Talked about the lease.")
    before = stored(served)

    purge_case(served, Level.NARRATIVES, today=timezone.localdate())

    assert stored(served) == before == from_the_contacts(served)
    assert served.contacts.get().note != "Talked about the lease."


def test_recording_a_contact_adds_no_case_history_row(world, served):
    rows = served.history.count()

    log(served, world.specialist, days_ago=3)
    log(served, world.specialist, days_ago=2, kind=Contact.Kind.ATTEMPT)

    assert served.history.count() == rows
    assert stored(served)[0] == morning(3)


def test_the_agreed_day_still_leaves_its_history_row(world, served):
    rows = served.history.count()

    log(served, world.specialist, days_ago=2, next_contact_on=day(6))

    latest = served.history.first()
    assert served.history.count() == rows + 1
    assert (latest.next_contact_on, latest.history_change_reason) == (
        day(6),
        f'case.next_contact_agreed|["{day(6).isoformat()}"]',
    )


def test_the_bulk_store_fills_cases_written_without_the_services(world, served):
    log(served, world.specialist, days_ago=9)
    Case.objects.filter(pk=served.pk).update(last_contact_at=None, contact_due_on=None)

    written = services.store_last_contacts(Case.objects.filter(pk=served.pk))

    assert written == 1
    assert stored(served) == from_the_contacts(served)


# The SQLite demo ------------------------------------------------------------------------------------

SQLITE = "stored_last_contact_sqlite"


@pytest.fixture
def sqlite(db):
    """An in-memory SQLite database with the survivor, case and contact tables (as in test_accent_search)."""
    with in_memory_sqlite(SQLITE, (Survivor, Case, Contact)) as database:
        yield database


def test_on_sqlite_the_bulk_store_gives_the_same_days(sqlite, world):
    by = world.director.pk
    survivor = Survivor.objects.using(SQLITE).create(legal_name="Rosa Demo", client_code="BL-ROSA", created_by_id=by)
    common = {"survivor": survivor, "team_id": world.team_a.pk, "created_by_id": by, "status": Case.Status.OPEN}
    _quiet, reached, agreed = Case.objects.using(SQLITE).bulk_create(
        [
            Case(opened_on=day(-40), decided_on=day(-30), contact_cadence_days=10, **common),
            Case(opened_on=day(-40), decided_on=day(-40), contact_cadence_days=10, **common),
            Case(opened_on=day(-40), decided_on=day(-40), next_contact_on=day(2), **common),
        ]
    )
    contact = {"initiated_by": Contact.Initiator.STAFF, "recorded_by_id": by}
    Contact.objects.using(SQLITE).bulk_create(
        [
            Contact(case=reached, kind=Contact.Kind.PHONE, occurred_at=morning(12), **contact),
            Contact(case=reached, kind=Contact.Kind.ATTEMPT, occurred_at=morning(2), **contact),
            Contact(case=agreed, kind=Contact.Kind.VIDEO, occurred_at=morning(5), **contact),
        ]
    )

    written = services.store_last_contacts(Case.objects.using(SQLITE).all())

    rows = queries.with_last_contact(Case.objects.using(SQLITE).order_by("pk"))
    assert sqlite.vendor == "sqlite"
    assert written == 3
    assert [(c.last_contact_at, c.last_contact_on, c.next_contact_agreed, c.contact_due_on) for c in rows] == [
        (None, day(-30), False, day(-20)),
        (morning(12), day(-12), False, day(-2)),
        (morning(5), day(-5), True, day(2)),
    ]


# The indexes ----------------------------------------------------------------------------------------

MANY = 2000


def _many_cases(world) -> None:
    """``MANY`` open cases of both teams, with stored last contacts, then the planner's statistics."""
    by = world.director
    survivors = Survivor.objects.bulk_create(
        Survivor(legal_name=f"Person {n}", client_code=f"BL-X{n:05d}", created_by=by) for n in range(MANY)
    )
    teams = [world.team_a, world.team_b]
    Case.objects.bulk_create(
        Case(
            survivor=survivor,
            team=teams[n % 2],
            status=Case.Status.OPEN,
            opened_on=day(-(n % 900)),
            decided_on=day(-(n % 900)),
            last_contact_at=morning(1 + n % 300) if n % 3 else None,
            contact_due_on=day(n % 40 - 20),
            created_by=by,
        )
        for n, survivor in enumerate(survivors)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case; ANALYZE cases_survivor")


def sorts(rows) -> list[str]:
    """The sort keys of every Sort node in the query's plan (PostgreSQL's JSON form)."""

    def walk(node):
        if "Sort" in node["Node Type"]:
            yield ", ".join(node.get("Sort Key", []))
        for child in node.get("Plans", []):
            yield from walk(child)

    return list(walk(json.loads(rows.explain(format="json"))[0]["Plan"]))


def index_scans(rows) -> str:
    """The plan as text, to find the index the cases are read through."""
    return rows.explain()


def _list(user, sort: str):
    rows = sorting.sorted_cases(figures.with_phase(queries.for_list(permissions.visible_cases(user))), sort)
    return rows[:25]


@pytest.mark.parametrize("sort", ["-opened", "opened", "contact", "-contact"])
def test_the_directors_case_list_reads_an_index_in_order(world, sort):
    _many_cases(world)

    rows = _list(world.director, sort)

    # The planner may sort a handful of rows inside the restriction's subquery (how many it
    # expects there depends on statistics other tests leave): what must never be sorted is
    # the cases themselves, by the list's order.
    assert not [key for key in sorts(rows) if "opened_on" in key or "last_contact_at" in key], index_scans(rows)
    assert re.search(r"Index Scan( Backward)? using case_\w+_idx on cases_case ", index_scans(rows)), index_scans(rows)


def test_the_reminders_read_the_due_cases_from_their_index(world):
    _many_cases(world)

    due = queries.cases_without_recent_contact(Case.objects.all(), as_of=day(-15))

    # Whether reading 15% of a small table through the index beats reading it whole is the
    # planner's call, and it can go either way with the table's size on disk; with sequential
    # reads ruled out, what is proved is that the index serves this filter.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        explained = index_scans(due)

    assert "case_active_due_idx" in explained, explained
