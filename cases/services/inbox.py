"""Requests for help passed to intake from outreach: receiving one, starting an intake from
it, or closing it without one.

A request holds only what the person agreed to share. It arrives through ``bloom.intake``
(the program module that passes it never imports ``cases``), waits in its team's queue, and
becomes the first details of a new intake, or is closed with a reason.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bloom.accounts.models import Role, User
from bloom.intake import RequestForHelp
from bloom.notifications.models import Notification
from bloom.notifications.services import Notice, notify, settle
from bloom.said import Said
from bloom.vocabulary import HelpNeed
from cases import permissions
from cases.models import OLDEST_AGE, Case, IntakeRequest, ReferralSource
from cases.services.common import save as _save
from cases.services.intake import start_intake

# Longest note fields, so a pasted essay is refused with a message and not cut.
LONGEST_NOTE = 4000


class IntakeRequestError(ValidationError):
    """A request for help that cannot be taken as it is; keyed by field."""


def waiting_key(request: IntakeRequest) -> str:
    return f"intake-request:{request.pk}:"


def _check(request: RequestForHelp) -> dict:
    problems = {}
    if not request.agreed:
        problems["agreed"] = _("Pass this on only if the person agreed that the program may have it and reach out.")
    if not request.name.strip():
        problems["name"] = _("Enter what they want to be called: a first name or a nickname is enough.")
    if request.age is not None and not 0 < request.age <= OLDEST_AGE:
        problems["age"] = _("Enter an age from 1 to %(oldest)s, or leave it empty.") % {"oldest": OLDEST_AGE}
    unknown = [need for need in request.needs if need not in HelpNeed.values]
    if unknown or len(set(request.needs)) != len(request.needs):
        problems["needs"] = _("Choose what they asked for from the list.")
    for name in ("how_to_reach", "in_their_words"):
        if len(getattr(request, name)) > LONGEST_NOTE:
            problems[name] = _("Keep this to %(n)s characters or fewer.") % {"n": LONGEST_NOTE}
    if request.met_on > timezone.localdate():
        problems["met_on"] = _("The day they were met cannot be in the future.")
    return problems


@transaction.atomic
def receive(request: RequestForHelp, *, by: User) -> IntakeRequest:
    """Put ``request`` in its team's intake queue and tell the people who work it.

    The notification says only that a request is waiting and from where it came: never a name.
    """
    problems = _check(request)
    if problems:
        raise IntakeRequestError(problems)
    row = IntakeRequest(
        team=request.team,
        source=ReferralSource.OUTREACH,
        where=request.where[: IntakeRequest._meta.get_field("where").max_length],
        met_on=request.met_on,
        passed_by=by,
        name=request.name.strip(),
        age=request.age,
        language=request.language.strip(),
        phone=request.phone.strip(),
        safe_to_call=request.safe_to_call,
        safe_to_text=request.safe_to_text,
        safe_to_leave_message=request.safe_to_leave_message,
        how_to_reach=request.how_to_reach.strip(),
        needs=list(request.needs),
        in_their_words=request.in_their_words.strip(),
    )
    _save(row, by=by, reason=Said("intake_request.passed"))
    url = reverse("cases:intake_request", args=[row.pk])
    people = _queue_workers(row)
    notify(
        Notice(
            recipient_id=person,
            kind=Notification.Kind.INTAKE_REQUEST_WAITING,
            data={"team": row.team.name, "where": row.where},
            url=url,
            dedupe_key=waiting_key(row),
        )
        for person in people
    )
    return row


def _queue_workers(row: IntakeRequest) -> list[int]:
    """Who works the team's queue: its supervisors, and its members who are specialists."""
    team = row.team
    people = {user.pk for user in team.supervisors.filter(is_active=True)}
    people |= {user.pk for user in team.members.filter(is_active=True, groups__name=Role.SPECIALIST)}
    return sorted(people)


def _locked(row: IntakeRequest, by: User) -> IntakeRequest:
    """``row`` locked, still waiting and still in ``by``'s queue (checked again under the lock)."""
    locked = IntakeRequest.objects.select_for_update(of=("self",)).select_related("team", "passed_by").get(pk=row.pk)
    if locked.status != IntakeRequest.Status.WAITING:
        raise IntakeRequestError(_("Someone has already dealt with this request."))
    if not permissions.intake_requests_for(by).filter(pk=row.pk).exists():
        raise PermissionDenied
    return locked


@transaction.atomic
def start_intake_from(row: IntakeRequest, *, by: User) -> Case:
    """Start an intake with what the person shared; the request then belongs to the new case.

    The person who starts it becomes the case's specialist when they are one of the team's
    specialists; otherwise the case waits on the team to be assigned, as any intake does.
    """
    row = _locked(row, by)
    team = row.team
    specialists = [by] if by.has_role(Role.SPECIALIST) and team.members.filter(pk=by.pk).exists() else []
    case = start_intake(
        by=by,
        team=team,
        specialists=specialists,
        details={
            "legal_name": row.name,
            "preferred_name": row.name,
            "estimated_age": row.age,
            "preferred_language": row.language,
            "phone": row.phone,
            "safe_to_call": row.safe_to_call,
            "safe_to_text": row.safe_to_text,
            "safe_to_leave_message": row.safe_to_leave_message,
            "safe_contact_notes": row.how_to_reach,
        },
        referral={
            "referral_source": ReferralSource.OUTREACH,
            "referred_on": row.met_on,
            "referring_person": row.passed_by.full_name,
            "referring_contact": row.where,
        },
    )
    row.status, row.case, row.decided_by, row.decided_at = IntakeRequest.Status.STARTED, case, by, timezone.now()
    _save(row, by=by, reason=Said("intake_request.started"))
    settle(dedupe_prefix=waiting_key(row))
    return case


@transaction.atomic
def close_request(row: IntakeRequest, *, by: User, reason: str) -> IntakeRequest:
    """Close a request without an intake (already known, could not be reached), with the reason."""
    reason = reason.strip()
    if not reason:
        raise IntakeRequestError({"reason": _("Say why no intake will start, for whoever reads this later.")})
    if len(reason) > LONGEST_NOTE:
        raise IntakeRequestError({"reason": _("Keep this to %(n)s characters or fewer.") % {"n": LONGEST_NOTE}})
    row = _locked(row, by)
    row.status, row.closed_reason, row.decided_by, row.decided_at = (
        IntakeRequest.Status.CLOSED,
        reason,
        by,
        timezone.now(),
    )
    _save(row, by=by, reason=Said("intake_request.closed"))
    settle(dedupe_prefix=waiting_key(row))
    return row
