"""Money for a case in a real browser: asked for, approved, paid with a receipt, and taken off the fund."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assistance.models import AssistanceRequest, Category, Payment
from cases.models import Document
from tests.cases.sharing_files import pdf_bytes
from tests.factories import make_fund

REQUEST_PAGE = re.compile(r"/assistance/requests/\d+/$")
LANDLORD = "Park Street Apartments LLC"
PURPOSE = "First month's rent for the apartment at 12 Park Street"


@pytest.fixture
def rent_fund(e2e_world):
    """A fund the director set up: $8,000 in all, $3,000 of it for rent (before any browser starts)."""
    return make_fund(
        e2e_world.director,
        name="Housing Stability Fund",
        award_number="HSF-2025-07",
        total="8000.00",
        budgets={Category.RENT: "3000.00", Category.FOOD: "500.00"},
    )


def fund_figures(browser, fund, label):
    """Open the fund's page; the fund's remaining figure and the rent row of the category table."""
    browser.goto(f"/assistance/funds/{fund.pk}/", label)
    table = browser.page.get_by_role("region", name="By category", exact=True)
    rent = table.get_by_role("row").filter(has=browser.page.get_by_role("rowheader").filter(has_text="Rent"))
    expect(rent).to_have_count(1)
    return browser.page.locator("#fund-remaining"), rent


def rent_cells(rent):
    """The rent row's budget, waiting, committed, paid and remaining, as the page says them."""
    return [text.strip() for text in rent.get_by_role("cell").all_inner_texts()]


def ask_for_rent(browser, case, fund, amount: str) -> str:
    """The specialist asks for rent on the case's Assistance tab, first with an amount of zero."""
    page = browser.page
    browser.goto(case.get_absolute_url(), "case")
    page.get_by_role("navigation", name="Case sections").get_by_role("link", name="Assistance").click()
    page.wait_for_url(f"**/cases/{case.pk}/assistance/")
    browser.look("assistance-tab")
    expect(page.get_by_role("region", name="Money requested")).to_contain_text(
        "No money has been requested for this case."
    )
    page.get_by_role("link", name="Ask for money").click()
    page.wait_for_url(f"**/cases/{case.pk}/assistance/requests/new/")
    browser.look("ask-for-money")

    page.get_by_role("combobox", name="Fund", exact=True).select_option(label=str(fund))
    page.get_by_label("Category").select_option(label="Rent")
    page.get_by_label("Amount").click()
    page.keyboard.type("0")
    page.get_by_role("group", name="Paid to").get_by_label("Landlord").check()
    page.get_by_role("textbox", name="Payee", exact=True).fill(LANDLORD)
    page.get_by_label("Payee details").fill("12 Park Street, Hartford CT 06106; invoice 2231")
    page.get_by_label("What it is for").fill(PURPOSE)
    page.get_by_label("Needed by").fill((timezone.localdate() + timedelta(days=10)).isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Send for approval").click()
    browser.look("ask-refused-zero")

    # Refused with a plain message beside the amount; nothing typed is lost.
    expect(page.get_by_role("alert")).to_contain_text("Nothing you typed has been lost.")
    expect(page.get_by_label("Amount")).to_have_accessible_description(re.compile("Enter an amount above zero."))
    expect(page.get_by_role("textbox", name="Payee", exact=True)).to_have_value(LANDLORD)
    expect(page.get_by_label("What it is for")).to_have_value(PURPOSE)
    expect(page.get_by_role("group", name="Paid to").get_by_label("Landlord")).to_be_checked()
    assert not AssistanceRequest.objects.exists()

    page.get_by_label("Amount").fill("")
    page.get_by_label("Amount").press_sequentially(amount)
    page.get_by_role("button", name="Send for approval").click()
    page.wait_for_url(REQUEST_PAGE)
    browser.look("request-sent")
    number = AssistanceRequest.objects.get().number
    expect(page.get_by_role("status")).to_contain_text(f"Request {number} is waiting for approval.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Waiting for approval")
    return number


def open_from_queue(browser, which: str, number: str, label: str) -> None:
    """From the Assistance queue (the tab ``which``), the request's row says it is this person's turn."""
    page = browser.page
    page.get_by_role("navigation", name="Main", exact=True).get_by_role("link", name="Assistance").click()
    page.wait_for_url("**/assistance/queue/approval/")
    browser.look("approval-queue")
    if which != "Waiting for approval":
        tabs = page.get_by_role("navigation", name="Assistance", exact=True)
        tabs.get_by_role("link", name=re.compile(which)).click()
        page.wait_for_url("**/assistance/queue/payment/")
        browser.look("payment-queue")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=number))
    expect(row).to_contain_text("Your turn")
    expect(row).to_contain_text(LANDLORD)
    row.get_by_role("link", name=number).click()
    page.wait_for_url(REQUEST_PAGE)
    browser.look(label)


def approve(browser, label: str) -> None:
    page = browser.page
    with page.expect_navigation():
        page.get_by_role("region", name="What you can do").get_by_role("button", name="Approve").click()
    browser.look(label)


def pay_with_receipt(browser, receipt, reference: str) -> None:
    page = browser.page
    page.get_by_role("region", name="What you can do").get_by_role("link", name="Record the payment").click()
    page.wait_for_url("**/assistance/requests/*/pay/")
    browser.look("pay-form")
    expect(page.get_by_label("Paid on")).to_have_value(timezone.localdate().isoformat())
    page.get_by_role("group", name="How it was paid").get_by_role("radio", name="Check", exact=True).check()
    page.get_by_label("Reference").fill(reference)
    page.get_by_label("Paid on").fill(timezone.localdate().isoformat())
    page.get_by_label("Receipt").set_input_files(receipt)
    page.get_by_role("button", name="Record the payment").click()
    page.wait_for_url(REQUEST_PAGE)
    browser.look("paid")


def check_receipt(browser, receipt) -> None:
    """The request shows Paid and a receipt link that gives back the very file uploaded."""
    page = browser.page
    expect(page.get_by_role("heading", level=1)).to_contain_text("Paid")
    with page.expect_download() as download_info:
        page.get_by_role("region", name="Steps").get_by_role("link", name="Download the receipt").click()
    saved = browser.folder / "receipt-downloaded.pdf"
    download_info.value.save_as(saved)
    assert download_info.value.suggested_filename == receipt.name
    assert saved.read_bytes() == receipt.read_bytes()


def test_rent_above_the_threshold_is_approved_twice_paid_with_a_receipt_and_leaves_the_fund_lower(
    e2e_world, rent_fund, open_browser, tmp_path
):
    case = e2e_world.case_a
    receipt = tmp_path / "receipt-park-street.pdf"
    receipt.write_bytes(pdf_bytes())
    specialist = open_browser("specialist")
    page = specialist.page
    specialist.sign_in(e2e_world.specialist)

    remaining, rent = fund_figures(specialist, rent_fund, "fund-before")
    expect(remaining).to_have_text("$8,000.00")
    assert rent_cells(rent) == ["$3,000.00", "$0.00", "$0.00", "$0.00", "$3,000.00"]

    number = ask_for_rent(specialist, case, rent_fund, "1,200")
    what = page.get_by_role("region", name="What is asked")
    expect(what).to_contain_text("$1,200.00")
    expect(what).to_contain_text(f"Landlord: {LANDLORD}")
    # The specialist cannot approve what they asked for.
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)

    # Asked for, not yet approved: waiting, and not counted against the budget.
    remaining, rent = fund_figures(specialist, rent_fund, "fund-waiting")
    expect(remaining).to_have_text("$8,000.00")
    assert rent_cells(rent) == ["$3,000.00", "$1,200.00", "$0.00", "$0.00", "$3,000.00"]

    supervisor = open_browser("supervisor")
    boss = supervisor.page
    supervisor.sign_in(e2e_world.supervisor)
    open_from_queue(supervisor, "Waiting for approval", number, "supervisor-request")
    expect(boss.get_by_role("region", name="What you can do")).to_contain_text(
        "Above $500.00, finance or the program director approves it after you."
    )
    approve(supervisor, "first-approval")
    expect(boss.get_by_role("status")).to_contain_text(
        "Approved. Above $500.00, it now waits for a second approval by finance or the director."
    )
    expect(boss.get_by_role("heading", level=1)).to_contain_text("Waiting for a second approval")
    expect(boss.get_by_role("button", name="Approve")).to_have_count(0)

    finance = open_browser("finance")
    money = finance.page
    finance.sign_in(e2e_world.finance)
    open_from_queue(finance, "Waiting for approval", number, "finance-request")
    expect(money.get_by_role("region", name="Steps")).to_contain_text("Approved by Sue Supervisor")
    approve(finance, "second-approval")
    expect(money.get_by_role("status")).to_contain_text("Approved: $1,200.00 is committed from the fund.")
    expect(money.get_by_role("heading", level=1)).to_contain_text("Approved, waiting for payment")

    # Approved: committed, so the rent budget and the fund already have $1,200 less.
    remaining, rent = fund_figures(finance, rent_fund, "fund-committed")
    expect(remaining).to_have_text("$6,800.00")
    assert rent_cells(rent) == ["$3,000.00", "$0.00", "$1,200.00", "$0.00", "$1,800.00"]

    open_from_queue(finance, "Waiting for payment", number, "finance-to-pay")
    pay_with_receipt(finance, receipt, "20417")
    expect(money.get_by_role("status")).to_contain_text(f"Payment recorded for {number}.")
    expect(money.get_by_role("region", name="Steps")).to_contain_text("Paid by")
    expect(money.get_by_role("region", name="Steps")).to_contain_text("Check, 20417")
    check_receipt(finance, receipt)

    # Everyone sees the figure: the specialist's fund page has the lower rent budget, paid.
    remaining, rent = fund_figures(specialist, rent_fund, "fund-after")
    expect(remaining).to_have_text("$6,800.00")
    assert rent_cells(rent) == ["$3,000.00", "$0.00", "$1,200.00", "$1,200.00", "$1,800.00"]
    expect(page.get_by_role("region", name="Paid by month")).to_contain_text("$1,200.00")
    specialist.goto(f"/cases/{case.pk}/assistance/", "assistance-tab-paid")
    row = page.get_by_role("region", name="Money requested").get_by_role("row").filter(has_text=number)
    expect(row).to_contain_text("Paid")
    expect(row).to_contain_text("$1,200.00")

    asked = AssistanceRequest.objects.select_related("payment__receipt").get()
    assert (asked.status, asked.amount, asked.category, asked.payee_kind, asked.payee_name) == (
        AssistanceRequest.Status.PAID,
        Decimal("1200.00"),
        Category.RENT,
        AssistanceRequest.Payee.LANDLORD,
        LANDLORD,
    )
    assert (asked.requested_by, asked.approved_by, asked.second_approved_by) == (
        e2e_world.specialist,
        e2e_world.supervisor,
        e2e_world.finance,
    )
    payment = asked.payment
    assert (payment.method, payment.reference, payment.paid_on, payment.paid_by) == (
        Payment.Method.CHECK,
        "20417",
        timezone.localdate(),
        e2e_world.finance,
    )
    assert (payment.receipt.case, payment.receipt.kind, payment.receipt.original_name) == (
        case,
        Document.Kind.RECEIPT,
        receipt.name,
    )


def test_rent_under_the_threshold_needs_one_approval_before_finance_pays_it(
    e2e_world, rent_fund, open_browser, tmp_path
):
    case = e2e_world.case_a
    receipt = tmp_path / "receipt-march-rent.pdf"
    receipt.write_bytes(pdf_bytes())
    specialist = open_browser("specialist")
    specialist.sign_in(e2e_world.specialist)
    remaining, rent = fund_figures(specialist, rent_fund, "fund-before")
    expect(remaining).to_have_text("$8,000.00")
    assert rent_cells(rent) == ["$3,000.00", "$0.00", "$0.00", "$0.00", "$3,000.00"]
    number = ask_for_rent(specialist, case, rent_fund, "450")

    supervisor = open_browser("supervisor")
    boss = supervisor.page
    supervisor.sign_in(e2e_world.supervisor)
    open_from_queue(supervisor, "Waiting for approval", number, "supervisor-request")
    expect(boss.get_by_role("region", name="What you can do")).not_to_contain_text("approves it after you")
    approve(supervisor, "approved")
    expect(boss.get_by_role("status")).to_contain_text("Approved: $450.00 is committed from the fund.")
    expect(boss.get_by_role("heading", level=1)).to_contain_text("Approved, waiting for payment")

    finance = open_browser("finance")
    money = finance.page
    finance.sign_in(e2e_world.finance)
    remaining, rent = fund_figures(finance, rent_fund, "fund-before-payment")
    expect(remaining).to_have_text("$7,550.00")
    assert rent_cells(rent) == ["$3,000.00", "$0.00", "$450.00", "$0.00", "$2,550.00"]
    # Nothing waits for finance's approval; it waits for their payment.
    money.get_by_role("navigation", name="Main", exact=True).get_by_role("link", name="Assistance").click()
    money.wait_for_url("**/assistance/queue/approval/")
    finance.look("nothing-to-approve")
    expect(money.get_by_role("region", name="Waiting for approval")).to_contain_text("Nothing is waiting here.")
    open_from_queue(finance, "Waiting for payment", number, "finance-to-pay")
    pay_with_receipt(finance, receipt, "20418")
    expect(money.get_by_role("status")).to_contain_text(f"Payment recorded for {number}.")
    check_receipt(finance, receipt)

    remaining, rent = fund_figures(finance, rent_fund, "fund-after")
    expect(remaining).to_have_text("$7,550.00")
    assert rent_cells(rent) == ["$3,000.00", "$0.00", "$450.00", "$450.00", "$2,550.00"]
    asked = AssistanceRequest.objects.get()
    assert (asked.status, asked.amount, asked.approved_by, asked.second_approved_by) == (
        AssistanceRequest.Status.PAID,
        Decimal("450.00"),
        e2e_world.supervisor,
        None,
    )
