import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from bloom.access import active, get_or_404, holds, require
from bloom.accounts.models import Role
from bloom.reports.models import ReportJob
from cases import permissions, services
from cases.models import Case
from tests.factories import make_user

PERSONAS = ["specialist", "colleague", "supervisor", "outsider", "director", "finance", "outreach", "administrator"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_with_a_role_is_active(world, persona):
    assert active(world.everyone()[persona]) is True


def test_a_superuser_an_inactive_account_and_a_visitor_are_not_active(db):
    superuser = make_user(Role.PROGRAM_DIRECTOR, is_superuser=True)
    inactive = make_user(Role.SPECIALIST, is_active=False)

    assert [active(superuser), active(inactive), active(AnonymousUser()), active(None)] == [False] * 4


def test_holds_answers_from_the_role(world):
    assert holds(world.director, "cases.view_case") is True
    assert holds(world.specialist, "cases.view_case") is False


def test_a_superuser_holds_nothing(db):
    superuser = make_user(is_superuser=True)

    assert holds(superuser, "cases.view_case") is False


def test_require_refuses_with_a_403_only_when_not_allowed():
    require(True)
    with pytest.raises(PermissionDenied):
        require(False)


def test_get_or_404_gives_the_row(world):
    assert get_or_404(Case.objects.all(), pk=world.case_a.pk) == world.case_a


@pytest.mark.parametrize("pk", ["missing", "abc", "", None, 2**70, "1.5"])
def test_get_or_404_answers_404_for_a_missing_row_or_an_id_that_cannot_be_one(world, pk):
    pk = world.case_a.pk + 1000 if pk == "missing" else pk

    with pytest.raises(Http404):
        get_or_404(Case.objects.all(), pk=pk)


def test_get_or_404_answers_404_for_a_row_outside_the_scoped_queryset(world):
    with pytest.raises(Http404):
        get_or_404(Case.objects.exclude(pk=world.case_a.pk), pk=world.case_a.pk)


def test_get_or_404_answers_404_for_a_malformed_uuid(db):
    with pytest.raises(Http404):
        get_or_404(ReportJob.objects.all(), public_id="not-a-uuid")


# The choke point's one answer per request --------------------------------------------------


def _fresh(world) -> Case:
    return Case.objects.get(pk=world.case_a.pk)


@pytest.mark.parametrize("persona", ["specialist", "supervisor", "director"])
def test_get_case_for_carries_the_same_answer_as_case_perms(world, persona):
    user = world.everyone()[persona]

    case = permissions.get_case_for(user, world.case_a.pk)

    assert (case.perms, case.perms_user_id) == (permissions.case_perms(user, _fresh(world)), user.pk)


def test_the_answer_carried_by_emergency_access_is_the_same_as_case_perms(world):
    services.open_in_emergency(world.case_a, by=world.outsider, reason="The survivor called the hotline at night.")

    case = permissions.get_case_for(world.outsider, world.case_a.pk)

    assert case.perms == permissions.case_perms(world.outsider, _fresh(world))
    assert permissions.BY_EMERGENCY in case.perms


def test_a_restriction_that_does_not_name_the_person_is_a_404(world):
    services.set_restriction(world.case_a, by=world.supervisor, restricted=True, named=[world.supervisor])

    with pytest.raises(Http404):
        permissions.get_case_for(world.director, world.case_a.pk)
    assert permissions.get_case_for(world.supervisor, world.case_a.pk).perms == permissions.case_perms(
        world.supervisor, _fresh(world)
    )


@pytest.mark.parametrize("persona", ["colleague", "outsider", "finance", "outreach", "administrator"])
def test_get_case_for_answers_404_to_whoever_does_not_see_the_case(world, persona):
    with pytest.raises(Http404):
        permissions.get_case_for(world.everyone()[persona], world.case_a.pk)


def test_get_case_for_answers_403_to_whoever_sees_the_case_without_the_right(world):
    with pytest.raises(PermissionDenied):
        permissions.get_case_for(world.specialist, world.case_a.pk, perm=permissions.ASSIGN)


@pytest.mark.parametrize("pk", ["abc", None, 2**70])
def test_get_case_for_answers_404_for_an_id_that_cannot_be_one(world, pk):
    with pytest.raises(Http404):
        permissions.get_case_for(world.specialist, pk)


def test_asking_again_in_the_same_request_costs_no_query(world, django_assert_num_queries):
    case = permissions.get_case_for(world.specialist, world.case_a.pk)

    with django_assert_num_queries(0):
        answers = [
            permissions.case_perms(world.specialist, case),
            permissions.can(world.specialist, permissions.CHANGE, case),
            permissions.can_see_history(world.specialist, case),
        ]

    assert answers == [case.perms, True, permissions.SEE_HISTORY in case.perms]


def test_one_persons_answer_is_never_given_to_another(world):
    case = permissions.get_case_for(world.supervisor, world.case_a.pk)

    assert permissions.case_perms(world.outsider, case) == frozenset()
    assert permissions.case_perms(world.specialist, case) == permissions.case_perms(world.specialist, _fresh(world))
    assert permissions.can(world.specialist, permissions.ASSIGN, case) is False


def test_changing_the_grants_drops_the_answer_carried_by_the_case(world):
    case = permissions.get_case_for(world.specialist, world.case_a.pk)

    permissions.revoke_specialists(case, [world.specialist])

    assert permissions.can(world.specialist, permissions.VIEW, case) is False
