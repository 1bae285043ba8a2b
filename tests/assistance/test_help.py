"""Help in kind: what the rules refuse, and the basic-necessities totals against a hand-counted fixture."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from assistance import queries
from assistance.models import LARGEST_ITEM_VALUE, MOST_ITEMS, InKindItem
from assistance.services import help as services
from assistance.services.common import AssistanceError, day
from cases.services import closure
from tests.factories import close_case, make_case

TODAY = timezone.localdate
Kind = InKindItem.Kind


def days(n: int) -> date:
    return TODAY() + timedelta(days=n)


@pytest.fixture
def case(world):
    """A case of team A, assigned to the world's specialist, opened 60 days ago."""
    return make_case(team=world.team_a, specialists=[world.specialist], legal_name="Gia Given", opened_on=days(-60))


def item(*, kind=Kind.FOOD, description="Groceries", quantity=1, value="25.00", given_on=None) -> services.ItemDetails:
    return services.ItemDetails(
        kind=kind,
        description=description,
        quantity=quantity,
        value=Decimal(value) if isinstance(value, str) else value,
        given_on=given_on or TODAY(),
    )


def give(case, by, **details) -> InKindItem:
    return services.give(case, by=by, details=item(**details))


def test_help_in_kind_is_recorded_with_its_history(world, case):
    given = give(case, world.specialist, kind=Kind.HYGIENE_KIT, description="  Two kits ", quantity=2, value="18.50")

    given.refresh_from_db()
    assert (given.case, given.kind, given.description, given.quantity, given.value, given.given_on) == (
        case, Kind.HYGIENE_KIT, "Two kits", 2, Decimal("18.50"), TODAY(),
    )  # fmt: skip
    assert given.given_by == world.specialist
    record = given.history.get()
    assert (record.history_user, record.history_change_reason) == (world.specialist, "help.recorded")


@pytest.mark.parametrize("quantity", [0, -1, -1000, MOST_ITEMS + 1, 10**9, 2.5, "3", None])
def test_a_quantity_out_of_range_is_refused(world, case, quantity):
    with pytest.raises(AssistanceError) as refused:
        give(case, world.specialist, quantity=quantity)

    assert refused.value.message_dict == {"quantity": [f"Enter how many, from 1 to {MOST_ITEMS}."]}
    assert not InKindItem.objects.exists()


def test_the_most_items_at_once_is_allowed(world, case):
    assert give(case, world.specialist, quantity=MOST_ITEMS).quantity == MOST_ITEMS


@pytest.mark.parametrize(
    "value",
    [
        Decimal("-0.01"),
        Decimal("-25.00"),
        LARGEST_ITEM_VALUE + Decimal("0.01"),
        Decimal("99999999.99"),
        Decimal("25.001"),
        25.0,
        Decimal("Infinity"),
        None,
    ],
)
def test_a_value_that_is_not_money_or_absurd_is_refused(world, case, value):
    with pytest.raises(AssistanceError) as refused:
        give(case, world.specialist, value=value)

    assert list(refused.value.message_dict) == ["value"]
    assert not InKindItem.objects.exists()


@pytest.mark.parametrize("value", ["0", "0.00", str(LARGEST_ITEM_VALUE)])
def test_a_gift_may_be_worth_nothing_or_up_to_the_largest_value(world, case, value):
    assert give(case, world.specialist, value=value).value == Decimal(value)


def test_a_date_in_the_future_is_refused(world, case):
    with pytest.raises(AssistanceError) as refused:
        give(case, world.specialist, given_on=days(1))

    assert refused.value.message_dict == {"given_on": ["The date cannot be in the future."]}
    assert not InKindItem.objects.exists()


def test_a_date_before_the_case_was_opened_is_refused(world, case):
    with pytest.raises(AssistanceError) as refused:
        give(case, world.specialist, given_on=days(-61))

    assert refused.value.message_dict == {
        "given_on": [f"The case was opened on {day(days(-60))}; the date cannot be earlier."]
    }
    assert not InKindItem.objects.exists()
    assert give(case, world.specialist, given_on=days(-60)).given_on == case.opened_on


def test_an_unknown_kind_is_refused(world, case):
    with pytest.raises(AssistanceError) as refused:
        give(case, world.specialist, kind="cash")

    assert list(refused.value.message_dict) == ["kind"]
    assert not InKindItem.objects.exists()


def test_a_description_longer_than_the_form_allows_is_refused(world, case):
    with pytest.raises(AssistanceError) as refused:
        give(case, world.specialist, description="d" * 201)

    assert list(refused.value.message_dict) == ["description"]
    assert not InKindItem.objects.exists()


def test_every_problem_is_told_at_once(world, case):
    with pytest.raises(AssistanceError) as refused:
        give(case, world.specialist, kind="cash", quantity=0, value=Decimal("-1"), given_on=days(1))

    assert sorted(refused.value.message_dict) == ["given_on", "kind", "quantity", "value"]


@pytest.mark.parametrize("person", ["outsider", "finance", "volunteer", "trainer", "outreach"])
def test_only_those_who_work_the_case_record_help(world, case, person):
    with pytest.raises(PermissionDenied):
        give(case, getattr(world, person))

    assert not InKindItem.objects.exists()


def test_no_help_is_recorded_on_a_closed_case(world, case):
    close_case(case, by=world.specialist, approver=world.supervisor)
    case.refresh_from_db()

    with pytest.raises(AssistanceError, match="while a survivor is served"):
        give(case, world.specialist)

    assert not InKindItem.objects.exists()


def test_an_item_recorded_by_mistake_is_removed_with_a_reason(world, case):
    given = give(case, world.specialist)

    with pytest.raises(AssistanceError) as refused:
        services.remove(given, by=world.specialist, reason="   ")
    assert list(refused.value.message_dict) == ["reason"]
    with pytest.raises(PermissionDenied):
        services.remove(given, by=world.outsider, reason="Not mine")
    assert InKindItem.objects.filter(pk=given.pk).exists()

    given_id = given.pk
    services.remove(given, by=world.specialist, reason="Entered twice")

    assert not InKindItem.objects.exists()
    gone = InKindItem.history.filter(id=given_id).latest()
    assert (gone.history_type, gone.history_user, gone.history_change_reason) == (
        "-",
        world.specialist,
        'help.removed|["Entered twice"]',
    )


# Basic necessities -----------------------------------------------------------------------------


@pytest.fixture
def necessities(world):
    """Help given to three survivors, one of them enrolled twice, inside and outside a 30-day window.

    The window is [days(-30), days(-1)]. By hand, inside it:

    ========== ===== ======== ======= =========
    kind       items quantity value   survivors
    ========== ===== ======== ======= =========
    food       4     7        $106.25 2 (A twice, B; A's second enrollment is still A)
    hygiene    2     3        $30.00  2 (B, C)
    bus pass   1     1        $0.00   1 (C)
    ========== ===== ======== ======= =========
    """
    a_first = make_case(team=world.team_a, specialists=[world.specialist], legal_name="Ada One", opened_on=days(-90))
    b = make_case(team=world.team_a, specialists=[world.specialist], legal_name="Ben Two", opened_on=days(-90))
    c = make_case(team=world.team_b, specialists=[world.outsider], legal_name="Cy Three", opened_on=days(-90))

    give(a_first, world.specialist, kind=Kind.FOOD, quantity=2, value="40.00", given_on=days(-30))  # first day
    give(a_first, world.specialist, kind=Kind.FOOD, quantity=1, value="15.25", given_on=days(-25))
    give(a_first, world.specialist, kind=Kind.CLOTHING, quantity=1, value="60.00", given_on=days(-31))  # before
    close_case(a_first, by=world.specialist, approver=world.supervisor, closed_on=days(-20))
    a_again = closure.reenroll(
        a_first, by=world.supervisor, on=days(-15), team=world.team_a, specialists=[world.specialist]
    )
    give(a_again, world.specialist, kind=Kind.FOOD, quantity=3, value="36.00", given_on=days(-10))

    give(b, world.specialist, kind=Kind.FOOD, quantity=1, value="15.00", given_on=days(-1))  # last day
    give(b, world.specialist, kind=Kind.HYGIENE_KIT, quantity=1, value="10.00", given_on=days(-5))
    give(b, world.specialist, kind=Kind.FOOD, quantity=5, value="50.00", given_on=TODAY())  # after

    give(c, world.outsider, kind=Kind.HYGIENE_KIT, quantity=2, value="20.00", given_on=days(-3))
    give(c, world.outsider, kind=Kind.BUS_PASS, quantity=1, value="0.00", given_on=days(-2))
    assert a_again.survivor_id == a_first.survivor_id
    return days(-30), days(-1)


def test_basic_necessities_add_up_by_kind(world, necessities):
    start, end = necessities

    lines = queries.basic_necessities(start, end)

    assert [(line.kind, line.label, line.items, line.quantity, line.value, line.survivors) for line in lines] == [
        (Kind.FOOD, "Food", 4, 7, Decimal("106.25"), 2),
        (Kind.HYGIENE_KIT, "Hygiene kit", 2, 3, Decimal("30.00"), 2),
        (Kind.BUS_PASS, "Bus pass", 1, 1, Decimal("0.00"), 1),
    ]
    assert all(isinstance(line.value, Decimal) for line in lines)


def test_basic_necessities_include_both_ends_of_the_period_only(world, necessities):
    start, end = necessities

    one_day = queries.basic_necessities(start, start)
    after = queries.basic_necessities(end + timedelta(days=1), end + timedelta(days=1))

    assert [(line.kind, line.items, line.quantity, line.value) for line in one_day] == [
        (Kind.FOOD, 1, 2, Decimal("40.00"))
    ]
    assert [(line.kind, line.items, line.quantity, line.value) for line in after] == [
        (Kind.FOOD, 1, 5, Decimal("50.00"))
    ]
    assert queries.basic_necessities(days(-200), days(-100)) == []


def test_basic_necessities_take_one_query(world, necessities, django_assert_num_queries):
    start, end = necessities

    with django_assert_num_queries(1):
        queries.basic_necessities(start, end)
