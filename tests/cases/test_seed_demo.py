import pytest
from django.core.management import CommandError, call_command

from bloom.accounts.models import Role, Team, User
from bloom.directory.models import Town
from cases import permissions
from cases.demo import DEMO_PASSWORD, SERVICE_TOWNS
from cases.models import Case, CaseAssignment, Survivor


def test_seed_demo_creates_a_believable_program(db, capsys):
    call_command("seed_demo")

    out = capsys.readouterr().out
    assert sorted(Town.objects.filter(in_service_area=True).values_list("name", flat=True)) == sorted(SERVICE_TOWNS)
    assert Team.objects.count() == 2
    assert Survivor.objects.count() == 40
    for role in Role:
        assert User.objects.filter(groups__name=role).exists(), role
        assert str(role.label) in out
    assert DEMO_PASSWORD in out
    specialist = User.objects.get(email="specialist@bloom.demo")
    assert specialist.check_password(DEMO_PASSWORD)
    assert permissions.visible_cases(specialist).count() == Case.objects.filter(specialists=specialist).count() > 0
    assert Survivor.history.filter(history_user__isnull=True).count() == 0


def test_seed_demo_twice_changes_nothing(db):
    call_command("seed_demo")
    before = (User.objects.count(), Survivor.objects.count(), Case.history.count())

    call_command("seed_demo")

    assert (User.objects.count(), Survivor.objects.count(), Case.history.count()) == before


def test_scale_data_is_bulk_inserted_with_history_and_access(db):
    call_command("seed_demo", survivors=300)

    assert Survivor.objects.count() == 340
    assert Case.objects.count() == 340
    assert Case.history.count() >= 340
    assert CaseAssignment.history.count() >= 300
    director = User.objects.get(email="director@bloom.demo")
    supervisor = User.objects.get(email="supervisor@bloom.demo")
    team = supervisor.supervised_teams.get()
    assert permissions.visible_cases(director).count() == 340
    assert permissions.visible_cases(supervisor).count() == Case.objects.filter(team=team).count()
    assert len(set(Survivor.objects.values_list("client_code", flat=True))) == 340


def test_seed_demo_refuses_production(db, settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="never"):
        call_command("seed_demo")
