"""Hostile input to every page of case work: intake, screening, contacts, sharing, closure, access, safety plans.

Each ``Target`` says how its view builds the forms and what the view does with a post; the
harness gives every field every hostile value of its kind, then posts a few through HTTP.
What must hold of the stored records afterwards is ``assert_cases_consistent``.
"""

from copy import copy
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from bloom.directory.models import Organization
from bloom.vocabulary import ControlMethod
from cases import amp, permissions, queries, services, timeline, uploads
from cases.forms import (
    AssignCaseForm,
    CaseFilterForm,
    CloseRequestForm,
    ClosureDecisionForm,
    ClosureRequestForm,
    ContactCadenceForm,
    ContactForm,
    DuplicateCheckForm,
    EligibilityOverrideForm,
    EmergencyAccessForm,
    FamilyMemberForm,
    FunderCodeForm,
    MandatedReportForm,
    OutcomeForm,
    ReenrollForm,
    ReferralForm,
    RestrictionForm,
    ScreeningForm,
    ServiceForm,
    StageForm,
    StartIntakeForm,
    SurvivorDetailsForm,
    TimelineFilterForm,
)
from cases.forms.safety import SafetyPlanForms
from cases.forms.sharing import (
    DocumentDeleteForm,
    DocumentForm,
    NewReferralForm,
    ReferralStatusForm,
    ReleaseForm,
    RevokeReleaseForm,
)
from cases.models import (
    LONGEST_CONTACT_CADENCE_DAYS,
    TRAFFICKER_RISKS,
    Answer,
    Case,
    CaseAssignment,
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    Closure,
    Contact,
    Document,
    EmergencyNumber,
    FamilyMember,
    FunderCode,
    FunderScheme,
    GuardianRole,
    InformationKind,
    IntakeRequest,
    MandatedReport,
    Referral,
    Release,
    SafePerson,
    SafePlace,
    SafetyPlan,
    SafetyRisk,
    Screening,
    Service,
    ServiceConsent,
    ServiceEvent,
    StageObservation,
    Survivor,
)
from cases.services.safety import in_list_order, latest_review
from tests.cases.sharing_files import pdf_bytes, pdf_upload
from tests.factories import ask_to_close, close_case, hand_off, log_outreach, make_case
from tests.hostile.corpus import Upload
from tests.hostile.harness import Target, all_valid, attack, every_row_has_history, post_through_http, saved
from tests.objects import Objects


def today():
    return timezone.localdate()


# Fresh records, for pages that use one up ---------------------------------------------------------


def intake_of(o: Objects) -> Case:
    """A draft intake on team A, assigned to the specialist, with no outcome yet (made whenever the last got one)."""
    if not o.intake.enrolled and Case.objects.filter(pk=o.intake.pk, status=Case.Status.INTAKE).exists():
        return o.intake
    o.intake = services.start_intake(
        by=o.world.specialist,
        team=o.world.team_a,
        specialists=[o.world.specialist],
        details={"legal_name": "Ines Intake", "estimated_age": 30},
    )
    return o.intake


def closable_of(o: Objects) -> Case:
    """An open case of the specialist's with no closure waiting (made whenever the last one had one)."""
    case = Case.objects.filter(
        team=o.world.team_a, specialists=o.world.specialist, status=Case.Status.OPEN, survivor__legal_name="Cleo Close"
    ).exclude(closures__status=Closure.Status.REQUESTED)
    return case.first() or make_case(team=o.world.team_a, specialists=[o.world.specialist], legal_name="Cleo Close")


def waiting_closure_of(o: Objects) -> Closure:
    """A closure waiting for the supervisor, asked for by the specialist (asked again whenever decided)."""
    waiting = Closure.objects.filter(
        status=Closure.Status.REQUESTED, case__team=o.world.team_a, requested_by=o.world.specialist
    ).first()
    return waiting or ask_to_close(closable_of(o), by=o.world.specialist)


def closed_of(o: Objects) -> Case:
    """A closed case of the specialist's whose survivor has not come back yet (closed whenever the last returned)."""
    case = o.closed.case
    if not case.later_cases.exists():
        return case
    fresh = make_case(team=o.world.team_a, specialists=[o.world.specialist], legal_name="Remy Return")
    return close_case(fresh, by=o.world.specialist, approver=o.world.supervisor).case


def live_document_of(o: Objects) -> Document:
    existing = o.world.case_a.documents.filter(deleted_at__isnull=True).first()
    return existing or services.add_document(
        o.world.case_a, by=o.world.specialist, kind="identification", title="State ID", upload=pdf_upload()
    )


def live_release_of(o: Objects) -> Release:
    existing = o.world.case_a.releases.filter(revoked_on__isnull=True).first()
    return existing or services.record_release(
        o.world.case_a,
        by=o.world.specialist,
        organization=None,
        recipient="Dr. Reyes",
        information=["health"],
        purpose="Care coordination",
        signed_on=today(),
        expires_on=today() + timedelta(days=200),
    )


def waiting_intake_request_of(o: Objects) -> IntakeRequest:
    """A request for help waiting in team A's queue (passed on again whenever the last was closed)."""
    waiting = IntakeRequest.objects.filter(team=o.world.team_a, status=IntakeRequest.Status.WAITING).first()
    return waiting or hand_off(log_outreach(o.world.outreach), o.world.outreach, o.world.team_a)


def partner(o: Objects) -> Organization:
    return o.organization


def unused_code_of(o: Objects) -> FunderCode:
    """HHS's "other", which no service counts under and no report has counted under."""
    return FunderCode.objects.get(pk=o.unused_code_pk) if hasattr(o, "unused_code_pk") else _remember_unused(o)


def _remember_unused(o: Objects) -> FunderCode:
    code = FunderCode.objects.get(scheme=FunderScheme.HHS, code="other")
    o.unused_code_pk = code.pk  # its code and scheme change under the attack; its row stays the same
    return code


def reported_code_of(o: Objects) -> FunderCode:
    """B9, which counts Transportation and which a submitted report has counted under."""
    b9 = FunderCode.objects.get(scheme=FunderScheme.VICTIM_SERVICES, code="B9")
    services.record_codes_reported([b9], on=today())
    return b9


def usual_services() -> list[str]:
    return [str(pk) for pk in Service.objects.filter(usual=True, is_active=True).values_list("pk", flat=True)[:2]]


# Submits: what each view does with a valid post --------------------------------------------------


def _search(o: Objects, form) -> bool:
    if form.is_valid():
        user = o.world.supervisor
        list(queries.for_list(queries.filtered(permissions.visible_cases(user), **form.cleaned_data, user=user)))
    return False


def _start_intake(o: Objects, page) -> bool:
    referral_form, details_form = page
    if not all_valid(page):
        return False
    referral = referral_form.cleaned_data
    try:
        services.start_intake(
            by=o.world.specialist,
            team=referral["team"],
            specialists=list(referral["specialists"]),
            details=details_form.details(),
            referral=referral_form.referral(),
            opened_on=referral["opened_on"],
        )
    except services.IntakeError:
        return False
    return True


def _edit_case(o: Objects, page) -> bool:
    referral_form, details_form = page
    if not all_valid(page):
        return False
    referral = {**referral_form.referral(), "opened_on": referral_form.cleaned_data["opened_on"]}
    details = details_form.details()
    try:
        services.update_case(
            o.world.case_a,
            by=o.world.specialist,
            details={k: v for k, v in details.items() if k in details_form.changed_data},
            referral={k: v for k, v in referral.items() if k in referral_form.changed_data},
        )
    except services.IntakeError:
        return False
    return True


def _timeline(o: Objects, form) -> bool:
    if form.is_valid():
        timeline.timeline_page(o.world.case_a, kinds=form.cleaned_data["kind"], number=1)
    return False


def _duplicates(o: Objects, form) -> bool:
    if form.is_valid():
        permissions.possible_duplicates(
            o.world.specialist, names=form.names(), date_of_birth=form.cleaned_data["date_of_birth"]
        )
    return False


def _outcome(o: Objects, form) -> bool:
    if not form.is_valid():
        return False
    data, case = form.cleaned_data, form.case
    try:
        if data["outcome"] == OutcomeForm.ENROLLED:
            services.enroll(case, by=o.world.specialist, on=data["decided_on"])
        else:
            services.record_not_enrolled(
                case, by=o.world.specialist, reason=data["reason"], note=data["note"], on=data["decided_on"]
            )
    except services.IntakeError:
        return False
    return True


def _emergency(o: Objects, form) -> bool:
    if not form.is_valid():
        return False
    user = o.world.outsider
    case = permissions.case_for_emergency(user, form.cleaned_data["client_code"])
    if case is None or permissions.can(user, permissions.VIEW, case):
        return False
    try:
        services.open_in_emergency(case, by=user, reason=form.cleaned_data["reason"])
    except services.AccessError:
        return False
    return True


def _decide_closure(o: Objects, form) -> bool:
    if not form.is_valid():
        return False
    closure, note = waiting_closure_of(o), form.cleaned_data["note"]
    decide = services.approve_closure if form.cleaned_data["decision"] == ClosureDecisionForm.APPROVE else None
    try:
        if decide:
            decide(closure, by=o.world.supervisor, note=note)
        else:
            services.return_closure(closure, by=o.world.supervisor, note=note)
    except services.ClosureError:
        return False
    return True


def _safety_plan(o: Objects, forms) -> bool:
    if not forms.is_valid():
        return False
    try:
        services.save_safety_plan(o.world.case_a, by=o.world.specialist, **forms.values())
    except services.SafetyPlanError:
        return False
    return True


def _safety_parts(forms) -> list:
    return [
        forms.plan,
        *(part for formset in forms.lists.values() for part in [formset.management_form, *formset.forms]),
    ]


def _kept_files_are_what_they_say(o: Objects) -> None:
    """Whatever was kept is what its checked type says, and its stored name agrees with that type."""
    for document in Document.objects.filter(deleted_at__isnull=True):
        with document.file.open("rb") as file:
            kind = uploads.detect(file)
        assert kind is not None, document.original_name
        assert kind.content_type == document.content_type, document.original_name
        assert uploads.EXTENSIONS[Path(document.original_name.lower()).suffix] == kind
        assert uploads.clean_name(document.original_name) == document.original_name


# Valid posts ---------------------------------------------------------------------------------------


def valid_contact(o: Objects) -> dict:
    # Midnight today: never in the future, never before the world's cases, opened today.
    midnight = timezone.localtime().replace(hour=0, minute=0)
    return {
        "kind": "phone",
        "occurred_at": midnight.strftime("%Y-%m-%dT%H:%M"),
        "initiated_by": "staff",
        "interpreter_used": "true",
        "services": usual_services(),
    }


def valid_service(o: Objects) -> dict:
    # A name of its own each time, so every post the rules allow is stored.
    return {
        "name": f"Peer mentoring {Service.objects.count()}",
        "group": "support",
        "usual": "on",
        "is_active": "on",
        "order": "3",
        "hhs_code": FunderCode.objects.get(scheme=FunderScheme.HHS, code="mental-health").pk,
    }


def valid_service_edit(o: Objects) -> dict:
    service = Service.objects.get(key="transportation")
    return {
        "name": "Transportation",
        "group": "advocacy",
        "usual": "on",
        "is_active": "on",
        "order": "12",
        "victim_services_code": reported_code_of(o).pk,
        "hhs_code": service.hhs_code_id,
    }


def valid_safety_plan(o: Objects) -> dict:
    data = {
        "code_word": "Sunflower",
        "emergency_numbers": ["911", "hotline"],
        "documents_kept": "Copies with the program.",
        "review_on": (today() + timedelta(days=30)).isoformat(),
        "staff_note": "Check the bus route.",
        "risks-0-source": "trafficker",
        "risks-0-kind": "threats to family",
        "risks-0-methods": ["threats", "uses children"],
        "risks-0-description": "He knows where my mother lives.",
        "risks-0-strategies": "Mother stays with her sister; call the hotline.",
        "people-0-name": "Marisol",
        "people-0-relationship": "Cousin",
        "people-0-phone": "860-555-0101",
        "places-0-place": "Public library",
        "places-0-note": "Open until 8 pm",
    }
    for prefix in ("risks", "people", "places"):
        data |= {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def case_a(suffix: str = ""):
    return lambda o: f"/cases/{o.world.case_a.pk}/{suffix}"


TARGETS = [
    Target(
        "cases/",
        "supervisor",
        bind=lambda o, data, files: CaseFilterForm(data, user=o.world.supervisor),
        valid=lambda o: {"q": "Alma", "status": "open", "team": o.world.team_a.pk, "mine": "on"},
        submit=_search,
        path=lambda o: "/cases/",
        stores=False,
        status=200,
    ),
    Target(
        "cases/new/",
        "specialist",
        bind=lambda o, data, files: [
            StartIntakeForm(data, user=o.world.specialist),
            SurvivorDetailsForm(data, sensitive_allowed=True),
        ],
        valid=lambda o: {
            "legal_name": "Rosa Vega",
            "team": o.world.team_a.pk,
            "specialists": [o.world.specialist.pk],
            "opened_on": today().isoformat(),
            "race": ["hispanic"],
            "safe_to_call": "true",
        },
        submit=_start_intake,
        path=lambda o: "/cases/new/",
        shows=lambda o: ["/cases/", *(c.get_absolute_url() for c in Case.objects.order_by("-pk")[:1])],
    ),
    Target(
        "cases/<int:pk>/edit/",
        "specialist",
        bind=lambda o, data, files: [
            ReferralForm(data, instance=copy(o.world.case_a), remember_shown=True),
            SurvivorDetailsForm(
                data, instance=copy(o.world.case_a.survivor), sensitive_allowed=True, remember_shown=True
            ),
        ],
        valid=lambda o: {"legal_name": "Alma Alpha", "opened_on": o.world.case_a.opened_on.isoformat()},
        submit=_edit_case,
        path=case_a("edit/"),
        shows=lambda o: [o.world.case_a.get_absolute_url(), f"/cases/{o.world.case_a.pk}/history/", "/cases/"],
    ),
    Target(
        "cases/duplicates/",
        "specialist",
        bind=lambda o, data, files: DuplicateCheckForm(data),
        valid=lambda o: {"legal_name": "Alma Alpha", "preferred_name": "Alma", "date_of_birth": "1990-04-02"},
        submit=_duplicates,
        path=lambda o: "/cases/duplicates/",
        stores=False,
        status=200,
    ),
    Target(
        "cases/<int:pk>/screening/new/",
        "specialist",
        bind=lambda o, data, files: ScreeningForm(data, case=o.world.case_a, sensitive_allowed=True),
        valid=lambda o: {
            "actions": [amp.Action.RECRUITS],
            "means_force": [amp.Means.CONFINEMENT],
            "purposes": [amp.Purpose.COMMERCIAL_SEX],
            "screened_on": o.world.case_a.opened_on.isoformat(),
        },
        submit=saved(
            lambda o, form: services.record_screening(
                o.world.case_a,
                by=o.world.specialist,
                answers=form.answers(),
                context=form.context(),
                sensitive_allowed=True,
            )
        ),
        path=case_a("screening/new/"),
        shows=lambda o: [o.world.case_a.get_absolute_url(), f"/cases/{o.world.case_a.pk}/screening/"],
    ),
    Target(
        "cases/<int:pk>/eligibility/",
        "supervisor",
        bind=lambda o, data, files: EligibilityOverrideForm(data),
        valid=lambda o: {"reason": "Lives with her sister in Hartford from next week."},
        submit=saved(
            lambda o, form: services.override_eligibility(
                intake_of(o), by=o.world.supervisor, reason=form.cleaned_data["reason"]
            ),
            services.IntakeError,
        ),
        path=lambda o: f"/cases/{intake_of(o).pk}/eligibility/",
        shows=lambda o: [intake_of(o).get_absolute_url(), f"/cases/{intake_of(o).pk}/history/"],
    ),
    Target(
        "cases/<int:pk>/outcome/",
        "specialist",
        bind=lambda o, data, files: OutcomeForm(data, case=intake_of(o)),
        valid=lambda o: {"outcome": "not enrolled", "reason": "declined", "decided_on": intake_of(o).opened_on},
        submit=_outcome,
        path=lambda o: f"/cases/{intake_of(o).pk}/outcome/",
        shows=lambda o: [Case.objects.filter(survivor__legal_name="Ines Intake").latest("pk").get_absolute_url()],
    ),
    Target(
        "cases/<int:pk>/mandated-reports/new/",
        "specialist",
        bind=lambda o, data, files: MandatedReportForm(data, user=o.world.specialist),
        valid=lambda o: {
            "kind": MandatedReport.Kind.CARELINE,
            "made_at": timezone.localtime().replace(hour=0, minute=0).strftime("%Y-%m-%dT%H:%M"),
            "made_by": "Sam Specialist",
            "reference": "CL-2026-0101",
        },
        submit=saved(
            lambda o, form: services.record_mandated_report(o.world.case_a, by=o.world.specialist, **form.cleaned_data)
        ),
        path=case_a("mandated-reports/new/"),
        shows=lambda o: [o.world.case_a.get_absolute_url()],
    ),
    Target(
        "cases/<int:pk>/family/new/",
        "specialist",
        bind=lambda o, data, files: FamilyMemberForm(data),
        valid=lambda o: {"name": "Lena", "relation": "child under 18", "relationship": "Daughter"},
        submit=saved(
            lambda o, form: services.add_family_member(o.world.case_a, by=o.world.specialist, **form.cleaned_data),
            services.IntakeError,
        ),
        path=case_a("family/new/"),
        shows=lambda o: [o.world.case_a.get_absolute_url()],
    ),
    Target(
        "cases/<int:pk>/assign/",
        "supervisor",
        bind=lambda o, data, files: AssignCaseForm(data, user=o.world.supervisor, case=o.world.case_a),
        valid=lambda o: {"team": o.world.team_a.pk, "specialists": [o.world.specialist.pk, o.world.colleague.pk]},
        submit=saved(
            lambda o, form: services.assign_case(
                o.world.case_a,
                by=o.world.supervisor,
                specialists=list(form.cleaned_data["specialists"]),
                team=form.cleaned_data["team"],
                note=form.cleaned_data["note"],
            ),
            services.IntakeError,
        ),
        path=case_a("assign/"),
        shows=lambda o: [o.world.case_a.get_absolute_url()],
    ),
    # Contacts and stages of change
    Target(
        "cases/<int:pk>/contacts/new/",
        "specialist",
        bind=lambda o, data, files: ContactForm(data),
        valid=valid_contact,
        submit=saved(
            lambda o, form: services.log_contact(o.world.case_a, by=o.world.specialist, **form.cleaned_data),
            services.ContactError,
        ),
        path=case_a("contacts/new/"),
        shows=lambda o: [o.world.case_a.get_absolute_url(), f"/cases/{o.world.case_a.pk}/contacts/", "/cases/", "/"],
    ),
    Target(
        "cases/<int:pk>/contacts/<int:contact_pk>/correct/",
        "specialist",
        bind=lambda o, data, files: ContactForm(data, contact=o.contact),
        valid=valid_contact,
        submit=saved(
            lambda o, form: services.correct_contact(o.contact, by=o.world.specialist, **form.cleaned_data),
            services.ContactError,
        ),
        path=lambda o: f"/cases/{o.world.case_a.pk}/contacts/{o.contact.pk}/correct/",
        shows=lambda o: [
            f"/cases/{o.world.case_a.pk}/contacts/",
            o.world.case_a.get_absolute_url(),
            f"/cases/{o.world.case_a.pk}/timeline/",
        ],
    ),
    Target(
        "cases/<int:pk>/contacts/cadence/",
        "specialist",
        bind=lambda o, data, files: ContactCadenceForm(data),
        valid=lambda o: {"days": "7"},
        submit=saved(
            lambda o, form: services.set_contact_cadence(
                o.world.case_a, by=o.world.specialist, days=form.cleaned_data["days"]
            ),
            services.ContactError,
        ),
        path=case_a("contacts/cadence/"),
        shows=lambda o: [o.world.case_a.get_absolute_url(), "/"],
    ),
    Target(
        "cases/<int:pk>/stages/new/",
        "specialist",
        bind=lambda o, data, files: StageForm(data),
        valid=lambda o: {"stage": "action", "observed_on": o.world.case_a.opened_on.isoformat()},
        submit=saved(
            lambda o, form: services.record_stage(o.world.case_a, by=o.world.specialist, **form.cleaned_data),
            services.ContactError,
        ),
        path=case_a("stages/new/"),
        shows=lambda o: [o.world.case_a.get_absolute_url(), f"/cases/{o.world.case_a.pk}/timeline/"],
    ),
    # Documents, releases and referrals
    Target(
        "cases/<int:pk>/documents/new/",
        "specialist",
        bind=lambda o, data, files: DocumentForm(data, files),
        valid=lambda o: {"kind": "letter", "title": "Lease letter", "file": Upload("lease.pdf", pdf_bytes())},
        submit=saved(
            lambda o, form: services.add_document(
                o.world.case_a,
                by=o.world.specialist,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            ),
            services.SharingError,
        ),
        path=case_a("documents/new/"),
        shows=lambda o: [o.world.case_a.get_absolute_url(), f"/cases/{o.world.case_a.pk}/history/"],
        after=_kept_files_are_what_they_say,
    ),
    Target(
        "cases/<int:pk>/documents/<int:document_pk>/delete/",
        "specialist",
        bind=lambda o, data, files: DocumentDeleteForm(data),
        valid=lambda o: {"reason": "Uploaded to the wrong case"},
        submit=saved(
            lambda o, form: services.delete_document(
                live_document_of(o), by=o.world.specialist, reason=form.cleaned_data["reason"]
            ),
            services.SharingError,
        ),
        path=lambda o: f"/cases/{o.world.case_a.pk}/documents/{live_document_of(o).pk}/delete/",
        shows=lambda o: [o.world.case_a.get_absolute_url(), f"/cases/{o.world.case_a.pk}/timeline/"],
    ),
    Target(
        "cases/<int:pk>/releases/new/",
        "specialist",
        bind=lambda o, data, files: ReleaseForm(data, files),
        valid=lambda o: {
            "organization": partner(o).pk,
            "information": ["identifying", "health"],
            "purpose": "Care coordination",
            "signed_on": today().isoformat(),
            "expires_on": (today() + timedelta(days=90)).isoformat(),
            "signed_form": Upload("release.pdf", pdf_bytes()),
        },
        submit=saved(
            lambda o, form: services.record_release(o.world.case_a, by=o.world.specialist, **form.release()),
            services.SharingError,
        ),
        path=case_a("releases/new/"),
        shows=lambda o: [o.world.case_a.get_absolute_url(), f"/cases/{o.world.case_a.pk}/history/"],
    ),
    Target(
        "cases/<int:pk>/releases/<int:release_pk>/revoke/",
        "specialist",
        bind=lambda o, data, files: RevokeReleaseForm(data, release=live_release_of(o)),
        valid=lambda o: {"revoked_on": today().isoformat(), "revocation_note": "By phone"},
        submit=saved(
            lambda o, form: services.revoke_release(
                form.release,
                by=o.world.specialist,
                on=form.cleaned_data["revoked_on"],
                note=form.cleaned_data["revocation_note"],
            ),
            services.SharingError,
        ),
        path=lambda o: f"/cases/{o.world.case_a.pk}/releases/{live_release_of(o).pk}/revoke/",
        shows_text=False,  # the revocation note is kept in the release's history only
        shows=lambda o: [o.world.case_a.get_absolute_url(), f"/cases/{o.world.case_a.pk}/history/"],
    ),
    Target(
        "cases/<int:pk>/referrals/new/",
        "specialist",
        bind=lambda o, data, files: NewReferralForm(data),
        valid=lambda o: {
            "direction": "out",
            "organization": partner(o).pk,
            "service_type": "therapy",
            "made_on": today().isoformat(),
            "share_identifying": "on",
        },
        submit=saved(
            lambda o, form: services.make_referral(
                o.world.case_a,
                by=o.world.specialist,
                **{
                    name: form.cleaned_data[name]
                    for name in ("direction", "organization", "service_type", "made_on", "note", "share_identifying")
                },
            ),
            services.SharingError,
        ),
        path=case_a("referrals/new/"),
        shows=lambda o: [o.world.case_a.get_absolute_url(), f"/cases/{o.world.case_a.pk}/timeline/"],
    ),
    Target(
        "cases/<int:pk>/referrals/<int:referral_pk>/status/",
        "specialist",
        bind=lambda o, data, files: ReferralStatusForm(data, referral=o.referral),
        valid=lambda o: {"status": "accepted", "outcome_on": today().isoformat(), "note": "Seen"},
        submit=saved(
            lambda o, form: services.update_referral(
                o.referral,
                by=o.world.specialist,
                status=form.cleaned_data["status"],
                outcome_on=form.cleaned_data["outcome_on"],
                note=form.cleaned_data["note"],
            ),
            services.SharingError,
        ),
        path=lambda o: f"/cases/{o.world.case_a.pk}/referrals/{o.referral.pk}/status/",
        shows=lambda o: [o.world.case_a.get_absolute_url(), f"/cases/{o.world.case_a.pk}/timeline/"],
    ),
    # Closure, re-enrollment
    Target(
        "cases/<int:pk>/close/",
        "specialist",
        bind=lambda o, data, files: ClosureRequestForm(data, case=closable_of(o), sensitive_allowed=True),
        valid=lambda o: {
            "reason": "goals met",
            "closed_on": closable_of(o).opened_on.isoformat(),
            "living_situation": "own home",
            "immigration_relief": "neither",
            "hhs_certification": "not applicable",
        },
        submit=saved(
            lambda o, form: services.request_closure(form.case, by=o.world.specialist, **form.answers()),
            services.ClosureError,
        ),
        path=lambda o: f"/cases/{closable_of(o).pk}/close/",
        shows=lambda o: [c.get_absolute_url() for c in Case.objects.filter(closures__isnull=False).order_by("-pk")[:1]],
    ),
    Target(
        "cases/<int:pk>/closures/<int:closure_pk>/decide/",
        "supervisor",
        bind=lambda o, data, files: ClosureDecisionForm(data),
        valid=lambda o: {"decision": "return", "note": "Add the referral for therapy."},
        submit=_decide_closure,
        path=lambda o: f"/cases/{waiting_closure_of(o).case_id}/closures/{waiting_closure_of(o).pk}/decide/",
        shows=lambda o: [
            Closure.objects.filter(status="returned").latest("pk").case.get_absolute_url(),
            "/cases/closures/",
        ],
    ),
    Target(
        "cases/<int:pk>/reenroll/",
        "specialist",
        bind=lambda o, data, files: ReenrollForm(data, user=o.world.specialist, case=closed_of(o)),
        valid=lambda o: {
            "on": closed_of(o).closed_on.isoformat(),
            "team": o.world.team_a.pk,
            "specialists": [o.world.specialist.pk],
            "note": "Came back after a move fell through.",
        },
        submit=saved(
            lambda o, form: services.reenroll(
                form.case,
                by=o.world.specialist,
                on=form.cleaned_data["on"],
                team=form.cleaned_data["team"],
                specialists=list(form.cleaned_data["specialists"]),
                note=form.cleaned_data["note"],
            ),
            services.ClosureError,
        ),
        path=lambda o: f"/cases/{closed_of(o).pk}/reenroll/",
        shows=lambda o: [Case.objects.filter(previous_case__isnull=False).latest("pk").get_absolute_url(), "/cases/"],
    ),
    # Restricted cases, emergency access and the timeline
    Target(
        "cases/<int:pk>/restriction/",
        "supervisor",
        bind=lambda o, data, files: RestrictionForm(data, case=o.world.case_a),
        valid=lambda o: {"restricted": "on", "named": [o.world.supervisor.pk]},
        submit=saved(
            lambda o, form: services.set_restriction(
                o.world.case_a,
                by=o.world.supervisor,
                restricted=form.cleaned_data["restricted"],
                named=list(form.cleaned_data["named"]),
            ),
            services.AccessError,
        ),
        path=case_a("restriction/"),
        shows=lambda o: [o.world.case_a.get_absolute_url(), f"/cases/{o.world.case_a.pk}/history/"],
    ),
    Target(
        "cases/emergency/",
        "outsider",
        bind=lambda o, data, files: EmergencyAccessForm(data),
        valid=lambda o: {"client_code": o.world.case_a.survivor.client_code, "reason": "Covering a crisis tonight."},
        submit=_emergency,
        path=lambda o: "/cases/emergency/",
        shows=lambda o: [o.world.case_a.get_absolute_url(), f"/cases/{o.world.case_a.pk}/timeline/"],
    ),
    Target(
        "cases/<int:pk>/timeline/",
        "specialist",
        bind=lambda o, data, files: TimelineFilterForm(data),
        valid=lambda o: {"kind": ["contact", "referral"]},
        submit=_timeline,
        path=case_a("timeline/"),
        stores=False,
        status=200,
        method="get",
    ),
    # Safety plans: the plan's fields, a row of each list and the lists' management fields.
    Target(
        "cases/<int:pk>/safety/new/",
        "specialist",
        bind=lambda o, data, files: SafetyPlanForms(data, case=o.world.case_a),
        valid=valid_safety_plan,
        submit=_safety_plan,
        parts=_safety_parts,
        path=case_a("safety/new/"),
        shows=lambda o: [
            f"/cases/{o.world.case_a.pk}/safety/",
            f"/cases/{o.world.case_a.pk}/safety/{o.world.case_a.safety_plans.latest('version').version}/",
            o.world.case_a.get_absolute_url(),
            f"/cases/{o.world.case_a.pk}/timeline/",
            f"/cases/{o.world.case_a.pk}/history/",
        ],
    ),
    # The service catalogue and the funders' codes, by the program director.
    Target(
        "cases/catalogue/services/new/",
        "director",
        bind=lambda o, data, files: ServiceForm(data),
        valid=valid_service,
        submit=saved(
            lambda o, form: services.add_service(by=o.world.director, details=form.details()),
            services.CatalogueError,
        ),
        path=lambda o: "/cases/catalogue/services/new/",
        shows=lambda o: ["/cases/catalogue/", "/cases/catalogue/codes/", f"/cases/{o.world.case_a.pk}/contacts/new/"],
    ),
    Target(
        "cases/catalogue/services/<int:service_pk>/edit/",
        "director",
        bind=lambda o, data, files: ServiceForm(data, service=Service.objects.get(key="transportation")),
        valid=valid_service_edit,
        submit=saved(
            lambda o, form: services.update_service(
                Service.objects.get(key="transportation"), by=o.world.director, details=form.details()
            ),
            services.CatalogueError,
        ),
        path=lambda o: f"/cases/catalogue/services/{Service.objects.get(key='transportation').pk}/edit/",
        shows=lambda o: ["/cases/catalogue/", "/cases/catalogue/codes/"],
    ),
    Target(
        "cases/catalogue/codes/new/",
        "director",
        bind=lambda o, data, files: FunderCodeForm(data),
        valid=lambda o: {
            "scheme": FunderScheme.VICTIM_SERVICES,
            "code": f"F{FunderCode.objects.count()}",
            "label": "Financial counseling",
            "category": "F. Financial help",
            "order": "40",
        },
        submit=saved(
            lambda o, form: services.add_funder_code(by=o.world.director, details=form.details()),
            services.CatalogueError,
        ),
        path=lambda o: "/cases/catalogue/codes/new/",
        shows=lambda o: ["/cases/catalogue/codes/"],
    ),
    # A code no report has counted under yet (a reported one refuses a new code: tests/cases/test_catalogue.py).
    Target(
        "cases/catalogue/codes/<int:code_pk>/edit/",
        "director",
        bind=lambda o, data, files: FunderCodeForm(data, funder_code=unused_code_of(o)),
        valid=lambda o: {"scheme": FunderScheme.HHS, "code": "other", "label": "Other help", "order": "17"},
        submit=saved(
            lambda o, form: services.update_funder_code(unused_code_of(o), by=o.world.director, details=form.details()),
            services.CatalogueError,
        ),
        path=lambda o: f"/cases/catalogue/codes/{unused_code_of(o).pk}/edit/",
        shows=lambda o: ["/cases/catalogue/codes/"],
    ),
    # Closing a request for help from outreach without an intake; refused, it is shown again (400).
    Target(
        "cases/intake-requests/<int:pk>/close/",
        "specialist",
        bind=lambda o, data, files: CloseRequestForm(data),
        valid=lambda o: {"reason": "Already known to the program."},
        submit=saved(
            lambda o, form: services.close_request(
                waiting_intake_request_of(o), by=o.world.specialist, reason=form.cleaned_data["reason"]
            ),
            ValidationError,
        ),
        path=lambda o: f"/cases/intake-requests/{waiting_intake_request_of(o).pk}/close/",
        shows_text=False,  # a closed request leaves the queue; its reason is kept, not shown
        shows=lambda o: ["/cases/intake-requests/"],
    ),
]


def assert_cases_consistent() -> None:
    """What must hold of cases and everything on them, whatever was posted."""
    # A stored determination is what the one function says of the stored answers.
    for screening in Screening.objects.all():
        assert screening.determination == screening.result().determination
    # The minor flag follows the survivor's age on the intake date.
    for case in Case.objects.select_related("survivor"):
        assert case.minor_at_intake == case.computed_minor_at_intake(), case
    # Object permissions are exactly the assignments, and the case's team.
    user_perm = CaseUserObjectPermission.objects.filter(
        content_object=OuterRef("case"), user=OuterRef("specialist"), permission__codename="view_case"
    )
    assert not CaseAssignment.objects.exclude(Exists(user_perm)).exists()
    assignment = CaseAssignment.objects.filter(case=OuterRef("content_object"), specialist=OuterRef("user"))
    assert not CaseUserObjectPermission.objects.exclude(Exists(assignment)).exists()
    team_perm = CaseGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"), group=OuterRef("team__group"), permission__codename="view_case"
    )
    assert not Case.objects.exclude(Exists(team_perm)).exists()
    assert not CaseGroupObjectPermission.objects.exclude(group=F("content_object__team__group")).exists()
    # An assigned specialist is a member of the case's team.
    assert not CaseAssignment.objects.exclude(specialist__teams=F("case__team")).exists()
    # Contacts and stages of change lie between the intake date and now.
    assert not Contact.objects.filter(occurred_at__gt=timezone.now()).exists()
    assert not Contact.objects.filter(occurred_at__date__lt=F("case__opened_on")).exists()
    for topics in Contact.objects.values_list("topics", flat=True):
        assert len(set(topics)) == len(topics), topics
        assert set(topics) <= set(Contact.Topic.values), topics
    assert not StageObservation.objects.filter(observed_on__gt=today()).exists()
    # An agreed next contact comes after the intake date, and at most the longest cadence after today.
    assert not Case.objects.filter(next_contact_on__lte=F("opened_on")).exists()
    latest = today() + timedelta(days=LONGEST_CONTACT_CADENCE_DAYS)
    assert not Case.objects.filter(next_contact_on__gt=latest).exists()
    assert not StageObservation.objects.filter(observed_on__lt=F("case__opened_on")).exists()
    # Releases: signed by today, expiring within their limit, on kinds of information that exist.
    for release in Release.objects.all():
        assert release.signed_on <= today(), release.pk
        assert release.expires_on <= services.latest_expiry(release.signed_on), release.pk
        assert set(release.information) <= set(InformationKind.values), release.pk
    # Identifying information went out only under a release of the same case, for that organization,
    # that included it and ran on the referral date (a revocation recorded later may predate it).
    for referral in Referral.objects.filter(identifying_information_shared=True).select_related("release"):
        release = referral.release
        assert (release.case_id, release.organization_id) == (referral.case_id, referral.organization_id)
        assert InformationKind.IDENTIFYING in release.information
        assert release.signed_on <= referral.made_on <= release.expires_on
    # Closures wait only on cases being served; an approved one closed its case on its own date.
    waiting = Closure.objects.filter(status=Closure.Status.REQUESTED)
    assert not waiting.exclude(case__status__in=Case.ACTIVE_STATUSES).exists()
    approved = Closure.objects.filter(status=Closure.Status.APPROVED)
    assert not approved.exclude(case__status__in=(Case.Status.CLOSED, Case.Status.REOPENED)).exists()
    assert not approved.filter(case__status=Case.Status.CLOSED).exclude(case__closed_on=F("closed_on")).exists()
    later_closed = Case.objects.filter(status=Case.Status.CLOSED, closures__isnull=False).distinct()
    assert not later_closed.exclude(closures__status=Closure.Status.APPROVED).exists()
    # A later enrollment is the same survivor's, and starts after the earlier one closed.
    assert not Case.objects.filter(previous_case__isnull=False).exclude(survivor=F("previous_case__survivor")).exists()
    assert not Case.objects.filter(opened_on__lt=F("previous_case__closed_on")).exists()
    # Services given lie on their contact's case and local day; codes come from their own scheme.
    for event in ServiceEvent.objects.filter(contact__isnull=False).select_related("contact"):
        assert event.case_id == event.contact.case_id, event.pk
        assert event.provided_on == timezone.localdate(event.contact.occurred_at), event.pk
    vs_coded = Service.objects.filter(victim_services_code__isnull=False)
    assert not vs_coded.exclude(victim_services_code__scheme=FunderScheme.VICTIM_SERVICES).exists()
    assert not Service.objects.filter(hhs_code__isnull=False).exclude(hhs_code__scheme=FunderScheme.HHS).exists()
    assert not Service.objects.filter(name__regex=r"[\x00-\x1f\x7f]|^\s|\s$").exists()
    # Answers come from their lists; a family member is related by a choice or in words.
    for name in Survivor.CLASSIFICATION_FIELDS:
        assert not Survivor.objects.exclude(**{f"{name}__in": [*Answer.values, ""]}).exists(), name
    for name, values in (
        ("guardian_role", GuardianRole.values),
        ("guardian_may_be_contacted", Answer.values),
        ("service_consent", ServiceConsent.values),
    ):
        assert not Case.objects.exclude(**{f"{name}__in": [*values, ""]}).exists(), name
    assert not FamilyMember.objects.exclude(relation__in=[*FamilyMember.Relation.values, ""]).exists()
    assert not FamilyMember.objects.filter(relation="", relationship="").exists()
    # A restricted case names someone who may lift the restriction.
    for case in Case.objects.filter(restricted=True):
        assert any(row.user.has_perm("cases.restrict_case") for row in case.named_people.select_related("user"))
    assert_safety_plans_consistent()


def assert_safety_plans_consistent() -> None:
    """A case's versions run 1..n without a gap; risks fit their source; each version holds
    something and was saved with a review date within a year."""
    earlier = SafetyPlan.objects.filter(case=OuterRef("case"), version=OuterRef("version") - 1)
    assert not SafetyPlan.objects.filter(version__gt=1).exclude(Exists(earlier)).exists()
    assert not SafetyRisk.objects.filter(source="trafficker").exclude(kind__in=TRAFFICKER_RISKS).exists()
    assert not SafetyRisk.objects.exclude(source="trafficker").filter(kind__in=TRAFFICKER_RISKS).exists()
    assert not SafetyRisk.objects.exclude(source="trafficker").exclude(methods=[]).exists()
    empty = SafetyPlan.objects.filter(code_word="", documents_kept="")
    for part in (SafetyRisk, SafePerson, SafePlace):
        empty = empty.exclude(Exists(part.objects.filter(plan=OuterRef("pk"))))
    assert not empty.exists()
    for plan in SafetyPlan.objects.all():
        saved_on = timezone.localdate(plan.created)
        assert saved_on <= plan.review_on <= latest_review(saved_on), plan.pk
        assert plan.emergency_numbers == in_list_order(plan.emergency_numbers, EmergencyNumber)
    for methods in SafetyRisk.objects.values_list("methods", flat=True):
        assert methods == in_list_order(methods, ControlMethod), methods


BY_ROUTE = pytest.mark.parametrize("target", TARGETS, ids=str)


@BY_ROUTE
def test_every_field_takes_every_hostile_value(objects, target):
    outcome = attack(target, objects)

    target.after(objects)
    assert_cases_consistent()
    every_row_has_history()
    assert outcome.stored > 0 or not target.stores, f"nothing was stored: refused {outcome.refused}"


@BY_ROUTE
def test_hostile_posts_through_the_whole_stack(objects, target):
    post_through_http(target, objects)

    assert_cases_consistent()
    every_row_has_history()
