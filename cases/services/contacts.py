"""Contacts with the survivor, how often someone should be in touch, and the stages of change."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case as CaseWhen  # the name Case is the model's
from django.db.models import DateField, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bloom.accounts.models import User
from bloom.notifications.services import Notice, notify, settle
from bloom.said import Said
from cases import queries
from cases.models import (
    DEFAULT_CONTACT_CADENCE_DAYS,
    LONGEST_CONTACT_CADENCE_DAYS,
    LONGEST_CONTACT_MINUTES,
    Case,
    Contact,
    Service,
    ServiceEvent,
    StageObservation,
    StageOfChange,
)
from cases.services.common import apply_changes as _apply
from cases.services.common import delete as _delete
from cases.services.common import save as _save


class ContactError(ValidationError):
    """A contact, cadence or stage of change the case does not allow; the message says why.

    Raised with the form field it concerns (``{"occurred_at": message}``), so a form can
    show it next to that field.
    """


@transaction.atomic
def log_contact(
    case: Case,
    *,
    by: User,
    kind: str,
    occurred_at: datetime,
    initiated_by: str,
    duration_minutes: int | None = None,
    topics: Iterable[str] = (),
    note: str = "",
    interpreter_used: bool | None = None,
    services: Iterable[Service] = (),
    next_contact_on: date | None = None,
) -> Contact:
    """Record a contact with the survivor, or an attempt to reach them, and the services given on it.

    ``interpreter_used`` is None when nobody asked; ``next_contact_on`` is the day agreed for
    the next contact, if one was. Refused with ``ContactError`` for a time later than now or
    before the intake date, a service not offered, or an agreed day that is not after the
    contact's day, is further than the longest cadence from it, or comes with a contact older
    than the case's latest (the latest contact holds what was agreed last).
    Side effects: each service ticked is a ``ServiceEvent`` on the contact's local day.
    A contact that reached the survivor ends the quiet spell: the case's overdue-contact reminders are marked done.
    The agreed day becomes the case's ``next_contact_on``, its due day (``store_last_contact``), with history.
    Without a day, a contact that reached the survivor clears an earlier agreed day (a new spell, and the cadence
    counts from it); an attempt leaves it, passed or not: trying is not the contact agreed, so the case stays due
    until someone reaches the survivor or a new day is agreed.
    """
    contact = Contact(case=case, recorded_by=by)
    values = _checked(
        case,
        kind=kind,
        occurred_at=occurred_at,
        initiated_by=initiated_by,
        duration_minutes=duration_minutes,
        topics=topics,
        note=note,
        interpreter_used=interpreter_used,
    )
    given = _checked_services(services, already=())
    _check_next_contact(timezone.localdate(occurred_at), next_contact_on)
    _apply(contact, values)
    _save(contact, by=by, reason=Said("contact.logged"))
    _match_services(contact, given, by=by)
    _agree_next_contact(case, contact, next_contact_on, by=by, clears=contact.reached)
    store_last_contact(case)
    if contact.reached:
        settle(dedupe_prefix=contact_overdue_key(case))
    return contact


@transaction.atomic
def correct_contact(
    contact: Contact,
    *,
    by: User,
    kind: str,
    occurred_at: datetime,
    initiated_by: str,
    duration_minutes: int | None,
    topics: Iterable[str],
    note: str,
    interpreter_used: bool | None,
    services: Iterable[Service],
    next_contact_on: date | None = None,
) -> Contact:
    """Correct a contact entered by mistake; history keeps the values it had.

    The same rules as ``log_contact``; a service no longer offered may stay ticked if it
    already was. Only the fields that changed are written, and an unchanged form writes
    nothing. ``next_contact_on`` is what the correction form shows: on the case's latest
    contact, the case's agreed day, which it replaces (None clears it); on an earlier
    contact nothing, and a day given there is refused as in ``log_contact``.
    Side effects: service events are added and removed to match ``services`` and moved to
    the contact's new day, each with a history row; as ``log_contact``, reminders and the
    agreed day. The last contact and the due date are stored again (``store_last_contact``):
    an agreed day no later than the spell's first day no longer counts.
    """
    contact = Contact.objects.select_for_update(of=("self",)).select_related("case").get(pk=contact.pk)
    values = _checked(
        contact.case,
        kind=kind,
        occurred_at=occurred_at,
        initiated_by=initiated_by,
        duration_minutes=duration_minutes,
        topics=topics,
        note=note,
        interpreter_used=interpreter_used,
    )
    events = list(contact.service_events.select_for_update().select_related("service"))
    given = _checked_services(services, already=[event.service for event in events])
    _check_next_contact(timezone.localdate(occurred_at), next_contact_on)
    changed = _apply(contact, values)
    if changed:
        _save(contact, by=by, reason=Said("contact.corrected", fields=changed), fields=changed)
    _match_services(contact, given, by=by, events=events)
    _agree_next_contact(contact.case, contact, next_contact_on, by=by, clears=True)
    store_last_contact(contact.case)
    if contact.reached:
        settle(dedupe_prefix=contact_overdue_key(contact.case))
    return contact


def _checked_services(services: Iterable[Service], *, already: Iterable[Service]) -> list[Service]:
    """The services ticked, each once and offered (or ``already`` on the contact)."""
    services = list(services)
    pks = [service.pk for service in services]
    if len(set(pks)) != len(pks) or None in pks:
        raise ContactError({"services": _("Choose each service once, from the list.")})
    kept = {service.pk for service in already}
    offered = set(Service.objects.filter(pk__in=set(pks) - kept, is_active=True).values_list("pk", flat=True))
    missing = [service for service in services if service.pk not in kept | offered]
    if missing:
        raise ContactError(
            {"services": _("“%(service)s” is no longer offered. Untick it.") % {"service": missing[0].name}}
        )
    return services


def _match_services(contact: Contact, services: list[Service], *, by: User, events=()) -> None:
    """Make the contact's service events exactly ``services``, on the contact's local day."""
    day = timezone.localdate(contact.occurred_at)
    wanted = {service.pk: service for service in services}
    current = {event.service_id: event for event in events}
    for service_pk, event in current.items():
        if service_pk not in wanted:
            _delete(event, by=by, reason=Said("service_event.unticked", service=event.service_id))
        elif event.provided_on != day:
            event.provided_on = day
            _save(event, by=by, reason=Said("service_event.moved"), fields=["provided_on"])
    for service_pk, service in wanted.items():
        if service_pk not in current:
            event = ServiceEvent(
                case_id=contact.case_id, service=service, provided_on=day, contact=contact, recorded_by=by
            )
            _save(event, by=by, reason=Said("service_event.given", service=service))


def _checked(case: Case, *, kind, occurred_at, initiated_by, duration_minutes, topics, note, interpreter_used) -> dict:
    if kind not in Contact.Kind.values:
        raise ContactError({"kind": _("Choose the type of contact.")})
    if initiated_by not in Contact.Initiator.values:
        raise ContactError({"initiated_by": _("Choose who initiated it.")})
    if occurred_at > timezone.now():
        raise ContactError({"occurred_at": _("A contact cannot be in the future. Check the date and time.")})
    _check_not_before_intake(case, timezone.localdate(occurred_at), "occurred_at")
    if duration_minutes is not None and not 0 <= duration_minutes <= LONGEST_CONTACT_MINUTES:
        raise ContactError(
            {"duration_minutes": _("Give a duration of %(most)s minutes or less.") % {"most": LONGEST_CONTACT_MINUTES}}
        )
    topics = list(topics)
    if len(set(topics)) != len(topics) or not set(topics) <= set(Contact.Topic.values):
        raise ContactError({"topics": _("Choose each topic once, from the list.")})
    if interpreter_used not in (True, False, None):
        raise ContactError({"interpreter_used": _("Choose yes, no or not asked.")})
    return {
        "kind": kind,
        "occurred_at": occurred_at,
        "initiated_by": initiated_by,
        "duration_minutes": duration_minutes,
        # In the list's order, so the same topics always read (and compare) the same.
        "topics": [topic for topic in Contact.Topic.values if topic in topics],
        "note": note,
        "interpreter_used": interpreter_used,
    }


def _check_next_contact(day: date, next_contact_on: date | None) -> None:
    """Refuse an agreed next contact that is not after the contact's ``day`` or is absurdly far from it."""
    if next_contact_on is None:
        return
    if next_contact_on <= day:
        raise ContactError(
            {"next_contact_on": _("Give a day after this contact (%(date)s).") % {"date": date_format(day)}}
        )
    latest = day + timedelta(days=LONGEST_CONTACT_CADENCE_DAYS)
    if next_contact_on > latest:
        raise ContactError(
            {
                "next_contact_on": _("Give a day within %(most)s days of this contact: %(date)s at the latest.")
                % {"most": LONGEST_CONTACT_CADENCE_DAYS, "date": date_format(latest)}
            }
        )


def _agree_next_contact(case: Case, contact: Contact, next_contact_on: date | None, *, by: User, clears: bool) -> None:
    """Make ``next_contact_on`` the case's agreed day when ``contact`` (saved) is its latest contact.

    A day given with an earlier contact is refused: it would replace what was agreed since.
    Without a day, the case's agreed day is cleared only if ``clears`` (see the services).
    """
    if next_contact_on is None and (case.next_contact_on is None or not clears):
        return  # nothing to agree or to clear: no query
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if next_contact_on == locked.next_contact_on:
        return
    later = locked.contacts.filter(occurred_at__gt=contact.occurred_at).order_by("-occurred_at").first()
    if later is not None:
        if next_contact_on is None:
            return
        raise ContactError(
            {
                "next_contact_on": _("A later contact is recorded (%(date)s): give the next contact's day on that one.")
                % {"date": date_format(timezone.localdate(later.occurred_at))}
            }
        )
    locked.next_contact_on = case.next_contact_on = next_contact_on
    reason = (
        Said("case.next_contact_agreed", day=next_contact_on) if next_contact_on else Said("case.next_contact_cleared")
    )
    _save(locked, by=by, reason=reason, fields=["next_contact_on"])


def agreed_next_contact(contact: Contact) -> date | None:
    """The case's agreed next contact if ``contact`` is its latest contact, else None: what a correction shows."""
    case = contact.case
    if case.next_contact_on is None or case.contacts.filter(occurred_at__gt=contact.occurred_at).exists():
        return None
    return case.next_contact_on


def _check_not_before_intake(case: Case, day: date, field: str) -> None:
    if day < case.opened_on:
        raise ContactError(
            {field: _("This is before the intake date (%(date)s).") % {"date": date_format(case.opened_on)}}
        )


@transaction.atomic
def set_contact_cadence(case: Case, *, by: User, days: int) -> Case:
    """Set how many days may pass without reaching the survivor before a reminder is sent.

    The next reminder run uses it: a shorter cadence can make the case overdue at once.
    Side effect: the case's due date is stored again (``store_last_contact``).
    """
    if not 1 <= days <= LONGEST_CONTACT_CADENCE_DAYS:
        raise ContactError(
            {"days": _("Give a number of days from 1 to %(most)s.") % {"most": LONGEST_CONTACT_CADENCE_DAYS}}
        )
    case = Case.objects.select_for_update().get(pk=case.pk)
    if _apply(case, {"contact_cadence_days": days}):
        _save(case, by=by, reason=Said("case.cadence_set", days=days), fields=["contact_cadence_days"])
        store_last_contact(case)
    return case


def store_last_contact(case: Case) -> None:
    """Store on ``case`` its last contact that reached the survivor and its due date; see ``store_last_contacts``."""
    store_last_contacts(Case.objects.filter(pk=case.pk))


def store_last_contacts(cases: QuerySet[Case]) -> int:
    """Store on each of ``cases`` what every list reads of its contacts (``queries.with_last_contact``).

    ``last_contact_at`` from the contacts; then, from the case's own columns, the due date:
    the agreed ``next_contact_on`` while it is later than the quiet spell's first day
    (``next_contact_agreed``), else that day plus the cadence. Called inside the transaction
    of every write that can change them (a contact recorded or corrected, the agreed day, the
    cadence, the enrolment and intake dates) and after a bulk insert. Two UPDATEs, whatever
    the number of cases; written with ``update()``, so no history row: they follow from rows
    that have theirs. Returns how many cases were written.

    The cases' rows are locked first: an UPDATE reads its subquery as the database stood when
    the statement began, so two contacts logged at once on one case could each miss the other's.
    Once the lock is held, the other transaction has committed and its contact is seen.
    """
    list(cases.select_for_update().values_list("pk", flat=True))
    reached = Contact.objects.filter(case=OuterRef("pk"), kind__in=Contact.REACHED).order_by("-occurred_at")
    cases.update(last_contact_at=Subquery(reached.values("occurred_at")[:1]))
    since = queries.quiet_since()
    agreed = Q(next_contact_on__isnull=False, next_contact_on__gt=since)
    return cases.update(
        next_contact_agreed=CaseWhen(When(agreed, then=Value(True)), default=Value(False)),
        contact_due_on=CaseWhen(
            When(agreed, then=F("next_contact_on")),
            default=queries.AddDays(since, F("contact_cadence_days")),
            output_field=DateField(),
        ),
    )


def default_contact_cadence() -> int:
    """The cadence a new case starts with: ``BLOOM_CONTACT_REMINDER_DAYS``, kept within the allowed range."""
    days = getattr(settings, "BLOOM_CONTACT_REMINDER_DAYS", DEFAULT_CONTACT_CADENCE_DAYS)
    return max(1, min(days, LONGEST_CONTACT_CADENCE_DAYS))


@transaction.atomic
def record_stage(case: Case, *, by: User, stage: str, observed_on: date, note: str = "") -> StageObservation:
    """Record where the survivor seemed to stand in the stages of change on a given day.

    Refused with ``ContactError`` for a day in the future or before the intake date.
    """
    if stage not in StageOfChange.values:
        raise ContactError({"stage": _("Choose a stage of change.")})
    if observed_on > timezone.localdate():
        raise ContactError({"observed_on": _("The date cannot be in the future.")})
    _check_not_before_intake(case, observed_on, "observed_on")
    observation = StageObservation(case=case, stage=stage, observed_on=observed_on, note=note, recorded_by=by)
    _save(observation, by=by, reason=Said("stage.recorded", stage=stage))
    return observation


def contact_overdue_key(case: Case) -> str:
    return f"contact-overdue:{case.pk}:"


def send_contact_reminders(*, today: date | None = None) -> int:
    """Notify the assigned specialists of each active case not reached for its contact cadence.

    The quiet spell counts from the last contact that reached the survivor or, with none
    since, from the day the case was enrolled or reopened. One notification per specialist
    per quiet spell (the key holds the day it began): running this twice makes no
    duplicate. A fixed number of queries however many cases. Returns how many are new.
    """
    today = today or timezone.localdate()
    cases = (
        queries.cases_without_recent_contact(Case.objects.all(), as_of=today)
        .select_related("survivor")
        .prefetch_related("assignments")
    )
    notices = [
        Notice(
            recipient_id=assignment.specialist_id,
            kind="contact overdue",
            data={"code": case.survivor.client_code, "since": case.last_contact_on.isoformat()},
            url=reverse("cases:detail", args=[case.pk]),
            dedupe_key=f"{contact_overdue_key(case)}{case.last_contact_on.isoformat()}",
        )
        for case in cases
        for assignment in case.assignments.all()
    ]
    return notify(notices)
