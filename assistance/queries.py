"""What the assistance pages read: a fund's figures, its spending by month, help given in kind.

Committed, paid and remaining are summed from the requests in the database every time, so
they are always current; each function is a fixed number of queries however many requests
there are.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connections
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from assistance import access
from assistance.models import AssistanceRequest, CaseAward, Category, Fund, FundBudget, InKindItem, Payment
from bloom.accounts.models import User
from bloom.forms import years_after
from cases import permissions

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


def queue_order(requests: QuerySet, *, tabs: dict[str, tuple], shown: Q) -> tuple[dict[str, int], list[int]]:
    """How many of ``requests`` are in each of ``tabs`` (name: statuses), and the ids of those
    ``shown``, the soonest needed first (one query). For the few hundred of a caseload: every id
    shown is listed, not a page of them.
    """
    counts = {name: Count("status", filter=Q(status__in=statuses)) for name, statuses in tabs.items()}
    if connections[requests.db].vendor != "postgresql":
        # SQLite (the demo) has no ordered ARRAY_AGG: the ids are a second query there.
        order = list(requests.filter(shown).order_by("needed_by", "pk").values_list("pk", flat=True))
        return requests.aggregate(**counts), order
    found = requests.aggregate(**counts, order=ArrayAgg("pk", filter=shown, order_by=("needed_by", "pk"), default=[]))
    order = found.pop("order")
    return found, order


# Deciding on a request --------------------------------------------------------------------------
# What the person who approves or pays a request sees beside the buttons: the room in its fund,
# and what its survivor has received lately. Figures only: the approval's own check, under the
# fund's lock, is what refuses a request there is no room for (``services.requests``).

WAITING = (Status.WAITING, Status.SECOND_APPROVAL)


@dataclass(frozen=True)
class Room:
    """A request's fund, in its category and as a whole, as the one deciding on it sees them.

    ``category`` is ``None`` when the fund has no budget line for the request's category.
    ``counted`` is whether the request is committed already (approved, waiting for payment),
    so that what remains has it taken off; otherwise ``*_after`` take it off.
    ``others_waiting``: asked for in the category by other requests, not yet approved.
    """

    amount: Decimal
    category: Figures | None
    fund: Figures
    counted: bool
    others_waiting: Decimal = ZERO

    @property
    def after(self) -> Decimal | None:
        """What the category would have left once this request is committed."""
        if self.category is None:
            return None
        return self.category.remaining if self.counted else self.category.remaining - self.amount

    @property
    def fund_after(self) -> Decimal:
        return self.fund.remaining if self.counted else self.fund.remaining - self.amount

    @property
    def short_in_category(self) -> Decimal:
        """How much more the request is than what its category has left (zero when it fits)."""
        return max(ZERO, -self.after) if self.after is not None else ZERO

    @property
    def short_in_fund(self) -> Decimal:
        return max(ZERO, -self.fund_after)


def room_for(asked: AssistanceRequest) -> Room:
    """The room in ``asked``'s fund for it, now (two queries). Without a lock: what the approver reads."""
    budget = FundBudget.objects.filter(fund_id=asked.fund_id, category=asked.category).first()
    here = Q(category=asked.category)
    sums = AssistanceRequest.objects.filter(fund_id=asked.fund_id).aggregate(
        waiting=Sum("amount", filter=here & Q(status__in=WAITING) & ~Q(pk=asked.pk), default=ZERO),
        committed=Sum("amount", filter=here & Q(status__in=AssistanceRequest.COMMITTED), default=ZERO),
        paid=Sum("amount", filter=here & Q(status=Status.PAID), default=ZERO),
        fund_committed=Sum("amount", filter=Q(status__in=AssistanceRequest.COMMITTED), default=ZERO),
        fund_paid=Sum("amount", filter=Q(status=Status.PAID), default=ZERO),
    )
    category = None
    if budget is not None:
        category = Figures(budget=budget.amount, committed=sums["committed"], paid=sums["paid"])
    return Room(
        amount=asked.amount,
        category=category,
        fund=Figures(budget=asked.fund.total, committed=sums["fund_committed"], paid=sums["fund_paid"]),
        counted=asked.status in AssistanceRequest.COMMITTED,
        others_waiting=sums["waiting"],
    )


@dataclass(frozen=True)
class ReceivedLine:
    label: str
    times: int  # payments made, or times help was given
    amount: Decimal  # paid, or the estimated value of what was given
    quantity: int = 0  # help in kind only


@dataclass(frozen=True)
class Received:
    """What one survivor received from ``start`` to ``end`` (both included), as one reader may see it.

    ``in_kind`` is ``None`` when the reader sees none of the survivor's cases (finance): help in
    kind is recorded on a case and seen with it.
    """

    start: date
    end: date
    paid: list[ReceivedLine]
    in_kind: list[ReceivedLine] | None

    @property
    def paid_total(self) -> Decimal:
        return sum((line.amount for line in self.paid), ZERO)

    @property
    def in_kind_total(self) -> Decimal:
        return sum((line.amount for line in self.in_kind or ()), ZERO)


def year_to(today: date) -> date:
    """The first day of the twelve months that end with ``today`` (29 February: from 2 March)."""
    return years_after(today, -1) + timedelta(days=1)


def received_by(user: User, asked: AssistanceRequest, *, today: date, in_kind: bool) -> Received | None:
    """What ``asked``'s survivor was paid in the twelve months to ``today``, by category, and given in
    kind, by kind, across all their cases and requests ``user`` may see (one query each).

    Paid is by the payment's date, whatever the fund; a request approved and not yet paid is not
    received. Help in kind is read only when ``in_kind`` (the reader sees the case). ``None`` (no
    query) when a restriction hides who the request is for from ``user``: their history would
    tie together what the restriction keeps apart.
    """
    if asked.code_hidden:
        return None
    survivor_id = asked.case.survivor_id
    start = year_to(today)
    payments = (
        access.visible_requests(user)
        .filter(case__survivor_id=survivor_id, status=Status.PAID, payment__paid_on__range=(start, today))
        .values("category")
        .annotate(times=Count("pk"), amount=Sum("amount"))
        .order_by()
    )
    paid = {row["category"]: row for row in payments}
    given = None
    if in_kind:
        cases = permissions.visible_cases(user).filter(survivor_id=survivor_id).values("pk")
        items = (
            InKindItem.objects.filter(case__in=cases, given_on__range=(start, today))
            .values("kind")
            .annotate(times=Count("pk"), quantity=Sum("quantity"), amount=Sum("value"))
            .order_by()
        )
        found = {row["kind"]: row for row in items}
        given = [
            ReceivedLine(str(label), found[kind]["times"], found[kind]["amount"], found[kind]["quantity"])
            for kind, label in InKindItem.Kind.choices
            if kind in found
        ]
    return Received(
        start=start,
        end=today,
        paid=[
            ReceivedLine(str(label), paid[value]["times"], paid[value]["amount"])
            for value, label in Category.choices
            if value in paid
        ],
        in_kind=given,
    )
