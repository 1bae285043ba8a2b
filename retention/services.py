"""Every change to what the program keeps: the retention policy, holds on cases, running the
purge by hand, and deleting a survivor's record at once with a second person's confirmation.

Each write leaves a history row with its author and reason. A refusal is a ``RetentionError``
whose ``code`` names the field it is about when there is one (``narratives_months``,
``reason``...), so a form shows it beside that field; a person who may not do it at all gets
``PermissionDenied``.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bloom.accounts.models import User
from bloom.audit.models import PurgeLogEntry
from bloom.notifications.models import Notification
from bloom.notifications.services import Notice, notify, settle
from bloom.reports.services import enqueue
from bloom.said import Said
from bloom.writes import save
from cases import permissions
from cases.models import Case, Survivor
from retention import schedule
from retention.access import can_delete_record, can_hold, may_delete_records, may_manage_retention, record_deleters
from retention.models import (
    LONGEST_BACKUP_DAYS,
    LONGEST_MONTHS,
    DeletionRequest,
    Hold,
    Level,
    RetentionPolicy,
    Tombstone,
)
from retention.purge import purge_case, purge_survivor
from retention.tasks import run_purge_now

# The policy's numbers, as set_policy takes them, and how its history reason names each.
POLICY_FIELDS = {
    "narratives_months": "narratives",
    "documents_months": "documents",
    "identity_months": "identity",
    "reopen_months": "reopening window",
    "backup_days": "backups",
}
PURGE_PERIODS = ("narratives_months", "documents_months", "identity_months")
# A month, counted in days, when backups are measured against the purge periods.
MONTH_DAYS = 30


class RetentionError(ValidationError):
    """A change the retention rules do not allow; the message says why.

    ``code`` names the field the refusal is about, when there is one: the error then also
    carries it as ``error_dict``, so ``bloom.forms.show_refusal`` puts it beside that field.
    """

    FIELDS = (*POLICY_FIELDS, "reason", "note", "why")

    def __init__(self, message, code=None, params=None):
        if code in self.FIELDS:
            super().__init__({code: ValidationError(message, code=code, params=params)})
        else:
            super().__init__(message, code=code, params=params)
        self.code = code


# The policy --------------------------------------------------------------------------------


def _check_number(name: str, value) -> None:
    unit_days = name == "backup_days"
    if not isinstance(value, int) or isinstance(value, bool):
        raise RetentionError(
            _("Write a whole number of days, such as 30.")
            if unit_days
            else _("Write a whole number of months, such as 24."),
            code=name,
        )
    if value < 1:
        raise RetentionError(
            _("Keep it for at least one day.") if unit_days else _("A retention period must be at least one month."),
            code=name,
        )
    longest = LONGEST_BACKUP_DAYS if unit_days else LONGEST_MONTHS
    if value > longest:
        message = _("Keep it for at most %(n)s days.") if unit_days else _("Keep it for at most %(n)s months.")
        raise RetentionError(message % {"n": longest}, code=name)


def check_policy(values: dict[str, int]) -> None:
    """Refuse, with ``RetentionError`` on the field at fault, a policy the rules do not allow."""
    for name in POLICY_FIELDS:
        _check_number(name, values[name])
    for name in PURGE_PERIODS:
        if values[name] < values["reopen_months"]:
            raise RetentionError(
                _(
                    "This is shorter than the reopening window (%(months)s months): a survivor who comes back "
                    "soon after closing must find their record as they left it."
                )
                % {"months": values["reopen_months"]},
                code=name,
            )
    partial = max(values["narratives_months"], values["documents_months"])
    if values["identity_months"] < partial:
        raise RetentionError(
            _(
                "Identifying information cannot go before narratives or documents (kept %(months)s months): "
                "the whole purge takes everything the partial ones take."
            )
            % {"months": partial},
            code="identity_months",
        )
    shortest_days = min(values[name] for name in PURGE_PERIODS) * MONTH_DAYS
    if values["backup_days"] > shortest_days:
        raise RetentionError(
            _(
                "Backups cannot be kept longer than the shortest purge period (%(days)s days): purged "
                "information would live on in them."
            )
            % {"days": shortest_days},
            code="backup_days",
        )


@transaction.atomic
def set_policy(
    *,
    by: User,
    narratives_months: int,
    documents_months: int,
    identity_months: int,
    reopen_months: int,
    backup_days: int,
    today: date | None = None,
) -> RetentionPolicy:
    """Set the program's retention periods.

    Refused unless ``by`` may manage retention, and (``check_policy``) each number is whole and
    at least 1, no purge period is shorter than the reopening window, identity is kept at
    least as long as narratives and documents, and backups no longer than the shortest purge
    period (a month counted as 30 days). Side effects: the policy is in force from ``today``
    (``set_on``: nothing is purged before the director first sets it, and the daily run takes
    nothing sooner than 30 days after a change, so people are told first); a history row whose
    reason lists what changed; none when nothing did and the policy was set before.
    """
    if not may_manage_retention(by):
        raise PermissionDenied
    values = {
        "narratives_months": narratives_months,
        "documents_months": documents_months,
        "identity_months": identity_months,
        "reopen_months": reopen_months,
        "backup_days": backup_days,
    }
    check_policy(values)
    RetentionPolicy.load()
    policy = RetentionPolicy.objects.select_for_update().get(pk=1)
    changed = [(name, getattr(policy, name), value) for name, value in values.items() if getattr(policy, name) != value]
    if not changed and policy.set_on is not None:
        return policy
    for name, _before, value in changed:
        setattr(policy, name, value)
    policy.set_on = today or timezone.localdate()
    # The months before and after are in the policy's history rows, shown on its page.
    reason = Said("policy.changed", fields=[name for name, _before, _value in changed])
    save(policy, by=by, reason=reason if changed else Said("policy.confirmed"))
    return policy


# Holds -------------------------------------------------------------------------------------


def _locked_case(case_id: int) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("survivor", "team").get(pk=case_id)


@transaction.atomic
def place_hold(case: Case, *, by: User, reason: str) -> Hold:
    """Stop every purge of ``case`` until the hold is lifted, for ``reason`` (a court order, an
    open investigation).

    Refused unless ``by`` may hold the case (``retention.access.can_hold``), with a reason, and
    while something of the case is left to keep. The case's row is locked, so a purge running
    at that moment either finishes first or finds the hold. Side effect: the "purge coming"
    notices about the case are marked read.
    """
    case = _locked_case(case.pk)
    if not can_hold(by, case):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise RetentionError(_("Say why the case is held: a court order or an open investigation, say."), code="reason")
    tombstone = schedule.tombstone_of(case)
    kept_for_audit = tombstone and tombstone.audit_kept_until and not tombstone.audit_purged_on
    if tombstone and tombstone.identity_purged_on and not kept_for_audit:
        raise RetentionError(
            _("Nothing of this case is left to hold: it was purged on %(date)s.")
            % {"date": date_format(tombstone.identity_purged_on)},
            code="purged",
        )
    hold = Hold(case=case, reason=reason, placed_by=by)
    save(hold, by=by, reason=Said("hold.placed"))
    settle(dedupe_prefix=schedule.purge_notice_key(case))
    return hold


@transaction.atomic
def lift_hold(hold: Hold, *, by: User, note: str) -> Hold:
    """Lift ``hold``, saying why; the next run purges what the policy says is due.

    Refused unless ``by`` may hold the case, with a note, and while the hold is still active.
    """
    case = _locked_case(hold.case_id)
    hold = Hold.objects.select_for_update().get(pk=hold.pk)
    if not can_hold(by, case):
        raise PermissionDenied
    if not hold.active:
        raise RetentionError(_("This hold was already lifted."), code="lifted")
    note = note.strip()
    if not note:
        raise RetentionError(_("Say why the hold is lifted."), code="note")
    hold.lifted_by, hold.lifted_at, hold.lift_note = by, timezone.now(), note
    save(hold, by=by, reason=Said("hold.lifted"), fields=["lifted_by", "lifted_at", "lift_note"])
    return hold


# Running the purge by hand -----------------------------------------------------------------


def queue_purge(*, by: User) -> None:
    """Run the purge now, in the background, as ``by`` (``retention.tasks.run_purge_now``).

    Refused unless ``by`` may manage retention. Side effect: the task is queued once the
    transaction commits; if the broker is down, the daily run purges the same things.
    """
    if not may_manage_retention(by):
        raise PermissionDenied
    transaction.on_commit(lambda: enqueue(run_purge_now, user_id=by.pk))


# Deleting a survivor's record at once --------------------------------------------------------


def deletion_waiting_key(request: DeletionRequest) -> str:
    return f"deletion-waiting:{request.pk}:"


def _check_deletable(survivor: Survivor) -> None:
    """Refuse deleting a record that is gone already, that a case still being worked needs, or
    that a hold keeps."""
    cases = Case.objects.filter(survivor=survivor)
    if not cases.exclude(tombstone__identity_purged_on__isnull=False).exists():
        raise RetentionError(_("This record has already been purged."), code="purged")
    if cases.filter(status__in=schedule.NOT_ENDED).exists():
        raise RetentionError(
            _(
                "A case of this survivor is still open or in intake. Close it, or record the intake's outcome, "
                "first, so that the funders' numbers stay right."
            ),
            code="open",
        )
    if Hold.objects.filter(case__survivor=survivor, lifted_at__isnull=True).exists():
        raise RetentionError(
            _("A case of this survivor is on hold: nothing of the record may be deleted until the hold is lifted."),
            code="held",
        )


@transaction.atomic
def request_deletion(survivor_case: Case, *, by: User, why: str, reason: str) -> DeletionRequest:
    """Ask to delete the whole record of ``survivor_case``'s survivor (every case of theirs) at
    once, because ``why`` (``DeletionRequest.Why``), for ``reason``.

    Refused unless ``by`` may delete records and sees the case; with a reason; while every case
    of the survivor has ended (so the funders' numbers stay right), none is on hold, the record
    is not purged yet and no other request waits. Nothing is deleted until a second authorised
    person confirms (``confirm_deletion``). Side effect: the others who may confirm it and see
    the case are told it waits (the notice opens the list of deletions waiting).
    """
    case = Case.objects.select_related("survivor").get(pk=survivor_case.pk)
    if not can_delete_record(by, case):
        raise PermissionDenied
    survivor = Survivor.objects.select_for_update().get(pk=case.survivor_id)
    if why not in DeletionRequest.Why.values:
        raise RetentionError(_("Choose why the record is deleted."), code="why")
    reason = reason.strip()
    if not reason:
        raise RetentionError(_("Write the reason, without the survivor's name or details."), code="reason")
    _check_deletable(survivor)
    if DeletionRequest.objects.filter(survivor=survivor, status=DeletionRequest.Status.WAITING).exists():
        raise RetentionError(_("Deleting this record is already waiting for confirmation."), code="waiting")
    request = DeletionRequest(survivor=survivor, why=why, reason=reason, requested_by=by)
    save(request, by=by, reason=Said("deletion.requested"))
    others = [person for person in record_deleters().exclude(pk=by.pk) if can_delete_record(person, case)]
    notify(
        Notice(
            recipient_id=person.pk,
            kind=Notification.Kind.DELETION_WAITING,
            data={"code": survivor.client_code},
            url=reverse("retention:deletions"),
            dedupe_key=deletion_waiting_key(request),
        )
        for person in others
    )
    return request


def _sees_survivor(user: User, survivor_id: int) -> bool:
    return may_delete_records(user) and permissions.visible_cases(user).filter(survivor=survivor_id).exists()


def _lock_request(request: DeletionRequest) -> tuple[dict[int, Case], Survivor, DeletionRequest]:
    # The survivor's cases first, then the survivor, then the request: the order the purge
    # run takes them in, so the two queue one behind the other.
    survivor_id = DeletionRequest.objects.values_list("survivor_id", flat=True).get(pk=request.pk)
    cases = schedule.lock_cases(Case.objects.filter(survivor=survivor_id))
    survivor = Survivor.objects.select_for_update().get(pk=survivor_id)
    return cases, survivor, DeletionRequest.objects.select_for_update().get(pk=request.pk)


@transaction.atomic
def confirm_deletion(request: DeletionRequest, *, by: User, today: date | None = None) -> PurgeLogEntry:
    """Confirm a waiting deletion: the whole purge of every case of the survivor, then of the
    survivor's own record, now.

    Refused unless ``by`` may delete records and sees the survivor, is not the person who
    asked, and the request still waits; the holds and open cases are checked again. Side
    effects: each case's tombstone names the request; one purge log entry (trigger
    ``DELETION``, the policy's numbers, counts, case ids); the "waiting" and "purge coming"
    notices are marked read. Returns the log entry.
    """
    cases, survivor, request = _lock_request(request)
    if not _sees_survivor(by, survivor.pk):
        raise PermissionDenied
    if request.status != DeletionRequest.Status.WAITING:
        raise RetentionError(_("This deletion has already been confirmed or withdrawn."), code="decided")
    if request.requested_by_id == by.pk:
        raise RetentionError(
            _("Another authorised person must confirm a deletion you asked for: it takes two people."),
            code="same_person",
        )
    _check_deletable(survivor)
    today = today or timezone.localdate()
    taken = schedule.Taken()
    why = Said("tombstone.deleted_asked" if request.why == DeletionRequest.Why.ASKED else "tombstone.deleted_mistake")
    # An earlier enrollment the schedule purged already keeps its tombstone as it is.
    purged = set(
        Tombstone.objects.filter(case__in=cases, identity_purged_on__isnull=False).values_list("case", flat=True)
    )
    for case in cases.values():
        if case.pk in purged:
            continue
        taken.add(Level.IDENTITY, case.pk, purge_case(case, Level.IDENTITY, today=today, by=by))
        tombstone = Tombstone.objects.get(case=case)
        tombstone.deletion = request
        save(tombstone, by=by, reason=why, fields=["deletion"])
        settle(dedupe_prefix=schedule.purge_notice_key(case))
    taken.add(Level.IDENTITY, None, purge_survivor(survivor, today=today, by=by))
    request.status, request.decided_by, request.decided_at = DeletionRequest.Status.DONE, by, timezone.now()
    save(request, by=by, reason=Said("deletion.confirmed"), fields=["status", "decided_by", "decided_at"])
    settle(dedupe_prefix=deletion_waiting_key(request))
    return taken.log(trigger=PurgeLogEntry.Trigger.DELETION, by=by, policy=schedule.current_policy())


@transaction.atomic
def withdraw_deletion(request: DeletionRequest, *, by: User) -> DeletionRequest:
    """Withdraw a waiting deletion: nothing is deleted. The person who asked withdraws it, or
    another who may confirm it declines it.

    Refused unless ``by`` may delete records and sees the survivor, and the request still
    waits. Side effect: the "waiting" notices are marked read.
    """
    _cases, survivor, request = _lock_request(request)
    if not _sees_survivor(by, survivor.pk):
        raise PermissionDenied
    if request.status != DeletionRequest.Status.WAITING:
        raise RetentionError(_("This deletion has already been confirmed or withdrawn."), code="decided")
    request.status, request.decided_by, request.decided_at = DeletionRequest.Status.WITHDRAWN, by, timezone.now()
    save(request, by=by, reason=Said("deletion.withdrawn"), fields=["status", "decided_by", "decided_at"])
    settle(dedupe_prefix=deletion_waiting_key(request))
    return request
