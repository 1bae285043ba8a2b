"""Goals in the survivor's own words: setting and editing them, their status, steps and progress notes.

The status flow lives in one place, ``TRANSITIONS``. A goal is still being worked on while
it is not started or in progress (``Goal.OPEN``); achieved, changed by the survivor and set
aside are where it rests, and each of them can be taken up again. The words are the
survivor's and the program's: a goal is never "failed" or "abandoned".

Overdue action steps feed reminders (``send_step_reminders``): the notification key holds
the goal, the step and its due date, so marking the step done, moving its due date, or the
goal leaving the open statuses settles exactly the reminders it should.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bloom.accounts.models import User
from bloom.notifications.models import Notification
from bloom.notifications.services import Notice, notify, settle
from bloom.said import Said
from cases import permissions
from cases.models import Case
from cases.services.common import apply_changes as _apply
from cases.services.common import save as _save
from phases.models import ActionStep, CasePlan, Goal, GoalDomain, GoalNote, Phase

S = Goal.Status

# Where a goal may go from each status. Everything else is refused.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.NOT_STARTED: (S.IN_PROGRESS, S.CHANGED, S.SET_ASIDE),
    S.IN_PROGRESS: (S.ACHIEVED, S.CHANGED, S.SET_ASIDE),
    S.ACHIEVED: (S.IN_PROGRESS,),  # taken up again
    S.CHANGED: (S.IN_PROGRESS,),
    S.SET_ASIDE: (S.IN_PROGRESS,),
}
# A goal is set down as not started yet, or already under way.
STARTING_STATUSES = Goal.OPEN
# A target or due date further ahead than this is a typing mistake (0206 for 2026, say).
FARTHEST_AHEAD = timedelta(days=3653)  # ten years
# Enough for a goal told at length or a long note after a meeting; a longer paste is a mistake.
LONGEST_WORDS = 2000
LONGEST_NOTE = 5000
LONGEST_SUMMARY = Goal._meta.get_field("staff_summary").max_length
LONGEST_STEP = ActionStep._meta.get_field("description").max_length
LONGEST_PARTNER = ActionStep._meta.get_field("partner").max_length


class GoalError(ValidationError):
    """A goal, step or note the case does not allow; the message says why.

    Raised with the form field it concerns (``{"target_on": message}``), so a form can
    show it next to that field.
    """


def allowed_statuses(goal: Goal) -> tuple[str, ...]:
    """The statuses ``goal`` may move to from the one it has."""
    return TRANSITIONS.get(goal.status, ())


def plan_phases(case: Case):
    """The phases a goal of ``case`` may belong to: those of its plan's template (none without a plan)."""
    plan = CasePlan.objects.filter(case=case).only("template_id").first()
    if plan is None:
        return Phase.objects.none()
    return Phase.objects.filter(template_id=plan.template_id).order_by("position")


@transaction.atomic
def set_goal(
    case: Case,
    *,
    by: User,
    in_own_words: str,
    domain: str,
    staff_summary: str = "",
    phase: Phase | None = None,
    target_on: date | None = None,
    priority: int = Goal.Priority.SOON,
    status: str = S.NOT_STARTED,
) -> Goal:
    """Write down a goal the survivor has chosen, in their own words.

    Refused with ``GoalError`` for empty words, words or a summary too long, a domain,
    priority or phase not on offer (a phase must belong to the case plan's template), a
    target date before the case opened or more than ten years ahead, or a starting status
    other than not started or in progress.
    """
    if status not in STARTING_STATUSES:
        raise GoalError({"status": _("A new goal is either not started yet or in progress.")})
    values = _checked(
        case,
        in_own_words=in_own_words,
        staff_summary=staff_summary,
        domain=domain,
        phase=phase,
        target_on=target_on,
        priority=priority,
    )
    goal = Goal(case=case, created_by=by, status=status, **values)
    _save(goal, by=by, reason=Said("goal.set"))
    return goal


@transaction.atomic
def update_goal(
    goal: Goal,
    *,
    by: User,
    in_own_words: str,
    domain: str,
    staff_summary: str,
    phase: Phase | None,
    target_on: date | None,
    priority: int,
) -> Goal:
    """Change what a goal says; history keeps the earlier words. Its status changes only by ``change_goal_status``.

    The same rules as ``set_goal``; an unchanged form writes nothing.
    """
    goal = Goal.objects.select_for_update(of=("self",)).select_related("case").get(pk=goal.pk)
    values = _checked(
        goal.case,
        in_own_words=in_own_words,
        staff_summary=staff_summary,
        domain=domain,
        phase=phase,
        target_on=target_on,
        priority=priority,
    )
    changed = _apply(goal, values)
    if changed:
        _save(goal, by=by, reason=Said("goal.changed", fields=changed), fields=changed)
    return goal


def _checked(case: Case, *, in_own_words, staff_summary, domain, phase, target_on, priority) -> dict:
    in_own_words, staff_summary = in_own_words.strip(), staff_summary.strip()
    if not in_own_words:
        raise GoalError({"in_own_words": _("Write the goal as the survivor says it.")})
    _check_length("in_own_words", in_own_words, LONGEST_WORDS)
    _check_length("staff_summary", staff_summary, LONGEST_SUMMARY)
    if domain not in GoalDomain.values:
        raise GoalError({"domain": _("Choose the area of life this goal is about.")})
    if priority not in Goal.Priority.values:
        raise GoalError({"priority": _("Choose how important this goal is to the survivor now.")})
    if phase is not None and not plan_phases(case).filter(pk=phase.pk).exists():
        raise GoalError({"phase": _("Choose one of the phases of this case's plan.")})
    if target_on is not None:
        if target_on < case.opened_on:
            raise GoalError(
                {
                    "target_on": _("The target date cannot be before the case opened (%(date)s).")
                    % {"date": date_format(case.opened_on)}
                }
            )
        _check_not_too_far("target_on", target_on)
    return {
        "in_own_words": in_own_words,
        "staff_summary": staff_summary,
        "domain": domain,
        "phase": phase,
        "target_on": target_on,
        "priority": priority,
    }


def _check_length(field: str, text: str, most: int) -> None:
    if len(text) > most:
        raise GoalError({field: _("Keep this to %(most)s characters or fewer.") % {"most": most}})


def _check_not_too_far(field: str, day: date) -> None:
    if day > timezone.localdate() + FARTHEST_AHEAD:
        raise GoalError({field: _("Choose a date within the next ten years.")})


@transaction.atomic
def change_goal_status(goal: Goal, *, by: User, status: str, note: str = "") -> Goal:
    """Move a goal along its status flow (``TRANSITIONS``), with an optional progress note.

    Refused with ``GoalError`` for a status the flow does not lead to from the current one,
    or a note too long.
    Side effects: the note, if any, is saved as a progress note dated today; a goal that
    leaves the open statuses settles the reminders about its overdue steps.
    """
    goal = Goal.objects.select_for_update(of=("self",)).select_related("case").get(pk=goal.pk)
    if status not in S.values:
        raise GoalError({"status": _("Choose a status from the list.")})
    if status == goal.status:
        raise GoalError({"status": _("The goal is already “%(status)s”.") % {"status": goal.get_status_display()}})
    allowed = allowed_statuses(goal)
    if status not in allowed:
        raise GoalError(
            {
                "status": _("From “%(current)s” a goal can move to: %(allowed)s.")
                % {
                    "current": goal.get_status_display(),
                    "allowed": ", ".join(f"“{S(choice).label}”" for choice in allowed),
                }
            }
        )
    note = note.strip()
    _check_length("note", note, LONGEST_NOTE)
    before = goal.status
    goal.status = status
    _save(goal, by=by, reason=Said("goal.status", status=status), fields=["status"])
    if note:
        # Dated today: the day the survivor and the specialist talked it over.
        written = GoalNote(goal=goal, written_on=timezone.localdate(), note=note, written_by=by)
        _save(written, by=by, reason=Said("goal_note.with_status", status=before))
    if not goal.is_open:
        settle(dedupe_prefix=goal_steps_key(goal))
    return goal


@transaction.atomic
def add_step(
    goal: Goal,
    *,
    by: User,
    description: str,
    owner: str,
    partner: str = "",
    due_on: date | None = None,
    done_on: date | None = None,
) -> ActionStep:
    """Add an action step towards a goal: what, who does it, by when.

    Refused with ``GoalError`` for an empty description, an owner not on offer, a partner
    owner without the partner's name, a description or name too long, a due date before the
    case opened or more than ten years ahead, or a done date in the future or before the
    case opened.
    """
    values = _checked_step(
        goal.case, description=description, owner=owner, partner=partner, due_on=due_on, done_on=done_on
    )
    step = ActionStep(goal=goal, created_by=by, **values)
    _save(step, by=by, reason=Said("step.added"))
    return step


@transaction.atomic
def update_step(
    step: ActionStep,
    *,
    by: User,
    description: str,
    owner: str,
    partner: str,
    due_on: date | None,
    done_on: date | None,
) -> ActionStep:
    """Change an action step, or mark it done on a date; history keeps the earlier values.

    The same rules as ``add_step``; an unchanged form writes nothing. Side effect: a step
    marked done, or given another due date, settles the reminders about it.
    """
    step = ActionStep.objects.select_for_update(of=("self",)).select_related("goal__case").get(pk=step.pk)
    values = _checked_step(
        step.goal.case, description=description, owner=owner, partner=partner, due_on=due_on, done_on=done_on
    )
    changed = _apply(step, values)
    if changed:
        reason = "step.done" if changed == ["done_on"] and step.done_on else "step.changed"
        _save(step, by=by, reason=Said(reason, fields=changed), fields=changed)
    if step.done_on or "due_on" in changed:
        settle(dedupe_prefix=step_overdue_key(step))
    return step


def _checked_step(case: Case, *, description, owner, partner, due_on, done_on) -> dict:
    description = description.strip()
    partner = partner.strip()
    if not description:
        raise GoalError({"description": _("Say what the step is.")})
    if owner not in ActionStep.Owner.values:
        raise GoalError({"owner": _("Choose who does this step.")})
    if owner == ActionStep.Owner.PARTNER and not partner:
        raise GoalError({"partner": _("Name the partner who does this step.")})
    _check_length("description", description, LONGEST_STEP)
    _check_length("partner", partner, LONGEST_PARTNER)
    if due_on is not None:
        _check_not_before_opened(case, due_on, "due_on")
        _check_not_too_far("due_on", due_on)
    if done_on is not None:
        if done_on > timezone.localdate():
            raise GoalError({"done_on": _("A step cannot be done in the future. Check the date.")})
        _check_not_before_opened(case, done_on, "done_on")
    return {
        "description": description,
        "owner": owner,
        # Only a partner's step names a partner; a name left over from before is dropped.
        "partner": partner if owner == ActionStep.Owner.PARTNER else "",
        "due_on": due_on,
        "done_on": done_on,
    }


def _check_not_before_opened(case: Case, day: date, field: str) -> None:
    if day < case.opened_on:
        raise GoalError(
            {field: _("This is before the case opened (%(date)s).") % {"date": date_format(case.opened_on)}}
        )


@transaction.atomic
def add_goal_note(goal: Goal, *, by: User, written_on: date, note: str) -> GoalNote:
    """Write a dated note on how a goal is going.

    Refused with ``GoalError`` for an empty or too long note, or a date in the future or before the case opened.
    """
    note = note.strip()
    if not note:
        raise GoalError({"note": _("Write the progress note.")})
    _check_length("note", note, LONGEST_NOTE)
    if written_on > timezone.localdate():
        raise GoalError({"written_on": _("The date cannot be in the future.")})
    _check_not_before_opened(goal.case, written_on, "written_on")
    written = GoalNote(goal=goal, written_on=written_on, note=note, written_by=by)
    _save(written, by=by, reason=Said("goal_note.written"))
    return written


def goal_steps_key(goal: Goal) -> str:
    """The start of the reminder keys of every step of ``goal``."""
    return f"step-overdue:{goal.pk}:"


def step_overdue_key(step: ActionStep) -> str:
    """The start of the reminder keys of ``step`` (whatever its due date)."""
    return f"step-overdue:{step.goal_id}:{step.pk}:"


def overdue_steps(*, today: date):
    """Steps not done whose due date has passed, on open goals of active cases (all cases: for the reminders)."""
    return ActionStep.objects.filter(
        done_on__isnull=True,
        due_on__lt=today,
        goal__status__in=Goal.OPEN,
        goal__case__status__in=Case.ACTIVE_STATUSES,
    )


def send_step_reminders(*, today: date | None = None) -> int:
    """Tell the assigned specialists of each overdue action step on an open goal of an active case
    (with nobody assigned, the team's supervisors: ``cases.permissions.to_remind``).

    One notification per specialist per step and due date (the key holds both): running
    this twice, or daily until the step is done, makes no duplicate. The notification
    names the client code and the due date, never the survivor. A fixed number of queries
    however many steps. Returns how many notifications are new.
    """
    today = today or timezone.localdate()
    steps = (
        overdue_steps(today=today)
        .select_related("goal__case__survivor", "goal__case__team")
        .prefetch_related(*(f"goal__case__{name}" for name in permissions.TO_REMIND_PREFETCH))
    )
    notices = [
        Notice(
            recipient_id=recipient_id,
            kind=Notification.Kind.STEP_OVERDUE,
            data={"code": step.goal.case.survivor.client_code, "since": step.due_on.isoformat()},
            url=reverse("phases:goal_detail", args=[step.goal.case_id, step.goal_id]),
            dedupe_key=f"{step_overdue_key(step)}{step.due_on.isoformat()}",
        )
        for step in steps
        for recipient_id in permissions.to_remind(step.goal.case)
    ]
    return notify(notices)
