"""What ``cases`` prints in a survivor's copy: who they are, each enrollment and its screenings,
and the registration of every part ``cases`` prints (the work itself is in ``casework``).

Each loader reads every enrollment of the copy at once and copies only what is printed into
frozen records, in the words of the language the copy is printed in (call them inside it). What
is left out, and why, is said in ``cases.survivor_copy``.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import TextChoices
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bloom.vocabulary import HelpNeed, VenueType
from cases import amp
from cases.models import Case, CaseAssignment, Closure, Handoff, IntakeRequest, MandatedReport, Screening, Survivor
from cases.survivor_copy import Part, Scope, by_case, register
from cases.survivor_copy.casework import contacts, documents, releases, safety_plans, stages


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    words: bool = False  # typed by someone: printed with its line breaks


def _day(day: date | None) -> str:
    return date_format(day, "DATE_FORMAT") if day else ""


def _yes_no(value: bool | None) -> str:
    return {True: gettext("Yes"), False: gettext("No")}.get(value, "")


def _labels(values, choices: type[TextChoices]) -> str:
    return ", ".join(str(choices(value).label) for value in values if value in choices.values)


def _facts(*pairs: tuple[str, str] | tuple[str, str, bool]) -> tuple[Fact, ...]:
    """The facts that hold something: nothing is printed of what was never recorded."""
    return tuple(Fact(*pair) for pair in pairs if pair[1])


# Who they are -------------------------------------------------------------------------------


def about_you(survivor: Survivor, *, sensitive: bool) -> tuple[Fact, ...]:
    """The survivor's details, as recorded; immigration status only when ``sensitive``.

    No query when the survivor is loaded with their town.
    """
    age = ""
    if survivor.date_of_birth is None and survivor.estimated_age is not None:
        age = gettext("about %(age)s") % {"age": survivor.estimated_age}
    contact = ""
    if survivor.emergency_contact_name:
        contact = survivor.emergency_contact_name
        if survivor.emergency_contact_relationship:
            contact += f" ({survivor.emergency_contact_relationship})"
        if survivor.emergency_contact_phone:
            contact += f", {survivor.emergency_contact_phone}"
    return _facts(
        (gettext("The name you use"), survivor.preferred_name),
        (gettext("Your legal name"), survivor.legal_name),
        (gettext("Other names"), ", ".join(survivor.alias_list)),
        (gettext("Date of birth"), _day(survivor.date_of_birth)),
        (gettext("Age"), age),
        (gettext("Gender"), str(survivor.get_gender_display()) if survivor.gender else ""),
        (gettext("Gender, in your words"), survivor.gender_description),
        (gettext("Race and ethnicity"), ", ".join(str(label) for label in survivor.race_labels())),
        (gettext("Country of birth"), survivor.country_of_birth),
        (gettext("Born in the United States"), _yes_no(survivor.born_in_us)),
        (gettext("Language you prefer"), survivor.preferred_language),
        (gettext("An interpreter is needed"), _yes_no(True) if survivor.interpreter_needed else ""),
        (gettext("Town where you live"), survivor.town.name if survivor.town else ""),
        (gettext("Phone"), survivor.phone),
        (gettext("Email"), survivor.email),
        (gettext("Mailing address"), survivor.mailing_address, True),
        (gettext("Safe ways to reach you"), _safe_ways(survivor)),
        (gettext("How to reach you safely"), survivor.safe_contact_notes, True),
        (gettext("Your emergency contact"), contact),
        *_funder_answers(survivor, sensitive=sensitive),
        (
            gettext("Immigration status"),
            str(survivor.get_immigration_status_display()) if sensitive and survivor.immigration_status else "",
        ),
        (gettext("Your client code"), survivor.client_code),
    )


def _funder_answers(survivor: Survivor, *, sensitive: bool) -> tuple[tuple[str, str], ...]:
    """The questions funders ask that the survivor answered (whether they are an immigrant only when
    ``sensitive``), each as the question and the answer."""
    return tuple(
        (str(capfirst(Survivor._meta.get_field(name).verbose_name)), str(getattr(survivor, f"get_{name}_display")()))
        for name in Survivor.CLASSIFICATION_FIELDS
        if getattr(survivor, name) and (sensitive or name not in Survivor.SENSITIVE_FIELDS)
    )


def _safe_ways(survivor: Survivor) -> str:
    ways = (
        (gettext("call"), survivor.safe_to_call),
        (gettext("leave a message"), survivor.safe_to_leave_message),
        (gettext("text"), survivor.safe_to_text),
        (gettext("send mail"), survivor.safe_to_mail),
    )
    if all(safe is None for _way, safe in ways):
        return ""
    answers = {True: gettext("yes"), False: gettext("no"), None: gettext("not asked")}
    return "; ".join(f"{way}: {answers[safe]}" for way, safe in ways)


# Each enrollment ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CopiedEnrollment:
    facts: tuple[Fact, ...]
    notes: tuple[Fact, ...]  # staff notes; empty unless they are printed


def specialists_of(case_ids: tuple[int, ...]) -> dict[int, tuple[str, ...]]:
    """Each enrollment's assigned specialists' names, in one query."""
    names: dict[int, list[str]] = defaultdict(list)
    assigned = CaseAssignment.objects.filter(case_id__in=case_ids).select_related("specialist")
    for assignment in assigned.order_by("specialist__full_name", "pk"):
        names[assignment.case_id].append(assignment.specialist.full_name)
    return {case_id: tuple(people) for case_id, people in names.items()}


@dataclass
class _Around:
    """What is recorded around one enrollment besides the case row, loaded for every enrollment at once."""

    closure: Closure | None = None
    reports: list[MandatedReport] = field(default_factory=list)
    asked: IntakeRequest | None = None
    handoffs: list[Handoff] = field(default_factory=list)
    specialists: tuple[str, ...] = ()


def enrollments(scope: Scope) -> dict[int, CopiedEnrollment]:
    """Each enrollment's dates, referral, outcome, closure and specialists: six queries, seven with notes."""
    around: dict[int, _Around] = defaultdict(_Around)
    approved = Closure.objects.filter(case_id__in=scope.case_ids, status=Closure.Status.APPROVED)
    for closure in approved.select_related("continued_care_organization"):
        around[closure.case_id].closure = closure
    for report in MandatedReport.objects.filter(case_id__in=scope.case_ids).order_by("made_at", "pk"):
        around[report.case_id].reports.append(report)
    for asked in IntakeRequest.objects.filter(case_id__in=scope.case_ids):
        around[asked.case_id].asked = asked
    if scope.staff_notes:
        for handoff in Handoff.objects.filter(case_id__in=scope.case_ids).exclude(note="").order_by("at", "pk"):
            around[handoff.case_id].handoffs.append(handoff)
    for case_id, names in specialists_of(scope.case_ids).items():
        around[case_id].specialists = names
    cases = Case.objects.filter(pk__in=scope.case_ids).select_related("referring_organization")
    return {
        case.pk: CopiedEnrollment(
            facts=_enrollment_facts(case, around[case.pk], scope),
            notes=_enrollment_notes(case, around[case.pk]) if scope.staff_notes else (),
        )
        for case in cases
    }


def _enrollment_facts(case: Case, around: _Around, scope: Scope) -> tuple[Fact, ...]:
    referred = str(case.get_referral_source_display()) if case.referral_source else ""
    if case.referring_organization:
        referred = f"{referred}, {case.referring_organization.name}" if referred else case.referring_organization.name
    outcome = ""
    if case.decided_on and case.not_enrolled_reason:
        outcome = gettext("Not enrolled on %(day)s: %(reason)s") % {
            "day": _day(case.decided_on),
            "reason": case.get_not_enrolled_reason_display(),
        }
    elif case.decided_on:
        outcome = gettext("Enrolled on %(day)s") % {"day": _day(case.decided_on)}
    return _facts(
        (gettext("Where it stands"), str(case.get_status_display())),
        (gettext("First met"), _day(case.opened_on)),
        (gettext("Referred by"), referred),
        (gettext("Referred on"), _day(case.referred_on)),
        (gettext("Outcome of the intake"), outcome),
        (gettext("Closed on"), _day(case.closed_on)),
        *_closure_facts(around.closure, scope),
        (gettext("Responsible adult"), str(case.get_guardian_role_display()) if case.guardian_role else ""),
        (
            gettext("They may be contacted"),
            str(case.get_guardian_may_be_contacted_display()) if case.guardian_may_be_contacted else "",
        ),
        (gettext("Consent for services"), str(case.get_service_consent_display()) if case.service_consent else ""),
        (
            gettext("Reports made because you were under 18"),
            "; ".join(
                f"{report.get_kind_display()}, {_day(timezone.localdate(report.made_at))}" for report in around.reports
            ),
        ),
        *_asked_for_help(around.asked),
        (gettext("Your specialists"), ", ".join(around.specialists)),
    )


def _closure_facts(closure: Closure | None, scope: Scope) -> tuple[tuple[str, str], ...]:
    if closure is None:
        return ()
    care = ""
    if closure.continued_care:
        care = closure.continued_care_organization.name if closure.continued_care_organization else gettext("Yes")
    relief = str(closure.get_immigration_relief_display()) if scope.sensitive else ""
    return (
        (gettext("Why it closed"), str(closure.get_reason_display())),
        (gettext("Where you were living then"), str(closure.get_living_situation_display())),
        (gettext("Continued Presence or T visa"), relief),
        (gettext("HHS certification or eligibility letter"), str(closure.get_hhs_certification_display())),
        (gettext("Referred for continued care"), care),
    )


def _asked_for_help(asked: IntakeRequest | None) -> tuple[tuple, ...]:
    if asked is None:
        return ()
    return (
        (gettext("You asked us for help"), f"{_day(asked.met_on)}, {asked.where}"),
        (gettext("You asked for help with"), _labels(asked.needs, HelpNeed)),
        (gettext("In your words"), asked.in_their_words, True),
        (gettext("How and when to reach you safely"), asked.how_to_reach, True),
    )


def _enrollment_notes(case: Case, around: _Around) -> tuple[Fact, ...]:
    closure, asked = around.closure, around.asked
    return _facts(
        (gettext("About the outcome of the intake"), case.outcome_note, True),
        (gettext("Why you were found eligible"), case.eligibility_override_reason, True),
        (gettext("Why no intake was started"), asked.closed_reason if asked else "", True),
        *((str(report.get_kind_display()), report.notes, True) for report in around.reports),
        (gettext("About why it closed"), closure.reason_note if closure else "", True),
        (gettext("Closing summary"), closure.note if closure else "", True),
        (gettext("On the decision to close"), closure.decision_note if closure else "", True),
        *(
            (gettext("Handoff on %(day)s") % {"day": _day(timezone.localdate(handoff.at))}, handoff.note, True)
            for handoff in around.handoffs
        ),
    )


# Screenings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CopiedScreening:
    version: int
    screened_on: date
    facts: tuple[Fact, ...]
    narrative: str  # empty unless staff notes are printed


def screenings(scope: Scope) -> dict[int, tuple[CopiedScreening, ...]]:
    """Every version of each enrollment's screening, the latest first: one query.

    Whether the trafficker is still in contact is about the trafficker, and the methods of control
    are theirs too: neither is printed.
    """
    rows = Screening.objects.filter(case_id__in=scope.case_ids).order_by("case_id", "-version")
    return by_case(
        rows,
        lambda screening: CopiedScreening(
            version=screening.version,
            screened_on=screening.screened_on,
            facts=_facts(
                (gettext("What it showed"), str(screening.get_determination_display())),
                (gettext("What was done"), _labels(screening.actions, amp.Action)),
                (gettext("How"), _labels(screening.means, amp.Means)),
                (gettext("For what"), _labels(screening.purposes, amp.Purpose)),
                (gettext("Not yet clear"), _labels(screening.unsure, amp.Element)),
                (gettext("Under 18 at the time"), _yes_no(screening.minor)),
                (gettext("Where it happened"), screening.location),
                (gettext("Kinds of places"), _labels(screening.venue_types, VenueType)),
                (
                    gettext("How it started"),
                    str(screening.get_recruitment_method_display()) if screening.recruitment_method else "",
                ),
                (
                    gettext("Where you lived at the time"),
                    str(screening.get_residence_display()) if screening.residence else "",
                ),
                (
                    gettext("Age when it first happened"),
                    str(screening.age_at_first_exploitation) if screening.age_at_first_exploitation is not None else "",
                ),
            ),
            narrative=screening.narrative if scope.staff_notes else "",
        ),
    )


def register_parts() -> None:
    """The parts ``cases`` prints of each enrollment; the service report's sections fill in between."""
    for part in (
        Part("enrollment", _("At a glance"), "cases/survivor_copy/_enrollment.html", enrollments, 1),
        Part("screening", _("Your screening answers"), "cases/survivor_copy/_screening.html", screenings, 5),
        Part(
            "contacts",
            _("Our contacts with you"),
            "cases/survivor_copy/_contacts.html",
            contacts,
            20,
            replaces=("contacts",),
        ),
        Part("stages", _("Stages of change we noted"), "cases/survivor_copy/_stages.html", stages, 25),
        Part(
            "safety",
            _("Your safety plan"),
            "cases/survivor_copy/_safety.html",
            safety_plans,
            68,
            sensitive=True,
            left_out=_("your safety plan"),
        ),
        Part("releases", _("Releases of information you signed"), "cases/survivor_copy/_releases.html", releases, 80),
        Part("documents", _("Your documents"), "cases/survivor_copy/_documents.html", documents, 90),
    ):
        register(part)
