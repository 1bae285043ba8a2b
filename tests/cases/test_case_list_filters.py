"""The case list's filters (one per figure of the dashboards), its phase column and its sorting."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assistance.services.housing import LIMIT_MONTHS, NOTICE_DAYS, latest_start, limit_of
from bloom.times import add_months
from cases import sorting
from phases.figures import NO_MOVE_MONTHS, no_move
from phases.queries.journey import months_between
from tests.bloom.reports.team_program import days_ago
from tests.factories import make_case, start_plan

URL = reverse("cases:list")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def names(response) -> set[str]:
    assert response.status_code == 200
    return {case.survivor.legal_name for case in response.context["page"].object_list}


NEEDS = {
    "contact_overdue": {"Olga Over", "Sara Shared", "Una Alone"},
    "no_phase_move": {"Sara Shared"},
    "steps_overdue": {"Sara Shared"},
    "safety_review": {"Sara Shared"},
    "release_expiring": {"Olga Over"},
    "careline_due": {"Mina Minor"},
    "housing_limit": {"Una Alone"},
}


# Run again at awkward instants (tests/clock.py): each need is due by days relative to today.
@pytest.mark.clock
@pytest.mark.parametrize(("needs", "expected"), NEEDS.items())
def test_each_need_lists_exactly_the_cases_that_have_it(program, needs, expected):
    client = signed_in(program.world.supervisor)

    assert names(client.get(URL, {"needs": needs})) == expected


def test_the_specialist_sees_their_restricted_case_under_a_need_and_the_supervisor_does_not(program):
    sam, sue = signed_in(program.world.specialist), signed_in(program.world.supervisor)

    assert names(sam.get(URL, {"needs": "contact_overdue"})) == {"Olga Over", "Sara Shared", "Rita Restricted"}
    assert "Rita Restricted" not in names(sue.get(URL, {"needs": "contact_overdue", "team": program.world.team_a.pk}))


def test_filters_by_specialist_no_specialist_status_and_phase(program):
    w = program.world
    client = signed_in(w.supervisor)
    phases = {label: pk for pk, label in client.get(URL).context["form"].fields["phase"].choices if pk}

    assert names(client.get(URL, {"specialist": w.specialist.pk})) == {"Alma Alpha", "Olga Over", "Sara Shared"}
    assert names(client.get(URL, {"specialist": w.colleague.pk})) == {"Sara Shared", "Mina Minor", "Cleo Closed"}
    assert names(client.get(URL, {"unassigned": "on"})) == {"Una Alone"}
    assert names(client.get(URL, {"status": "intake"})) == {"Mina Minor"}
    assert names(client.get(URL, {"phase": phases["Strengthen"]})) == {"Sara Shared"}
    assert names(client.get(URL, {"phase": phases["Heal"], "status": "active"})) == {"Olga Over"}


# Run again at awkward instants: a month is the program's, not UTC's.
@pytest.mark.clock
def test_filters_by_month_referred_enrolled_and_closed(program):
    client = signed_in(program.world.supervisor)
    long_ago, this_month = days_ago(210).strftime("%Y-%m"), timezone.localdate().strftime("%Y-%m")

    assert names(client.get(URL, {"referred": long_ago})) == {"Sara Shared"}
    assert names(client.get(URL, {"enrolled": long_ago})) == {"Sara Shared"}
    assert names(client.get(URL, {"closed": this_month})) == {"Cleo Closed"}
    assert "Mina Minor" not in names(client.get(URL, {"enrolled": this_month}))  # still in intake


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("team", "b", "This is not one of the teams you work with"),
        ("specialist", "outsider", "This is not someone on the teams you work with"),
        ("phase", "999999", "This is not a phase a case can be in"),
        ("needs", "everything", "Choose one of the needs in the list"),
        ("referred", "2026-13", "Enter a month as its year and number"),
        ("enrolled", "26-05", "Enter a month as its year and number"),
        ("enrolled", "0000-05", "Enter a month as its year and number"),  # no year 0: a message, not a 500
        ("closed", "2999-01", "Enter a month from 2000 to this one"),
    ],
)
def test_a_filter_that_is_not_the_persons_is_a_message_and_no_case(program, field, value, message):
    w = program.world
    value = {"b": str(w.team_b.pk), "outsider": str(w.outsider.pk)}.get(value, value)
    client = signed_in(w.supervisor)

    response = client.get(URL, {field: value, "status": "active"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert list(response.context["page"].object_list) == []
    assert message in response.content.decode()


# Sorting ------------------------------------------------------------------------------------------


def codes(response) -> list[str]:
    return [case.survivor.client_code for case in response.context["page"].object_list]


@pytest.mark.parametrize("column", list(sorting.COLUMNS))
def test_every_column_sorts_both_ways_and_marks_its_heading(program, column):
    client = signed_in(program.world.supervisor)

    up, down = client.get(URL, {"sort": column}), client.get(URL, {"sort": f"-{column}"})

    assert sorted(codes(up)) == sorted(codes(down))
    assert len(codes(up)) == 6
    assert f'aria-sort="ascending"><button class="table__sort" type="submit" name="sort" value="-{column}"' in (
        up.content.decode()
    )
    assert f'aria-sort="descending"><button class="table__sort" type="submit" name="sort" value="{column}"' in (
        down.content.decode()
    )


def test_sorting_by_name_and_by_phase_orders_the_rows(program):
    client = signed_in(program.world.supervisor)
    by_name = ["Alma Alpha", "Cleo Closed", "Mina Minor", "Olga Over", "Sara Shared", "Una Alone"]

    def listed(sort):
        return [case.survivor.legal_name for case in client.get(URL, {"sort": sort}).context["page"].object_list]

    assert listed("name") == by_name
    assert listed("-name") == by_name[::-1]
    # Strengthen comes before Heal in the plan; cases without a plan come last both ways.
    assert listed("phase")[:2] == ["Sara Shared", "Olga Over"]
    assert listed("-phase")[:2] == ["Olga Over", "Sara Shared"]


@pytest.mark.parametrize("sort", ["", "nonsense", "--name", "-", "name;drop", "0" * 500])
def test_an_unknown_sort_gives_the_usual_order(program, sort):
    client = signed_in(program.world.supervisor)

    response = client.post(URL, {"sort": sort})

    assert response.status_code == 200
    assert response.context["sort"] == sorting.DEFAULT
    assert codes(response) == codes(client.get(URL))


def test_the_sort_and_the_filters_are_kept_from_page_to_page(program):
    w = program.world
    for n in range(26):
        make_case(team=w.team_a, specialists=[w.specialist], legal_name=f"Zed {n:02d}", opened_on=days_ago(30))
    client = signed_in(w.supervisor)

    first = client.get(URL, {"sort": "-name", "specialist": w.specialist.pk})
    second = client.post(URL, {"sort": "-name", "specialist": w.specialist.pk, "page": "2"})

    html = first.content.decode()
    assert '<input type="hidden" name="sort" value="-name">' in html
    assert 'name="page" value="2"' in html
    assert [c.survivor.legal_name for c in second.context["page"].object_list] == [
        "Zed 00",
        "Sara Shared",
        "Olga Over",
        "Alma Alpha",
    ]


def test_the_phase_column_says_the_phase_and_since_when(program):
    client = signed_in(program.world.supervisor)

    html = client.get(URL, {"needs": "no_phase_move"}).content.decode()

    assert "Strengthen" in html
    assert f"since {days_ago(200):%m/%d/%Y}" in html


def grow(world, size: int) -> None:
    for n in range(size):
        case = make_case(team=world.team_a, specialists=[world.specialist], legal_name=f"Grown {n}",
                         opened_on=days_ago(30 + n))  # fmt: skip
        start_plan(case, world.specialist)


LIST_QUERIES = 10  # signing in (with the permissions), the filters and their choices, the page, its count, the menu


@pytest.mark.parametrize("size", [3, 12])
def test_a_filtered_sorted_list_costs_the_same_queries_at_any_size(program, django_assert_num_queries, size):
    grow(program.world, size)
    client = signed_in(program.world.supervisor)
    params = {"needs": "contact_overdue", "sort": "phase", "team": program.world.team_a.pk}
    client.get(URL, params)

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(URL, params)

    assert response.context["page"].paginator.count == 3 + size


# The rules behind two figures, against the ones the reminders and the plan page follow ---------------


def test_the_housing_figure_finds_exactly_the_stays_the_reminders_find():
    """Over two years of days and every start within ten months: ``latest_start`` agrees with ``limit_of``."""
    first = date(2027, 1, 1)
    for offset in range(0, 730, 7):
        today = first + timedelta(days=offset)
        for kind, months in LIMIT_MONTHS.items():
            by = today + timedelta(days=NOTICE_DAYS[kind])
            cutoff = latest_start(by, months)
            for back in range(0, 310):
                started = today - timedelta(days=back)
                assert (started <= cutoff) == (limit_of(kind, started) <= by), (today, kind, started)


@pytest.mark.parametrize("today", [date(2027, 8, 31), date(2028, 2, 29), date(2027, 3, 31), date(2027, 11, 18)])
def test_no_phase_move_means_six_whole_months_in_the_phase(today):
    cutoff = add_months(today, -NO_MOVE_MONTHS)
    for back in range(150, 220):
        entered = today - timedelta(days=back)
        assert (entered <= cutoff) == (months_between(entered, today) >= NO_MOVE_MONTHS), entered
    assert no_move(today) is not None
