"""The header's "to decide" counts: prepared once per database connection, counted afresh each time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bloom.accounts.models import Role
from bloom.reports.dashboards import waiting
from tests.factories import ask_money, ask_to_close, make_fund, make_user


def counted(user) -> tuple[dict[str, int], list[str]]:
    """The counts of ``user``'s queues, and the SQL sent for them."""
    with CaptureQueriesContext(connection) as queries:
        counts = {queue.key: queue.count for queue in waiting.waiting_on(user).queues}
    return counts, [query["sql"] for query in queries.captured_queries]


def queues_own(user) -> dict[str, int]:
    """What each queue's own page would count."""
    return {key: queryset.count() for key, queryset in waiting._queues(user)}


@pytest.mark.parametrize("persona", ["director", "supervisor"])
def test_the_counts_are_the_queues_own_and_follow_every_change(world, persona):
    user = getattr(world, persona)
    fund = make_fund(world.finance)
    ask_money(world.case_a, world.specialist, fund)
    ask_to_close(world.case_a, by=world.specialist)

    before, _sql = counted(user)
    ask_money(world.case_a, world.specialist, fund, amount="50.00")
    after, sql = counted(user)

    assert before["money"] == 1
    assert after["money"] == 2
    assert after == queues_own(user)
    assert len(sql) == 1


def test_a_person_s_count_is_prepared_once_then_run_by_name(world):
    director = make_user(Role.PROGRAM_DIRECTOR)
    director.get_all_permissions()  # loaded with the person on a page
    ask_to_close(world.case_a, by=world.specialist)

    first, prepared = counted(director)
    second, executed = counted(director)

    assert first == second == queues_own(director)
    name = prepared[0].split()[1]
    assert len(prepared) == 1
    assert prepared[0].startswith("PREPARE bloom_to_decide_")
    assert '"cases_closure"' in prepared[0]
    assert executed == [f"EXECUTE {name}"]


def test_other_databases_are_sent_the_query_itself(world, monkeypatch):
    ask_to_close(world.case_a, by=world.specialist)
    world.director.get_all_permissions()  # loaded with the person on a page
    monkeypatch.setattr(connection, "vendor", "sqlite")

    counts, sql = counted(world.director)

    assert counts == queues_own(world.director)
    assert len(sql) == 1
    assert sql[0].startswith("SELECT")
    assert '"cases_closure"' in sql[0]


@pytest.mark.parametrize("persona", ["director", "supervisor"])
def test_the_money_waiting_is_counted_from_its_index_alone(world, persona):
    user = getattr(world, persona)
    counting = waiting._counting(user)

    with connection.cursor() as cursor:
        # The test tables are tiny: only forbid reading the table so that the plan shows
        # whether the index holds every column the count needs.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {counting.sql}", counting.params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Index Only Scan using assistance_request_to_approve" in plan


def test_a_connection_keeps_a_bounded_number_of_counts_the_oldest_going_first(world, monkeypatch):
    monkeypatch.setattr(waiting, "_statements", type(waiting._statements)())
    monkeypatch.setattr(waiting, "_STATEMENTS_MAX", 1)
    first, second = make_user(Role.PROGRAM_DIRECTOR), make_user(Role.SUPERVISOR)
    for person in (first, second):
        person.get_all_permissions()  # loaded with the person on a page

    _counts, [prepared] = counted(first)
    _counts, [retiring] = counted(second)
    counts, [again] = counted(first)

    name = prepared.split()[1]
    assert retiring.startswith(f"DEALLOCATE {name}; PREPARE bloom_to_decide_")
    assert again.startswith("DEALLOCATE bloom_to_decide_")
    assert counts == queues_own(first)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name = %s", [name])
        assert cursor.fetchone() == (0,)
