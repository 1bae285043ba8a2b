"""Every change to outreach's records. Each leaves a history row with its author and reason.

The rules the forms cannot see alone live here, and a refusal is an ``OutreachError`` keyed
by the field it is about, so the form shows it beside that field and keeps what was typed:
a session that ends before it starts, counts that do not add up, a volunteer who is not
active or is already out on another session at the same time.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from bloom import intake
from bloom.accounts.models import Role, User
from bloom.directory.models import Organization, Town
from bloom.said import Said
from bloom.times import elapsed
from bloom.vocabulary import VenueType
from bloom.writes import apply_changes
from bloom.writes import save as _save
from outreach import access
from outreach.models import (
    LARGEST_COUNT,
    LONGEST_NOTE,
    LONGEST_SESSION_HOURS,
    LONGEST_TRAINING_HOURS,
    HandOff,
    OutreachSession,
    PartnershipActivity,
    Volunteer,
    VolunteerTraining,
)


class OutreachError(ValidationError):
    """A change the records do not allow; the message says why and what to do."""


def _notes_problems(values: dict[str, str]) -> dict:
    return {
        name: _("Keep this to %(n)s characters or fewer.") % {"n": LONGEST_NOTE}
        for name, text in values.items()
        if len(text) > LONGEST_NOTE
    }


# --- volunteers ----------------------------------------------------------------------------


def _volunteer_problems(details: dict, account: User | None, volunteer: Volunteer | None) -> dict:
    today = timezone.localdate()
    problems = {}
    status = details["status"]
    if not details["full_name"].strip():
        problems["full_name"] = _("Enter the volunteer's full name.")
    if status not in Volunteer.Status.values:
        problems["status"] = _("Choose the volunteer's status from the list.")
    for name in ("applied_on", "background_checked_on", "trained_on"):
        if details.get(name) and details[name] > today:
            problems[name] = _("This date cannot be in the future.")
    if status in Volunteer.CHECKED_STATUSES and not details.get("background_checked_on"):
        problems["background_checked_on"] = _(
            "Enter the date the background check was done: it comes before training and service."
        )
    if status in Volunteer.TRAINED_STATUSES and not details.get("trained_on"):
        problems["trained_on"] = _("Enter the date the volunteer training was completed before marking them %(s)s.") % {
            "s": Volunteer.Status(status).label.lower()
        }
    for name in ("background_checked_on", "trained_on"):
        if details.get(name) and details.get("applied_on") and details[name] < details["applied_on"]:
            problems.setdefault(name, _("This comes after the application, on %(d)s or later.") % {
                "d": date_format(details["applied_on"], "SHORT_DATE_FORMAT")
            })  # fmt: skip
    # The role is checked when an account is linked, not again on every later edit.
    if account is not None and (volunteer is None or volunteer.user_id != account.pk):
        if not account.has_role(Role.VOLUNTEER):
            problems["user"] = _("This account does not have the volunteer role; an administrator can give it.")
        elif Volunteer.objects.filter(user=account).exclude(pk=volunteer.pk if volunteer else None).exists():
            problems["user"] = _("This account already belongs to another volunteer.")
    problems.update(_notes_problems({n: details.get(n, "") for n in ("skills", "availability", "notes")}))
    return problems


@transaction.atomic
def save_volunteer(volunteer: Volunteer | None, *, by: User, details: dict, account: User | None) -> Volunteer:
    """Record a new volunteer (``volunteer`` None) or change one; ``account`` is their sign-in, if any."""
    if not access.holds(by, access.CHANGE_VOLUNTEERS if volunteer else access.ADD_VOLUNTEERS):
        raise PermissionDenied
    unknown = set(details) - set(Volunteer.DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"not volunteer details: {sorted(unknown)}")
    problems = _volunteer_problems(details, account, volunteer)
    if problems:
        raise OutreachError(problems)
    if volunteer is None:
        volunteer = Volunteer(created_by=by)
        reason = Said("volunteer.recorded")
    else:
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        reason = Said("volunteer.changed")
    changed = apply_changes(volunteer, details)
    if volunteer.user_id != (account.pk if account else None):
        volunteer.user = account
        changed.append("user")
    if volunteer.pk is None or changed:
        _save(volunteer, by=by, reason=reason)
    return volunteer


@transaction.atomic
def add_training(volunteer: Volunteer, *, by: User, on: date, topic: str, hours) -> VolunteerTraining:
    if not access.holds(by, access.CHANGE_VOLUNTEERS):
        raise PermissionDenied
    problems = {}
    if on > timezone.localdate():
        problems["on"] = _("Record a training once it has taken place.")
    if not topic.strip():
        problems["topic"] = _("Enter what the training was about.")
    if hours is not None and not 0 <= hours <= LONGEST_TRAINING_HOURS:
        problems["hours"] = _("Enter the hours of one day: from 0 to %(n)s.") % {"n": LONGEST_TRAINING_HOURS}
    if problems:
        raise OutreachError(problems)
    training = VolunteerTraining(volunteer=volunteer, on=on, topic=topic.strip(), hours=hours, recorded_by=by)
    _save(training, by=by, reason=Said("volunteer_training.recorded"))
    return training


# --- sessions -------------------------------------------------------------------------------


@dataclass
class SessionDetails:
    starts_at: datetime
    ends_at: datetime
    town: Town
    venue_types: list[str]
    area: str
    lead: User
    volunteers: list[Volunteer]
    counts: dict[str, int] = field(default_factory=dict)
    incident_notes: str = ""
    notes: str = ""


def _time_problems(details: SessionDetails) -> dict:
    length = elapsed(details.starts_at, details.ends_at)
    if length <= timedelta(0):
        return {
            "ends_at": _("The session ends before it starts. If it went on past midnight, tick 'Ended after midnight'.")
        }
    if length > timedelta(hours=LONGEST_SESSION_HOURS):
        return {"ends_at": _("A session lasts at most %(h)s hours: check the times and the date.") % {
            "h": LONGEST_SESSION_HOURS
        }}  # fmt: skip
    return {}


def _count_problems(counts: dict[str, int]) -> dict:
    problems = {}
    for name in OutreachSession.COUNT_FIELDS:
        value = counts.get(name, 0)
        if value < 0:
            problems[name] = _("A count cannot be negative: enter 0 if there were none.")
        elif value > LARGEST_COUNT:
            problems[name] = _("That is more than %(n)s: check the number.") % {"n": f"{LARGEST_COUNT:,}"}
    if not problems and counts.get("possibly_identified", 0) > counts.get("people_contacted", 0):
        problems["possibly_identified"] = _(
            "More people possibly identified than people contacted: everyone identified was also contacted."
        )
    return problems


def _team_problems(details: SessionDetails, session: OutreachSession | None) -> dict:
    """Volunteers joining who are not active, or volunteers on another session at the same time.

    One already on ``session``'s team stays on it when they have stopped volunteering since:
    correcting a past session must not take them off what they did.
    """
    messages = []
    already = set(session.volunteers.values_list("pk", flat=True)) if session is not None else set()
    for volunteer in details.volunteers:
        if not volunteer.may_serve and volunteer.pk not in already:
            messages.append(
                _("%(name)s cannot join a team while their status is “%(status)s”: only active volunteers go out.")
                % {"name": volunteer.full_name, "status": volunteer.get_status_display().lower()}
            )
    clashes = (
        OutreachSession.objects.filter(
            volunteers__in=details.volunteers, starts_at__lt=details.ends_at, ends_at__gt=details.starts_at
        )
        .exclude(pk=session.pk if session else None)
        .select_related("town")
        .prefetch_related("volunteers")
        .distinct()
    )
    chosen = {volunteer.pk for volunteer in details.volunteers}
    for other in clashes:
        for volunteer in other.volunteers.all():
            if volunteer.pk in chosen:
                start = timezone.localtime(other.starts_at)
                messages.append(
                    _("%(name)s is already on the session in %(town)s from %(time)s on %(day)s.")
                    % {
                        "name": volunteer.full_name,
                        "town": other.town.name,
                        "day": date_format(start.date(), "SHORT_DATE_FORMAT"),
                        "time": time_format(start.time(), "TIME_FORMAT"),
                    }
                )
    return {"volunteers": messages} if messages else {}


def _session_problems(details: SessionDetails, session: OutreachSession | None) -> dict:
    problems = {**_time_problems(details), **_count_problems(details.counts)}
    if not details.venue_types:
        problems["venue_types"] = _("Choose at least one kind of venue.")
    elif any(v not in VenueType.values for v in details.venue_types) or len(set(details.venue_types)) != len(
        details.venue_types
    ):
        problems["venue_types"] = _("Choose the kinds of venue from the list.")
    if not details.area.strip():
        problems["area"] = _("Describe the area in general terms, for example 'Park Street, between Main and Broad'.")
    if not details.lead.has_role(Role.OUTREACH_WORKER):
        problems["lead"] = _("The session is led by an outreach worker.")
    if details.counts.get("safety_incidents", 0) > 0 and not details.incident_notes.strip():
        problems["incident_notes"] = _("Say briefly what happened, so the team can plan the next session safely.")
    problems.update(_notes_problems({"incident_notes": details.incident_notes, "notes": details.notes}))
    if "starts_at" not in problems and "ends_at" not in problems:
        problems.update(_team_problems(details, session))
    return problems


def _values(details: SessionDetails) -> dict:
    return {
        "starts_at": details.starts_at,
        "ends_at": details.ends_at,
        "minutes": int(elapsed(details.starts_at, details.ends_at).total_seconds() // 60),
        "town": details.town,
        "venue_types": list(details.venue_types),
        "area": details.area.strip(),
        "lead": details.lead,
        "incident_notes": details.incident_notes.strip(),
        "notes": details.notes.strip(),
        **{name: details.counts.get(name, 0) for name in OutreachSession.COUNT_FIELDS},
    }


def _lock_volunteers(details: SessionDetails) -> None:
    # Two sessions saved at once with the same volunteer: the second waits here, then sees the first.
    ids = sorted(volunteer.pk for volunteer in details.volunteers)
    locked = {v.pk: v for v in Volunteer.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    details.volunteers = [locked[pk] for pk in ids if pk in locked]


@transaction.atomic
def log_session(*, by: User, details: SessionDetails) -> OutreachSession:
    """Record an outreach session (past, or planned ahead so its team is booked)."""
    if not access.holds(by, access.LOG_SESSIONS):
        raise PermissionDenied
    _lock_volunteers(details)
    problems = _session_problems(details, None)
    if problems:
        raise OutreachError(problems)
    session = OutreachSession(created_by=by, **_values(details))
    _save(session, by=by, reason=Said("session.logged"))
    session.volunteers.set(details.volunteers)
    return session


@transaction.atomic
def change_session(session: OutreachSession, *, by: User, details: SessionDetails) -> OutreachSession:
    """Correct a session; only what changed is written, and an unchanged form writes nothing."""
    if not access.holds(by, access.CHANGE_SESSIONS):
        raise PermissionDenied
    session = OutreachSession.objects.select_for_update().get(pk=session.pk)
    _lock_volunteers(details)
    problems = _session_problems(details, session)
    if problems:
        raise OutreachError(problems)
    values = _values(details)
    changed = apply_changes(session, values)
    team_changed = {v.pk for v in session.volunteers.all()} != {v.pk for v in details.volunteers}
    if changed or team_changed:
        _save(session, by=by, reason=Said("session.changed"))
    if team_changed:
        session.volunteers.set(details.volunteers)
    return session


# --- hand-offs to intake --------------------------------------------------------------------


def _where(session: OutreachSession) -> str:
    return _("Street outreach, %(town)s") % {"town": session.town.name}


@transaction.atomic
def hand_off(session: OutreachSession, *, by: User, request: intake.RequestForHelp) -> HandOff:
    """Pass a person's request for help to a team's intake; keep only that it was passed on.

    ``request`` is built by the caller from what the person agreed to share; its ``where``
    and ``met_on`` are set here from the session.
    """
    if not access.holds(by, access.PASS_TO_INTAKE):
        raise PermissionDenied
    if session.starts_at > timezone.now():
        raise OutreachError(_("This session has not started yet: pass a request on from the session you met them in."))
    request = intake.RequestForHelp(
        **{**vars(request), "where": _where(session), "met_on": timezone.localtime(session.starts_at).date()}
    )
    intake.pass_on(request, by=by)
    handoff = HandOff(session=session, passed_by=by)
    _save(handoff, by=by, reason=Said("handoff.passed"))
    return handoff


# --- partnerships ---------------------------------------------------------------------------


@dataclass
class PartnershipDetails:
    organization: Organization
    kind: str
    on: date
    people_involved: str = ""
    notes: str = ""


def _partnership_problems(details: PartnershipDetails) -> dict:
    problems = {}
    if details.kind not in PartnershipActivity.Kind.values:
        problems["kind"] = _("Choose the type of activity from the list.")
    if details.on > timezone.localdate():
        problems["on"] = _("Record an activity once it has happened.")
    problems.update(_notes_problems({"people_involved": details.people_involved, "notes": details.notes}))
    return problems


@transaction.atomic
def record_partnership(
    activity: PartnershipActivity | None, *, by: User, details: PartnershipDetails
) -> PartnershipActivity:
    """Record a partnership activity (``activity`` None) or correct one."""
    if not access.holds(by, access.CHANGE_PARTNERSHIPS if activity else access.ADD_PARTNERSHIPS):
        raise PermissionDenied
    problems = _partnership_problems(details)
    if problems:
        raise OutreachError(problems)
    values = {**vars(details), "people_involved": details.people_involved.strip(), "notes": details.notes.strip()}
    if activity is None:
        activity = PartnershipActivity(recorded_by=by, **values)
        _save(activity, by=by, reason=Said("partnership.recorded"))
        return activity
    activity = PartnershipActivity.objects.select_for_update().get(pk=activity.pk)
    changed = apply_changes(activity, values)
    if changed:
        _save(activity, by=by, reason=Said("partnership.changed"))
    return activity
