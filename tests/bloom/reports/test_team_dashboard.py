"""The supervisor's team dashboard, against the program of ``team_program`` counted by hand."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bloom.reports.dashboards import supervisor
from bloom.reports.dashboards.supervisor import last_months
from cases import services
from tests.bloom.reports.team_program import days_ago
from tests.factories import make_case, start_plan

URL = reverse("reports:team_dashboard")


def boards_for(user, **params):
    client = Client()
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.context["boards"]


def table(board, name) -> dict:
    """{row label: {column label: count}} of one of a board's tables."""
    found = getattr(board, name)
    return {
        str(row.label): {str(c.label): n.count for c, n in zip(found.columns, row.numbers, strict=True)}
        for row in found.rows
    }


def listed(client, url) -> set[int]:
    """Every case the case list shows at ``url``, over all its pages."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert not response.context["form"].errors, url
    page, pks = response.context["page"], set()
    for number in page.paginator.page_range:
        pks |= {case.pk for case in page.paginator.page(number).object_list}
    return pks


def numbers_of(board):
    for name in ("caseload", "coming_due", "phases"):
        for row in getattr(board, name).rows:
            yield from row.numbers
    for row in board.monthly:
        yield from row.numbers


CASELOAD_A = {
    "Cora Colleague": {"Open": 1, "In intake": 1, "Contact overdue": 1, "No move in 6 months": 1, "Steps overdue": 1},
    "Sam Specialist": {"Open": 3, "In intake": 0, "Contact overdue": 2, "No move in 6 months": 1, "Steps overdue": 1},
    "No specialist": {"Open": 1, "In intake": 0, "Contact overdue": 1, "No move in 6 months": 0, "Steps overdue": 0},
    "The whole team": {"Open": 4, "In intake": 1, "Contact overdue": 3, "No move in 6 months": 1, "Steps overdue": 1},
}
DUE = ("Safety plans to review", "Releases expiring", "Careline reports due", "Housing stays near their limit")
COMING_DUE_A = {
    "Cora Colleague": dict(zip(DUE, (1, 0, 1, 0), strict=True)),
    "Sam Specialist": dict(zip(DUE, (1, 1, 0, 0), strict=True)),
    "No specialist": dict(zip(DUE, (0, 0, 0, 1), strict=True)),
    "The whole team": dict(zip(DUE, (1, 1, 1, 1), strict=True)),
}
PHASES_A = {
    "Cora Colleague": {"Strengthen": 1, "Heal": 0},
    "Sam Specialist": {"Strengthen": 1, "Heal": 1},
    "No specialist": {"Strengthen": 0, "Heal": 0},
    "The whole team": {"Strengthen": 1, "Heal": 1},
}


# Run again at awkward instants (tests/clock.py): each figure is counted from days relative to today.
@pytest.mark.clock
def test_the_supervisor_sees_each_figure_of_their_team_as_counted_by_hand(program):
    (board,) = boards_for(program.world.supervisor)

    assert board.team == program.world.team_a
    assert table(board, "caseload") == CASELOAD_A
    assert table(board, "coming_due") == COMING_DUE_A
    assert table(board, "phases") == PHASES_A


def test_time_in_phase_is_the_average_of_the_open_cases_in_it(program):
    (board,) = boards_for(program.world.supervisor)

    whole = board.phases.rows[-1]
    assert [n.note for n in whole.numbers] == ["about 6 months on average", "about 0 days on average"]


# Run again at awkward instants (tests/clock.py): the twelve months end with this one, in the program's time.
@pytest.mark.clock
def test_the_months_count_referrals_enrolments_closures_and_contacts(program):
    today = timezone.localdate()
    months = last_months(today)
    at = {month: n for n, month in enumerate(months)}

    def by_month(days) -> list[int]:
        counts = [0] * len(months)
        for day in days:
            counts[at[day.replace(day=1)]] += 1
        return counts

    (board,) = boards_for(program.world.supervisor)

    referred = by_month([today, days_ago(40), days_ago(210), days_ago(60), today, days_ago(100)])
    enrolled = by_month([today, days_ago(40), days_ago(210), days_ago(60), days_ago(100)])
    closed = by_month([today])
    assert [[n.count for n in row.numbers] for row in board.monthly] == [
        list(counts) for counts in zip(referred, enrolled, closed, strict=True)
    ]
    assert board.contacts_chart.values[-1][1:] == [1, 1]  # this month: one reached, one attempt
    assert sum(row[1] + row[2] for row in board.contacts_chart.values) == 2


def test_what_waits_on_the_supervisor_links_to_each_queue(program):
    client = Client()
    client.force_login(program.world.supervisor)

    waiting = client.get(URL).context["waiting"]

    assert {q.key: q.count for q in waiting.queues} == {"closures": 1, "money": 1, "sign_offs": 1, "intake": 1}
    shown = {
        "closures": lambda r: list(r.context["closures"]),
        "money": lambda r: list(r.context["page"].object_list),
        "sign_offs": lambda r: list(r.context["reviews"]),
        "intake": lambda r: list(r.context["page"].object_list),
    }
    for queue in waiting.queues:
        assert len(shown[queue.key](client.get(queue.url))) == queue.count, queue.key


def test_each_number_links_to_exactly_the_cases_counted(program):
    client = Client()
    client.force_login(program.world.supervisor)
    (board,) = boards_for(program.world.supervisor)
    p = program

    for number in numbers_of(board):
        assert len(listed(client, number.url)) == number.count, number.url
    rows = {str(row.label): row for row in board.caseload.rows}
    assert listed(client, rows["The whole team"].numbers[2].url) == {p.over.pk, p.shared.pk, p.unassigned.pk}
    assert listed(client, rows["Sam Specialist"].numbers[0].url) == {p.case_a.pk, p.over.pk, p.shared.pk}
    assert listed(client, rows["No specialist"].numbers[0].url) == {p.unassigned.pk}
    due = {str(row.label): row for row in board.coming_due.rows}
    assert [listed(client, n.url) for n in due["The whole team"].numbers] == [
        {p.shared.pk},
        {p.over.pk},
        {p.minor.pk},
        {p.unassigned.pk},
    ]
    phases = {str(row.label): row for row in board.phases.rows}
    assert [listed(client, n.url) for n in phases["The whole team"].numbers] == [{p.shared.pk}, {p.over.pk}]


def test_a_restricted_case_counts_only_for_whom_it_names(program):
    w = program.world
    services.set_restriction(program.restricted, by=w.director, restricted=True, named=[w.director, w.supervisor])

    (named,) = boards_for(w.supervisor)
    tess_a, _tess_b = boards_for(program.tess)

    assert table(named, "caseload")["The whole team"] == {**CASELOAD_A["The whole team"], "Open": 5,
                                                          "Contact overdue": 4}  # fmt: skip
    assert table(named, "caseload")["Sam Specialist"]["Open"] == 4
    assert table(tess_a, "caseload") == CASELOAD_A
    client = Client()
    client.force_login(w.supervisor)
    assert program.restricted.pk in listed(client, named.caseload.rows[-1].numbers[2].url)


def test_a_supervisor_of_two_teams_sees_each_and_may_choose_one(program):
    w = program.world

    team_a, team_b = boards_for(program.tess)
    (only_b,) = boards_for(program.tess, team=w.team_b.pk)

    assert (team_a.team, team_b.team, only_b.team) == (w.team_a, w.team_b, w.team_b)
    assert table(team_a, "caseload") == CASELOAD_A
    none = {"In intake": 0, "No move in 6 months": 0, "Steps overdue": 0}
    expected_b = {
        "Otto Outsider": {"Open": 2, "Contact overdue": 1, **none},
        "No specialist": {"Open": 0, "Contact overdue": 0, **none},
        "The whole team": {"Open": 2, "Contact overdue": 1, **none},
    }
    assert table(team_b, "caseload") == table(only_b, "caseload") == expected_b
    client = Client()
    client.force_login(program.tess)
    for number in numbers_of(team_b):
        assert len(listed(client, number.url)) == number.count, number.url


@pytest.mark.parametrize("team", ["b", "999999", "x", "1.5"])
def test_another_teams_id_is_a_404_never_its_numbers(program, team):
    client = Client()
    client.force_login(program.world.supervisor)
    value = str(program.world.team_b.pk) if team == "b" else team

    response = client.get(URL, {"team": value})

    assert response.status_code == 404
    assert "Otto Outsider" not in response.content.decode()


def test_a_link_edited_to_another_teams_id_lists_no_case(program):
    client = Client()
    client.force_login(program.world.supervisor)

    response = client.get(reverse("cases:list"), {"team": program.world.team_b.pk, "status": "active"})

    assert list(response.context["page"].object_list) == []
    assert "team" in response.context["form"].errors
    assert "This is not one of the teams you work with" in response.content.decode()


def test_the_home_page_summary_links_to_exactly_the_cases_counted(program):
    client = Client()
    client.force_login(program.world.supervisor)

    (team,) = client.get(reverse("home")).context["sections"]["teams"]

    assert {k: n.count for k, n in team["numbers"].items()} == {"open": 4, "intake": 1, "overdue": 3, "unassigned": 1}
    for number in team["numbers"].values():
        assert len(listed(client, number.url)) == number.count
    assert reverse("reports:team_dashboard") in client.get(reverse("home")).content.decode()


def test_the_header_counts_what_waits_for_those_who_decide(program):
    client = Client()
    client.force_login(program.world.supervisor)

    html = client.get(reverse("cases:list")).content.decode()

    assert "To decide" in html
    assert reverse("phases:review_queue") in html  # reached before only from a notification
    client.force_login(program.world.specialist)
    assert "To decide" not in client.get(reverse("cases:list")).content.decode()


def add_cases(world, size: int) -> None:
    """``size`` more open cases on team A (overdue, some with no specialist, some in a phase), and intakes."""
    for n in range(size):
        specialists = [world.specialist] if n % 3 else []
        case = make_case(
            team=world.team_a, specialists=specialists, legal_name=f"Extra {n}", opened_on=days_ago(20 + n)
        )
        if specialists:
            start_plan(case, world.specialist)
        if n % 2:
            services.start_intake(by=world.colleague, team=world.team_a, specialists=[world.colleague],
                                  details={"legal_name": f"Intake {n}"})  # fmt: skip


QUERIES = 9  # signing in (with the permissions), the teams and their members, 4 for the figures, the queues, the menu


@pytest.mark.parametrize("size", [3, 12])
def test_the_dashboard_costs_the_same_queries_at_any_size(program, django_assert_num_queries, size):
    add_cases(program.world, size)
    client = Client()
    client.force_login(program.world.supervisor)
    client.get(URL)  # warm the per-process caches

    with django_assert_num_queries(QUERIES):
        response = client.get(URL)

    assert response.status_code == 200
    assert response.context["boards"][0].caseload.rows[-1].numbers[0].count == 4 + size


def test_the_kept_counting_counts_afresh_on_every_page(program):
    w = program.world
    boards_for(w.supervisor)  # compiles the counting and keeps it

    make_case(team=w.team_a, specialists=[w.specialist], legal_name="Counted Later")
    (board,) = boards_for(w.supervisor)

    assert table(board, "caseload")["The whole team"]["Open"] == CASELOAD_A["The whole team"]["Open"] + 1
    assert table(board, "caseload")["Sam Specialist"]["Open"] == CASELOAD_A["Sam Specialist"]["Open"] + 1


# ``visible_cases`` compares emergency access with an instant: kept in the SQL, a grant would go
# on counting after it ran out, until the day changed.
def test_the_kept_counting_asks_for_emergency_access_running_at_each_page(program):
    user, teams = program.world.supervisor, [program.world.team_a]
    compiled = [supervisor._compiled(supervisor._queries(user, [t.pk for t in teams], timezone.localdate()))]
    later = timezone.now() + timedelta(minutes=1)  # the same day, at every instant the tests run at
    with time_machine.travel(later, tick=False):
        compiled.append(supervisor._compiled(supervisor._queries(user, [t.pk for t in teams], timezone.localdate())))
    # Two compilations differ in that instant alone: it is no day, so it may not be kept as it is.
    moved = {value for now, then in zip(*compiled, strict=True) for value in {*now[1]} ^ {*then[1]}}
    assert moved == {later - timedelta(minutes=1), later}
    supervisor.team_boards(user, teams)  # kept

    with time_machine.travel(later, tick=False), CaptureQueriesContext(connection) as queries:
        supervisor.team_boards(user, teams)

    asking = [q["sql"] for q in queries if "cases_emergencyaccess" in q["sql"]]
    assert len(asking) == 3
    assert all(later.isoformat() in sql for sql in asking), asking


def test_a_parameter_moving_otherwise_than_with_now_is_never_kept(program, ticking_clock, monkeypatch):
    user, team_ids = program.world.supervisor, [program.world.team_a.pk]
    queries = supervisor._queries

    def with_yesterday(*args):
        by_team, by_specialist, contacts = queries(*args)
        return by_team, by_specialist, contacts.filter(occurred_at__lte=timezone.now() - timedelta(days=1))

    monkeypatch.setattr(supervisor, "_queries", with_yesterday)
    monkeypatch.setattr(supervisor, "_kept", {})

    first = supervisor._statements(user, team_ids, timezone.localdate())
    second = supervisor._statements(user, team_ids, timezone.localdate())

    assert list(supervisor._kept.values()) == [supervisor._FRESH]
    assert first[2].sql == second[2].sql
    assert first[2].params != second[2].params
