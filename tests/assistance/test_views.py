"""The assistance pages through the test client: each view's happy path and its refusals."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from assistance.forms import FundForm
from assistance.models import AssistanceRequest, Category, Fund, FundBudget, HousingPlacement, InKindItem, Payment
from assistance.services import help as help_services
from assistance.services import housing as housing_services
from assistance.services import requests as request_services
from bloom.accounts.models import Role, User
from bloom.audit.models import AccessLogEntry
from tests.cases.sharing_files import pdf_bytes, pdf_upload, upload
from tests.factories import ask_money, make_fund, pay_money

Status = AssistanceRequest.Status


def today():
    return timezone.localdate()


@pytest.fixture
def fund(world):
    return make_fund(world.finance)


@pytest.fixture
def asked(world, fund):
    """$400 of rent for case A, asked by its specialist, waiting for the supervisor."""
    return ask_money(world.case_a, world.specialist, fund)


@pytest.fixture
def approved(world, asked):
    return request_services.approve(asked, by=world.supervisor)


def request_url(asked, action=""):
    return reverse(f"assistance:request_{action}" if action else "assistance:request", args=[asked.pk])


def main_of(response) -> str:
    """The page's own content, without the header's notifications (which are the viewer's own)."""
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


def shown_after(client, response) -> str:
    """The page a redirect leads to, with the messages it carries."""
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def give_kit(world, description="Shampoo and soap"):
    details = help_services.ItemDetails(
        kind="hygiene kit", description=description, quantity=1, value=Decimal("25.00"), given_on=today()
    )
    return help_services.give(world.case_a, by=world.specialist, details=details)


def shelter_stay(world, *, started_on=None, provider_name="Safe Harbor Shelter"):
    started_on = started_on or today() - timedelta(days=10)
    details = housing_services.StayDetails(
        kind="emergency",
        long_term="",
        provider=None,
        provider_name=provider_name,
        started_on=started_on,
        expected_end=started_on + timedelta(days=40),
    )
    return housing_services.place(world.case_a, by=world.specialist, details=details)


# The case's assistance tab ---------------------------------------------------------------------


def test_the_case_tab_shows_requests_stays_and_items(client, world, asked):
    shelter_stay(world)
    give_kit(world)
    client.force_login(world.specialist)

    response = client.get(reverse("assistance:case", args=[world.case_a.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert asked.number in html
    assert "$400.00" in html
    assert "Park Street Apartments LLC" in html
    assert "Safe Harbor Shelter" in html
    assert "Shampoo and soap" in html
    assert reverse("assistance:request_new", args=[world.case_a.pk]) in html
    assert AccessLogEntry.objects.filter(user=world.specialist, target_id=world.case_a.pk, action="view").exists()


@pytest.mark.parametrize("persona", ["outsider", "finance", "outreach", "volunteer", "trainer"])
def test_the_case_tab_is_404_for_those_who_do_not_see_the_case(client, world, asked, persona):
    client.force_login(world.everyone()[persona])

    response = client.get(reverse("assistance:case", args=[world.case_a.pk]))

    assert response.status_code == 404
    assert asked.number not in response.content.decode()


def test_the_case_tab_of_a_case_that_does_not_exist_is_404(client, world):
    client.force_login(world.director)

    assert client.get(reverse("assistance:case", args=[999999])).status_code == 404


# Asking for money ------------------------------------------------------------------------------


def ask_post(fund, **changes):
    return {
        "fund": fund.pk,
        "category": "rent",
        "amount": "400",
        "payee_kind": "landlord",
        "payee_name": "Park Street Apartments LLC",
        "payee_details": "12 Park Street, Hartford",
        "purpose": "Rent for this month",
        "needed_by": (today() + timedelta(days=7)).isoformat(),
        **changes,
    }


def test_asking_for_money_saves_the_request_and_opens_it(client, world, fund):
    client.force_login(world.specialist)

    response = client.post(reverse("assistance:request_new", args=[world.case_a.pk]), ask_post(fund, amount="1,200.5"))

    made = AssistanceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == request_url(made)
    assert (made.case, made.requested_by, made.status) == (world.case_a, world.specialist, Status.WAITING)
    assert made.amount == Decimal("1200.50")
    assert made.payee_name == "Park Street Apartments LLC"
    assert f"Request {made.number} is waiting for approval." in shown_after(client, response)


def test_the_ask_form_opens_empty(client, world, fund):
    client.force_login(world.specialist)

    response = client.get(reverse("assistance:request_new", args=[world.case_a.pk]))

    assert response.status_code == 200
    assert fund.name in response.content.decode()
    assert not response.context["form"].is_bound


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "Enter an amount above zero."),
        ("-5", "An amount cannot be negative."),
        ("12.345", "Use at most two decimal places (cents), like 12.34."),
        ("abc", "Enter an amount in dollars and cents, like 120 or 120.50."),
        ("1e9", "Enter an amount in dollars and cents, like 120 or 120.50."),
        ("NaN", "Enter an amount in dollars and cents, like 120 or 120.50."),
        ("50000.01", "That is more than $50,000.00: check the amount."),
        ("", "Enter the amount."),
    ],
)
def test_a_bad_amount_is_refused_beside_the_field_and_keeps_what_was_typed(client, world, fund, typed, message):
    client.force_login(world.specialist)

    response = client.post(
        reverse("assistance:request_new", args=[world.case_a.pk]),
        ask_post(fund, amount=typed, payee_name="Hillcrest Homes", purpose="Deposit for the flat"),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors == {"amount": [message]}
    assert 'id="id_amount_error"' in html
    assert message.replace("'", "&#x27;") in html
    assert f'value="{typed}"' in html
    assert 'value="Hillcrest Homes"' in html
    assert 'value="Deposit for the flat"' in html
    assert "Nothing you typed has been lost." in html
    assert not AssistanceRequest.objects.exists()


def test_more_than_the_category_has_left_is_refused_by_the_service_beside_the_amount(client, world, fund):
    client.force_login(world.specialist)

    response = client.post(reverse("assistance:request_new", args=[world.case_a.pk]), ask_post(fund, amount="5000.01"))

    assert response.status_code == 200
    assert response.context["form"].errors == {"amount": ["Only $5,000.00 is left in the rent budget of Test fund."]}
    assert 'value="5000.01"' in response.content.decode()
    assert not AssistanceRequest.objects.exists()


def test_a_category_the_fund_does_not_pay_for_is_refused_beside_the_category(client, world, fund):
    client.force_login(world.specialist)

    url = reverse("assistance:request_new", args=[world.case_a.pk])

    response = client.post(url, ask_post(fund, category="medical"))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "category": ["Test fund does not pay for this category. Choose another category or fund."]
    }
    assert not AssistanceRequest.objects.exists()


def test_a_named_survivor_payee_is_refused(client, world, fund):
    client.force_login(world.specialist)

    response = client.post(
        reverse("assistance:request_new", args=[world.case_a.pk]),
        ask_post(fund, payee_kind="survivor", payee_name="Alma Alpha"),
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["payee_name"]
    assert not AssistanceRequest.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("finance", 404), ("outreach", 404)])
def test_asking_for_money_is_refused_to_those_who_do_not_work_the_case(client, world, fund, persona, status):
    client.force_login(world.everyone()[persona])

    response = client.post(reverse("assistance:request_new", args=[world.case_a.pk]), ask_post(fund))

    assert response.status_code == status
    assert not AssistanceRequest.objects.exists()


def test_correcting_a_waiting_request(client, world, asked):
    client.force_login(world.specialist)
    url = reverse("assistance:request_edit", args=[world.case_a.pk, asked.pk])

    response = client.post(url, ask_post(asked.fund, amount="450", purpose="Rent, corrected"))

    asked.refresh_from_db()
    assert response.status_code == 302
    assert (asked.amount, asked.purpose) == (Decimal("450.00"), "Rent, corrected")


def test_an_approved_request_can_no_longer_be_corrected(client, world, approved):
    client.force_login(world.specialist)
    url = reverse("assistance:request_edit", args=[world.case_a.pk, approved.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, ask_post(approved.fund, amount="1")).status_code == 403
    approved.refresh_from_db()
    assert approved.amount == Decimal("400.00")


# Approving, denying and cancelling ---------------------------------------------------------------


def test_the_supervisor_approves_a_request(client, world, asked):
    client.force_login(world.supervisor)

    response = client.post(request_url(asked, "approve"))

    asked.refresh_from_db()
    assert response["Location"] == request_url(asked)
    assert (asked.status, asked.approved_by) == (Status.APPROVED, world.supervisor)
    assert "Approved: $400.00 is committed from the fund." in shown_after(client, response)


def test_a_large_request_waits_for_finance_after_the_supervisor(client, world, fund):
    large = ask_money(world.case_a, world.specialist, fund, amount="750.00")
    client.force_login(world.supervisor)

    first = client.post(request_url(large, "approve"))

    large.refresh_from_db()
    assert large.status == Status.SECOND_APPROVAL
    assert "it now waits for a second approval by finance or the director" in shown_after(client, first)

    client.force_login(world.finance)
    client.post(request_url(large, "approve"))

    large.refresh_from_db()
    assert (large.status, large.second_approved_by) == (Status.APPROVED, world.finance)


def test_a_specialist_who_sees_the_request_may_not_approve_it(client, world, fund):
    theirs = ask_money(world.case_a, world.supervisor, fund)  # not the specialist's own
    client.force_login(world.specialist)

    assert client.get(request_url(theirs)).status_code == 200
    assert client.post(request_url(theirs, "approve")).status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == Status.WAITING


def test_nobody_approves_their_own_request(client, world, asked):
    client.force_login(world.specialist)

    response = client.post(request_url(asked, "approve"))

    asked.refresh_from_db()
    assert asked.status == Status.WAITING
    assert "Nobody approves their own request" in shown_after(client, response)


@pytest.mark.parametrize("persona", ["outsider", "outreach", "volunteer"])
def test_approving_a_request_one_cannot_see_is_404(client, world, asked, persona):
    client.force_login(world.everyone()[persona])

    assert client.post(request_url(asked, "approve")).status_code == 404
    asked.refresh_from_db()
    assert asked.status == Status.WAITING


def test_approving_is_a_post(client, world, asked):
    client.force_login(world.supervisor)

    assert client.get(request_url(asked, "approve")).status_code == 405
    asked.refresh_from_db()
    assert asked.status == Status.WAITING


def test_approving_an_approved_request_again_says_so(client, world, approved):
    client.force_login(world.supervisor)

    response = client.post(request_url(approved, "approve"))

    html = shown_after(client, response)
    assert "This request is not waiting for approval: it is approved, waiting for payment." in html
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED


def test_deny_needs_a_reason(client, world, asked):
    client.force_login(world.supervisor)
    assert client.get(request_url(asked, "deny")).status_code == 200

    for reason in ("", "   "):
        response = client.post(request_url(asked, "deny"), {"reason": reason})
        assert response.status_code == 200
        assert "reason" in response.context["form"].errors
        assert 'id="id_reason_error"' in response.content.decode()
    asked.refresh_from_db()
    assert asked.status == Status.WAITING


def test_the_supervisor_denies_with_a_reason(client, world, asked):
    client.force_login(world.supervisor)

    response = client.post(request_url(asked, "deny"), {"reason": "Rent is covered by the voucher this month."})

    asked.refresh_from_db()
    assert (asked.status, asked.closed_by) == (Status.DENIED, world.supervisor)
    assert asked.close_reason == "Rent is covered by the voucher this month."
    html = shown_after(client, response)
    assert "Denied; the person who asked is told why." in html
    assert "Rent is covered by the voucher this month." in html


def test_the_specialist_may_not_deny_and_an_outsider_does_not_see(client, world, asked):
    client.force_login(world.specialist)
    assert client.get(request_url(asked, "deny")).status_code == 403
    assert client.post(request_url(asked, "deny"), {"reason": "No"}).status_code == 403

    client.force_login(world.outsider)
    assert client.get(request_url(asked, "deny")).status_code == 404
    asked.refresh_from_db()
    assert asked.status == Status.WAITING


def test_denying_a_denied_request_says_so(client, world, asked):
    request_services.deny(asked, by=world.supervisor, reason="Not this time")
    client.force_login(world.supervisor)

    response = client.post(request_url(asked, "deny"), {"reason": "Again"})

    assert "This request is denied." in shown_after(client, response)
    asked.refresh_from_db()
    assert asked.close_reason == "Not this time"


def test_cancel_needs_a_reason_then_cancels(client, world, asked):
    client.force_login(world.specialist)

    refused = client.post(request_url(asked, "cancel"), {"reason": ""})
    asked.refresh_from_db()
    assert refused.status_code == 200
    assert "reason" in refused.context["form"].errors
    assert asked.status == Status.WAITING

    response = client.post(request_url(asked, "cancel"), {"reason": "The landlord waived it."})

    asked.refresh_from_db()
    assert (asked.status, asked.closed_by, asked.close_reason) == (
        Status.CANCELLED,
        world.specialist,
        "The landlord waived it.",
    )
    assert "Cancelled." in shown_after(client, response)


def test_finance_may_not_cancel_a_request_before_it_is_approved(client, world, asked):
    client.force_login(world.finance)

    assert client.get(request_url(asked, "cancel")).status_code == 403
    assert client.post(request_url(asked, "cancel"), {"reason": "No"}).status_code == 403


# Paying, and the receipt -------------------------------------------------------------------------


def pay_post(**changes):
    return {"method": "check", "reference": "CHK-2231", "paid_on": today().isoformat(), **changes}


def test_finance_pays_with_a_receipt_and_the_receipt_downloads(client, world, approved):
    client.force_login(world.finance)
    assert client.get(request_url(approved, "pay")).status_code == 200

    response = client.post(request_url(approved, "pay"), {**pay_post(), "receipt": pdf_upload("receipt-2231.pdf")})

    approved.refresh_from_db()
    payment = Payment.objects.get(request=approved)
    assert response["Location"] == request_url(approved)
    assert approved.status == Status.PAID
    assert (payment.method, payment.reference, payment.paid_by) == ("check", "CHK-2231", world.finance)
    assert payment.receipt.case == world.case_a
    assert f"Payment recorded for {approved.number}." in shown_after(client, response)

    for person in (world.finance, world.specialist):
        client.force_login(person)
        download = client.get(reverse("assistance:receipt", args=[approved.pk]))
        body = b"".join(download.streaming_content)
        assert download.status_code == 200
        assert download["Content-Disposition"] == 'attachment; filename="receipt-2231.pdf"'
        assert download["Content-Type"] == "application/pdf"
        assert body == pdf_bytes()
        assert AccessLogEntry.objects.filter(user=person, action="download", target_id=world.case_a.pk).exists()


@pytest.mark.parametrize("persona", ["outsider", "outreach", "trainer"])
def test_the_receipt_is_404_for_those_who_do_not_pay_or_see_the_case(client, world, approved, persona):
    pay_money(approved, world.finance, receipt=pdf_upload("receipt.pdf"))
    client.force_login(world.everyone()[persona])

    response = client.get(reverse("assistance:receipt", args=[approved.pk]))

    assert response.status_code == 404
    assert not AccessLogEntry.objects.filter(action="download").exists()


def test_a_payment_without_a_receipt_has_none_to_download(client, world, approved):
    pay_money(approved, world.finance)
    client.force_login(world.finance)

    assert client.get(reverse("assistance:receipt", args=[approved.pk])).status_code == 404
    assert client.get(reverse("assistance:receipt_add", args=[approved.pk])).status_code == 200


def test_paying_a_paid_request_again_says_so(client, world, approved):
    pay_money(approved, world.finance, reference="CHK-1")
    client.force_login(world.finance)

    response = client.post(request_url(approved, "pay"), pay_post(reference="CHK-2"))

    assert "This request is paid; it cannot be paid now." in shown_after(client, response)
    assert list(Payment.objects.values_list("reference", flat=True)) == ["CHK-1"]


def test_a_request_not_yet_approved_cannot_be_paid(client, world, asked):
    client.force_login(world.finance)

    response = client.post(request_url(asked, "pay"), pay_post())

    assert "it cannot be paid now" in shown_after(client, response)
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reference": ""}, "reference", "This field is required."),
        ({"paid_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "paid_on",
         "The payment date cannot be in the future."),
        ({"paid_on": "not a day"}, "paid_on", "Enter a valid date."),
        ({"method": "cash"}, "method", "Select a valid choice. cash is not one of the available choices."),
    ],
)  # fmt: skip
def test_a_bad_payment_is_refused_beside_its_field(client, world, approved, changes, field, message):
    client.force_login(world.finance)

    response = client.post(request_url(approved, "pay"), pay_post(**changes))

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED
    assert not Payment.objects.exists()


def test_a_receipt_that_is_not_what_it_says_is_refused_and_nothing_is_paid(client, world, approved):
    client.force_login(world.finance)

    response = client.post(request_url(approved, "pay"), {**pay_post(), "receipt": upload("receipt.pdf", b"hello")})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["receipt"]
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED
    assert not Payment.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("supervisor", 403), ("specialist", 403), ("outsider", 404)])
def test_only_finance_pays(client, world, approved, persona, status):
    client.force_login(world.everyone()[persona])

    assert client.get(request_url(approved, "pay")).status_code == status
    assert client.post(request_url(approved, "pay"), pay_post()).status_code == status
    assert not Payment.objects.exists()


def test_finance_adds_a_receipt_later(client, world, approved):
    pay_money(approved, world.finance)
    client.force_login(world.finance)

    response = client.post(reverse("assistance:receipt_add", args=[approved.pk]), {"receipt": pdf_upload("late.pdf")})

    assert response.status_code == 302
    assert Payment.objects.get().receipt.original_name == "late.pdf"
    assert client.get(reverse("assistance:receipt_add", args=[approved.pk])).status_code == 403


# The request's page -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["specialist", "supervisor", "director", "finance"])
def test_the_request_page_for_those_who_see_it(client, world, asked, persona):
    client.force_login(world.everyone()[persona])

    response = client.get(request_url(asked))

    html = response.content.decode()
    assert response.status_code == 200
    assert asked.number in html
    assert "$400.00" in html
    assert "Park Street Apartments LLC" in html


@pytest.mark.parametrize("persona", ["colleague", "outsider", "outreach", "volunteer", "trainer", "administrator"])
def test_the_request_page_is_404_for_everyone_else(client, world, asked, persona):
    client.force_login(world.everyone()[persona])

    assert client.get(request_url(asked)).status_code == 404


def test_a_request_that_does_not_exist_is_404(client, world):
    client.force_login(world.finance)

    assert client.get(reverse("assistance:request", args=[999999])).status_code == 404


# The queues --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["supervisor", "finance", "director"])
@pytest.mark.parametrize("which", ["approval", "payment"])
def test_the_queues_for_those_who_approve_or_pay(client, world, fund, persona, which):
    waiting = ask_money(world.case_a, world.specialist, fund, purpose="Waiting rent")
    ready = request_services.approve(ask_money(world.case_a, world.specialist, fund), by=world.supervisor)
    client.force_login(world.everyone()[persona])

    response = client.get(reverse("assistance:queue", args=[which]))

    html = response.content.decode()
    shown, hidden = (waiting, ready) if which == "approval" else (ready, waiting)
    assert response.status_code == 200
    assert [row.pk for row in response.context["page"].object_list] == [shown.pk]
    assert request_url(shown) in html
    assert request_url(hidden) not in html
    assert response.context["counts"] == {"approval": 1, "payment": 1}
    assert world.case_a.survivor.client_code in html


def test_the_queue_marks_whose_turn_it_is(client, world, fund):
    mine = ask_money(world.case_a, world.specialist, fund)
    own = ask_money(world.case_a, world.supervisor, fund)
    client.force_login(world.supervisor)

    response = client.get(reverse("assistance:queue", args=["approval"]), {"mine": "1"})

    assert [row.pk for row in response.context["page"].object_list] == [mine.pk]
    assert response.context["page"].object_list[0].my_turn
    every = client.get(reverse("assistance:queue", args=["approval"])).context["page"].object_list
    assert {row.pk: row.my_turn for row in every} == {mine.pk: True, own.pk: False}


def test_a_supervisors_queue_pages_their_teams_requests_soonest_needed_first(client, world, fund):
    soon = today() + timedelta(days=3)
    theirs = [
        ask_money(world.case_a, world.specialist, fund, needed_by=soon + timedelta(days=n % 9)) for n in range(27)
    ]
    ask_money(world.case_b, world.outsider, fund, needed_by=soon)
    ready = request_services.approve(ask_money(world.case_a, world.specialist, fund), by=world.supervisor)
    client.force_login(world.supervisor)

    first = client.get(reverse("assistance:queue", args=["approval"]))
    second = client.get(reverse("assistance:queue", args=["approval"]), {"page": "2"})

    in_order = [asked.pk for asked in sorted(theirs, key=lambda asked: (asked.needed_by, asked.pk))]
    assert [row.pk for row in first.context["page"].object_list] == in_order[:25]
    assert [row.pk for row in second.context["page"].object_list] == in_order[25:]
    assert first.context["counts"] == second.context["counts"] == {"approval": 27, "payment": 1}
    assert first.context["page"].paginator.num_pages == 2
    assert all(row.my_turn for row in first.context["page"].object_list)
    assert request_url(ready) not in first.content.decode()


def test_whose_turn_follows_the_persons_role(client, world, fund):
    waiting = ask_money(world.case_a, world.specialist, fund)
    client.force_login(world.supervisor)
    before = client.get(reverse("assistance:queue", args=["approval"])).context["page"].object_list
    # The same person moved to finance: a first approval is no longer theirs to give.
    world.supervisor.groups.clear()
    world.supervisor.groups.add(Group.objects.get(name=Role.FINANCE))
    client.force_login(User.objects.get(pk=world.supervisor.pk))

    after = client.get(reverse("assistance:queue", args=["approval"])).context["page"].object_list

    assert [(row.pk, row.my_turn) for row in before] == [(waiting.pk, True)]
    assert [(row.pk, row.my_turn) for row in after] == [(waiting.pk, False)]


@pytest.mark.parametrize("persona", ["specialist", "colleague", "outsider", "outreach", "volunteer", "trainer"])
def test_the_queues_are_403_for_everyone_else(client, world, persona):
    client.force_login(world.everyone()[persona])

    for which in ("approval", "payment"):
        assert client.get(reverse("assistance:queue", args=[which])).status_code == 403


@pytest.mark.parametrize("persona", ["finance", "supervisor"])
@pytest.mark.parametrize("page", ["abc", "999", "-1", "0", "1e9", ""])
def test_a_strange_page_number_shows_a_page(client, world, asked, page, persona):
    client.force_login(world.everyone()[persona])

    response = client.get(reverse("assistance:queue", args=["approval"]), {"page": page})

    assert response.status_code == 200
    assert [row.pk for row in response.context["page"].object_list] == [asked.pk]


def test_an_unknown_queue_is_404(client, world):
    client.force_login(world.finance)

    assert client.get("/assistance/queue/everything/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "where"),
    [("supervisor", "/assistance/queue/approval/"), ("finance", "/assistance/queue/approval/"),
     ("specialist", "/assistance/funds/")],
)  # fmt: skip
def test_assistance_home_sends_each_to_their_page(client, world, persona, where):
    client.force_login(world.everyone()[persona])

    response = client.get(reverse("assistance:home"))

    assert (response.status_code, response["Location"]) == (302, where)


def test_assistance_home_is_403_without_a_part_in_it(client, world):
    client.force_login(world.outreach)

    assert client.get(reverse("assistance:home")).status_code == 403


# Funds --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["specialist", "finance"])
def test_the_fund_list_and_page(client, world, approved, persona):
    pay_money(approved, world.finance)
    client.force_login(world.everyone()[persona])

    listed = client.get(reverse("assistance:funds"))
    page = client.get(reverse("assistance:fund", args=[approved.fund.pk]))

    assert listed.status_code == page.status_code == 200
    assert approved.fund.name in listed.content.decode()
    html = main_of(page)
    assert approved.fund.award_number in html
    assert "$9,600.00" in html  # remaining of the $10,000 total
    assert "<svg" in html
    assert world.case_a.survivor.client_code not in html  # a fund's page is aggregate only


@pytest.mark.parametrize("persona", ["outreach", "volunteer", "trainer"])
def test_the_funds_are_403_for_those_without_a_part(client, world, fund, persona):
    client.force_login(world.everyone()[persona])

    assert client.get(reverse("assistance:funds")).status_code == 403
    assert client.get(reverse("assistance:fund", args=[fund.pk])).status_code == 403


def test_a_fund_that_does_not_exist_is_404(client, world):
    client.force_login(world.finance)

    assert client.get(reverse("assistance:fund", args=[999999])).status_code == 404


def fund_post(**changes):
    data = {
        "name": "Housing fund",
        "funder": "State of Connecticut",
        "award_number": "CT-2026-01",
        "starts_on": (today() - timedelta(days=30)).isoformat(),
        "ends_on": (today() + timedelta(days=335)).isoformat(),
        "total": "10,000",
        "note": "",
        **{FundForm.budget_field(category): "" for category in Category.values},
        "budget_rent": "3000",
        "budget_job_training": "500.50",
    }
    return {**data, **changes}


def test_finance_sets_up_a_fund(client, world):
    client.force_login(world.finance)
    assert client.get(reverse("assistance:fund_new")).status_code == 200

    response = client.post(reverse("assistance:fund_new"), fund_post())

    made = Fund.objects.get()
    assert response["Location"] == reverse("assistance:fund", args=[made.pk])
    assert (made.name, made.total, made.created_by) == ("Housing fund", Decimal("10000.00"), world.finance)
    assert dict(made.budgets.values_list("category", "amount")) == {
        "rent": Decimal("3000.00"),
        "job training": Decimal("500.50"),
    }
    assert "Fund Housing fund set up." in shown_after(client, response)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"budget_rent": "9600"}, None,
         "The category budgets add up to $10,100.50, more than the fund's total of $10,000.00."),
        ({"budget_rent": "", "budget_job_training": ""}, None,
         "Give at least one category a budget: it is what the fund may pay for."),
        ({"total": "abc"}, "total", "Enter an amount in dollars and cents, like 120 or 120.50."),
        ({"total": "0"}, "total", "Enter an amount above zero."),
        ({"budget_food": "-1"}, "budget_food", "An amount cannot be negative."),
        ({"ends_on": (timezone.localdate() - timedelta(days=31)).isoformat()}, "ends_on",
         "The period ends before it starts."),
    ],
)  # fmt: skip
def test_a_fund_the_rules_refuse_is_not_saved(client, world, changes, field, message):
    client.force_login(world.finance)

    response = client.post(reverse("assistance:fund_new"), fund_post(name="Refused fund", **changes))

    html = response.content.decode()
    assert response.status_code == 200
    form = response.context["form"]
    assert (form.non_field_errors() if field is None else form.errors[field]) == [message]
    assert message.replace("'", "&#x27;") in html
    assert 'value="Refused fund"' in html
    assert not Fund.objects.exists()
    assert not FundBudget.objects.exists()


def test_an_award_number_used_twice_is_refused(client, world, fund):
    client.force_login(world.finance)

    response = client.post(reverse("assistance:fund_new"), fund_post(award_number=fund.award_number))

    assert response.status_code == 200
    assert response.context["form"].errors["award_number"] == ["Another fund has this award number."]
    assert Fund.objects.count() == 1


def test_finance_changes_a_fund(client, world, fund):
    client.force_login(world.finance)
    url = reverse("assistance:fund_edit", args=[fund.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["budget_rent"] == Decimal("5000.00")

    response = client.post(
        url, fund_post(name="Renamed fund", award_number=fund.award_number, budget_rent="4000", budget_food="")
    )

    fund.refresh_from_db()
    assert response["Location"] == reverse("assistance:fund", args=[fund.pk])
    assert fund.name == "Renamed fund"
    assert dict(fund.budgets.values_list("category", "amount")) == {
        "rent": Decimal("4000.00"),
        "job training": Decimal("500.50"),
    }


def test_a_change_adding_up_to_more_than_the_total_is_refused(client, world, fund):
    client.force_login(world.finance)

    response = client.post(
        reverse("assistance:fund_edit", args=[fund.pk]),
        fund_post(name="Renamed fund", award_number=fund.award_number, total="5000", budget_rent="5000"),
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The category budgets add up to $5,500.50, more than the fund's total of $5,000.00."
    ]
    fund.refresh_from_db()
    assert (fund.name, fund.total) == ("Test fund", Decimal("10000.00"))
    assert dict(fund.budgets.values_list("category", "amount")) == {
        "rent": Decimal("5000.00"),
        "food": Decimal("1000.00"),
    }


def test_a_budget_below_what_is_committed_is_refused(client, world, approved):
    fund = approved.fund
    client.force_login(world.finance)

    response = client.post(
        reverse("assistance:fund_edit", args=[fund.pk]),
        fund_post(award_number=fund.award_number, budget_rent="399.99", budget_food="1000"),
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Rent: $400.00 is already committed; the budget cannot be less."
    ]
    assert fund.budgets.get(category="rent").amount == Decimal("5000.00")


@pytest.mark.parametrize("persona", ["specialist", "supervisor", "outreach"])
def test_only_finance_and_the_director_set_up_funds(client, world, fund, persona):
    client.force_login(world.everyone()[persona])

    assert client.get(reverse("assistance:fund_new")).status_code == 403
    assert client.post(reverse("assistance:fund_new"), fund_post()).status_code == 403
    assert client.post(reverse("assistance:fund_edit", args=[fund.pk]), fund_post()).status_code == 403
    assert list(Fund.objects.values_list("name", flat=True)) == ["Test fund"]


# Help in kind -------------------------------------------------------------------------------------


def item_post(**changes):
    return {"kind": "bus pass", "description": "Monthly pass", "quantity": "2", "value": "64.50",
            "given_on": today().isoformat(), **changes}  # fmt: skip


def test_recording_help_in_kind(client, world):
    client.force_login(world.specialist)

    response = client.post(reverse("assistance:item_new", args=[world.case_a.pk]), item_post())

    item = InKindItem.objects.get()
    assert response["Location"] == reverse("assistance:case", args=[world.case_a.pk])
    assert (item.case, item.kind, item.quantity, item.value) == (world.case_a, "bus pass", 2, Decimal("64.50"))
    assert "Recorded: Bus pass (2)." in shown_after(client, response)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"given_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "given_on",
         "The date cannot be in the future."),
        ({"quantity": "0"}, "quantity", "Ensure this value is greater than or equal to 1."),
        ({"value": "12.345"}, "value", "Use at most two decimal places (cents), like 12.34."),
    ],
)  # fmt: skip
def test_help_in_kind_the_rules_refuse_is_not_saved(client, world, changes, field, message):
    client.force_login(world.specialist)

    response = client.post(reverse("assistance:item_new", args=[world.case_a.pk]), item_post(**changes))

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert 'value="Monthly pass"' in response.content.decode()
    assert not InKindItem.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("finance", 404), ("volunteer", 404)])
def test_help_in_kind_is_refused_to_those_who_do_not_work_the_case(client, world, persona, status):
    client.force_login(world.everyone()[persona])

    assert client.post(reverse("assistance:item_new", args=[world.case_a.pk]), item_post()).status_code == status
    assert not InKindItem.objects.exists()


def test_removing_help_in_kind_needs_a_reason(client, world):
    item = give_kit(world)
    client.force_login(world.specialist)
    url = reverse("assistance:item_remove", args=[world.case_a.pk, item.pk])

    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert InKindItem.objects.filter(pk=item.pk).exists()

    response = client.post(url, {"reason": "Recorded on the wrong case"})

    assert response.status_code == 302
    assert not InKindItem.objects.filter(pk=item.pk).exists()


# Housing ------------------------------------------------------------------------------------------


def stay_post(**changes):
    started = today() - timedelta(days=10)
    return {"kind": "emergency", "long_term": "", "provider": "", "provider_name": "Safe Harbor Shelter",
            "started_on": started.isoformat(), "expected_end": (started + timedelta(days=45)).isoformat(), "note": "",
            **changes}  # fmt: skip


def test_recording_a_housing_stay(client, world):
    client.force_login(world.specialist)
    assert client.get(reverse("assistance:stay_new", args=[world.case_a.pk])).status_code == 200

    response = client.post(reverse("assistance:stay_new", args=[world.case_a.pk]), stay_post())

    stay = HousingPlacement.objects.get()
    assert response["Location"] == reverse("assistance:case", args=[world.case_a.pk])
    assert (stay.case, stay.kind, stay.provider_name, stay.ended_on) == (
        world.case_a,
        "emergency",
        "Safe Harbor Shelter",
        None,
    )
    assert "Housing stay recorded." in shown_after(client, response)


def test_a_new_stay_ends_the_current_one(client, world):
    current = shelter_stay(world, started_on=today() - timedelta(days=20))
    client.force_login(world.specialist)

    response = client.post(
        reverse("assistance:stay_new", args=[world.case_a.pk]),
        stay_post(kind="long-term", long_term="rental", provider_name="", expected_end="",
                  started_on=today().isoformat()),
    )  # fmt: skip

    current.refresh_from_db()
    assert response.status_code == 302
    assert (current.ended_on, current.exit_destination) == (today(), "rental")
    assert HousingPlacement.objects.filter(ended_on__isnull=True).get().long_term == "rental"


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"expected_end": (timezone.localdate() + timedelta(days=90)).isoformat()}, "expected_end",
         "Emergency shelter lasts up to 2 months"),
        ({"expected_end": ""}, "expected_end", "Give the expected end"),
        ({"provider_name": ""}, "provider", "Name the shelter or program."),
        ({"kind": "long-term", "expected_end": ""}, "long_term", "Say what the long-term housing is"),
        ({"started_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
          "expected_end": (timezone.localdate() + timedelta(days=5)).isoformat()}, "started_on",
         "Record a stay once it has begun."),
    ],
)  # fmt: skip
def test_a_stay_the_rules_refuse_is_not_saved(client, world, changes, field, fragment):
    client.force_login(world.specialist)

    response = client.post(reverse("assistance:stay_new", args=[world.case_a.pk]), stay_post(**changes))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert fragment in errors[field][0]
    assert not HousingPlacement.objects.exists()


def change_post(stay, **changes):
    return {"expected_end": stay.expected_end.isoformat(), "ended_on": "", "exit_destination": "", "note": "",
            **changes}  # fmt: skip


def test_ending_a_stay(client, world):
    stay = shelter_stay(world)
    client.force_login(world.specialist)
    url = reverse("assistance:stay_edit", args=[world.case_a.pk, stay.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, change_post(stay, ended_on=today().isoformat(), exit_destination="family"))

    stay.refresh_from_db()
    assert response["Location"] == reverse("assistance:case", args=[world.case_a.pk])
    assert (stay.ended_on, stay.exit_destination) == (today(), "family")


def test_moving_the_expected_end(client, world):
    stay = shelter_stay(world)
    client.force_login(world.specialist)
    new_end = stay.started_on + timedelta(days=50)

    response = client.post(
        reverse("assistance:stay_edit", args=[world.case_a.pk, stay.pk]),
        change_post(stay, expected_end=new_end.isoformat(), note="Extended"),
    )

    stay.refresh_from_db()
    assert response.status_code == 302
    assert (stay.expected_end, stay.note, stay.ended_on) == (new_end, "Extended", None)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ended_on": timezone.localdate().isoformat()}, "exit_destination", "Say where the survivor went."),
        ({"exit_destination": "family"}, "ended_on", "Give the day the stay ended."),
        ({"ended_on": (timezone.localdate() + timedelta(days=1)).isoformat(), "exit_destination": "family"},
         "ended_on", "Record the end once it has happened."),
    ],
)  # fmt: skip
def test_a_stay_change_the_rules_refuse_is_not_saved(client, world, changes, field, message):
    stay = shelter_stay(world)
    client.force_login(world.specialist)

    url = reverse("assistance:stay_edit", args=[world.case_a.pk, stay.pk])

    response = client.post(url, change_post(stay, **changes))

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    stay.refresh_from_db()
    assert (stay.ended_on, stay.exit_destination) == (None, "")


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("finance", 404), ("trainer", 404)])
def test_housing_is_refused_to_those_who_do_not_work_the_case(client, world, persona, status):
    stay = shelter_stay(world)
    client.force_login(world.everyone()[persona])

    assert client.post(reverse("assistance:stay_new", args=[world.case_a.pk]), stay_post()).status_code == status
    edit = reverse("assistance:stay_edit", args=[world.case_a.pk, stay.pk])
    ending = change_post(stay, ended_on=today().isoformat(), exit_destination="family")
    assert client.post(edit, ending).status_code == status
    stay.refresh_from_db()
    assert stay.ended_on is None
    assert HousingPlacement.objects.count() == 1


# Help in kind for reporting -----------------------------------------------------------------------


def test_the_necessities_page_counts_what_was_given(client, world):
    give_kit(world)
    give_kit(world, description="Another")
    client.force_login(world.finance)

    response = client.get(reverse("assistance:necessities"))

    assert response.status_code == 200
    [line] = response.context["lines"]
    assert (line.kind, line.items, line.quantity, line.value, line.survivors) == (
        "hygiene kit",
        2,
        2,
        Decimal("50.00"),
        1,
    )
    html = response.content.decode()
    assert "$50.00" in html
    assert "Shampoo and soap" not in html
    assert world.case_a.survivor.client_code not in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "2026-05-10", "end": "2026-05-01"}, "end", "The end is before the start."),
        ({"start": "2010-01-01", "end": "2026-05-01"}, "end", "Choose at most six years."),
        ({"start": "abc", "end": "2026-05-01"}, "start", "Enter a valid date."),
        ({"start": "2026-02-30", "end": "2026-05-01"}, "start", "Enter a valid date."),
        ({"end": "2026-05-01"}, "start", "This field is required."),
    ],
)
def test_a_bad_period_on_the_necessities_page_shows_a_message(client, world, query, field, message):
    give_kit(world)
    client.force_login(world.specialist)

    response = client.get(reverse("assistance:necessities"), query)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["period"].errors == {field: [message]}
    assert message in html
    assert response.context["lines"] == []


def test_the_necessities_page_is_403_without_a_part(client, world):
    client.force_login(world.outreach)

    assert client.get(reverse("assistance:necessities")).status_code == 403
