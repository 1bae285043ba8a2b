"""The demo's money and housing: two made-up funds, and for some cases requests, help in kind and stays.

Everything goes through ``assistance.services`` (history, the approval rules, the fund's
lock), as the people of the demo would do it: the specialist asks, the team's supervisor
approves, finance gives the second approval and pays. Only the dates are moved back
afterwards, so the fund's chart has months to show.

``seed_scale_requests`` is the other way in, for ``make bench``: tens of thousands of made-up
requests and payments loaded in bulk, without the services (and so without history).
"""

import csv
import io
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from assistance.models import AssistanceRequest, Category, Fund, HousingPlacement, InKindItem, Payment
from assistance.services import help as help_services
from assistance.services import housing as housing_services
from assistance.services import requests as request_services
from assistance.services.common import SERVED, AssistanceError
from assistance.services.funds import FundDetails, create_fund
from bloom.accounts.models import Role, Team, User
from bloom.directory.models import Organization
from cases.demo import DEMO_DOMAIN
from cases.models import Case, CaseAssignment

FEDERAL_AWARD = "2025-VT-BX-0042"
LOCAL_AWARD = "HCF-2026-17"
# (category, purpose, payee kind, payee, lowest, highest)
NEEDS = [
    (Category.RENT, "First month's rent and deposit", "landlord", "Park Street Apartments LLC", 600, 1400),
    (Category.RENT, "Rent for this month", "landlord", "J. Moreno Properties", 450, 950),
    (Category.UTILITIES, "Electric bill to keep the power on", "utility", "Eversource", 80, 320),
    (Category.MEDICAL, "Dental visit not covered by insurance", "vendor", "Hartford Family Dental", 120, 480),
    (Category.TRANSPORTATION, "Monthly bus pass", "vendor", "CTtransit", 60, 60),
    (Category.FOOD, "Groceries for two weeks", "survivor", "", 75, 150),
    (Category.EDUCATION, "ESL course fee", "school", "Capital Community College", 150, 400),
    (Category.JOB_TRAINING, "Certified nursing assistant course", "school", "Goodwin University", 350, 900),
    (Category.CLOTHING, "Work clothes and shoes", "vendor", "Burlington", 60, 180),
]


def demo_funds(director: User) -> list[Fund]:
    """The demo's funds, made once: a federal award and a local foundation's grant."""
    funds = list(Fund.objects.filter(award_number__in=[FEDERAL_AWARD, LOCAL_AWARD]).order_by("pk"))
    if funds:
        return funds
    today = timezone.localdate()
    federal = create_fund(
        by=director,
        details=FundDetails(
            name="Services for Victims of Human Trafficking",
            funder="U.S. Department of Justice, Office for Victims of Crime",
            award_number=FEDERAL_AWARD,
            starts_on=date(today.year - 1, 10, 1),
            ends_on=date(today.year + 1, 9, 30),
            total=Decimal("900000.00"),
            note="Made up for the demo.",
        ),
        budgets={
            Category.RENT: Decimal("300000"),
            Category.SHELTER: Decimal("150000"),
            Category.UTILITIES: Decimal("60000"),
            Category.FOOD: Decimal("80000"),
            Category.CLOTHING: Decimal("30000"),
            Category.MEDICAL: Decimal("80000"),
            Category.TRANSPORTATION: Decimal("60000"),
            Category.EDUCATION: Decimal("50000"),
            Category.JOB_TRAINING: Decimal("60000"),
            Category.OTHER: Decimal("30000"),
        },
    )
    local = create_fund(
        by=director,
        details=FundDetails(
            name="Survivor Emergency Fund",
            funder="Greater Hartford Community Foundation",
            award_number=LOCAL_AWARD,
            starts_on=date(today.year, 1, 1),
            ends_on=date(today.year, 12, 31),
            total=Decimal("40000.00"),
            note="Made up for the demo.",
        ),
        budgets={
            Category.FOOD: Decimal("10000"),
            Category.CLOTHING: Decimal("5000"),
            Category.TRANSPORTATION: Decimal("10000"),
            Category.OTHER: Decimal("15000"),
        },
    )
    return [federal, local]


def demo_assistance(rng: random.Random, case: Case, specialist: User, until: date) -> None:
    """Some money, help and housing for a case being served (one in two, about)."""
    case.refresh_from_db()
    if case.status not in SERVED or rng.random() < 0.45:
        return
    director = User.objects.get(email=f"director@{DEMO_DOMAIN}")
    finance = User.objects.get(email=f"finance@{DEMO_DOMAIN}")
    supervisor = case.team.supervisors.order_by("email").first() or director
    funds = demo_funds(director)
    today = timezone.localdate()
    try:
        for _ in range(rng.randint(1, 3)):
            _demo_request(rng, case, (specialist, supervisor, finance), funds, today)
        for _ in range(rng.randint(0, 2)):
            _demo_item(rng, case, specialist, today)
        if rng.random() < 0.6:
            _demo_stays(rng, case, specialist, today)
    except (AssistanceError, PermissionDenied):
        return  # a restricted or unusual demo case: leave it as it is


def _demo_request(rng, case, people, funds, today) -> None:
    specialist, supervisor, finance = people
    category, purpose, payee_kind, payee, low, high = rng.choice(NEEDS)
    fund = next((f for f in funds if f.budgets.filter(category=category).exists() and f.ends_on >= today), funds[0])
    amount = Decimal(rng.randint(low, high))
    asked_on = max(case.opened_on, fund.starts_on, today - timedelta(days=rng.randint(0, 300)))
    asked = request_services.ask(
        case,
        by=specialist,
        details=request_services.RequestDetails(
            fund=fund,
            category=category,
            amount=amount,
            payee_kind=payee_kind,
            payee_name=payee,
            payee_details="Invoice attached to the paper file." if payee_kind != "survivor" else "",
            purpose=purpose,
            needed_by=min(fund.ends_on, max(today, asked_on + timedelta(days=rng.randint(3, 14)))),
        ),
    )
    AssistanceRequest.objects.filter(pk=asked.pk).update(
        requested_at=timezone.make_aware(datetime.combine(asked_on, time(10)))
    )
    chance = rng.random()
    if chance < 0.15:
        return  # waiting in the supervisor's queue
    if chance < 0.2:
        request_services.deny(asked, by=supervisor, reason="Another program covers this; referred there.")
        return
    request_services.approve(asked, by=supervisor)
    asked.refresh_from_db()
    if asked.status == AssistanceRequest.Status.SECOND_APPROVAL:
        if chance < 0.3:
            return  # waiting for finance's approval
        request_services.approve(asked, by=finance)
    if chance < 0.4:
        return  # approved, waiting for payment
    method = {"survivor": Payment.Method.GIFT_CARD, "utility": Payment.Method.DIRECT}.get(
        payee_kind, Payment.Method.CHECK
    )
    if category == Category.TRANSPORTATION:
        method = Payment.Method.BUS_PASS
    payment = request_services.pay(
        asked,
        by=finance,
        details=request_services.PaymentDetails(method=method, reference=f"{rng.randint(10000, 99999)}", paid_on=today),
    )
    Payment.objects.filter(pk=payment.pk).update(paid_on=min(today, asked_on + timedelta(days=rng.randint(1, 10))))


def _demo_item(rng, case, specialist, today) -> None:
    kind, value = rng.choice(
        [
            (InKindItem.Kind.HYGIENE_KIT, Decimal("25.00")),
            (InKindItem.Kind.FOOD, Decimal("40.00")),
            (InKindItem.Kind.CLOTHING, Decimal("35.00")),
            (InKindItem.Kind.BUS_PASS, Decimal("60.00")),
        ]
    )
    quantity = rng.randint(1, 3)
    help_services.give(
        case,
        by=specialist,
        details=help_services.ItemDetails(
            kind=kind,
            description="",
            quantity=quantity,
            value=value * quantity,
            given_on=max(case.opened_on, today - timedelta(days=rng.randint(0, 200))),
        ),
    )


def _demo_stays(rng, case, specialist, today) -> None:
    shelter = Organization.objects.filter(housing_program=Organization.HousingProgram.EMERGENCY).first()
    transitional = Organization.objects.filter(housing_program=Organization.HousingProgram.TRANSITIONAL).first()
    start = max(case.opened_on, today - timedelta(days=rng.randint(20, 300)))
    housing_services.place(
        case,
        by=specialist,
        details=housing_services.StayDetails(
            kind=HousingPlacement.Kind.EMERGENCY,
            long_term="",
            provider=shelter,
            provider_name="" if shelter else "Harbor House",
            started_on=start,
            expected_end=housing_services.limit_of(HousingPlacement.Kind.EMERGENCY, start),
        ),
    )
    moved = start + timedelta(days=rng.randint(20, 55))
    if moved < today and rng.random() < 0.7:
        housing_services.place(
            case,
            by=specialist,
            details=housing_services.StayDetails(
                kind=HousingPlacement.Kind.TRANSITIONAL,
                long_term="",
                provider=transitional,
                provider_name="" if transitional else "New Leaf",
                started_on=moved,
                expected_end=housing_services.add_months(moved, 6),
            ),
        )


# Scale data ------------------------------------------------------------------------------

Status = AssistanceRequest.Status
# How requests end up, in relative weights: most are paid, some wait at each step, a few are
# denied or cancelled. Both queues stay busy at every size.
SCALE_STATUSES = {
    Status.WAITING: 6,
    Status.SECOND_APPROVAL: 3,
    Status.APPROVED: 8,
    Status.PAID: 68,
    Status.DENIED: 9,
    Status.CANCELLED: 6,
}
# Requests still open were made recently; the rest over the fund's period up to today.
SCALE_OPEN_WITHIN_DAYS = 45
SCALE_BATCH = 10_000
DENIALS = [
    "Another program covers this; referred there.",
    "The invoice does not match the request; ask again with the right one.",
    "Paid last month already.",
]
CANCELLATIONS = ["No longer needed.", "The landlord agreed to wait.", "Asked twice by mistake."]
REQUEST_COLUMNS = [
    "id", "case", "fund", "category", "amount", "payee_kind", "payee_name", "payee_details", "purpose",
    "needed_by", "status", "requested_by", "requested_at", "approved_by", "approved_at", "second_approved_by",
    "second_approved_at", "closed_by", "closed_at", "close_reason",
]  # fmt: skip
PAYMENT_COLUMNS = ["request", "method", "reference", "paid_on", "receipt", "paid_by", "recorded_at"]


def seed_scale_requests(total: int, *, seed: int = 11) -> int:
    """Grow the assistance requests to ``total`` in all, in bulk; returns how many were added.

    Spread over the cases being served and the demo's funds (made if missing), in every
    status the model knows, each with the people its constraints ask for: the requester is
    one of the case's specialists (or its team's supervisor), the first approver a supervisor
    of its team (or the director), never the requester; the second approval, above the
    threshold, finance's or the director's. A paid request has its ``Payment``, dated within
    the fund's period up to today, so the fund's chart has its months.

    Scale data: the rows go in with COPY and skip history (and notifications) on purpose,
    like the access log of ``cases.demo.seed_access_log``: the benchmark reads the current
    rows, and the ORM would stamp ``requested_at`` with the time of the insert. PostgreSQL only.
    """
    if connection.vendor != "postgresql":
        raise RuntimeError("Assistance scale data needs PostgreSQL: it is loaded with COPY.")
    have = AssistanceRequest.objects.count()
    more = max(0, total - have)
    if not more:
        return 0
    rng = random.Random(seed * 1_000_003 + have)  # noqa: S311 (made-up demo data, not secrets)
    people = _ScalePeople.load()
    funds = scale_funds(people.director)
    budgets = {fund.pk: set(fund.budgets.values_list("category", flat=True)) for fund in funds}
    # Cases someone other than the director can ask for (a specialist, or the team's supervisor).
    cases = [
        case
        for case in Case.objects.filter(status__in=SERVED).order_by("pk").values_list("pk", "opened_on", "team_id")
        if case[0] in people.specialists or case[2] in people.supervisors
    ]
    if not cases:
        raise RuntimeError("There are no cases being served to ask for money for; seed the demo first.")
    written = 0
    while written < more:
        size = min(SCALE_BATCH, more - written)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [AssistanceRequest._meta.db_table, size],
            )
            requests, payments = [], []
            for (pk,) in cursor.fetchall():
                row, payment = _scale_request(rng, pk, rng.choice(cases), funds=funds, budgets=budgets, people=people)
                requests.append(row)
                if payment:
                    payments.append(payment)
            _copy(cursor, AssistanceRequest, REQUEST_COLUMNS, requests)
            _copy(cursor, Payment, PAYMENT_COLUMNS, payments)
        written += size
    return written


# The scale data's funds: a federal award each fiscal year and a state grant each calendar year,
# as a program that has run for years holds them, each sized so its share of the made-up
# requests fits its budgets (``SCALE_BUDGETS`` times the funder's share).
SCALE_YEARS = 4
SCALE_BUDGETS = {
    Category.RENT: Decimal("20000000"),
    Category.JOB_TRAINING: Decimal("8000000"),
    Category.EDUCATION: Decimal("4000000"),
    Category.MEDICAL: Decimal("4000000"),
    Category.UTILITIES: Decimal("3000000"),
    Category.FOOD: Decimal("2000000"),
    Category.CLOTHING: Decimal("2000000"),
    Category.TRANSPORTATION: Decimal("2000000"),
    Category.SHELTER: Decimal("1000000"),
    Category.OTHER: Decimal("1000000"),
}
SCALE_FUNDERS = [
    # (award number prefix, name, funder, share of SCALE_BUDGETS, first month of its year)
    (
        "SCALE-VT",
        "Services for Victims of Human Trafficking",
        "U.S. Department of Justice, Office for Victims of Crime",
        "0.15",
        10,
    ),
    ("SCALE-ST", "State Survivor Services", "State Office of Victim Services", "0.10", 1),
]


def scale_funds(director: User) -> list[Fund]:
    """The funds the scale data asks: for each of the last ``SCALE_YEARS`` years, one award per funder."""
    today = timezone.localdate()
    funds = []
    for prefix, name, funder, share, first_month in SCALE_FUNDERS:
        for year in range(today.year - SCALE_YEARS + 1, today.year + 2):
            starts = date(year - (1 if first_month > 1 else 0), first_month, 1)
            ends = date(starts.year + 1, first_month, 1) - timedelta(days=1)
            if starts > today:
                continue  # a year not begun
            award = f"{prefix}-{ends.year}"
            fund = Fund.objects.filter(award_number=award).first()
            if fund is None:
                budgets = {
                    category: (amount * Decimal(share)).quantize(Decimal("1"))
                    for category, amount in SCALE_BUDGETS.items()
                }
                fund = create_fund(
                    by=director,
                    details=FundDetails(
                        name=f"{name} {ends.year}",
                        funder=funder,
                        award_number=award,
                        starts_on=starts,
                        ends_on=ends,
                        total=sum(budgets.values()),
                        note="Made up for the benchmark's scale data.",
                    ),
                    budgets=budgets,
                )
            funds.append(fund)
    return funds


class _ScalePeople:
    """Who asks, approves and pays on the made-up requests: user ids by case and by team."""

    def __init__(self, director: User):
        self.director = director
        self.finance = list(
            User.objects.filter(groups__name=Role.FINANCE, is_active=True).order_by("pk").values_list("pk", flat=True)
        )
        self.specialists: dict[int, list[int]] = {}
        for case_id, user_id in CaseAssignment.objects.order_by("pk").values_list("case_id", "specialist_id"):
            self.specialists.setdefault(case_id, []).append(user_id)
        self.supervisors: dict[int, list[int]] = {}
        for team_id, user_id in Team.supervisors.through.objects.order_by("pk").values_list("team_id", "user_id"):
            self.supervisors.setdefault(team_id, []).append(user_id)

    @classmethod
    def load(cls) -> "_ScalePeople":
        director = (
            User.objects.filter(email=f"director@{DEMO_DOMAIN}").first()
            or User.objects.filter(groups__name=Role.PROGRAM_DIRECTOR, is_active=True).order_by("pk").first()
        )
        if director is None:
            raise RuntimeError("Assistance scale data needs a program director; seed the demo first.")
        return cls(director)


def _scale_fund(rng, opened_on, funds, budgets, *, second: bool):
    """A need and a fund that pays for it, open on a day between the case's opening and today."""
    above = settings.BLOOM_SECOND_APPROVAL_ABOVE
    # A second approval is only ever waited for above the threshold.
    needs = [need for need in NEEDS if need[5] > above] if second else NEEDS
    today = timezone.localdate()
    for _ in range(50):
        need = rng.choice(needs)
        allowed = [
            f for f in funds if need[0] in budgets[f.pk] and max(opened_on, f.starts_on) <= min(today, f.ends_on)
        ]
        if allowed:
            return need, rng.choice(allowed)
    raise RuntimeError("No demo fund is open for the made-up requests; its period has ended.")


def _scale_request(rng, pk, case, *, funds, budgets, people):
    """One request's row in ``REQUEST_COLUMNS`` order, and its payment's in ``PAYMENT_COLUMNS`` (or ``None``)."""
    case_id, opened_on, team_id = case
    above = settings.BLOOM_SECOND_APPROVAL_ABOVE
    status = rng.choices(list(SCALE_STATUSES), weights=list(SCALE_STATUSES.values()))[0]
    second = status == Status.SECOND_APPROVAL
    (category, purpose, payee_kind, payee, low, high), fund = _scale_fund(rng, opened_on, funds, budgets, second=second)
    amount = Decimal(rng.randint(max(low, int(above) + 1) * 100 if second else low * 100, high * 100)).scaleb(-2)
    big = amount > above
    today, now = timezone.localdate(), timezone.now()
    start, last = max(opened_on, fund.starts_on), min(today, fund.ends_on)
    if status in AssistanceRequest.OPEN:
        asked_on = max(start, last - timedelta(days=rng.randint(0, SCALE_OPEN_WITHIN_DAYS)))
    else:
        asked_on = start + timedelta(days=int(rng.random() * ((last - start).days + 1)))
    asked_at = min(_at(asked_on, rng), now - timedelta(minutes=30))
    needed_by = min(fund.ends_on, asked_on + timedelta(days=rng.randint(3, 14)))
    paid_on = min(last, asked_on + timedelta(days=rng.randint(1, 20)))
    # When the last step was taken: the payment or the decision; still open, it is now.
    end = now if status in AssistanceRequest.OPEN else min(now, max(asked_at + timedelta(hours=1), _at(paid_on, rng)))

    def between(low_share, high_share):
        return asked_at + (end - asked_at) * rng.uniform(low_share, high_share)

    requester = rng.choice(people.specialists.get(case_id) or people.supervisors[team_id])
    first = rng.choice([pk for pk in people.supervisors.get(team_id, []) if pk != requester] or [people.director.pk])
    seconds = [pk for pk in [*people.finance, *people.finance, people.director.pk] if pk not in (requester, first)]
    payers = [pk for pk in people.finance if pk != requester] or [people.director.pk]

    approved = status in (Status.SECOND_APPROVAL, Status.APPROVED, Status.PAID)
    if status == Status.DENIED:  # most at the first step; above the threshold, some at the second
        approved = big and bool(seconds) and rng.random() < 0.3
    elif status == Status.CANCELLED:  # most before any approval; some approved, then cancelled by finance
        approved = rng.random() < 0.3
    approved_by = approved_at = second_by = second_at = closed_by = closed_at = None
    reason, payment = "", None
    if approved:
        approved_by, approved_at = first, between(0.05, 0.4)
        if big and seconds and status in (Status.APPROVED, Status.PAID, Status.CANCELLED):
            second_by, second_at = rng.choice(seconds), between(0.45, 0.8)
    if status == Status.DENIED:
        closed_by = rng.choice(seconds) if approved else first
        closed_at, reason = between(0.85, 1.0), rng.choice(DENIALS)
    elif status == Status.CANCELLED:
        closed_by = rng.choice(payers) if approved else requester
        closed_at, reason = between(0.85, 1.0), rng.choice(CANCELLATIONS)
    elif status == Status.PAID:
        method = {"survivor": Payment.Method.GIFT_CARD, "utility": Payment.Method.DIRECT}.get(
            payee_kind, Payment.Method.CHECK
        )
        if category == Category.TRANSPORTATION:
            method = Payment.Method.BUS_PASS
        payment = [
            pk, str(method), f"{rng.randint(10000, 99999)}", paid_on.isoformat(), None, rng.choice(payers),
            max(end, (second_at or approved_at) + timedelta(minutes=5)).isoformat(),
        ]  # fmt: skip
    details = "" if payee_kind == AssistanceRequest.Payee.SURVIVOR else "Invoice attached to the paper file."
    row = [
        pk, case_id, fund.pk, str(category), amount, payee_kind, payee, details, purpose, needed_by.isoformat(),
        str(status), requester, asked_at.isoformat(), approved_by, _iso(approved_at), second_by, _iso(second_at),
        closed_by, _iso(closed_at), reason,
    ]  # fmt: skip
    return row, payment


def _at(day_: date, rng: random.Random) -> datetime:
    """A moment in working hours on ``day_``, in the program's time zone."""
    zone = timezone.get_current_timezone()
    return datetime.combine(day_, time(9), tzinfo=zone) + timedelta(seconds=int(rng.random() * 8 * 3600))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _copy(cursor, model, fields: list[str], rows: list[list]) -> None:
    """COPY ``rows`` (values in ``fields`` order) into ``model``'s table; ``None`` is NULL."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    buffer = io.StringIO()
    # Every value quoted but None: in CSV, PostgreSQL reads an unquoted empty value as NULL.
    csv.writer(buffer, quoting=csv.QUOTE_NOTNULL).writerows(rows)
    buffer.seek(0)
    cursor.copy_expert(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN WITH (FORMAT csv)", buffer)
