"""The services that payments, help in kind and housing stays imply, as counted by ``cases.delivered``."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from assistance.delivered import RULES
from assistance.services import help as help_services
from assistance.services import housing as housing_services
from assistance.services import requests as request_services
from bloom.reports.figures import Period, quarter_of
from cases import catalogue, delivered
from cases.models import Service, ServiceEvent
from tests.factories import ask_money, make_case, make_fund, pay_money

FINANCIAL = catalogue.EMERGENCY_FINANCIAL
NECESSITIES = catalogue.BASIC_NECESSITIES
SHELTER = catalogue.EMERGENCY_SHELTER
TRANSITIONAL = catalogue.TRANSITIONAL_HOUSING


def today() -> date:
    return timezone.localdate()


def this_quarter() -> Period:
    return quarter_of(today())


def last_quarter() -> Period:
    return quarter_of(this_quarter().start - timedelta(days=1))


def events(period: Period, case) -> list[tuple[str, date]]:
    """The (service key, day) of every event of ``case`` in ``period``, as the counting SQL gives them."""
    sql, params = delivered.events_sql(period.start, period.end)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT event_case, event_service, event_day FROM ({sql}) e", params)  # noqa: S608 (our SQL)
        rows = cursor.fetchall()
    keys = dict(Service.objects.values_list("pk", "key"))
    return sorted((keys[service], day) for case_id, service, day in rows if case_id == case.pk)


@pytest.fixture
def case(world):
    """A case of the specialist's, opened well before last quarter began."""
    return make_case(
        team=world.team_a,
        specialists=[world.specialist],
        legal_name="Dara Delivered",
        opened_on=last_quarter().start - timedelta(days=30),
    )


@pytest.fixture
def fund(world):
    return make_fund(world.director)


def paid(world, case, fund, *, paid_on=None):
    asked = request_services.approve(ask_money(case, world.specialist, fund), by=world.supervisor)
    return pay_money(asked, world.finance, paid_on=paid_on)


def give_food(world, case, *, given_on):
    details = help_services.ItemDetails(
        kind="food", description="Groceries", quantity=1, value=Decimal("40.00"), given_on=given_on
    )
    return help_services.give(case, by=world.specialist, details=details)


def stay(world, case, kind, *, started_on, long_term=""):
    limited = kind != "long-term"
    details = housing_services.StayDetails(
        kind=kind,
        long_term=long_term,
        provider=None,
        provider_name="Harbor House" if limited else "",
        started_on=started_on,
        expected_end=started_on + timedelta(days=30) if limited else None,
    )
    return housing_services.place(case, by=world.specialist, details=details)


def end(world, placement, *, ended_on, went_to="friends"):
    change = housing_services.StayChange(
        expected_end=placement.expected_end, ended_on=ended_on, exit_destination=went_to, note=""
    )
    return housing_services.change_stay(placement, by=world.specialist, change=change)


def test_every_rule_of_assistance_is_registered_for_a_service_in_the_catalogue(db):
    registered = {name: rule for name, rule in delivered.RULES.items() if rule in RULES}

    assert sorted(registered) == sorted(rule.name for rule in RULES)
    assert sorted(rule.service_key for rule in RULES) == sorted([FINANCIAL, NECESSITIES, SHELTER, TRANSITIONAL])
    assert Service.objects.filter(key__in=[rule.service_key for rule in RULES]).count() == len(RULES)


def test_a_payment_is_emergency_financial_assistance_on_the_day_it_was_paid(world, case, fund):
    paid(world, case, fund)

    assert events(this_quarter(), case) == [(FINANCIAL, today())]


def test_help_in_kind_is_basic_necessities_on_the_day_it_was_given(world, case):
    given_on = this_quarter().start
    give_food(world, case, given_on=given_on)

    assert events(this_quarter(), case) == [(NECESSITIES, given_on)]
    assert events(last_quarter(), case) == []


def test_a_shelter_stay_over_two_quarters_counts_once_in_each(world, case):
    started_on = last_quarter().end - timedelta(days=9)
    end(world, stay(world, case, "emergency", started_on=started_on), ended_on=this_quarter().start)

    assert events(last_quarter(), case) == [(SHELTER, started_on)]
    assert events(this_quarter(), case) == [(SHELTER, this_quarter().start)]


def test_a_stay_ended_before_the_period_is_not_counted_in_it(world, case):
    started_on = last_quarter().start + timedelta(days=5)
    end(world, stay(world, case, "transitional", started_on=started_on), ended_on=started_on + timedelta(days=20))

    assert events(this_quarter(), case) == []
    assert events(last_quarter(), case) == [(TRANSITIONAL, started_on)]


def test_an_open_stay_runs_to_the_end_of_the_period(world, case):
    stay(world, case, "transitional", started_on=last_quarter().start)

    assert events(this_quarter(), case) == [(TRANSITIONAL, this_quarter().start)]


def test_a_stay_moved_on_from_counts_until_the_day_it_ended(world, case):
    """The next stay ends the one before on the day it begins: both are counted on that day."""
    stay(world, case, "emergency", started_on=last_quarter().end - timedelta(days=9))
    stay(world, case, "transitional", started_on=this_quarter().start)

    assert events(this_quarter(), case) == [(SHELTER, this_quarter().start), (TRANSITIONAL, this_quarter().start)]


def test_long_term_housing_implies_no_service(world, case):
    stay(world, case, "long-term", started_on=last_quarter().start, long_term="rental")

    assert events(last_quarter(), case) == []
    assert events(this_quarter(), case) == []


def test_a_payment_and_a_ticked_service_the_same_day_are_one_event(world, case, fund):
    paid(world, case, fund)
    ServiceEvent.objects.create(
        case=case, service=Service.objects.get(key=FINANCIAL), provided_on=today(), recorded_by=world.specialist
    )

    assert events(this_quarter(), case) == [(FINANCIAL, today())]


def test_two_payments_the_same_day_are_one_event(world, case, fund):
    paid(world, case, fund)
    paid(world, case, fund)

    assert events(this_quarter(), case) == [(FINANCIAL, today())]


def test_events_of_one_case_are_never_another_cases(world, case, fund):
    paid(world, case, fund)
    give_food(world, world.case_a, given_on=today())

    assert events(this_quarter(), case) == [(FINANCIAL, today())]
    assert events(this_quarter(), world.case_a) == [(NECESSITIES, today())]
