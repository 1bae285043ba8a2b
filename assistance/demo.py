"""The demo's money and housing: two made-up funds, and for some cases requests, help in kind and stays.

Everything goes through ``assistance.services`` (history, the approval rules, the fund's
lock), as the people of the demo would do it: the specialist asks, the team's supervisor
approves, finance gives the second approval and pays. Only the dates are moved back
afterwards, so the fund's chart has months to show.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from assistance.models import AssistanceRequest, Category, Fund, HousingPlacement, InKindItem, Payment
from assistance.services import help as help_services
from assistance.services import housing as housing_services
from assistance.services import requests as request_services
from assistance.services.common import SERVED, AssistanceError
from assistance.services.funds import FundDetails, create_fund
from bloom.accounts.models import User
from bloom.directory.models import Organization
from cases.demo import DEMO_DOMAIN
from cases.models import Case

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
