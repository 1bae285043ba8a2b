"""Every change to survivors and cases. Each service leaves a history row with its author."""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bloom.accounts.models import Team, User
from bloom.directory.models import Town
from bloom.notifications.services import Notice, notify
from cases import permissions
from cases.models import Case, CaseAssignment, Survivor, new_client_code
from cases.queries import cases_without_recent_contact


def unused_client_code() -> str:
    while True:
        code = new_client_code()
        if not Survivor.objects.filter(client_code=code).exists():
            return code


@transaction.atomic
def open_case(
    *,
    by: User,
    legal_name: str,
    preferred_name: str = "",
    date_of_birth: date | None = None,
    estimated_age: int | None = None,
    town: Town | None = None,
    team: Team,
    specialists: list[User],
    opened_on: date | None = None,
) -> Case:
    """Register a survivor and open their first case.

    Side effects: the survivor gets a new client code; the specialists and the team's
    supervisors are given access to the case (see ``assign_case``).
    """
    survivor = Survivor(
        client_code=unused_client_code(),
        legal_name=legal_name,
        preferred_name=preferred_name,
        date_of_birth=date_of_birth,
        estimated_age=estimated_age,
        town=town,
        created_by=by,
    )
    _save(survivor, by=by, reason="Survivor registered")
    case = Case(survivor=survivor, team=team, opened_on=opened_on or timezone.localdate(), created_by=by)
    _save(case, by=by, reason="Case opened")
    permissions.grant_team(case, team)
    _add_specialists(case, specialists, by=by)
    return case


@transaction.atomic
def assign_case(case: Case, *, by: User, specialists: list[User], team: Team | None = None) -> Case:
    """Make exactly ``specialists`` the case's specialists, and move it to ``team`` if given.

    Side effects, in the same transaction: specialists added get view and change
    permissions on the case and those removed lose them; on a team change the old team's
    supervisors lose the case and the new team's gain it.
    """
    case = Case.objects.select_for_update().select_related("team").get(pk=case.pk)
    # Checked again under the lock: access may have changed since the form was shown.
    if not permissions.can(by, permissions.ASSIGN, case):
        raise PermissionDenied
    reasons = []
    if team is not None and team.pk != case.team_id:
        permissions.revoke_team(case, case.team)
        permissions.grant_team(case, team)
        case.team = team
        reasons.append(f"Moved to team {team.name}")
    current = {a.specialist_id: a for a in case.assignments.select_related("specialist")}
    wanted = {s.pk: s for s in specialists}
    removed = [a for pk, a in current.items() if pk not in wanted]
    for assignment in removed:
        assignment._history_user = by
        assignment.delete()
    permissions.revoke_specialists(case, [a.specialist for a in removed])
    added = [s for pk, s in wanted.items() if pk not in current]
    _add_specialists(case, added, by=by)
    if removed or added:
        reasons.append(f"Assigned to {', '.join(sorted(s.full_name for s in specialists)) or 'nobody'}")
    if reasons:
        _save(case, by=by, reason="; ".join(reasons), fields=["team"])
    return case


def _add_specialists(case: Case, specialists: list[User], *, by: User) -> None:
    for specialist in specialists:
        assignment = CaseAssignment(case=case, specialist=specialist)
        _save(assignment, by=by, reason="Specialist assigned")
    permissions.grant_specialists(case, specialists)


@transaction.atomic
def update_case(
    case: Case, *, by: User, status: str, opened_on: date, closed_on: date | None, **survivor_fields
) -> Case:
    """Change a case's dates and status and its survivor's identity details.

    Only what actually changed is written (rows locked, changed columns only), so an
    unchanged form leaves no history row and two people editing different fields at once
    do not undo each other. A closed case set to open again is marked reopened today.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    survivor = Survivor.objects.select_for_update().get(pk=case.survivor_id)
    changed_survivor = _apply(
        survivor, {k: survivor_fields[k] for k in Survivor.IDENTITY_FIELDS if k in survivor_fields}
    )
    if changed_survivor:
        _save(survivor, by=by, reason=f"Changed {', '.join(changed_survivor)}", fields=changed_survivor)
    values = {"status": status, "opened_on": opened_on, "closed_on": closed_on}
    if status != Case.Status.CLOSED:
        values["closed_on"] = None
        if case.status == Case.Status.CLOSED:
            values.update(status=Case.Status.REOPENED, reopened_on=timezone.localdate())
    changed_case = _apply(case, values)
    if changed_case:
        _save(case, by=by, reason=f"Changed {', '.join(changed_case)}", fields=changed_case)
    case.survivor = survivor
    return case


def _apply(instance, values: dict) -> list[str]:
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def _save(instance, *, by: User | None, reason: str, fields: list[str] | None = None) -> None:
    # Set the author explicitly so history is right outside a request too (tasks, commands).
    instance._history_user = by
    instance._change_reason = reason
    instance.save(update_fields=fields)


def send_contact_reminders(*, today: date | None = None) -> int:
    """Notify assigned specialists of open cases with no contact for the configured days.

    Until contacts are recorded, the quiet spell counts from the case's opening date. One
    notification per specialist per quiet spell: running this twice makes no duplicate.
    Returns how many notifications are new.
    """
    today = today or timezone.localdate()
    days = settings.BLOOM_CONTACT_REMINDER_DAYS
    cases = cases_without_recent_contact(Case.objects.all(), as_of=today, days=days)
    notices = [
        Notice(
            recipient_id=assignment.specialist_id,
            kind="contact overdue",
            data={"code": case.survivor.client_code, "since": case.last_contact_on.isoformat()},
            url=reverse("cases:detail", args=[case.pk]),
            dedupe_key=f"contact-overdue:{case.pk}:{case.last_contact_on.isoformat()}",
        )
        for case in cases.prefetch_related("assignments")
        for assignment in case.assignments.all()
    ]
    return notify(notices)
