"""Each list's default order and filter is read from an index, never by sorting its rows.

A test opens the page as its persona, takes the query that reads the page's rows and asks
PostgreSQL for its plan with sorting priced out of reach (``enable_sort`` and
``enable_incremental_sort`` off): a sort on the list's order left in that plan is one that no
index can spare, which on a big table is a sort of every row the filter keeps before the first
page is shown. Priced out, the answer depends neither on how many rows a test makes nor on the
planner's statistics, so a few rows are enough. The case list and search are in
``tests/cases``; the dashboards count rather than list (docs/ARCHITECTURE.md, "Measuring").
"""

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assistance.models import Category
from assistance.services import requests as request_services
from bloom.audit.models import AccessLogEntry
from bloom.notifications.models import Notification
from bloom.notifications.queries import unread_for
from tests.factories import ask_money, make_fund

ROWS = 6


def _plan(sql: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SET enable_sort = off")
        cursor.execute("SET enable_incremental_sort = off")
        try:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            return cursor.fetchone()[0][0]["Plan"]
        finally:
            cursor.execute("RESET enable_sort")
            cursor.execute("RESET enable_incremental_sort")


def _sort_keys(node: dict) -> list[str]:
    """The keys of every sort in the plan under ``node``."""
    keys = list(node.get("Sort Key", [])) if "Sort" in node["Node Type"] else []
    for child in node.get("Plans", []):
        keys += _sort_keys(child)
    return keys


def _listing_query(client, url: str, order: str) -> str:
    """The one query ``url`` runs that orders rows by ``order`` (``"table"."column"``)."""
    with CaptureQueriesContext(connection) as ran:
        assert client.get(url).status_code == 200
    listing = [q["sql"] for q in ran.captured_queries if f"ORDER BY {order}" in q["sql"]]
    assert len(listing) == 1, [q["sql"][:120] for q in ran.captured_queries]
    return listing[0]


def _sorted_on(sql: str, column: str) -> list[str]:
    """The plan's sorts on ``column``: none when an index gives the rows in the list's order."""
    return [key for key in _sort_keys(_plan(sql)) if re.search(rf"\b{column}\b", key)]


def _notify(*recipients) -> None:
    """``ROWS`` notifications for each of ``recipients``, an hour apart, every other one read."""
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            recipient=recipient, kind=Notification.Kind.CONTACT_OVERDUE, dedupe_key=f"index:{n}",
            data={"code": "BL-TEST00", "since": "2026-11-01"}, created=now - timedelta(hours=n),
            read_at=now if n % 2 else None,
        )
        for n in range(ROWS)
        for recipient in recipients
    )  # fmt: skip


def test_notifications_list_is_read_in_its_order(client, world):
    _notify(world.specialist, world.colleague)
    client.force_login(world.specialist)

    sql = _listing_query(client, reverse("notifications:list"), '"notifications_notification"."created" DESC')

    assert _sorted_on(sql, "created") == []


def test_header_reads_the_newest_unread_from_an_index(world):
    _notify(world.specialist, world.colleague)
    unread = unread_for(world.specialist)[:ROWS]

    with CaptureQueriesContext(connection) as ran:
        shown = list(unread)

    assert len(shown) == ROWS // 2
    assert _sorted_on(ran.captured_queries[0]["sql"], "created") == []


def test_access_log_of_a_case_is_read_in_its_order(client, world):
    case_type = ContentType.objects.get_for_model(world.case_a)
    for target in (world.case_a, world.case_b):
        for n in range(ROWS):
            AccessLogEntry.objects.create(
                user=world.director, action=AccessLogEntry.Action.VIEW, target_type=case_type, target_id=target.pk,
                target_label=f"entry {n}",
            )  # fmt: skip
    client.force_login(world.director)

    sql = _listing_query(
        client, reverse("cases:access_log", args=[world.case_a.pk]), '"audit_accesslogentry"."at" DESC'
    )

    assert _sorted_on(sql, "at") == []


@pytest.mark.parametrize(("tab", "approve"), [("approval", False), ("payment", True)])
def test_finance_queue_tab_is_read_in_its_order(client, world, tab, approve):
    fund = make_fund(world.finance, budgets={Category.RENT: "20000.00"}, total="30000.00")
    for _n in range(ROWS):
        asked = ask_money(world.case_a, world.specialist, fund)
        if approve:
            request_services.approve(asked, by=world.supervisor)
        ask_money(world.case_b, world.outsider, fund)
    client.force_login(world.finance)

    sql = _listing_query(
        client, reverse("assistance:queue", args=[tab]), '"assistance_assistancerequest"."needed_by" ASC'
    )

    assert _sorted_on(sql, "needed_by") == []


def test_a_list_without_its_index_would_sort(world):
    # The check itself: a list in an order no index gives (notifications by kind) is sorted.
    unread = unread_for(world.specialist).order_by("kind", "-pk")[:ROWS]

    with CaptureQueriesContext(connection) as ran:
        list(unread)

    assert _sorted_on(ran.captured_queries[0]["sql"], "kind") != []
