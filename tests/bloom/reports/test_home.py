from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bloom.reports.dashboards import CASELOAD_ROWS
from tests.cases.test_permissions import EXPECTED_VISIBLE
from tests.factories import make_case, make_event


@pytest.mark.parametrize(("persona", "expected"), EXPECTED_VISIBLE.items())
def test_home_shows_no_client_code_the_reader_cannot_open(client, world, persona, expected):
    client.force_login(world.everyone()[persona])

    html = client.get(reverse("home")).content.decode()

    for name in ("case_a", "case_b"):
        case = getattr(world, name)
        if name not in expected:
            assert case.survivor.client_code not in html
            assert case.survivor.legal_name not in html


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("specialist", "My caseload"),
        ("supervisor", "My teams"),
        ("director", "Program totals"),
        ("finance", "Your work is under Assistance"),
        ("outreach", "Outreach coming up"),
        ("volunteer", "Outreach coming up"),
        ("trainer", "Training coming up"),
        ("administrator", "Your role does not include survivor records"),
    ],
)
def test_home_is_role_aware(client, world, persona, heading):
    client.force_login(world.everyone()[persona])

    assert heading in client.get(reverse("home")).content.decode()


def test_specialist_caseload_lists_their_open_cases(client, world):
    client.force_login(world.specialist)

    section = client.get(reverse("home")).context["sections"]["caseload"]

    assert [c.pk for c in section["cases"]] == [world.case_a.pk]
    assert (section["total"], section["overdue"]) == (1, 0)


def test_a_large_caseload_is_capped_with_a_link_to_the_list(client, world):
    for n in range(CASELOAD_ROWS):
        make_case(team=world.team_a, specialists=[world.specialist], legal_name=f"Person {n}")
    client.force_login(world.specialist)

    response = client.get(reverse("home"))

    assert len(response.context["sections"]["caseload"]["cases"]) == CASELOAD_ROWS
    assert f"See all {CASELOAD_ROWS + 1} of your open cases" in response.content.decode()


def test_supervisor_sees_team_counts(client, world):
    make_case(team=world.team_a, specialists=[], legal_name="Waiting Person")
    make_case(team=world.team_a, specialists=[world.specialist, world.colleague], legal_name="Shared Person")
    client.force_login(world.supervisor)

    (team,) = client.get(reverse("home")).context["sections"]["teams"]

    assert (team["team"], team["open"], team["unassigned"]) == (world.team_a, 3, 1)
    assert dict(team["members"]) == {world.specialist: 2, world.colleague: 1}


# Run again at awkward instants (tests/clock.py): the surveys still open are counted from when each event ended.
@pytest.mark.clock
def test_trainer_sees_the_next_events_and_the_surveys_still_open(client, world):
    held = make_event(world.trainer)  # ended an hour ago: its survey link is open three more days
    coming = make_event(world.trainer, starts_at=timezone.now() + timedelta(days=3), curriculum=held.curriculum,
                        trainers=list(held.trainers.all()))  # fmt: skip
    client.force_login(world.trainer)

    section = client.get(reverse("home")).context["sections"]["training"]

    assert [e.pk for e in section["events"]] == [coming.pk]
    assert [e.pk for e in section["surveys_open"]] == [held.pk]
