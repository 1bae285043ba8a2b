import re

from django.contrib.auth.models import Group
from django.urls import reverse

from bloom.accounts.models import Role, Team
from cases import permissions
from tests.factories import make_case, make_user


def test_administrator_manages_users_in_the_admin(client, world):
    client.force_login(world.administrator)

    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_change", args=[world.specialist.pk])).status_code == 200


def test_team_created_in_the_admin_gets_its_group_and_supervisors(client, world):
    lead = make_user(Role.SUPERVISOR, full_name="Lee Lead")
    client.force_login(world.administrator)

    response = client.post(
        reverse("admin:accounts_team_add"),
        {"name": "Team C", "supervisors": [lead.pk], "members": [world.specialist.pk]},
    )

    team = Team.objects.get(name="Team C")
    assert response.status_code == 302
    assert list(team.group.user_set.all()) == [lead]
    case = make_case(team=team, specialists=[world.specialist])
    assert case in permissions.visible_cases(lead)
    assert team.history.latest("history_id").history_user == world.administrator
    assert lead.history.latest("history_id").history_user == world.administrator


def test_only_supervisors_can_supervise_a_team(client, world):
    client.force_login(world.administrator)

    response = client.post(
        reverse("admin:accounts_team_add"), {"name": "Team D", "supervisors": [world.volunteer.pk], "members": []}
    )

    assert response.status_code == 200
    assert not Team.objects.filter(name="Team D").exists()


def test_administrator_cannot_grant_the_director_role_or_raise_their_own_access(client, world):
    director_role = Group.objects.get(name=Role.PROGRAM_DIRECTOR)
    client.force_login(world.administrator)

    own = client.get(reverse("admin:accounts_user_change", args=[world.administrator.pk]))
    other = client.get(reverse("admin:accounts_user_change", args=[world.specialist.pk]))
    director = client.get(reverse("admin:accounts_user_change", args=[world.director.pk]))

    assert own.status_code == 200
    assert "groups" not in own.context["adminform"].form.fields
    assert director_role not in other.context["adminform"].form.fields["groups"].queryset
    assert director.status_code == 200
    assert director.context["has_change_permission"] is False
    assert list(permissions.visible_cases(world.administrator)) == []


def test_role_changes_are_in_the_users_history(world):
    world.finance._history_user = world.administrator
    world.finance.groups.add(Group.objects.get(name=Role.SUPERVISOR))

    row = world.finance.history.latest("history_id")
    assert row.history_user == world.administrator
    assert sorted(g.group.name for g in row.groups.all()) == sorted([Role.FINANCE, Role.SUPERVISOR])


def test_survivor_records_are_not_in_the_admin(client, world):
    client.force_login(world.administrator)

    html = client.get(reverse("admin:index")).content.decode()

    # Of the cases app only the program's settings are there; no survivor, case or screening.
    assert set(re.findall(r'href="/admin/cases/[^"]*"', html)) == {
        'href="/admin/cases/"',
        'href="/admin/cases/programsettings/"',
    }


def test_specialists_cannot_use_the_admin(client, world):
    client.force_login(world.specialist)

    assert client.get(reverse("admin:index")).status_code == 302
