"""Approvals and payments at the same moment, on real PostgreSQL: the fund is never overspent, a request paid once.

Each contender runs in its own thread, so in its own database connection and transaction,
and all are released together by a barrier. Without the locks in ``assistance.services``
both sides would read the same committed sum (or the same unpaid request) and both succeed.
Several rounds are run, each on a fresh fund, so the two really overlap.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from assistance import queries
from assistance.models import AssistanceRequest, Category, Payment
from assistance.services import funds as fund_services
from assistance.services import requests as services
from assistance.services.common import AssistanceError
from bloom.accounts.models import Role
from tests.factories import ask_money, make_fund, make_user, pay_money

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROUNDS = 5
Status = AssistanceRequest.Status
RENT = Category.RENT


def at_once(*calls):
    """Run each call in its own thread (its own connection), all at the same moment; each outcome in order.

    An outcome is ``("ok", value)`` or ``("error", exception)``.
    """
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = ("ok", call())
        except Exception as error:  # reported by the caller's assertions
            outcomes[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a contender is stuck (a deadlock?)"
    return outcomes


def one_won(outcomes) -> tuple[int, Exception]:
    """Which contender won, and the refusal the other got; fails unless exactly one won on an AssistanceError."""
    won = [index for index, (result, _value) in enumerate(outcomes) if result == "ok"]
    errors = [value for result, value in outcomes if result == "error"]
    assert len(won) == 1, outcomes
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], AssistanceError), repr(errors[0])
    return won[0], errors[0]


def rent(fund):
    return next(row for row in queries.category_figures(fund).rows if row.category == RENT)


def test_two_first_approvals_at_once_never_overspend_the_budget(committed_world):
    world = committed_world
    # Below the threshold, so each approval is the last one and commits the money.
    for round_ in range(ROUNDS):
        fund = make_fund(world.finance, name=f"Round {round_}", total="800.00", budgets={RENT: "800.00"})
        mine = ask_money(world.case_a, world.specialist, fund, amount="450.00")
        theirs = ask_money(world.case_a, world.specialist, fund, amount="450.00")

        outcomes = at_once(
            lambda mine=mine: services.approve(mine, by=world.supervisor),
            lambda theirs=theirs: services.approve(theirs, by=world.director),
        )

        winner, refusal = one_won(outcomes)
        assert refusal.messages == [f"Only $350.00 is left in the rent budget of Round {round_}."]
        statuses = sorted(fund.requests.values_list("status", flat=True))
        assert statuses == [Status.APPROVED, Status.WAITING]
        assert fund.requests.get(status=Status.APPROVED).pk == (mine, theirs)[winner].pk
        figures = rent(fund)
        assert figures.committed == Decimal("450.00")
        assert figures.committed <= figures.budget


def test_two_second_approvals_at_once_never_overspend_the_budget(committed_world):
    world = committed_world
    # Above the threshold: the supervisor's first approvals commit nothing; finance and the
    # director give the second ones at the same moment, and only one fits in the budget.
    for round_ in range(ROUNDS):
        fund = make_fund(world.finance, name=f"Round {round_}", total="1000.00", budgets={RENT: "1000.00"})
        mine = ask_money(world.case_a, world.specialist, fund, amount="600.00")
        theirs = ask_money(world.case_a, world.specialist, fund, amount="600.00")
        for asked in (mine, theirs):
            services.approve(asked, by=world.supervisor)
        assert rent(fund).committed == Decimal(0)

        outcomes = at_once(
            lambda mine=mine: services.approve(mine, by=world.finance),
            lambda theirs=theirs: services.approve(theirs, by=world.director),
        )

        _winner, refusal = one_won(outcomes)
        assert refusal.messages == [f"Only $400.00 is left in the rent budget of Round {round_}."]
        assert sorted(fund.requests.values_list("status", flat=True)) == [Status.APPROVED, Status.SECOND_APPROVAL]
        figures = rent(fund)
        assert figures.committed == Decimal("600.00")
        assert figures.committed <= figures.budget


def test_a_budget_cut_and_an_approval_at_once_leave_the_budget_covering_what_is_committed(committed_world):
    world = committed_world
    for round_ in range(ROUNDS):
        fund = make_fund(world.finance, name=f"Round {round_}", total="1000.00", budgets={RENT: "1000.00"})
        asked = ask_money(world.case_a, world.specialist, fund, amount="450.00")
        details = fund_services.FundDetails(
            name=fund.name,
            funder=fund.funder,
            award_number=fund.award_number,
            starts_on=fund.starts_on,
            ends_on=fund.ends_on,
            total=fund.total,
        )

        outcomes = at_once(
            lambda asked=asked: services.approve(asked, by=world.supervisor),
            lambda fund=fund, details=details: fund_services.change_fund(
                fund, by=world.director, details=details, budgets={RENT: Decimal("400.00")}
            ),
        )

        winner, _refusal = one_won(outcomes)
        figures = rent(fund)
        assert figures.committed <= figures.budget
        expected = [(Decimal("1000.00"), Decimal("450.00")), (Decimal("400.00"), Decimal(0))][winner]
        assert (figures.budget, figures.committed) == expected


def test_two_payments_of_the_same_request_at_once_make_one_payment(committed_world):
    world = committed_world
    other_finance = make_user(Role.FINANCE, full_name="Fay Finance")
    fund = make_fund(world.finance)
    for round_ in range(ROUNDS):
        asked = services.approve(ask_money(world.case_a, world.specialist, fund), by=world.supervisor)

        outcomes = at_once(
            lambda asked=asked, round_=round_: pay_money(asked, world.finance, reference=f"CHK-{round_}-A"),
            lambda asked=asked, round_=round_: pay_money(
                asked, other_finance, method="card", reference=f"TX-{round_}-B"
            ),
        )

        winner, refusal = one_won(outcomes)
        payment = Payment.objects.get(request=asked)
        assert payment.pk == outcomes[winner][1].pk
        assert payment.paid_by == (world.finance, other_finance)[winner]
        assert payment.reference in refusal.messages[0]
        assert refusal.messages[0].startswith("This request was already paid on ")
        asked.refresh_from_db()
        assert asked.status == Status.PAID
        assert asked.history.filter(status=Status.PAID).count() == 1
    assert Payment.objects.count() == ROUNDS
    assert rent(fund).paid == Decimal("400.00") * ROUNDS
