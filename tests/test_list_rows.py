"""Rows written out instead of included, and links reversed once a page, say what they said.

The case list writes each row's status and last contact itself rather than including
``cases/_status.html`` and ``cases/_contacts_last.html`` (which other pages still include), and
links each row with ``{% row_url %}``. These tests hold the written-out cells to the partials,
byte for byte, and ``row_url`` to ``reverse()``.
"""

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from assistance.models import AssistanceRequest, Category
from assistance.services import requests as request_services
from cases.models import ClosureReason
from phases.models import ActionStep
from tests.factories import ask_money, make_fund


def _cells(html: str, label: str) -> list[str]:
    return re.findall(rf'<td data-label="{label}">(.*?)</td>', html, re.S)


def _case_row(pk: int, *, status: str, last_contact_at, overdue: bool) -> SimpleNamespace:
    labels = {"intake": "Intake", "open": "Open", "closed": "Closed", "reopened": "Reopened"}
    return SimpleNamespace(
        pk=pk, status=status, get_status_display=labels[status], last_contact_at=last_contact_at,
        contact_overdue=overdue, opened_on=date(2026, 1, 5), phase_name="", phase_since=None,
        survivor=SimpleNamespace(client_code=f"BL-TEST{pk:02}", display_name=f"Person {pk}"),
        team=SimpleNamespace(name="Team A"), specialists=SimpleNamespace(all=[]),
    )  # fmt: skip


def test_case_list_cells_are_the_partials_byte_for_byte():
    now = timezone.now()
    rows = [
        _case_row(1, status="intake", last_contact_at=None, overdue=False),
        _case_row(2, status="open", last_contact_at=now, overdue=False),
        _case_row(3, status="open", last_contact_at=now - timedelta(days=1), overdue=True),
        _case_row(4, status="reopened", last_contact_at=now - timedelta(days=40), overdue=True),
        _case_row(5, status="closed", last_contact_at=None, overdue=True),
    ]
    context = {"page": Paginator(rows, 25).get_page(1), "sort": "", "columns": [], "form": None}

    html = render_to_string("cases/list.html#results", context)

    assert _cells(html, "Status") == [render_to_string("cases/_status.html", {"case": row}) for row in rows]
    assert _cells(html, "Last contact") == [
        render_to_string("cases/_contacts_last.html", {"at": row.last_contact_at, "overdue": row.contact_overdue})
        for row in rows
    ]
    assert re.findall(r'<td data-label="Client code"><a href="([^"]+)">', html) == [
        reverse("cases:detail", args=[row.pk]) for row in rows
    ]


def test_finance_queue_status_cell_is_the_partial(client, world):
    fund = make_fund(world.finance, budgets={Category.RENT: "20000.00"}, total="30000.00")
    request_services.approve(ask_money(world.case_a, world.specialist, fund), by=world.supervisor)
    client.force_login(world.finance)

    html = client.get(reverse("assistance:queue", args=["payment"])).content.decode()

    shown = AssistanceRequest.objects.get(fund=fund)
    partial = render_to_string("assistance/_status.html", {"status": shown.status, "label": shown.get_status_display()})
    assert _cells(html, "Status") == [partial]
    assert f'<a href="{reverse("assistance:request", args=[shown.pk])}">' in html


@pytest.mark.parametrize(
    ("source", "name", "args"),
    [
        ("{% row_url 'cases:detail' pk %}", "cases:detail", [7]),
        ("{% row_url 'phases:goal_detail' pk other %}", "phases:goal_detail", [7, 12]),
        ("{% row_url 'assistance:queue' tab %}", "assistance:queue", ["payment"]),
    ],
)
def test_row_url_is_what_reverse_gives(source, name, args):
    template = Template("{% load rows %}{% for pk in ids %}" + source + ";{% endfor %}")
    ids = [args[0], args[0] + 1000, 0] if isinstance(args[0], int) else [None]
    values = {"ids": ids, "other": args[1] if len(args) > 1 else None, "tab": args[0]}

    shown = template.render(Context(values)).split(";")[:-1]

    expected = [reverse(name, args=[pk, *args[1:]] if isinstance(args[0], int) else args) for pk in ids]
    assert shown == expected


def test_row_url_refuses_what_reverse_refuses():
    template = Template("{% load rows %}{% row_url 'cases:detail' pk %}")

    with pytest.raises(NoReverseMatch):
        template.render(Context({"pk": -1}))


# The specialist's task list (reports/home/_specialist.html) writes its rows with home_rows; each
# loop it replaced is kept in home_task_loops.html, as the page wrote it, to hold the tags to it byte for byte.
_TASK_LOOPS = (Path(__file__).parent / "home_task_loops.html").read_text().strip()
_TASK_TAGS = {
    "contacts": "{% contact_rows tasks.rows tasks.today %}",
    "steps": "{% step_rows tasks.rows tasks.today %}",
    "safety_reviews": "{% safety_review_rows tasks.rows tasks.today %}",
    "releases": "{% release_rows tasks.rows %}",
    "requests": "{% request_rows tasks.rows %}",
    "closures": "{% closure_rows tasks.rows %}",
    "without_plan": "{% without_plan_rows tasks.rows %}",
}


class _Release(SimpleNamespace):
    def __str__(self):
        return self.shared_with


def _task_rows(group: str, today: date) -> list:
    """Three rows of ``group``, with what a cell must escape, and days past, today, later and none."""
    now = timezone.now()
    days = [today - timedelta(days=3), today, today + timedelta(days=2)]
    contacts = [None, now, now - timedelta(days=1)]
    rows = []
    for n, day in enumerate(days, start=1):
        code, name = f"BL-<{n}>", f'Ana & "Bo" {n}'
        survivor = SimpleNamespace(client_code=code, display_name=name)
        case = SimpleNamespace(survivor=survivor)
        owner, partner = [("partner", "Legal aid <east> & co"), ("survivor", ""), ("specialist", "")][n - 1]
        status = [AssistanceRequest.Status.WAITING, AssistanceRequest.Status.APPROVED, "unknown"][n - 1]
        reason = [ClosureReason.MOVED, ClosureReason.OTHER, "unknown"][n - 1]
        rows.append({
            "contacts": SimpleNamespace(
                pk=n, client_code=code, display_name=name, survivor=survivor, contact_due_on=day,
                next_contact_agreed=n == 2, last_contact_at=contacts[n - 1],
            ),
            "steps": SimpleNamespace(
                goal=SimpleNamespace(case=case, case_id=n), goal_id=10 + n, description=f"Call <landlord> {n}",
                owner=owner, partner=partner, get_owner_display=dict(ActionStep.Owner.choices)[owner], due_on=day,
            ),
            "safety_reviews": SimpleNamespace(case_id=n, case=case, version=n * 1000, review_on=day),
            "releases": _Release(case_id=n, case=case, shared_with=f"Clinic <{n}> & co", expires_on=day),
            "requests": SimpleNamespace(
                pk=n, number=f"R-{n:06d}", client_code=code, case=case, amount=Decimal("1234.5") * n, status=status,
                get_status_display=dict(AssistanceRequest.Status.choices).get(status, status),
                needed_by=None if n == 3 else day,
            ),
            "closures": SimpleNamespace(
                case_id=n, case=case, reason=reason, requested_at=now - timedelta(hours=n * 9),
                get_reason_display=dict(ClosureReason.choices).get(reason, reason),
            ),
            "without_plan": SimpleNamespace(
                pk=n, client_code=code, display_name=name, survivor=survivor, enrolled_on=day,
            ),
        }[group])  # fmt: skip
    return rows


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("group", list(_TASK_TAGS))
def test_task_list_rows_are_the_loops_byte_for_byte(group, language):
    today = timezone.localdate()
    context = {"tasks": {"rows": _task_rows(group, today), "today": today}}

    with translation.override(language):
        written = Template("{% load home_rows %}" + _TASK_TAGS[group]).render(Context(context))
        looped = Template("{% load i18n contact_tags rows %}" + _TASK_LOOPS + f"{{% partial {group} %}}")
        looped = looped.render(Context(context))

    assert written.count("<tr>") == 3
    assert written == looped
