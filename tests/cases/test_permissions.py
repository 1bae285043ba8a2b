from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404

from bloom.accounts.services import set_team_supervisors
from cases import permissions, services
from cases.models import Case
from tests.factories import make_user

# Who sees what, in the world fixture: case_a is team A's, assigned to `specialist`;
# case_b is team B's, assigned to `outsider`.
EXPECTED_VISIBLE = {
    "specialist": ["case_a"],
    "colleague": [],
    "supervisor": ["case_a"],
    "outsider": ["case_b"],
    "director": ["case_a", "case_b"],
    "finance": [],
    "outreach": [],
    "volunteer": [],
    "trainer": [],
    "administrator": [],
}


@pytest.mark.parametrize(("persona", "expected"), EXPECTED_VISIBLE.items())
def test_visible_cases_is_exactly_what_each_persona_may_see(world, persona, expected):
    user = world.everyone()[persona]

    visible = sorted(permissions.visible_cases(user).values_list("pk", flat=True))

    assert visible == sorted(getattr(world, name).pk for name in expected)


@pytest.mark.parametrize(("persona", "expected"), EXPECTED_VISIBLE.items())
def test_get_case_for_raises_404_for_every_case_not_visible(world, persona, expected):
    user = world.everyone()[persona]
    for name in ("case_a", "case_b"):
        case = getattr(world, name)
        if name in expected:
            assert permissions.get_case_for(user, case.pk) == case
        else:
            with pytest.raises(Http404):
                permissions.get_case_for(user, case.pk)


@pytest.mark.parametrize(("persona", "expected"), EXPECTED_VISIBLE.items())
def test_visible_survivors_follow_their_cases(world, persona, expected):
    user = world.everyone()[persona]

    survivors = sorted(permissions.visible_survivors(user).values_list("pk", flat=True))

    assert survivors == sorted(getattr(world, name).survivor_id for name in expected)


@pytest.mark.parametrize("persona", EXPECTED_VISIBLE)
def test_get_case_for_gives_what_case_perms_works_out(world, persona):
    user = world.everyone()[persona]
    for case in (world.case_a, world.case_b):
        expected = permissions.case_perms(user, Case.objects.get(pk=case.pk))
        if permissions.VIEW in expected:
            assert permissions.get_case_for(user, case.pk).perms == expected


def test_get_case_for_reads_emergency_access_at_the_moment_asked(world):
    grant = services.open_in_emergency(world.case_a, by=world.outsider, reason="A crisis call at night")
    assert permissions.BY_EMERGENCY in permissions.get_case_for(world.outsider, world.case_a.pk).perms

    with time_machine.travel(grant.expires_at + timedelta(minutes=1), tick=False), pytest.raises(Http404):
        permissions.get_case_for(world.outsider, world.case_a.pk)


def enroll_again(world):
    # case_b becomes another enrollment of case_a's survivor.
    Case.objects.filter(pk=world.case_b.pk).update(survivor=world.case_a.survivor)
    world.case_b.refresh_from_db()


@pytest.mark.parametrize(("persona", "expected"), EXPECTED_VISIBLE.items())
def test_other_enrollments_are_the_survivors_other_cases_in_sight(world, persona, expected):
    enroll_again(world)
    user = world.everyone()[persona]

    others = [case.pk for case in permissions.other_enrollments(user, world.case_a)]

    assert others == ([world.case_b.pk] if "case_b" in expected else [])


def test_other_enrollments_include_a_case_opened_in_an_emergency(world):
    enroll_again(world)
    services.open_in_emergency(world.case_a, by=world.outsider, reason="A crisis call at night")

    assert [case.pk for case in permissions.other_enrollments(world.outsider, world.case_b)] == [world.case_a.pk]


def test_other_enrollments_leave_out_a_restricted_case_not_naming_the_reader(world):
    enroll_again(world)
    services.set_restriction(world.case_a, by=world.supervisor, restricted=True, named=[world.supervisor])

    assert permissions.other_enrollments(world.director, world.case_b) == []
    assert [case.pk for case in permissions.other_enrollments(world.supervisor, world.case_b)] == [world.case_a.pk]


def test_unknown_and_malformed_ids_are_404(world):
    for pk in (999_999, "abc", None):
        with pytest.raises(Http404):
            permissions.get_case_for(world.director, pk)


def test_assigned_specialist_may_change_but_not_assign(world):
    assert permissions.can(world.specialist, permissions.CHANGE, world.case_a)
    assert not permissions.can(world.specialist, permissions.ASSIGN, world.case_a)
    with pytest.raises(PermissionDenied):
        permissions.get_case_for(world.specialist, world.case_a.pk, perm=permissions.ASSIGN)


def test_supervisor_may_assign_their_teams_cases_only(world):
    assert permissions.can(world.supervisor, permissions.ASSIGN, world.case_a)
    assert not permissions.can(world.supervisor, permissions.ASSIGN, world.case_b)
    with pytest.raises(Http404):
        permissions.get_case_for(world.supervisor, world.case_b.pk, perm=permissions.ASSIGN)


def test_director_may_do_everything_on_every_case(world):
    for case in (world.case_a, world.case_b):
        for perm in (permissions.VIEW, permissions.CHANGE, permissions.ASSIGN):
            assert permissions.can(world.director, perm, case)


def test_inactive_user_sees_nothing(world):
    world.specialist.is_active = False
    world.specialist.save()

    assert list(permissions.visible_cases(world.specialist)) == []
    assert not permissions.can(world.specialist, permissions.VIEW, world.case_a)


def test_superuser_sees_no_survivor_without_a_role(world):
    root = make_user(is_superuser=True, is_staff=True)

    assert list(permissions.visible_cases(root)) == []
    assert not permissions.can(root, permissions.VIEW, world.case_a)
    assert not permissions.can_open_cases(root)


def test_former_supervisor_loses_sight_of_the_team(world):
    set_team_supervisors(world.team_a, supervisors=[], by=world.director)

    assert list(permissions.visible_cases(world.supervisor)) == []


def test_history_and_access_log_need_their_role_permissions(world):
    assert permissions.can_see_history(world.specialist, world.case_a)
    assert not permissions.can_see_access_log(world.specialist, world.case_a)
    assert permissions.can_see_access_log(world.supervisor, world.case_a)
    assert not permissions.can_see_history(world.outsider, world.case_a)


def test_only_the_choke_point_calls_guardian():
    root = Path(__file__).resolve().parents[2]
    allowed = {root / "cases" / "permissions.py", root / "cases" / "models" / "core.py"}
    offenders = [
        str(path.relative_to(root))
        for folder in ("bloom", "cases", "phases", "assistance", "outreach", "training")
        for path in (root / folder).rglob("*.py")
        if "migrations" not in path.parts
        and path not in allowed
        and ("from guardian" in path.read_text() or "import guardian" in path.read_text())
    ]
    assert offenders == []
