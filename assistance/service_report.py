"""The service report's money and housing: registered with ``cases.service_report`` from ``AssistanceConfig.ready``.

What is printed of money: the day it was paid, its category and amount; of help in kind: the
day, what was given, how many and its value. What a payment was for and a description of
help in kind are written by people (narrative), so they are copied only when notes are
printed. A housing stay's provider says where the survivor lives: it is printed only when
identifying details may be (never to an organization without a release), and never on the
survivor's own copy (a copy found by someone else must not tell where they stay: the kind of
stay and its dates are enough for them). The payee is never printed: it is finance's
business, and often a person.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assistance.models import HousingPlacement, InKindItem, Payment
from cases.service_report import Scope, Section, register


@dataclass(frozen=True)
class PrintedPayment:
    paid_on: date
    category: str
    amount: Decimal
    purpose: str  # empty unless notes are printed


@dataclass(frozen=True)
class PrintedItem:
    given_on: date
    kind: str
    quantity: int
    value: Decimal
    description: str  # empty unless notes are printed


@dataclass(frozen=True)
class MoneyAndHelp:
    payments: tuple[PrintedPayment, ...]
    items: tuple[PrintedItem, ...]

    @property
    def paid(self) -> Decimal:
        return sum((payment.amount for payment in self.payments), Decimal("0.00"))

    @property
    def items_value(self) -> Decimal:
        return sum((item.value for item in self.items), Decimal("0.00"))


def money_and_help(scope: Scope) -> dict[int, MoneyAndHelp]:
    """Payments made and help in kind given in the period, oldest first: two queries."""
    payments: dict[int, list[PrintedPayment]] = defaultdict(list)
    paid = (
        Payment.objects.filter(request__case_id__in=scope.case_ids, paid_on__range=(scope.start, scope.end))
        .select_related("request")
        .only("paid_on", "request__case_id", "request__category", "request__amount", "request__purpose")
        .order_by("paid_on", "pk")
    )
    for payment in paid:
        asked = payment.request
        payments[asked.case_id].append(
            PrintedPayment(
                paid_on=payment.paid_on,
                category=str(asked.get_category_display()),
                amount=asked.amount,
                purpose=asked.purpose if scope.notes else "",
            )
        )
    items: dict[int, list[PrintedItem]] = defaultdict(list)
    given = (
        InKindItem.objects.filter(case_id__in=scope.case_ids, given_on__range=(scope.start, scope.end))
        .only("case_id", "kind", "description", "quantity", "value", "given_on")
        .order_by("given_on", "pk")
    )
    for item in given:
        items[item.case_id].append(
            PrintedItem(
                given_on=item.given_on,
                kind=str(item.get_kind_display()),
                quantity=item.quantity,
                value=item.value,
                description=item.description if scope.notes else "",
            )
        )
    return {
        case_id: MoneyAndHelp(payments=tuple(payments[case_id]), items=tuple(items[case_id]))
        for case_id in {*payments, *items}
    }


@dataclass(frozen=True)
class PrintedStay:
    kind: str
    long_term: str  # the kind of long-term housing, when it is
    provider: str  # empty unless identifying details are printed, and always on the survivor's own copy
    started_on: date
    expected_end: date | None
    ended_on: date | None
    went_to: str
    note: str  # empty unless notes are printed


def housing_stays(scope: Scope) -> dict[int, tuple[PrintedStay, ...]]:
    """Housing stays that covered a day of the period, oldest first: one query."""
    stays = (
        HousingPlacement.objects.filter(case_id__in=scope.case_ids, started_on__lte=scope.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=scope.start))
        .select_related("provider")
        .order_by("started_on", "pk")
    )
    printed: dict[int, list[PrintedStay]] = defaultdict(list)
    named = scope.identifying and not scope.own_copy
    for stay in stays:
        printed[stay.case_id].append(
            PrintedStay(
                kind=str(stay.get_kind_display()),
                long_term=str(stay.get_long_term_display()) if stay.long_term else "",
                provider=stay.provider_label if named else "",
                started_on=stay.started_on,
                expected_end=stay.expected_end,
                ended_on=stay.ended_on,
                went_to=str(stay.get_exit_destination_display()) if stay.exit_destination else "",
                note=stay.note if scope.notes else "",
            )
        )
    return {case_id: tuple(rows) for case_id, rows in printed.items()}


def register_sections() -> None:
    register(
        Section(
            key="money",
            title=_("Money paid and help in kind"),
            own_title=_("Money and help in kind"),
            template="assistance/service_report/_money.html",
            load=money_and_help,
            empty=_("No money was paid and no help in kind was given in this period."),
            order=40,
        )
    )
    register(
        Section(
            key="housing",
            title=_("Housing stays"),
            own_title=_("Where you stayed"),
            template="assistance/service_report/_housing.html",
            load=housing_stays,
            empty=_("No housing stay in this period."),
            order=50,
        )
    )
