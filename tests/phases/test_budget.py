"""The monthly budget worksheet: months, lines, exact totals, amounts refused, pages and who may use them."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bloom.audit.models import AccessLogEntry
from phases.forms.budget import BudgetLineForm, MoneyField
from phases.models import BudgetLine, BudgetMonth
from phases.queries import budget as queries
from phases.services import budget as services
from phases.services.budget import LineInput
from phases.views.budget import budget_overview
from tests.factories import make_case

THIS_MONTH = timezone.localdate().replace(day=1)


def months_back(n: int) -> date:
    month = THIS_MONTH
    for _ in range(n):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


@pytest.fixture
def served(world):
    """A case of team A, assigned to the world's specialist, enrolled about a year ago."""
    return make_case(team=world.team_a, specialists=[world.specialist], legal_name="Bea Budget",
                     opened_on=months_back(12) + timedelta(days=9))  # fmt: skip


def line(kind, category, amount, label="", id=None, delete=False) -> LineInput:
    return LineInput(id=id, kind=kind, category=category, label=label, amount=Decimal(amount), delete=delete)


def month_with(case, by, month, *lines) -> BudgetMonth:
    worksheet = services.start_budget_month(case, by=by, month=month)
    # Start from exactly these lines, whatever was carried over.
    removed = [line("", "", "0", id=kept.pk, delete=True) for kept in worksheet.lines.all()]
    return services.save_budget_lines(worksheet, by=by, lines=[*removed, *lines], note="")


# Services and totals --------------------------------------------------------------------------


def test_a_new_month_starts_from_the_month_before(world, served):
    march = month_with(
        served, world.specialist, months_back(2),
        line("income", "wages", "1200.00", "Restaurant job"), line("expense", "rent", "650.00"),
    )  # fmt: skip

    april = services.start_budget_month(served, by=world.specialist, month=months_back(1))

    copied = list(april.lines.values_list("kind", "category", "label", "amount"))
    assert sorted(copied) == sorted(march.lines.values_list("kind", "category", "label", "amount"))
    assert all(row.history.get().history_change_reason.startswith("budget_line.carried|") for row in april.lines.all())
    assert april.history.get().history_user == world.specialist


def test_a_month_without_an_earlier_one_starts_empty(world, served):
    worksheet = services.start_budget_month(served, by=world.specialist, month=months_back(3))

    assert worksheet.month == months_back(3)
    assert not worksheet.lines.exists()


def test_a_second_worksheet_for_the_same_month_is_refused(world, served):
    month = months_back(1)
    services.start_budget_month(served, by=world.specialist, month=month)

    with pytest.raises(services.BudgetError) as refused:
        services.start_budget_month(served, by=world.specialist, month=month + timedelta(days=5))

    label = services.month_label(month)
    assert refused.value.message_dict["month"] == [f"There is already a worksheet for {label}; open it to change it."]
    assert served.budget_months.count() == 1


# Run again at awkward instants (tests/clock.py): worksheets are months, at most one ahead.
@pytest.mark.clock
def test_month_bounds(world, served):
    next_month = services.next_month(THIS_MONTH)

    services.start_budget_month(served, by=world.specialist, month=next_month)
    services.start_budget_month(served, by=world.specialist, month=served.opened_on)  # its first day
    with pytest.raises(services.BudgetError, match="one month ahead"):
        services.start_budget_month(served, by=world.specialist, month=services.next_month(next_month))
    with pytest.raises(services.BudgetError, match="The case opened in"):
        services.start_budget_month(served, by=world.specialist, month=months_back(13))

    assert served.budget_months.count() == 2


def test_totals_are_exact_to_the_cent(world, served):
    worksheet = month_with(
        served, world.specialist, THIS_MONTH,
        line("income", "wages", "0.10"), line("income", "benefits", "0.20"),
        line("expense", "food", "0.10"), line("expense", "food", "0.05"), line("expense", "phone", "0.03"),
    )  # fmt: skip

    sheet = queries.worksheet(worksheet)
    listed = queries.totals_of(queries.months_with_totals(served).get())

    assert sheet.totals == listed
    assert (listed.income, listed.expenses, listed.balance) == (Decimal("0.30"), Decimal("0.18"), Decimal("0.12"))
    assert isinstance(listed.income, Decimal)
    assert [group.category for group in sheet.expenses] == ["food", "phone"]
    assert sheet.expenses[0].total == Decimal("0.15")


@pytest.mark.parametrize(
    ("income", "expenses", "words"),
    [
        ("1200.00", "1080.00", "$120.00 left over"),
        ("1000.00", "1080.00", "$80.00 short"),
        ("1234567.00", "0", "$1,234,567.00 left over"),
        ("5.00", "5.00", "Income and expenses are even"),
    ],
)
def test_balance_in_words(income, expenses, words):
    assert queries.Totals(income=Decimal(income), expenses=Decimal(expenses)).balance_words == words


def test_saving_lines_changes_adds_and_removes_with_history(world, served):
    worksheet = month_with(served, world.specialist, THIS_MONTH, line("income", "wages", "900"),
                           line("expense", "rent", "500"))  # fmt: skip
    wages, rent = worksheet.lines.order_by("kind", "category")[1], worksheet.lines.order_by("kind", "category")[0]
    assert (wages.category, rent.category) == ("wages", "rent")

    services.save_budget_lines(
        worksheet, by=world.supervisor, note="Got a raise",
        lines=[line("income", "wages", "950", id=wages.pk), line("", "", "0", id=rent.pk, delete=True),
               line("expense", "transportation", "64.50", "Bus pass")],
    )  # fmt: skip

    worksheet.refresh_from_db()
    kept = sorted(worksheet.lines.values_list("category", "amount"))
    assert kept == [("transportation", Decimal("64.50")), ("wages", Decimal("950.00"))]
    assert worksheet.note == "Got a raise"
    assert BudgetLine.history.filter(id=rent.pk, history_type="-").get().history_user == world.supervisor
    assert wages.history.latest().history_change_reason == 'budget_line.changed|[["amount"]]'


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        (line("income", "rent", "10"), "category that fits"),
        (line("expense", "wages", "10"), "category that fits"),
        (line("expense", "rent", "-1"), "from 0 to"),
        (line("expense", "rent", "-0"), "from 0 to"),
        (line("expense", "rent", "1000000"), "from 0 to"),
        (line("expense", "rent", "12.345"), "from 0 to"),
        (line("expense", "rent", "NaN"), "dollars and cents"),
        (line("spending", "rent", "1"), "income or expense"),
    ],
)
def test_save_lines_refuses_and_saves_nothing(world, served, bad, problem):
    worksheet = month_with(served, world.specialist, THIS_MONTH, line("income", "wages", "900"))

    with pytest.raises(services.BudgetError) as refused:
        services.save_budget_lines(worksheet, by=world.specialist, lines=[line("expense", "food", "5"), bad], note="x")

    assert problem in refused.value.message_dict["lines"][0]
    assert refused.value.message_dict["lines"][0].startswith("Line 2:")
    assert list(worksheet.lines.values_list("category", flat=True)) == ["wages"]
    worksheet.refresh_from_db()
    assert worksheet.note == ""


def test_a_line_of_another_worksheet_cannot_be_edited(world, served):
    mine = month_with(served, world.specialist, THIS_MONTH)
    other_case = make_case(team=world.team_a, specialists=[world.specialist], opened_on=served.opened_on)
    theirs = month_with(other_case, world.specialist, THIS_MONTH, line("income", "wages", "900"))
    foreign = theirs.lines.get()

    with pytest.raises(services.BudgetError, match="no longer on this worksheet"):
        services.save_budget_lines(mine, by=world.specialist, lines=[line("income", "wages", "1", id=foreign.pk)],
                                   note="")  # fmt: skip

    foreign.refresh_from_db()
    assert foreign.amount == Decimal("900.00")


@pytest.mark.parametrize("second_delete", [True, False])
def test_a_line_sent_twice_is_refused_and_nothing_changes(world, served, second_delete):
    worksheet = month_with(served, world.specialist, THIS_MONTH, line("income", "wages", "900"))
    wages = worksheet.lines.get()

    with pytest.raises(services.BudgetError, match="Line 2 repeats an earlier line"):
        services.save_budget_lines(
            worksheet, by=world.specialist, note="",
            lines=[line("", "", "0", id=wages.pk, delete=True),
                   line("income", "wages", "950", id=wages.pk, delete=second_delete)],
        )  # fmt: skip

    wages.refresh_from_db()
    assert wages.amount == Decimal("900.00")


def test_a_full_worksheet_takes_no_new_line_even_when_the_kept_ones_are_not_sent(world, served):
    kept = [line("expense", "food", "1") for _ in range(services.MOST_LINES)]
    worksheet = month_with(served, world.specialist, THIS_MONTH, *kept)

    with pytest.raises(services.BudgetError, match="at most 60 lines"):
        services.save_budget_lines(worksheet, by=world.specialist, lines=[line("expense", "rent", "5")], note="")
    removing_one = [line("", "", "0", id=worksheet.lines.first().pk, delete=True), line("expense", "rent", "5")]
    services.save_budget_lines(worksheet, by=world.specialist, lines=removing_one, note="")

    assert worksheet.lines.count() == services.MOST_LINES


def test_a_note_past_the_longest_is_refused(world, served):
    worksheet = month_with(served, world.specialist, THIS_MONTH)
    too_long = "a" * (services.LONGEST_NOTE + 1)

    with pytest.raises(services.BudgetError) as on_start:
        services.start_budget_month(served, by=world.specialist, month=months_back(1), note=too_long)
    with pytest.raises(services.BudgetError) as on_save:
        services.save_budget_lines(worksheet, by=world.specialist, lines=[], note=too_long)

    assert list(on_start.value.error_dict) == list(on_save.value.error_dict) == ["note"]
    assert list(served.budget_months.values_list("note", flat=True)) == [""]


# The amount field ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1e9", "Enter an amount in dollars and cents"),
        ("NaN", "Enter an amount in dollars and cents"),
        ("Infinity", "Enter an amount in dollars and cents"),
        ("-0", "cannot be negative"),
        ("-12", "cannot be negative"),
        ("12.345", "at most two decimal places"),
        # Twelve dollars and 34 cents to one reader, twelve thousand three hundred forty to another.
        ("12.340", "at most two decimal places"),
        ("1000000", "more than a monthly budget can hold"),
        ("9" * 40, "Enter an amount in dollars and cents"),
        ("0x10", "Enter an amount in dollars and cents"),
        ("1_000", "Enter an amount in dollars and cents"),
        ("١٢", "Enter an amount in dollars and cents"),
        ("12,34", "Enter an amount in dollars and cents"),
        ("", "Enter the amount"),
    ],
)
def test_amounts_refused_with_a_clear_message(typed, message):
    form = BudgetLineForm({"kind": "expense", "category": "rent", "amount": typed})

    assert not form.is_valid()
    assert message in form.errors["amount"][0]


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("12", "12.00"), ("12.3", "12.30"), (" $1,200.50 ", "1200.50"), ("0", "0.00"), ("999999.99", "999999.99"),
     (".5", "0.50")],
)  # fmt: skip
def test_amounts_read_as_exact_decimals(typed, amount):
    value = MoneyField().clean(typed)

    assert value == Decimal(amount)
    assert isinstance(value, Decimal)
    assert str(value) == amount


def test_the_line_form_says_which_categories_fit(world):
    form = BudgetLineForm({"kind": "income", "category": "rent", "amount": "5"})

    assert not form.is_valid()
    assert "is an expense" in form.errors["category"][0]


# Pages ------------------------------------------------------------------------------------------


def budget_url(case, *parts):
    return "/".join([f"/cases/{case.pk}/budget", *map(str, parts)]) + "/"


def test_new_month_page_starts_the_worksheet_and_opens_it(client, world, served):
    client.force_login(world.specialist)
    month = months_back(1)

    response = client.post(budget_url(served, "new"), {"year": month.year, "month": month.month, "note": "Tight"})

    worksheet = served.budget_months.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("phases:budget_edit", args=[served.pk, worksheet.pk])
    assert (worksheet.month, worksheet.note) == (month, "Tight")


def test_new_month_page_refuses_a_duplicate_and_links_to_it(client, world, served):
    existing = services.start_budget_month(served, by=world.specialist, month=THIS_MONTH)
    client.force_login(world.specialist)

    response = client.post(budget_url(served, "new"),
                           {"year": THIS_MONTH.year, "month": THIS_MONTH.month, "note": "Keep this"})  # fmt: skip

    label = services.month_label(THIS_MONTH)
    assert response.status_code == 200
    assert response.context["form"].errors["month"] == [
        f"There is already a worksheet for {label}; open it to change it."
    ]
    html = response.content.decode()
    assert reverse("phases:budget_edit", args=[served.pk, existing.pk]) in html
    assert "Keep this" in html


def formset_post(worksheet, rows, note=""):
    kept = list(worksheet.lines.order_by("kind", "category", "pk"))
    data = {"lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": str(len(kept)), "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "60", "note": note}  # fmt: skip
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"lines-{index}-{name}"] = value
    return data


def test_edit_page_saves_the_lines(client, world, served):
    worksheet = month_with(served, world.specialist, THIS_MONTH, line("expense", "rent", "600"))
    rent = worksheet.lines.get()
    client.force_login(world.specialist)

    response = client.post(
        budget_url(served, worksheet.pk, "edit"),
        formset_post(
            worksheet,
            [
                {"id": rent.pk, "kind": "expense", "category": "rent", "amount": "625.00"},
                {"kind": "income", "category": "wages", "label": "Job", "amount": "1,400"},
                {"kind": "expense", "category": "", "amount": ""},  # an empty line left empty
            ],
            note="New job",
        ),
    )

    assert response.status_code == 302
    assert sorted(worksheet.lines.values_list("category", "amount")) == [
        ("rent", Decimal("625.00")),
        ("wages", Decimal("1400.00")),
    ]


def test_edit_page_keeps_what_was_typed_when_an_amount_is_refused(client, world, served):
    worksheet = month_with(served, world.specialist, THIS_MONTH)
    client.force_login(world.specialist)

    response = client.post(
        budget_url(served, worksheet.pk, "edit"),
        formset_post(worksheet, [{"kind": "expense", "category": "food", "label": "Groceries", "amount": "1e9"}]),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors == {
        "amount": ["Enter an amount in dollars and cents, like 120 or 120.50."]
    }
    assert 'value="Groceries"' in html
    assert 'value="1e9"' in html
    assert not worksheet.lines.exists()


def test_edit_page_refuses_a_tampered_management_form(client, world, served):
    worksheet = month_with(served, world.specialist, THIS_MONTH)
    client.force_login(world.specialist)

    response = client.post(budget_url(served, worksheet.pk, "edit"), {"lines-TOTAL_FORMS": "1e9", "note": "x"})

    assert response.status_code == 200
    assert response.context["has_errors"]


def test_budget_list_shows_the_months_the_chart_and_the_same_numbers(client, world, served):
    month_with(served, world.specialist, months_back(1), line("income", "wages", "1200"),
               line("expense", "rent", "1080"))  # fmt: skip
    month_with(served, world.specialist, THIS_MONTH, line("income", "wages", "1000"),
               line("expense", "rent", "1080"))  # fmt: skip
    client.force_login(world.specialist)

    response = client.get(budget_url(served))

    html = response.content.decode()
    assert response.status_code == 200
    assert [month.month for month, _totals in response.context["months"]] == [THIS_MONTH, months_back(1)]
    assert "$120.00 left over" in html
    assert "$80.00 short" in html
    assert "$1,200.00" in html
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "<title id=" in svg
    assert 'role="img"' in svg
    assert "style=" not in html
    assert "<script>" not in html
    assert svg.count("<rect") == 2 * 2  # two bars a month
    assert "<title>Income, " in svg
    assert re.findall(r"</svg> ([^<]+)</li>", html) == ["Income", "Expenses"]  # the legend, beside the chart
    assert "<caption>Income and expenses by month</caption>" in html
    assert re.findall(r'data-label="Income">([^<]*)</td>', html)[:2] == ["$1,200.00", "$1,000.00"]  # oldest first


def test_budget_month_page_shows_lines_by_category_and_the_balance(client, world, served):
    worksheet = month_with(served, world.specialist, THIS_MONTH, line("income", "wages", "1200", "Restaurant"),
                           line("expense", "food", "300", "Groceries"), line("expense", "food", "100", "Market"),
                           line("expense", "rent", "680"))  # fmt: skip
    client.force_login(world.specialist)

    response = client.get(budget_url(served, worksheet.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Restaurant" in html
    assert "$400.00" in html  # all food
    assert "$120.00 left over" in html


def test_budget_pages_are_in_the_access_log(client, world, served):
    worksheet = month_with(served, world.specialist, THIS_MONTH)
    client.force_login(world.specialist)

    client.get(budget_url(served))
    client.get(budget_url(served, worksheet.pk))

    assert AccessLogEntry.objects.filter(user=world.specialist, target_id=served.pk).count() == 2


def test_budget_card_and_overview(world, served):
    assert budget_overview(served) == {"budget_latest": None, "budget_latest_totals": None}
    month_with(served, world.specialist, months_back(1), line("income", "wages", "50"))
    latest = month_with(served, world.specialist, THIS_MONTH, line("income", "wages", "1200"),
                        line("expense", "rent", "1280"))  # fmt: skip

    overview = budget_overview(served)
    html = render_to_string("phases/_budget_card.html", {"case": served, "can_change": False, **overview})

    assert overview["budget_latest"] == latest
    assert overview["budget_latest_totals"].balance == Decimal("-80.00")
    assert "$80.00 short" in html
    assert reverse("phases:budget_new", args=[served.pk]) not in html


# Who may ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("specialist", 200, 302),
        ("supervisor", 200, 302),
        ("director", 200, 302),
        ("colleague", 404, 404),
        ("outsider", 404, 404),
        ("finance", 404, 404),
        ("volunteer", 404, 404),
    ],
)
def test_who_may_read_and_write_budgets(client, world, persona, read, write):
    worksheet = month_with(world.case_a, world.specialist, THIS_MONTH, line("income", "wages", "10"))
    client.force_login(world.everyone()[persona])

    page = client.get(budget_url(world.case_a, worksheet.pk))
    post = client.post(budget_url(world.case_a, worksheet.pk, "edit"), formset_post(worksheet, []))

    assert (page.status_code, post.status_code) == (read, write)


def test_another_cases_worksheet_is_404(client, world):
    theirs = month_with(world.case_b, world.outsider, THIS_MONTH)
    client.force_login(world.director)

    assert client.get(budget_url(world.case_a, theirs.pk)).status_code == 404
    assert client.get(budget_url(world.case_a, theirs.pk, "edit")).status_code == 404
    assert client.get(budget_url(world.case_b, theirs.pk)).status_code == 200


# Query counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 5])
def test_budget_list_query_count(client, world, served, size):
    for n in range(size):
        month_with(served, world.specialist, months_back(n), line("income", "wages", "100"),
                   line("expense", "rent", "50"))  # fmt: skip
    client.force_login(world.specialist)
    client.get(budget_url(served))

    with CaptureQueriesContext(connection) as made:
        response = client.get(budget_url(served))

    assert len(response.context["months"]) == size
    assert len(made) == 5


@pytest.mark.parametrize("size", [1, 5])
def test_budget_month_and_edit_query_counts(client, world, served, size):
    worksheet = month_with(served, world.specialist, THIS_MONTH,
                           *(line("expense", "food", f"{n}.25", f"Shop {n}") for n in range(size)))  # fmt: skip
    client.force_login(world.specialist)
    client.get(budget_url(served, worksheet.pk))

    with CaptureQueriesContext(connection) as shown:
        client.get(budget_url(served, worksheet.pk))
    with CaptureQueriesContext(connection) as edited:
        response = client.get(budget_url(served, worksheet.pk, "edit"))

    assert len(response.context["formset"].forms) == size + 3
    assert (len(shown), len(edited)) == (6, 5)
