"""Intake: registering a survivor, the case's referral and details, screening, eligibility,
the outcome, assignment, minors' mandated reports and family members."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bloom.accounts.models import Team, User
from bloom.notifications.services import Notice, notify, settle
from bloom.said import Said
from cases import amp, fields, permissions, queries
from cases.models import (
    Answer,
    Case,
    CaseAssignment,
    FamilyMember,
    GuardianRole,
    Handoff,
    MandatedReport,
    NotEnrolledReason,
    Screening,
    ServiceConsent,
    Survivor,
    digits_of,
    new_client_code,
)
from cases.services.common import apply_changes as _apply
from cases.services.common import save as _save
from cases.services.contacts import default_contact_cadence, store_last_contact


class IntakeError(ValidationError):
    """A step of intake that the case's state does not allow; the message says why."""


# A tombstone keeps only what the reports count; writing a name or a detail into it again would
# bring back what the program chose not to keep.
PURGED = gettext_lazy(
    "The identifying information of this record was purged under the retention policy, so it cannot be "
    "changed or enrolled again. If the survivor returns, start a new intake."
)


# What a specialist may enter about the survivor: the details and the questions funders ask.
SURVIVOR_FIELDS = (*Survivor.DETAIL_FIELDS, *Survivor.CLASSIFICATION_FIELDS)
# For a survivor under 18: the adult responsible for them, and who consented to services.
GUARDIAN_FIELDS = ("guardian_role", "guardian_name", "guardian_phone", "guardian_may_be_contacted", "service_consent")
# What a specialist may enter about the case: the referral and, for a minor, the responsible adult.
CASE_FIELDS = (*Case.REFERRAL_FIELDS, *GUARDIAN_FIELDS)
# Answers that must come from their list ("" is "not asked" or "not given").
_CHOSEN = {
    **dict.fromkeys(Survivor.CLASSIFICATION_FIELDS, Answer.values),
    "guardian_role": GuardianRole.values,
    "guardian_may_be_contacted": Answer.values,
    "service_consent": ServiceConsent.values,
}


def _check_chosen(values: dict) -> None:
    """Refuse an answer that is not in its list, naming its field."""
    for name, value in values.items():
        if name in _CHOSEN and value != "" and value not in _CHOSEN[name]:
            raise IntakeError({name: _("Choose an answer from the list.")})


def _new_survivor(*, by: User, details: dict) -> Survivor:
    survivor = Survivor(created_by=by)
    _check_chosen(details)
    for name, value in details.items():
        if name not in SURVIVOR_FIELDS:
            raise TypeError(f"not a survivor detail: {name}")
        setattr(survivor, name, value)
    survivor.phone_digits = digits_of(survivor.phone)
    # A random code may already be taken (rarely); the unique constraint says so, and we draw again.
    for _attempt in range(CLIENT_CODE_ATTEMPTS):
        survivor.client_code = new_client_code()
        try:
            with transaction.atomic():
                _save(survivor, by=by, reason=Said("survivor.registered"))
            return survivor
        except IntegrityError:
            if not Survivor.objects.filter(client_code=survivor.client_code).exists():
                raise
    raise IntegrityError("no unused client code found")


CLIENT_CODE_ATTEMPTS = 5


def check_assignment(*, by: User, team: Team, specialists: list[User], current_team: Team | None = None) -> None:
    """Refuse a team ``by`` may not put a case in (a case may stay in ``current_team``), and
    specialists who are not members of ``team``.

    Raises IntakeError naming ``team`` or ``specialists``.
    """
    if team != current_team and not permissions.teams_for(by).filter(pk=team.pk).exists():
        raise IntakeError({"team": _("You cannot put a case in %(team)s.") % {"team": team}})
    members = set(team.members.values_list("pk", flat=True))
    outside = sorted(str(specialist) for specialist in specialists if specialist.pk not in members)
    if outside:
        raise IntakeError(
            {"specialists": _("Not a member of %(team)s: %(names)s.") % {"team": team, "names": ", ".join(outside)}}
        )


@transaction.atomic
def start_intake(
    *,
    by: User,
    team: Team,
    specialists: list[User],
    details: dict,
    referral: dict | None = None,
    opened_on: date | None = None,
    asked: fields.Asked | None = None,
) -> Case:
    """Register a survivor and start the intake of their case, as a draft to finish later.

    ``details`` are survivor fields (``SURVIVOR_FIELDS``: the details and the funders'
    questions), ``referral`` case fields (``CASE_FIELDS``: the referral and, for a minor, the
    responsible adult and consent); a field the director has hidden stores nothing (``asked``:
    how the fields are asked, read now when not given). Side effects: a new client code; the
    specialists and the team's supervisors get access to the case (see ``assign_case``); when
    the survivor is a minor, the team's supervisors are told a Careline report is due. The case's contact
    cadence starts at the program's default (``BLOOM_CONTACT_REMINDER_DAYS``).
    Raises IntakeError for a team or specialists ``check_assignment`` refuses, an intake
    date before the date of birth, or an answer not in its list.
    """
    check_assignment(by=by, team=team, specialists=specialists)
    asked = fields.current() if asked is None else asked
    details = asked.kept("survivor", details)
    referral = asked.kept("case", referral or {})
    _check_chosen(referral)
    opened_on = opened_on or timezone.localdate()
    born = details.get("date_of_birth")
    if born and opened_on < born:
        raise IntakeError({"opened_on": _("The intake date cannot come before the date of birth.")})
    survivor = _new_survivor(by=by, details=details)
    case = Case(
        survivor=survivor,
        team=team,
        opened_on=opened_on,
        contact_cadence_days=default_contact_cadence(),
        created_by=by,
    )
    for name, value in referral.items():
        if name not in CASE_FIELDS:
            raise TypeError(f"not a referral field: {name}")
        setattr(case, name, value)
    case.minor_at_intake = case.computed_minor_at_intake()
    if specialists:
        # Matched at intake: on the intake day, which may be typed in a day or two later.
        case.first_assigned_on = min(opened_on, timezone.localdate())
    _save(case, by=by, reason=Said("case.intake_started"))
    store_last_contact(case)
    permissions.grant_team(case, team)
    _add_specialists(case, specialists, by=by)
    ask_for_careline_report(case)
    return case


@transaction.atomic
def open_case(
    *,
    by: User,
    legal_name: str,
    team: Team,
    specialists: list[User],
    opened_on: date | None = None,
    referral: dict | None = None,
    **details,
) -> Case:
    """Register a survivor and enroll them at once (records brought in from elsewhere, demo data).

    Side effects as ``start_intake``; the case is open from ``opened_on``.
    """
    case = start_intake(
        by=by,
        team=team,
        specialists=specialists,
        details={"legal_name": legal_name, **details},
        referral=referral,
        opened_on=opened_on,
    )
    case.status, case.decided_on = Case.Status.OPEN, case.opened_on
    _save(case, by=by, reason=Said("case.enrolled"), fields=["status", "decided_on"])
    store_last_contact(case)
    return case


@transaction.atomic
def assign_case(case: Case, *, by: User, specialists: list[User], team: Team | None = None, note: str = "") -> Case:
    """Make exactly ``specialists`` the case's specialists, and move it to ``team`` if given.

    Side effects, in the same transaction: specialists added get view and change
    permissions on the case and those removed lose them; on a team change the old team's
    supervisors lose the case and the new team's gain it; a ``Handoff`` records who had the
    case before and after, with ``note`` for whoever takes over. Raises IntakeError for a
    team or specialists ``check_assignment`` refuses, or a move to another team without a note.
    """
    case = Case.objects.select_for_update().select_related("team").get(pk=case.pk)
    # Checked again under the lock: access may have changed since the form was shown.
    if not permissions.can(by, permissions.ASSIGN, case):
        raise PermissionDenied
    check_assignment(by=by, team=team or case.team, specialists=specialists, current_team=case.team)
    if team is not None and team != case.team and not note.strip():
        raise IntakeError(
            {"note": _("Write a handoff note for the new team: the case is moving to %(team)s.") % {"team": team}}
        )
    before_team = case.team
    current = {a.specialist_id: a for a in case.assignments.select_related("specialist")}
    moved = team is not None and team.pk != case.team_id
    if moved:
        permissions.revoke_team(case, case.team)
        permissions.grant_team(case, team)
        case.team = team
    wanted = {s.pk: s for s in specialists}
    removed = [a for pk, a in current.items() if pk not in wanted]
    for assignment in removed:
        assignment._history_user = by
        assignment.delete()
    permissions.revoke_specialists(case, [a.specialist for a in removed])
    added = [s for pk, s in wanted.items() if pk not in current]
    _add_specialists(case, added, by=by)
    reassigned = bool(removed or added)
    if moved or reassigned:
        # Who had the case and who has it now are in the assignments' history and the handoff.
        reason = "case.moved_reassigned" if moved and reassigned else "case.moved" if moved else "case.reassigned"
        _save(case, by=by, reason=Said(reason), fields=["team"])
        handoff = Handoff(
            case=case,
            from_team=before_team,
            to_team=case.team,
            from_specialists=_names(a.specialist for a in current.values()),
            to_specialists=_names(specialists),
            note=note.strip(),
            by=by,
        )
        _save(handoff, by=by, reason=Said("handoff.recorded"))
    if moved:
        # The old team's supervisors can no longer open it; the new team's are asked instead.
        settle(dedupe_prefix=careline_key(case))
        ask_for_careline_report(case, tag="moved")
    return case


def _names(people) -> str:
    """People's names as a handoff keeps them, cut to fit the column."""
    names = ", ".join(sorted(person.full_name for person in people))
    return names if len(names) <= HANDOFF_NAMES_LENGTH else names[: HANDOFF_NAMES_LENGTH - 1] + "…"


HANDOFF_NAMES_LENGTH = Handoff._meta.get_field("to_specialists").max_length


def _add_specialists(case: Case, specialists: list[User], *, by: User) -> None:
    for specialist in specialists:
        assignment = CaseAssignment(case=case, specialist=specialist)
        _save(assignment, by=by, reason=Said("assignment.added"))
    permissions.grant_specialists(case, specialists)
    if specialists and case.first_assigned_on is None:
        # Kept through every later reassignment: HHS asks how soon the first match came.
        case.first_assigned_on = timezone.localdate()
        _save(case, by=by, reason=Said("case.first_assigned"), fields=["first_assigned_on"])


@transaction.atomic
def update_case(case: Case, *, by: User, details: dict, referral: dict, asked: fields.Asked | None = None) -> Case:
    """Change the survivor's details and the case's referral.

    Only what actually changed is written (rows locked, changed columns only), so an
    unchanged form leaves no history row and two people editing different fields at once
    do not undo each other. ``referral`` may also hold ``opened_on``. The status is not
    changed here: a case closes only through an approved closure (``services.closure``).
    Sensitive details are changed only if the caller passed them (the form leaves them out
    for people without the permission). ``details`` may hold the funders' questions
    (``SURVIVOR_FIELDS``), ``referral`` the responsible adult (``CASE_FIELDS``); an answer not
    in its list is refused. A field the director has hidden is not changed, whatever is passed
    for it (``asked``: how the fields are asked, read now when not given); what it held before
    stays. Side effect: a survivor who turns out to be a minor starts the Careline reminder.
    """
    asked = fields.current() if asked is None else asked
    details = asked.kept("survivor", details)
    referral = asked.kept("case", referral)
    _check_chosen(details)
    _check_chosen(referral)
    case = Case.objects.select_for_update().get(pk=case.pk)
    survivor = Survivor.objects.select_for_update().get(pk=case.survivor_id)
    if queries.identity_purged(survivor.pk):
        raise IntakeError(PURGED)
    values = {k: v for k, v in details.items() if k in SURVIVOR_FIELDS}
    if "phone" in values:
        values["phone_digits"] = digits_of(values["phone"])
    changed_survivor = _apply(survivor, values)
    values = {k: v for k, v in referral.items() if k in (*CASE_FIELDS, "opened_on")}
    case.survivor = survivor
    changed_case = _apply(case, values)
    _check_intake_date(case)
    if changed_survivor:
        _save(survivor, by=by, reason=Said("row.changed", fields=changed_survivor), fields=changed_survivor)
    changed_case += _apply(case, {"minor_at_intake": case.computed_minor_at_intake()})
    if changed_case:
        _save(case, by=by, reason=Said("row.changed", fields=changed_case), fields=changed_case)
    if "opened_on" in changed_case:
        store_last_contact(case)  # a case never enrolled counts its quiet spell from the intake date
    if not ask_for_careline_report(case):
        # No longer a minor's case, or closed: earlier reminders have nothing left to ask.
        settle(dedupe_prefix=careline_key(case))
    return case


def _check_intake_date(case: Case) -> None:
    """The intake date after the date of birth, and not after the outcome or the closing."""
    opened_on, born = case.opened_on, case.survivor.date_of_birth
    if born and opened_on < born:
        raise IntakeError({"opened_on": _("The intake date cannot come before the date of birth.")})
    for later, message in (
        (case.decided_on, _("The intake date cannot come after the outcome (%(date)s).")),
        (case.closed_on, _("The intake date cannot come after the case closed (%(date)s).")),
    ):
        if later and opened_on > later:
            raise IntakeError({"opened_on": message % {"date": date_format(later)}})


# Intake: screening, eligibility, outcome, minors ------------------------------------------


@transaction.atomic
def record_screening(case: Case, *, by: User, answers: dict, context: dict, sensitive_allowed: bool) -> Screening:
    """Add the next version of the case's screening, with its determination.

    ``answers`` holds ``actions``, ``means``, ``purposes`` and ``unsure`` (lists of
    ``cases.amp`` values); ``context`` the trafficking context fields. Earlier versions
    are kept unchanged. Without ``sensitive_allowed`` the sensitive fields are carried
    over from the previous version, never cleared by someone who could not see them.
    Raises ``amp.EmptyScreening`` when nothing was answered.
    """
    case = Case.objects.select_for_update(of=("self",)).select_related("survivor").get(pk=case.pk)
    previous = case.screenings.order_by("-version").first()
    screening = Screening(case=case, screened_by=by, version=(previous.version + 1) if previous else 1)
    for name in ("actions", "means", "purposes", "unsure"):
        setattr(screening, name, sorted(set(answers.get(name) or [])))
    for name, value in context.items():
        if name in Screening.SENSITIVE_FIELDS and not sensitive_allowed:
            continue
        setattr(screening, name, value)
    if not sensitive_allowed and previous:
        for name in Screening.SENSITIVE_FIELDS:
            setattr(screening, name, getattr(previous, name))
    screening.minor = queries.minor_at_exploitation(case, screening.age_at_first_exploitation)
    screening.determination = amp.determine(screening.answers()).determination
    _save(screening, by=by, reason=Said("screening.saved", version=screening.version))
    return screening


@transaction.atomic
def override_eligibility(case: Case, *, by: User, reason: str) -> Case:
    """Record a supervisor's decision that the survivor is eligible, with the reason.

    History keeps who decided and why. Only for a case not yet enrolled.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not permissions.can_override_eligibility(by, case):
        raise PermissionDenied
    if case.enrolled:
        raise IntakeError(_("The survivor is already enrolled."))
    reason = reason.strip()
    if not reason:
        raise IntakeError(_("Write the reason for the decision."))
    case.eligibility_overridden, case.eligibility_override_reason = True, reason
    case.eligibility_overridden_by = by
    _save(
        case,
        by=by,
        reason=Said("case.eligibility_decided"),
        fields=["eligibility_overridden", "eligibility_override_reason", "eligibility_overridden_by"],
    )
    return case


@transaction.atomic
def enroll(case: Case, *, by: User, on: date) -> Case:
    """Enroll the survivor: the case is open from ``on``.

    Refused with ``IntakeError`` unless the survivor is eligible by the rules or by a
    supervisor's decision, and the date is between the intake date and today.
    """
    case = Case.objects.select_for_update(of=("self",)).select_related("survivor__town").get(pk=case.pk)
    _check_outcome_allowed(case, on)
    eligibility = queries.eligibility(case)
    if not eligibility.eligible:
        raise IntakeError(
            _("The survivor cannot be enrolled yet: %(why)s A supervisor can decide otherwise, with a reason.")
            % {"why": " ".join(c.explanation for c in eligibility.checks if c.met is not True)}
        )
    case.status, case.decided_on, case.not_enrolled_reason, case.outcome_note = Case.Status.OPEN, on, "", ""
    columns = ["status", "decided_on", "not_enrolled_reason", "outcome_note"]
    _save(case, by=by, reason=Said("case.enrolled"), fields=columns)
    store_last_contact(case)  # the quiet spell now counts from the enrolment
    return case


@transaction.atomic
def record_not_enrolled(case: Case, *, by: User, reason: str, note: str, on: date) -> Case:
    """Record that the survivor was not enrolled, and why."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_outcome_allowed(case, on)
    if reason not in NotEnrolledReason.values:
        raise IntakeError(_("Choose why the survivor was not enrolled."))
    case.status, case.decided_on, case.not_enrolled_reason, case.outcome_note = (
        Case.Status.NOT_ENROLLED,
        on,
        reason,
        note,
    )
    _save(
        case,
        by=by,
        reason=Said("case.not_enrolled"),
        fields=["status", "decided_on", "not_enrolled_reason", "outcome_note"],
    )
    store_last_contact(case)
    return case


def _check_outcome_allowed(case: Case, on: date) -> None:
    if case.enrolled:
        raise IntakeError(_("The survivor is already enrolled."))
    if on < case.opened_on:
        raise IntakeError(_("The outcome cannot come before the intake date."))
    if on > timezone.localdate():
        raise IntakeError(_("The outcome date cannot be in the future."))


@transaction.atomic
def record_mandated_report(case: Case, *, by: User, kind: str, made_at, made_by: str, reference: str, notes: str):
    """Record a DCF Careline report or an MDT referral made for a minor.

    Side effect: once a Careline report is recorded, the supervisors' reminders about it
    are marked done and no more are sent.
    """
    report = MandatedReport(
        case=case, kind=kind, made_at=made_at, made_by=made_by, reference=reference, notes=notes, recorded_by=by
    )
    _save(report, by=by, reason=Said("mandated_report.recorded", kind=kind))
    if kind == MandatedReport.Kind.CARELINE:
        settle(dedupe_prefix=careline_key(case))
    return report


def careline_key(case: Case) -> str:
    return f"careline:{case.pk}:"


def ask_for_careline_report(case: Case, *, today: date | None = None, tag: str = "") -> bool:
    """If the case's Careline report is due, tell those responsible, once a day; return whether it is due."""
    if not queries.careline_report_due(case):
        return False
    notify(_careline_notices(case, today=today or timezone.localdate(), tag=tag))
    return True


def send_careline_reminders(*, today: date | None = None) -> int:
    """Remind supervisors, once a day, of every minor's case still without a Careline report."""
    cases = (
        queries.careline_reports_due(Case.objects.all())
        .select_related("survivor", "team")
        .prefetch_related("team__supervisors", "assignments")
    )
    today = today or timezone.localdate()
    return notify(notice for case in cases for notice in _careline_notices(case, today=today))


def _careline_notices(case: Case, *, today: date, tag: str = "") -> list[Notice]:
    # A team without a supervisor: its assigned specialists are told, so the duty never rests with nobody.
    supervisors = [s.pk for s in case.team.supervisors.all()]
    if case.restricted:  # only those the restriction names
        supervisors = permissions.named_among(case, supervisors)
    recipients = supervisors or [a.specialist_id for a in case.assignments.all()]
    return [
        Notice(
            recipient_id=recipient_id,
            kind="careline report due",
            data={"code": case.survivor.client_code, "since": case.opened_on.isoformat()},
            url=reverse("cases:detail", args=[case.pk]),
            dedupe_key=f"{careline_key(case)}{today.isoformat()}{tag}",
        )
        for recipient_id in recipients
    ]


@transaction.atomic
def add_family_member(case: Case, *, by: User, **fields) -> FamilyMember:
    """Record a family member served with the survivor (not a client).

    How they are related is a choice from ``FamilyMember.Relation``, the survivor's own
    words for it, or both; refused with ``IntakeError`` when neither is given or the choice
    is not in the list.
    """
    relation, words = fields.get("relation", ""), fields.get("relationship", "")
    if relation and relation not in FamilyMember.Relation.values:
        raise IntakeError({"relation": _("Choose how they are related from the list.")})
    if not relation and not words.strip():
        raise IntakeError({"relation": _("Choose how they are related, or write it in the survivor's words.")})
    member = FamilyMember(case=case, **fields)
    _save(member, by=by, reason=Said("family.added"))
    return member


@transaction.atomic
def remove_family_member(member: FamilyMember, *, by: User) -> None:
    """Remove a family member entered by mistake; history keeps the row."""
    member._history_user = by
    member._change_reason = str(Said("family.removed"))
    member.delete()
