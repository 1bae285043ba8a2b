"""Closing a case with a supervisor's approval, and enrolling a survivor again who returns.

A specialist asks for the closure with what funders ask at closure; a supervisor of the
case's team, or the program director, approves it (never the person who asked) or returns
it for changes. Only an approved closure closes the case. A survivor who comes back after
their case closed gets a new enrollment linked to the earlier ones; the old case stays
closed and readable.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bloom.accounts.models import Role, Team, User
from bloom.directory.models import Organization
from bloom.notifications.models import Notification
from bloom.notifications.services import Notice, notify, settle
from bloom.said import Said
from cases import permissions, queries
from cases.models import (
    Case,
    Closure,
    ClosureReason,
    HHSCertification,
    ImmigrationRelief,
    LivingSituation,
    NamedPerson,
)
from cases.services.common import save as _save
from cases.services.contacts import store_last_contact
from cases.services.intake import (
    PURGED,
    IntakeError,
    _add_specialists,
    ask_for_careline_report,
    careline_key,
    check_assignment,
)


class ClosureError(ValidationError):
    """A closure, decision or re-enrollment that the case's state does not allow; the message says why."""


def closure_requested_key(closure: Closure) -> str:
    return f"closure-requested:{closure.case_id}:{closure.pk}:"


def closure_returned_key(case: Case) -> str:
    return f"closure-returned:{case.pk}:"


@transaction.atomic
def request_closure(
    case: Case,
    *,
    by: User,
    reason: str,
    closed_on: date,
    living_situation: str,
    hhs_certification: str,
    immigration_relief: str = ImmigrationRelief.UNKNOWN,
    reason_note: str = "",
    continued_care: bool = False,
    continued_care_organization: Organization | None = None,
    note: str = "",
) -> Closure:
    """Ask for ``case`` to be closed, with the answers funders ask at closure.

    Refused with ``ClosureError`` unless the case is enrolled and active, the closing date
    lies between the enrollment and today, "other" is explained, a continued-care
    organization comes only with continued care, and no other request is waiting.
    Side effects: the team's supervisors (or, in a team without one, the program
    directors), except the person asking, are told it waits for them; the requester's
    earlier "returned" notices are marked done.
    """
    case = Case.objects.select_for_update(of=("self",)).select_related("survivor", "team").get(pk=case.pk)
    if not permissions.can(by, permissions.DECIDE, case):
        raise PermissionDenied
    _check_request(
        case,
        reason=reason,
        reason_note=reason_note,
        closed_on=closed_on,
        continued_care=continued_care,
        continued_care_organization=continued_care_organization,
    )
    closure = Closure(
        case=case,
        reason=reason,
        reason_note=reason_note.strip(),
        closed_on=closed_on,
        living_situation=living_situation,
        immigration_relief=immigration_relief,
        hhs_certification=hhs_certification,
        continued_care=continued_care,
        continued_care_organization=continued_care_organization if continued_care else None,
        note=note,
        requested_by=by,
    )
    _check_choices(closure)
    _save(closure, by=by, reason=Said("closure.requested"))
    settle(dedupe_prefix=closure_returned_key(case))
    notify(
        Notice(
            recipient_id=recipient_id,
            kind=Notification.Kind.CLOSURE_REQUESTED,
            data={"code": case.survivor.client_code},
            url=case.get_absolute_url(),
            dedupe_key=closure_requested_key(closure),
        )
        for recipient_id in approvers_to_tell(case, requested_by=by)
    )
    return closure


def _check_request(
    case: Case,
    *,
    reason: str,
    reason_note: str,
    closed_on: date,
    continued_care: bool,
    continued_care_organization: Organization | None,
) -> None:
    if not case.is_open:
        raise ClosureError(_("Only an enrolled case that is open can be closed."))
    if case.closures.filter(status=Closure.Status.REQUESTED).exists():
        raise ClosureError(_("A closure for this case is already waiting for approval."))
    earliest = max(day for day in (case.opened_on, case.decided_on, case.reopened_on) if day)
    if closed_on < earliest:
        raise ClosureError(
            _("The closing date cannot come before %(date)s, when the case was opened.")
            % {"date": date_format(earliest)},
            code="closed_on",
        )
    if closed_on > timezone.localdate():
        raise ClosureError(_("The closing date cannot be in the future."), code="closed_on")
    if reason not in ClosureReason.values:
        raise ClosureError(_("Choose the reason for closing."), code="reason")
    if reason == ClosureReason.OTHER and not reason_note.strip():
        raise ClosureError(_("Say what the other reason is."), code="reason_note")
    if continued_care_organization is not None and not continued_care:
        raise ClosureError(
            _("Name an organization for continued care only when the survivor was referred for it."),
            code="continued_care_organization",
        )


def _check_choices(closure: Closure) -> None:
    for name, choices in (
        ("living_situation", LivingSituation),
        ("immigration_relief", ImmigrationRelief),
        ("hhs_certification", HHSCertification),
    ):
        if getattr(closure, name) not in choices.values:
            raise ClosureError(_("Choose one of the answers offered."), code=name)


def approvers_to_tell(case: Case, *, requested_by: User) -> list[int]:
    """Who is told a closure waits: the team's supervisors, else the program directors; never the requester."""
    supervisors = [s.pk for s in case.team.supervisors.filter(is_active=True) if s.pk != requested_by.pk]
    if permissions.named_among(case, supervisors):
        return permissions.named_among(case, supervisors)
    directors = User.objects.filter(groups__name=Role.PROGRAM_DIRECTOR, is_active=True, is_superuser=False)
    return permissions.named_among(case, directors.exclude(pk=requested_by.pk).values_list("pk", flat=True).distinct())


def _lock_waiting(closure: Closure) -> tuple[Case, Closure]:
    # The case first, then the request, in the same order everywhere: two supervisors
    # deciding at once queue on the case and the second finds the request decided.
    case = Case.objects.select_for_update(of=("self",)).select_related("survivor").get(pk=closure.case_id)
    closure = Closure.objects.select_for_update().get(pk=closure.pk)
    if closure.status != Closure.Status.REQUESTED:
        raise ClosureError(_("This closure has already been decided or withdrawn."))
    return case, closure


@transaction.atomic
def approve_closure(closure: Closure, *, by: User, note: str = "") -> Closure:
    """Approve a waiting closure: the case is closed from the closing date asked for.

    Refused without the approve-closure capability on the case, and to the person who
    asked for it. Side effects: the supervisors' "waiting" notices and the case's Careline
    reminders are marked done.
    """
    case, closure = _lock_waiting(closure)
    if not permissions.can_approve_closure(by, case):
        raise PermissionDenied
    if closure.requested_by_id == by.pk:
        raise ClosureError(_("Another supervisor or the program director must approve a closure you asked for."))
    if not case.is_open:
        raise ClosureError(_("Only an enrolled case that is open can be closed."))
    _decide(closure, by=by, status=Closure.Status.APPROVED, note=note, reason=Said("closure.approved"))
    case.status, case.closed_on = Case.Status.CLOSED, closure.closed_on
    _save(case, by=by, reason=Said("case.closed", reason=closure.reason), fields=["status", "closed_on"])
    settle(dedupe_prefix=closure_requested_key(closure))
    settle(dedupe_prefix=careline_key(case))
    return closure


@transaction.atomic
def return_closure(closure: Closure, *, by: User, note: str) -> Closure:
    """Return a waiting closure for changes, saying why; the case stays open.

    Side effects: the requester is told; the supervisors' "waiting" notices are marked done.
    """
    case, closure = _lock_waiting(closure)
    if not permissions.can_approve_closure(by, case):
        raise PermissionDenied
    if not note.strip():
        raise ClosureError(_("Say what should change before the case can be closed."), code="note")
    _decide(closure, by=by, status=Closure.Status.RETURNED, note=note.strip(), reason=Said("closure.returned"))
    settle(dedupe_prefix=closure_requested_key(closure))
    notify(
        [
            Notice(
                recipient_id=closure.requested_by_id,
                kind=Notification.Kind.CLOSURE_RETURNED,
                data={"code": case.survivor.client_code},
                url=case.get_absolute_url(),
                dedupe_key=f"{closure_returned_key(case)}{closure.pk}",
            )
        ]
    )
    return closure


@transaction.atomic
def withdraw_closure(closure: Closure, *, by: User) -> Closure:
    """Withdraw a waiting closure (the survivor is staying on, say); the case stays open.

    Kept as withdrawn, decided by the person withdrawing, so the history reads true; the status
    says it in the reader's language, so no note is written. Side effect: the supervisors'
    "waiting" notices are marked done.
    """
    case, closure = _lock_waiting(closure)
    if not permissions.can(by, permissions.DECIDE, case):
        raise PermissionDenied
    _decide(closure, by=by, status=Closure.Status.WITHDRAWN, note="", reason=Said("closure.withdrawn"))
    settle(dedupe_prefix=closure_requested_key(closure))
    return closure


def _decide(closure: Closure, *, by: User, status: str, note: str, reason: Said) -> None:
    closure.status, closure.decided_by, closure.decided_at, closure.decision_note = status, by, timezone.now(), note
    _save(closure, by=by, reason=reason, fields=["status", "decided_by", "decided_at", "decision_note"])


@transaction.atomic
def reenroll(case: Case, *, by: User, on: date, team: Team, specialists: list[User], note: str = "") -> Case:
    """Enroll the survivor of the closed ``case`` again: a new case, open from ``on``, linked to it.

    Refused unless ``case`` is closed and the latest of the survivor's enrollments, the
    survivor has no other case open or in intake, and ``on`` lies between the closing date
    and today. Side effects: the specialists and the team's supervisors get access to the
    new case (as at intake); a minor's Careline reminder starts. The old case is unchanged.
    """
    case = Case.objects.select_for_update(of=("self",)).select_related("survivor").get(pk=case.pk)
    if not (permissions.can(by, permissions.DECIDE, case) and permissions.can_open_cases(by)):
        raise PermissionDenied
    if case.status != Case.Status.CLOSED:
        raise ClosureError(_("Only a closed case can be followed by a new enrollment."))
    if case.later_cases.exists():
        raise ClosureError(_("The survivor was already enrolled again after this case."))
    if queries.identity_purged(case.survivor_id):
        raise ClosureError(PURGED)
    if case.survivor.cases.exclude(status__in=(Case.Status.CLOSED, Case.Status.NOT_ENROLLED)).exists():
        raise ClosureError(_("The survivor already has a case open or in intake."))
    if on < case.closed_on:
        raise ClosureError(
            _("The new enrollment cannot start before the earlier case closed (%(date)s).")
            % {"date": date_format(case.closed_on)},
            code="on",
        )
    if on > timezone.localdate():
        raise ClosureError(_("The enrollment date cannot be in the future."), code="on")
    try:
        check_assignment(by=by, team=team, specialists=specialists)
    except IntakeError as refusal:
        raise ClosureError(refusal.error_dict) from refusal
    later = Case(
        survivor=case.survivor,
        team=team,
        status=Case.Status.OPEN,
        opened_on=on,
        decided_on=on,
        outcome_note=note.strip(),
        previous_case=case,
        # The rhythm that suited the survivor before is the best first guess now.
        contact_cadence_days=case.contact_cadence_days,
        # A survivor kept out of sight before is kept out of sight again, by the same people.
        restricted=case.restricted,
        created_by=by,
    )
    later.minor_at_intake = later.computed_minor_at_intake()
    if specialists:
        later.first_assigned_on = min(on, timezone.localdate())
    _save(later, by=by, reason=Said("case.reenrolled"))
    store_last_contact(later)
    permissions.grant_team(later, team)
    _add_specialists(later, specialists, by=by)
    for named in case.named_people.all():
        _save(NamedPerson(case=later, user_id=named.user_id, added_by=by), by=by, reason=Said("named_person.carried"))
    ask_for_careline_report(later)
    return later
