"""What the assistance pages read: a fund's figures, its spending by month, help given in kind.

Committed, paid and remaining are summed from the requests in the database every time, so
they are always current; each function is a fixed number of queries however many requests
there are.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from assistance import access
from assistance.models import AssistanceRequest, CaseAward, Category, Fund, FundBudget, InKindItem, Payment
from bloom.accounts.models import User

ZERO = Decimal("0.00")
Status = AssistanceRequest.Status


@dataclass
class Figures:
    """One category's (or a whole fund's) money: its budget, what is waiting, committed and paid."""

    budget: Decimal = ZERO
    waiting: Decimal = ZERO  # asked for, not yet approved (not counted against the budget)
    committed: Decimal = ZERO  # approved or paid
    paid: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed

    @property
    def approved_unpaid(self) -> Decimal:
        return self.committed - self.paid

    @property
    def used_percent(self) -> int:
        """How much of the budget is committed, in whole percent (for a progress bar)."""
        if self.budget <= 0:
            return 100 if self.committed else 0
        return min(100, int(self.committed * 100 / self.budget))


@dataclass
class CategoryFigures(Figures):
    category: str = ""

    @property
    def label(self) -> str:
        return str(Category(self.category).label)


@dataclass
class FundFigures:
    rows: list[CategoryFigures]
    total: Figures = field(default_factory=Figures)


def _sums():
    return {
        "waiting": Sum("amount", filter=Q(status__in=[Status.WAITING, Status.SECOND_APPROVAL]), default=ZERO),
        "committed": Sum("amount", filter=Q(status__in=AssistanceRequest.COMMITTED), default=ZERO),
        "paid": Sum("amount", filter=Q(status=Status.PAID), default=ZERO),
    }


def category_figures(fund: Fund) -> FundFigures:
    """Each allowed category's figures (in the order of ``Category``), and the fund's total (two queries)."""
    rows = {
        budget.category: CategoryFigures(category=budget.category, budget=budget.amount)
        for budget in FundBudget.objects.filter(fund=fund)
    }
    sums = fund.requests.values("category").annotate(**_sums()).order_by()
    for found in sums:
        if found["category"] not in rows and not (found["waiting"] or found["committed"]):
            continue  # a category no longer allowed, with only denied or cancelled requests
        row = rows.setdefault(found["category"], CategoryFigures(category=found["category"]))
        row.waiting, row.committed, row.paid = found["waiting"], found["committed"], found["paid"]
    ordered = [rows[c] for c in Category.values if c in rows]
    total = Figures(budget=fund.total)
    for row in ordered:
        total.waiting += row.waiting
        total.committed += row.committed
        total.paid += row.paid
    return FundFigures(rows=ordered, total=total)


def committed(fund: Fund, category: str | None = None) -> Decimal:
    """What is committed against ``fund`` (one category, or all): read under the fund's lock."""
    requests = fund.requests.filter(status__in=AssistanceRequest.COMMITTED)
    if category is not None:
        requests = requests.filter(category=category)
    return requests.aggregate(total=Sum("amount", default=ZERO))["total"]


def funds_with_figures(funds: QuerySet[Fund]) -> list[tuple[Fund, Figures]]:
    """Each fund with its totals (two queries however many funds and requests)."""
    funds = list(funds)
    sums = {
        row["fund"]: row
        for row in AssistanceRequest.objects.filter(fund__in=[f.pk for f in funds])
        .values("fund")
        .annotate(**_sums())
        .order_by()
    }
    result = []
    for fund in funds:
        found = sums.get(fund.pk, {})
        result.append(
            (
                fund,
                Figures(
                    budget=fund.total,
                    waiting=found.get("waiting", ZERO),
                    committed=found.get("committed", ZERO),
                    paid=found.get("paid", ZERO),
                ),
            )
        )
    return result


@dataclass(frozen=True)
class MonthSpending:
    month: date
    by_category: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.by_category.values(), ZERO)

    @property
    def labelled(self) -> list[tuple[str, Decimal]]:
        """(category label, amount) in the order of ``Category``."""
        return [(str(label), self.by_category[value]) for value, label in Category.choices if value in self.by_category]


def spending_by_month(fund: Fund) -> list[MonthSpending]:
    """What the fund paid each month, by category, oldest first (one query).

    A month is the payment's date; months with no payment between the first and the last
    are shown as zero, so the chart's time runs evenly.
    """
    rows = (
        Payment.objects.filter(request__fund=fund)
        .annotate(month=TruncMonth("paid_on"))
        .values("month", "request__category")
        .annotate(paid=Sum("request__amount"))
        .order_by("month")
    )
    months: dict[date, dict[str, Decimal]] = {}
    for row in rows:
        month = row["month"]
        month = month.date() if hasattr(month, "date") else month
        months.setdefault(month, {})[row["request__category"]] = row["paid"]
    if not months:
        return []
    first, last = min(months), max(months)
    result, month = [], first
    while month <= last:
        result.append(MonthSpending(month=month, by_category=months.get(month, {})))
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return result


@dataclass(frozen=True)
class NecessityLine:
    kind: str
    label: str
    items: int  # how many times it was given
    quantity: int
    value: Decimal
    survivors: int


def basic_necessities(start: date, end: date) -> list[NecessityLine]:
    """Help given in kind between ``start`` and ``end`` (inclusive), by kind: aggregate only (one query)."""
    rows = (
        InKindItem.objects.filter(given_on__gte=start, given_on__lte=end)
        .values("kind")
        .annotate(
            items=Count("pk"),
            quantity=Sum("quantity"),
            value=Sum("value"),
            survivors=Count("case__survivor", distinct=True),
        )
        .order_by()
    )
    found = {row["kind"]: row for row in rows}
    return [
        NecessityLine(
            kind=kind,
            label=str(label),
            items=found[kind]["items"],
            quantity=found[kind]["quantity"],
            value=found[kind]["value"],
            survivors=found[kind]["survivors"],
        )
        for kind, label in InKindItem.Kind.choices
        if kind in found
    ]


def cases_under(fund: Fund) -> QuerySet:
    """The ids of the cases served under ``fund``'s award, as a queryset to filter by (``case__in=``).

    Ids only, and not scoped to a reader: for the funder reports, which count every case the
    program serves through an aggregate-only selector and show no case. Never use it to list
    or open cases; a page that shows cases starts from ``cases.permissions.visible_cases``.
    """
    return CaseAward.objects.filter(fund=fund).values_list("case_id", flat=True)


# What the accountant's CSV says in place of the client code of a survivor kept out of the reader's sight.
RESTRICTED_CODE = "restricted"


def payment_rows(user: User, fund: Fund, *, start: date, end: date) -> Iterator[tuple]:
    """The accountant's rows: ``fund``'s payments from ``start`` to ``end`` (inclusive) that ``user``
    may see, oldest first, with the client code (never a name) unless a restriction hides it.

    Each row: paid on, request, client code, fund, award number, category, amount, payee type,
    payee, method, reference, whether there is a receipt, who approved (twice) and who paid.
    """
    visible = access.visible_requests(user).filter(fund=fund)
    payments = (
        Payment.objects.filter(request__in=visible.values("pk"), paid_on__gte=start, paid_on__lte=end)
        .select_related("request__case__survivor", "request__approved_by", "request__second_approved_by", "paid_by")
        .order_by("paid_on", "pk")
    )
    hidden = set(visible.filter(code_hidden=True).values_list("pk", flat=True))
    for payment in payments.iterator(chunk_size=2000):
        asked = payment.request
        yield (
            payment.paid_on.isoformat(), asked.number,
            RESTRICTED_CODE if asked.pk in hidden else asked.case.survivor.client_code,
            fund.name, fund.award_number, asked.category, f"{asked.amount:.2f}", asked.payee_kind,
            asked.payee_name, payment.method, payment.reference, "yes" if payment.receipt_id else "no",
            _name(asked.approved_by), _name(asked.second_approved_by), _name(payment.paid_by),
        )  # fmt: skip


def _name(user: User | None) -> str:
    return user.full_name if user else ""
