"""A fund's spending chart: server-drawn SVG with no script and no style attribute, one bar piece
per month and category paid, and months with no payment shown as zero."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assistance import charts, queries
from assistance.models import AssistanceRequest, Category
from assistance.queries import MonthSpending
from assistance.services import requests as request_services
from bloom.charts import upright
from tests.factories import ask_money, ask_money_on, make_fund, pay_money

D = Decimal


def month(year, number, **amounts) -> MonthSpending:
    return MonthSpending(month=date(year, number, 1), by_category={key: D(value) for key, value in amounts.items()})


def rects(svg: str) -> list[str]:
    return re.findall(r"<rect [^>]*>", svg)


def bar_titles(svg: str) -> list[str]:
    return re.findall(r"<rect [^>]*><title>([^<]*)</title></rect>", svg)


def test_one_rect_per_month_and_category_with_an_amount():
    months = [
        month(2026, 1, rent="500.00", food="120.00"),
        month(2026, 2),  # nothing paid: no bar
        month(2026, 3, rent="250.00", utilities="80.25", transportation="0"),  # a zero draws nothing
    ]

    chart = charts.spending_by_month(months)
    svg = str(chart.svg)

    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    assert len(rects(svg)) == 4
    assert bar_titles(svg) == [
        "Food, Jan 2026: $120.00",
        "Rent, Jan 2026: $500.00",
        "Rent, Mar 2026: $250.00",
        "Utilities, Mar 2026: $80.25",
    ]
    assert '<title id="spending-chart-title">Paid from this fund by month and category</title>' in svg
    assert 'role="img"' in svg
    assert 'aria-labelledby="spending-chart-title spending-chart-desc"' in svg
    assert "the tallest month is $620.00" in svg
    assert "style=" not in svg
    assert "fill=" not in svg
    assert "<script" not in svg.lower()
    assert "javascript:" not in svg.lower()
    assert " on" not in re.sub(r">[^<]*<", "><", svg)  # no event handler attributes
    assert re.findall(r'<text class="chart__tick" [^>]*>([^<]*)</text>', svg)[1:] == [
        "Jan 2026",
        "Feb 2026",
        "Mar 2026",
    ]


def test_the_table_has_each_month_each_category_paid_and_the_total():
    chart = charts.spending_by_month([month(2026, 1, rent="500.00", food="120.00"), month(2026, 2)])

    assert chart.headings == ["Month", "Food", "Rent", "Paid"]
    assert chart.rows == [["Jan 2026", "$120.00", "$500.00", "$620.00"], ["Feb 2026", "—", "—", "$0.00"]]


def test_each_category_keeps_its_tone_and_the_tallest_month_fills_the_plot():
    svg = str(charts.spending_by_month([month(2026, 1, rent="100"), month(2026, 2, rent="50", food="50")]).svg)

    tones = re.findall(r'<rect class="chart__bar (chart__tone-\d+)"', svg)
    rent, food = Category.values.index(Category.RENT), Category.values.index(Category.FOOD)
    assert tones == [f"chart__tone-{rent}", f"chart__tone-{food}", f"chart__tone-{rent}"]
    heights = [D(h) for h in re.findall(r'<rect [^>]*height="([0-9.]+)"', svg)]
    plot = D(upright.HEIGHT - upright.TOP - upright.BOTTOM)
    assert heights == [plot, plot / 2, plot / 2]


def test_the_chart_escapes_what_it_writes():
    svg = str(charts.spending_by_month([month(2026, 1, rent="10")], chart_id='x" onload="alert(1)').svg)

    assert 'onload="alert(1)"' not in svg
    assert "&quot;" in svg


def test_nothing_to_draw_is_an_empty_string():
    assert charts.spending_by_month([]).svg == ""
    assert charts.spending_by_month([month(2026, 1), month(2026, 2, rent="0")]).svg == ""
    assert charts.spending_by_month([]).legend == []


def test_every_month_is_drawn_and_only_some_are_named_under_a_long_run():
    months = [month(2024 + (n // 12), n % 12 + 1, food="10") for n in range(30)]

    svg = str(charts.spending_by_month(months).svg)

    assert len(rects(svg)) == 30  # the table has every month, so the picture has them too
    ticks = re.findall(r'<text class="chart__tick" [^>]*>([^<]*)</text>', svg)[1:]
    assert len(ticks) <= upright.MOST_TICKS
    assert ticks[-1] == "Jun 2026"  # the latest month is always named


def test_the_legend_lists_what_is_drawn_in_the_order_of_categories():
    legend = charts.spending_by_month([month(2026, 1, utilities="5", food="1"), month(2026, 2, rent="2")]).legend

    tone = {value: f"chart__tone-{index}" for index, value in enumerate(Category.values)}
    assert legend == [
        ("Food", tone[Category.FOOD]),
        ("Rent", tone[Category.RENT]),
        ("Utilities", tone[Category.UTILITIES]),
    ]


# The query behind the chart -------------------------------------------------------------------------


def months_back(n: int) -> date:
    day = timezone.localdate().replace(day=1)
    for _ in range(n):
        day = (day - timedelta(days=1)).replace(day=1)
    return day


def paid_on(world, fund, day: date, **details) -> AssistanceRequest:
    """A request made before ``day`` (its date moved back after the real service made it), approved and paid on it."""
    asked = ask_money_on(day - timedelta(days=1), world.case_a, world.specialist, fund, **details)
    asked = request_services.approve(asked, by=world.supervisor)
    pay_money(asked, world.finance, paid_on=day)
    return asked


@pytest.fixture
def fund(world):
    return make_fund(world.finance, budgets={Category.RENT: "5000.00", Category.FOOD: "1000.00"})


# Run again at awkward instants (tests/clock.py): spending is charted by month, back from this one.
@pytest.mark.clock
def test_months_without_a_payment_are_zero(world, fund):
    paid_on(world, fund, months_back(4) + timedelta(days=3))
    paid_on(world, fund, months_back(4) + timedelta(days=9), category=Category.FOOD, amount="45.50")
    paid_on(world, fund, months_back(4) + timedelta(days=20), amount="100.00")
    paid_on(world, fund, months_back(1), category=Category.FOOD, amount="12.00")
    request_services.approve(ask_money(world.case_a, world.specialist, fund), by=world.supervisor)  # not paid

    spending = queries.spending_by_month(fund)

    assert [row.month for row in spending] == [months_back(n) for n in (4, 3, 2, 1)]
    assert [row.by_category for row in spending] == [
        {"rent": D("500.00"), "food": D("45.50")},
        {},
        {},
        {"food": D("12.00")},
    ]
    assert [row.total for row in spending] == [D("545.50"), D(0), D(0), D("12.00")]
    assert spending[0].labelled == [("Food", D("45.50")), ("Rent", D("500.00"))]


@pytest.mark.clock
def test_months_run_across_the_new_year(world, fund):
    back = timezone.localdate().month - 1  # this year's January is this many months back
    november, december, january = months_back(back + 2), months_back(back + 1), months_back(back)
    paid_on(world, fund, november + timedelta(days=14))
    paid_on(world, fund, january)

    spending = queries.spending_by_month(fund)

    assert (november.month, december.month, january.month) == (11, 12, 1)
    assert [row.month for row in spending] == [november, december, january]
    assert [row.total for row in spending] == [D("400.00"), D(0), D("400.00")]


def test_a_fund_with_no_payment_has_no_months(world, fund):
    request_services.approve(ask_money(world.case_a, world.specialist, fund), by=world.supervisor)

    assert queries.spending_by_month(fund) == []


def test_other_funds_payments_are_not_counted(world, fund):
    other = make_fund(world.finance, name="Other fund")
    paid_on(world, other, months_back(1))

    assert queries.spending_by_month(fund) == []
    assert [row.total for row in queries.spending_by_month(other)] == [D("400.00")]


@pytest.mark.clock
def test_the_fund_page_draws_the_chart_and_the_same_numbers(client, world, fund):
    paid_on(world, fund, months_back(2), amount="300.00")
    paid_on(world, fund, months_back(0), category=Category.FOOD, amount="20.00")
    client.force_login(world.finance)

    response = client.get(reverse("assistance:fund", args=[fund.pk]))

    html = response.content.decode()
    svg = re.search(r'<svg class="chart".*?</svg>', html, re.S).group(0)
    assert len(rects(svg)) == 2
    assert "style=" not in html
    assert "<style" not in html
    assert "<script" not in svg
    assert "<script>" not in html  # no inline script on the page (the CSP allows none)
    assert [month.total for month in response.context["months"]] == [D("300.00"), D(0), D("20.00")]
    table = html[html.index("<caption>Paid from this fund by month and category</caption>") :]
    assert re.findall(r'<td class="table__num" data-label="Paid">([^<]*)</td>', table) == ["$300.00", "$0.00", "$20.00"]
    assert re.findall(r"</svg> ([^<]+)</li>", html) == ["Food", "Rent"]


def test_the_fund_page_without_payments_says_so(client, world, fund):
    client.force_login(world.specialist)

    response = client.get(reverse("assistance:fund", args=[fund.pk]))

    assert response.context["chart"].empty
    assert '<svg class="chart"' not in response.content.decode()
    assert "Nothing has been paid from this fund yet." in response.content.decode()
