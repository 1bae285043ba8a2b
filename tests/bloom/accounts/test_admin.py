from django.urls import reverse

from bloom.accounts.models import Team
from cases import permissions
from tests.factories import make_case


def test_administrator_manages_users_in_the_admin(client, world):
    client.force_login(world.administrator)

    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_change", args=[world.specialist.pk])).status_code == 200


def test_team_created_in_the_admin_gets_its_group_and_supervisors(client, world):
    client.force_login(world.administrator)

    response = client.post(
        reverse("admin:accounts_team_add"),
        {"name": "Team C", "supervisors": [world.colleague.pk], "members": [world.specialist.pk]},
    )

    team = Team.objects.get(name="Team C")
    assert response.status_code == 302
    assert list(team.group.user_set.all()) == [world.colleague]
    case = make_case(team=team, specialists=[world.specialist])
    assert case in permissions.visible_cases(world.colleague)
    assert team.history.latest("history_id").history_user == world.administrator


def test_survivor_records_are_not_in_the_admin(client, world):
    client.force_login(world.administrator)

    html = client.get(reverse("admin:index")).content.decode()

    assert "/admin/cases/" not in html


def test_specialists_cannot_use_the_admin(client, world):
    client.force_login(world.specialist)

    assert client.get(reverse("admin:index")).status_code == 302
