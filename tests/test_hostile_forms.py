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

from collections.abc import Callable
from dataclasses import dataclass

from django import forms as django_forms
from django.db.models import Exists, F, OuterRef
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bloom.accounts.forms import EmailAuthenticationForm, TokenForm
from cases import amp, services
from cases.forms import (
    AssignCaseForm,
    CaseFilterForm,
    CaseStatusForm,
    DuplicateCheckForm,
    EligibilityOverrideForm,
    FamilyMemberForm,
    MandatedReportForm,
    OutcomeForm,
    ReferralForm,
    ScreeningForm,
    StartIntakeForm,
    SurvivorDetailsForm,
)
from cases.models import (
    Case,
    CaseAssignment,
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    FamilyMember,
    MandatedReport,
    Screening,
    Survivor,
)
from tests.conftest import World
from tests.test_access_matrix import MATRIX

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
            CaseStatusForm(case=w.case_a),
        ),
        examples=450,
        valid=lambda w: {"legal_name": "Alma Alpha", "status": "open", "opened_on": w.case_a.opened_on.isoformat()},
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
}

# Routes that accept a POST but read no field from it: their only input is the URL, which
# the access matrix and test_hostile_input.py exercise.
NO_FIELDS = {
    "notifications/<int:pk>/open/": "marks one notification read",
    "notifications/read-all/": "marks all of one's notifications read",
    "reports/request/<slug:kind>/<int:target_id>/": "the report kind and subject are in the URL",
    "cases/<int:pk>/family/<int:member_pk>/remove/": "removes the family member named in the URL",
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
        response = client.post(path, data)
        assert response.status_code < 500
        if response.status_code == 200:
            assert_no_live_markup(response.text, path)
        if response.status_code == 302:  # something was stored: look where it is shown
            stored += 1
            for shown in target.shows(world):
                page = client.get(shown)
                assert page.status_code == 200, shown
                assert_no_live_markup(page.text, shown)
        assert_consistent()

    post()
    return runs, stored


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
