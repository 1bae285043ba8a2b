"""Requests for money: asked, approved (twice above the threshold), paid once; the money rules and who may do what."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assistance import queries
from assistance.models import LARGEST_REQUEST, AssistanceRequest, Category, Payment
from assistance.services import requests as services
from assistance.services.common import AssistanceError, day
from bloom.accounts.models import Role
from bloom.accounts.services import set_team_members
from bloom.notifications.models import Notification
from cases.models import Document
from cases.services.access import set_restriction
from tests.factories import ask_money, close_case, make_case, make_fund, make_user, pay_money, request_details

TODAY = timezone.localdate
Status = AssistanceRequest.Status
Payee = AssistanceRequest.Payee
Kind = Notification.Kind
RENT, FOOD = Category.RENT, Category.FOOD
PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def fund(world):
    """Rent 5,000 and food 1,000 of 10,000, from a year ago to a year ahead."""
    return make_fund(world.finance)


def rent(fund):
    return next(row for row in queries.category_figures(fund).rows if row.category == RENT)


def notices(kind, **filters):
    return Notification.objects.filter(kind=kind, **filters)


def approved(world, fund, amount="400.00", **overrides):
    """A request by the specialist on case A, approved by the supervisor (twice with finance above the threshold)."""
    asked = services.approve(
        ask_money(world.case_a, world.specialist, fund, amount=amount, **overrides), by=world.supervisor
    )
    if asked.status == Status.SECOND_APPROVAL:
        asked = services.approve(asked, by=world.finance)
    return asked


def receipt(name="receipt.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# The path --------------------------------------------------------------------------------------


def test_asked_approved_and_paid_each_step_with_its_history(world, fund):
    asked = ask_money(world.case_a, world.specialist, fund)
    assert (asked.status, asked.requested_by, asked.amount) == (Status.WAITING, world.specialist, Decimal("400.00"))
    assert rent(fund).waiting == Decimal("400.00")
    assert rent(fund).committed == Decimal(0)

    services.approve(asked, by=world.supervisor)
    asked.refresh_from_db()
    assert (asked.status, asked.approved_by, asked.second_approved_by) == (Status.APPROVED, world.supervisor, None)
    assert asked.approved_at is not None
    assert (rent(fund).committed, rent(fund).paid, rent(fund).remaining) == (Decimal(400), Decimal(0), Decimal(4600))

    payment = pay_money(asked, world.finance, reference=" 1001 ")
    asked.refresh_from_db()
    assert asked.status == Status.PAID
    assert (payment.paid_by, payment.method, payment.reference, payment.paid_on) == (
        world.finance,
        "check",
        "1001",
        TODAY(),
    )
    assert payment.receipt is None
    assert (rent(fund).committed, rent(fund).paid, rent(fund).remaining) == (Decimal(400), Decimal(400), Decimal(4600))
    steps = asked.history.order_by("history_id").values_list("status", "history_user", "history_change_reason")
    assert list(steps) == [
        (Status.WAITING, world.specialist.pk, "assistance.requested"),
        (Status.APPROVED, world.supervisor.pk, "assistance.approved"),
        (Status.PAID, world.finance.pk, "assistance.paid"),
    ]
    assert payment.history.get().history_change_reason == "payment.recorded"


def test_the_details_are_stored_trimmed(world, fund):
    asked = ask_money(
        world.case_a, world.specialist, fund,
        payee_name="  Park Street LLC ", payee_details=" 12 Park St ", purpose="  December rent ",
    )  # fmt: skip

    asked.refresh_from_db()
    assert (asked.payee_name, asked.payee_details, asked.purpose) == ("Park Street LLC", "12 Park St", "December rent")


def test_a_whole_number_of_dollars_is_money(world, fund):
    asked = ask_money(world.case_a, world.specialist, fund, amount=250)

    asked.refresh_from_db()
    assert asked.amount == Decimal("250.00")


# Amounts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (Decimal("0"), "above zero"),
        (Decimal("0.00"), "above zero"),
        (Decimal("-0.01"), "above zero"),
        (Decimal("-400.00"), "above zero"),
        (Decimal("10.005"), "two decimals"),
        (Decimal("0.001"), "two decimals"),
        (400.0, "dollars and cents"),
        (None, "dollars and cents"),
        (Decimal("NaN"), "dollars and cents"),
        (True, "dollars and cents"),
        (Decimal("Infinity"), "dollars and cents"),
        (LARGEST_REQUEST + Decimal("0.01"), "check the amount"),
        (Decimal("1000000.00"), "check the amount"),
    ],
)
def test_an_amount_that_is_not_money_is_refused_and_nothing_is_saved(world, fund, amount, words):
    with pytest.raises(AssistanceError) as refused:
        ask_money(world.case_a, world.specialist, fund, amount=amount)

    assert list(refused.value.message_dict) == ["amount"]
    assert words in refused.value.message_dict["amount"][0]
    assert not AssistanceRequest.objects.exists()
    assert not Notification.objects.exists()


def test_the_largest_request_is_allowed_when_the_budget_has_room(world):
    fund = make_fund(world.finance, total="60000.00", budgets={RENT: "60000.00"})

    asked = ask_money(world.case_a, world.specialist, fund, amount=LARGEST_REQUEST)

    assert asked.amount == LARGEST_REQUEST


def test_more_than_the_category_has_left_is_refused(world, fund):
    approved(world, fund, "4800.00")

    with pytest.raises(AssistanceError) as refused:
        ask_money(world.case_a, world.specialist, fund, amount="200.01")

    assert refused.value.message_dict == {"amount": ["Only $200.00 is left in the rent budget of Test fund."]}
    assert AssistanceRequest.objects.count() == 1
    assert ask_money(world.case_a, world.specialist, fund, amount="200.00").status == Status.WAITING


def test_waiting_requests_do_not_use_the_room(world, fund):
    ask_money(world.case_a, world.specialist, fund, amount="4000.00")

    assert ask_money(world.case_a, world.specialist, fund, amount="4000.00").status == Status.WAITING


def test_a_zero_budget_has_no_room(world):
    fund = make_fund(world.finance, budgets={RENT: "1000.00", FOOD: "0"})

    with pytest.raises(AssistanceError) as refused:
        ask_money(world.case_a, world.specialist, fund, category=FOOD, amount="1.00")

    assert refused.value.message_dict == {"amount": ["Only $0.00 is left in the food budget of Test fund."]}


@pytest.mark.parametrize("category", [Category.MEDICAL, "bitcoin"])
def test_a_category_the_fund_does_not_pay_for_is_refused(world, fund, category):
    with pytest.raises(AssistanceError) as refused:
        ask_money(world.case_a, world.specialist, fund, category=category)

    assert refused.value.message_dict == {
        "category": ["Test fund does not pay for this category. Choose another category or fund."]
    }
    assert not AssistanceRequest.objects.exists()


# Run again at awkward instants (tests/clock.py): money is needed within the fund's period and a year of today.
@pytest.mark.clock
def test_a_need_outside_the_funds_period_is_refused(world, fund):
    for needed_by in (fund.starts_on - timedelta(days=1), fund.ends_on + timedelta(days=1)):
        with pytest.raises(AssistanceError) as refused:
            ask_money(world.case_a, world.specialist, fund, needed_by=needed_by)
        assert list(refused.value.message_dict) == ["needed_by"]
        assert day(fund.starts_on) in refused.value.message_dict["needed_by"][0]

    assert not AssistanceRequest.objects.exists()
    for needed_by in (fund.starts_on, fund.ends_on):  # the period's first and last days are in it
        assert ask_money(world.case_a, world.specialist, fund, needed_by=needed_by).needed_by == needed_by


@pytest.mark.clock
def test_a_need_more_than_a_year_away_is_refused_even_within_the_period(world):
    fund = make_fund(world.finance, ends_on=TODAY() + timedelta(days=800))

    with pytest.raises(AssistanceError) as refused:
        ask_money(world.case_a, world.specialist, fund, needed_by=TODAY() + timedelta(days=367))

    assert refused.value.message_dict == {"needed_by": ["That is more than a year away; ask nearer the time."]}
    assert ask_money(world.case_a, world.specialist, fund, needed_by=TODAY() + timedelta(days=366)).pk


@pytest.mark.clock
def test_a_fund_whose_period_has_ended_is_refused_for_a_new_request_or_a_correction(world, fund):
    ended = make_fund(world.finance, starts_on=TODAY() - timedelta(days=400), ends_on=TODAY() - timedelta(days=1))
    asked = ask_money(world.case_a, world.specialist, fund)

    with pytest.raises(AssistanceError) as refused:
        ask_money(world.case_a, world.specialist, ended, needed_by=ended.ends_on)
    with pytest.raises(AssistanceError) as refused_correction:
        services.change_request(asked, by=world.specialist, details=request_details(ended, needed_by=ended.ends_on))

    assert list(refused.value.message_dict) == list(refused_correction.value.message_dict) == ["fund"]
    assert day(ended.ends_on) in refused.value.message_dict["fund"][0]
    assert list(AssistanceRequest.objects.values_list("fund", flat=True)) == [fund.pk]


@pytest.mark.parametrize(
    ("payee", "field"),
    [
        ({"payee_kind": Payee.SURVIVOR, "payee_name": "Alma Alpha"}, "payee_name"),
        ({"payee_kind": Payee.SURVIVOR, "payee_name": " x "}, "payee_name"),
        ({"payee_kind": Payee.LANDLORD, "payee_name": ""}, "payee_name"),
        ({"payee_kind": Payee.VENDOR, "payee_name": "   "}, "payee_name"),
        ({"payee_kind": "bank account", "payee_name": "Someone"}, "payee_kind"),
        ({"purpose": "  "}, "purpose"),
        # Longer than the form allows: refused by the service too, for every caller.
        ({"payee_name": "p" * (services.LONGEST["payee_name"] + 1)}, "payee_name"),
        ({"payee_details": "d" * (services.LONGEST["payee_details"] + 1)}, "payee_details"),
        ({"purpose": "p" * (services.LONGEST["purpose"] + 1)}, "purpose"),
    ],
)
def test_payee_and_purpose_rules(world, fund, payee, field):
    with pytest.raises(AssistanceError) as refused:
        ask_money(world.case_a, world.specialist, fund, **payee)

    assert list(refused.value.message_dict) == [field]
    assert not AssistanceRequest.objects.exists()


@pytest.mark.parametrize("kind", [Payee.LANDLORD, Payee.UTILITY, Payee.VENDOR, Payee.SCHOOL])
def test_a_payee_that_is_not_the_survivor_is_named(world, fund, kind):
    asked = ask_money(world.case_a, world.specialist, fund, payee_kind=kind, payee_name="Eversource")

    assert asked.payee_label == "Eversource"


def test_the_survivor_as_payee_is_never_named(world, fund):
    asked = ask_money(world.case_a, world.specialist, fund, category=FOOD, payee_kind=Payee.SURVIVOR, payee_name="")

    asked.refresh_from_db()
    assert (asked.payee_kind, asked.payee_name, asked.payee_label) == (Payee.SURVIVOR, "", "The survivor")


@pytest.mark.parametrize("person", ["outsider", "finance", "volunteer", "outreach", "trainer"])
def test_only_those_who_work_the_case_may_ask(world, fund, person):
    with pytest.raises(PermissionDenied):
        ask_money(world.case_a, getattr(world, person), fund)

    assert not AssistanceRequest.objects.exists()


def test_no_request_on_a_closed_case(world, fund):
    close_case(world.case_a, by=world.specialist, approver=world.supervisor)
    # The case as the page loaded it before it closed: the service reads it again.

    with pytest.raises(AssistanceError, match="while a survivor is served"):
        ask_money(world.case_a, world.specialist, fund)

    assert not AssistanceRequest.objects.exists()


def test_a_waiting_request_can_be_corrected_and_is_checked_again(world, fund):
    asked = ask_money(world.case_a, world.specialist, fund)

    with pytest.raises(AssistanceError) as refused:
        services.change_request(asked, by=world.specialist, details=request_details(fund, amount=Decimal("-1")))
    assert list(refused.value.message_dict) == ["amount"]

    services.change_request(asked, by=world.specialist, details=request_details(fund, amount=Decimal("450.00")))
    asked.refresh_from_db()
    assert asked.amount == Decimal("450.00")
    assert asked.history.latest().history_change_reason == "assistance.corrected"

    services.approve(asked, by=world.supervisor)
    with pytest.raises(AssistanceError, match="can no longer be changed"):
        services.change_request(asked, by=world.specialist, details=request_details(fund, amount=Decimal("10.00")))
    asked.refresh_from_db()
    assert asked.amount == Decimal("450.00")


# Separation of duties -------------------------------------------------------------------------


def test_nobody_approves_their_own_request(world, fund):
    asked = ask_money(world.case_a, world.specialist, fund)

    with pytest.raises(AssistanceError, match="Nobody approves their own request"):
        services.approve(asked, by=world.specialist)

    asked.refresh_from_db()
    assert (asked.status, asked.approved_by) == (Status.WAITING, None)


def test_a_supervisor_who_asks_on_a_team_case_cannot_approve_it(world, fund):
    asked = ask_money(world.case_a, world.supervisor, fund)

    # Nobody else supervises the team: nobody is told, the supervisor least of all.
    assert not notices(Kind.ASSISTANCE_WAITING).exists()
    with pytest.raises(AssistanceError, match="Nobody approves their own request"):
        services.approve(asked, by=world.supervisor)
    asked.refresh_from_db()
    assert asked.status == Status.WAITING

    services.approve(asked, by=world.director)
    asked.refresh_from_db()
    assert (asked.status, asked.approved_by) == (Status.APPROVED, world.director)


@pytest.mark.parametrize("person", ["colleague", "outsider", "finance", "outreach", "volunteer", "trainer"])
def test_someone_who_may_not_give_the_first_approval_is_refused(world, fund, person):
    asked = ask_money(world.case_a, world.specialist, fund)

    with pytest.raises((PermissionDenied, AssistanceError)):
        services.approve(asked, by=getattr(world, person))

    asked.refresh_from_db()
    assert (asked.status, asked.approved_by) == (Status.WAITING, None)
    assert rent(fund).committed == Decimal(0)


def test_above_the_threshold_the_first_approval_commits_nothing(world, fund):
    asked = ask_money(world.case_a, world.specialist, fund, amount="500.01")

    services.approve(asked, by=world.supervisor)

    asked.refresh_from_db()
    assert (asked.status, asked.approved_by, asked.second_approved_by) == (
        Status.SECOND_APPROVAL,
        world.supervisor,
        None,
    )
    assert (rent(fund).committed, rent(fund).waiting, rent(fund).remaining) == (
        Decimal(0),
        Decimal("500.01"),
        Decimal(5000),
    )
    assert asked.history.latest().history_change_reason == "assistance.approved_first"
    assert not notices(Kind.ASSISTANCE_APPROVED).exists()


def test_at_the_threshold_one_approval_is_enough(world, fund):
    asked = ask_money(world.case_a, world.specialist, fund, amount="500.00")

    services.approve(asked, by=world.supervisor)

    asked.refresh_from_db()
    assert asked.status == Status.APPROVED
    assert rent(fund).committed == Decimal("500.00")


def test_the_threshold_is_the_setting(world, fund, settings):
    settings.BLOOM_SECOND_APPROVAL_ABOVE = Decimal("100")
    asked = ask_money(world.case_a, world.specialist, fund, amount="100.01")

    services.approve(asked, by=world.supervisor)

    asked.refresh_from_db()
    assert asked.status == Status.SECOND_APPROVAL


@pytest.mark.parametrize("second", ["finance", "director"])
def test_finance_or_the_director_gives_the_second_approval_and_commits_the_money(world, fund, second):
    asked = ask_money(world.case_a, world.specialist, fund, amount="1200.00")
    services.approve(asked, by=world.supervisor)

    services.approve(asked, by=getattr(world, second))

    asked.refresh_from_db()
    assert (asked.status, asked.approved_by, asked.second_approved_by) == (
        Status.APPROVED,
        world.supervisor,
        getattr(world, second),
    )
    assert asked.second_approved_at is not None
    assert rent(fund).committed == Decimal("1200.00")
    assert list(asked.history.order_by("history_id").values_list("history_change_reason", flat=True)) == [
        "assistance.requested",
        "assistance.approved_first",
        "assistance.approved",
    ]


def test_the_first_approver_cannot_give_the_second_approval(world, fund):
    asked = ask_money(world.case_a, world.specialist, fund, amount="1200.00")
    services.approve(asked, by=world.director)  # the director may give either; never both

    with pytest.raises(AssistanceError, match="the second must come from someone else"):
        services.approve(asked, by=world.director)

    asked.refresh_from_db()
    assert (asked.status, asked.second_approved_by) == (Status.SECOND_APPROVAL, None)
    assert rent(fund).committed == Decimal(0)


def test_the_supervisor_is_refused_a_second_approval_of_their_own_first(world, fund):
    asked = ask_money(world.case_a, world.specialist, fund, amount="1200.00")
    services.approve(asked, by=world.supervisor)

    with pytest.raises(AssistanceError, match="the second must come from someone else"):
        services.approve(asked, by=world.supervisor)

    asked.refresh_from_db()
    assert asked.status == Status.SECOND_APPROVAL


@pytest.mark.parametrize("person", ["supervisor", "colleague", "outsider", "outreach"])
def test_only_finance_or_the_director_give_a_second_approval(world, fund, person):
    asked = ask_money(world.case_a, world.specialist, fund, amount="1200.00")
    services.approve(asked, by=world.director)

    with pytest.raises((PermissionDenied, AssistanceError)):
        services.approve(asked, by=getattr(world, person))

    asked.refresh_from_db()
    assert (asked.status, asked.second_approved_by) == (Status.SECOND_APPROVAL, None)


def test_the_director_who_asked_cannot_give_the_second_approval(world, fund):
    asked = ask_money(world.case_a, world.director, fund, amount="1200.00")
    services.approve(asked, by=world.supervisor)

    with pytest.raises(AssistanceError, match="Nobody approves their own request"):
        services.approve(asked, by=world.director)

    services.approve(asked, by=world.finance)
    asked.refresh_from_db()
    assert asked.status == Status.APPROVED


def test_the_second_approval_checks_the_room_again(world):
    fund = make_fund(world.finance, total="1000.00", budgets={RENT: "1000.00"})
    first = ask_money(world.case_a, world.specialist, fund, amount="600.00")
    second = ask_money(world.case_a, world.specialist, fund, amount="600.00")
    services.approve(first, by=world.supervisor)
    services.approve(second, by=world.supervisor)  # nothing is committed yet: both pass the first step

    services.approve(first, by=world.finance)
    with pytest.raises(AssistanceError) as refused:
        services.approve(second, by=world.director)

    assert refused.value.messages == ["Only $400.00 is left in the rent budget of Test fund."]
    second.refresh_from_db()
    assert (second.status, second.second_approved_by) == (Status.SECOND_APPROVAL, None)
    assert rent(fund).committed == Decimal("600.00")


def test_a_first_approval_with_no_room_left_is_refused(world):
    fund = make_fund(world.finance, total="1000.00", budgets={RENT: "1000.00"})
    first = ask_money(world.case_a, world.specialist, fund, amount="450.00")
    second = ask_money(world.case_a, world.specialist, fund, amount="600.00")
    services.approve(first, by=world.supervisor)

    with pytest.raises(AssistanceError, match=r"Only \$550\.00 is left"):
        services.approve(second, by=world.supervisor)

    second.refresh_from_db()
    assert (second.status, second.approved_by) == (Status.WAITING, None)


def test_an_approved_request_is_not_approved_again(world, fund):
    asked = approved(world, fund)

    with pytest.raises(AssistanceError, match="not waiting for approval: it is approved"):
        services.approve(asked, by=world.director)

    asked.refresh_from_db()
    assert asked.second_approved_by is None
    assert rent(fund).committed == Decimal("400.00")


# Denying and cancelling -------------------------------------------------------------------------


def test_a_denial_needs_a_reason_and_tells_the_requester(world, fund):
    asked = ask_money(world.case_a, world.specialist, fund)

    for reason in ("", "   ", "x" * (services.LONGEST_REASON + 1)):
        with pytest.raises(AssistanceError) as refused:
            services.deny(asked, by=world.supervisor, reason=reason)
        assert list(refused.value.message_dict) == ["reason"]
    asked.refresh_from_db()
    assert asked.status == Status.WAITING

    services.deny(asked, by=world.supervisor, reason="  The landlord's program covers it.  ")

    asked.refresh_from_db()
    assert (asked.status, asked.closed_by, asked.close_reason) == (
        Status.DENIED,
        world.supervisor,
        "The landlord's program covers it.",
    )
    assert list(notices(Kind.ASSISTANCE_DENIED).values_list("recipient", flat=True)) == [world.specialist.pk]
    assert not notices(Kind.ASSISTANCE_WAITING, read_at__isnull=True).exists()
    with pytest.raises(AssistanceError):
        services.approve(asked, by=world.supervisor)


def test_the_requester_cancels_rather_than_denies(world, fund):
    asked = ask_money(world.case_a, world.specialist, fund)

    with pytest.raises(AssistanceError, match="cancel it instead"):
        services.deny(asked, by=world.specialist, reason="Changed my mind")
    with pytest.raises(PermissionDenied):
        services.deny(asked, by=world.outsider, reason="Not mine")

    asked.refresh_from_db()
    assert asked.status == Status.WAITING


def test_the_second_approver_may_deny(world, fund):
    asked = ask_money(world.case_a, world.specialist, fund, amount="900.00")
    services.approve(asked, by=world.supervisor)

    services.deny(asked, by=world.finance, reason="Over the monthly cap")

    asked.refresh_from_db()
    assert (asked.status, asked.closed_by) == (Status.DENIED, world.finance)


def test_a_cancellation_needs_a_reason(world, fund):
    asked = ask_money(world.case_a, world.specialist, fund)

    with pytest.raises(AssistanceError) as refused:
        services.cancel(asked, by=world.specialist, reason=" \n ")

    assert list(refused.value.message_dict) == ["reason"]
    asked.refresh_from_db()
    assert asked.status == Status.WAITING


def test_cancelling_an_approved_request_gives_the_money_back(world, fund):
    asked = approved(world, fund, "400.00")
    assert rent(fund).remaining == Decimal("4600.00")

    services.cancel(asked, by=world.specialist, reason="The survivor moved in with family")

    asked.refresh_from_db()
    assert (asked.status, asked.closed_by, asked.close_reason) == (
        Status.CANCELLED,
        world.specialist,
        "The survivor moved in with family",
    )
    assert (rent(fund).committed, rent(fund).remaining) == (Decimal(0), Decimal("5000.00"))
    assert asked.history.latest().history_change_reason == "assistance.cancelled"
    with pytest.raises(AssistanceError, match="Only an approved request can be paid; this one is cancelled"):
        pay_money(asked, world.finance)


def test_finance_may_cancel_an_approved_request_but_not_one_still_waiting(world, fund):
    waiting = ask_money(world.case_a, world.specialist, fund)
    asked = approved(world, fund)

    with pytest.raises(PermissionDenied):
        services.cancel(waiting, by=world.finance, reason="Not ours to cancel")
    services.cancel(asked, by=world.finance, reason="The landlord refused a check")

    asked.refresh_from_db()
    waiting.refresh_from_db()
    assert (asked.status, waiting.status) == (Status.CANCELLED, Status.WAITING)


def test_someone_outside_the_case_cannot_cancel(world, fund):
    asked = ask_money(world.case_a, world.specialist, fund)

    with pytest.raises(PermissionDenied):
        services.cancel(asked, by=world.outsider, reason="Mischief")

    asked.refresh_from_db()
    assert asked.status == Status.WAITING


def test_a_paid_request_cannot_be_cancelled(world, fund):
    asked = approved(world, fund)
    pay_money(asked, world.finance)

    with pytest.raises(AssistanceError, match="nothing to cancel"):
        services.cancel(asked, by=world.specialist, reason="Too late")

    asked.refresh_from_db()
    assert asked.status == Status.PAID
    assert rent(fund).paid == Decimal("400.00")


# Paying ----------------------------------------------------------------------------------------


def test_a_request_is_paid_once_and_the_refusal_names_the_earlier_payment(world, fund):
    asked = approved(world, fund)
    other_finance = make_user(Role.FINANCE, full_name="Fay Finance")
    first = pay_money(asked, world.finance, method="check", reference="1001", paid_on=TODAY())

    with pytest.raises(AssistanceError) as refused:
        pay_money(asked, other_finance, method="card", reference="TX-9")

    assert refused.value.messages == [f"This request was already paid on {day(TODAY())} (check 1001)."]
    assert list(Payment.objects.values_list("pk", flat=True)) == [first.pk]
    assert asked.history.filter(status=Status.PAID).count() == 1


@pytest.mark.parametrize("step", ["waiting", "second approval", "denied", "cancelled"])
def test_only_an_approved_request_is_paid(world, fund, step):
    asked = ask_money(world.case_a, world.specialist, fund, amount="800.00")
    if step == "second approval":
        services.approve(asked, by=world.supervisor)
    elif step == "denied":
        services.deny(asked, by=world.supervisor, reason="No")
    elif step == "cancelled":
        services.cancel(asked, by=world.specialist, reason="Not needed")

    with pytest.raises(AssistanceError, match=f"Only an approved request can be paid; this one is .*{step.split()[0]}"):
        pay_money(asked, world.finance)

    asked.refresh_from_db()
    assert asked.status == step
    assert not Payment.objects.exists()


@pytest.fixture
def two_hats(world):
    """A specialist of team A who also works in finance, and a case assigned to them."""
    person = make_user(Role.SPECIALIST, Role.FINANCE, full_name="Tess Two-Hats")
    set_team_members(world.team_a, members=[world.specialist, world.colleague, person], by=None)
    return person, make_case(team=world.team_a, specialists=[person], legal_name="Cleo Gamma")


def test_the_requester_cannot_pay_even_with_the_finance_role(world, fund, two_hats):
    person, case = two_hats
    asked = ask_money(case, person, fund, amount="700.00")
    services.approve(asked, by=world.supervisor)

    with pytest.raises(AssistanceError, match="Nobody approves their own request"):
        services.approve(asked, by=person)  # the finance role gives second approvals, never to one's own
    services.approve(asked, by=world.finance)
    with pytest.raises(AssistanceError, match="someone else records its payment"):
        pay_money(asked, person)

    assert not Payment.objects.exists()
    assert pay_money(asked, world.finance).paid_by == world.finance


@pytest.mark.parametrize("person", ["supervisor", "director", "colleague", "outsider"])
def test_only_finance_records_payments(world, fund, person):
    asked = approved(world, fund)

    with pytest.raises(PermissionDenied):
        pay_money(asked, getattr(world, person))

    asked.refresh_from_db()
    assert asked.status == Status.APPROVED
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    ("payment", "field"),
    [
        ({"method": "cash"}, "method"),
        ({"reference": "  "}, "reference"),
        ({"reference": "1" * 101}, "reference"),  # longer than the form and the column allow
        # Run again at awkward instants (tests/clock.py): a payment is dated from the request to today.
        pytest.param({"paid_on": TODAY() + timedelta(days=1)}, "paid_on", marks=pytest.mark.clock),
        pytest.param(  # before the request was made (today)
            {"paid_on": TODAY() - timedelta(days=1)}, "paid_on", marks=pytest.mark.clock
        ),
    ],
)
def test_payment_details_the_rules_do_not_allow_are_refused(world, fund, payment, field):
    asked = approved(world, fund)

    with pytest.raises(AssistanceError) as refused:
        pay_money(asked, world.finance, **payment)

    assert list(refused.value.message_dict) == [field]
    asked.refresh_from_db()
    assert asked.status == Status.APPROVED
    assert not Payment.objects.exists()


# Receipts --------------------------------------------------------------------------------------


def test_a_receipt_paid_with_is_kept_as_a_document_of_the_case(world, fund):
    asked = approved(world, fund)

    payment = pay_money(asked, world.finance, receipt=receipt())

    document = payment.receipt
    assert document is not None
    assert (document.case, document.kind, document.content_type) == (
        world.case_a,
        Document.Kind.RECEIPT,
        "application/pdf",
    )
    assert document.title == f"Receipt for {asked.number}"
    assert document.uploaded_by == world.finance
    assert document.size == len(PDF_BYTES)
    with document.file.open("rb") as stored:
        assert stored.read() == PDF_BYTES
    assert list(world.case_a.documents.values_list("pk", flat=True)) == [document.pk]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("receipt.txt", b"Paid in full, thanks!"),
        ("receipt.pdf", b"Paid in full, thanks!"),  # named a PDF, but it is not one
        ("receipt.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
        ("receipt.pdf", b""),
    ],
)
def test_a_receipt_that_is_not_an_allowed_file_is_refused_and_nothing_is_paid(world, fund, name, content):
    asked = approved(world, fund)

    with pytest.raises(AssistanceError) as refused:
        pay_money(asked, world.finance, receipt=receipt(name, content))

    assert list(refused.value.message_dict) == ["receipt"]
    asked.refresh_from_db()
    assert asked.status == Status.APPROVED
    assert not Payment.objects.exists()
    assert not Document.objects.exists()
    assert not notices(Kind.ASSISTANCE_PAID).exists()


def test_a_receipt_can_follow_the_payment_once(world, fund):
    asked = approved(world, fund)
    payment = pay_money(asked, world.finance)

    with pytest.raises(AssistanceError) as refused:
        services.add_receipt(asked, by=world.finance, upload=receipt("photo.png", b"not a png"))
    assert list(refused.value.message_dict) == ["receipt"]

    services.add_receipt(asked, by=world.finance, upload=receipt())
    payment.refresh_from_db()
    assert payment.receipt.kind == Document.Kind.RECEIPT
    assert payment.history.latest().history_change_reason == "payment.receipt_added"
    with pytest.raises(AssistanceError, match="already has its receipt"):
        services.add_receipt(asked, by=world.finance, upload=receipt())
    assert Document.objects.count() == 1


def test_only_finance_adds_a_receipt(world, fund):
    asked = approved(world, fund)
    pay_money(asked, world.finance)

    with pytest.raises(PermissionDenied):
        services.add_receipt(asked, by=world.specialist, upload=receipt())

    assert not Document.objects.exists()


# Notifications ------------------------------------------------------------------------------


def test_asking_tells_the_teams_supervisor_with_the_code_never_the_name(world, fund):
    asked = ask_money(world.case_a, world.specialist, fund, amount="321.00")

    told = notices(Kind.ASSISTANCE_WAITING).get()
    code = world.case_a.survivor.client_code
    assert told.recipient == world.supervisor
    assert told.data == {"number": asked.number, "amount": "$321.00", "code": code}
    assert told.url == reverse("assistance:case", args=[world.case_a.pk])  # under the case: see below
    assert told.read_at is None
    assert code in told.text
    assert "Alma" not in told.text
    assert "Alpha" not in str(told.data)
    assert Notification.objects.count() == 1


def test_the_first_approval_settles_the_waiting_notice_and_tells_the_requester(world, fund):
    asked = ask_money(world.case_a, world.specialist, fund)

    services.approve(asked, by=world.supervisor)

    assert notices(Kind.ASSISTANCE_WAITING).get().read_at is not None
    told = notices(Kind.ASSISTANCE_APPROVED).get()
    assert told.recipient == world.specialist
    assert told.data["code"] == world.case_a.survivor.client_code
    assert "Alma" not in told.text
    assert not notices(Kind.ASSISTANCE_SECOND).exists()


def test_the_second_step_tells_finance_and_the_director_without_the_code(world, fund):
    asked = ask_money(world.case_a, world.specialist, fund, amount="750.00")

    services.approve(asked, by=world.supervisor)

    assert notices(Kind.ASSISTANCE_WAITING).get().read_at is not None
    second = notices(Kind.ASSISTANCE_SECOND).order_by("recipient_id")
    assert [n.recipient for n in second] == sorted([world.director, world.finance], key=lambda user: user.pk)
    for told in second:
        assert told.data == {"number": asked.number, "amount": "$750.00"}
        assert world.case_a.survivor.client_code not in told.text
        assert told.read_at is None
    assert not notices(Kind.ASSISTANCE_APPROVED).exists()

    services.approve(asked, by=world.finance)

    assert not notices(Kind.ASSISTANCE_SECOND, read_at__isnull=True).exists()
    assert list(notices(Kind.ASSISTANCE_APPROVED).values_list("recipient", flat=True)) == [world.specialist.pk]


def test_paying_tells_the_requester(world, fund):
    asked = approved(world, fund)

    pay_money(asked, world.finance)

    told = notices(Kind.ASSISTANCE_PAID).get()
    assert told.recipient == world.specialist
    assert told.data == {"number": asked.number, "amount": "$400.00", "code": world.case_a.survivor.client_code}


def test_cancelling_settles_the_waiting_notice(world, fund):
    asked = ask_money(world.case_a, world.specialist, fund)

    services.cancel(asked, by=world.specialist, reason="Found another way")

    assert notices(Kind.ASSISTANCE_WAITING).get().read_at is not None


def test_finance_is_told_an_approved_request_waits_for_payment_and_it_is_settled_when_paid(world, fund):
    asked = approved(world, fund)

    told = notices(Kind.ASSISTANCE_TO_PAY, recipient=world.finance).get()
    assert told.data == {"number": asked.number, "amount": "$400.00"}
    assert world.case_a.survivor.client_code not in told.text
    assert told.read_at is None

    pay_money(asked, world.finance)

    told.refresh_from_db()
    assert told.read_at is not None


def test_cancelling_an_approved_request_settles_finances_notice(world, fund):
    asked = approved(world, fund)

    services.cancel(asked, by=world.specialist, reason="The landlord agreed to wait.")

    assert notices(Kind.ASSISTANCE_TO_PAY, read_at__isnull=True).count() == 0


def test_restricting_the_case_takes_the_code_away_from_supervisors_it_does_not_name(world, fund):
    ask_money(world.case_a, world.specialist, fund)
    assert notices(Kind.ASSISTANCE_WAITING, recipient=world.supervisor).exists()

    set_restriction(world.case_a, by=world.supervisor, restricted=True, named=[world.director])

    assert not Notification.objects.exclude(recipient=world.specialist).exists()
