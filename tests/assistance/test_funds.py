"""Funds and their budgets: set up and changed by finance or the director, refused when the rules are broken."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from assistance import queries
from assistance.models import LARGEST_FUND, Category, Fund, FundBudget
from assistance.services import funds as services
from assistance.services import requests as request_services
from assistance.services.common import AssistanceError
from tests.factories import ask_money, make_fund

TODAY = timezone.localdate
RENT, FOOD, MEDICAL = Category.RENT, Category.FOOD, Category.MEDICAL


def details(**overrides) -> services.FundDetails:
    values = {
        "name": "Rent help",
        "funder": "Test Foundation",
        "award_number": "AW-1",
        "starts_on": TODAY() - timedelta(days=30),
        "ends_on": TODAY() + timedelta(days=335),
        "total": Decimal("10000.00"),
        **overrides,
    }
    return services.FundDetails(**values)


def details_of(fund: Fund, **overrides) -> services.FundDetails:
    """The fund's details as they are, changed by ``overrides`` (what the edit form posts)."""
    fields = ("name", "funder", "award_number", "starts_on", "ends_on", "total", "note")
    return services.FundDetails(**{**{name: getattr(fund, name) for name in fields}, **overrides})


def budgets(**amounts) -> dict[str, Decimal]:
    return {Category(name.replace("_", " ")): Decimal(amount) for name, amount in amounts.items()}


def budgets_of(fund: Fund) -> dict[str, Decimal]:
    return dict(FundBudget.objects.filter(fund=fund).values_list("category", "amount"))


def refused_fields(refused) -> list[str]:
    return sorted(refused.value.message_dict)


# Setting up a fund ------------------------------------------------------------------------------


def test_finance_sets_up_a_fund_with_a_budget_for_each_category(world):
    fund = services.create_fund(
        by=world.finance,
        details=details(name="  Rent help  ", award_number=" AW-1 ", note=" Made up. "),
        budgets=budgets(rent="5000.00", food="1000.00"),
    )

    fund.refresh_from_db()
    assert (fund.name, fund.award_number, fund.note, fund.total) == ("Rent help", "AW-1", "Made up.", Decimal(10000))
    assert fund.created_by == world.finance
    assert budgets_of(fund) == {RENT: Decimal("5000.00"), FOOD: Decimal("1000.00")}
    assert fund.history.count() == 1
    first = fund.history.get()
    assert (first.history_user, first.history_change_reason) == (world.finance, "fund.set_up")
    budget_history = FundBudget.history.filter(fund_id=fund.pk)
    assert sorted(budget_history.values_list("category", "history_change_reason")) == [
        (FOOD, "fund_budget.set"),
        (RENT, "fund_budget.set"),
    ]


def test_a_zero_budget_and_budgets_adding_up_to_the_total_are_allowed(world):
    fund = services.create_fund(
        by=world.director, details=details(total=Decimal("600.00")), budgets=budgets(rent="600.00", food="0")
    )

    assert budgets_of(fund) == {RENT: Decimal("600.00"), FOOD: Decimal("0.00")}
    assert fund.created_by == world.director


@pytest.mark.parametrize(
    "person", ["specialist", "colleague", "supervisor", "outsider", "outreach", "volunteer", "trainer", "administrator"]
)
def test_only_finance_and_the_director_set_up_or_change_funds(world, person):
    user = getattr(world, person)
    fund = make_fund(world.finance)

    with pytest.raises(PermissionDenied):
        services.create_fund(by=user, details=details(award_number="AW-NEW"), budgets=budgets(rent="10"))
    with pytest.raises(PermissionDenied):
        services.change_fund(fund, by=user, details=details_of(fund, name="Taken over"), budgets=budgets_of(fund))

    assert list(Fund.objects.values_list("name", flat=True)) == ["Test fund"]
    assert fund.history.count() == 1


@pytest.mark.parametrize(
    ("changes", "amounts", "field"),
    [
        ({"name": "   "}, {"rent": "10"}, "name"),
        ({"funder": ""}, {"rent": "10"}, "funder"),
        ({"award_number": " "}, {"rent": "10"}, "award_number"),
        # Run again at awkward instants (tests/clock.py): a fund's period ends after it starts, at most six years on.
        pytest.param(  # ends the day before it starts
            {"ends_on": TODAY() - timedelta(days=31)}, {"rent": "10"}, "ends_on", marks=pytest.mark.clock
        ),
        pytest.param(  # more than six years
            {"ends_on": TODAY() + timedelta(days=6 * 366)}, {"rent": "10"}, "ends_on", marks=pytest.mark.clock
        ),
        ({"total": Decimal("0.00")}, {"rent": "0"}, "total"),
        ({"total": Decimal("-100.00")}, {"rent": "0"}, "total"),
        ({"total": 10000.0}, {"rent": "10"}, "total"),  # a float is never money
        ({"total": Decimal("100.001")}, {"rent": "10"}, "total"),
        ({"total": LARGEST_FUND + Decimal("0.01")}, {"rent": "10"}, "total"),
        ({}, {"rent": "6000.00", "food": "4000.01"}, "budgets"),  # more than the total of 10,000
        ({}, {}, "budgets"),
        ({}, {"rent": "-1.00"}, "budgets"),
        ({}, {"rent": "10.005"}, "budgets"),
        # Longer than the form allows: refused by the service too, for every caller.
        ({"name": "n" * (services.LONGEST["name"] + 1)}, {"rent": "10"}, "name"),
        ({"award_number": "7" * (services.LONGEST["award_number"] + 1)}, {"rent": "10"}, "award_number"),
        ({"note": "n" * (services.LONGEST["note"] + 1)}, {"rent": "10"}, "note"),
    ],
)
def test_a_fund_the_rules_do_not_allow_is_refused_by_field(world, changes, amounts, field):
    with pytest.raises(AssistanceError) as refused:
        services.create_fund(by=world.finance, details=details(**changes), budgets=budgets(**amounts))

    assert refused_fields(refused) == [field]
    assert not Fund.objects.exists()
    assert not FundBudget.objects.exists()


def test_a_budget_for_something_that_is_not_a_category_is_refused(world):
    with pytest.raises(AssistanceError) as refused:
        services.create_fund(by=world.finance, details=details(), budgets={"bitcoin": Decimal(10)})

    assert refused.value.message_dict == {"budgets": ["Not a category: bitcoin."]}
    assert not Fund.objects.exists()


def test_a_float_budget_is_refused(world):
    with pytest.raises(AssistanceError) as refused:
        services.create_fund(by=world.finance, details=details(), budgets={RENT: 100.5})

    assert refused_fields(refused) == ["budgets"]
    assert not Fund.objects.exists()


def test_budgets_over_the_total_say_by_how_much(world):
    with pytest.raises(AssistanceError) as refused:
        services.create_fund(
            by=world.finance, details=details(total=Decimal("1000.00")), budgets=budgets(rent="800", food="200.50")
        )

    assert refused.value.message_dict["budgets"] == [
        "The category budgets add up to $1,000.50, more than the fund's total of $1,000.00."
    ]


@pytest.mark.parametrize("reused", ["AW-1", "  AW-1  "])
def test_an_award_number_is_used_once(world, reused):
    services.create_fund(by=world.finance, details=details(), budgets=budgets(rent="10"))

    with pytest.raises(AssistanceError) as refused:
        services.create_fund(
            by=world.director, details=details(name="Another", award_number=reused), budgets=budgets(rent="10")
        )

    assert refused.value.message_dict == {"award_number": ["Another fund has this award number."]}
    assert list(Fund.objects.values_list("name", flat=True)) == ["Rent help"]
    assert FundBudget.objects.count() == 1


# Changing a fund --------------------------------------------------------------------------------


def test_changing_a_fund_writes_its_history_and_sets_exactly_the_budgets_given(world):
    fund = make_fund(world.finance)  # rent 5,000 and food 1,000 of 10,000
    food = fund.budgets.get(category=FOOD)

    services.change_fund(
        fund,
        by=world.director,
        details=details_of(fund, name="Renamed fund", total=Decimal("12000.00")),
        budgets=budgets(rent="7000.00", medical="2500.00"),
    )

    fund.refresh_from_db()
    assert (fund.name, fund.total) == ("Renamed fund", Decimal("12000.00"))
    assert budgets_of(fund) == {RENT: Decimal("7000.00"), MEDICAL: Decimal("2500.00")}
    assert fund.history.count() == 2
    latest = fund.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (world.director, "fund.changed")
    removed = FundBudget.history.filter(id=food.pk).latest()
    assert (removed.history_type, removed.history_change_reason) == ("-", "fund_budget.dropped")
    rent_history = FundBudget.history.filter(fund_id=fund.pk, category=RENT).order_by("history_id")
    assert list(rent_history.values_list("amount", "history_change_reason")) == [
        (Decimal("5000.00"), "fund_budget.set"),
        (Decimal("7000.00"), "fund_budget.changed"),
    ]


def test_a_change_that_changes_nothing_writes_no_history(world):
    fund = make_fund(world.finance)

    services.change_fund(fund, by=world.finance, details=details_of(fund), budgets=budgets_of(fund))

    assert fund.history.count() == 1
    assert FundBudget.history.filter(fund_id=fund.pk).count() == 2


def test_a_change_is_refused_as_a_new_fund_is_and_nothing_changes(world):
    fund = make_fund(world.finance)

    with pytest.raises(AssistanceError) as refused:
        services.change_fund(
            fund,
            by=world.finance,
            details=details_of(fund, name="Renamed", ends_on=fund.starts_on - timedelta(days=1)),
            budgets=budgets(rent="1"),
        )

    assert refused_fields(refused) == ["ends_on"]
    fund.refresh_from_db()
    assert fund.name == "Test fund"
    assert budgets_of(fund) == {RENT: Decimal("5000.00"), FOOD: Decimal("1000.00")}
    assert fund.history.count() == 1


def test_lowering_the_total_below_the_budgets_is_refused(world):
    fund = make_fund(world.finance)

    with pytest.raises(AssistanceError) as refused:
        services.change_fund(
            fund, by=world.finance, details=details_of(fund, total=Decimal("5999.99")), budgets=budgets_of(fund)
        )

    assert refused_fields(refused) == ["budgets"]
    fund.refresh_from_db()
    assert fund.total == Decimal("10000.00")


def test_taking_another_funds_award_number_is_refused(world):
    first = make_fund(world.finance, award_number="AW-FIRST")
    second = make_fund(world.finance, award_number="AW-SECOND", name="Second")

    with pytest.raises(AssistanceError) as refused:
        services.change_fund(
            second, by=world.finance, details=details_of(second, award_number="AW-FIRST"), budgets=budgets_of(second)
        )

    assert refused.value.message_dict == {"award_number": ["Another fund has this award number."]}
    second.refresh_from_db()
    assert second.award_number == "AW-SECOND"
    assert first.history.count() == second.history.count() == 1


def approved(world, fund, amount="400.00", **overrides):
    """A request approved by the supervisor (at most the threshold: one approval is enough)."""
    asked = ask_money(world.case_a, world.specialist, fund, amount=amount, **overrides)
    return request_services.approve(asked, by=world.supervisor)


def test_a_budget_cannot_be_cut_below_what_is_committed(world):
    fund = make_fund(world.finance)
    approved(world, fund, "400.00")

    with pytest.raises(AssistanceError) as refused:
        services.change_fund(
            fund, by=world.finance, details=details_of(fund), budgets=budgets(rent="399.99", food="1000")
        )

    assert refused.value.message_dict == {"budgets": ["Rent: $400.00 is already committed; the budget cannot be less."]}
    assert fund.budgets.get(category=RENT).amount == Decimal("5000.00")

    services.change_fund(fund, by=world.finance, details=details_of(fund), budgets=budgets(rent="400.00", food="1000"))

    assert fund.budgets.get(category=RENT).amount == Decimal("400.00")
    rent = next(row for row in queries.category_figures(fund).rows if row.category == RENT)
    assert (rent.budget, rent.committed, rent.remaining) == (Decimal("400.00"), Decimal("400.00"), Decimal("0.00"))


def test_the_total_cannot_be_cut_below_what_is_committed(world):
    fund = make_fund(world.finance)
    approved(world, fund, "400.00")

    with pytest.raises(AssistanceError) as refused:
        services.change_fund(
            fund, by=world.finance, details=details_of(fund, total=Decimal("399.00")), budgets=budgets(rent="399")
        )

    assert refused.value.message_dict["total"] == ["$400.00 is already committed; the total cannot be less."]
    fund.refresh_from_db()
    assert fund.total == Decimal("10000.00")


def test_a_category_with_requests_waiting_stays_allowed_until_they_are_decided(world):
    fund = make_fund(world.finance)
    waiting = ask_money(world.case_a, world.specialist, fund, category=FOOD, amount="50.00")

    with pytest.raises(AssistanceError) as refused:
        services.change_fund(fund, by=world.finance, details=details_of(fund), budgets=budgets(rent="5000"))

    assert refused.value.message_dict == {"budgets": ["Food has requests against it; it stays allowed."]}
    assert set(budgets_of(fund)) == {RENT, FOOD}

    request_services.deny(waiting, by=world.supervisor, reason="Food bank first")
    services.change_fund(fund, by=world.finance, details=details_of(fund), budgets=budgets(rent="5000"))

    assert set(budgets_of(fund)) == {RENT}


def test_a_category_with_committed_money_stays_allowed(world):
    fund = make_fund(world.finance)
    approved(world, fund, "50.00", category=FOOD)

    with pytest.raises(AssistanceError) as refused:
        services.change_fund(fund, by=world.finance, details=details_of(fund), budgets=budgets(rent="5000"))

    assert list(refused.value.message_dict) == ["budgets"]
    assert set(budgets_of(fund)) == {RENT, FOOD}


# Run again at awkward instants (tests/clock.py): the fund's period must hold the days its requests are needed by.
@pytest.mark.clock
@pytest.mark.parametrize(
    "period",
    [
        {"ends_on": TODAY() + timedelta(days=6)},  # ends before the request is needed
        {"starts_on": TODAY() + timedelta(days=8), "ends_on": TODAY() + timedelta(days=100)},  # starts after
    ],
)
def test_the_period_cannot_leave_out_a_request_still_counted(world, period):
    fund = make_fund(world.finance)
    asked = ask_money(world.case_a, world.specialist, fund, needed_by=TODAY() + timedelta(days=7))
    before = (fund.starts_on, fund.ends_on)

    with pytest.raises(AssistanceError) as refused:
        services.change_fund(fund, by=world.finance, details=details_of(fund, **period), budgets=budgets_of(fund))

    assert list(refused.value.message_dict) == ["ends_on"]
    assert asked.number in refused.value.message_dict["ends_on"][0]
    fund.refresh_from_db()
    assert (fund.starts_on, fund.ends_on) == before

    request_services.cancel(asked, by=world.specialist, reason="Paid by the landlord's own program")
    services.change_fund(fund, by=world.finance, details=details_of(fund, **period), budgets=budgets_of(fund))

    fund.refresh_from_db()
    assert fund.ends_on == period["ends_on"]


@pytest.mark.clock
def test_the_period_may_end_on_the_day_a_request_is_needed(world):
    fund = make_fund(world.finance)
    needed_by = TODAY() + timedelta(days=7)
    ask_money(world.case_a, world.specialist, fund, needed_by=needed_by)

    services.change_fund(fund, by=world.finance, details=details_of(fund, ends_on=needed_by), budgets=budgets_of(fund))

    fund.refresh_from_db()
    assert fund.ends_on == needed_by
