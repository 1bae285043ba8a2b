"""What deciding on money shows beside the buttons: the room in the request's fund and category, and
what its survivor has received in the last twelve months; only to those who may approve or pay it.

Every figure below is counted by hand from the fixtures. Dates are counted back from the pinned
day (tests/clock.py), and the tests marked ``clock`` run again at its awkward instants.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assistance import access, queries
from assistance.models import AssistanceRequest, Category, FundBudget, InKindItem
from assistance.services import help as help_services
from assistance.services import requests as request_services
from cases import services
from tests.factories import ask_money, ask_money_on, close_case, make_case, make_fund, pay_money

D = Decimal
Status = AssistanceRequest.Status


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


# About eleven and thirteen months back: inside the twelve months, and outside them.
ELEVEN_MONTHS, THIRTEEN_MONTHS = 335, 396


def paid(world, case, fund, day: date, *, amount: str, category=Category.RENT, by=None, approver=None):
    """A request for ``case`` asked for the day before ``day``, approved, and paid by finance on ``day``
    (asked by the specialist and approved by the supervisor of team A unless ``by`` and ``approver``)."""
    asked = ask_money_on(day - timedelta(days=1), case, by or world.specialist, fund, amount=amount, category=category)
    asked = request_services.approve(asked, by=approver or world.supervisor)
    pay_money(asked, world.finance, paid_on=day)
    return asked


def give(case, by, *, kind: str, quantity: int, value: str, given_on: date) -> InKindItem:
    details = help_services.ItemDetails(kind=kind, description="", quantity=quantity, value=D(value), given_on=given_on)
    return help_services.give(case, by=by, details=details)


@pytest.fixture
def fund(world):
    """Rent $5,000 and food $1,000 of a $10,000 award that began long ago."""
    return make_fund(world.finance, starts_on=days_ago(800))


@pytest.fixture
def second_fund(world):
    return make_fund(world.finance, name="Second fund", budgets={Category.UTILITIES: "500.00", Category.FOOD: "800.00"},
                     starts_on=days_ago(800))  # fmt: skip


@pytest.fixture
def story(world, fund, second_fund):
    """Rosa, served by team A for over a year, asks for $450 of rent. What is around her request:

    - Rosa was paid rent of $300 eleven months ago and $250 thirteen months ago (the first fund),
      food of $40 twenty days ago and utilities of $60 a hundred days ago (the second fund), and
      has $100 of rent approved, not yet paid (the first fund).
    - Rosa was given two hygiene kits ($50) two weeks ago, and clothing ($80) thirteen months ago.
    - Nina, another survivor on team A, was paid $500 of rent from the first fund last month,
      and given food ($30) last week.
    - Another request, Nina's, for $70 of rent waits for approval.

    So the first fund's rent: $5,000 budget, $1,150 committed (300 + 250 + 100 + 500), $1,050 paid,
    $3,850 remaining now, $3,400 once Rosa's $450 is approved; the fund as a whole: $8,400 of
    $10,000 once it is. Rosa received $400 in the twelve months (food 40, rent 300, utilities 60),
    and $50 in kind.
    """
    rosa = make_case(team=world.team_a, specialists=[world.specialist], legal_name="Rosa Reyes",
                     opened_on=days_ago(500))  # fmt: skip
    nina = make_case(team=world.team_a, specialists=[world.specialist], legal_name="Nina Night",
                     opened_on=days_ago(500))  # fmt: skip
    paid(world, rosa, fund, days_ago(ELEVEN_MONTHS), amount="300.00")
    paid(world, rosa, fund, days_ago(THIRTEEN_MONTHS), amount="250.00")
    paid(world, rosa, second_fund, days_ago(20), amount="40.00", category=Category.FOOD)
    paid(world, rosa, second_fund, days_ago(100), amount="60.00", category=Category.UTILITIES)
    request_services.approve(ask_money(rosa, world.specialist, fund, amount="100.00"), by=world.supervisor)
    give(rosa, world.specialist, kind="hygiene kit", quantity=2, value="50.00", given_on=days_ago(14))
    give(rosa, world.specialist, kind="clothing", quantity=1, value="80.00", given_on=days_ago(THIRTEEN_MONTHS))
    paid(world, nina, fund, days_ago(30), amount="500.00")
    give(nina, world.specialist, kind="food", quantity=1, value="30.00", given_on=days_ago(7))
    ask_money(nina, world.specialist, fund, amount="70.00")
    asked = ask_money(rosa, world.specialist, fund, amount="450.00")
    return rosa, asked


def seen_by(user, asked) -> AssistanceRequest:
    """``asked`` as the request page loads it for ``user`` (with ``code_hidden``)."""
    return access.get_request_for(user, asked.pk)


def page(client, user, asked):
    client.force_login(user)
    response = client.get(reverse("assistance:request", args=[asked.pk]))
    assert response.status_code == 200
    return response


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


# The room in the fund ----------------------------------------------------------------------------


def test_the_room_counts_the_category_and_the_whole_fund(world, story):
    _rosa, asked = story

    room = queries.room_for(seen_by(world.supervisor, asked))

    assert room.category == queries.Figures(budget=D("5000.00"), committed=D("1150.00"), paid=D("1050.00"))
    assert room.category.remaining == D("3850.00")
    assert (room.counted, room.after, room.short_in_category) == (False, D("3400.00"), D(0))
    assert room.others_waiting == D("70.00")
    assert room.fund == queries.Figures(budget=D("10000.00"), committed=D("1150.00"), paid=D("1050.00"))
    assert (room.fund_after, room.short_in_fund) == (D("8400.00"), D(0))


def test_an_approved_request_is_counted_already(world, story):
    _rosa, asked = story
    approved = request_services.approve(asked, by=world.supervisor)

    room = queries.room_for(seen_by(world.finance, approved))

    assert room.category.committed == D("1600.00")
    assert (room.counted, room.after, room.fund_after) == (True, D("3400.00"), D("8400.00"))


def test_a_request_more_than_the_category_has_left_is_short(world, fund):
    first = ask_money(world.case_a, world.specialist, fund, category=Category.FOOD, amount="450.00")
    request_services.approve(first, by=world.supervisor)
    asked = ask_money(world.case_a, world.specialist, fund, category=Category.FOOD, amount="200.00")
    FundBudget.objects.filter(fund=fund, category=Category.FOOD).update(amount=D("550.00"))  # lowered meanwhile

    room = queries.room_for(seen_by(world.supervisor, asked))

    assert (room.category.remaining, room.after, room.short_in_category) == (D("100.00"), D("-100.00"), D("100.00"))
    assert room.short_in_fund == D(0)


def test_a_category_with_no_budget_line_has_no_category_figures(world, fund):
    asked = ask_money(world.case_a, world.specialist, fund)
    # The services keep a category allowed while requests wait on it, but a request asked for as
    # the category is taken away (the ask reads the budget without the fund's lock) is left so.
    FundBudget.objects.filter(fund=fund, category=Category.RENT).delete()

    room = queries.room_for(seen_by(world.supervisor, asked))

    assert (room.category, room.after, room.short_in_category) == (None, None, D(0))
    assert room.fund_after == D("9600.00")


# What the survivor received -----------------------------------------------------------------------


@pytest.mark.clock
def test_received_counts_twelve_months_of_payments_by_category_and_help_in_kind(world, story):
    _rosa, asked = story
    today = timezone.localdate()

    received = queries.received_by(world.supervisor, seen_by(world.supervisor, asked), today=today, in_kind=True)

    assert (received.start, received.end) == (queries.year_to(today), today)
    assert [(line.label, line.times, line.amount) for line in received.paid] == [
        ("Food", 1, D("40.00")),
        ("Rent", 1, D("300.00")),
        ("Utilities", 1, D("60.00")),
    ]
    assert received.paid_total == D("400.00")
    assert [(line.label, line.times, line.quantity, line.amount) for line in received.in_kind] == [
        ("Hygiene kit", 1, 2, D("50.00"))
    ]
    assert received.in_kind_total == D("50.00")


@pytest.mark.clock
@pytest.mark.parametrize(
    ("today", "start"),
    [
        (date(2026, 11, 18), date(2025, 11, 19)),
        (date(2027, 1, 1), date(2026, 1, 2)),
        (date(2028, 2, 29), date(2027, 3, 2)),  # a year back has no 29 February
        (date(2029, 3, 1), date(2028, 3, 2)),
    ],
)
def test_the_twelve_months_end_today_and_start_the_day_after_a_year_ago(today, start):
    assert queries.year_to(today) == start


def test_a_payment_on_the_first_day_of_the_twelve_months_counts_and_the_day_before_does_not(world, fund):
    case = make_case(team=world.team_a, specialists=[world.specialist], legal_name="Edge Day", opened_on=days_ago(500))
    first = queries.year_to(timezone.localdate())
    paid(world, case, fund, first, amount="11.00")
    paid(world, case, fund, first - timedelta(days=1), amount="22.00")
    asked = ask_money(case, world.specialist, fund)

    received = queries.received_by(
        world.supervisor, seen_by(world.supervisor, asked), today=timezone.localdate(), in_kind=False
    )

    assert [(line.label, line.amount) for line in received.paid] == [("Rent", D("11.00"))]
    assert received.in_kind is None


def test_received_reaches_every_case_of_the_survivor_the_reader_may_see(world, fund):
    """Carla's first case was team B's; it closed and she was enrolled again with team A. Team A's
    supervisor sees only what team A's case was paid; the program director sees both."""
    outsider = world.outsider
    supervisor_b = world.team_b.supervisors.get()
    earlier = make_case(team=world.team_b, specialists=[outsider], legal_name="Carla Gamma", opened_on=days_ago(400))
    paid(world, earlier, fund, days_ago(200), amount="200.00", by=outsider, approver=supervisor_b)
    close_case(earlier, by=outsider, approver=supervisor_b, closed_on=days_ago(100))
    later = services.reenroll(
        earlier, by=world.director, on=days_ago(90), team=world.team_a, specialists=[world.specialist]
    )
    paid(world, later, fund, days_ago(30), amount="35.00")
    asked = ask_money(later, world.specialist, fund)
    today = timezone.localdate()

    by_supervisor = queries.received_by(world.supervisor, seen_by(world.supervisor, asked), today=today, in_kind=True)
    by_director = queries.received_by(world.director, seen_by(world.director, asked), today=today, in_kind=True)

    assert by_supervisor.paid_total == D("35.00")
    assert by_director.paid_total == D("235.00")
    assert [(line.label, line.times) for line in by_director.paid] == [("Rent", 2)]


def test_nothing_received_is_empty(world, fund):
    asked = ask_money(world.case_a, world.specialist, fund)

    received = queries.received_by(
        world.supervisor, seen_by(world.supervisor, asked), today=timezone.localdate(), in_kind=True
    )

    assert (received.paid, received.paid_total, received.in_kind, received.in_kind_total) == ([], D(0), [], D(0))


def test_a_restriction_that_hides_the_survivor_hides_what_they_received(world, fund):
    asked = request_services.approve(
        ask_money(world.case_a, world.specialist, fund, amount="600.00"), by=world.supervisor
    )
    services.set_restriction(world.case_a, by=world.supervisor, restricted=True, named=[world.supervisor])
    hidden = seen_by(world.finance, asked)

    assert hidden.code_hidden
    with CaptureQueriesContext(connection) as captured:
        assert queries.received_by(world.finance, hidden, today=timezone.localdate(), in_kind=False) is None
    assert len(captured) == 0


# The request's page -------------------------------------------------------------------------------


def test_the_supervisor_sees_the_room_and_what_the_survivor_received(client, world, story):
    _rosa, asked = story

    html = main_of(page(client, world.supervisor, asked))

    room = html[html.index('id="decision-room"') : html.index('id="decision-received"')]
    assert "Rent in Test fund" in room
    assert "$5,000.00" in room
    assert "$1,150.00" in room
    assert "of which $1,050.00 paid" in room
    assert "$3,850.00" in room
    assert "$3,400.00 remains" in room
    assert "$70.00" in room  # Nina's, waiting
    assert "$8,400.00 of $10,000.00 remains if you approve" in room
    assert "notice--warning" not in room
    received = html[html.index('id="decision-received"') :]
    assert '<td class="table__num" id="received-total"><strong>$400.00</strong>' in received
    assert "$300.00" in received
    assert "$250.00" not in received  # thirteen months ago
    assert "$500.00" not in received  # Nina's
    assert "Hygiene kit" in received
    assert "Clothing" not in received  # thirteen months ago
    assert "$30.00" not in received  # Nina's food
    assert "<strong>$50.00</strong>" in received
    assert html.index('id="decision"') < html.index('id="actions-heading"')


def test_a_request_more_than_what_remains_is_warned_of_and_the_approval_refuses_it(client, world, fund):
    request_services.approve(
        ask_money(world.case_a, world.specialist, fund, category=Category.FOOD, amount="450.00"), by=world.supervisor
    )
    asked = ask_money(world.case_a, world.specialist, fund, category=Category.FOOD, amount="250.00")
    FundBudget.objects.filter(fund=fund, category=Category.FOOD).update(amount=D("550.00"))

    html = main_of(page(client, world.supervisor, asked))

    assert "$150.00 short" in html
    assert "This request for $250.00 is more than the food budget has left ($100.00)." in html
    assert "Approving it will be refused until there is room" in html
    assert 'action="{}"'.format(reverse("assistance:request_approve", args=[asked.pk])) in html  # not blocked
    after = client.post(reverse("assistance:request_approve", args=[asked.pk]), follow=True)
    assert "Only $100.00 is left in the food budget of Test fund." in after.content.decode()
    assert AssistanceRequest.objects.get(pk=asked.pk).status == Status.WAITING


def test_a_category_with_no_budget_line_says_so_on_the_page(client, world, fund):
    asked = ask_money(world.case_a, world.specialist, fund)
    FundBudget.objects.filter(fund=fund, category=Category.RENT).delete()

    html = main_of(page(client, world.supervisor, asked))

    assert "Test fund has no budget for rent. Approving this request will be refused" in html
    assert "Remaining now" not in html


def test_a_second_approval_by_finance_shows_money_but_no_help_in_kind(client, world, story):
    rosa, _asked = story
    large = request_services.approve(ask_money(rosa, world.specialist, story[1].fund, amount="600.00"),
                                     by=world.supervisor)  # fmt: skip
    assert large.status == Status.SECOND_APPROVAL

    html = main_of(page(client, world.finance, large))

    assert "$3,250.00 remains" in html  # 3,850 - 600 (Rosa's $450 waits too, not yet counted)
    assert "<strong>$400.00</strong>" in html
    assert "Help in kind" not in html
    assert "Hygiene kit" not in html


def test_finance_about_to_pay_sees_the_request_counted_already(client, world, story):
    _rosa, asked = story
    request_services.approve(asked, by=world.supervisor)

    html = main_of(page(client, world.finance, asked))

    assert "this request is committed already" in html
    assert "$3,400.00" in html
    assert "If you approve" not in html
    assert reverse("assistance:request_pay", args=[asked.pk]) in html


def test_the_director_on_a_restricted_survivor_sees_the_room_but_not_their_history(client, world, fund):
    asked = request_services.approve(
        ask_money(world.case_a, world.specialist, fund, amount="600.00"), by=world.supervisor
    )
    services.set_restriction(world.case_a, by=world.supervisor, restricted=True, named=[world.supervisor])

    html = main_of(page(client, world.director, asked))

    assert "$4,400.00 remains" in html
    assert "Not shown: the case is restricted." in html
    assert "Total paid" not in html


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("specialist", Status.WAITING),  # who asked: corrects or cancels, never decides
        ("finance", Status.WAITING),  # the first approval is the supervisor's
        ("specialist", Status.APPROVED),
        ("supervisor", Status.APPROVED),  # finance pays
        ("finance", Status.PAID),  # nothing left to decide
        ("director", Status.PAID),
        ("supervisor", Status.DENIED),
    ],
)
def test_the_decision_is_shown_only_to_those_who_may_decide(client, world, fund, persona, status):
    asked = ask_money(world.case_a, world.specialist, fund)
    if status in (Status.APPROVED, Status.PAID):
        asked = request_services.approve(asked, by=world.supervisor)
    if status == Status.PAID:
        pay_money(asked, world.finance)
    if status == Status.DENIED:
        request_services.deny(asked, by=world.supervisor, reason="Another program pays this rent.")

    response = page(client, world.everyone()[persona], asked)

    html = main_of(response)
    assert "room" not in response.context
    assert "Before you decide" not in html
    assert "Received in the last twelve months" not in html


@pytest.mark.parametrize("persona", ["supervisor", "director"])
def test_those_who_may_approve_see_the_decision(client, world, fund, persona):
    asked = ask_money(world.case_a, world.specialist, fund)

    html = main_of(page(client, world.everyone()[persona], asked))

    assert "Before you decide" in html
    assert "Received in the last twelve months" in html


@pytest.mark.parametrize("size", [1, 5])
def test_the_page_costs_the_same_however_much_was_received(
    client, world, fund, second_fund, size, django_assert_num_queries
):
    """``size`` payments in as many categories, from both funds, and ``size`` kinds of help, before the request."""
    case = make_case(team=world.team_a, specialists=[world.specialist], legal_name="Many Things",
                     opened_on=days_ago(500))  # fmt: skip
    wide = make_fund(world.finance, name="Wide fund", starts_on=days_ago(800), budgets={
        Category.TRANSPORTATION: "100.00", Category.MEDICAL: "100.00", Category.EDUCATION: "100.00"})  # fmt: skip
    choices = [(fund, Category.RENT), (second_fund, Category.UTILITIES), (wide, Category.TRANSPORTATION),
               (wide, Category.MEDICAL), (wide, Category.EDUCATION)]  # fmt: skip
    kinds = ["food", "clothing", "hygiene kit", "bus pass", "household"]
    for number in range(size):
        which, category = choices[number]
        paid(world, case, which, days_ago(10 + number), amount="10.00", category=category)
        give(case, world.specialist, kind=kinds[number], quantity=1, value="5.00", given_on=days_ago(3))
    asked = ask_money(case, world.specialist, fund)
    client.force_login(world.supervisor)
    url = reverse("assistance:request", args=[asked.pk])
    client.get(url)  # warm the per-process caches

    with django_assert_num_queries(12):
        response = client.get(url)

    assert len(response.context["received"].paid) == size
    assert len(response.context["received"].in_kind) == size


def test_what_the_decision_shows_is_escaped(client, world):
    fund = make_fund(world.finance, name="<b>Bold</b> & Co")
    asked = ask_money(world.case_a, world.specialist, fund)

    html = main_of(page(client, world.supervisor, asked))

    assert "Rent in &lt;b&gt;Bold&lt;/b&gt; &amp; Co" in html
    assert "<b>Bold</b>" not in html
