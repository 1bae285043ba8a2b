import pytest
from django.core.exceptions import PermissionDenied

from bloom.accounts.models import Role
from bloom.notifications.models import Notification
from cases import permissions, services
from cases.models import NamedPerson
from cases.permissions import visible_cases
from tests.factories import make_case, make_user

PERSONAS = ["specialist", "colleague", "supervisor", "outsider", "director", "finance", "outreach"]


def restrict(world, *named, by=None):
    return services.set_restriction(
        world.case_a, by=by or world.supervisor, restricted=True, named=list(named) or [world.supervisor]
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_restricted_case_naming_nobody_else_is_seen_only_by_its_specialist_and_named_supervisor(world, persona):
    restrict(world, world.supervisor)

    seen = list(visible_cases(getattr(world, persona)).filter(pk=world.case_a.pk))

    assert seen == ([world.case_a] if persona in {"specialist", "supervisor"} else [])


def test_the_director_does_not_see_a_restricted_case_unless_named(world):
    restrict(world, world.supervisor)
    world.case_a.refresh_from_db()

    assert list(visible_cases(world.director).filter(pk=world.case_a.pk)) == []
    assert permissions.case_perms(world.director, world.case_a) == frozenset()


def test_the_supervisor_does_not_see_a_restricted_case_unless_named(world):
    restrict(world, world.director, by=world.director)

    assert list(visible_cases(world.supervisor).filter(pk=world.case_a.pk)) == []
    assert list(visible_cases(world.director).filter(pk=world.case_a.pk)) == [world.case_a]
    assert list(visible_cases(world.specialist).filter(pk=world.case_a.pk)) == [world.case_a]


def test_a_restricted_case_is_a_404_on_every_page_for_those_not_named(world, client):
    restrict(world, world.director, by=world.director)
    client.force_login(world.supervisor)

    pages = ["", "edit/", "timeline/", "history/", "access-log/", "screening/", "assign/", "restriction/"]
    answers = {page: client.get(f"/cases/{world.case_a.pk}/{page}").status_code for page in pages}

    assert answers == dict.fromkeys(pages, 404)


def test_a_restricted_case_is_missing_from_the_unnamed_supervisors_list_and_search(world, client):
    restrict(world, world.director, by=world.director)
    client.force_login(world.supervisor)

    listed = client.get("/cases/")
    searched = client.post("/cases/", {"q": "Alma"})

    assert list(listed.context["page"].object_list) == []
    assert list(searched.context["page"].object_list) == []
    assert world.case_a.survivor.client_code not in searched.text


def test_a_restricted_case_shows_only_as_a_hidden_match_in_the_duplicate_check(world):
    restrict(world, world.director, by=world.director)

    found = permissions.possible_duplicates(world.supervisor, names=["Alma Alpha"], date_of_birth=None)

    assert found.visible == []
    assert found.hidden is True


def test_a_specialist_assigned_later_is_named_by_the_assignment(world):
    restrict(world, world.supervisor)
    services.assign_case(world.case_a, by=world.supervisor, specialists=[world.colleague])

    assert list(visible_cases(world.colleague).filter(pk=world.case_a.pk)) == [world.case_a]
    assert list(visible_cases(world.specialist).filter(pk=world.case_a.pk)) == []


def test_restricting_records_the_flag_and_the_named_people_in_history(world):
    restrict(world, world.supervisor)

    world.case_a.refresh_from_db()
    assert world.case_a.restricted is True
    latest = world.case_a.history.first()
    assert (latest.restricted, latest.history_user, latest.history_change_reason) == (
        True,
        world.supervisor,
        "case.restricted",
    )
    named = NamedPerson.objects.get(case=world.case_a)
    assert (named.user, named.history.get().history_user) == (world.supervisor, world.supervisor)


def test_lifting_the_restriction_clears_the_named_people_and_the_team_sees_the_case_again(world):
    restrict(world, world.director, by=world.director)

    services.set_restriction(world.case_a, by=world.director, restricted=False, named=[world.director])

    assert NamedPerson.objects.filter(case=world.case_a).count() == 0
    assert NamedPerson.history.filter(history_type="-").count() == 1
    assert list(visible_cases(world.supervisor).filter(pk=world.case_a.pk)) == [world.case_a]


def test_only_people_who_reach_the_case_anyway_can_be_named(world):
    with pytest.raises(services.AccessError):
        restrict(world, world.supervisor, world.outsider)

    world.case_a.refresh_from_db()
    assert world.case_a.restricted is False


def test_a_restriction_must_name_someone_who_can_change_it_later(world):
    with pytest.raises(services.AccessError):
        services.set_restriction(world.case_a, by=world.supervisor, restricted=True, named=[])

    assert world.case_a.history.filter(restricted=True).count() == 0


def test_a_specialist_may_not_restrict_a_case(world):
    with pytest.raises(PermissionDenied):
        services.set_restriction(world.case_a, by=world.specialist, restricted=True, named=[world.supervisor])


def test_the_restriction_page_restricts_and_keeps_the_named_supervisor_on_the_case(world, client):
    client.force_login(world.supervisor)

    response = client.post(
        f"/cases/{world.case_a.pk}/restriction/", {"restricted": "on", "named": [world.supervisor.pk]}
    )

    assert response.status_code == 302
    assert response["Location"] == world.case_a.get_absolute_url()
    assert client.get(world.case_a.get_absolute_url()).status_code == 200


def test_a_supervisor_who_restricts_without_naming_themselves_is_sent_to_the_list(world, client):
    client.force_login(world.supervisor)

    response = client.post(f"/cases/{world.case_a.pk}/restriction/", {"restricted": "on", "named": [world.director.pk]})

    assert response["Location"] == "/cases/"
    assert client.get(world.case_a.get_absolute_url()).status_code == 404


def test_a_refused_restriction_is_shown_with_what_was_chosen(world, client):
    client.force_login(world.supervisor)

    response = client.post(f"/cases/{world.case_a.pk}/restriction/", {"restricted": "on"})

    assert response.status_code == 200
    assert "Name at least one supervisor or program director" in response.text
    assert response.context["form"].data["restricted"] == "on"


def test_the_restriction_page_is_for_those_who_may_assign(world, client):
    client.force_login(world.specialist)
    assert client.get(f"/cases/{world.case_a.pk}/restriction/").status_code == 403
    client.force_login(world.outsider)
    assert client.get(f"/cases/{world.case_a.pk}/restriction/").status_code == 404


def test_naming_a_supervisor_of_another_team_is_refused_as_a_choice(world, client):
    other = make_user(Role.SUPERVISOR)
    client.force_login(world.supervisor)

    response = client.post(
        f"/cases/{world.case_a.pk}/restriction/", {"restricted": "on", "named": [world.supervisor.pk, other.pk]}
    )

    assert response.status_code == 200
    assert "named" in response.context["form"].errors


def test_a_restricted_survivor_enrolled_again_stays_restricted_to_the_same_people(world):
    restrict(world, world.supervisor)
    closure = services.request_closure(
        world.case_a,
        by=world.specialist,
        reason="goals met",
        closed_on=world.case_a.opened_on,
        living_situation="own home",
        hhs_certification="not applicable",
    )
    services.approve_closure(closure, by=world.supervisor)
    world.case_a.refresh_from_db()

    later = services.reenroll(
        world.case_a, by=world.specialist, on=world.case_a.closed_on, team=world.team_a, specialists=[world.specialist]
    )

    assert later.restricted is True
    assert list(later.named_people.values_list("user", flat=True)) == [world.supervisor.pk]
    assert list(visible_cases(world.director).filter(pk=later.pk)) == []


def test_an_earlier_enrollment_of_a_restricted_survivor_is_hidden_too(world):
    earlier = make_case(team=world.team_b, specialists=[world.outsider], legal_name="Alma Alpha")
    later = world.case_a
    later.survivor_id = earlier.survivor_id  # the same person, enrolled twice (arranged directly)
    later.save(update_fields=["survivor"])
    restrict(world, world.supervisor)
    earlier.refresh_from_db()

    assert list(visible_cases(world.outsider).filter(pk=earlier.pk)) == []
    assert permissions.case_perms(world.outsider, earlier) == frozenset()
    assert list(visible_cases(world.director).filter(survivor=earlier.survivor_id)) == []
    assert permissions.case_for_emergency(world.colleague, earlier.survivor.client_code) is None


def test_restricting_removes_the_cases_notifications_from_those_not_named(world):
    services.request_closure(
        world.case_a,
        by=world.specialist,
        reason="goals met",
        closed_on=world.case_a.opened_on,
        living_situation="own home",
        hhs_certification="not applicable",
    )
    assert Notification.objects.filter(recipient=world.supervisor).count() == 1

    restrict(world, world.director, by=world.director)

    assert Notification.objects.filter(recipient=world.supervisor).count() == 0


def test_a_closure_on_a_restricted_case_tells_only_the_named_supervisor(world):
    second = make_user(Role.SUPERVISOR)
    world.team_a.supervisors.add(second)
    restrict(world, world.supervisor)

    services.request_closure(
        world.case_a,
        by=world.specialist,
        reason="goals met",
        closed_on=world.case_a.opened_on,
        living_situation="own home",
        hhs_certification="not applicable",
    )

    assert list(Notification.objects.values_list("recipient", flat=True)) == [world.supervisor.pk]
