"""Safety plans: saving a new version, reading the versions back, and the review reminder.

A plan is never edited. A review saves a complete new version (the risks and their
strategies, safe people and places, code word, emergency numbers, where documents are kept,
the review date, a note for staff) and the earlier versions stay exactly as they were. The
contents are sensitive: writing them needs change access to the case and the
sensitive-details permission; reading them is checked by the views through
``cases.permissions``. Notifications about a plan carry only the client code and a date.
"""

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bloom.accounts.models import User
from bloom.notifications.models import Notification
from bloom.notifications.services import Notice, notify, settle
from bloom.said import Said
from bloom.vocabulary import ControlMethod
from cases import permissions
from cases.models import (
    ADULT_AGE,
    SAFETY_NUMBERS,
    TRAFFICKER_RISKS,
    Case,
    EmergencyNumber,
    RiskKind,
    RiskSource,
    SafePerson,
    SafePlace,
    SafetyPlan,
    SafetyRisk,
)
from cases.services.common import save as _save

# A plan can be saved while the case is in intake or active; a closed or not-enrolled
# case keeps its plans as they were.
PLANNABLE_STATUSES = (Case.Status.INTAKE, *Case.ACTIVE_STATUSES)
# The specialists are reminded from this many days before the review date.
REVIEW_NOTICE_DAYS = 7
# How far ahead a review may be set: a plan left for longer than a year is no plan.
LONGEST_REVIEW_MONTHS = 12
# The longest text each part takes (the forms cap them the same way).
LONGEST = {
    "code_word": 100,
    "documents_kept": 2000,
    "staff_note": 5000,
    "description": 5000,
    "strategies": 5000,
    "name": 200,
    "relationship": 200,
    "phone": 40,
    "place": 200,
    "note": 300,
}
EMPTY_PLAN = gettext_lazy("A safety plan needs at least one risk with its strategies, a safe person or a safe place.")


class SafetyPlanError(ValidationError):
    """A safety plan the rules do not allow; the message says why.

    Raised with the field it concerns where there is one (``{"review_on": message}``); a
    problem with one risk, person or place is keyed ``risks``, ``safe_people`` or
    ``safe_places`` and its message says which one.
    """


# Rules the form checks too -------------------------------------------------------------------


def latest_review(today: date) -> date:
    """The latest review date allowed on ``today``: a year ahead (28 February for 29 February)."""
    year = today.year + LONGEST_REVIEW_MONTHS // 12
    return date(year, today.month, min(today.day, calendar.monthrange(year, today.month)[1]))


def review_date_problem(review_on: date, *, today: date) -> str | None:
    """What is wrong with a review date chosen on ``today``, if anything."""
    if review_on < today:
        return _("The review date cannot be in the past.")
    if review_on > latest_review(today):
        return _("Set a review date within a year, by %(date)s at the latest.") % {
            "date": date_format(latest_review(today))
        }
    return None


def risk_problems(*, source: str, kind: str, methods: Sequence[str], strategies: str) -> dict[str, str]:
    """What is wrong with one risk, by field name (empty when nothing is)."""
    problems = {}
    if source not in RiskSource.values:
        problems["source"] = _("Choose where the risk comes from.")
    if kind not in RiskKind.values:
        problems["kind"] = _("Choose the risk.")
    elif source == RiskSource.TRAFFICKER and kind not in TRAFFICKER_RISKS:
        problems["kind"] = _("This risk comes from life circumstances, not from the trafficker. Choose one that fits.")
    elif source == RiskSource.LIFE and kind in TRAFFICKER_RISKS:
        problems["kind"] = _("This risk comes from the trafficker, not from life circumstances. Choose one that fits.")
    methods = list(methods)
    if methods and source != RiskSource.TRAFFICKER:
        problems["methods"] = _("Methods of control belong only to a risk from the trafficker.")
    elif len(set(methods)) != len(methods) or not set(methods) <= set(ControlMethod.values):
        problems["methods"] = _("Choose each method of control once, from the list.")
    if not strategies.strip():
        problems["strategies"] = _("Write the strategies agreed against this risk.")
    return problems


def default_numbers(case: Case) -> list[str]:
    """The numbers a first plan lists: 911 and the hotline, and the Careline for someone under 18."""
    numbers = [EmergencyNumber.EMERGENCY, EmergencyNumber.HOTLINE]
    age = case.survivor.age
    if age is not None and age < ADULT_AGE:
        numbers.append(EmergencyNumber.CARELINE)
    return [str(number) for number in numbers]


def in_list_order(values: Iterable[str], choices) -> list[str]:
    """``values`` in the order of the pick-list, so the same choice always reads (and compares) the same."""
    chosen = set(values)
    return [value for value in choices.values if value in chosen]


# Saving a version ------------------------------------------------------------------------------


@transaction.atomic
def save_safety_plan(
    case: Case,
    *,
    by: User,
    risks: Sequence[Mapping],
    people: Sequence[Mapping],
    places: Sequence[Mapping],
    review_on: date,
    code_word: str = "",
    emergency_numbers: Sequence[str] = (),
    documents_kept: str = "",
    staff_note: str = "",
) -> SafetyPlan:
    """Save a new, complete version of ``case``'s safety plan: the previous version number plus one.

    ``risks`` hold ``source``, ``kind``, ``methods``, ``description`` and ``strategies``;
    ``people`` hold ``name``, ``relationship`` and ``phone``; ``places`` hold ``place`` and
    ``note``. Refused with ``PermissionDenied`` without change access and the
    sensitive-details permission on the case; with ``SafetyPlanError`` on a closed or
    not-enrolled case, for a plan with nothing in it, a risk whose kind does not fit its
    source, methods of control on a risk from life, a risk without strategies, a person
    without a name or a place without its name, an unknown emergency number, text longer
    than its limit, or a review date in the past or more than a year ahead.
    Side effects: the case row is locked, so two saves at once get consecutive versions;
    every row leaves a history row; the case's review reminders are marked done.
    """
    case = Case.objects.select_for_update(of=("self",)).select_related("survivor").get(pk=case.pk)
    perms = permissions.case_perms(by, case)
    if not {permissions.CHANGE, permissions.SEE_SENSITIVE} <= perms:
        raise PermissionDenied
    if case.status not in PLANNABLE_STATUSES:
        raise SafetyPlanError(_("This case is not open, so its safety plan can be read but not changed."))
    risks = [_checked_risk(risk, number) for number, risk in enumerate(risks, start=1)]
    people = [_checked_person(person, number) for number, person in enumerate(people, start=1)]
    places = [_checked_place(place, number) for number, place in enumerate(places, start=1)]
    values = _checked_plan(
        code_word=code_word,
        emergency_numbers=emergency_numbers,
        documents_kept=documents_kept,
        staff_note=staff_note,
        review_on=review_on,
    )
    if not (risks or people or places or values["code_word"] or values["documents_kept"]):
        raise SafetyPlanError(str(EMPTY_PLAN))
    version = (case.safety_plans.aggregate(top=Max("version"))["top"] or 0) + 1
    plan = SafetyPlan(case=case, version=version, created_by=by, **values)
    _save(plan, by=by, reason=Said("safety_plan.saved", version=version))
    part = Said("safety_plan.part", version=version)
    for position, risk in enumerate(risks):
        _save(SafetyRisk(plan=plan, position=position, **risk), by=by, reason=part)
    for position, person in enumerate(people):
        _save(SafePerson(plan=plan, position=position, **person), by=by, reason=part)
    for position, place in enumerate(places):
        _save(SafePlace(plan=plan, position=position, **place), by=by, reason=part)
    # The plan was reviewed: whatever earlier version was due is settled.
    settle(dedupe_prefix=review_key(case))
    return plan


def _too_long(values: Mapping[str, str], where: str, field: str | None = None) -> None:
    for name, value in values.items():
        if len(value) > LONGEST[name]:
            message = _("%(where)sWrite at most %(most)s characters.") % {"where": where, "most": LONGEST[name]}
            raise SafetyPlanError({field or name: message})


def _checked_risk(risk: Mapping, number: int) -> dict:
    where = _("Risk %(number)s: ") % {"number": number}
    source, kind = str(risk.get("source", "")), str(risk.get("kind", ""))
    methods = [str(m) for m in risk.get("methods", ())]
    description, strategies = str(risk.get("description", "")).strip(), str(risk.get("strategies", "")).strip()
    problems = risk_problems(source=source, kind=kind, methods=methods, strategies=strategies)
    if problems:
        raise SafetyPlanError({"risks": [where + message for message in problems.values()]})
    _too_long({"description": description, "strategies": strategies}, where, "risks")
    return {
        "source": source,
        "kind": kind,
        "methods": in_list_order(methods, ControlMethod),
        "description": description,
        "strategies": strategies,
    }


def _checked_person(person: Mapping, number: int) -> dict:
    where = _("Safe person %(number)s: ") % {"number": number}
    values = {name: str(person.get(name, "")).strip() for name in ("name", "relationship", "phone")}
    if not values["name"]:
        raise SafetyPlanError({"safe_people": where + _("Give their name.")})
    _too_long(values, where, "safe_people")
    return values


def _checked_place(place: Mapping, number: int) -> dict:
    where = _("Safe place %(number)s: ") % {"number": number}
    values = {name: str(place.get(name, "")).strip() for name in ("place", "note")}
    if not values["place"]:
        raise SafetyPlanError({"safe_places": where + _("Say which place.")})
    _too_long(values, where, "safe_places")
    return values


def _checked_plan(*, code_word, emergency_numbers, documents_kept, staff_note, review_on) -> dict:
    values = {
        "code_word": code_word.strip(),
        "documents_kept": documents_kept.strip(),
        "staff_note": staff_note.strip(),
    }
    _too_long(values, "")
    numbers = [str(n) for n in emergency_numbers]
    if len(set(numbers)) != len(numbers) or not set(numbers) <= set(EmergencyNumber.values):
        raise SafetyPlanError({"emergency_numbers": _("Choose each number once, from the list.")})
    problem = review_date_problem(review_on, today=timezone.localdate())
    if problem:
        raise SafetyPlanError({"review_on": problem})
    return {**values, "emergency_numbers": in_list_order(numbers, EmergencyNumber), "review_on": review_on}


# Reading the versions -------------------------------------------------------------------------
# The callers have checked that the reader may see the plan's contents.


def _with_contents(plans: QuerySet[SafetyPlan]) -> QuerySet[SafetyPlan]:
    return plans.select_related("created_by").prefetch_related("risks", "safe_people", "safe_places")


def current_plan(case: Case) -> SafetyPlan | None:
    """The latest version of ``case``'s safety plan with its risks, people and places (four queries)."""
    return _with_contents(case.safety_plans.order_by("-version")).first()


def plan_version(case: Case, version: int) -> SafetyPlan | None:
    """One version of ``case``'s safety plan as it was saved, with its rows; ``None`` if there is none."""
    return _with_contents(case.safety_plans.filter(version=version)).first()


@dataclass
class Version:
    plan: SafetyPlan
    changed: list[Promise]  # the parts that differ from the version before; empty when nothing did
    first: bool


# Each part of a plan, and how to compare it between versions.
PARTS = (
    (gettext_lazy("risks"), lambda p: [(r.source, r.kind, r.methods, r.description, r.strategies)
                                       for r in p.risks.all()]),
    (gettext_lazy("safe people"), lambda p: [(s.name, s.relationship, s.phone) for s in p.safe_people.all()]),
    (gettext_lazy("safe places"), lambda p: [(s.place, s.note) for s in p.safe_places.all()]),
    (gettext_lazy("code word"), lambda p: p.code_word),
    (gettext_lazy("emergency numbers"), lambda p: p.emergency_numbers),
    (gettext_lazy("where documents are kept"), lambda p: p.documents_kept),
    (gettext_lazy("review date"), lambda p: p.review_on),
    (gettext_lazy("note for staff"), lambda p: p.staff_note),
)  # fmt: skip


def plan_versions(case: Case) -> list[Version]:
    """Every version of ``case``'s safety plan, newest first, each with what changed from the one before.

    Four queries however many versions and rows.
    """
    plans = list(_with_contents(case.safety_plans.order_by("version")))
    versions = []
    for before, plan in zip([None, *plans], plans, strict=False):
        changed = [label for label, part in PARTS if before is not None and part(before) != part(plan)]
        versions.append(Version(plan=plan, changed=changed, first=before is None))
    return versions[::-1]


def method_labels(risk: SafetyRisk) -> list[str]:
    """The methods of control of ``risk``, in the reader's language."""
    return [str(ControlMethod(method).label) for method in risk.methods if method in ControlMethod.values]


def shown_numbers(plan: SafetyPlan) -> list[tuple[str, str]]:
    """(name, number as dialled) of each emergency number on ``plan``."""
    return [
        (str(EmergencyNumber(number).label), SAFETY_NUMBERS[EmergencyNumber(number)])
        for number in plan.emergency_numbers
        if number in EmergencyNumber.values
    ]


def review_due(plan: SafetyPlan, *, today: date | None = None) -> bool:
    """Whether ``plan`` is due for review: its review date is at most ``REVIEW_NOTICE_DAYS`` away, or past."""
    return plan.review_on <= (today or timezone.localdate()) + timedelta(days=REVIEW_NOTICE_DAYS)


# The review reminder --------------------------------------------------------------------------


def review_key(case: Case) -> str:
    return f"safety-review:{case.pk}:"


def plans_due_for_review(*, today: date) -> QuerySet[SafetyPlan]:
    """The current version of each active case's plan whose review date is near or past."""
    later = SafetyPlan.objects.filter(case=OuterRef("case"), version__gt=OuterRef("version"))
    return SafetyPlan.objects.filter(
        case__status__in=Case.ACTIVE_STATUSES,
        review_on__lte=today + timedelta(days=REVIEW_NOTICE_DAYS),
    ).exclude(Exists(later))


def send_safety_review_reminders(*, today: date | None = None) -> int:
    """Tell the assigned specialists of each active case whose current safety plan is due for review.

    Due from ``REVIEW_NOTICE_DAYS`` before the review date, and after it. Once per plan
    version: running this daily, or twice at once, makes no duplicate, and saving a new
    version settles the old notices. A case with nobody assigned tells its team's
    supervisors (on a restricted case, only those named on it). The notice carries the
    client code and the review date, nothing of the plan. A fixed number of queries
    however many cases. Returns how many notifications are new.
    """
    today = today or timezone.localdate()
    plans = (
        plans_due_for_review(today=today)
        .select_related("case__survivor", "case__team")
        .prefetch_related(*(f"case__{name}" for name in permissions.TO_REMIND_PREFETCH))
    )
    notices = [
        Notice(
            recipient_id=recipient_id,
            kind=Notification.Kind.SAFETY_PLAN_REVIEW,
            data={"code": plan.case.survivor.client_code, "until": plan.review_on.isoformat()},
            url=reverse("cases:safety_plan", args=[plan.case_id]),
            dedupe_key=f"{review_key(plan.case)}{plan.version}",
        )
        for plan in plans
        for recipient_id in permissions.to_remind(plan.case)
    ]
    return notify(notices)
