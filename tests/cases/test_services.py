from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from bloom.accounts.models import Role
from cases import permissions, services
from cases.models import Case, CaseAssignment, Survivor
from tests.factories import edit_survivor, make_case, make_user


def test_open_case_records_the_author_in_history(world):
    case = make_case(team=world.team_a, specialists=[world.colleague], by=world.colleague, legal_name="Hana Hist")

    survivor_row = Survivor.history.get(id=case.survivor_id)
    case_row = Case.history.filter(id=case.pk).earliest("history_id")
    assignment_row = CaseAssignment.history.get(case_id=case.pk)
    assert (survivor_row.history_type, survivor_row.history_user) == ("+", world.colleague)
    assert (case_row.history_type, case_row.history_user, case_row.history_change_reason) == (
        "+",
        world.colleague,
        "case.intake_started",
    )
    assert Case.history.filter(id=case.pk).latest("history_id").history_change_reason == "case.enrolled"
    assert assignment_row.history_user == world.colleague


def test_open_case_gives_a_unique_client_code(world):
    codes = {make_case(team=world.team_a, specialists=[world.specialist]).survivor.client_code for _ in range(20)}

    assert len(codes) == 20
    assert all(code.startswith("BL-") and len(code) == 9 for code in codes)


def test_assign_case_moves_access_and_records_the_author(world):
    services.assign_case(world.case_a, by=world.supervisor, specialists=[world.colleague])

    assert list(permissions.visible_cases(world.specialist)) == []
    assert list(permissions.visible_cases(world.colleague)) == [world.case_a]
    removed = CaseAssignment.history.get(case_id=world.case_a.pk, specialist=world.specialist, history_type="-")
    added = CaseAssignment.history.get(case_id=world.case_a.pk, specialist=world.colleague, history_type="+")
    latest = Case.history.filter(id=world.case_a.pk).latest("history_id")
    assert removed.history_user == added.history_user == latest.history_user == world.supervisor
    assert latest.history_change_reason == "case.reassigned"


def test_assign_case_to_another_team_moves_supervisor_access(world):
    services.assign_case(
        world.case_a, by=world.director, specialists=[world.outsider], team=world.team_b, note="Moving to team B."
    )

    assert list(permissions.visible_cases(world.supervisor)) == []
    assert sorted(permissions.visible_cases(world.outsider).values_list("pk", flat=True)) == sorted(
        [world.case_a.pk, world.case_b.pk]
    )
    assert Case.history.filter(id=world.case_a.pk).latest("history_id").history_change_reason == (
        "case.moved_reassigned"
    )


def test_assign_case_with_the_same_people_writes_no_history(world):
    before = Case.history.count() + CaseAssignment.history.count()

    services.assign_case(world.case_a, by=world.supervisor, specialists=[world.specialist], team=world.team_a)

    assert Case.history.count() + CaseAssignment.history.count() == before


def test_update_case_records_only_what_changed(world):
    case = world.case_a
    case_rows = Case.history.filter(id=case.pk).count()
    edit_survivor(
        case,
        by=world.specialist,
        legal_name="Alma Alpha",
        preferred_name="Al",
        date_of_birth=None,
        estimated_age=None,
        town=None,
    )

    survivor_row = Survivor.history.filter(id=case.survivor_id).latest("history_id")
    assert (survivor_row.history_user, survivor_row.history_change_reason) == (
        world.specialist,
        'row.changed|[["preferred_name"]]',
    )
    assert Case.history.filter(id=case.pk).count() == case_rows


def test_survivor_age_from_birth_date_or_estimate(db):
    born = Survivor(date_of_birth=date(2008, 11, 23))
    estimated = Survivor(estimated_age=30)

    assert born.age_on(date(2026, 11, 22)) == 17
    assert born.age_on(date(2026, 11, 23)) == 18
    assert (estimated.age_on(date(2026, 1, 1)), estimated.age_is_estimated) == (30, True)
    assert Survivor().age_on(date(2026, 1, 1)) is None


def test_specialist_role_has_no_program_wide_case_permission(db):
    specialist = make_user(Role.SPECIALIST)

    program_wide = {"cases.view_case", "cases.change_case", "cases.assign_case"}
    assert specialist.get_all_permissions() & program_wide == set()


def test_assign_case_rechecks_permission_under_the_lock(world):
    with pytest.raises(PermissionDenied):
        services.assign_case(world.case_a, by=world.specialist, specialists=[world.colleague])

    assert list(world.case_a.specialists.all()) == [world.specialist]


def test_a_client_code_already_taken_is_never_given_twice(world, monkeypatch):
    taken = world.case_a.survivor.client_code
    # The random source first offers the taken code, letter by letter, then another.
    letters = iter(taken.removeprefix("BL-") + "ACDEFG")
    monkeypatch.setattr("cases.models.core.secrets.choice", lambda alphabet: next(letters))

    case = make_case(team=world.team_a, specialists=[world.specialist], legal_name="Second Person")

    assert (case.survivor.client_code, Survivor.objects.filter(client_code=taken).count()) == ("BL-ACDEFG", 1)
