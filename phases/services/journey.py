"""A case's plan and its journey through the phases: starting, moving forward with sign-off, moving back.

* A plan starts on an enrolled, open case, in the first phase of the template chosen.
* Moving forward is asked for with a review (the phase's checklist, the specialist's note,
  the survivor's own view) and happens only when someone with ``phases.sign_off_phase_move``
  who may decide on the case signs it off, never the person who asked. At most one review
  waits per plan. Deciding locks the plan, so two supervisors deciding at once cannot both.
* Moving back to an earlier phase needs only a reason. It is never called a failure. A
  review still waiting is withdrawn by it.

Emergency access never decides: every service here needs ``permissions.DECIDE``.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bloom import translated
from bloom.access import holds
from bloom.accounts.models import User
from bloom.notifications.models import Notification
from bloom.notifications.services import Notice, notify, settle
from bloom.said import Said, looks_like_a_code
from cases import permissions
from cases.models import Case
from cases.services.closure import approvers_to_tell
from cases.services.common import save as _save
from phases.models import (
    LONGEST_PLAN_MONTHS,
    SHORTEST_PLAN_MONTHS,
    CasePlan,
    Phase,
    PhaseReview,
    PhaseStay,
    PhaseTemplate,
)

SIGN_OFF = "phases.sign_off_phase_move"
# Long enough for a careful note; a longer paste is a mistake.
LONGEST_NOTE = 5000


class JourneyError(ValidationError):
    """A start, move or decision the plan's state does not allow; the message says why.

    Raised with the form field it concerns (``{"move_on": message}``) when there is one,
    else with a plain message about the plan as a whole.
    """


def move_requested_key(review: PhaseReview) -> str:
    return f"phase-move-requested:{review.plan.case_id}:{review.pk}:"


def move_returned_key(case: Case) -> str:
    return f"phase-move-returned:{case.pk}:"


def may_sign_off(user: User) -> bool:
    """Whether the role signs off moves at all (on the cases its holder may decide on)."""
    return holds(user, SIGN_OFF)


def can_sign_off(user: User, perms: frozenset[str]) -> bool:
    """Whether ``user``, holding ``perms`` on a case, may sign off its moves (never by emergency access)."""
    return permissions.DECIDE in perms and may_sign_off(user)


def earliest_start(case: Case) -> date:
    """The first day a plan may start: the day the case was opened (enrolled, or opened again)."""
    return max(day for day in (case.opened_on, case.decided_on, case.reopened_on) if day)


# Starting -------------------------------------------------------------------------------------


@transaction.atomic
def start_plan(case: Case, *, by: User, template: PhaseTemplate, started_on: date, expected_months: int) -> CasePlan:
    """Start ``case``'s plan on ``template``: the survivor enters its first phase on ``started_on``.

    Refused with ``JourneyError`` unless the case is enrolled and open and has no plan yet,
    the template has phases, the start lies between the day the case opened and today,
    and the expected length is 12 to 60 months. Side effect: history rows for the plan and
    its first time in a phase.
    """
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if not permissions.can(by, permissions.DECIDE, case):
        raise PermissionDenied
    if not case.is_open:
        raise JourneyError(_("A case plan can start only once the survivor is enrolled and the case is open."))
    if CasePlan.objects.filter(case=case).exists():
        raise JourneyError(_("This case already has a plan."))
    # Locked, so the director cannot change the template while the plan starts on it.
    template = PhaseTemplate.objects.select_for_update().get(pk=template.pk)
    first = template.phases.order_by("position").first()
    if first is None:
        raise JourneyError({"template": _("This template has no phases yet. Choose another.")})
    _check_start(started_on, earliest=earliest_start(case))
    if not SHORTEST_PLAN_MONTHS <= expected_months <= LONGEST_PLAN_MONTHS:
        raise JourneyError({"expected_months": _length_message(expected_months)})
    plan = CasePlan(case=case, template=template, started_on=started_on, expected_months=expected_months, started_by=by)
    _save(plan, by=by, reason=Said("plan.started"))
    stay = PhaseStay(plan=plan, phase=first, entered_on=started_on, how=PhaseStay.How.STARTED, by=by)
    _save(stay, by=by, reason=Said("stay.started", phase=first))
    return plan


def _length_message(months: int) -> str:
    if months < SHORTEST_PLAN_MONTHS:
        return _("The program is designed to take at least a year: give at least 12 months.")
    return _("A case plan can be expected to take at most %(most)s months.") % {"most": LONGEST_PLAN_MONTHS}


def _check_start(day: date, *, earliest: date) -> None:
    if day > timezone.localdate():
        raise JourneyError({"started_on": _("The plan cannot start in the future.")})
    if day < earliest:
        raise JourneyError(
            {
                "started_on": _("The plan cannot start before %(date)s, when the case was opened.")
                % {"date": date_format(earliest)}
            }
        )


def _check_move_day(day: date, *, current: PhaseStay, field: str) -> None:
    if day > timezone.localdate():
        raise JourneyError({field: _("The move cannot be dated in the future.")})
    if day < current.entered_on:
        raise JourneyError(
            {
                field: _("The move cannot come before %(date)s, when the current phase began.")
                % {"date": date_format(current.entered_on)}
            }
        )


# Where the plan stands ------------------------------------------------------------------------


def _lock_plan(plan: CasePlan, by: User) -> tuple[CasePlan, PhaseStay]:
    """The plan, locked, with its case and current stay; refused to anyone who may not decide on the case.

    Every service that changes the journey locks the plan first (then a review), so that
    two people acting at once queue, and the second sees what the first did.
    """
    plan = (
        CasePlan.objects.select_for_update(of=("self",)).select_related("case__survivor", "case__team").get(pk=plan.pk)
    )
    if not permissions.can(by, permissions.DECIDE, plan.case):
        raise PermissionDenied
    current = plan.stays.select_related("phase").get(left_on__isnull=True)
    return plan, current


def next_phase(plan: CasePlan, phase: Phase) -> Phase | None:
    return plan.template.phases.filter(position__gt=phase.position).order_by("position").first()


def _check_open(case: Case) -> None:
    if not case.is_open:
        raise JourneyError(_("The case is not open, so the plan cannot move."))


# Moving forward -------------------------------------------------------------------------------


@transaction.atomic
def request_move(
    plan: CasePlan, *, by: User, done: list[bool], specialist_note: str, survivor_view: str, move_on: date
) -> PhaseReview:
    """Ask to move the survivor forward to the next phase from ``move_on``, with the review.

    ``done`` says, item by item, whether the current phase's checklist was met; an item not
    met is allowed, and the note says why. Refused with ``JourneyError`` in the last phase,
    while another review waits, without a note or the survivor's own view, or for a date
    before the current phase began or in the future. Side effects: the team's
    supervisors (or, without one, the program directors), except the person asking, are
    told it waits; the case's "returned" notices are marked done.
    """
    plan, current = _lock_plan(plan, by)
    _check_open(plan.case)
    to_phase = next_phase(plan, current.phase)
    if to_phase is None:
        raise JourneyError(_("This is the last phase."))
    if plan.reviews.filter(status=PhaseReview.Status.WAITING).exists():
        raise JourneyError(_("A move forward is already waiting for sign-off."))
    items = list(current.phase.checklist)
    if len(done) != len(items):
        raise JourneyError(_("The checklist has changed. Reload the page and go through it again."))
    if not specialist_note.strip():
        unmet = not all(done)
        raise JourneyError(
            {
                "specialist_note": _("Some checklist items are not ticked: say why in your note.")
                if unmet
                else _("Write your note on how this phase went.")
            }
        )
    if not survivor_view.strip():
        raise JourneyError({"survivor_view": _("Write the survivor's own view, in their words.")})
    if len(specialist_note) > LONGEST_NOTE or len(survivor_view) > LONGEST_NOTE:
        raise JourneyError(_("Keep each note to %(most)s characters or fewer.") % {"most": LONGEST_NOTE})
    _check_move_day(move_on, current=current, field="move_on")
    review = PhaseReview(
        plan=plan,
        from_phase=current.phase,
        to_phase=to_phase,
        checklist=[{"item": item, "done": bool(ok)} for item, ok in zip(items, done, strict=True)],
        specialist_note=specialist_note.strip(),
        survivor_view=survivor_view.strip(),
        move_on=move_on,
        requested_by=by,
    )
    _save(review, by=by, reason=Said("review.asked", phase=to_phase))
    settle(dedupe_prefix=move_returned_key(plan.case))
    notify(
        Notice(
            recipient_id=recipient_id,
            kind=Notification.Kind.PHASE_MOVE_REQUESTED,
            data=_move_data(plan, to_phase),
            url=reverse("phases:review_decide", args=[plan.case_id, review.pk]),
            dedupe_key=move_requested_key(review),
        )
        for recipient_id in approvers_to_tell(plan.case, requested_by=by)
    )
    return review


def _move_data(plan: CasePlan, phase: Phase) -> dict:
    """A move's notice: the client code and the phase, named in every language it is written in."""
    return {
        "code": plan.case.survivor.client_code,
        "phase": phase.name,
        translated.FIELD: translated.data_words(phase, "name", "phase"),
    }


def _lock_waiting(review: PhaseReview, by: User) -> tuple[CasePlan, PhaseStay, PhaseReview]:
    # The plan first, then the review, in the same order everywhere.
    plan, current = _lock_plan(review.plan, by)
    review = PhaseReview.objects.select_for_update().select_related("from_phase", "to_phase").get(pk=review.pk)
    if review.status != PhaseReview.Status.WAITING:
        raise JourneyError(_("This move has already been decided or withdrawn."))
    return plan, current, review


@transaction.atomic
def sign_off_move(review: PhaseReview, *, by: User, note: str = "") -> PhaseStay:
    """Sign off a waiting move: the survivor leaves the current phase and enters the next on its date.

    Refused without ``phases.sign_off_phase_move`` and the right to decide on the case
    (so never under emergency access), and with ``JourneyError`` to the person who asked,
    for a review already decided, on a case no longer open, or for a note too long. Side
    effects: the supervisors' "waiting" notices are marked done; history rows for the review
    and both times in a phase.
    """
    plan, current, review = _lock_waiting(review, by)
    if not may_sign_off(by):
        raise PermissionDenied
    if review.requested_by_id == by.pk:
        raise JourneyError(_("Another supervisor or the program director must sign off a move you asked for."))
    _check_decision_note(note)
    _check_open(plan.case)
    if current.phase_id != review.from_phase_id or review.move_on < current.entered_on:
        raise JourneyError(_("The plan has moved since this was asked for. Withdraw it and ask again."))
    _decide(review, by=by, status=PhaseReview.Status.SIGNED_OFF, note=note.strip(), reason=Said("review.signed_off"))
    current.left_on = review.move_on
    _save(current, by=by, reason=Said("stay.left_forward", phase=review.to_phase_id), fields=["left_on"])
    stay = PhaseStay(
        plan=plan, phase=review.to_phase, entered_on=review.move_on, how=PhaseStay.How.FORWARD, review=review, by=by
    )
    _save(stay, by=by, reason=Said("stay.forward", phase=review.from_phase_id))
    settle(dedupe_prefix=move_requested_key(review))
    return stay


@transaction.atomic
def return_move(review: PhaseReview, *, by: User, note: str) -> PhaseReview:
    """Return a waiting move for changes, saying why; the survivor stays in the phase.

    Refused as ``sign_off_move`` is, except that the person who asked may return it.
    Side effects: the requester is told (unless it is them); the "waiting" notices are
    marked done.
    """
    plan, _current, review = _lock_waiting(review, by)
    if not may_sign_off(by):
        raise PermissionDenied
    if not note.strip():
        raise JourneyError({"note": _("Say what should change before the move can be signed off.")})
    _check_decision_note(note)
    _decide(review, by=by, status=PhaseReview.Status.RETURNED, note=note.strip(), reason=Said("review.returned"))
    settle(dedupe_prefix=move_requested_key(review))
    if review.requested_by_id != by.pk:
        notify(
            [
                Notice(
                    recipient_id=review.requested_by_id,
                    kind=Notification.Kind.PHASE_MOVE_RETURNED,
                    data=_move_data(plan, review.to_phase),
                    url=reverse("phases:plan", args=[plan.case_id]),
                    dedupe_key=f"{move_returned_key(plan.case)}{review.pk}",
                )
            ]
        )
    return review


@transaction.atomic
def withdraw_move(review: PhaseReview, *, by: User) -> PhaseReview:
    """Withdraw a waiting move; the survivor stays in the phase.

    Anyone who may decide on the case may withdraw it. Side effect: the "waiting" notices
    are marked done.
    """
    _plan, _current, review = _lock_waiting(review, by)
    _decide(review, by=by, status=PhaseReview.Status.WITHDRAWN, note="", reason=Said("review.withdrawn"))
    settle(dedupe_prefix=move_requested_key(review))
    return review


def _check_decision_note(note: str) -> None:
    if looks_like_a_code(note):
        # A review's note may hold Bloom's own words, stored as a code (``review.withdrawn_back``).
        raise JourneyError({"note": _("Write this in your own words: it reads like a code Bloom uses.")})
    if len(note) > LONGEST_NOTE:
        raise JourneyError({"note": _("Keep the note to %(most)s characters or fewer.") % {"most": LONGEST_NOTE}})


def _decide(review: PhaseReview, *, by: User, status: str, note: str, reason: str) -> None:
    review.status, review.decided_by, review.decided_at, review.decision_note = status, by, timezone.now(), note
    _save(review, by=by, reason=reason, fields=["status", "decided_by", "decided_at", "decision_note"])


# Moving back ----------------------------------------------------------------------------------


@transaction.atomic
def move_back(
    plan: CasePlan, *, by: User, to_phase: Phase, moved_on: date, reason: str
) -> tuple[PhaseStay, PhaseReview | None]:
    """Move the survivor back to an earlier phase from ``moved_on``, for ``reason``.

    Returns the new time in a phase, and the review it withdrew, if one was waiting.
    Refused with ``JourneyError`` without a reason, for a phase that is not before the
    current one in the plan's template, or for a date before the current phase began or in
    the future. Side effects: a waiting review is withdrawn and its notices marked done;
    history rows for both times in a phase.
    """
    plan, current = _lock_plan(plan, by)
    _check_open(plan.case)
    if to_phase.template_id != plan.template_id or to_phase.position >= current.phase.position:
        raise JourneyError({"phase": _("Choose a phase before the current one.")})
    if not reason.strip():
        raise JourneyError({"reason": _("Say why the survivor is going back to an earlier phase.")})
    if len(reason) > LONGEST_NOTE:
        raise JourneyError({"reason": _("Keep the reason to %(most)s characters or fewer.") % {"most": LONGEST_NOTE}})
    _check_move_day(moved_on, current=current, field="moved_on")
    withdrawn = plan.reviews.select_for_update().filter(status=PhaseReview.Status.WAITING).first()
    if withdrawn is not None:
        note = str(Said("review.withdrawn_back"))
        _decide(withdrawn, by=by, status=PhaseReview.Status.WITHDRAWN, note=note, reason=Said("review.withdrawn"))
        settle(dedupe_prefix=move_requested_key(withdrawn))
    current.left_on = moved_on
    _save(current, by=by, reason=Said("stay.left_back", phase=to_phase), fields=["left_on"])
    stay = PhaseStay(
        plan=plan, phase=to_phase, entered_on=moved_on, how=PhaseStay.How.BACK, reason=reason.strip(), by=by
    )
    _save(stay, by=by, reason=Said("stay.back", phase=current.phase_id))
    return stay, withdrawn
