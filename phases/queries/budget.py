"""Reads of a case's budget worksheets: months with their totals, one worksheet by category.

Every function starts from a case the caller has already loaded through
``cases.permissions``; none looks a worksheet up by id alone. Totals are ``Decimal`` sums
made by the database, so they are exact to the cent.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from cases.models import Case
from phases.models import BudgetLine, BudgetMonth

ZERO = Decimal("0.00")


def money(amount: Decimal) -> str:
    """``$1,234.50``: dollars and cents with the page language's separators."""
    return "$" + number_format(amount, decimal_pos=2, force_grouping=True)


@dataclass(frozen=True)
class Totals:
    income: Decimal
    expenses: Decimal

    @property
    def balance(self) -> Decimal:
        return self.income - self.expenses

    @property
    def balance_words(self) -> str:
        """The balance as the survivor would say it: "$120.00 left over", "$80.00 short"."""
        if self.balance > 0:
            return _("%(amount)s left over") % {"amount": money(self.balance)}
        if self.balance < 0:
            return _("%(amount)s short") % {"amount": money(-self.balance)}
        return _("Income and expenses are even")

    @property
    def short(self) -> bool:
        return self.balance < 0


def _sum(kind: str):
    return Coalesce(
        Sum("lines__amount", filter=Q(lines__kind=kind)),
        Value(ZERO),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


def months_with_totals(case: Case) -> QuerySet[BudgetMonth]:
    """``case``'s worksheets, newest first, each with ``income`` and ``expenses`` summed (one query)."""
    # Ordered here: a model's default ordering does not apply to a query that groups.
    return case.budget_months.annotate(
        income=_sum(BudgetLine.Kind.INCOME), expenses=_sum(BudgetLine.Kind.EXPENSE)
    ).order_by("-month")


def totals_of(month: BudgetMonth) -> Totals:
    """The totals of a month from ``months_with_totals``."""
    return Totals(income=month.income, expenses=month.expenses)


@dataclass
class CategoryGroup:
    category: str
    label: str
    lines: list[BudgetLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


@dataclass
class Worksheet:
    """One month's worksheet: income lines, expense lines grouped by category, and totals."""

    month: BudgetMonth
    income: list[BudgetLine]
    expenses: list[CategoryGroup]
    totals: Totals


def worksheet(month: BudgetMonth) -> Worksheet:
    """The lines of ``month`` (one query), arranged for the page."""
    lines = list(month.lines.order_by("kind", "category", "pk"))
    income = [line for line in lines if line.kind == BudgetLine.Kind.INCOME]
    by_category: dict[str, list[BudgetLine]] = defaultdict(list)
    for line in lines:
        if line.kind == BudgetLine.Kind.EXPENSE:
            by_category[line.category].append(line)
    labels = dict(BudgetLine.Category.choices)
    # In the order the categories are listed, so every month reads the same way.
    expenses = [
        CategoryGroup(category, str(labels[category]), by_category[category])
        for category in BudgetLine.Category.values
        if category in by_category
    ]
    totals = Totals(
        income=sum((line.amount for line in income), ZERO),
        expenses=sum((group.total for group in expenses), ZERO),
    )
    return Worksheet(month=month, income=income, expenses=expenses, totals=totals)


@dataclass(frozen=True)
class MonthPoint:
    month: date
    totals: Totals


def chart_points(months: list[BudgetMonth], *, most: int = 12) -> list[MonthPoint]:
    """The latest ``most`` months from ``months_with_totals``, oldest first, for the chart."""
    latest = sorted(months, key=lambda m: m.month)[-most:]
    return [MonthPoint(month=m.month, totals=totals_of(m)) for m in latest]


def latest_totals(case: Case) -> tuple[BudgetMonth | None, Totals | None]:
    """``case``'s latest worksheet and its totals (one query), or ``(None, None)``."""
    latest = months_with_totals(case).order_by("-month").first()
    return (latest, totals_of(latest)) if latest else (None, None)
