import io

import pytest
from django.core.management import CommandError, call_command

from bloom.accounts.models import Role, Team, User
from bloom.directory.models import Town
from bloom.notifications.models import Notification
from cases import permissions, queries
from cases.demo import DEMO_PASSWORD, SERVICE_TOWNS
from cases.models import Case, CaseAssignment, SafetyPlan, Screening, Survivor
from phases.models import BudgetMonth, CasePlan, Goal, PhaseReview, PhaseStay

# Run again at awkward instants (tests/clock.py): the demo is dated from today.
pytestmark = pytest.mark.clock


@pytest.fixture(scope="module")
def seeded(module_transaction, django_db_blocker) -> str:
    """The demo, seeded once for the module (about ten seconds); what the command printed."""
    out = io.StringIO()
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_creates_a_believable_program(seeded, db):
    out = seeded
    assert sorted(Town.objects.filter(in_service_area=True).values_list("name", flat=True)) == sorted(SERVICE_TOWNS)
    assert Team.objects.count() == 2
    # 40 enrolled survivors, and three intakes: a draft, a minor, one not enrolled.
    assert Survivor.objects.count() == 43
    assert sorted(Case.objects.exclude(status__in=["open", "closed"]).values_list("status", flat=True)) == [
        "intake",
        "intake",
        "not enrolled",
    ]
    minor = Case.objects.get(survivor__legal_name="Brianna Fields")
    assert minor.minor_at_intake
    assert list(queries.careline_reports_due(Case.objects.all())) == [minor]
    assert Notification.objects.filter(kind="careline report due", url=minor.get_absolute_url()).exists()
    assert Screening.objects.count() == 42
    for role in Role:
        assert User.objects.filter(groups__name=role).exists(), role
        assert str(role.label) in out
    assert DEMO_PASSWORD in out
    specialist = User.objects.get(email="specialist@bloom.demo")
    assert specialist.check_password(DEMO_PASSWORD)
    assert permissions.visible_cases(specialist).count() == Case.objects.filter(specialists=specialist).count() > 0
    assert Survivor.history.filter(history_user__isnull=True).count() == 0


def test_seed_demo_gives_open_cases_plans_goals_budgets_and_safety_plans(seeded, db):
    open_cases = Case.objects.filter(status="open")
    assert not CasePlan.objects.exclude(case__in=open_cases).exists()
    assert CasePlan.objects.count() > open_cases.count() / 2
    # Some moved on with a supervisor's sign-off, and some moves wait in a supervisor's queue.
    assert PhaseStay.objects.filter(how="forward", review__decided_by__groups__name=Role.SUPERVISOR).exists()
    assert PhaseReview.objects.filter(status="waiting").exists()
    assert Goal.objects.exists()
    assert BudgetMonth.objects.filter(lines__isnull=False).exists()
    assert SafetyPlan.objects.filter(case__in=open_cases).exists()
    for model in (CasePlan, PhaseStay, Goal, BudgetMonth, SafetyPlan):
        assert not model.history.filter(history_user__isnull=True).exists(), model


def test_seed_demo_twice_changes_nothing(seeded, db):
    before = (User.objects.count(), Survivor.objects.count(), Case.history.count())

    call_command("seed_demo", stdout=io.StringIO())

    assert (User.objects.count(), Survivor.objects.count(), Case.history.count()) == before


def test_scale_data_is_bulk_inserted_with_history_and_access(seeded, db):
    call_command("seed_demo", survivors=300, stdout=io.StringIO())

    assert Survivor.objects.count() == 343
    # One demo survivor came back after their case closed: a second, linked enrollment.
    assert Case.objects.count() == 344
    assert Case.objects.filter(previous_case__isnull=False).count() == 1
    # Demo cases close the only way there is: an approved closure.
    closed = Case.objects.filter(status=Case.Status.CLOSED)
    assert closed.exists()
    assert not closed.exclude(closures__status="approved").exists()
    assert Case.history.count() >= 343
    assert CaseAssignment.history.count() >= 300
    director = User.objects.get(email="director@bloom.demo")
    supervisor = User.objects.get(email="supervisor@bloom.demo")
    team = supervisor.supervised_teams.get()
    assert permissions.visible_cases(director).count() == 344
    assert permissions.visible_cases(supervisor).count() == Case.objects.filter(team=team).count()
    assert len(set(Survivor.objects.values_list("client_code", flat=True))) == 343


def test_seed_demo_refuses_production(db, settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="never"):
        call_command("seed_demo")
