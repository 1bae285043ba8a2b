"""Hostile values posted to every form: never a server error, never live markup, never a broken record.

Hypothesis builds each POST from the form's own fields (plus a stray one), filling them
with long text, control and right-to-left characters, NUL, emoji, HTML and script, SQL
fragments, huge and negative numbers, impossible dates and values of the wrong shape.
After every example:

* the answer is not a server error (the test client re-raises any exception a view lets out);
* no page that shows the stored values carries the injected markup unescaped;
* the database still holds together (``assert_consistent``).

``FORMS`` is checked against the access matrix: every route that accepts a POST is either
here or in ``NO_FIELDS`` with the reason it takes no input.
"""

import csv
import io
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms as django_forms
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Sum
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assistance.forms import FundForm, HousingForm, InKindForm, PaymentForm, ReasonForm, ReceiptForm, RequestForm
from assistance.models import (
    AssistanceRequest,
    Fund,
    FundBudget,
    HousingPlacement,
    InKindItem,
    Payment,
)
from assistance.services import housing as housing_services
from assistance.services import requests as request_services
from bloom.accounts.forms import EmailAuthenticationForm, TokenForm
from bloom.accounts.models import Role
from bloom.directory.models import Organization, Town
from bloom.reports.models import ReportJob
from bloom.vocabulary import ControlMethod, HelpNeed, VenueType
from cases import amp, services, uploads
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
    MandatedReportForm,
    OutcomeForm,
    ReenrollForm,
    ReferralForm,
    RestrictionForm,
    ScreeningForm,
    StageForm,
    StartIntakeForm,
    SurvivorDetailsForm,
)
from cases.forms.safety import RiskForm, SafePersonForm, SafePlaceForm, SafetyPlanForm
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
    OLDEST_AGE,
    TRAFFICKER_RISKS,
    Case,
    CaseAssignment,
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    Closure,
    Contact,
    Document,
    EmergencyAccess,
    EmergencyNumber,
    FamilyMember,
    Handoff,
    InformationKind,
    IntakeRequest,
    MandatedReport,
    NamedPerson,
    Referral,
    Release,
    SafePerson,
    SafePlace,
    SafetyPlan,
    SafetyRisk,
    Screening,
    StageObservation,
    Survivor,
)
from cases.services.inbox import LONGEST_NOTE as LONGEST_REQUEST_NOTE
from cases.services.safety import in_list_order, latest_review
from outreach import services as outreach_services
from outreach.forms import DashboardForm, HandOffForm, PartnershipForm, SessionForm, TrainingForm, VolunteerForm
from outreach.models import (
    LARGEST_COUNT,
    LONGEST_SESSION_HOURS,
    HandOff,
    OutreachSession,
    PartnershipActivity,
    Volunteer,
    VolunteerTraining,
)
from outreach.services import LONGEST_NOTE as LONGEST_OUTREACH_NOTE
from outreach.views import CSV_HEADER
from phases.forms.budget import BudgetMonthForm, BudgetNoteForm
from phases.forms.goals import GoalForm, GoalNoteForm, GoalStatusForm, StepForm
from phases.forms.journey import DecisionForm, MoveBackForm, MoveForwardForm, StartPlanForm
from phases.forms.templates import PHASES_PREFIX, NewTemplateForm, PhaseForm, TemplateForm
from phases.models import (
    ActionStep,
    BudgetLine,
    BudgetMonth,
    CasePlan,
    Goal,
    GoalNote,
    Phase,
    PhaseReview,
    PhaseStay,
    PhaseTemplate,
)
from phases.services import budget as budget_services
from phases.services import goals as goal_services
from phases.services import journey as journey_services
from phases.services import templates as template_services
from tests.cases.sharing_files import HTML, docx_bytes, jpeg_bytes, pdf_bytes, pdf_upload, png_bytes, zip_bytes
from tests.conftest import World
from tests.factories import (
    ask_money,
    ask_to_close,
    close_case,
    default_instrument,
    form_errors,
    give_kit,
    hand_off,
    log_outreach,
    make_case,
    make_curriculum,
    make_event,
    make_fund,
    make_town,
    make_trainer,
    make_user,
    make_volunteer,
    pay_money,
    shelter_stay,
)
from tests.matrix import MATRIX
from training import queries as training_queries
from training import services as training_services
from training.forms import (
    AttendeeForm,
    CertificationForm,
    CurriculumForm,
    EventForm,
    PaperSurveyForm,
    PeriodForm,
    SurveyForm,
    TrainerForm,
    WordingForm,
)
from training.models import (
    LARGEST_HEADCOUNT,
    LONGEST_SURVEY_WINDOW,
    Answer,
    Attendee,
    Audience,
    Certification,
    Construct,
    Curriculum,
    Experience,
    FieldOfWork,
    Item,
    Position,
    SubmissionMark,
    SurveyInstrument,
    SurveyResponse,
    Trainer,
    TrainingEvent,
)
from training.public import DEVICE_COOKIE
from training.services import LONGEST_NOTE as LONGEST_TRAINING_NOTE

MARKER = "hostile-markup"

MARKUP = [
    f"<script>{MARKER}</script>",
    f'"><img src=x onerror="{MARKER}">',
    f"<{MARKER} onclick=alert(1)>",
    f"</textarea><{MARKER}>",
    f"javascript:{MARKER}",
    f"{{{{ {MARKER} }}}}{{% now 'Y' %}}",
]
SQL = ["' OR '1'='1", "1; DROP TABLE cases_case; --", "%' AND 1=1 --", "\\'; SELECT pg_sleep(5); --"]
ODD_TEXT = [
    "",
    " ",
    "\x00",
    "Ana\x00Ruiz",
    "\u202eevil\u202c",
    "\u200f\u0645\u0631\u064a\u0645",
    "\x1b[31m\x07\x08",
    "🌸" * 40,
    "Z\u0351\u0352\u0353" * 30,
    "a" * 10_000,
    "\ud7ff\ue000\uffff",
    "null",
    "None",
    "undefined",
    "NaN",
]
NUMBERS = ["-1", "0", "-0", "1e9", "9" * 40, "-9223372036854775809", "3.5", "0x10", "1_000", " 42 ", "١٢"]
DATES = ["2026-02-30", "0000-00-00", "9999-12-31", "0001-01-01", "2026-13-01", "31/12/2026", "yesterday", "1e3"]

scalar = st.one_of(
    st.sampled_from(MARKUP + SQL + ODD_TEXT + NUMBERS + DATES),
    st.text(max_size=300),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(lambda d: d.isoformat()),
)
# A field may arrive missing, once, or several times (a list where one value is expected).
value = st.one_of(scalar, st.lists(scalar, min_size=2, max_size=4))


def post_data(field_names: list[str], valid: dict) -> st.SearchStrategy[dict]:
    """Anything at all, or (where a valid post is known) a valid post with a few fields spoiled.

    The second kind gets hostile text stored, so the pages that show it are really tested.
    """
    names = [*field_names, "unexpected-field"]
    anything = st.dictionaries(st.sampled_from(names), value, max_size=len(names))
    if not valid:
        return anything
    spoiled = st.dictionaries(st.sampled_from(names), value, min_size=1, max_size=3).map(lambda bad: {**valid, **bad})
    return st.one_of(anything, spoiled)


@dataclass(frozen=True)
class HostileForm:
    """A form to attack: who posts it, to where, its fields, and the pages that show what it stored."""

    path: Callable[[World], str]
    persona: str | None  # None: posted without signing in
    form: Callable[[World], django_forms.Form]
    examples: int
    valid: Callable[[World], dict] = lambda w: {}
    shows: Callable[[World], list[str]] = lambda w: []


FORMS: dict[str, HostileForm] = {
    "accounts/login/": HostileForm(
        lambda w: "/accounts/login/", None, lambda w: EmailAuthenticationForm(), examples=150
    ),
    "accounts/mfa/": HostileForm(
        lambda w: "/accounts/mfa/",
        "specialist",
        lambda w: TokenForm(device=None),  # only its fields are read
        examples=150,
    ),
    "cases/": HostileForm(lambda w: "/cases/", "supervisor", lambda w: CaseFilterForm(user=w.supervisor), examples=400),
    "cases/new/": HostileForm(
        lambda w: "/cases/new/",
        "specialist",
        lambda w: merged(StartIntakeForm(user=w.specialist), SurvivorDetailsForm(sensitive_allowed=True)),
        examples=450,
        valid=lambda w: {
            "legal_name": "Rosa Vega",
            "team": w.team_a.pk,
            "specialists": [w.specialist.pk],
            "opened_on": w.case_a.opened_on.isoformat(),
            "race": ["hispanic"],
            "safe_to_call": "true",
        },
        shows=lambda w: ["/cases/", *(c.get_absolute_url() for c in Case.objects.order_by("-pk")[:1])],
    ),
    "cases/<int:pk>/edit/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/edit/",
        "specialist",
        lambda w: merged(
            ReferralForm(instance=w.case_a),
            SurvivorDetailsForm(instance=w.case_a.survivor, sensitive_allowed=True),
        ),
        examples=450,
        valid=lambda w: {"legal_name": "Alma Alpha", "opened_on": w.case_a.opened_on.isoformat()},
        shows=lambda w: [w.case_a.get_absolute_url(), f"/cases/{w.case_a.pk}/history/", "/cases/"],
    ),
    "cases/duplicates/": HostileForm(
        lambda w: "/cases/duplicates/",
        "specialist",
        lambda w: merged(DuplicateCheckForm(), fields_named("case")),
        examples=150,
    ),
    "cases/<int:pk>/screening/new/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/screening/new/",
        "specialist",
        lambda w: ScreeningForm(case=w.case_a, sensitive_allowed=True),
        examples=300,
        valid=lambda w: {
            "actions": [amp.Action.RECRUITS],
            "means_force": [amp.Means.CONFINEMENT],
            "purposes": [amp.Purpose.COMMERCIAL_SEX],
            "screened_on": w.case_a.opened_on.isoformat(),
        },
        shows=lambda w: [w.case_a.get_absolute_url(), f"/cases/{w.case_a.pk}/screening/"],
    ),
    "cases/<int:pk>/eligibility/": HostileForm(
        lambda w: f"/cases/{intake_of(w).pk}/eligibility/",
        "supervisor",
        lambda w: EligibilityOverrideForm(),
        examples=100,
        valid=lambda w: {"reason": "Lives with her sister in Hartford from next week."},
        shows=lambda w: [intake_of(w).get_absolute_url(), f"/cases/{intake_of(w).pk}/history/"],
    ),
    "cases/<int:pk>/outcome/": HostileForm(
        lambda w: f"/cases/{intake_of(w).pk}/outcome/",
        "specialist",
        lambda w: OutcomeForm(case=intake_of(w)),
        examples=150,
        valid=lambda w: {"outcome": "not enrolled", "reason": "declined", "decided_on": intake_of(w).opened_on},
        shows=lambda w: [intake_of(w).get_absolute_url()],
    ),
    "cases/<int:pk>/mandated-reports/new/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/mandated-reports/new/",
        "specialist",
        lambda w: MandatedReportForm(user=w.specialist),
        examples=150,
        valid=lambda w: {
            "kind": MandatedReport.Kind.CARELINE,
            "made_at": "2026-01-05T10:30",
            "made_by": "Sam Specialist",
            "reference": "CL-2026-0101",
        },
        shows=lambda w: [w.case_a.get_absolute_url()],
    ),
    "cases/<int:pk>/family/new/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/family/new/",
        "specialist",
        lambda w: FamilyMemberForm(),
        examples=100,
        valid=lambda w: {"name": "Lena", "relationship": "Daughter"},
        shows=lambda w: [w.case_a.get_absolute_url()],
    ),
    "cases/<int:pk>/assign/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/assign/",
        "supervisor",
        lambda w: AssignCaseForm(user=w.supervisor, case=w.case_a),
        examples=300,
        valid=lambda w: {"team": w.team_a.pk, "specialists": [w.specialist.pk, w.colleague.pk]},
        shows=lambda w: [w.case_a.get_absolute_url()],
    ),
    # Contacts and stages of change
    "cases/<int:pk>/contacts/new/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/contacts/new/",
        "specialist",
        lambda w: ContactForm(),
        examples=250,
        valid=lambda w: valid_contact(),
        shows=lambda w: [w.case_a.get_absolute_url(), f"/cases/{w.case_a.pk}/contacts/", "/cases/", "/"],
    ),
    "cases/<int:pk>/contacts/<int:contact_pk>/correct/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/contacts/{contact_of(w).pk}/correct/",
        "specialist",
        lambda w: ContactForm(),
        examples=150,
        valid=lambda w: valid_contact(),
        shows=lambda w: [f"/cases/{w.case_a.pk}/contacts/", w.case_a.get_absolute_url()],
    ),
    "cases/<int:pk>/contacts/cadence/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/contacts/cadence/",
        "specialist",
        lambda w: ContactCadenceForm(),
        examples=100,
        valid=lambda w: {"days": "7"},
        shows=lambda w: [w.case_a.get_absolute_url(), "/"],
    ),
    "cases/<int:pk>/stages/new/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/stages/new/",
        "specialist",
        lambda w: StageForm(),
        examples=100,
        valid=lambda w: {"stage": "action", "observed_on": w.case_a.opened_on.isoformat()},
        shows=lambda w: [w.case_a.get_absolute_url()],
    ),
    # Documents, releases and referrals
    # The upload takes a file, which this harness cannot post: test_document_upload_form attacks it.
    "cases/<int:pk>/documents/new/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/documents/new/",
        "specialist",
        lambda w: DocumentForm(),
        examples=200,
        valid=lambda w: {"kind": "letter", "title": "Lease letter"},
        shows=lambda w: [w.case_a.get_absolute_url(), f"/cases/{w.case_a.pk}/history/"],
    ),
    # Deleting and revoking can happen once per document or release: their tests make a fresh one
    # whenever the last was used up (test_document_delete_form, test_release_revoke_form).
    "cases/<int:pk>/documents/<int:document_pk>/delete/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/documents/{live_document_of(w).pk}/delete/",
        "specialist",
        lambda w: DocumentDeleteForm(),
        examples=100,
        valid=lambda w: {"reason": "Uploaded to the wrong case"},
        shows=lambda w: [w.case_a.get_absolute_url(), f"/cases/{w.case_a.pk}/history/"],
    ),
    "cases/<int:pk>/releases/new/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/releases/new/",
        "specialist",
        lambda w: ReleaseForm(),
        examples=200,
        valid=lambda w: {
            "organization": partner_of(w).pk,
            "information": ["identifying", "health"],
            "purpose": "Care coordination",
            "signed_on": timezone.localdate().isoformat(),
            "expires_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
        },
        shows=lambda w: [w.case_a.get_absolute_url(), f"/cases/{w.case_a.pk}/history/"],
    ),
    "cases/<int:pk>/releases/<int:release_pk>/revoke/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/releases/{live_release_of(w).pk}/revoke/",
        "specialist",
        lambda w: RevokeReleaseForm(release=live_release_of(w)),
        examples=100,
        valid=lambda w: {"revoked_on": timezone.localdate().isoformat(), "revocation_note": "By phone"},
        shows=lambda w: [w.case_a.get_absolute_url(), f"/cases/{w.case_a.pk}/history/"],
    ),
    "cases/<int:pk>/referrals/new/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/referrals/new/",
        "specialist",
        lambda w: NewReferralForm(),
        examples=200,
        valid=lambda w: {
            "direction": "out",
            "organization": partner_of(w).pk,
            "service_type": "therapy",
            "made_on": timezone.localdate().isoformat(),
            "share_identifying": "on",
        },
        shows=lambda w: [w.case_a.get_absolute_url(), f"/cases/{w.case_a.pk}/history/"],
    ),
    "cases/<int:pk>/referrals/<int:referral_pk>/status/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/referrals/{referral_of(w).pk}/status/",
        "specialist",
        lambda w: ReferralStatusForm(referral=referral_of(w)),
        examples=150,
        valid=lambda w: {"status": "accepted", "outcome_on": timezone.localdate().isoformat(), "note": "Seen"},
        shows=lambda w: [w.case_a.get_absolute_url(), f"/cases/{w.case_a.pk}/history/"],
    ),
    # Closure, re-enrollment and handoffs
    "cases/<int:pk>/close/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/close/",
        "specialist",
        lambda w: ClosureRequestForm(case=w.case_a, sensitive_allowed=True),
        examples=250,
        valid=lambda w: {
            "reason": "goals met",
            "closed_on": w.case_a.opened_on.isoformat(),
            "living_situation": "own home",
            "immigration_relief": "neither",
            "hhs_certification": "not applicable",
        },
        shows=lambda w: [w.case_a.get_absolute_url(), f"/cases/{w.case_a.pk}/history/"],
    ),
    "cases/<int:pk>/closures/<int:closure_pk>/decide/": HostileForm(
        lambda w: f"/cases/{closure_of(w).case_id}/closures/{closure_of(w).pk}/decide/",
        "supervisor",
        lambda w: ClosureDecisionForm(),
        examples=150,
        valid=lambda w: {"decision": "return", "note": "Add the referral for therapy."},
        shows=lambda w: [closure_of(w).case.get_absolute_url(), "/cases/closures/"],
    ),
    "cases/<int:pk>/reenroll/": HostileForm(
        lambda w: f"/cases/{closed_of(w).pk}/reenroll/",
        "specialist",
        lambda w: ReenrollForm(user=w.specialist, case=closed_of(w)),
        examples=150,
        valid=lambda w: {
            "on": closed_of(w).closed_on.isoformat(),
            "team": w.team_a.pk,
            "specialists": [w.specialist.pk],
            "note": "Came back after a move fell through.",
        },
        shows=lambda w: [*(c.get_absolute_url() for c in Case.objects.filter(previous_case=closed_of(w))), "/cases/"],
    ),
    # Restricted cases, emergency access and the timeline
    "cases/<int:pk>/restriction/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/restriction/",
        "supervisor",
        lambda w: RestrictionForm(case=w.case_a),
        examples=150,
        valid=lambda w: {"restricted": "on", "named": [w.supervisor.pk]},
        shows=lambda w: [w.case_a.get_absolute_url(), f"/cases/{w.case_a.pk}/history/"],
    ),
    "cases/emergency/": HostileForm(
        lambda w: "/cases/emergency/",
        "outsider",
        lambda w: EmergencyAccessForm(),
        examples=150,
        valid=lambda w: {"client_code": w.case_a.survivor.client_code, "reason": "Covering a crisis tonight."},
        shows=lambda w: [w.case_a.get_absolute_url(), f"/cases/{w.case_a.pk}/timeline/"],
    ),
    # Safety plans: the plan's fields and two rows of each list, with the lists' management fields.
    "cases/<int:pk>/safety/new/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/safety/new/",
        "specialist",
        lambda w: safety_plan_fields(),
        examples=100,
        valid=lambda w: valid_safety_plan(),
        shows=lambda w: [
            f"/cases/{w.case_a.pk}/safety/",
            latest_safety_plan_of(w),
            w.case_a.get_absolute_url(),
            f"/cases/{w.case_a.pk}/timeline/",
            f"/cases/{w.case_a.pk}/history/",
        ],
    ),
    # Phase templates: the director's; the edit form is the template's fields and a row per phase.
    "plans/templates/new/": HostileForm(
        lambda w: "/plans/templates/new/",
        "director",
        lambda w: NewTemplateForm(),
        examples=100,
        valid=lambda w: {"source": template_in_use().pk, "name": "Our own phases", "description": "For adults."},
        shows=lambda w: ["/plans/templates/", *(f"/plans/templates/{t.pk}/" for t in latest_templates())],
    ),
    "plans/templates/<int:template_pk>/edit/": HostileForm(
        lambda w: f"/plans/templates/{template_to_change_of(w).pk}/edit/",
        "director",
        lambda w: template_edit_fields(template_to_change_of(w)),
        examples=100,
        valid=lambda w: valid_template_edit(template_to_change_of(w)),
        shows=lambda w: ["/plans/templates/", f"/plans/templates/{template_to_change_of(w).pk}/"],
    ),
    # The case plan and its journey. Moving on, deciding and moving back are made possible again
    # before every example (test_move_forward_form and the others), so that each can be stored.
    "cases/<int:pk>/plan/start/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/plan/start/",
        "specialist",
        lambda w: StartPlanForm(case=w.case_a),
        examples=100,
        valid=lambda w: {
            "template": template_in_use().pk,
            "started_on": w.case_a.opened_on.isoformat(),
            "expected_months": "12",
        },
        shows=lambda w: [f"/cases/{w.case_a.pk}/plan/", f"/cases/{w.case_a.pk}/timeline/"],
    ),
    "cases/<int:pk>/plan/move/": HostileForm(
        lambda w: f"/cases/{movable_plan_of(w).case_id}/plan/move/",
        "specialist",
        lambda w: move_forward_form_of(movable_plan_of(w)),
        examples=100,
        valid=lambda w: {
            "checklist": ["0", "2"],
            "specialist_note": "Housing is settled for now.",
            "survivor_view": "I want to start therapy.",
            "move_on": timezone.localdate().isoformat(),
        },
        shows=lambda w: [f"/cases/{w.case_a.pk}/plan/", f"/cases/{w.case_a.pk}/timeline/"],
    ),
    "cases/<int:pk>/plan/reviews/<int:review_pk>/decide/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/plan/reviews/{live_review_of(w).pk}/decide/",
        "supervisor",
        lambda w: DecisionForm(),
        examples=100,
        valid=lambda w: {"decision": "return", "note": "Let us look at the budget together first."},
        shows=lambda w: [f"/cases/{w.case_a.pk}/plan/", "/plans/reviews/", f"/cases/{w.case_a.pk}/timeline/"],
    ),
    "cases/<int:pk>/plan/back/": HostileForm(
        lambda w: f"/cases/{plan_past_first_phase_of(w).case_id}/plan/back/",
        "specialist",
        lambda w: move_back_form_of(plan_past_first_phase_of(w)),
        examples=100,
        valid=lambda w: {
            "phase": plan_of_case_a(w).template.phases.get(position=1).pk,
            "moved_on": timezone.localdate().isoformat(),
            "reason": "Lost her apartment this week.",
        },
        shows=lambda w: [f"/cases/{w.case_a.pk}/plan/", f"/cases/{w.case_a.pk}/timeline/"],
    ),
    # Goals and the budget worksheet
    "cases/<int:pk>/goals/new/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/goals/new/",
        "specialist",
        lambda w: merged(GoalForm(case=w.case_a, new=True), fields_named("phase")),
        examples=100,
        valid=lambda w: {
            "in_own_words": "A place of my own, with a door that locks.",
            "domain": "housing",
            "priority": "1",
            "status": "not started",
            "target_on": w.case_a.opened_on.isoformat(),
        },
        shows=lambda w: [f"/cases/{w.case_a.pk}/goals/", *(goal_url(g) for g in w.case_a.goals.order_by("-pk")[:1])],
    ),
    "cases/<int:pk>/goals/<int:goal_pk>/edit/": HostileForm(
        lambda w: f"{goal_url(goal_of(w))}edit/",
        "specialist",
        lambda w: merged(GoalForm(case=w.case_a, new=False), fields_named("phase")),
        examples=100,
        valid=lambda w: {"in_own_words": "A room first, then a flat.", "domain": "housing", "priority": "2"},
        shows=lambda w: [goal_url(goal_of(w)), f"/cases/{w.case_a.pk}/goals/"],
    ),
    "cases/<int:pk>/goals/<int:goal_pk>/status/": HostileForm(
        lambda w: f"{goal_url(goal_of(w))}status/",
        "specialist",
        lambda w: GoalStatusForm(goal=goal_of(w)),
        examples=100,
        valid=lambda w: {"status": "in progress", "note": "She started looking this week."},
        shows=lambda w: [goal_url(goal_of(w)), f"/cases/{w.case_a.pk}/goals/"],
    ),
    "cases/<int:pk>/goals/<int:goal_pk>/steps/new/": HostileForm(
        lambda w: f"{goal_url(goal_of(w))}steps/new/",
        "specialist",
        lambda w: StepForm(),
        examples=100,
        valid=lambda w: {
            "description": "Call the housing office",
            "owner": "partner",
            "partner": "Legal aid",
            "due_on": w.case_a.opened_on.isoformat(),
        },
        shows=lambda w: [goal_url(goal_of(w)), f"/cases/{w.case_a.pk}/goals/"],
    ),
    "cases/<int:pk>/goals/<int:goal_pk>/steps/<int:step_pk>/edit/": HostileForm(
        lambda w: f"{goal_url(goal_of(w))}steps/{step_of(w).pk}/edit/",
        "specialist",
        lambda w: StepForm(),
        examples=100,
        valid=lambda w: {"description": "Visit the flat", "owner": "survivor", "done_on": timezone.localdate()},
        shows=lambda w: [goal_url(goal_of(w)), f"/cases/{w.case_a.pk}/goals/"],
    ),
    "cases/<int:pk>/goals/<int:goal_pk>/notes/new/": HostileForm(
        lambda w: f"{goal_url(goal_of(w))}notes/new/",
        "specialist",
        lambda w: GoalNoteForm(),
        examples=100,
        valid=lambda w: {"written_on": timezone.localdate().isoformat(), "note": "Saw two flats."},
        shows=lambda w: [goal_url(goal_of(w))],
    ),
    "cases/<int:pk>/budget/new/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/budget/new/",
        "specialist",
        lambda w: BudgetMonthForm(),
        examples=100,
        valid=lambda w: {
            "year": str(timezone.localdate().year),
            "month": str(timezone.localdate().month),
            "note": "First month with a job.",
        },
        shows=lambda w: [
            f"/cases/{w.case_a.pk}/budget/",
            *(month_url(m) for m in w.case_a.budget_months.order_by("-pk")[:1]),
        ],
    ),
    # The worksheet is a formset: its management fields and two lines' fields are attacked.
    "cases/<int:pk>/budget/<int:month_pk>/edit/": HostileForm(
        lambda w: f"{month_url(budget_month_of(w))}edit/",
        "specialist",
        lambda w: merged(BudgetNoteForm(), fields_named(*BUDGET_FORMSET_FIELDS)),
        examples=100,
        valid=lambda w: {
            "lines-TOTAL_FORMS": "2",
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "60",
            "lines-0-kind": "income",
            "lines-0-category": "wages",
            "lines-0-label": "Restaurant job",
            "lines-0-amount": "1,200.50",
            "lines-1-kind": "expense",
            "lines-1-category": "rent",
            "lines-1-amount": "650",
            "note": "Tight month",
        },
        shows=lambda w: [month_url(budget_month_of(w)), f"/cases/{w.case_a.pk}/budget/"],
    ),
    # Assistance: money for case A, help in kind, housing stays, funds. Denying, cancelling and
    # paying use a request up once each: their tests find or make a fresh one for every example.
    "cases/<int:pk>/assistance/requests/new/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/assistance/requests/new/",
        "specialist",
        lambda w: RequestForm(),
        examples=80,
        valid=lambda w: valid_request(w),  # noqa: PLW0108 (defined below FORMS)
        shows=lambda w: [f"/cases/{w.case_a.pk}/assistance/", *latest_request_pages(w)],
    ),
    "cases/<int:pk>/assistance/requests/<int:request_pk>/edit/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/assistance/requests/{waiting_request_of(w).pk}/edit/",
        "specialist",
        lambda w: RequestForm(),
        examples=60,
        valid=lambda w: valid_request(w),  # noqa: PLW0108 (defined below FORMS)
        shows=lambda w: [f"/cases/{w.case_a.pk}/assistance/", f"/assistance/requests/{waiting_request_of(w).pk}/"],
    ),
    "assistance/requests/<int:pk>/deny/": HostileForm(
        lambda w: f"/assistance/requests/{waiting_request_of(w).pk}/deny/",
        "supervisor",
        lambda w: ReasonForm(),
        examples=40,
        valid=lambda w: {"reason": "Another program covers this; referred there."},
        shows=lambda w: [*latest_request_pages(w), "/assistance/queue/approval/"],
    ),
    "assistance/requests/<int:pk>/cancel/": HostileForm(
        lambda w: f"/assistance/requests/{waiting_request_of(w).pk}/cancel/",
        "specialist",
        lambda w: ReasonForm(),
        examples=40,
        valid=lambda w: {"reason": "The landlord agreed to wait."},
        shows=lambda w: [*latest_request_pages(w), f"/cases/{w.case_a.pk}/assistance/"],
    ),
    "assistance/requests/<int:pk>/pay/": HostileForm(
        lambda w: f"/assistance/requests/{approved_request_of(w).pk}/pay/",
        "finance",
        lambda w: PaymentForm(),
        examples=50,
        valid=lambda w: {"method": "check", "reference": "1001", "paid_on": timezone.localdate().isoformat()},
        shows=lambda w: [*latest_request_pages(w), "/assistance/queue/payment/", f"/assistance/funds/{fund_of(w).pk}/"],
    ),
    # The receipt is a file: the test posts a real or spoiled one with every example.
    "assistance/requests/<int:pk>/receipt/add/": HostileForm(
        lambda w: f"/assistance/requests/{unreceipted_request_of(w).pk}/receipt/add/",
        "finance",
        lambda w: ReceiptForm(),
        examples=40,
        shows=lambda w: latest_request_pages(w),  # noqa: PLW0108 (defined below FORMS)
    ),
    "cases/<int:pk>/assistance/in-kind/new/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/assistance/in-kind/new/",
        "specialist",
        lambda w: InKindForm(),
        examples=100,
        valid=lambda w: {
            "kind": "food",
            "description": "Groceries",
            "quantity": "2",
            "value": "30.00",
            "given_on": timezone.localdate().isoformat(),
        },
        shows=lambda w: [f"/cases/{w.case_a.pk}/assistance/", "/assistance/in-kind/"],
    ),
    "cases/<int:pk>/assistance/in-kind/<int:item_pk>/remove/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/assistance/in-kind/{item_of(w).pk}/remove/",
        "specialist",
        lambda w: ReasonForm(),
        examples=40,
        valid=lambda w: {"reason": "Recorded twice"},
        shows=lambda w: [f"/cases/{w.case_a.pk}/assistance/", f"/cases/{w.case_a.pk}/history/"],
    ),
    # A case holds one stay begun on a given day: each example posts to a case with no stay yet.
    "cases/<int:pk>/assistance/housing/new/": HostileForm(
        lambda w: f"/cases/{unhoused_case_of(w).pk}/assistance/housing/new/",
        "specialist",
        lambda w: HousingForm(),
        examples=100,
        valid=lambda w: {
            "kind": "emergency",
            "provider_name": "Harbor House",
            "started_on": timezone.localdate().isoformat(),
            "expected_end": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
        shows=lambda w: [
            f"/cases/{stay.case_id}/{page}/"
            for stay in HousingPlacement.objects.order_by("-pk")[:1]
            for page in ("assistance", "history", "timeline")
        ],
    ),
    "cases/<int:pk>/assistance/housing/<int:stay_pk>/edit/": HostileForm(
        lambda w: f"/cases/{w.case_a.pk}/assistance/housing/{open_stay_of(w).pk}/edit/",
        "specialist",
        lambda w: merged(HousingForm(), fields_named("ended_on", "exit_destination")),
        examples=60,
        valid=lambda w: {
            "expected_end": (timezone.localdate() + timedelta(days=20)).isoformat(),
            "note": "Moved to a quieter room.",
        },
        shows=lambda w: [f"/cases/{w.case_a.pk}/assistance/"],
    ),
    "assistance/funds/new/": HostileForm(
        lambda w: "/assistance/funds/new/",
        "finance",
        lambda w: FundForm(),
        examples=100,
        valid=lambda w: valid_fund(award_number="2026-VT-0099"),
        shows=lambda w: [
            "/assistance/funds/",
            *(f"/assistance/funds/{f.pk}/" for f in Fund.objects.order_by("-pk")[:1]),
        ],
    ),
    "assistance/funds/<int:fund_pk>/edit/": HostileForm(
        lambda w: f"/assistance/funds/{fund_of(w).pk}/edit/",
        "finance",
        lambda w: FundForm(),
        examples=60,
        valid=lambda w: valid_fund(award_number=fund_of(w).award_number),
        shows=lambda w: ["/assistance/funds/", f"/assistance/funds/{fund_of(w).pk}/"],
    ),
    # Outreach. A new session's valid post has no volunteer, so it can be stored again and again
    # (a volunteer would be double-booked the second time); the edit keeps one on the same session.
    "outreach/sessions/new/": HostileForm(
        lambda w: "/outreach/sessions/new/",
        "outreach",
        lambda w: SessionForm(),
        examples=200,
        valid=lambda w: valid_session(w),  # noqa: PLW0108 (defined below FORMS)
        shows=lambda w: [*latest_session_pages(), "/outreach/", "/outreach/dashboard/"],
    ),
    "outreach/sessions/<int:pk>/edit/": HostileForm(
        lambda w: f"/outreach/sessions/{session_of(w).pk}/edit/",
        "outreach",
        lambda w: SessionForm(session=session_of(w)),
        examples=150,
        valid=lambda w: valid_session(w, volunteers=[team_volunteer_of(w)]),
        shows=lambda w: [
            f"/outreach/sessions/{session_of(w).pk}/",
            f"/outreach/volunteers/{team_volunteer_of(w).pk}/",
            "/outreach/",
            "/outreach/dashboard/",
        ],
    ),
    # What the person shared goes to the intake queue, which outreach cannot read:
    # test_hand_off_form reads every request stored as team A's intake does.
    "outreach/sessions/<int:pk>/hand-off/": HostileForm(
        lambda w: f"/outreach/sessions/{session_of(w).pk}/hand-off/",
        "outreach",
        lambda w: HandOffForm(),
        examples=150,
        valid=lambda w: {
            "team": w.team_a.pk,
            "name": "Rosa",
            "age": "34",
            "language": "Spanish",
            "phone": "860-555-0142",
            "safe_to_text": "yes",
            "safe_to_call": "no",
            "how_to_reach": "Text after 9 at night.",
            "needs": ["safe place", "food"],
            "in_their_words": "Wants somewhere safe to sleep.",
            "agreed": "on",
        },
        shows=lambda w: [f"/outreach/sessions/{session_of(w).pk}/"],
    ),
    "outreach/volunteers/new/": HostileForm(
        lambda w: "/outreach/volunteers/new/",
        "outreach",
        lambda w: VolunteerForm(),
        examples=100,
        valid=lambda w: {
            "full_name": "Vera Volunteer",
            "status": "background checked",
            "applied_on": days_ago(30),
            "background_checked_on": days_ago(10),
            "languages": "English, Spanish",
        },
        shows=lambda w: [
            "/outreach/volunteers/",
            *(f"/outreach/volunteers/{v.pk}/" for v in Volunteer.objects.order_by("-pk")[:1]),
        ],
    ),
    "outreach/volunteers/<int:pk>/edit/": HostileForm(
        lambda w: f"/outreach/volunteers/{volunteer_to_change_of(w).pk}/edit/",
        "outreach",
        lambda w: VolunteerForm(),
        examples=100,
        valid=lambda w: {
            "full_name": "Vic Changing",
            "status": "active",
            "applied_on": days_ago(90),
            "background_checked_on": days_ago(60),
            "trained_on": days_ago(30),
            "user": w.volunteer.pk,
            "availability": "Weekday evenings",
        },
        shows=lambda w: ["/outreach/volunteers/", f"/outreach/volunteers/{volunteer_to_change_of(w).pk}/"],
    ),
    # Refused, the volunteer's page is shown again with the training form's messages (400).
    "outreach/volunteers/<int:pk>/trainings/new/": HostileForm(
        lambda w: f"/outreach/volunteers/{volunteer_to_change_of(w).pk}/trainings/new/",
        "outreach",
        lambda w: TrainingForm(),
        examples=80,
        valid=lambda w: {"on": days_ago(0), "topic": "Refresher on safety planning", "hours": "2.5"},
        shows=lambda w: [f"/outreach/volunteers/{volunteer_to_change_of(w).pk}/"],
    ),
    "outreach/partnerships/new/": HostileForm(
        lambda w: "/outreach/partnerships/new/",
        "outreach",
        lambda w: PartnershipForm(),
        examples=80,
        valid=lambda w: valid_partnership(w),  # noqa: PLW0108 (defined below FORMS)
        shows=lambda w: ["/outreach/partnerships/"],
    ),
    "outreach/partnerships/<int:pk>/edit/": HostileForm(
        lambda w: f"/outreach/partnerships/{partnership_of(w).pk}/edit/",
        "outreach",
        lambda w: PartnershipForm(activity=partnership_of(w)),
        examples=60,
        valid=lambda w: valid_partnership(w),  # noqa: PLW0108 (defined below FORMS)
        shows=lambda w: ["/outreach/partnerships/"],
    ),
    # Closing uses a request up: test_intake_request_close_form passes a fresh one on whenever the
    # last was closed. Refused, the request is shown again with the message (400).
    "cases/intake-requests/<int:pk>/close/": HostileForm(
        lambda w: f"/cases/intake-requests/{waiting_intake_request_of(w).pk}/close/",
        "specialist",
        lambda w: CloseRequestForm(),
        examples=60,
        valid=lambda w: {"reason": "Already known to the program."},
        shows=lambda w: ["/cases/intake-requests/"],
    ),
    # Training: the trainer's forms, on one curriculum, trainer and event made on first use. Few of
    # the spoiled posts to the event and paper survey forms are still valid (most of their fields
    # are choices), hence their larger budgets: each stores some, run after run.
    "training/events/new/": HostileForm(
        lambda w: "/training/events/new/",
        "trainer",
        lambda w: EventForm(),
        examples=300,
        valid=lambda w: valid_event(w),  # noqa: PLW0108 (defined below FORMS)
        shows=lambda w: [
            "/training/",
            *latest_event_pages(),
            f"/training/trainers/{course_trainer_of(w).pk}/",
        ],
    ),
    "training/events/<int:pk>/edit/": HostileForm(
        lambda w: f"/training/events/{training_event_of(w).pk}/edit/",
        "trainer",
        lambda w: EventForm(),
        examples=300,
        valid=lambda w: valid_event(w),  # noqa: PLW0108 (defined below FORMS)
        shows=lambda w: [
            f"/training/events/{training_event_of(w).pk}/",
            f"/training/events/{training_event_of(w).pk}/edit/",
            "/training/",
            f"/training/trainers/{course_trainer_of(w).pk}/",
        ],
    ),
    "training/events/<int:pk>/attendees/": HostileForm(
        lambda w: f"/training/events/{training_event_of(w).pk}/attendees/",
        "trainer",
        lambda w: AttendeeForm(),
        examples=80,
        valid=lambda w: {
            "full_name": "Ann Attendee",
            "organization": "Hartford Public Schools",
            "field_of_work": "education",
            "position": "teacher",
            "email": "ann@example.org",
        },
        shows=lambda w: [f"/training/events/{training_event_of(w).pk}/", "/training/"],
    ),
    "training/events/<int:pk>/surveys/paper/": HostileForm(
        lambda w: f"/training/events/{training_event_of(w).pk}/surveys/paper/",
        "trainer",
        lambda w: PaperSurveyForm(layout=training_queries.survey_layout(default_instrument())),
        examples=250,
        valid=lambda w: valid_survey(phase="post"),
        shows=lambda w: (
            [f"/training/events/{training_event_of(w).pk}/{page}" for page in ("surveys/", "results/", "")]
            + ["/training/results/"]
        ),
    ),
    "training/trainers/<int:pk>/certify/": HostileForm(
        lambda w: f"/training/trainers/{course_trainer_of(w).pk}/certify/",
        "trainer",
        lambda w: CertificationForm(),
        examples=150,
        valid=lambda w: {
            "curriculum": curriculum_of(w).pk,
            "kind": "facilitator",
            "certified_on": days_ago(10),
            "expires_on": future(365),
            "teach_back": "classroom",
        },
        shows=lambda w: [f"/training/trainers/{course_trainer_of(w).pk}/", "/training/trainers/"],
    ),
    # A curriculum's name and version are taken once: the valid post is stored the first time only.
    "training/curricula/new/": HostileForm(
        lambda w: "/training/curricula/new/",
        "trainer",
        lambda w: CurriculumForm(),
        examples=150,
        valid=lambda w: {
            "name": "Labor trafficking",
            "version": "1",
            "audience": "general",
            "hours": "2.5",
            "sessions": "1",
            "description": "For shelter staff.",
            "active": "on",
        },
        shows=lambda w: [
            "/training/curricula/",
            "/training/events/new/",
            f"/training/trainers/{course_trainer_of(w).pk}/",
        ],
    ),
    "training/curricula/<int:pk>/edit/": HostileForm(
        lambda w: f"/training/curricula/{curriculum_of(w).pk}/edit/",
        "trainer",
        lambda w: CurriculumForm(instance=curriculum_of(w)),
        examples=60,
        valid=lambda w: {
            "name": "Introduction to DMST",
            "version": "2024",
            "audience": "school staff",
            "hours": "3",
            "sessions": "2",
            "description": "",
            "active": "on",
        },
        shows=lambda w: [
            "/training/curricula/",
            "/training/",
            f"/training/events/{training_event_of(w).pk}/",
            f"/training/events/{training_event_of(w).pk}/results/",
            f"/training/trainers/{course_trainer_of(w).pk}/",
        ],
    ),
    "training/trainers/new/": HostileForm(
        lambda w: "/training/trainers/new/",
        "trainer",
        lambda w: TrainerForm(),
        examples=60,
        valid=lambda w: {"full_name": "Tess Teacher", "email": "tess@example.org", "active": "on"},
        shows=lambda w: [
            "/training/trainers/",
            "/training/events/new/",
            *(f"/training/trainers/{t.pk}/" for t in Trainer.objects.order_by("-pk")[:1]),
        ],
    ),
    "training/trainers/<int:pk>/edit/": HostileForm(
        lambda w: f"/training/trainers/{course_trainer_of(w).pk}/edit/",
        "trainer",
        lambda w: TrainerForm(instance=course_trainer_of(w)),
        examples=60,
        valid=lambda w: {"full_name": "Terry Trainer", "email": "terry@example.org", "active": "on"},
        shows=lambda w: [
            "/training/trainers/",
            f"/training/trainers/{course_trainer_of(w).pk}/",
            f"/training/events/{training_event_of(w).pk}/",
            "/training/",
        ],
    ),
    # Only a version no event uses can be reworded: the default's second version, made on first use.
    "training/surveys/<int:pk>/edit/": HostileForm(
        lambda w: f"/training/surveys/{draft_survey_of(w).pk}/edit/",
        "trainer",
        lambda w: WordingForm(layout=training_queries.survey_layout(draft_survey_of(w))),
        examples=60,
        valid=lambda w: valid_wording(draft_survey_of(w)),
        shows=lambda w: [f"/training/surveys/{draft_survey_of(w).pk}/", "/training/surveys/"],
    ),
    # The survey link, posted without signing in: each example comes from a new phone (its own device
    # cookie and address, test_survey_link_form), as one device answers each survey once.
    "s/<str:token>/<slug:phase>/": HostileForm(
        lambda w: f"/s/{training_event_of(w).survey_token}/post/",
        None,
        lambda w: SurveyForm(layout=training_queries.survey_layout(default_instrument()), phone=True),
        examples=150,
        valid=lambda w: valid_survey(),
        shows=lambda w: [f"/s/{training_event_of(w).survey_token}/post/thanks/"],
    ),
}

# Routes that accept a POST but read no field from it: their only input is the URL, which
# the access matrix and test_hostile_input.py exercise.
NO_FIELDS = {
    "notifications/<int:pk>/open/": "marks one notification read",
    "notifications/read-all/": "marks all of one's notifications read",
    # Training's evaluation over a period also reads start, end and by: test_training_report_period.
    "reports/request/<slug:kind>/<int:target_id>/": "the report kind and subject are in the URL",
    "cases/<int:pk>/family/<int:member_pk>/remove/": "removes the family member named in the URL",
    "cases/<int:pk>/closures/<int:closure_pk>/withdraw/": "withdraws the closure request named in the URL",
    "cases/<int:pk>/plan/reviews/<int:review_pk>/withdraw/": "withdraws the move named in the URL",
    "plans/templates/<int:template_pk>/use/": "uses the template named in the URL for new case plans",
    "assistance/requests/<int:pk>/approve/": "approves the request named in the URL",
    "cases/intake-requests/<int:pk>/start/": "starts an intake from the request for help named in the URL",
    "training/events/<int:pk>/new-link/": "draws a new survey link for the event named in the URL",
    "training/events/<int:pk>/attendees/<int:attendee_pk>/remove/": "takes the attendee named in the URL off",
    "training/events/<int:pk>/surveys/<int:response_pk>/set-aside/": "sets aside the survey named in the URL",
    "training/surveys/<int:pk>/revise/": "copies the survey version named in the URL into a new version",
    "training/surveys/<int:pk>/default/": "uses the survey version named in the URL for new events",
}

MINIMUM_EXAMPLES = 2000


def merged(*forms) -> django_forms.Form:
    """One form holding the fields of several shown on the same page (only its fields are read)."""
    form = django_forms.Form()
    form.fields = {name: field for each in forms for name, field in each.fields.items()}
    return form


def fields_named(*names: str) -> django_forms.Form:
    form = django_forms.Form()
    form.fields = {name: django_forms.CharField() for name in names}
    return form


def intake_of(world: World) -> Case:
    """A draft intake on team A, assigned to the world's specialist (made on first use)."""
    existing = Case.objects.filter(survivor__legal_name="Ines Intake", team=world.team_a).first()
    return existing or services.start_intake(
        by=world.specialist,
        team=world.team_a,
        specialists=[world.specialist],
        details={"legal_name": "Ines Intake", "estimated_age": 30},
    )


def assert_consistent() -> None:
    """What must hold in the database whatever was posted."""
    assert not Case.objects.filter(status=Case.Status.CLOSED, closed_on__isnull=True).exists()
    assert not Case.objects.filter(closed_on__lt=F("opened_on")).exists()
    # Every case has its history, and its survivor's.
    assert not Case.objects.exclude(pk__in=Case.history.values("id")).exists()
    assert not Survivor.objects.exclude(pk__in=Survivor.history.values("id")).exists()
    # An assigned specialist is a member of the case's team.
    assert not CaseAssignment.objects.exclude(specialist__teams=F("case__team")).exists()
    # Object permissions match the assignments exactly: each specialist's own, and the case's team's.
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
    # A stored determination is what the one function says of the stored answers.
    for screening in Screening.objects.all():
        assert screening.determination == screening.result().determination
    assert not Screening.objects.exclude(pk__in=Screening.history.values("id")).exists()
    assert not FamilyMember.objects.exclude(pk__in=FamilyMember.history.values("id")).exists()
    # The minor flag follows the survivor's age on the intake date.
    for case in Case.objects.select_related("survivor"):
        assert case.minor_at_intake == case.computed_minor_at_intake(), case
    # Contacts and stages of change
    # Contacts and stages of change keep their history, and lie between the intake date and now.
    assert not Contact.objects.exclude(pk__in=Contact.history.values("id")).exists()
    assert not Contact.objects.filter(occurred_at__gt=timezone.now()).exists()
    assert not Contact.objects.filter(occurred_at__date__lt=F("case__opened_on")).exists()
    for topics in Contact.objects.values_list("topics", flat=True):
        assert isinstance(topics, list), topics
        assert len(set(topics)) == len(topics), topics
        assert set(topics) <= set(Contact.Topic.values), topics
    assert not StageObservation.objects.exclude(pk__in=StageObservation.history.values("id")).exists()
    assert not StageObservation.objects.filter(observed_on__gt=timezone.localdate()).exists()
    assert not StageObservation.objects.filter(observed_on__lt=F("case__opened_on")).exists()
    assert not Case.objects.exclude(contact_cadence_days__range=(1, LONGEST_CONTACT_CADENCE_DAYS)).exists()
    # Documents, releases and referrals
    # Documents, releases and referrals keep their history; a deleted document keeps no file.
    for model in (Document, Release, Referral):
        assert not model.objects.exclude(pk__in=model.history.values("id")).exists(), model
    assert not Document.objects.filter(deleted_at__isnull=True, file="").exists()
    assert not Document.objects.filter(deleted_at__isnull=False).exclude(file="").exists()
    for release in Release.objects.all():
        assert release.signed_on <= timezone.localdate(), release.pk
        assert release.signed_on < release.expires_on <= services.latest_expiry(release.signed_on), release.pk
        assert release.information, release.pk
        assert set(release.information) <= set(InformationKind.values), release.pk
    # Identifying information went out only under a release of the same case, for that organization,
    # that included it and ran on the referral date (a revocation recorded later may predate it).
    for referral in Referral.objects.filter(identifying_information_shared=True).select_related("release"):
        release = referral.release
        assert (release.case_id, release.organization_id) == (referral.case_id, referral.organization_id)
        assert InformationKind.IDENTIFYING in release.information
        assert release.signed_on <= referral.made_on <= release.expires_on
    # Closure, re-enrollment and handoffs
    # At most one closure waits per case, and only on a case still being served.
    waiting = Closure.objects.filter(status=Closure.Status.REQUESTED)
    assert not waiting.values("case").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert not waiting.exclude(case__status__in=Case.ACTIVE_STATUSES).exists()
    # An approved closure closed its case (or the case was reopened as an older version allowed),
    # on the closing date asked for; a decided closure names who decided.
    approved = Closure.objects.filter(status=Closure.Status.APPROVED)
    assert not approved.exclude(case__status__in=(Case.Status.CLOSED, Case.Status.REOPENED)).exists()
    assert not approved.filter(case__status=Case.Status.CLOSED).exclude(case__closed_on=F("closed_on")).exists()
    # A case closed since closures need approval has one approved closure, at most.
    later_closed = Case.objects.filter(status=Case.Status.CLOSED, closures__isnull=False).distinct()
    assert not later_closed.exclude(closures__status=Closure.Status.APPROVED).exists()
    assert not approved.values("case").annotate(n=Count("pk")).filter(n__gt=1).exists()
    # A later enrollment is the same survivor's, and starts after the earlier one closed.
    assert not Case.objects.filter(previous_case__isnull=False).exclude(survivor=F("previous_case__survivor")).exists()
    assert not Case.objects.filter(opened_on__lt=F("previous_case__closed_on")).exists()
    # Every closure and handoff has its history.
    assert not Closure.objects.exclude(pk__in=Closure.history.values("id")).exists()
    assert not Handoff.objects.exclude(pk__in=Handoff.history.values("id")).exists()
    # Restricted cases, emergency access and the timeline
    # A restricted case names someone who may lift the restriction; grants and names keep history.
    for case in Case.objects.filter(restricted=True):
        assert any(row.user.has_perm("cases.restrict_case") for row in case.named_people.select_related("user"))
    assert not NamedPerson.objects.exclude(pk__in=NamedPerson.history.values("id")).exists()
    assert not EmergencyAccess.objects.exclude(pk__in=EmergencyAccess.history.values("id")).exists()
    # The case plan, goals, budgets and safety plans: checked only where there are any, which
    # keeps the thousands of examples against other forms from paying for them.
    assert_journey_consistent()
    if Goal.objects.exists() or BudgetMonth.objects.exists():
        assert_goals_and_budgets_consistent()
    if SafetyPlan.objects.exists():
        assert_safety_plans_consistent()
    if Fund.objects.exists() or InKindItem.objects.exists() or HousingPlacement.objects.exists():
        assert_assistance_consistent()
    if any(model.objects.exists() for model in (OutreachSession, Volunteer, PartnershipActivity, IntakeRequest)):
        assert_outreach_consistent()
    if any(model.objects.exists() for model in (Curriculum, Trainer, TrainingEvent, SurveyResponse)):
        assert_training_consistent()


def assert_no_live_markup(body: str, where: str) -> None:
    lowered = body.lower()
    for live in (f"<script>{MARKER}", f'onerror="{MARKER}', f"<{MARKER}"):
        assert live not in lowered, f"unescaped markup on {where}"


def test_every_form_that_takes_input_is_attacked():
    accepts_post = {
        route
        for route, declared in MATRIX.items()
        if not route.startswith("admin/")
        and any(outcome not in {"405", "login", "admin-login"} for outcome in declared.POST.values())
    }

    assert accepts_post == set(FORMS) | set(NO_FIELDS)
    assert set(FORMS).isdisjoint(NO_FIELDS)
    assert sum(form.examples for form in FORMS.values()) >= MINIMUM_EXAMPLES


def attack(world: World, route: str) -> tuple[int, int]:
    """Run one form's examples; returns how many ran and how many were stored (answered 302)."""
    target = FORMS[route]
    client = Client()
    if target.persona:
        client.force_login(getattr(world, target.persona))
    path = target.path(world)
    fields = list(target.form(world).fields)
    runs = stored = 0

    @settings(
        max_examples=target.examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=post_data(fields, target.valid(world)))
    def post(data):
        nonlocal runs, stored
        runs += 1
        stored += post_and_check(client, world, target, path, data)

    if valid := target.valid(world):
        # Random posts can spoil every valid one (a certification's day, kind and curriculum must
        # all hold at once), and then nothing is stored to check: one valid post goes first.
        post = example(data={**valid, "unexpected-field": MARKUP[0]})(post)
    post()
    return runs, stored


def post_and_check(client: Client, world: World, target: HostileForm, path: str, data: dict) -> bool:
    """Post one example and check what must hold after it; returns whether something was stored."""
    response = client.post(path, data)
    assert response.status_code < 500
    if response.status_code in (200, 400, 422):  # a form shown again, with or without its refusal status
        assert_no_live_markup(response.text, path)
    if response.status_code == 302:  # something was stored: look where it is shown
        for shown in target.shows(world):
            page = client.get(shown)
            assert page.status_code == 200, shown
            assert_no_live_markup(page.text, shown)
    assert_consistent()
    return response.status_code == 302


def test_sign_in_form(world):
    runs, _stored = attack(world, "accounts/login/")
    assert runs >= FORMS["accounts/login/"].examples


def test_mfa_form(world, settings):
    settings.BLOOM_REQUIRE_MFA = True
    runs, _stored = attack(world, "accounts/mfa/")
    assert runs >= FORMS["accounts/mfa/"].examples


def test_case_search_form(world):
    runs, _stored = attack(world, "cases/")
    assert runs >= FORMS["cases/"].examples


def test_open_case_form(world):
    runs, stored = attack(world, "cases/new/")
    assert runs >= FORMS["cases/new/"].examples
    assert stored > 0, "no hostile case was stored, so no page showing one was checked"


def test_edit_case_form(world):
    runs, stored = attack(world, "cases/<int:pk>/edit/")
    assert runs >= FORMS["cases/<int:pk>/edit/"].examples
    assert stored > 0, "no hostile edit was stored, so no page showing one was checked"


def test_assign_case_form(world):
    runs, stored = attack(world, "cases/<int:pk>/assign/")
    assert runs >= FORMS["cases/<int:pk>/assign/"].examples
    assert stored > 0, "no reassignment was stored"


def test_duplicate_check_form(world):
    runs, _stored = attack(world, "cases/duplicates/")
    assert runs >= FORMS["cases/duplicates/"].examples


def test_screening_form(world):
    runs, stored = attack(world, "cases/<int:pk>/screening/new/")
    assert runs >= FORMS["cases/<int:pk>/screening/new/"].examples
    assert stored > 0, "no hostile screening was stored"


def test_eligibility_override_form(world):
    runs, stored = attack(world, "cases/<int:pk>/eligibility/")
    assert runs >= FORMS["cases/<int:pk>/eligibility/"].examples
    assert stored > 0, "no hostile decision was stored"


def test_outcome_form(world):
    runs, stored = attack(world, "cases/<int:pk>/outcome/")
    assert runs >= FORMS["cases/<int:pk>/outcome/"].examples
    assert stored > 0, "no outcome was stored"


def test_mandated_report_form(world):
    runs, stored = attack(world, "cases/<int:pk>/mandated-reports/new/")
    assert runs >= FORMS["cases/<int:pk>/mandated-reports/new/"].examples
    assert stored > 0, "no hostile report was stored"


def test_family_member_form(world):
    runs, stored = attack(world, "cases/<int:pk>/family/new/")
    assert runs >= FORMS["cases/<int:pk>/family/new/"].examples
    assert stored > 0, "no hostile family member was stored"


def test_restriction_form(world):
    runs, stored = attack(world, "cases/<int:pk>/restriction/")
    assert runs >= FORMS["cases/<int:pk>/restriction/"].examples
    assert stored > 0, "no restriction was stored"


def test_emergency_access_form(world):
    runs, stored = attack(world, "cases/emergency/")
    assert runs >= FORMS["cases/emergency/"].examples
    assert stored > 0, "no emergency access was granted"


# Contacts and stages of change -----------------------------------------------------------------


def valid_contact() -> dict:
    # Midnight today: never in the future, never before the world's cases, opened today.
    today = timezone.localtime().replace(hour=0, minute=0)
    return {"kind": "phone", "occurred_at": today.strftime("%Y-%m-%dT%H:%M"), "initiated_by": "staff"}


def contact_of(world: World) -> Contact:
    """A contact on case A to correct (made on first use)."""
    return world.case_a.contacts.order_by("pk").first() or services.log_contact(
        world.case_a, by=world.specialist, kind="phone", occurred_at=timezone.now(), initiated_by="staff"
    )


def test_contact_form(world):
    runs, stored = attack(world, "cases/<int:pk>/contacts/new/")
    assert runs >= FORMS["cases/<int:pk>/contacts/new/"].examples
    assert stored > 0, "no hostile contact was stored"


def test_contact_correction_form(world):
    runs, stored = attack(world, "cases/<int:pk>/contacts/<int:contact_pk>/correct/")
    assert runs >= FORMS["cases/<int:pk>/contacts/<int:contact_pk>/correct/"].examples
    assert stored > 0, "no hostile correction was stored"


def test_contact_cadence_form(world):
    runs, stored = attack(world, "cases/<int:pk>/contacts/cadence/")
    assert runs >= FORMS["cases/<int:pk>/contacts/cadence/"].examples
    assert stored > 0, "no cadence was stored"


def test_stage_form(world):
    runs, stored = attack(world, "cases/<int:pk>/stages/new/")
    assert runs >= FORMS["cases/<int:pk>/stages/new/"].examples
    assert stored > 0, "no hostile stage of change was stored"


def closure_of(world: World) -> Closure:
    """A closure waiting on a case of team A, asked for by the specialist (made on first use)."""
    existing = Closure.objects.filter(case__survivor__legal_name="Cleo Closing").order_by("pk").first()
    if existing:
        return existing
    case = services.open_case(by=world.specialist, team=world.team_a, specialists=[world.specialist],
                              legal_name="Cleo Closing")  # fmt: skip
    return ask_to_close(case, by=world.specialist)


def closed_of(world: World) -> Case:
    """A closed case of team A, assigned to the specialist (made on first use)."""
    existing = Case.objects.filter(survivor__legal_name="Carla Closed", previous_case__isnull=True).first()
    if existing:
        return existing
    case = services.open_case(by=world.specialist, team=world.team_a, specialists=[world.specialist],
                              legal_name="Carla Closed")  # fmt: skip
    return close_case(case, by=world.specialist, approver=world.supervisor).case


def test_closure_request_form(world):
    runs, stored = attack(world, "cases/<int:pk>/close/")
    assert runs >= FORMS["cases/<int:pk>/close/"].examples
    assert stored > 0, "no hostile closure request was stored"


def test_closure_decision_form(world):
    runs, stored = attack(world, "cases/<int:pk>/closures/<int:closure_pk>/decide/")
    assert runs >= FORMS["cases/<int:pk>/closures/<int:closure_pk>/decide/"].examples
    assert stored > 0, "no decision was stored"


def test_reenroll_form(world):
    runs, stored = attack(world, "cases/<int:pk>/reenroll/")
    assert runs >= FORMS["cases/<int:pk>/reenroll/"].examples
    assert stored > 0, "no re-enrollment was stored"


# Sharing: documents, releases and referrals -------------------------------------------------


def partner_of(world: World):
    return Organization.objects.get_or_create(name="Hostile Legal Aid", defaults={"kind": "legal"})[0]


def live_document_of(world: World) -> Document:
    """A document on case A that is not deleted (made whenever the last one was)."""
    existing = world.case_a.documents.filter(deleted_at__isnull=True).first()
    return existing or services.add_document(
        world.case_a, by=world.specialist, kind="identification", title="State ID", upload=pdf_upload()
    )


def live_release_of(world: World) -> Release:
    """A release on case A that is not revoked (made whenever the last one was)."""
    existing = world.case_a.releases.filter(revoked_on__isnull=True).first()
    return existing or services.record_release(
        world.case_a,
        by=world.specialist,
        organization=partner_of(world),
        recipient="",
        information=["identifying"],
        purpose="Legal help",
        signed_on=timezone.localdate(),
        expires_on=timezone.localdate() + timedelta(days=200),
    )


def referral_of(world: World) -> Referral:
    existing = world.case_a.referrals.first()
    if existing:
        return existing
    made = services.make_referral(
        world.case_a,
        by=world.specialist,
        direction="out",
        organization=partner_of(world),
        service_type="housing",
        made_on=timezone.localdate(),
        note="",
        share_identifying=False,
    )
    return made.referral


REAL_FILES = [pdf_bytes(), png_bytes(), jpeg_bytes(), docx_bytes(), HTML, zip_bytes({"a.txt": "x"}), b""]
FILE_NAMES = ["id.pdf", "scan.PNG", "photo.jpeg", "lease.docx", "page.html", "x.pdf.exe", "", ".pdf", "a" * 400]
file_contents = st.one_of(
    st.sampled_from(REAL_FILES),
    st.binary(max_size=3000),
    st.tuples(st.sampled_from(REAL_FILES), st.binary(max_size=500)).map(lambda pair: pair[0] + pair[1]),
)
file_names = st.one_of(st.sampled_from(FILE_NAMES), st.text(max_size=300), st.sampled_from(MARKUP + ODD_TEXT))


def file_named(name: str, content: bytes) -> SimpleUploadedFile:
    # The test client cannot send a name Django's own upload class refuses ("", ".."): a
    # browser sending one is read by the parser as no file at all.
    try:
        return SimpleUploadedFile(name, content)
    except SuspiciousFileOperation:
        return SimpleUploadedFile("unnamed", content)


def attack_each_time(world: World, route: str, *, with_file: bool = False, file_field: str = "file") -> tuple[int, int]:
    """As ``attack``, but the path is worked out for every example, and a file may go with the post."""
    target = FORMS[route]
    client = Client()
    client.force_login(getattr(world, target.persona))
    fields = [name for name in target.form(world).fields if not (with_file and name == file_field)]
    runs = stored = 0

    @settings(
        max_examples=target.examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=post_data(fields, target.valid(world)), name=file_names, content=file_contents)
    def post(data, name, content):
        nonlocal runs, stored
        runs += 1
        if with_file:
            data = {**data, file_field: file_named(name, content)}
        stored += post_and_check(client, world, target, target.path(world), data)

    if valid := target.valid(world):
        # Random posts can miss every valid one (a payment needs its method, reference and day
        # right at once), and then nothing is stored to check: one valid post goes first.
        post = example(data={**valid, "unexpected-field": MARKUP[0]}, name="valid.pdf", content=b"")(post)
    post()
    return runs, stored


def test_document_upload_form(world):
    runs, stored = attack_each_time(world, "cases/<int:pk>/documents/new/", with_file=True)

    assert runs >= FORMS["cases/<int:pk>/documents/new/"].examples
    assert stored > 0, "no document was kept"
    # Whatever was kept is what its checked type says, and its stored name agrees with that type.
    for document in Document.objects.filter(deleted_at__isnull=True):
        with document.file.open("rb") as file:
            kind = uploads.detect(file)
        assert kind is not None, document.original_name
        assert kind.content_type == document.content_type, document.original_name
        assert uploads.EXTENSIONS[Path(document.original_name.lower()).suffix] == kind
        assert uploads.clean_name(document.original_name) == document.original_name


def test_document_delete_form(world):
    runs, stored = attack_each_time(world, "cases/<int:pk>/documents/<int:document_pk>/delete/")

    assert runs >= FORMS["cases/<int:pk>/documents/<int:document_pk>/delete/"].examples
    assert stored > 0, "no document was deleted"


def test_release_form(world):
    runs, stored = attack(world, "cases/<int:pk>/releases/new/")

    assert runs >= FORMS["cases/<int:pk>/releases/new/"].examples
    assert stored > 0, "no hostile release was stored"


def test_release_revoke_form(world):
    runs, stored = attack_each_time(world, "cases/<int:pk>/releases/<int:release_pk>/revoke/")

    assert runs >= FORMS["cases/<int:pk>/releases/<int:release_pk>/revoke/"].examples
    assert stored > 0, "no revocation was stored"


def test_referral_form(world):
    runs, stored = attack(world, "cases/<int:pk>/referrals/new/")

    assert runs >= FORMS["cases/<int:pk>/referrals/new/"].examples
    assert stored > 0, "no hostile referral was stored"


def test_referral_status_form(world):
    runs, stored = attack(world, "cases/<int:pk>/referrals/<int:referral_pk>/status/")

    assert runs >= FORMS["cases/<int:pk>/referrals/<int:referral_pk>/status/"].examples
    assert stored > 0, "no referral update was stored"


# Safety plans ------------------------------------------------------------------------------------


def safety_plan_fields() -> django_forms.Form:
    """Every name the safety plan page posts: the plan's fields, two rows of each list, the lists'
    management fields, and the "add a row" button."""

    names = [*SafetyPlanForm().fields, "add"]
    for prefix, form in (("risks", RiskForm), ("people", SafePersonForm), ("places", SafePlaceForm)):
        names += [f"{prefix}-{name}" for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")]
        names += [f"{prefix}-{index}-{name}" for index in range(2) for name in form().fields]
    return fields_named(*names)


def valid_safety_plan() -> dict:
    data = {
        "code_word": "Sunflower",
        "emergency_numbers": ["911", "hotline"],
        "documents_kept": "Copies with the program.",
        "review_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
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
        data |= {f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def latest_safety_plan_of(world: World) -> str:
    latest = world.case_a.safety_plans.order_by("-version").first()
    return f"/cases/{world.case_a.pk}/safety/{latest.version}/"


def test_safety_plan_form(world):
    runs, stored = attack(world, "cases/<int:pk>/safety/new/")

    assert runs >= FORMS["cases/<int:pk>/safety/new/"].examples
    assert stored > 0, "no hostile safety plan was stored"


# Goals and the budget worksheet -----------------------------------------------------------------

BUDGET_FORMSET_FIELDS = [
    *(f"lines-{name}" for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")),
    *(f"lines-{n}-{name}" for n in (0, 1) for name in ("id", "kind", "category", "label", "amount", "DELETE")),
]


def goal_url(goal) -> str:
    return f"/cases/{goal.case_id}/goals/{goal.pk}/"


def month_url(month) -> str:
    return f"/cases/{month.case_id}/budget/{month.pk}/"


def goal_of(world: World) -> Goal:
    """A goal on case A (made on first use)."""
    return world.case_a.goals.order_by("pk").first() or goal_services.set_goal(
        world.case_a, by=world.specialist, in_own_words="A place of my own", domain="housing"
    )


def step_of(world: World) -> ActionStep:
    """An action step towards case A's goal (made on first use)."""
    goal = goal_of(world)
    return goal.steps.order_by("pk").first() or goal_services.add_step(
        goal, by=world.specialist, description="Call the housing office", owner="survivor"
    )


def budget_month_of(world: World) -> BudgetMonth:
    """This month's worksheet on case A (made on first use)."""
    return world.case_a.budget_months.order_by("pk").first() or budget_services.start_budget_month(
        world.case_a, by=world.specialist, month=timezone.localdate()
    )


def test_goal_form(world):
    runs, stored = attack(world, "cases/<int:pk>/goals/new/")

    assert runs >= FORMS["cases/<int:pk>/goals/new/"].examples
    assert stored > 0, "no hostile goal was stored"


def test_goal_edit_form(world):
    runs, stored = attack_each_time(world, "cases/<int:pk>/goals/<int:goal_pk>/edit/")

    assert runs >= FORMS["cases/<int:pk>/goals/<int:goal_pk>/edit/"].examples
    assert stored > 0, "no hostile goal change was stored"


def test_goal_status_form(world):
    runs, stored = attack_each_time(world, "cases/<int:pk>/goals/<int:goal_pk>/status/")

    assert runs >= FORMS["cases/<int:pk>/goals/<int:goal_pk>/status/"].examples
    assert stored > 0, "no status change was stored"


def test_step_form(world):
    runs, stored = attack_each_time(world, "cases/<int:pk>/goals/<int:goal_pk>/steps/new/")

    assert runs >= FORMS["cases/<int:pk>/goals/<int:goal_pk>/steps/new/"].examples
    assert stored > 0, "no hostile step was stored"


def test_step_edit_form(world):
    runs, stored = attack_each_time(world, "cases/<int:pk>/goals/<int:goal_pk>/steps/<int:step_pk>/edit/")

    assert runs >= FORMS["cases/<int:pk>/goals/<int:goal_pk>/steps/<int:step_pk>/edit/"].examples
    assert stored > 0, "no step change was stored"


def test_goal_note_form(world):
    runs, stored = attack_each_time(world, "cases/<int:pk>/goals/<int:goal_pk>/notes/new/")

    assert runs >= FORMS["cases/<int:pk>/goals/<int:goal_pk>/notes/new/"].examples
    assert stored > 0, "no hostile progress note was stored"


def test_budget_month_form(world):
    runs, stored = attack(world, "cases/<int:pk>/budget/new/")

    assert runs >= FORMS["cases/<int:pk>/budget/new/"].examples
    assert stored > 0, "no worksheet was started"


def test_budget_worksheet_form(world):
    runs, stored = attack_each_time(world, "cases/<int:pk>/budget/<int:month_pk>/edit/")

    assert runs >= FORMS["cases/<int:pk>/budget/<int:month_pk>/edit/"].examples
    assert stored > 0, "no hostile worksheet line was stored"


def assert_safety_plans_consistent() -> None:
    """Every version and row keeps its history; a case's versions run 1..n without a gap; risks fit
    their source; each version holds something and was saved with a review date within a year."""
    for model in (SafetyPlan, SafetyRisk, SafePerson, SafePlace):
        assert not model.objects.exclude(pk__in=model.history.values("id")).exists(), model
    earlier = SafetyPlan.objects.filter(case=OuterRef("case"), version=OuterRef("version") - 1)
    assert not SafetyPlan.objects.filter(version__gt=1).exclude(Exists(earlier)).exists()
    assert not SafetyRisk.objects.filter(source="trafficker").exclude(kind__in=TRAFFICKER_RISKS).exists()
    assert not SafetyRisk.objects.exclude(source="trafficker").filter(kind__in=TRAFFICKER_RISKS).exists()
    assert not SafetyRisk.objects.exclude(source="trafficker").exclude(methods=[]).exists()
    assert not SafetyRisk.objects.filter(strategies="").exists()
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


def assert_goals_and_budgets_consistent() -> None:
    """Goals, steps, notes and worksheets keep their history; dates lie between the case's opening and now
    (targets and due dates may be ahead); a partner's step names the partner; lines fit their kind."""
    for model in (Goal, ActionStep, GoalNote, BudgetMonth, BudgetLine):
        assert not model.objects.exclude(pk__in=model.history.values("id")).exists(), model
    assert not Goal.objects.filter(target_on__lt=F("case__opened_on")).exists()
    assert not ActionStep.objects.filter(done_on__gt=timezone.localdate()).exists()
    assert not ActionStep.objects.filter(done_on__lt=F("goal__case__opened_on")).exists()
    assert not ActionStep.objects.filter(due_on__lt=F("goal__case__opened_on")).exists()
    assert not ActionStep.objects.filter(owner="partner", partner="").exists()
    assert not GoalNote.objects.filter(written_on__gt=timezone.localdate()).exists()
    assert not GoalNote.objects.filter(written_on__lt=F("goal__case__opened_on")).exists()
    assert not BudgetLine.objects.filter(kind="income").exclude(category__in=BudgetLine.INCOME_CATEGORIES).exists()
    assert not BudgetLine.objects.filter(kind="expense", category__in=BudgetLine.INCOME_CATEGORIES).exists()
    assert not BudgetMonth.objects.filter(month__gt=budget_services.latest_month_allowed()).exists()


def assert_journey_consistent() -> None:
    """What must hold of phase templates, case plans and their journeys whatever was posted."""

    for model in (PhaseTemplate, Phase, CasePlan, PhaseStay, PhaseReview):
        assert not model.objects.exclude(pk__in=model.history.values("id")).exists(), model
    # Exactly one template is in use, and it has phases; every template's phases are numbered 1..n.
    numbered = PhaseTemplate.objects.annotate(
        n=Count("phases"), low=Min("phases__position"), high=Max("phases__position")
    )
    assert list(numbered.filter(in_use=True).values_list("n", flat=True)) != [0]
    assert PhaseTemplate.objects.filter(in_use=True).count() == 1
    assert not numbered.filter(n__gt=0).exclude(low=1, high=F("n")).exists()
    if not CasePlan.objects.exists():
        return  # stays and reviews belong to a plan
    # A plan starts on or after the case opened, for a year to five; it has exactly one current phase.
    assert not CasePlan.objects.filter(started_on__lt=F("case__opened_on")).exists()
    assert not CasePlan.objects.exclude(expected_months__range=(12, 60)).exists()
    current = Count("stays", filter=Q(stays__left_on__isnull=True))
    assert not CasePlan.objects.annotate(current=current).exclude(current=1).exists()
    # Each time in a phase is in the plan's own template, between the plan's start and today.
    today = timezone.localdate()
    stays = PhaseStay.objects.all()
    assert not stays.exclude(phase__template=F("plan__template")).exists()
    assert not stays.filter(Q(entered_on__lt=F("plan__started_on")) | Q(entered_on__gt=today)).exists()
    assert not stays.filter(left_on__gt=today).exists()
    # Every move forward has a signed-off review, and every signed-off review its move; a move back its reason.
    assert not stays.filter(how="forward").exclude(review__status="signed off").exists()
    assert not PhaseReview.objects.filter(status="signed off", stay__isnull=True).exists()
    assert not stays.filter(how="back", reason="").exists()
    # Nobody signs off a move they asked for; a waiting move goes from the current phase to a later one.
    assert not PhaseReview.objects.filter(status="signed off", decided_by=F("requested_by")).exists()
    assert not PhaseReview.objects.exclude(to_phase__position__gt=F("from_phase__position")).exists()
    in_phase = PhaseStay.objects.filter(plan=OuterRef("plan"), left_on__isnull=True, phase=OuterRef("from_phase"))
    assert not PhaseReview.objects.filter(status="waiting").exclude(Exists(in_phase)).exists()


# The case plan and phase journey ------------------------------------------------------------------


def template_in_use():

    return PhaseTemplate.objects.get(in_use=True)


def latest_templates():

    return PhaseTemplate.objects.order_by("-pk")[:1]


def template_to_change_of(world: World):
    """A copy of the template in use, made by the director, that no plan follows (made on first use)."""

    existing = PhaseTemplate.objects.filter(created_by=world.director).order_by("pk").first()
    return existing or template_services.copy_template(
        template_in_use(), by=world.director, name="Hostile template", description=""
    )


PHASE_ROWS = 4  # the template's three phases and the blank row for a new one


def template_edit_fields(template) -> django_forms.Form:
    """The edit page's fields: the template's own, the formset's management fields, and a row per phase."""

    form = TemplateForm(template=template)
    names = [f"{PHASES_PREFIX}-{name}" for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")]
    names += [
        f"{PHASES_PREFIX}-{row}-{name}" for row in range(PHASE_ROWS) for name in [*PhaseForm.base_fields, "DELETE"]
    ]
    form.fields = {**form.fields, **{name: django_forms.CharField() for name in names}}
    return form


def valid_template_edit(template) -> dict:

    phases = list(template.phases.order_by("position"))
    data = {
        "name": template.name,
        "description": "Changed by the director.",
        f"{PHASES_PREFIX}-TOTAL_FORMS": str(len(phases) + 1),
        f"{PHASES_PREFIX}-INITIAL_FORMS": str(len(phases)),
        f"{PHASES_PREFIX}-MIN_NUM_FORMS": "0",
        f"{PHASES_PREFIX}-MAX_NUM_FORMS": "12",
    }
    for row, phase in enumerate(phases):
        values = {
            "id": phase.pk,
            "position": phase.position,
            "name": phase.name,
            "purpose": phase.purpose,
            "suggested_domains": list(phase.suggested_domains),
            "expected_months": phase.expected_months,
            "checklist": "\n".join(phase.checklist),
        }
        data.update({f"{PHASES_PREFIX}-{row}-{name}": value for name, value in values.items()})
    return data


def plan_of_case_a(world: World):
    """Case A's plan on the template in use (started on first use)."""

    existing = CasePlan.objects.filter(case=world.case_a).first()
    return existing or journey_services.start_plan(
        world.case_a,
        by=world.specialist,
        template=template_in_use(),
        started_on=world.case_a.opened_on,
        expected_months=12,
    )


def _current(plan):
    return plan.stays.select_related("phase").get(left_on__isnull=True)


def _request(plan, world: World):

    current = _current(plan)
    return journey_services.request_move(
        plan,
        by=world.specialist,
        done=[True] * len(current.phase.checklist),
        specialist_note="Ready.",
        survivor_view="Ready.",
        move_on=timezone.localdate(),
    )


def _back_to_the_start(plan, world: World) -> None:

    first = plan.template.phases.get(position=1)
    journey_services.move_back(plan, by=world.specialist, to_phase=first, moved_on=timezone.localdate(), reason="Again")


def movable_plan_of(world: World):
    """Case A's plan, ready to ask to move on: nothing waiting, not in the last phase."""

    plan = plan_of_case_a(world)
    waiting = plan.reviews.filter(status=PhaseReview.Status.WAITING).first()
    if waiting is not None:
        journey_services.withdraw_move(waiting, by=world.specialist)
    if journey_services.next_phase(plan, _current(plan).phase) is None:
        _back_to_the_start(plan, world)
    return plan


def move_forward_form_of(plan) -> django_forms.Form:

    current = _current(plan)
    return MoveForwardForm(current=current, to_phase=journey_services.next_phase(plan, current.phase))


def live_review_of(world: World):
    """A move waiting on case A's plan, asked for by the specialist (asked again whenever decided)."""

    plan = plan_of_case_a(world)
    waiting = plan.reviews.filter(status=PhaseReview.Status.WAITING).first()
    if waiting is not None:
        return waiting
    return _request(movable_plan_of(world), world)


def plan_past_first_phase_of(world: World):
    """Case A's plan, moved on from its first phase if it was there (so there is somewhere to go back to)."""

    plan = plan_of_case_a(world)
    if _current(plan).phase.position == 1:
        journey_services.sign_off_move(live_review_of(world), by=world.supervisor)
    return plan


def move_back_form_of(plan) -> django_forms.Form:

    return MoveBackForm(plan=plan, current=_current(plan))


def test_new_phase_template_form(world):
    runs, stored = attack(world, "plans/templates/new/")

    assert runs >= FORMS["plans/templates/new/"].examples
    assert stored > 0, "no hostile template was stored"


def test_phase_template_edit_form(world):
    runs, stored = attack(world, "plans/templates/<int:template_pk>/edit/")

    assert runs >= FORMS["plans/templates/<int:template_pk>/edit/"].examples
    assert stored > 0, "no hostile template change was stored"


def test_start_plan_form(world):
    runs, stored = attack(world, "cases/<int:pk>/plan/start/")

    assert runs >= FORMS["cases/<int:pk>/plan/start/"].examples
    assert stored > 0, "no plan was started"


def test_move_forward_form(world):
    runs, stored = attack_each_time(world, "cases/<int:pk>/plan/move/")

    assert runs >= FORMS["cases/<int:pk>/plan/move/"].examples
    assert stored > 0, "no hostile review was stored"


def test_phase_move_decision_form(world):
    runs, stored = attack_each_time(world, "cases/<int:pk>/plan/reviews/<int:review_pk>/decide/")

    assert runs >= FORMS["cases/<int:pk>/plan/reviews/<int:review_pk>/decide/"].examples
    assert stored > 0, "no decision was stored"


def test_move_back_form(world):
    runs, stored = attack_each_time(world, "cases/<int:pk>/plan/back/")

    assert runs >= FORMS["cases/<int:pk>/plan/back/"].examples
    assert stored > 0, "no hostile move back was stored"


# Assistance ------------------------------------------------------------------------------------

HOSTILE_FUND = "HOSTILE-FUND"


def fund_of(world: World) -> Fund:
    """A fund large enough never to run out during the examples (made on first use)."""
    existing = Fund.objects.filter(award_number=HOSTILE_FUND).first()
    return existing or make_fund(
        world.director,
        award_number=HOSTILE_FUND,
        total="9000000.00",
        budgets={"rent": "8000000.00", "food": "500000.00", "utilities": "500000.00"},
    )


def valid_request(world: World) -> dict:
    return {
        "fund": fund_of(world).pk,
        "category": "rent",
        "amount": "350.00",
        "payee_kind": "landlord",
        "payee_name": "Park Street Apartments LLC",
        "payee_details": "12 Park Street, Hartford",
        "purpose": "Rent for this month",
        "needed_by": (timezone.localdate() + timedelta(days=7)).isoformat(),
    }


def latest_request_pages(world: World) -> list[str]:
    return [f"/assistance/requests/{r.pk}/" for r in world.case_a.assistance_requests.order_by("-pk")[:1]]


def waiting_request_of(world: World) -> AssistanceRequest:
    """A request on case A asked by its specialist and not yet decided (made whenever the last was)."""
    existing = world.case_a.assistance_requests.filter(status="waiting", requested_by=world.specialist).first()
    return existing or ask_money(world.case_a, world.specialist, fund_of(world), amount="120.00")


def approved_request_of(world: World) -> AssistanceRequest:
    existing = world.case_a.assistance_requests.filter(status="approved").first()
    if existing:
        return existing
    asked = ask_money(world.case_a, world.specialist, fund_of(world), amount="120.00")
    return request_services.approve(asked, by=world.supervisor)


def unreceipted_request_of(world: World) -> AssistanceRequest:
    existing = world.case_a.assistance_requests.filter(status="paid", payment__receipt__isnull=True).first()
    if existing:
        return existing
    asked = approved_request_of(world)
    pay_money(asked, world.finance)
    return asked


def item_of(world: World) -> InKindItem:
    return world.case_a.in_kind_items.first() or give_kit(world.case_a, world.specialist)


def unhoused_case_of(world: World) -> Case:
    """A case of the specialist's with no housing stay yet (made whenever the last got one)."""
    existing = Case.objects.filter(survivor__legal_name="Hana Housing", housing_placements__isnull=True).first()
    return existing or make_case(team=world.team_a, specialists=[world.specialist], legal_name="Hana Housing")


def open_stay_of(world: World) -> HousingPlacement:
    """Case A's open stay: an emergency shelter stay begun today (made whenever the last was ended)."""
    return world.case_a.housing_placements.filter(ended_on__isnull=True).first() or shelter_stay(
        world.case_a, world.specialist
    )


def valid_fund(*, award_number: str) -> dict:
    today = timezone.localdate()
    return {
        "name": "Survivor Emergency Fund",
        "funder": "Greater Hartford Community Foundation",
        "award_number": award_number,
        "starts_on": (today - timedelta(days=365)).isoformat(),
        "ends_on": (today + timedelta(days=365)).isoformat(),
        "total": "9000000.00",
        "budget_rent": "8000000.00",
        "budget_food": "500000.00",
        "budget_utilities": "500000.00",
    }


def assert_assistance_consistent() -> None:
    """Money never overspent or paid twice, every row with its history, stays within their rules."""
    for model in (Fund, FundBudget, AssistanceRequest, Payment, InKindItem, HousingPlacement):
        assert not model.objects.exclude(pk__in=model.history.values("id")).exists(), model
    committed = Sum("amount", filter=Q(status__in=AssistanceRequest.COMMITTED), default=Decimal(0))
    for fund in Fund.objects.annotate(budgeted=Sum("budgets__amount", default=Decimal(0))):
        assert fund.budgeted <= fund.total, fund
        assert fund.requests.aggregate(c=committed)["c"] <= fund.total, fund
    for budget in FundBudget.objects.all():
        spent = AssistanceRequest.objects.filter(fund=budget.fund_id, category=budget.category)
        assert spent.aggregate(c=committed)["c"] <= budget.amount, budget
    assert (
        not AssistanceRequest.objects.filter(status="paid")
        .exclude(Exists(Payment.objects.filter(request=OuterRef("pk"))))
        .exists()
    )
    assert not Payment.objects.exclude(request__status="paid").exists()
    assert not AssistanceRequest.objects.filter(amount__lte=0).exists()
    assert not InKindItem.objects.filter(given_on__gt=timezone.localdate()).exists()
    assert not InKindItem.objects.filter(given_on__lt=F("case__opened_on")).exists()
    for stay in HousingPlacement.objects.exclude(kind="long-term"):
        assert stay.expected_end <= housing_services.limit_of(stay.kind, stay.started_on), stay.pk
    assert not HousingPlacement.objects.filter(kind="long-term", provider__housing_program__gt="").exists()


def test_request_form(world):
    runs, stored = attack(world, "cases/<int:pk>/assistance/requests/new/")

    assert runs >= FORMS["cases/<int:pk>/assistance/requests/new/"].examples
    assert stored > 0, "no request was stored"


def test_request_edit_form(world):
    runs, stored = attack_each_time(world, "cases/<int:pk>/assistance/requests/<int:request_pk>/edit/")

    assert runs >= FORMS["cases/<int:pk>/assistance/requests/<int:request_pk>/edit/"].examples
    assert stored > 0, "no correction was stored"


def test_request_deny_form(world):
    runs, stored = attack_each_time(world, "assistance/requests/<int:pk>/deny/")

    assert runs >= FORMS["assistance/requests/<int:pk>/deny/"].examples
    assert stored > 0, "no request was denied"


def test_request_cancel_form(world):
    runs, stored = attack_each_time(world, "assistance/requests/<int:pk>/cancel/")

    assert runs >= FORMS["assistance/requests/<int:pk>/cancel/"].examples
    assert stored > 0, "no request was cancelled"


def test_payment_form(world):
    runs, stored = attack_each_time(world, "assistance/requests/<int:pk>/pay/")

    assert runs >= FORMS["assistance/requests/<int:pk>/pay/"].examples
    assert stored > 0, "no payment was recorded"


def test_receipt_form(world):
    runs, stored = attack_each_time(
        world, "assistance/requests/<int:pk>/receipt/add/", with_file=True, file_field="receipt"
    )

    assert runs >= FORMS["assistance/requests/<int:pk>/receipt/add/"].examples
    assert stored > 0, "no receipt was kept"


def test_in_kind_form(world):
    runs, stored = attack(world, "cases/<int:pk>/assistance/in-kind/new/")

    assert runs >= FORMS["cases/<int:pk>/assistance/in-kind/new/"].examples
    assert stored > 0, "no help in kind was recorded"


def test_in_kind_remove_form(world):
    runs, stored = attack_each_time(world, "cases/<int:pk>/assistance/in-kind/<int:item_pk>/remove/")

    assert runs >= FORMS["cases/<int:pk>/assistance/in-kind/<int:item_pk>/remove/"].examples
    assert stored > 0, "nothing was removed"


def test_housing_form(world):
    runs, stored = attack_each_time(world, "cases/<int:pk>/assistance/housing/new/")

    assert runs >= FORMS["cases/<int:pk>/assistance/housing/new/"].examples
    assert stored > 0, "no stay was recorded"


def test_housing_change_form(world):
    runs, stored = attack_each_time(world, "cases/<int:pk>/assistance/housing/<int:stay_pk>/edit/")

    assert runs >= FORMS["cases/<int:pk>/assistance/housing/<int:stay_pk>/edit/"].examples
    assert stored > 0, "no change to a stay was stored"


def test_fund_form(world):
    runs, stored = attack(world, "assistance/funds/new/")

    assert runs >= FORMS["assistance/funds/new/"].examples
    assert stored > 0, "no fund was set up"


def test_fund_edit_form(world):
    runs, stored = attack_each_time(world, "assistance/funds/<int:fund_pk>/edit/")

    assert runs >= FORMS["assistance/funds/<int:fund_pk>/edit/"].examples
    assert stored > 0, "no change to a fund was stored"


# Outreach ----------------------------------------------------------------------------------------

HOSTILE_SCRIPT = f"<script>{MARKER}</script>"
SESSION_AREA = "The hostile session's area"
ACTIVITY_PEOPLE = "The hostile activity's people"


def days_ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def first_recorded(model, **first_version):
    """The row whose first version had these values, whatever the hostile posts changed since."""
    version = model.history.filter(history_type="+", **first_version).order_by("history_id").first()
    return model.objects.filter(pk=version.id).first() if version else None


def outreach_town_of(world: World) -> Town:
    return make_town("Hostile Falls")


def session_of(world: World) -> OutreachSession:
    """A session led by the outreach worker, ended an hour ago (made on first use)."""
    return first_recorded(OutreachSession, area=SESSION_AREA) or log_outreach(
        world.outreach, town=outreach_town_of(world), area=SESSION_AREA
    )


def latest_session_pages() -> list[str]:
    return [f"/outreach/sessions/{s.pk}/" for s in OutreachSession.objects.order_by("-pk")[:1]]


def team_volunteer_of(world: World) -> Volunteer:
    """An active volunteer for a session's team (made on first use)."""
    return first_recorded(Volunteer, full_name="Tess Team") or make_volunteer(world.outreach, full_name="Tess Team")


def volunteer_to_change_of(world: World) -> Volunteer:
    """An active volunteer who signs in as the world's volunteer (made on first use)."""
    return first_recorded(Volunteer, full_name="Vic Changing") or make_volunteer(
        world.outreach, full_name="Vic Changing", user=world.volunteer
    )


def valid_session(world: World, *, volunteers=()) -> dict:
    """Yesterday evening on the street and at a motel, with what was given and seen."""
    return {
        "day": days_ago(1),
        "starts": "18:00",
        "ends": "20:30",
        "town": outreach_town_of(world).pk,
        "venue_types": ["street", "hotel"],
        "area": "Park Street, between Main and Broad",
        "lead": world.outreach.pk,
        "volunteers": [volunteer.pk for volunteer in volunteers],
        "people_contacted": "12",
        "hotline_cards": "30",
        "hygiene_kits": "4",
        "possibly_identified": "2",
        "notes": "Quiet evening; most cards went at the bus shelter.",
    }


def partnership_of(world: World) -> PartnershipActivity:
    """A referral with the partner organization, recorded by the outreach worker (made on first use)."""
    details = outreach_services.PartnershipDetails(
        organization=partner_of(world), kind="referral", on=timezone.localdate(), people_involved=ACTIVITY_PEOPLE
    )
    return first_recorded(PartnershipActivity, people_involved=ACTIVITY_PEOPLE) or (
        outreach_services.record_partnership(None, by=world.outreach, details=details)
    )


def valid_partnership(world: World) -> dict:
    return {
        "organization": partner_of(world).pk,
        "kind": "information sharing",
        "on": days_ago(1),
        "people_involved": "Their outreach lead",
        "notes": "Shared hotline cards for their front desk.",
    }


def waiting_intake_request_of(world: World) -> IntakeRequest:
    """A request for help waiting in team A's queue (passed on again whenever the last was dealt with)."""
    waiting = IntakeRequest.objects.filter(team=world.team_a, status=IntakeRequest.Status.WAITING).order_by("pk")
    return waiting.first() or hand_off(session_of(world), world.outreach, world.team_a)


def assert_outreach_consistent() -> None:
    """Sessions that add up, a volunteer in one place at a time, requests for help as intake left them."""
    today = timezone.localdate()
    for model in (Volunteer, VolunteerTraining, OutreachSession, HandOff, PartnershipActivity, IntakeRequest):
        assert not model.objects.exclude(pk__in=model.history.values("id")).exists(), model
    sessions = OutreachSession.objects.all()
    assert not sessions.filter(ends_at__lte=F("starts_at")).exists()
    assert not sessions.filter(possibly_identified__gt=F("people_contacted")).exists()
    for name in OutreachSession.COUNT_FIELDS:
        assert not sessions.filter(Q(**{f"{name}__lt": 0}) | Q(**{f"{name}__gt": LARGEST_COUNT})).exists(), name
    assert not sessions.filter(safety_incidents__gt=0, incident_notes="").exists()
    assert not sessions.filter(area="").exists()
    assert not sessions.exclude(lead__groups__name=Role.OUTREACH_WORKER).exists()
    for session in sessions:
        length = session.ends_at - session.starts_at
        assert length <= timedelta(hours=LONGEST_SESSION_HOURS), session.pk
        assert session.minutes == int(length.total_seconds() // 60), session.pk
        venues = session.venue_types
        assert isinstance(venues, list), session.pk
        assert venues, session.pk
        assert len(set(venues)) == len(venues), session.pk
        assert set(venues) <= set(VenueType.values), session.pk
        assert session.area == session.area.strip(), session.pk
        assert max(len(session.notes), len(session.incident_notes)) <= LONGEST_OUTREACH_NOTE, session.pk
    # Nobody is on two sessions at the same time.
    team = OutreachSession.volunteers.through.objects
    elsewhere = team.filter(
        volunteer=OuterRef("volunteer"),
        outreachsession__starts_at__lt=OuterRef("outreachsession__ends_at"),
        outreachsession__ends_at__gt=OuterRef("outreachsession__starts_at"),
    ).exclude(outreachsession=OuterRef("outreachsession"))
    assert not team.filter(Exists(elsewhere)).exists()
    # Volunteers: dates in order and not ahead, a sign-in only for someone with the volunteer role.
    volunteers = Volunteer.objects.all()
    assert not volunteers.exclude(status__in=Volunteer.Status.values).exists()
    for name in ("applied_on", "background_checked_on", "trained_on"):
        assert not volunteers.filter(**{f"{name}__gt": today}).exists(), name
    before_applying = Q(background_checked_on__lt=F("applied_on")) | Q(trained_on__lt=F("applied_on"))
    assert not volunteers.filter(before_applying).exists()
    assert not volunteers.filter(user__isnull=False).exclude(user__groups__name=Role.VOLUNTEER).exists()
    for volunteer in volunteers:
        assert volunteer.full_name.strip(), volunteer.pk
        assert max(len(volunteer.skills), len(volunteer.availability), len(volunteer.notes)) <= LONGEST_OUTREACH_NOTE
    trainings = VolunteerTraining.objects.all()
    assert not trainings.filter(Q(on__gt=today) | Q(topic="") | Q(hours__lt=0) | Q(hours__gt=24)).exists()
    activities = PartnershipActivity.objects.all()
    assert not activities.exclude(kind__in=PartnershipActivity.Kind.values).exists()
    assert not activities.filter(on__gt=today).exists()
    for activity in activities:
        assert max(len(activity.people_involved), len(activity.notes)) <= LONGEST_OUTREACH_NOTE, activity.pk
    # Requests for help: outreach kept only that each was passed on; each is waiting, or was decided
    # by someone with an intake started (on its team) or a reason for none.
    requests = IntakeRequest.objects.all()
    assert HandOff.objects.count() == requests.count()
    assert not requests.exclude(status__in=IntakeRequest.Status.values).exists()
    waiting = requests.filter(status=IntakeRequest.Status.WAITING)
    undecided = Q(decided_by__isnull=True, decided_at__isnull=True, case__isnull=True, closed_reason="")
    assert not waiting.exclude(undecided).exists()
    decided = requests.exclude(status=IntakeRequest.Status.WAITING)
    assert not decided.filter(Q(decided_by__isnull=True) | Q(decided_at__isnull=True)).exists()
    started = requests.filter(status=IntakeRequest.Status.STARTED)
    assert not started.filter(Q(case__isnull=True) | ~Q(case__team=F("team"))).exists()
    closed = requests.filter(status=IntakeRequest.Status.CLOSED)
    assert not closed.filter(Q(closed_reason="") | Q(case__isnull=False)).exists()
    assert not requests.filter(Q(age__lt=1) | Q(age__gt=OLDEST_AGE) | Q(met_on__gt=today)).exists()
    for row in requests:
        assert row.name.strip(), row.pk
        assert row.name == row.name.strip(), row.pk
        assert isinstance(row.needs, list), row.pk
        assert len(set(row.needs)) == len(row.needs), row.pk
        assert set(row.needs) <= set(HelpNeed.values), row.pk
        assert max(len(row.how_to_reach), len(row.in_their_words), len(row.closed_reason)) <= LONGEST_REQUEST_NOTE


def test_session_form(world):
    runs, stored = attack(world, "outreach/sessions/new/")

    assert runs >= FORMS["outreach/sessions/new/"].examples
    assert stored > 0, "no hostile session was stored"


def test_session_edit_form(world):
    runs, stored = attack(world, "outreach/sessions/<int:pk>/edit/")

    assert runs >= FORMS["outreach/sessions/<int:pk>/edit/"].examples
    assert stored > 0, "no hostile change to a session was stored"


def test_hand_off_form(world):
    runs, stored = attack(world, "outreach/sessions/<int:pk>/hand-off/")

    assert runs >= FORMS["outreach/sessions/<int:pk>/hand-off/"].examples
    assert stored > 0, "no request for help was passed on"
    # What was passed on is read where it went: the team's queue, each request, and the intake
    # started from it, as a specialist of that team.
    readers = {world.team_a.pk: Client(), world.team_b.pk: Client()}
    readers[world.team_a.pk].force_login(world.specialist)
    readers[world.team_b.pk].force_login(world.outsider)
    for reader in readers.values():
        queue = reader.get("/cases/intake-requests/")
        assert queue.status_code == 200
        assert_no_live_markup(queue.text, "the intake queue")
    for row in IntakeRequest.objects.filter(status=IntakeRequest.Status.WAITING):
        reader, url = readers[row.team_id], f"/cases/intake-requests/{row.pk}/"
        page = reader.get(url)
        assert page.status_code == 200, url
        assert_no_live_markup(page.text, url)
        assert reader.post(f"{url}start/").status_code == 302, url
        row.refresh_from_db()
        assert row.status == IntakeRequest.Status.STARTED, f"no intake could start from request {row.pk}"
        for shown in (f"/cases/{row.case_id}/", f"/cases/{row.case_id}/edit/"):
            page = reader.get(shown)
            assert page.status_code == 200, shown
            assert_no_live_markup(page.text, shown)
    assert_consistent()


def test_volunteer_form(world):
    runs, stored = attack(world, "outreach/volunteers/new/")

    assert runs >= FORMS["outreach/volunteers/new/"].examples
    assert stored > 0, "no hostile volunteer was stored"


def test_volunteer_edit_form(world):
    runs, stored = attack(world, "outreach/volunteers/<int:pk>/edit/")

    assert runs >= FORMS["outreach/volunteers/<int:pk>/edit/"].examples
    assert stored > 0, "no hostile change to a volunteer was stored"


def test_training_form(world):
    runs, stored = attack(world, "outreach/volunteers/<int:pk>/trainings/new/")

    assert runs >= FORMS["outreach/volunteers/<int:pk>/trainings/new/"].examples
    assert stored > 0, "no hostile training was stored"


def test_partnership_form(world):
    runs, stored = attack(world, "outreach/partnerships/new/")

    assert runs >= FORMS["outreach/partnerships/new/"].examples
    assert stored > 0, "no hostile partnership activity was stored"


def test_partnership_edit_form(world):
    runs, stored = attack(world, "outreach/partnerships/<int:pk>/edit/")

    assert runs >= FORMS["outreach/partnerships/<int:pk>/edit/"].examples
    assert stored > 0, "no hostile change to a partnership activity was stored"


def test_intake_request_close_form(world):
    runs, stored = attack_each_time(world, "cases/intake-requests/<int:pk>/close/")

    assert runs >= FORMS["cases/intake-requests/<int:pk>/close/"].examples
    assert stored > 0, "no request was closed"


# The dashboard's filter is a GET form (the harness above posts): its query strings are attacked here.
DASHBOARD_PAGES = ("/outreach/dashboard/", "/outreach/dashboard.csv")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def test_dashboard_filter(world):
    hostile_town = make_town(HOSTILE_SCRIPT)
    log_outreach(world.outreach, town=hostile_town, people_contacted=3, venue_types=("street", "massage"))
    log_outreach(world.outreach, town=make_town("=HYPERLINK(1)"), people_contacted=1)
    client = Client()
    client.force_login(world.supervisor)
    fields = [*DashboardForm.base_fields, "by", "page"]
    valid = {"start": days_ago(60), "end": days_ago(0), "town": hostile_town.pk, "by": "town"}
    runs = shown = 0

    @settings(
        max_examples=150,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=post_data(fields, valid))
    def ask(data):
        nonlocal runs, shown
        runs += 1
        for path in DASHBOARD_PAGES:
            response = client.get(path, data)
            assert response.status_code in (200, 400), (path, data)
            if response["Content-Type"].startswith("text/csv"):
                assert response.status_code == 200
                rows = list(csv.reader(io.StringIO(response.content.decode())))
                assert rows[0] == CSV_HEADER
                assert all(len(row) == len(CSV_HEADER) for row in rows), data
                assert not any(row[0].startswith(FORMULA_STARTS) for row in rows), data
            else:
                assert_no_live_markup(response.text, path)
            shown += response.status_code == 200

    ask()
    assert runs >= 150
    assert shown > 0, "no filter was answered with figures"


# Named hostile posts: each is refused with its message beside the field, what was typed is shown
# again, and nothing is stored.


@dataclass(frozen=True)
class Refusal:
    route: str  # a key of FORMS: where to post, as whom, and the valid post that is spoiled
    spoil: Callable[[World], dict]  # what changes in the valid post; None leaves a field out
    field: str  # the field whose message shows ("__all__": above the form)
    kept: Callable[[World], str]  # what the page shows again, as the page writes it
    status: int = 200


def typed(name: str, value: str) -> str:
    """How an input shows again what was typed in it."""
    return f'name="{name}" value="{escape(value)}"'


def future(days: int = 3) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def inactive_volunteer_of(world: World) -> Volunteer:
    return make_volunteer(world.outreach, full_name="Ivy Inactive", status="inactive")


def booked_volunteer_of(world: World) -> Volunteer:
    """An active volunteer already out yesterday from 19:00 to 21:00, across the valid session's time."""
    volunteer = make_volunteer(world.outreach, full_name="Bo Booked")
    yesterday = timezone.localdate() - timedelta(days=1)
    starts_at = timezone.make_aware(datetime.combine(yesterday, time(19, 0)))
    log_outreach(world.outreach, town=outreach_town_of(world), starts_at=starts_at, volunteers=[volunteer])
    return volunteer


def someone_elses_account(world: World):
    other = make_user(Role.VOLUNTEER, full_name="Olga Other")
    make_volunteer(world.outreach, full_name="Olga Other", user=other)
    return other


def closed_organization_of(world: World) -> Organization:
    return Organization.objects.create(name="Closed Shelter", is_active=False)


NEW_SESSION, EDIT_SESSION = "outreach/sessions/new/", "outreach/sessions/<int:pk>/edit/"
HAND_OFF = "outreach/sessions/<int:pk>/hand-off/"
NEW_VOLUNTEER, EDIT_VOLUNTEER = "outreach/volunteers/new/", "outreach/volunteers/<int:pk>/edit/"
TRAINING = "outreach/volunteers/<int:pk>/trainings/new/"
NEW_ACTIVITY, EDIT_ACTIVITY = "outreach/partnerships/new/", "outreach/partnerships/<int:pk>/edit/"
CLOSE_REQUEST = "cases/intake-requests/<int:pk>/close/"
AREA_KEPT = typed("area", "Park Street, between Main and Broad")
LONG_HOSTILE_TEXT = HOSTILE_SCRIPT + "a" * 5000

REFUSALS: dict[str, Refusal] = {
    # Sessions
    "negative count": Refusal(NEW_SESSION, lambda w: {"hotline_cards": "-3"}, "hotline_cards",
                              lambda w: typed("hotline_cards", "-3")),
    "count above the largest": Refusal(NEW_SESSION, lambda w: {"people_contacted": "10001"}, "people_contacted",
                                       lambda w: typed("people_contacted", "10001")),
    "count of forty digits": Refusal(NEW_SESSION, lambda w: {"hygiene_kits": "9" * 40}, "hygiene_kits",
                                     lambda w: typed("hygiene_kits", "9" * 40)),
    "count that is not a number": Refusal(NEW_SESSION, lambda w: {"food_items": "lots"}, "food_items",
                                          lambda w: typed("food_items", "lots")),
    "more identified than contacted": Refusal(NEW_SESSION, lambda w: {"people_contacted": "2",
                                              "possibly_identified": "5"}, "possibly_identified",
                                              lambda w: typed("possibly_identified", "5")),
    "end before start": Refusal(NEW_SESSION, lambda w: {"starts": "20:00", "ends": "18:00"}, "ends",
                                lambda w: typed("starts", "20:00")),
    "longer than a session lasts": Refusal(NEW_SESSION, lambda w: {"starts": "06:00", "ends": "23:30"}, "ends",
                                           lambda w: typed("ends", "23:30")),
    "day at the calendar's end": Refusal(NEW_SESSION, lambda w: {"day": "9999-12-31", "ended_after_midnight": "on"},
                                         "day", lambda w: typed("day", "9999-12-31")),
    "inactive volunteer": Refusal(NEW_SESSION, lambda w: {"volunteers": [inactive_volunteer_of(w).pk]}, "volunteers",
                                  lambda w: "Ivy Inactive"),
    "double-booked volunteer": Refusal(NEW_SESSION, lambda w: {"volunteers": [booked_volunteer_of(w).pk]},
                                       "volunteers", lambda w: "Bo Booked"),
    "volunteer who does not exist": Refusal(NEW_SESSION, lambda w: {"volunteers": ["999999"]}, "volunteers",
                                            lambda w: AREA_KEPT),
    "volunteer id that is not a number": Refusal(NEW_SESSION, lambda w: {"volunteers": ["1 OR 1=1"]}, "volunteers",
                                                 lambda w: AREA_KEPT),
    "town that does not exist": Refusal(NEW_SESSION, lambda w: {"town": "999999"}, "town", lambda w: AREA_KEPT),
    "kind of venue not on the list": Refusal(NEW_SESSION, lambda w: {"venue_types": ["casino"]}, "venue_types",
                                             lambda w: AREA_KEPT),
    "no kind of venue": Refusal(NEW_SESSION, lambda w: {"venue_types": None}, "venue_types", lambda w: AREA_KEPT),
    "lead who is not an outreach worker": Refusal(NEW_SESSION, lambda w: {"lead": w.specialist.pk}, "lead",
                                                  lambda w: AREA_KEPT),
    "incident without a word on it": Refusal(NEW_SESSION, lambda w: {"safety_incidents": "1"}, "incident_notes",
                                             lambda w: typed("safety_incidents", "1")),
    "script and very long notes": Refusal(NEW_SESSION, lambda w: {"notes": LONG_HOSTILE_TEXT}, "notes",
                                          lambda w: escape(LONG_HOSTILE_TEXT)),
    "script in the area beside a negative count": Refusal(NEW_SESSION, lambda w: {"area": HOSTILE_SCRIPT,
                                                          "resource_sheets": "-1"}, "resource_sheets",
                                                          lambda w: typed("area", HOSTILE_SCRIPT)),
    "edit ending before it starts": Refusal(EDIT_SESSION, lambda w: {"starts": "21:00", "ends": "19:00"}, "ends",
                                            lambda w: typed("ends", "19:00")),
    "edit double-booking a volunteer": Refusal(EDIT_SESSION, lambda w: {"volunteers": [booked_volunteer_of(w).pk]},
                                               "volunteers", lambda w: "Bo Booked"),
    "edit with an inactive volunteer": Refusal(EDIT_SESSION, lambda w: {"volunteers": [inactive_volunteer_of(w).pk]},
                                               "volunteers", lambda w: "Ivy Inactive"),
    # Hand-offs
    "age 0": Refusal(HAND_OFF, lambda w: {"age": "0"}, "age", lambda w: typed("age", "0")),
    "age 200": Refusal(HAND_OFF, lambda w: {"age": "200"}, "age", lambda w: typed("age", "200")),
    "negative age": Refusal(HAND_OFF, lambda w: {"age": "-4"}, "age", lambda w: typed("age", "-4")),
    "age that is not a number": Refusal(HAND_OFF, lambda w: {"age": "thirty"}, "age",
                                        lambda w: typed("age", "thirty")),
    "not agreed": Refusal(HAND_OFF, lambda w: {"agreed": None}, "agreed", lambda w: typed("name", "Rosa")),
    "no name": Refusal(HAND_OFF, lambda w: {"name": "   "}, "name", lambda w: typed("phone", "860-555-0142")),
    "need not on the list": Refusal(HAND_OFF, lambda w: {"needs": ["money"]}, "needs",
                                    lambda w: typed("name", "Rosa")),
    "team that does not exist": Refusal(HAND_OFF, lambda w: {"team": "999999"}, "team",
                                        lambda w: typed("name", "Rosa")),
    "script and very long words": Refusal(HAND_OFF, lambda w: {"in_their_words": LONG_HOSTILE_TEXT},
                                          "in_their_words", lambda w: escape(LONG_HOSTILE_TEXT)),
    # Volunteers and their trainings
    "active without the training": Refusal(NEW_VOLUNTEER, lambda w: {"status": "active"}, "trained_on",
                                           lambda w: typed("full_name", "Vera Volunteer")),
    "applied in the future": Refusal(NEW_VOLUNTEER, lambda w: {"applied_on": future()}, "applied_on",
                                     lambda w: typed("applied_on", future())),
    "checked before applying": Refusal(NEW_VOLUNTEER, lambda w: {"background_checked_on": days_ago(40)},
                                       "background_checked_on", lambda w: typed("background_checked_on", days_ago(40))),
    "date that is not a date": Refusal(NEW_VOLUNTEER, lambda w: {"applied_on": "yesterday"}, "applied_on",
                                       lambda w: typed("applied_on", "yesterday")),
    "account without the volunteer role": Refusal(NEW_VOLUNTEER, lambda w: {"user": w.specialist.pk}, "user",
                                                  lambda w: typed("full_name", "Vera Volunteer")),
    "script and very long volunteer notes": Refusal(NEW_VOLUNTEER, lambda w: {"notes": LONG_HOSTILE_TEXT}, "notes",
                                                    lambda w: escape(LONG_HOSTILE_TEXT)),
    "another volunteer's account": Refusal(EDIT_VOLUNTEER, lambda w: {"user": someone_elses_account(w).pk}, "user",
                                           lambda w: typed("full_name", "Vic Changing")),
    "training in the future": Refusal(TRAINING, lambda w: {"on": future()}, "on", lambda w: typed("on", future()),
                                      status=400),
    "training of 25 hours": Refusal(TRAINING, lambda w: {"hours": "25"}, "hours", lambda w: typed("hours", "25"),
                                    status=400),
    "training of negative hours": Refusal(TRAINING, lambda w: {"hours": "-1"}, "hours",
                                          lambda w: typed("hours", "-1"), status=400),
    "training without a topic": Refusal(TRAINING, lambda w: {"topic": "  "}, "topic", lambda w: typed("hours", "2.5"),
                                        status=400),
    # Partnership activities
    "organization that does not exist": Refusal(NEW_ACTIVITY, lambda w: {"organization": "999999"}, "organization",
                                                lambda w: "Shared hotline cards for their front desk."),
    "organization no longer listed": Refusal(NEW_ACTIVITY, lambda w: {"organization": closed_organization_of(w).pk},
                                             "organization", lambda w: "Shared hotline cards for their front desk."),
    "type of activity not on the list": Refusal(NEW_ACTIVITY, lambda w: {"kind": "lunch"}, "kind",
                                                lambda w: "Shared hotline cards for their front desk."),
    "activity in the future": Refusal(NEW_ACTIVITY, lambda w: {"on": future()}, "on", lambda w: typed("on", future())),
    "script and very long activity notes": Refusal(EDIT_ACTIVITY, lambda w: {"notes": LONG_HOSTILE_TEXT}, "notes",
                                                   lambda w: escape(LONG_HOSTILE_TEXT)),
    # Closing a request for help
    "closing without a reason": Refusal(CLOSE_REQUEST, lambda w: {"reason": "   "}, "reason", lambda w: "Rosa",
                                        status=400),
    "closing with a very long reason": Refusal(CLOSE_REQUEST, lambda w: {"reason": LONG_HOSTILE_TEXT}, "reason",
                                               lambda w: escape(LONG_HOSTILE_TEXT), status=400),
}  # fmt: skip


def outreach_versions() -> tuple[int, ...]:
    """How many versions each outreach record and request for help has: a refusal adds none."""
    models = (OutreachSession, Volunteer, VolunteerTraining, HandOff, PartnershipActivity, IntakeRequest, Case)
    return tuple(model.history.count() for model in models)


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_a_hostile_outreach_post_is_refused_with_what_was_typed(world, name):
    refusal = REFUSALS[name]
    target = FORMS[refusal.route]
    client = Client()
    client.force_login(getattr(world, target.persona))
    path = target.path(world)
    data = target.valid(world)
    for field, spoiled in refusal.spoil(world).items():
        if spoiled is None:
            data.pop(field, None)
        else:
            data[field] = spoiled
    before = outreach_versions()

    response = client.post(path, data)

    assert response.status_code == refusal.status
    assert refusal.field in form_errors(response)
    forms = response.context.get("forms") or [response.context["form"]]
    messages = [message for form in forms for message in form.errors.get(refusal.field, [])]
    assert all(escape(message) in response.text for message in messages), messages
    assert refusal.kept(world) in response.text
    assert_no_live_markup(response.text, path)
    assert outreach_versions() == before, "a refused post stored something"
    assert_consistent()


def test_every_refusal_names_a_form_that_is_attacked():
    assert {refusal.route for refusal in REFUSALS.values()} <= set(FORMS)


def test_a_corrected_session_keeps_a_volunteer_who_has_stopped_since(world):
    """The other side of "edit with an inactive volunteer": one already on the team stays on it."""
    client = Client()
    client.force_login(world.outreach)
    session = session_of(world)
    client.post(f"/outreach/sessions/{session.pk}/edit/", valid_session(world, volunteers=[team_volunteer_of(world)]))
    volunteer = team_volunteer_of(world)
    details = {**{name: getattr(volunteer, name) for name in Volunteer.DETAIL_FIELDS}, "status": "inactive"}
    outreach_services.save_volunteer(volunteer, by=world.outreach, details=details, account=None)

    corrected = {**valid_session(world, volunteers=[volunteer]), "people_contacted": "13"}
    response = client.post(f"/outreach/sessions/{session.pk}/edit/", corrected)

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.people_contacted, list(session.volunteers.all())) == (13, [volunteer])
    assert_consistent()


# Training --------------------------------------------------------------------------------------


def curriculum_of(world: World) -> Curriculum:
    """The first curriculum: the one the world's trainer teaches (made on first use)."""
    return Curriculum.objects.order_by("pk").first() or make_curriculum(world.trainer)


def course_trainer_of(world: World) -> Trainer:
    """The first trainer, certified to teach the first curriculum (made on first use)."""
    return Trainer.objects.order_by("pk").first() or make_trainer(world.trainer, curricula=[curriculum_of(world)])


def training_event_of(world: World) -> TrainingEvent:
    """The first event: of that curriculum, by that trainer, on the default survey, ended an hour ago
    (so its survey after the training is open). Made on first use, with the curriculum and trainer."""
    first = TrainingEvent.objects.order_by("pk").first()
    return first or make_event(world.trainer, curriculum=curriculum_of(world), trainers=[course_trainer_of(world)])


def draft_survey_of(world: World) -> SurveyInstrument:
    """A version of the default survey that no event uses yet (made on first use)."""
    unused = SurveyInstrument.objects.filter(is_default=False, events__isnull=True, responses__isnull=True)
    return unused.order_by("pk").first() or training_services.revise(default_instrument(), by=world.trainer)


def latest_event_pages() -> list[str]:
    """The latest event's pages; its survey sheet only where it has a survey (else the sheet is a 404)."""
    return [
        f"/training/events/{event.pk}/{page}"
        for event in TrainingEvent.objects.order_by("-pk")[:1]
        for page in ("", "edit/", "results/", *(["survey-sheet/"] if event.instrument_id else []))
    ]


def valid_event(world: World) -> dict:
    return {
        "curriculum": curriculum_of(world).pk,
        "day": days_ago(1),
        "starts": "09:00",
        "ends": "12:30",
        "trainers": [course_trainer_of(world).pk],
        "audience": "school staff",
        "attendee_count": "25",
        "fields_of_work": ["education", "other"],
        "positions": "Teachers, school counselors",
        "instrument": default_instrument().pk,
        "survey_closes_on": future(1),
        "notes": "Held in the library.",
    }


def valid_survey(**fields) -> dict:
    """The default survey with two items of each construct answered, and who answered."""
    scores = {
        f"item_{item.pk}": str(construct.scale_min + 1)
        for construct, items in training_queries.survey_layout(default_instrument())
        for item in items[:2]
    }
    return {**fields, "field_of_work": "education", "position": "teacher", "experience": "3-5", **scores}


def valid_wording(instrument: SurveyInstrument) -> dict:
    data = {}
    for construct, items in training_queries.survey_layout(instrument):
        data |= {f"title_{construct.pk}": construct.title, f"question_{construct.pk}": construct.question}
        data |= {f"item_{item.pk}": f"{item.text}, in plainer words" for item in items}
    return data


def assert_training_consistent() -> None:
    """Events that add up, surveys with every score on its scale and every answer on its own survey."""
    today = timezone.localdate()
    for model in (Curriculum, Trainer, Certification, TrainingEvent, Attendee, SurveyResponse):
        assert not model.objects.exclude(pk__in=model.history.values("id")).exists(), model
    # The default survey's first version came with the install, without history; every later one has it.
    made_in_the_app = SurveyInstrument.objects.filter(created_by__isnull=False)
    assert not made_in_the_app.exclude(pk__in=SurveyInstrument.history.values("id")).exists()
    for model, instrument in ((Construct, "instrument"), (Item, "construct__instrument")):
        copied = model.objects.filter(**{f"{instrument}__in": made_in_the_app})
        assert not copied.exclude(pk__in=model.history.values("id")).exists(), model
    assert SurveyInstrument.objects.filter(is_default=True).count() == 1
    assert not Construct.objects.filter(Q(title="") | Q(question="")).exists()
    for text in Item.objects.values_list("text", flat=True):
        assert text, text
        assert text == text.strip(), text
    # Curricula, trainers and certifications
    curricula = Curriculum.objects.all()
    assert not curricula.filter(Q(hours__lte=0) | Q(hours__gt=200) | Q(sessions__lt=1) | Q(sessions__gt=100)).exists()
    assert not curricula.exclude(audience__in=Audience.values).exists()
    for curriculum in curricula:
        assert curriculum.name, curriculum.pk
        assert curriculum.name == curriculum.name.strip(), curriculum.pk
        assert len(curriculum.description) <= LONGEST_TRAINING_NOTE, curriculum.pk
    for name in Trainer.objects.values_list("full_name", flat=True):
        assert name, name
        assert name == name.strip(), name
    certifications = Certification.objects.all()
    assert not certifications.filter(Q(certified_on__gt=today) | Q(expires_on__lte=F("certified_on"))).exists()
    assert not certifications.exclude(kind__in=Certification.Kind.values).exists()
    assert not certifications.exclude(teach_back__in=Certification.TeachBack.values).exists()
    # Events: in order, at most two weeks, the link closing from their end to 30 days after it,
    # taught by someone, and a headcount no smaller than the sign-in list.
    events = TrainingEvent.objects.annotate(
        listed=Count("attendees", distinct=True), taught_by=Count("trainers", distinct=True)
    )
    assert not events.filter(ends_at__lte=F("starts_at")).exists()
    assert not events.filter(ends_at__gt=F("starts_at") + timedelta(days=14)).exists()
    assert not events.filter(survey_closes_at__lt=F("ends_at")).exists()
    assert not events.filter(survey_closes_at__gt=F("ends_at") + LONGEST_SURVEY_WINDOW).exists()
    assert not events.filter(taught_by=0).exists()
    assert not events.filter(Q(attendee_count__lt=F("listed")) | Q(listed__gt=LARGEST_HEADCOUNT)).exists()
    assert not events.exclude(audience__in=Audience.values).exists()
    for event in events:
        assert isinstance(event.fields_of_work, list), event.pk
        assert event.fields_of_work == sorted(set(event.fields_of_work)), event.pk
        assert set(event.fields_of_work) <= set(FieldOfWork.values), event.pk
        assert event.positions == event.positions.strip(), event.pk
        assert max(len(event.notes), len(event.positions)) <= LONGEST_TRAINING_NOTE, event.pk
        assert 16 <= len(event.survey_token) <= 40, event.pk
    attendees = Attendee.objects.all()
    assert not attendees.exclude(field_of_work__in=["", *FieldOfWork.values]).exists()
    assert not attendees.exclude(position__in=["", *Position.values]).exists()
    assert not attendees.filter(full_name="").exists()
    # Surveys: each on its event's survey, with at least one answer, each answer an item of that
    # survey scored on its construct's scale; typed in by staff, or from the link by nobody.
    responses = SurveyResponse.objects.all()
    assert not responses.filter(answers__isnull=True).exists()
    assert not responses.exclude(instrument=F("event__instrument")).exists()
    assert not responses.exclude(phase__in=SurveyResponse.Phase.values).exists()
    assert not responses.filter(source=SurveyResponse.Source.PAPER, entered_by__isnull=True).exists()
    assert not responses.filter(source=SurveyResponse.Source.LINK, entered_by__isnull=False).exists()
    for name, choices in (("field_of_work", FieldOfWork), ("position", Position), ("experience", Experience)):
        assert not responses.exclude(**{f"{name}__in": ["", *choices.values]}).exists(), name
    answers = Answer.objects.all()
    off_scale = Q(score__lt=F("item__construct__scale_min")) | Q(score__gt=F("item__construct__scale_max"))
    assert not answers.filter(off_scale).exists()
    assert not answers.exclude(item__construct__instrument=F("response__instrument")).exists()
    # One rate-limit mark per answer from the link while its survey is open (the marks go once it closes).
    open_events = TrainingEvent.objects.filter(survey_closes_at__gt=timezone.now())
    by_link = responses.filter(source=SurveyResponse.Source.LINK, event__in=open_events)
    assert SubmissionMark.objects.filter(event__in=open_events).count() == by_link.count()


def attack_training(world: World, route: str) -> tuple[int, int]:
    training_event_of(world)  # first, so that the curriculum, trainer and event are those made first
    return attack(world, route)


def test_training_event_form(world):
    runs, stored = attack_training(world, "training/events/new/")

    assert runs >= FORMS["training/events/new/"].examples
    assert stored > 0, "no hostile event was stored"


def test_training_event_edit_form(world):
    runs, stored = attack_training(world, "training/events/<int:pk>/edit/")

    assert runs >= FORMS["training/events/<int:pk>/edit/"].examples
    assert stored > 0, "no hostile change to an event was stored"


def test_training_attendee_form(world):
    runs, stored = attack_training(world, "training/events/<int:pk>/attendees/")

    assert runs >= FORMS["training/events/<int:pk>/attendees/"].examples
    assert stored > 0, "no hostile attendee was listed"


def test_training_paper_survey_form(world):
    runs, stored = attack_training(world, "training/events/<int:pk>/surveys/paper/")

    assert runs >= FORMS["training/events/<int:pk>/surveys/paper/"].examples
    assert stored > 0, "no paper survey was entered"


def test_training_certification_form(world):
    runs, stored = attack_training(world, "training/trainers/<int:pk>/certify/")

    assert runs >= FORMS["training/trainers/<int:pk>/certify/"].examples
    assert stored > 0, "no hostile certification was recorded"


def test_training_curriculum_form(world):
    runs, stored = attack_training(world, "training/curricula/new/")

    assert runs >= FORMS["training/curricula/new/"].examples
    assert stored > 0, "no hostile curriculum was stored"


def test_training_curriculum_edit_form(world):
    runs, stored = attack_training(world, "training/curricula/<int:pk>/edit/")

    assert runs >= FORMS["training/curricula/<int:pk>/edit/"].examples
    assert stored > 0, "no hostile change to a curriculum was stored"


def test_training_trainer_form(world):
    runs, stored = attack_training(world, "training/trainers/new/")

    assert runs >= FORMS["training/trainers/new/"].examples
    assert stored > 0, "no hostile trainer was stored"


def test_training_trainer_edit_form(world):
    runs, stored = attack_training(world, "training/trainers/<int:pk>/edit/")

    assert runs >= FORMS["training/trainers/<int:pk>/edit/"].examples
    assert stored > 0, "no hostile change to a trainer was stored"


def test_training_survey_wording_form(world):
    runs, stored = attack_training(world, "training/surveys/<int:pk>/edit/")

    assert runs >= FORMS["training/surveys/<int:pk>/edit/"].examples
    assert stored > 0, "no hostile wording was stored"


def test_training_survey_link_form(world):
    """Each example comes from a new phone, with its own device cookie and address: one device
    answers each survey once, and one network sends at most 60 in ten minutes."""
    route = "s/<str:token>/<slug:phase>/"
    target = FORMS[route]
    training_event_of(world)
    client = Client()
    path = target.path(world)
    runs = stored = 0

    @settings(
        max_examples=target.examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=post_data(list(target.form(world).fields), target.valid(world)))
    def post(data):
        nonlocal runs, stored
        runs += 1
        client.cookies[DEVICE_COOKIE] = secrets.token_urlsafe(18)
        client.defaults["REMOTE_ADDR"] = f"10.{runs // 65536 % 256}.{runs // 256 % 256}.{runs % 256}"
        stored += post_and_check(client, world, target, path, data)

    # Few random posts to a survey of 22 scores are valid, so three that are go first: a stray
    # field of markup, a score sent twice (the last is read), and who answered left out.
    valid = target.valid(world)
    first_score = next(name for name in valid if name.startswith("item_"))
    for data in (
        {**valid, "unexpected-field": MARKUP[0]},
        {**valid, first_score: ["9", "2"]},
        {name: value for name, value in valid.items() if name.startswith("item_")},
    ):
        post = example(data=data)(post)
    post()
    assert runs >= target.examples
    assert stored > 0, "no answer was taken from the link"
    assert SurveyResponse.objects.filter(source=SurveyResponse.Source.LINK).count() == stored


PERIOD_REPORT = "/reports/request/training_evaluation/0/"


def test_training_report_period(world):
    """The evaluation over a period reads start, end and by from the post: a period the results
    page refuses is refused with its message and queues nothing; one it takes queues one report."""
    enter_paper_pair(world)
    client = Client()
    client.force_login(world.director)
    valid = {"start": days_ago(90), "end": days_ago(0), "by": "month"}
    runs = queued = 0

    @settings(
        max_examples=150,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=post_data(["start", "end", "by"], valid), htmx=st.booleans())
    def ask(data, htmx):
        nonlocal runs, queued
        runs += 1
        before = ReportJob.objects.count()
        response = client.post(PERIOD_REPORT, data, headers={"HX-Request": "true"} if htmx else {})
        period = PeriodForm(response.wsgi_request.POST)
        made = ReportJob.objects.order_by("pk")[before:]
        if period.is_valid():
            taken = period.cleaned_data
            asked = {"start": taken["start"].isoformat(), "end": taken["end"].isoformat(), "by": taken["by"]}
            assert [job.parameters for job in made] == [asked], data
            assert response.status_code == (200 if htmx else 302), data
            queued += 1
            return
        assert list(made) == [], data
        refusals = [escape(message) for errors in period.errors.values() for message in errors]
        if htmx:
            assert response.status_code == 422, data
            assert all(refusal in response.text for refusal in refusals), data
        else:
            assert (response.status_code, response["Location"]) == (302, "/"), data
            shown = " ".join(str(m) for m in get_messages(response.wsgi_request) if m.level == messages.ERROR)
            assert all(refusal in escape(shown) for refusal in refusals), data

    ask()
    assert runs >= 150
    assert queued > 0, "no period was taken"


def enter_paper_pair(world: World) -> TrainingEvent:
    """The first event, with a paper survey before and after it, so that its results have figures."""
    event = training_event_of(world)
    for phase in ("pre", "post"):
        training_services.enter_paper(
            event,
            by=world.trainer,
            phase=phase,
            trainee=training_services.Trainee(field_of_work="education"),
            scores={int(name.removeprefix("item_")): int(score) for name, score in valid_survey().items()
                    if name.startswith("item_")},
        )  # fmt: skip
    return event


# The results' period is a GET form (the harness above posts): its query strings are attacked here.
def test_training_results_filter(world):
    enter_paper_pair(world)
    client = Client()
    client.force_login(world.supervisor)
    fields = [*PeriodForm.base_fields, "page"]
    valid = {"start": days_ago(60), "end": days_ago(0), "by": "month"}
    runs = shown = 0

    @settings(
        max_examples=150,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=post_data(fields, valid))
    def ask(data):
        nonlocal runs, shown
        runs += 1
        response = client.get("/training/results/", data)
        asked = response.wsgi_request.GET
        taken = "start" not in asked or PeriodForm(asked).is_valid()
        assert response.status_code == (200 if taken else 422), data
        assert_no_live_markup(response.text, "/training/results/")
        shown += taken

    ask()
    assert runs >= 150
    assert shown > 0, "no period was answered with figures"
