"""Hostile input to every page of assistance: requests for money and their approval, denial,
cancelling, payment and receipts; help in kind; housing stays; the awards a case is served under;
funds and their budgets; and the periods read for help in kind and the accountant's export.

Each ``Target`` says how its view builds the form and what the view does with a post; the
harness gives every field every hostile value of its kind, then posts a few through HTTP.
What must hold of the stored records afterwards is ``assert_assistance_consistent``.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models import Exists, F, OuterRef, Q, Sum
from django.test import Client
from django.utils import timezone

from assistance import queries
from assistance.forms import (
    CaseAwardForm,
    CaseAwardRemoveForm,
    FundForm,
    HousingForm,
    InKindForm,
    PaymentForm,
    PeriodForm,
    ReasonForm,
    ReceiptForm,
    RequestForm,
    StayForm,
)
from assistance.models import AssistanceRequest, CaseAward, Fund, FundBudget, HousingPlacement, InKindItem, Payment
from assistance.services import awards as award_services
from assistance.services import funds as fund_services
from assistance.services import help as help_services
from assistance.services import housing as housing_services
from assistance.services import requests as request_services
from assistance.services.common import AssistanceError
from cases import uploads
from cases.models import Case
from tests.cases.sharing_files import pdf_bytes
from tests.factories import ask_money, give_kit, make_case, make_fund, pay_money, shelter_stay
from tests.hostile.corpus import Upload
from tests.hostile.harness import Target, assert_no_live_markup, attack, every_row_has_history, post_through_http, saved
from tests.objects import Objects

Status = AssistanceRequest.Status


def today():
    return timezone.localdate()


# Fresh records, for pages that use one up ---------------------------------------------------------

HOSTILE_FUND = "HOSTILE-FUND"


def big_fund_of(o: Objects) -> Fund:
    """A fund large enough never to run out, however many requests the attack approves (made on first use)."""
    existing = Fund.objects.filter(award_number=HOSTILE_FUND).first()
    return existing or make_fund(
        o.world.director, award_number=HOSTILE_FUND, total="9000000.00", budgets={"rent": "9000000.00"}
    )


def waiting_of(o: Objects) -> AssistanceRequest:
    """A request on case A asked by its specialist, waiting for the supervisor (asked again whenever decided)."""
    waiting = o.world.case_a.assistance_requests.filter(status=Status.WAITING, requested_by=o.world.specialist)
    return waiting.order_by("pk").first() or ask_money(
        o.world.case_a, o.world.specialist, big_fund_of(o), amount="120.00"
    )


def approved_of(o: Objects) -> AssistanceRequest:
    """A request on case A approved by the supervisor, waiting for payment (approved again whenever paid)."""
    approved = o.world.case_a.assistance_requests.filter(status=Status.APPROVED).order_by("pk").first()
    if approved:
        return approved
    asked = ask_money(o.world.case_a, o.world.specialist, big_fund_of(o), amount="120.00")
    return request_services.approve(asked, by=o.world.supervisor)


def unreceipted_of(o: Objects) -> AssistanceRequest:
    """A request on case A paid without its receipt yet (paid again whenever the last got one)."""
    paid = o.world.case_a.assistance_requests.filter(status=Status.PAID, payment__receipt__isnull=True)
    if found := paid.order_by("pk").first():
        return found
    asked = approved_of(o)
    pay_money(asked, o.world.finance)
    return asked


def item_of(o: Objects) -> InKindItem:
    """Help in kind on case A (given again whenever the last was removed)."""
    return o.world.case_a.in_kind_items.order_by("pk").first() or give_kit(o.world.case_a, o.world.specialist)


def unhoused_case_of(o: Objects) -> Case:
    """A case of the specialist's with no housing stay yet (opened whenever the last one got a stay)."""
    unhoused = Case.objects.filter(survivor__legal_name="Hana Housing", housing_placements__isnull=True)
    return unhoused.first() or make_case(
        team=o.world.team_a, specialists=[o.world.specialist], legal_name="Hana Housing"
    )


def open_stay_of(o: Objects) -> HousingPlacement:
    """Case A's open stay: an emergency shelter stay begun today (begun again whenever the last was ended)."""
    open_stay = o.world.case_a.housing_placements.filter(ended_on__isnull=True).first()
    return open_stay or shelter_stay(o.world.case_a, o.world.specialist)


def unawarded_case_of(o: Objects) -> Case:
    """A case of the specialist's under no award yet (opened whenever the last one was placed under one)."""
    unawarded = Case.objects.filter(survivor__legal_name="Ada Award", awards__isnull=True)
    return unawarded.first() or make_case(team=o.world.team_a, specialists=[o.world.specialist], legal_name="Ada Award")


def award_of(o: Objects) -> CaseAward:
    """An award case A is served under (added again whenever the last was removed)."""
    return o.world.case_a.awards.order_by("pk").first() or award_services.add_case_award(
        o.world.case_a, by=o.world.specialist, fund=o.fund
    )


def others_award_of(o: Objects) -> CaseAward:
    """An award case B is served under: one that case A's form may never name."""
    return o.world.case_b.awards.order_by("pk").first() or award_services.add_case_award(
        o.world.case_b, by=o.world.outsider, fund=o.fund
    )


def _award_remove_form(o: Objects, data, files) -> CaseAwardRemoveForm:
    others_award_of(o)  # so that "a record it may not name" is a real award, of another case
    return CaseAwardRemoveForm(data or None, case=o.world.case_a)


def _others_award_kept(o: Objects) -> None:
    """No post to case A's form removed an award of case B's."""
    removed = CaseAward.history.filter(case_id=o.world.case_b.pk, history_type="-")
    assert (o.world.case_b.awards.count(), removed.count()) == (1, 0)


def request_page(asked: AssistanceRequest | None) -> list[str]:
    return [f"/assistance/requests/{asked.pk}/"] if asked else []


def latest_closed(status: str) -> list[str]:
    return request_page(AssistanceRequest.objects.filter(status=status).order_by("-closed_at", "-pk").first())


def latest_receipt() -> list[str]:
    return request_page(
        AssistanceRequest.objects.filter(payment__receipt__isnull=False).order_by("-payment__receipt").first()
    )


def latest_paid() -> list[str]:
    return request_page(AssistanceRequest.objects.filter(status=Status.PAID).order_by("-payment__pk").first())


# Submits: what each view does with a valid post --------------------------------------------------


def _necessities(o: Objects, form) -> bool:
    if form.is_valid():
        queries.basic_necessities(form.cleaned_data["start"], form.cleaned_data["end"])
    return False


def _payments_csv(o: Objects, form) -> bool:
    if form.is_valid():
        data = form.cleaned_data
        list(queries.payment_rows(o.world.finance, o.fund, start=data["start"], end=data["end"]))
    return False


def _receipts_are_what_they_say(o: Objects) -> None:
    """Every receipt kept is what its checked type says, under a clean name, and is shown escaped."""
    for payment in Payment.objects.filter(receipt__isnull=False).select_related("receipt"):
        document = payment.receipt
        with document.file.open("rb") as file:
            kind = uploads.detect(file)
        assert kind is not None, document.original_name
        assert kind.content_type == document.content_type, document.original_name
        assert uploads.EXTENSIONS[Path(document.original_name.lower()).suffix] == kind
        assert uploads.clean_name(document.original_name) == document.original_name
    client = Client()
    client.force_login(o.world.specialist)
    case = o.world.case_a
    for shown in (case.get_absolute_url(), f"/cases/{case.pk}/history/", f"/cases/{case.pk}/timeline/"):
        page = client.get(shown)
        assert page.status_code == 200, shown
        assert_no_live_markup(page.content.decode(), shown)


# Valid posts ---------------------------------------------------------------------------------------


def valid_request(o: Objects) -> dict:
    return {
        "fund": o.fund.pk,
        "category": "rent",
        "amount": "350.00",
        "payee_kind": "landlord",
        "payee_name": "Park Street Apartments LLC",
        "payee_details": "12 Park Street, Hartford",
        "purpose": "Rent for this month",
        "needed_by": (today() + timedelta(days=7)).isoformat(),
    }


def valid_fund(award_number: str) -> dict:
    """A fund of a year either side of today, paying for rent and food within its committed requests."""
    return {
        "name": "Survivor Emergency Fund",
        "funder": "Greater Hartford Community Foundation",
        "award_number": award_number,
        "starts_on": (today() - timedelta(days=365)).isoformat(),
        "ends_on": (today() + timedelta(days=365)).isoformat(),
        "total": "10000.00",
        "budget_rent": "5000.00",
        "budget_food": "1000.00",
    }


def fresh_award_number(o: Objects) -> str:
    # An award number is used once: every new fund the attack sets up gets its own.
    return f"2026-VT-{Fund.objects.count():04d}"


def case_a(suffix: str = ""):
    return lambda o: f"/cases/{o.world.case_a.pk}/{suffix}"


TARGETS = [
    # Requests for money, from the case's assistance tab
    Target(
        "cases/<int:pk>/assistance/requests/new/",
        "specialist",
        bind=lambda o, data, files: RequestForm(data or None),
        valid=valid_request,
        submit=saved(
            lambda o, form: request_services.ask(o.world.case_a, by=o.world.specialist, details=form.details()),
            AssistanceError,
        ),
        path=case_a("assistance/requests/new/"),
        shows=lambda o: [
            f"/cases/{o.world.case_a.pk}/assistance/",
            *request_page(o.world.case_a.assistance_requests.order_by("-pk").first()),
        ],
    ),
    Target(
        "cases/<int:pk>/assistance/requests/<int:request_pk>/edit/",
        "specialist",
        bind=lambda o, data, files: RequestForm(data or None, initial=RequestForm.initial_for(o.waiting_request)),
        valid=valid_request,
        submit=saved(
            lambda o, form: request_services.change_request(
                o.waiting_request, by=o.world.specialist, details=form.details()
            ),
            AssistanceError,
        ),
        path=lambda o: f"/cases/{o.world.case_a.pk}/assistance/requests/{o.waiting_request.pk}/edit/",
        shows=lambda o: [f"/cases/{o.world.case_a.pk}/assistance/", *request_page(o.waiting_request)],
    ),
    # Deciding, cancelling and paying each use a request up: a fresh one is asked whenever the last was.
    Target(
        "assistance/requests/<int:pk>/deny/",
        "supervisor",
        bind=lambda o, data, files: ReasonForm(data or None),
        valid=lambda o: {"reason": "Another program covers this; referred there."},
        submit=saved(
            lambda o, form: request_services.deny(
                waiting_of(o), by=o.world.supervisor, reason=form.cleaned_data["reason"]
            ),
            AssistanceError,
        ),
        path=lambda o: f"/assistance/requests/{waiting_of(o).pk}/deny/",
        shows=lambda o: [*latest_closed(Status.DENIED), "/assistance/queue/approval/"],
    ),
    Target(
        "assistance/requests/<int:pk>/cancel/",
        "specialist",
        bind=lambda o, data, files: ReasonForm(data or None),
        valid=lambda o: {"reason": "The landlord agreed to wait."},
        submit=saved(
            lambda o, form: request_services.cancel(
                waiting_of(o), by=o.world.specialist, reason=form.cleaned_data["reason"]
            ),
            AssistanceError,
        ),
        path=lambda o: f"/assistance/requests/{waiting_of(o).pk}/cancel/",
        shows=lambda o: [*latest_closed(Status.CANCELLED), f"/cases/{o.world.case_a.pk}/assistance/"],
    ),
    Target(
        "assistance/requests/<int:pk>/pay/",
        "finance",
        bind=lambda o, data, files: PaymentForm(data or None, files or None),
        valid=lambda o: {"method": "check", "reference": "1001", "paid_on": today().isoformat()},
        submit=saved(
            lambda o, form: request_services.pay(
                approved_of(o), by=o.world.finance, details=form.details(), receipt=form.cleaned_data["receipt"]
            ),
            AssistanceError,
        ),
        path=lambda o: f"/assistance/requests/{approved_of(o).pk}/pay/",
        shows=lambda o: [*latest_paid(), "/assistance/queue/payment/", f"/assistance/funds/{big_fund_of(o).pk}/"],
        after=_receipts_are_what_they_say,
    ),
    Target(
        "assistance/requests/<int:pk>/receipt/add/",
        "finance",
        bind=lambda o, data, files: ReceiptForm(data or None, files or None),
        valid=lambda o: {"receipt": Upload("receipt.pdf", pdf_bytes())},
        submit=saved(
            lambda o, form: request_services.add_receipt(
                unreceipted_of(o), by=o.world.finance, upload=form.cleaned_data["receipt"]
            ),
            AssistanceError,
        ),
        path=lambda o: f"/assistance/requests/{unreceipted_of(o).pk}/receipt/add/",
        shows=lambda o: latest_receipt(),
        after=_receipts_are_what_they_say,
    ),
    # Help in kind
    Target(
        "cases/<int:pk>/assistance/in-kind/new/",
        "specialist",
        bind=lambda o, data, files: InKindForm(data or None),
        valid=lambda o: {
            "kind": "food",
            "description": "Groceries",
            "quantity": "2",
            "value": "30.00",
            "given_on": today().isoformat(),
        },
        submit=saved(
            lambda o, form: help_services.give(o.world.case_a, by=o.world.specialist, details=form.details()),
            AssistanceError,
        ),
        path=case_a("assistance/in-kind/new/"),
        shows=lambda o: [f"/cases/{o.world.case_a.pk}/assistance/", f"/cases/{o.world.case_a.pk}/history/"],
    ),
    Target(
        "cases/<int:pk>/assistance/in-kind/<int:item_pk>/remove/",
        "specialist",
        bind=lambda o, data, files: ReasonForm(data or None),
        valid=lambda o: {"reason": "Recorded twice"},
        submit=saved(
            lambda o, form: help_services.remove(item_of(o), by=o.world.specialist, reason=form.cleaned_data["reason"]),
            AssistanceError,
        ),
        path=lambda o: f"/cases/{o.world.case_a.pk}/assistance/in-kind/{item_of(o).pk}/remove/",
        shows_text=False,  # the reason is kept in the item's history only
        shows=lambda o: [f"/cases/{o.world.case_a.pk}/assistance/", f"/cases/{o.world.case_a.pk}/history/"],
    ),
    # Housing: a case holds one stay begun on a given day, so each new stay goes to a case with none yet.
    Target(
        "cases/<int:pk>/assistance/housing/new/",
        "specialist",
        bind=lambda o, data, files: HousingForm(data or None),
        valid=lambda o: {
            "kind": "emergency",
            "provider_name": "Harbor House",
            "started_on": today().isoformat(),
            "expected_end": (today() + timedelta(days=30)).isoformat(),
            "note": "A room on the second floor.",
        },
        submit=saved(
            lambda o, form: housing_services.place(unhoused_case_of(o), by=o.world.specialist, details=form.details()),
            AssistanceError,
        ),
        path=lambda o: f"/cases/{unhoused_case_of(o).pk}/assistance/housing/new/",
        shows=lambda o: [
            f"/cases/{stay.case_id}/{page}/"
            for stay in HousingPlacement.objects.order_by("-pk")[:1]
            for page in ("assistance", "history", "timeline")
        ],
    ),
    Target(
        "cases/<int:pk>/assistance/housing/<int:stay_pk>/edit/",
        "specialist",
        bind=lambda o, data, files: StayForm(data or None, initial=StayForm.initial_for(open_stay_of(o))),
        valid=lambda o: {
            "expected_end": (today() + timedelta(days=20)).isoformat(),
            "note": "Moved to a quieter room.",
        },
        submit=saved(
            lambda o, form: housing_services.change_stay(open_stay_of(o), by=o.world.specialist, change=form.change()),
            AssistanceError,
        ),
        path=lambda o: f"/cases/{o.world.case_a.pk}/assistance/housing/{open_stay_of(o).pk}/edit/",
        shows_text=False,  # a stay's note is kept with the stay, not shown on the case's pages
        shows=lambda o: [f"/cases/{o.world.case_a.pk}/assistance/", f"/cases/{o.world.case_a.pk}/history/"],
    ),
    # The awards a case is served under: each new award goes to a case under none yet.
    Target(
        "cases/<int:pk>/assistance/awards/add/",
        "specialist",
        bind=lambda o, data, files: CaseAwardForm(data or None),
        valid=lambda o: {"fund": o.fund.pk},
        submit=saved(
            lambda o, form: award_services.add_case_award(
                unawarded_case_of(o), by=o.world.specialist, fund=form.cleaned_data["fund"]
            ),
            AssistanceError,
        ),
        path=lambda o: f"/cases/{unawarded_case_of(o).pk}/assistance/awards/add/",
        shows=lambda o: [
            f"/cases/{award.case_id}/{page}/"
            for award in CaseAward.objects.order_by("-pk")[:1]
            for page in ("assistance", "history")
        ],
    ),
    Target(
        "cases/<int:pk>/assistance/awards/remove/",
        "specialist",
        bind=_award_remove_form,
        valid=lambda o: {"award": award_of(o).pk},
        submit=saved(
            lambda o, form: award_services.remove_case_award(form.cleaned_data["award"], by=o.world.specialist),
            AssistanceError,
        ),
        path=case_a("assistance/awards/remove/"),
        shows=lambda o: [f"/cases/{o.world.case_a.pk}/assistance/", f"/cases/{o.world.case_a.pk}/history/"],
        after=_others_award_kept,
    ),
    # Funds
    Target(
        "assistance/funds/new/",
        "finance",
        bind=lambda o, data, files: FundForm(data or None),
        valid=lambda o: valid_fund(fresh_award_number(o)),
        submit=saved(
            lambda o, form: fund_services.create_fund(
                by=o.world.finance, details=form.details(), budgets=form.budgets()
            ),
            AssistanceError,
        ),
        path=lambda o: "/assistance/funds/new/",
        shows=lambda o: ["/assistance/funds/", f"/assistance/funds/{Fund.objects.latest('pk').pk}/"],
    ),
    Target(
        "assistance/funds/<int:fund_pk>/edit/",
        "finance",
        bind=lambda o, data, files: FundForm(data or None, initial=FundForm.initial_for(o.fund)),
        valid=lambda o: valid_fund(o.fund.award_number),
        submit=saved(
            lambda o, form: fund_services.change_fund(
                o.fund, by=o.world.finance, details=form.details(), budgets=form.budgets()
            ),
            AssistanceError,
        ),
        path=lambda o: f"/assistance/funds/{o.fund.pk}/edit/",
        shows=lambda o: ["/assistance/funds/", f"/assistance/funds/{o.fund.pk}/", "/assistance/queue/payment/"],
    ),
    # Periods read: help in kind for basic-necessities reporting, and the accountant's export.
    Target(
        "assistance/in-kind/",
        "director",
        bind=lambda o, data, files: PeriodForm(
            data if data else {"start": today().replace(month=1, day=1), "end": today()}
        ),
        valid=lambda o: {"start": (today() - timedelta(days=90)).isoformat(), "end": today().isoformat()},
        submit=_necessities,
        path=lambda o: "/assistance/in-kind/",
        stores=False,
        status=200,
        method="get",
    ),
    Target(
        "assistance/funds/<int:fund_pk>/payments.csv",
        "finance",
        bind=lambda o, data, files: PeriodForm(data),
        valid=lambda o: {"start": (today() - timedelta(days=90)).isoformat(), "end": today().isoformat()},
        submit=_payments_csv,
        path=lambda o: f"/assistance/funds/{o.fund.pk}/payments.csv",
        stores=False,
        status=200,
        method="get",
    ),
]


def assert_assistance_consistent() -> None:
    """Money never overspent or paid twice, help given within the case's time, stays within their rules."""
    committed = Sum("amount", filter=Q(status__in=AssistanceRequest.COMMITTED), default=Decimal(0))
    for fund in Fund.objects.annotate(budgeted=Sum("budgets__amount", default=Decimal(0))):
        assert fund.budgeted <= fund.total, fund
        assert fund.requests.aggregate(c=committed)["c"] <= fund.total, fund
    for budget in FundBudget.objects.all():
        spent = AssistanceRequest.objects.filter(fund=budget.fund_id, category=budget.category)
        assert spent.aggregate(c=committed)["c"] <= budget.amount, budget
    # Paid exactly when there is a payment.
    payment = Payment.objects.filter(request=OuterRef("pk"))
    assert not AssistanceRequest.objects.filter(status=Status.PAID).exclude(Exists(payment)).exists()
    assert not Payment.objects.exclude(request__status=Status.PAID).exists()
    assert not InKindItem.objects.filter(given_on__gt=today()).exists()
    assert not InKindItem.objects.filter(given_on__lt=F("case__opened_on")).exists()
    for stay in HousingPlacement.objects.exclude(kind=HousingPlacement.Kind.LONG_TERM):
        assert stay.expected_end <= housing_services.limit_of(stay.kind, stay.started_on), stay.pk
    long_term = HousingPlacement.objects.filter(kind=HousingPlacement.Kind.LONG_TERM)
    assert not long_term.filter(provider__housing_program__gt="").exists()


BY_ROUTE = pytest.mark.parametrize("target", TARGETS, ids=str)


@BY_ROUTE
def test_every_field_takes_every_hostile_value(objects, target):
    outcome = attack(target, objects)

    target.after(objects)
    assert_assistance_consistent()
    every_row_has_history()
    assert outcome.stored > 0 or not target.stores, f"nothing was stored: refused {outcome.refused}"


@BY_ROUTE
def test_hostile_posts_through_the_whole_stack(objects, target):
    post_through_http(target, objects)

    assert_assistance_consistent()
    every_row_has_history()
