"""When each case's narratives, documents and identity fall due under the retention policy,
the run that purges what is due, and the notices sent before it.

A case ends when it closes (``closed_on``) or, never enrolled, at its last contact (any
contact, an attempt included: the program was still trying to reach the survivor), or
without one at its outcome date. A case open, reopened or in intake never ends. Each level
falls due the policy's months after the end, and never sooner than ``SOONEST_DAYS`` after it.

A survivor's identity is one record shared by all their enrollments, so it goes only when
the latest of them is due: the identity day of each of their cases is the latest identity
day of them all, and none is due while any of their cases is open, reopened or in intake.
An active hold stops every purge of its case, and a hold on any case of a survivor keeps
the survivor's identity.

What the purge takes, and from where, is ``retention.purge``; this module decides when.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery, prefetch_related_objects
from django.utils import timezone

from bloom.accounts.models import User
from bloom.audit.models import PurgeLogEntry
from bloom.notifications.models import Notification
from bloom.notifications.services import Notice, notify, settle
from bloom.times import add_months
from cases import permissions
from cases.models import Case, Contact, IntakeRequest, Survivor
from retention.models import Hold, Level, RetentionPolicy, Tombstone
from retention.purge import purge_audit_records, purge_case, purge_closed_requests, purge_survivor

logger = logging.getLogger(__name__)

# A purge never comes sooner than this many days after a case ends, whatever the months say
# (one month from 31 January is 28 February).
SOONEST_DAYS = 30
# Those who work a case are told this many days before a part of it is purged.
NOTICE_DAYS = 30
# The levels from least to most, as a page lists them (a run takes identity first: it takes all).
LEVELS = (Level.NARRATIVES, Level.DOCUMENTS, Level.IDENTITY)
PARTIAL = (Level.NARRATIVES, Level.DOCUMENTS)
# A case in these has not ended: nothing of it is due, and its survivor keeps their identity.
NOT_ENDED = (Case.Status.INTAKE, *Case.ACTIVE_STATUSES)
ENDED = (Case.Status.CLOSED, Case.Status.NOT_ENROLLED)
# The purge log's key for the records kept for a grant audit.
AUDIT = "audit"
# The purge log's key for the requests for help closed without an intake.
REQUESTS = "requests"


@dataclass(frozen=True)
class Due:
    """One part (``level``) of one case that the policy takes on ``day``; ``held`` when a hold stops it."""

    case: Case
    level: str
    day: date
    held: bool


def current_policy() -> RetentionPolicy:
    """The program's policy, or the defaults while it was never set, without writing it."""
    return RetentionPolicy.objects.filter(pk=1).first() or RetentionPolicy(pk=1)


def scheduled_day(item_day: date, policy: RetentionPolicy) -> date:
    """The day the daily run takes a part due on ``item_day``: never sooner than ``NOTICE_DAYS``
    after the policy was set, so that a first policy, or a shorter period, purges nothing that
    nobody was told about and could hold. (The director running the purge by hand takes what the
    preview shows due now.)"""
    return max(item_day, policy.set_on + timedelta(days=NOTICE_DAYS))


def due_day(end: date, months: int) -> date:
    """The day a part kept ``months`` after a case that ended on ``end`` falls due."""
    return max(add_months(end, months), end + timedelta(days=SOONEST_DAYS))


def _candidates(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Of ``cases``, those that ended and still hold their identity, with what the schedule
    reads of each, in one query: the last contact of any kind (an attempt counts here, unlike
    the case's stored ``last_contact_at``, which counts only contacts that reached the
    survivor), the holds on the case and on any case of
    its survivor, whether another case of the survivor is still going, and its tombstone."""
    active_holds = Hold.objects.filter(lifted_at__isnull=True)
    last_contact = Contact.objects.filter(case=OuterRef("pk")).order_by("-occurred_at").values("occurred_at")[:1]
    return (
        cases.filter(status__in=ENDED)
        .exclude(tombstone__identity_purged_on__isnull=False)
        .select_related("survivor", "team", "tombstone")
        .annotate(
            any_contact_at=Subquery(last_contact),
            held=Exists(active_holds.filter(case=OuterRef("pk"))),
            survivor_held=Exists(active_holds.filter(case__survivor=OuterRef("survivor"))),
            survivor_going=Exists(Case.objects.filter(survivor=OuterRef("survivor"), status__in=NOT_ENDED)),
            survivor_restricted=Exists(Case.objects.filter(survivor=OuterRef("survivor"), restricted=True)),
        )
        .order_by("pk")
    )


def _ended_on(case: Case) -> date:
    """The day an ended case (annotated by ``_candidates``) ended."""
    if case.status == Case.Status.CLOSED:
        return case.closed_on
    if case.any_contact_at is not None:
        return timezone.localdate(case.any_contact_at)
    return case.decided_on


def tombstone_of(case: Case) -> Tombstone | None:
    """What was purged of ``case`` so far, if anything was."""
    try:
        return case.tombstone
    except Tombstone.DoesNotExist:
        return None


def _plan(cases: QuerySet[Case], policy: RetentionPolicy) -> list[Due]:
    """Every part of ``cases`` not yet purged whose day is known, held or not, in two queries.

    The identity day of a survivor is the latest among their cases in ``cases``: give every
    case of a survivor (``Case.objects.all()``, or one survivor's) when identity matters.
    """
    if policy.set_on is None:
        return []  # no policy set yet: nothing is purged
    rows = list(_candidates(cases))
    latest: dict[int, date] = {}
    for case in rows:
        if not case.survivor_going:
            day = due_day(_ended_on(case), policy.identity_months)
            latest[case.survivor_id] = max(latest.get(case.survivor_id, day), day)
    plan = []
    for case in rows:
        tombstone, ended = tombstone_of(case), _ended_on(case)
        for level in PARTIAL:
            if not (tombstone and tombstone.purged(level)):
                plan.append(Due(case, level, due_day(ended, policy.months_for(level)), case.held))
        if not case.survivor_going:
            plan.append(Due(case, Level.IDENTITY, latest[case.survivor_id], case.survivor_held))
    return plan


def _in_order(plan: Iterable[Due]) -> list[Due]:
    return sorted(plan, key=lambda item: (item.day, item.case.survivor.client_code, LEVELS.index(item.level)))


def due(*, today: date, horizon_days: int = 0, policy: RetentionPolicy | None = None) -> list[Due]:
    """What the policy takes by ``today`` plus ``horizon_days`` and is not purged yet, held
    parts included (marked), by day, client code and level. A fixed number of queries.

    Each ``Due``'s case carries its survivor, team and tombstone.
    """
    until = today + timedelta(days=horizon_days)
    policy = policy or current_policy()
    return _in_order(item for item in _plan(Case.objects.all(), policy) if item.day <= until)


def case_schedule(case: Case) -> list[Due]:
    """The parts of ``case`` not yet purged and the day each falls due, held or not; empty
    while the case is going (its identity also waits while another of the survivor's is)."""
    plan = _plan(Case.objects.filter(survivor=case.survivor_id), current_policy())
    return _in_order(item for item in plan if item.case.pk == case.pk)


@dataclass(frozen=True)
class Preview:
    """What the next run takes (``now``: due by today) and what falls due after it within the
    horizon (``coming``), for one reader. Rows name cases the reader may see; each row's case
    carries ``active_holds``. Cases they may not see (for the program director, the restricted
    ones that do not name them) are counted only, once each, in ``hidden_now`` and
    ``hidden_coming``: whoever may hold them is named on them."""

    today: date
    until: date
    now: list[Due]
    coming: list[Due]
    hidden_now: int
    hidden_coming: int
    # Requests for help closed without an intake whose words the next run takes (no case, no name).
    requests_now: int = 0
    # Whether the director has set a policy: until then nothing is purged.
    policy_set: bool = True


def preview(user: User, *, today: date, horizon_days: int = 90) -> Preview:
    """What the purge will take from ``today`` to ``horizon_days`` later, as ``user`` may see it.

    For the people who manage retention (``retention.access.may_manage_retention``); the
    rows are scoped by ``cases.permissions.visible_cases``. A fixed number of queries.
    """
    policy = current_policy()
    items = due(today=today, horizon_days=horizon_days, policy=policy)
    ids = {item.case.pk for item in items}
    seen = set(permissions.visible_cases(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    holds = Hold.objects.filter(lifted_at__isnull=True).select_related("placed_by").order_by("placed_at", "pk")
    prefetch_related_objects(
        list({item.case.pk: item.case for item in items if item.case.pk in seen}.values()),
        Prefetch("holds", queryset=holds, to_attr="active_holds"),
    )
    shown = [item for item in items if item.case.pk in seen]
    hidden = [item for item in items if item.case.pk not in seen]
    return Preview(
        today=today,
        until=today + timedelta(days=horizon_days),
        now=[item for item in shown if item.day <= today],
        coming=[item for item in shown if item.day > today],
        hidden_now=len({item.case.pk for item in hidden if item.day <= today}),
        hidden_coming=len({item.case.pk for item in hidden if item.day > today}),
        requests_now=requests_due(today=today, policy=policy).count(),
        policy_set=policy.set_on is not None,
    )


# The run ---------------------------------------------------------------------------------


@dataclass
class Taken:
    """What a run took so far: counts and case ids by level, and the held cases it left."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    cases: dict[str, list[int]] = field(default_factory=dict)
    held: set[int] = field(default_factory=set)

    def add(self, level: str, case_id: int | None, counts: dict[str, int]) -> None:
        total = self.counts.setdefault(level, {})
        for name, number in counts.items():
            total[name] = total.get(name, 0) + number
        if case_id is not None and case_id not in (ids := self.cases.setdefault(level, [])):
            ids.append(case_id)
            total["cases"] = len(ids)

    def merge(self, other: "Taken") -> None:
        for level, ids in other.cases.items():
            for case_id in ids:
                self.add(level, case_id, {})
        for level, counts in other.counts.items():
            self.add(level, None, {name: n for name, n in counts.items() if name != "cases"})
        self.held |= other.held

    def log(self, *, trigger: str, by: User | None, policy: RetentionPolicy) -> PurgeLogEntry | None:
        """The purge log's entry for what was taken; none when nothing was."""
        if not any(self.cases.values()) and REQUESTS not in self.counts:
            return None
        return PurgeLogEntry.objects.create(
            trigger=trigger,
            by=by,
            policy=policy.snapshot(),
            counts=self.counts,
            cases=self.cases,
            held=len(self.held),
        )


def purge_notice_key(case: Case) -> str:
    """The start of the keys of every "purge coming" notice about ``case``."""
    return f"purge-coming:{case.pk}:"


def run(*, today: date, trigger: str, by: User | None = None) -> PurgeLogEntry | None:
    """Purge everything due by ``today`` that no hold stops; return the purge log's entry, or
    None when nothing was taken.

    Each case's partial purges run in a transaction of their own, with the case's row locked
    and its state read again under the lock; a survivor's identity goes in one transaction
    with every case of theirs locked (in id order), the survivor's own row last. So a second
    run, or one running at the same moment, finds the work done and takes nothing twice.
    Side effects: one ``PurgeLogEntry`` (``trigger``, ``by``, the policy's numbers, counts
    and case ids by level, how many cases a hold kept) when anything was taken; the records
    kept for a grant audit whose award's retention has ended go too, under an entry of their
    own (``AUDIT_ENDED``, see ``purge_kept_for_audit``); "purge coming" notices about a
    purged case are marked read.
    """
    policy = current_policy()
    on_schedule = trigger == PurgeLogEntry.Trigger.SCHEDULE
    items = [
        item
        for item in _plan(Case.objects.all(), policy)
        if (scheduled_day(item.day, policy) if on_schedule else item.day) <= today
    ]
    taken = Taken(held={item.case.pk for item in items if item.held})
    for survivor_id in sorted({item.case.survivor_id for item in items if item.level == Level.IDENTITY}):
        _each(taken, _purge_identity, survivor_id, today=today, policy=policy, by=by)
    partial: dict[int, set[str]] = defaultdict(set)
    for item in items:
        if item.level in PARTIAL:
            partial[item.case.pk].add(item.level)
    for case_id, levels in sorted(partial.items()):
        _each(taken, _purge_partial, case_id, levels, today=today, policy=policy, by=by)
    if not on_schedule or scheduled_day(today, policy) <= today:
        _each(taken, _purge_requests, 0, today=today, policy=policy)
    entry = taken.log(trigger=trigger, by=by, policy=policy)
    if entry:
        logger.info("Purge (%s): %s", trigger, {level: len(ids) for level, ids in taken.cases.items()})
    audit_entry = purge_kept_for_audit(today=today, by=by, policy=policy)
    return entry or audit_entry


def _each(taken: Taken, purge, subject_id: int, *args, **kwargs) -> None:
    """One survivor's or case's purge, in its own transaction; what it took joins ``taken`` once
    committed. A failure rolls back that one alone and is logged: the others are still purged
    and logged, and the next run tries it again."""
    try:
        with transaction.atomic():
            done = purge(subject_id, *args, **kwargs)
    except Exception:  # logged with its traceback: one record must not stop the rest
        logger.exception("The purge of %s %s failed; the next run tries again.", purge.__name__, subject_id)
        return
    taken.merge(done)


def lock_cases(cases: QuerySet[Case]) -> dict[int, Case]:
    """Lock the rows of ``cases`` in id order (so two lockers queue rather than deadlock); by id."""
    return {case.pk: case for case in cases.select_for_update(of=("self",)).order_by("pk")}


def _purge_identity(survivor_id: int, *, today: date, policy: RetentionPolicy, by: User | None) -> Taken:
    """The whole purge of every case of one survivor whose identity is due, then of the survivor.
    Runs in the caller's transaction, with every case of the survivor locked in id order."""
    taken = Taken()
    locked = lock_cases(Case.objects.filter(survivor=survivor_id))
    plan = _plan(Case.objects.filter(survivor=survivor_id), policy)
    fresh = [item for item in plan if item.level == Level.IDENTITY and item.day <= today]
    if any(item.held for item in fresh):
        taken.held |= {item.case.pk for item in fresh}
        return taken
    if not fresh:
        return taken  # taken by another run meanwhile, or a case of theirs was enrolled again
    for item in fresh:
        case = locked[item.case.pk]
        taken.add(Level.IDENTITY, case.pk, purge_case(case, Level.IDENTITY, today=today, by=by))
        settle(dedupe_prefix=purge_notice_key(case))
    survivor = Survivor.objects.select_for_update().get(pk=survivor_id)
    taken.add(Level.IDENTITY, None, purge_survivor(survivor, today=today, by=by))
    return taken


def _purge_partial(case_id: int, levels: set[str], *, today: date, policy: RetentionPolicy, by: User | None) -> Taken:
    """The partial purges of one case that are due (``levels``, as found before the lock). Runs
    in the caller's transaction, with the case locked."""
    taken = Taken()
    locked = lock_cases(Case.objects.filter(pk=case_id))
    if not locked:
        return taken
    # Only the case's own parts are read here: its survivor's identity is not in question.
    plan = _plan(Case.objects.filter(pk=case_id), policy)
    fresh = [item for item in plan if item.level in levels and item.day <= today]
    if any(item.held for item in fresh):
        taken.held.add(case_id)
        return taken
    for item in fresh:
        taken.add(item.level, case_id, purge_case(locked[case_id], item.level, today=today, by=by))
    if fresh:
        settle(dedupe_prefix=purge_notice_key(locked[case_id]))
    return taken


def requests_due(*, today: date, policy: RetentionPolicy) -> QuerySet[IntakeRequest]:
    """Requests for help closed without an intake whose words are due: the identity period after
    the day they were closed (never sooner than 30 days), not yet taken (a request always has a
    name until the purge takes it)."""
    if policy.set_on is None:
        return IntakeRequest.objects.none()
    # Closed on or before this day: add_months never moves a day later, so none goes early.
    last_day = min(today - timedelta(days=SOONEST_DAYS), add_months(today, -policy.identity_months))
    before = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone())
    return IntakeRequest.objects.filter(
        status=IntakeRequest.Status.CLOSED, case__isnull=True, decided_at__lt=before
    ).exclude(name="")


def _purge_requests(_subject_id: int, *, today: date, policy: RetentionPolicy) -> Taken:
    taken = Taken()
    rows = requests_due(today=today, policy=policy).select_for_update().order_by("pk")
    due_now = list(rows.values_list("pk", flat=True))
    if due_now:
        taken.add(REQUESTS, None, {"requests": len(due_now), **purge_closed_requests(due_now)})
    return taken


def purge_kept_for_audit(*, today: date, by: User | None = None, policy: RetentionPolicy | None = None):
    """Purge what was kept for a grant audit once the awards' retention has ended
    (``Tombstone.audit_kept_until`` by ``today``), unless a hold stops it; return the purge
    log's entry (trigger ``AUDIT_ENDED``: the award's rule, not the program's policy, took
    them), or None when nothing was taken. Each case under its own lock, as ``run``."""
    policy = policy or current_policy()
    ending = Tombstone.objects.filter(audit_kept_until__lte=today, audit_purged_on__isnull=True)
    held = Exists(Hold.objects.filter(case=OuterRef("case"), lifted_at__isnull=True))
    taken = Taken(held=set(ending.filter(held).values_list("case_id", flat=True)))
    for case_id in ending.exclude(held).order_by("case_id").values_list("case_id", flat=True):
        _each(taken, _purge_audit, case_id, ending=ending, held=held, today=today, by=by)
    return taken.log(trigger=PurgeLogEntry.Trigger.AUDIT_ENDED, by=by, policy=policy)


def _purge_audit(case_id: int, *, ending: QuerySet[Tombstone], held: Exists, today: date, by: User | None) -> Taken:
    taken = Taken()
    locked = lock_cases(Case.objects.filter(pk=case_id))
    still = ending.filter(case=case_id)
    if not still.exists():
        return taken
    if still.filter(held).exists():
        taken.held.add(case_id)
        return taken
    counts = purge_audit_records(locked[case_id], today=today, by=by)
    # An award whose final report moved later since keeps them on: nothing was taken.
    if Tombstone.objects.filter(case=case_id, audit_purged_on__isnull=False).exists():
        taken.add(AUDIT, case_id, counts)
    return taken


# The notices -----------------------------------------------------------------------------


def _to_tell(case: Case) -> list[User]:
    """Who is told about ``case``'s purge: its assigned specialists and its team's active
    supervisors, of them only those who may see it when a restriction on the survivor hides it
    from some. Reads the relations ``send_purge_notices`` prefetched, and for a restricted
    survivor asks the choke point about each person."""
    people = [assignment.specialist for assignment in case.assignments.all()]
    people += [supervisor for supervisor in case.team.supervisors.all() if supervisor.is_active]
    people = list({person.pk: person for person in people}.values())
    if case.survivor_restricted:
        people = [person for person in people if not permissions.hidden_by_restriction(person, case)]
    return people


def send_purge_notices(*, today: date | None = None) -> int:
    """Tell those who work each case (``_to_tell``) that part of it will be purged, from
    ``NOTICE_DAYS`` before the day.

    One notification per person, case and day, whatever parts fall due that day (the key
    holds the day and the parts): running it twice, or daily, makes no duplicate, and a
    policy change that moves the day tells them again. A held case gets none. The text names
    the client code and the day, never the survivor. A fixed number of queries however many
    cases (but one per person for a survivor with a restricted case). Returns how many are new.
    """
    today = today or timezone.localdate()
    policy = current_policy()
    coming = [
        (item, day)
        for item in due(today=today, horizon_days=NOTICE_DAYS, policy=policy)
        if not item.held
        and (day := scheduled_day(item.day, policy)) > today
        and day <= today + timedelta(days=NOTICE_DAYS)
    ]
    parts: dict[tuple[int, date], list[str]] = defaultdict(list)
    cases = {}
    for item, day in coming:
        parts[item.case.pk, day].append(item.level)
        cases[item.case.pk] = item.case
    prefetch_related_objects(list(cases.values()), "assignments__specialist", "team__supervisors")
    notices = []
    for (case_id, day), levels in parts.items():
        case = cases[case_id]
        notices += [
            Notice(
                recipient_id=person.pk,
                kind=Notification.Kind.PURGE_COMING,
                data={"code": case.survivor.client_code, "until": day.isoformat(), "levels": levels},
                url=case.get_absolute_url(),
                dedupe_key=f"{purge_notice_key(case)}{day.isoformat()}:{'+'.join(levels)}",
            )
            for person in _to_tell(case)
        ]
    return notify(notices)
