"""Reassignment and transfer between teams: handoff notes, and access that moves in the same transaction."""

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import permissions, services
from cases.models import Case, Handoff


def transfer(world, note="She prefers texts after 6 pm; court date on the 14th."):
    """The program director moves case A to team B: a team supervisor may only move cases between their own teams."""
    return services.assign_case(
        world.case_a, by=world.director, specialists=[world.outsider], team=world.team_b, note=note
    )


def test_a_transfer_records_a_handoff_with_names_before_and_after(world):
    transfer(world)

    handoff = Handoff.objects.get(case=world.case_a)
    row = handoff.history.get()
    assert (handoff.from_team, handoff.to_team, handoff.from_specialists, handoff.to_specialists) == (
        world.team_a,
        world.team_b,
        "Sam Specialist",
        "Otto Outsider",
    )
    assert (handoff.note, handoff.by) == ("She prefers texts after 6 pm; court date on the 14th.", world.director)
    assert (row.history_user, row.history_change_reason) == (world.director, "handoff.recorded")


def test_a_reassignment_within_the_team_records_a_handoff(world):
    services.assign_case(world.case_a, by=world.supervisor, specialists=[world.colleague])

    handoff = Handoff.objects.get(case=world.case_a)
    assert (handoff.from_team, handoff.to_team, handoff.from_specialists, handoff.to_specialists, handoff.note) == (
        world.team_a,
        world.team_a,
        "Sam Specialist",
        "Cora Colleague",
        "",
    )


@pytest.mark.parametrize(
    ("by", "team", "specialists", "note", "refused"),
    [
        # A team's supervisor may move a case only between the teams they belong to.
        ("supervisor", "team_b", ["outsider"], "Moving to B.", {"team": ["You cannot put a case in Team B."]}),
        # Specialists must be members of the case's team.
        ("supervisor", "team_a", ["outsider"], "", {"specialists": ["Not a member of Team A: Otto Outsider."]}),
        ("director", "team_b", ["specialist"], "Moving.", {"specialists": ["Not a member of Team B: Sam Specialist."]}),
        # Whoever takes over in another team is told where things stand.
        (
            "director",
            "team_b",
            ["outsider"],
            "  ",
            {"note": ["Write a handoff note for the new team: the case is moving to Team B."]},
        ),
    ],
)
def test_the_service_refuses_an_assignment_the_rules_do_not_allow(world, by, team, specialists, note, refused):
    people = [getattr(world, name) for name in specialists]

    with pytest.raises(services.IntakeError) as error:
        services.assign_case(
            world.case_a, by=getattr(world, by), team=getattr(world, team), specialists=people, note=note
        )

    assert error.value.message_dict == refused
    assert (Case.objects.get(pk=world.case_a.pk).team, Handoff.objects.count()) == (world.team_a, 0)


def test_the_assign_page_shows_the_services_refusal_beside_its_field_and_keeps_what_was_typed(client, world):
    client.force_login(world.director)

    response = client.post(
        reverse("cases:assign", args=[world.case_a.pk]),
        {"team": world.team_b.pk, "specialists": [world.outsider.pk], "note": ""},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "note": ["Write a handoff note for the new team: the case is moving to Team B."]
    }
    assert response.context["form"]["team"].value() == str(world.team_b.pk)


def test_an_assignment_that_changes_nothing_records_no_handoff(world):
    services.assign_case(world.case_a, by=world.supervisor, specialists=[world.specialist], team=world.team_a)

    assert Handoff.objects.count() == 0


def test_after_a_transfer_the_old_people_lose_the_case_and_the_new_gain_it(world):
    transfer(world)

    case = world.case_a
    seen = {name: permissions.can(user, permissions.VIEW, case) for name, user in world.everyone().items()}
    assert {name for name, sees in seen.items() if sees} == {"outsider", "director"}
    supervisor_b = world.team_b.supervisors.get()
    assert permissions.can(supervisor_b, permissions.ASSIGN, case)


def test_after_a_transfer_pages_answer_404_to_the_old_and_200_to_the_new(client, world):
    transfer(world)
    url = reverse("cases:detail", args=[world.case_a.pk])
    answers = {}
    for name, user in [
        ("old specialist", world.specialist),
        ("old supervisor", world.supervisor),
        ("new specialist", world.outsider),
        ("new supervisor", world.team_b.supervisors.get()),
    ]:
        client.force_login(user)
        answers[name] = client.get(url).status_code

    assert answers == {"old specialist": 404, "old supervisor": 404, "new specialist": 200, "new supervisor": 200}


def test_a_failure_mid_way_leaves_access_unchanged(world):
    # The database refuses the handoff row, the transfer's last write: everything before it
    # (team permissions, assignments, the case's team) must be rolled back with it.
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_handoff() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$"
            " LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE TRIGGER refuse_handoff BEFORE INSERT ON cases_handoff"
            " FOR EACH ROW EXECUTE FUNCTION refuse_handoff()"
        )

    with pytest.raises(DatabaseError):
        transfer(world)

    case = Case.objects.get(pk=world.case_a.pk)
    supervisor_b = world.team_b.supervisors.get()
    assert (case.team, list(case.specialists.all())) == (world.team_a, [world.specialist])
    assert [permissions.can(u, permissions.VIEW, case) for u in (world.specialist, world.supervisor)] == [True, True]
    assert [permissions.can(u, permissions.VIEW, case) for u in (world.outsider, supervisor_b)] == [False, False]
    assert Handoff.objects.count() == 0


def test_moving_to_another_team_by_page_needs_a_handoff_note(client, world):
    client.force_login(world.director)
    url = reverse("cases:assign", args=[world.case_a.pk])

    response = client.post(url, {"team": world.team_b.pk, "specialists": [world.outsider.pk], "note": " "})

    world.case_a.refresh_from_db()
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["note"]
    assert "Write a handoff note for the new team" in response.content.decode()
    assert world.case_a.team == world.team_a


def test_the_handoff_note_is_shown_to_the_new_team(client, world):
    client.force_login(world.director)
    client.post(
        reverse("cases:assign", args=[world.case_a.pk]),
        {"team": world.team_b.pk, "specialists": [world.outsider.pk], "note": "Court date on the 14th."},
    )
    client.force_login(world.outsider)

    html = client.get(reverse("cases:detail", args=[world.case_a.pk])).content.decode()

    assert "Court date on the 14th." in html
    assert "Team A" in html


def test_a_reassignment_within_the_team_needs_no_note(client, world):
    client.force_login(world.supervisor)

    response = client.post(
        reverse("cases:assign", args=[world.case_a.pk]), {"team": world.team_a.pk, "specialists": [world.colleague.pk]}
    )

    assert response.status_code == 302
    assert Handoff.objects.get().to_specialists == "Cora Colleague"


def test_the_case_page_costs_the_same_with_one_or_five_handoffs_and_closures(client, world):
    # The case page's literal count is guarded in tests/test_query_counts.py; here, that the
    # closure card adds nothing per row.
    def grow(count):
        for n in range(count):
            pick = [world.colleague] if Handoff.objects.count() % 2 == 0 else [world.specialist]
            services.assign_case(world.case_a, by=world.supervisor, specialists=pick, note=f"Note {n}")
            closure = services.request_closure(
                world.case_a,
                by=world.specialist if pick == [world.specialist] else world.colleague,
                reason="goals met",
                closed_on=world.case_a.opened_on,
                living_situation="own home",
                hhs_certification="neither",
            )
            services.return_closure(closure, by=world.supervisor, note=f"Not yet {n}")

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    client.force_login(world.supervisor)
    url = reverse("cases:detail", args=[world.case_a.pk])
    grow(1)
    client.get(url)  # warm the per-process caches
    at_one = count_queries()
    grow(4)
    at_five = count_queries()

    assert Handoff.objects.count() == 5
    assert at_five == at_one
