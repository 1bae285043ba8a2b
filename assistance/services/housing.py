"""Housing placements: emergency shelter up to two months, transitional up to eight, then long-term.

A case has at most one open stay. Recording a new one while a stay is open ends that stay
on the new start date (moving from a shelter into transitional housing is one step). A
provider that runs an emergency shelter or transitional housing is never recorded as
long-term housing (DOMAIN.md). Those who work the case are reminded as a limited stay nears
its limit, and once it has passed it.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assistance import access
from assistance.models import HousingPlacement
from assistance.services.common import AssistanceError, check_served, day, max_length, too_long
from bloom.accounts.models import User
from bloom.directory.models import Organization
from bloom.notifications.models import Notification
from bloom.notifications.services import Notice, notify, settle
from bloom.said import Said
from bloom.times import add_months
from cases import permissions
from cases.models import Case
from cases.services.common import apply_changes as _apply
from cases.services.common import save as _save

Kind = HousingPlacement.Kind
Exit = HousingPlacement.Exit
# The longest a stay of each limited kind lasts (DOMAIN.md), and how long before its limit
# those who work the case are told.
LIMIT_MONTHS = {Kind.EMERGENCY: 2, Kind.TRANSITIONAL: 8}
NOTICE_DAYS = {Kind.EMERGENCY: 14, Kind.TRANSITIONAL: 30}
NOTE_LONGEST = 4000
# Where a stay ended when the next one begins.
NEXT_STAY = {
    Kind.EMERGENCY: Exit.EMERGENCY,
    Kind.TRANSITIONAL: Exit.TRANSITIONAL,
    HousingPlacement.LongTerm.RENTAL: Exit.RENTAL,
    HousingPlacement.LongTerm.FAMILY: Exit.FAMILY,
    HousingPlacement.LongTerm.REPATRIATION: Exit.REPATRIATION,
}


def limit_of(kind: str, started_on: date) -> date | None:
    """The last day a stay of ``kind`` begun on ``started_on`` may last; ``None`` for long-term housing."""
    months = LIMIT_MONTHS.get(kind)
    return add_months(started_on, months) if months else None


def limit_key(placement: HousingPlacement) -> str:
    return f"housing-limit:{placement.pk}:"


@dataclass(frozen=True)
class StayDetails:
    kind: str
    long_term: str
    provider: Organization | None
    provider_name: str
    started_on: date
    expected_end: date | None
    note: str = ""


def _expected_end_problem(kind: str, started_on: date, expected_end: date | None) -> str | None:
    """Why ``expected_end`` does not fit a stay of ``kind`` begun on ``started_on`` (``None`` if it does)."""
    limit = limit_of(kind, started_on)
    if expected_end is None:
        if limit:
            return _("Give the expected end; %(kind)s lasts up to %(months)s months.") % {
                "kind": Kind(kind).label.lower(),
                "months": LIMIT_MONTHS[kind],
            }
        return None
    if expected_end < started_on:
        return _("The expected end is before the start.")
    if limit and expected_end > limit:
        return _("%(kind)s lasts up to %(months)s months: until %(limit)s at the latest.") % {
            "kind": Kind(kind).label,
            "months": LIMIT_MONTHS[kind],
            "limit": day(limit),
        }
    return None


def housing_providers() -> QuerySet[Organization]:
    """Active directory organizations that house people: a shelter, a transitional program, or housing services."""
    return Organization.objects.filter(
        Q(housing_program__gt="") | Q(kind=Organization.Kind.HOUSING), is_active=True
    ).order_by("name")


def _check(details: StayDetails, *, today: date) -> dict:
    errors = {}
    if details.kind not in Kind.values:
        return {"kind": _("Choose the kind of housing.")}
    if details.provider and not housing_providers().filter(pk=details.provider.pk).exists():
        errors["provider"] = _("%(provider)s does not house people, or is no longer active, in the directory.") % {
            "provider": details.provider.name
        }
    if details.kind == Kind.LONG_TERM:
        if details.long_term not in HousingPlacement.LongTerm.values:
            errors["long_term"] = _("Say what the long-term housing is: renting, with family, or repatriated.")
        if details.provider and details.provider.housing_program and "provider" not in errors:
            errors["provider"] = _(
                "%(provider)s runs %(program)s; a shelter or transitional program is never long-term housing."
            ) % {"provider": details.provider.name, "program": details.provider.get_housing_program_display().lower()}
    else:
        if details.long_term:
            errors["long_term"] = _("Only long-term housing has this; leave it empty.")
        if not details.provider and not details.provider_name.strip():
            errors["provider"] = _("Name the shelter or program.")
    if details.provider and details.provider_name.strip():
        errors["provider_name"] = _("Choose the provider from the directory or write its name, not both.")
    errors |= too_long(
        {"provider_name": max_length(HousingPlacement, "provider_name")}, provider_name=details.provider_name
    )
    if details.started_on > today:
        # A stay not yet begun has no limit to check its end against (nor one past the calendar).
        errors["started_on"] = _("Record a stay once it has begun.")
    elif problem := _expected_end_problem(details.kind, details.started_on, details.expected_end):
        errors["expected_end"] = problem
    if len(details.note) > NOTE_LONGEST:
        errors["note"] = _("Keep the note to %(most)s characters or fewer.") % {"most": NOTE_LONGEST}
    return errors


@transaction.atomic
def place(case: Case, *, by: User, details: StayDetails) -> HousingPlacement:
    """Record a new stay for ``case``; an open stay ends on the day this one begins.

    Refused with ``AssistanceError`` (by field) for a provider that does not house people
    or is no longer active, a shelter or transitional provider as long-term housing, a
    provider's name longer than the form allows, an expected end past the kind's limit or
    before the start, a start in the future or before the case's latest stay began or
    ended; and for a case that is not being served.
    """
    case = Case.objects.select_for_update(of=("self",)).select_related("survivor").get(pk=case.pk)
    if not access.may_house(by, permissions.case_perms(by, case)):
        raise PermissionDenied
    check_served(case)
    errors = _check(details, today=timezone.localdate())
    latest = case.housing_placements.order_by("-started_on", "-pk").first()
    if latest and "started_on" not in errors:
        since = latest.started_on if latest.is_open else latest.ended_on
        if details.started_on < since or (latest.is_open and details.started_on == latest.started_on):
            errors["started_on"] = _(
                "The stay before this one (%(kind)s) began or ended on %(day)s; start after it."
            ) % {
                "kind": latest.get_kind_display().lower(),
                "day": day(since),
            }
    if errors:
        raise AssistanceError(errors)
    if latest and latest.is_open:
        latest.ended_on = details.started_on
        latest.exit_destination = NEXT_STAY[details.long_term or details.kind]
        _save(latest, by=by, reason=Said("housing.moved_on"), fields=["ended_on", "exit_destination"])
        settle(dedupe_prefix=limit_key(latest))
    placement = HousingPlacement(
        case=case,
        kind=details.kind,
        long_term=details.long_term,
        provider=details.provider,
        provider_name=details.provider_name.strip(),
        started_on=details.started_on,
        expected_end=details.expected_end,
        note=details.note.strip(),
        recorded_by=by,
    )
    _save(placement, by=by, reason=Said("housing.recorded"))
    return placement


@dataclass(frozen=True)
class StayChange:
    expected_end: date | None
    ended_on: date | None
    exit_destination: str
    note: str


@transaction.atomic
def change_stay(placement: HousingPlacement, *, by: User, change: StayChange) -> HousingPlacement:
    """Move a stay's expected end (within its limit), end it with where the survivor went, or correct the note.

    Refused with ``AssistanceError`` (by field) for an expected end past the limit or
    before the start, an end before the start or in the future, or an end without a
    destination (or a destination without an end).
    """
    placement = HousingPlacement.objects.select_for_update().select_related("case").get(pk=placement.pk)
    if not access.may_house(by, permissions.case_perms(by, placement.case)):
        raise PermissionDenied
    errors = {}
    if problem := _expected_end_problem(placement.kind, placement.started_on, change.expected_end):
        errors["expected_end"] = problem
    errors |= _end_problems(placement, change)
    if len(change.note) > NOTE_LONGEST:
        errors["note"] = _("Keep the note to %(most)s characters or fewer.") % {"most": NOTE_LONGEST}
    if errors:
        raise AssistanceError(errors)
    values = {
        "expected_end": change.expected_end,
        "ended_on": change.ended_on,
        "exit_destination": change.exit_destination if change.ended_on else "",
        "note": change.note.strip(),
    }
    if changed := _apply(placement, values):
        reason = Said("housing.ended" if "ended_on" in changed else "housing.changed")
        _save(placement, by=by, reason=reason, fields=changed)
    if placement.ended_on:
        settle(dedupe_prefix=limit_key(placement))
    return placement


def _end_problems(placement: HousingPlacement, change: StayChange) -> dict:
    errors = {}
    if change.ended_on:
        if change.ended_on < placement.started_on:
            errors["ended_on"] = _("The stay cannot end before it began (%(day)s).") % {
                "day": day(placement.started_on)
            }
        elif change.ended_on > timezone.localdate():
            errors["ended_on"] = _("Record the end once it has happened.")
        elif placement.case.housing_placements.filter(
            started_on__gt=placement.started_on, started_on__lt=change.ended_on
        ).exists():
            errors["ended_on"] = _("A later stay began before this date.")
        if change.exit_destination not in Exit.values:
            errors["exit_destination"] = _("Say where the survivor went.")
    elif change.exit_destination:
        errors["ended_on"] = _("Give the day the stay ended.")
    elif not placement.is_open:
        errors["ended_on"] = _("An ended stay stays ended; give the day it ended.")
    return errors


def latest_start(limit_by: date, months: int) -> date:
    """The last day a stay may have begun whose limit (``months`` after it) falls on ``limit_by`` or before.

    The limit of a stay begun on the 29th to the 31st of a month lands on the last day of a
    shorter month, so when ``limit_by`` is a month's last day, the whole month ``months``
    before it counts.
    """
    if limit_by.day == calendar.monthrange(limit_by.year, limit_by.month)[1]:
        first_after = add_months(limit_by.replace(day=1), -months + 1)
        return first_after - timedelta(days=1)
    return add_months(limit_by, -months)


def near_limit(today: date) -> Q:
    """Open limited stays whose limit falls within its notice of ``today``, or has passed: the one
    rule of the reminders and of the dashboards' count, exact in SQL (``latest_start``)."""
    started = Q()
    for kind, months in LIMIT_MONTHS.items():
        started |= Q(kind=kind, started_on__lte=latest_start(today + timedelta(days=NOTICE_DAYS[kind]), months))
    return started & Q(ended_on__isnull=True)


def stays_near_limit(*, today: date) -> list[tuple[HousingPlacement, date]]:
    """Open limited stays on cases being served whose limit is within its notice, with the limit."""
    placements = (
        HousingPlacement.objects.filter(near_limit(today))
        .filter(case__status__in=[Case.Status.INTAKE, *Case.ACTIVE_STATUSES])
        .select_related("case__survivor", "case__team")
        .prefetch_related(*(f"case__{name}" for name in permissions.TO_REMIND_PREFETCH))
    )
    return [(placement, limit_of(placement.kind, placement.started_on)) for placement in placements]


def send_limit_reminders(*, today: date | None = None) -> int:
    """Tell those who work each case (``cases.permissions.to_remind``) that a stay nears its limit, and once it passed.

    One notification per person, stay and step (near, passed): running it daily makes no
    duplicate; ending the stay settles them. The text names the client code and the date,
    never the survivor. A fixed number of queries however many stays. Returns how many are new.
    """
    today = today or timezone.localdate()
    notices, passed_keys = [], []
    for placement, limit in stays_near_limit(today=today):
        passed = limit < today
        kind = Notification.Kind.HOUSING_LIMIT_PASSED if passed else Notification.Kind.HOUSING_LIMIT_NEAR
        data = {"code": placement.case.survivor.client_code, ("since" if passed else "until"): limit.isoformat()}
        url = reverse("assistance:case", args=[placement.case_id])
        notices += [
            Notice(recipient_id=pk, kind=kind, data=data, url=url, dedupe_key=f"{limit_key(placement)}{kind}")
            for pk in permissions.to_remind(placement.case)
        ]
        if passed:
            passed_keys.append(f"{limit_key(placement)}{Notification.Kind.HOUSING_LIMIT_NEAR}")
    if passed_keys:  # the limit has passed: "near its limit" is said, and done with
        Notification.objects.filter(dedupe_key__in=passed_keys, read_at__isnull=True).update(read_at=timezone.now())
    return notify(notices)
