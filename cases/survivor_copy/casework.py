"""What ``cases`` prints in a survivor's copy of the work with them: safety plans, contacts, stages
of change, the releases they signed and the list of their documents.

As in ``record``: each loader reads every enrollment of the copy at once and copies only what is
printed into frozen records; a staff note is loaded only when it is printed.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from cases.models import (
    Contact,
    Document,
    EmergencyNumber,
    Release,
    SafePerson,
    SafePlace,
    SafetyPlan,
    SafetyRisk,
    StageObservation,
)
from cases.printouts import PrintedPerson, PrintedPlace, PrintedRisk
from cases.printouts import _chosen_numbers as chosen_numbers  # the numbers a plan lists, known ones only
from cases.survivor_copy import Scope, by_case

# Safety plans --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CopiedSafetyPlan:
    version: int
    saved_on: date
    review_on: date
    code_word: str
    numbers: tuple[str, ...]  # the numbers the plan lists, by name
    risks: tuple[PrintedRisk, ...]
    people: tuple[PrintedPerson, ...]
    places: tuple[PrintedPlace, ...]
    documents_kept: str
    earlier: int  # how many earlier versions are kept
    staff_note: str  # empty unless staff notes are printed


def safety_plans(scope: Scope) -> dict[int, CopiedSafetyPlan]:
    """Each enrollment's latest safety plan in full, and how many earlier versions are kept: four queries.

    Sensitive: loaded only when the person printing may see it. The people the survivor chose to
    turn to are printed, as on the survivor's own printout; the methods of control are not.
    """
    if not scope.sensitive:
        return {}
    fields = ["case_id", "version", "code_word", "emergency_numbers", "documents_kept", "review_on", "created"]
    versions: dict[int, list[SafetyPlan]] = defaultdict(list)
    plans = SafetyPlan.objects.filter(case_id__in=scope.case_ids)
    for plan in plans.only(*fields, *(["staff_note"] if scope.staff_notes else [])).order_by("case_id", "-version"):
        versions[plan.case_id].append(plan)
    latest = [every[0] for every in versions.values()]
    risks, people, places = _plan_contents([plan.pk for plan in latest])
    names = dict(EmergencyNumber.choices)
    return {
        plan.case_id: CopiedSafetyPlan(
            version=plan.version,
            saved_on=timezone.localdate(plan.created),
            review_on=plan.review_on,
            code_word=plan.code_word,
            numbers=tuple(str(names[number]) for number in chosen_numbers(plan)),
            risks=tuple(risks[plan.pk]),
            people=tuple(people[plan.pk]),
            places=tuple(places[plan.pk]),
            documents_kept=plan.documents_kept,
            earlier=len(versions[plan.case_id]) - 1,
            staff_note=plan.staff_note if scope.staff_notes else "",
        )
        for plan in latest
    }


def _plan_contents(plan_ids: list[int]) -> tuple[dict, dict, dict]:
    """The risks, safe people and safe places of the plans ``plan_ids``, by plan: three queries."""
    risks, people, places = defaultdict(list), defaultdict(list), defaultdict(list)
    for risk in SafetyRisk.objects.filter(plan_id__in=plan_ids).order_by("position", "pk"):
        words = risk.description or str(risk.get_kind_display())
        risks[risk.plan_id].append(PrintedRisk(words, bool(risk.description), risk.strategies))
    for person in SafePerson.objects.filter(plan_id__in=plan_ids).order_by("position", "pk"):
        people[person.plan_id].append(PrintedPerson(person.name, person.relationship, person.phone))
    for place in SafePlace.objects.filter(plan_id__in=plan_ids).order_by("position", "pk"):
        places[place.plan_id].append(PrintedPlace(place.place, place.note))
    return risks, people, places


# Contacts and stages of change ---------------------------------------------------------------


@dataclass(frozen=True)
class CopiedContact:
    at: datetime
    kind: str
    minutes: int | None
    topics: str
    interpreter: bool
    note: str  # empty unless staff notes are printed


def contacts(scope: Scope) -> dict[int, tuple[CopiedContact, ...]]:
    """Every contact, oldest first: one query (the note is loaded only when it is printed)."""
    fields = ["case_id", "occurred_at", "kind", "duration_minutes", "topics", "interpreter_used"]
    rows = (
        Contact.objects.filter(case_id__in=scope.case_ids)
        .only(*fields, *(["note"] if scope.staff_notes else []))
        .order_by("case_id", "occurred_at", "pk")
    )
    return by_case(
        rows,
        lambda contact: CopiedContact(
            at=contact.occurred_at,
            kind=str(contact.get_kind_display()),
            minutes=contact.duration_minutes,
            topics=", ".join(contact.topic_labels),
            interpreter=bool(contact.interpreter_used),
            note=contact.note if scope.staff_notes else "",
        ),
    )


@dataclass(frozen=True)
class CopiedStage:
    observed_on: date
    stage: str
    note: str  # empty unless staff notes are printed


def stages(scope: Scope) -> dict[int, tuple[CopiedStage, ...]]:
    """The stages of change noted, oldest first: one query."""
    rows = StageObservation.objects.filter(case_id__in=scope.case_ids).order_by("case_id", "observed_on", "pk")
    return by_case(
        rows,
        lambda row: CopiedStage(
            observed_on=row.observed_on,
            stage=str(row.get_stage_display()),
            note=row.note if scope.staff_notes else "",
        ),
    )


# Releases and documents ----------------------------------------------------------------------


@dataclass(frozen=True)
class CopiedRelease:
    to: str  # the organization, and the person or body named on it
    information: str
    purpose: str
    signed_on: date
    expires_on: date
    revoked_on: date | None
    status: str  # on the day the copy is printed
    revocation_note: str  # empty unless staff notes are printed


def releases(scope: Scope) -> dict[int, tuple[CopiedRelease, ...]]:
    """Every release of information signed, the latest first: one query. What the survivor signed is
    theirs: to whom, what, why and until when."""
    today = timezone.localdate()
    rows = (
        Release.objects.filter(case_id__in=scope.case_ids)
        .select_related("organization")
        .order_by("case_id", "-signed_on", "-pk")
    )
    statuses = dict(Release.Status.choices)

    def copied(release: Release) -> CopiedRelease:
        organization = release.organization.name if release.organization else ""
        return CopiedRelease(
            to=", ".join(name for name in (organization, release.recipient) if name),
            information=", ".join(release.information_labels),
            purpose=release.purpose,
            signed_on=release.signed_on,
            expires_on=release.expires_on,
            revoked_on=release.revoked_on,
            status=str(statuses[release.status_on(today)]),
            revocation_note=release.revocation_note if scope.staff_notes else "",
        )

    return by_case(rows, copied)


@dataclass(frozen=True)
class CopiedDocument:
    title: str
    kind: str
    uploaded_on: date
    removed_on: date | None
    removal_reason: str  # empty unless staff notes are printed


def documents(scope: Scope) -> dict[int, tuple[CopiedDocument, ...]]:
    """The list of documents kept, oldest first, and those removed: one query. Never a file."""
    rows = (
        Document.objects.filter(case_id__in=scope.case_ids)
        .only("case_id", "kind", "title", "uploaded_at", "deleted_at", "deletion_reason")
        .order_by("case_id", "uploaded_at", "pk")
    )
    return by_case(
        rows,
        lambda document: CopiedDocument(
            title=document.get_title_display(),
            kind=str(document.get_kind_display()),
            uploaded_on=timezone.localdate(document.uploaded_at),
            removed_on=timezone.localdate(document.deleted_at) if document.deleted_at else None,
            removal_reason=document.deletion_reason if scope.staff_notes else "",
        ),
    )
