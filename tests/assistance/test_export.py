"""The accountant's CSV of a fund's payments: one row per payment in the period, client codes
(never names, never the purpose), a guard against spreadsheet formulas, finance and the
director only, and an entry in the access log."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from assistance.models import AssistanceRequest, Category
from assistance.services import requests as request_services
from bloom.audit.models import AccessLogEntry
from tests.cases.sharing_files import pdf_upload
from tests.factories import ask_money, ask_money_on, make_case, make_fund, pay_money

HEADER = [
    "paid_on", "request", "client_code", "fund", "award_number", "category", "amount", "payee_type", "payee",
    "method", "reference", "receipt", "approved_by", "second_approved_by", "paid_by",
]  # fmt: skip


def today():
    return timezone.localdate()


def paid(world, case, fund, *, days_ago=0, approver=None, **details) -> AssistanceRequest:
    # Made a day or more ago, so that it can be paid on an earlier day than today.
    asked = ask_money_on(today() - timedelta(days=max(days_ago, 1)), case, world.specialist, fund, **details)
    asked = request_services.approve(asked, by=approver or world.supervisor)
    if asked.status == AssistanceRequest.Status.SECOND_APPROVAL:
        asked = request_services.approve(asked, by=world.director)
    pay_money(asked, world.finance, reference=f"CHK-{asked.pk}", paid_on=today() - timedelta(days=days_ago))
    return asked


@pytest.fixture
def fund(world):
    return make_fund(
        world.finance, budgets={Category.RENT: "5000.00", Category.FOOD: "1000.00", Category.UTILITIES: "800.00"}
    )


@pytest.fixture
def survivor_case(world):
    return make_case(
        team=world.team_a, specialists=[world.specialist], legal_name="Yesenia Montalvo", preferred_name="Yesi",
        opened_on=today() - timedelta(days=90),
    )  # fmt: skip


def export(client, fund, start, end):
    return client.get(reverse("assistance:fund_payments", args=[fund.pk]), {"start": start, "end": end})


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


# Run again at awkward instants (tests/clock.py): payments are exported by their day within the period.
@pytest.mark.clock
def test_one_row_per_payment_in_the_period_with_client_codes(client, world, fund, survivor_case):
    inside = [
        paid(world, survivor_case, fund, days_ago=10, purpose="Deposit after leaving the house on Birch Road",
             payee_name="Birchwood Properties"),
        paid(world, world.case_a, fund, days_ago=3, category=Category.FOOD, amount="75.5",
             payee_kind=AssistanceRequest.Payee.SURVIVOR, payee_name="", purpose="Groceries"),
        paid(world, survivor_case, fund, days_ago=3, amount="820.00", payee_name="Birchwood Properties"),
    ]  # fmt: skip
    paid(world, survivor_case, fund, days_ago=40, payee_name="Too early")
    paid(world, survivor_case, fund, days_ago=0, payee_name="Too late")
    approved_only = request_services.approve(ask_money(survivor_case, world.specialist, fund), by=world.supervisor)
    ask_money(survivor_case, world.specialist, fund, payee_name="Only waiting")
    client.force_login(world.finance)
    start, end = today() - timedelta(days=20), today() - timedelta(days=1)

    response = export(client, fund, start.isoformat(), end.isoformat())

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="payments-{fund.award_number}-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    )
    header, *rows = rows_of(response)
    assert header == HEADER
    assert [row[1] for row in rows] == [asked.number for asked in inside]  # by payment day, then as recorded
    first, survivor_paid, large = rows
    assert first == [
        (today() - timedelta(days=10)).isoformat(), inside[0].number, survivor_case.survivor.client_code,
        "Test fund", fund.award_number, "rent", "400.00", "landlord", "Birchwood Properties", "check",
        f"CHK-{inside[0].pk}", "no", "Sue Supervisor", "", world.finance.full_name,
    ]  # fmt: skip
    assert survivor_paid[2:9] == [
        world.case_a.survivor.client_code,
        "Test fund",
        fund.award_number,
        "food",
        "75.50",
        "survivor",
        "",
    ]
    assert (large[6], large[12], large[13]) == ("820.00", "Sue Supervisor", "Dana Director")
    text = response.content.decode()
    for never in ("Yesenia", "Montalvo", "Yesi", "Alma Alpha", "Birch Road", "Groceries", "Deposit after"):
        assert never not in text
    assert approved_only.number not in text
    assert "Too early" not in text
    assert "Too late" not in text
    assert "Only waiting" not in text


@pytest.mark.parametrize(
    ("award_number", "disposition"),
    [
        ('AW "7"', 'attachment; filename="payments-AW \\"7\\"-20260101-20260131.csv"'),
        ("AW\n7", "attachment; filename*=utf-8''payments-AW%0A7-20260101-20260131.csv"),
        ("AW-ñ", "attachment; filename*=utf-8''payments-AW-%C3%B1-20260101-20260131.csv"),
    ],
)
def test_an_award_number_with_a_quote_or_a_line_break_still_names_the_file(client, world, award_number, disposition):
    fund = make_fund(world.finance, award_number=award_number)
    client.force_login(world.finance)

    response = export(client, fund, "2026-01-01", "2026-01-31")

    assert response.status_code == 200
    assert response["Content-Disposition"] == disposition
    assert rows_of(response) == [HEADER]


@pytest.mark.clock
def test_a_period_without_payments_is_just_the_header(client, world, fund, survivor_case):
    paid(world, survivor_case, fund, days_ago=0)
    client.force_login(world.director)

    start, end = today() - timedelta(days=30), today() - timedelta(days=1)

    response = export(client, fund, start.isoformat(), end.isoformat())

    assert rows_of(response) == [HEADER]


def test_only_the_funds_own_payments_are_written(client, world, fund, survivor_case):
    other = make_fund(world.finance, name="Other fund")
    mine = paid(world, survivor_case, fund)
    theirs = paid(world, survivor_case, other)
    client.force_login(world.finance)

    response = export(client, fund, today().isoformat(), today().isoformat())

    assert [row[1] for row in rows_of(response)[1:]] == [mine.number]
    assert theirs.number not in response.content.decode()


def test_the_receipt_column_says_whether_it_was_kept(client, world, fund, survivor_case):
    with_receipt = request_services.approve(ask_money(survivor_case, world.specialist, fund), by=world.supervisor)
    pay_money(with_receipt, world.finance, receipt=pdf_upload("receipt.pdf"))
    without = paid(world, survivor_case, fund)
    client.force_login(world.finance)

    rows = rows_of(export(client, fund, today().isoformat(), today().isoformat()))[1:]

    assert {row[1]: row[11] for row in rows} == {with_receipt.number: "yes", without.number: "no"}


@pytest.mark.parametrize(
    ("payee", "written"),
    [
        ('=HYPERLINK("http://evil.example","Click")', '\'=HYPERLINK("http://evil.example","Click")'),
        ("+1 555 0100 Phone Co", "'+1 555 0100 Phone Co"),
        ("-Minus Rentals", "'-Minus Rentals"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("Plain Payee = Fine", "Plain Payee = Fine"),
    ],
)
def test_a_payee_that_looks_like_a_formula_is_written_as_text(client, world, fund, survivor_case, payee, written):
    asked = paid(world, survivor_case, fund, payee_name=payee)
    client.force_login(world.finance)

    rows = rows_of(export(client, fund, today().isoformat(), today().isoformat()))

    assert AssistanceRequest.objects.get(pk=asked.pk).payee_name == payee  # stored as typed
    assert rows[1][8] == written
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_a_formula_reference_is_guarded_too(client, world, fund, survivor_case):
    asked = request_services.approve(ask_money(survivor_case, world.specialist, fund), by=world.supervisor)
    pay_money(asked, world.finance, reference="=1+2")
    client.force_login(world.finance)

    rows = rows_of(export(client, fund, today().isoformat(), today().isoformat()))

    assert rows[1][10] == "'=1+2"


@pytest.mark.parametrize("persona", ["specialist", "supervisor", "colleague", "outsider", "outreach", "volunteer",
                                     "trainer", "administrator"])  # fmt: skip
def test_only_finance_and_the_director_may_export(client, world, fund, survivor_case, persona):
    paid(world, survivor_case, fund)
    client.force_login(world.everyone()[persona])

    response = export(client, fund, today().isoformat(), today().isoformat())

    html = response.content.decode()
    main = html[html.index('<main id="main"') : html.index("</main>")]  # the header's notifications are theirs
    assert response.status_code == 403
    assert survivor_case.survivor.client_code not in main
    assert "Park Street Apartments LLC" not in main
    assert not AccessLogEntry.objects.filter(action="export").exists()


def test_signing_in_comes_first(client, fund):
    response = export(client, fund, today().isoformat(), today().isoformat())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "2026-03-10", "end": "2026-03-01"}, "end", "The end is before the start."),
        ({"start": "2015-01-01", "end": "2026-03-01"}, "end", "Choose at most six years."),
        ({"start": "yesterday", "end": "2026-03-01"}, "start", "Enter a valid date."),
        ({"start": "2026-03-01"}, "end", "This field is required."),
        ({}, "start", "This field is required."),
    ],
)
def test_a_bad_period_is_a_400_page_with_a_message(client, world, fund, survivor_case, query, field, message):
    paid(world, survivor_case, fund)
    client.force_login(world.finance)

    response = client.get(reverse("assistance:fund_payments", args=[fund.pk]), query)

    html = response.content.decode()
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert message in response.context["period"].errors[field]
    assert message in html
    assert "Please correct the highlighted fields." in html
    assert fund.name in html
    assert survivor_case.survivor.client_code not in html
    assert not AccessLogEntry.objects.filter(action="export").exists()


def test_a_fund_that_does_not_exist_is_404(client, world):
    client.force_login(world.finance)

    response = client.get("/assistance/funds/999999/payments.csv", {"start": "2026-01-01", "end": "2026-01-31"})

    assert response.status_code == 404


def test_the_export_is_in_the_access_log(client, world, fund, survivor_case):
    paid(world, survivor_case, fund)
    paid(world, survivor_case, fund, category=Category.UTILITIES, amount="60.00")
    client.force_login(world.finance)
    start, end = today() - timedelta(days=7), today()

    export(client, fund, start.isoformat(), end.isoformat())

    entry = AccessLogEntry.objects.get(action="export")
    assert entry.action == AccessLogEntry.Action.EXPORT
    assert (entry.user, entry.target_id, entry.target_label) == (world.finance, fund.pk, fund.award_number)
    assert entry.target_type.model == "fund"
    assert entry.reason == f'log.payments|["{start.isoformat()}","{end.isoformat()}",2]'
    with translation.override("en"):
        assert entry.get_reason_display().endswith("(2 rows)")


def test_the_amounts_add_up_to_what_the_fund_page_says_was_paid(client, world, fund, survivor_case):
    for amount in ("0.10", "0.20", "99.99"):
        paid(world, survivor_case, fund, category=Category.FOOD, amount=amount)
    client.force_login(world.finance)

    rows = rows_of(export(client, fund, fund.starts_on.isoformat(), today().isoformat()))[1:]
    page = client.get(reverse("assistance:fund", args=[fund.pk]))

    assert sum(Decimal(row[6]) for row in rows) == Decimal("100.29")
    assert page.context["figures"].total.paid == Decimal("100.29")
