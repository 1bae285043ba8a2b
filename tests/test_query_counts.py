"""Query-count guards: each list and dashboard costs the same at 1 row and at 5."""

import pytest
from django.urls import reverse

from cases import services
from tests.factories import make_case


def add_cases(world, count):
    for n in range(count):
        make_case(team=world.team_a, specialists=[world.specialist, world.colleague], legal_name=f"Person {n}")


def grow(world, size):
    # The world has one case per team already; grow team A to `size` cases.
    add_cases(world, size - 1)
    services.send_contact_reminders()


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize(
    ("persona", "url_name", "queries"),
    [
        ("specialist", "cases:list", 13),
        ("supervisor", "cases:list", 13),
        ("director", "cases:list", 13),
        ("specialist", "home", 12),
        ("supervisor", "home", 13),
        ("director", "home", 11),
        ("specialist", "notifications:list", 8),
    ],
)
def test_page_query_count_does_not_grow_with_rows(
    client, world, django_assert_num_queries, size, persona, url_name, queries
):
    grow(world, size)
    client.force_login(world.everyone()[persona])
    client.get(reverse(url_name))  # warm the per-process content-type caches

    with django_assert_num_queries(queries):
        response = client.get(reverse(url_name))

    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 5])
def test_history_and_access_log_query_counts(client, world, django_assert_num_queries, size):
    for n in range(size):
        services.update_case(
            world.case_a,
            by=world.supervisor,
            status="open",
            opened_on=world.case_a.opened_on,
            closed_on=None,
            legal_name=f"Name {n}",
        )
    client.force_login(world.supervisor)
    for _ in range(size):
        client.get(reverse("cases:detail", args=[world.case_a.pk]))
    client.get(reverse("cases:access_log", args=[world.case_a.pk]))  # warm the content-type caches

    with django_assert_num_queries(17):
        client.get(reverse("cases:history", args=[world.case_a.pk]))
    with django_assert_num_queries(14):
        client.get(reverse("cases:access_log", args=[world.case_a.pk]))
