"""The leak test: finance pays requests program-wide and sees their client code, amount and payee,
never the rest of the case. Those with no part in assistance see none of it.

The case is built through the real services with everything a case can hold (names, date of
birth, immigration status, address, a contact note, a screening narrative, a safety plan,
a family member, a document), money is asked for on it at every step, and then finance opens
every assistance page it can reach.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from assistance import urls as assistance_urls
from assistance.models import AssistanceRequest, Category, Fund, HousingPlacement, InKindItem
from assistance.services import help as help_services
from assistance.services import housing as housing_services
from assistance.services import requests as request_services
from cases import services
from cases.models import Case, Contact, Document
from tests.cases.sharing_files import pdf_upload
from tests.factories import ask_money, make_case, make_fund, pay_money

LEGAL_NAME = "Marisol Quintero-Vance"
PREFERRED_NAME = "Solecita"
ALIAS = "La Flaca Morena"
BORN = date(1991, 7, 23)
ADDRESS = "48 Orchard Lane, Apt 3, New Britain"
PHONE = "860-555-0147"
EMAIL = "solecita.q@example.net"
EMERGENCY_CONTACT = "Ramona Fuentes"
CONTACT_NOTE = "She fears her uncle will find her at the Elm Street bakery"
NARRATIVE = "Recruited through a fake modelling agency in Tijuana"
SCREENING_PLACE = "Tijuana"
CODE_WORD = "Sunflower-7731"
RISK = "He waits by the bus stop on Main Street"
STRATEGY = "Take the 42 bus instead and text Teodora"
SAFE_PERSON = "Teodora Ruiz"
SAFE_PLACE = "Public library on Maple Avenue"
STAFF_NOTE = "Check on the bus route next time."
DOCUMENTS_KEPT = "Passport copy at the cousin's house"
FAMILY_MEMBER = "Pedrito Quintero"
DOCUMENT_TITLE = "Passport scan, second page"

PAYEES = {
    "waiting": "Corner Market Co-op",
    "second": "Hillcrest Housing LLC",
    "approved": "Riverside Rentals Inc",
    "paid": "Eversource Energy",
    "unreceipted": "Harbor Utilities",
}


def sensitive() -> list[str]:
    """Everything of the case that finance must never read, in each way a page might write it."""
    return [
        LEGAL_NAME, "Quintero", PREFERRED_NAME, ALIAS, ADDRESS, "Orchard Lane", PHONE, "8605550147", EMAIL,
        EMERGENCY_CONTACT, CONTACT_NOTE, "Elm Street bakery", NARRATIVE, SCREENING_PLACE, CODE_WORD, RISK,
        STRATEGY, SAFE_PERSON, SAFE_PLACE, STAFF_NOTE, DOCUMENTS_KEPT, FAMILY_MEMBER, DOCUMENT_TITLE,
        # the date of birth, however it is written
        BORN.isoformat(), date_format(BORN, "DATE_FORMAT"), date_format(BORN, "SHORT_DATE_FORMAT"),
        BORN.strftime("%m/%d/%Y"), "July 23, 1991",
        # the immigration status, as stored and as shown
        "t visa applied", "T visa applied for",
    ]  # fmt: skip


def assert_no_leak(text: str, where: str) -> None:
    lowered = text.lower()
    found = [secret for secret in sensitive() if secret.lower() in lowered]
    assert found == [], f"{where} shows {found}"


@dataclass
class Story:
    case: Case
    fund: Fund
    waiting: AssistanceRequest  # waiting for the supervisor
    second: AssistanceRequest  # above the threshold, approved once, waiting for finance
    approved: AssistanceRequest  # waiting for payment
    paid: AssistanceRequest  # paid, with its receipt
    unreceipted: AssistanceRequest  # paid, receipt to come
    document: Document  # the passport scan kept on the case
    item: InKindItem
    stay: HousingPlacement

    def requests(self) -> dict[str, AssistanceRequest]:
        return {name: getattr(self, name) for name in PAYEES}


@pytest.fixture
def story(world) -> Story:
    today = timezone.localdate()
    case = make_case(
        team=world.team_a, specialists=[world.specialist], legal_name=LEGAL_NAME, preferred_name=PREFERRED_NAME,
        aliases=ALIAS, date_of_birth=BORN, immigration_status="t visa applied", mailing_address=ADDRESS,
        phone=PHONE, email=EMAIL, emergency_contact_name=EMERGENCY_CONTACT, emergency_contact_relationship="Aunt",
        opened_on=today - timedelta(days=30),
    )  # fmt: skip
    by = world.specialist
    services.log_contact(
        case, by=by, kind=Contact.Kind.PHONE, occurred_at=timezone.now() - timedelta(hours=2),
        initiated_by=Contact.Initiator.STAFF, note=CONTACT_NOTE,
    )  # fmt: skip
    services.record_screening(
        case, by=by, sensitive_allowed=True,
        answers={"actions": ["recruits"], "means": ["confinement"], "purposes": ["commercial sex"]},
        context={"narrative": NARRATIVE, "location": SCREENING_PLACE, "trafficker_in_contact": True},
    )  # fmt: skip
    services.save_safety_plan(
        case, by=by, code_word=CODE_WORD, emergency_numbers=["911"], documents_kept=DOCUMENTS_KEPT,
        staff_note=STAFF_NOTE, review_on=today + timedelta(days=60),
        risks=[{"source": "trafficker", "kind": "physical harm", "methods": ["threats"], "description": RISK,
                "strategies": STRATEGY}],
        people=[{"name": SAFE_PERSON, "relationship": "Cousin", "phone": "860-555-0199"}],
        places=[{"place": SAFE_PLACE, "note": "Open until 8 pm"}],
    )  # fmt: skip
    services.add_family_member(case, by=by, name=FAMILY_MEMBER, relationship="Son")
    document = services.add_document(case, by=by, kind="identification", title=DOCUMENT_TITLE, upload=pdf_upload())
    fund = make_fund(
        world.finance, budgets={Category.RENT: "5000.00", Category.FOOD: "1000.00", Category.UTILITIES: "1000.00"}
    )

    def ask(name, category, amount):
        return ask_money(case, by, fund, category=category, amount=amount, payee_name=PAYEES[name],
                         payee_details="Account 7788-12", purpose=f"Help number {name}")  # fmt: skip

    def approved(name, category, amount):
        return request_services.approve(ask(name, category, amount), by=world.supervisor)

    paid = approved("paid", Category.UTILITIES, "250.00")
    pay_money(paid, world.finance, reference="CHK-9001", receipt=pdf_upload("receipt.pdf"))
    unreceipted = approved("unreceipted", Category.UTILITIES, "125.00")
    pay_money(unreceipted, world.finance, reference="CHK-9002")
    item = help_services.give(
        case, by=by, details=help_services.ItemDetails(kind="food", description="Groceries", quantity=1,
                                                      value=Decimal("40.00"), given_on=today),
    )  # fmt: skip
    stay = housing_services.place(
        case, by=by, details=housing_services.StayDetails(
            kind="emergency", long_term="", provider=None, provider_name="Safe Harbor Shelter",
            started_on=today - timedelta(days=5), expected_end=today + timedelta(days=30)),
    )  # fmt: skip
    return Story(
        case=case,
        fund=fund,
        waiting=ask("waiting", Category.FOOD, "300.00"),
        second=approved("second", Category.RENT, "700.00"),
        approved=approved("approved", Category.RENT, "400.00"),
        paid=paid,
        unreceipted=unreceipted,
        document=document,
        item=item,
        stay=stay,
    )


def every_assistance_url(story: Story) -> dict[str, str]:
    """A real URL for every route of the assistance app, by its name."""
    case, fund, today = story.case.pk, story.fund.pk, timezone.localdate()
    return {
        "case": f"/cases/{case}/assistance/",
        "request_new": f"/cases/{case}/assistance/requests/new/",
        "request_edit": f"/cases/{case}/assistance/requests/{story.waiting.pk}/edit/",
        "item_new": f"/cases/{case}/assistance/in-kind/new/",
        "item_remove": f"/cases/{case}/assistance/in-kind/{story.item.pk}/remove/",
        "stay_new": f"/cases/{case}/assistance/housing/new/",
        "stay_edit": f"/cases/{case}/assistance/housing/{story.stay.pk}/edit/",
        "award_add": f"/cases/{case}/assistance/awards/add/",
        "award_remove": f"/cases/{case}/assistance/awards/remove/",
        "home": "/assistance/",
        "queue": "/assistance/queue/approval/",
        "request": f"/assistance/requests/{story.waiting.pk}/",
        "request_approve": f"/assistance/requests/{story.waiting.pk}/approve/",
        "request_deny": f"/assistance/requests/{story.waiting.pk}/deny/",
        "request_cancel": f"/assistance/requests/{story.waiting.pk}/cancel/",
        "request_pay": f"/assistance/requests/{story.approved.pk}/pay/",
        "receipt": f"/assistance/requests/{story.paid.pk}/receipt/",
        "receipt_add": f"/assistance/requests/{story.unreceipted.pk}/receipt/add/",
        "funds": "/assistance/funds/",
        "fund_new": "/assistance/funds/new/",
        "fund": f"/assistance/funds/{fund}/",
        "fund_edit": f"/assistance/funds/{fund}/edit/",
        "fund_payments": f"/assistance/funds/{fund}/payments.csv?start={today.replace(day=1)}&end={today}",
        "necessities": "/assistance/in-kind/",
    }


# The routes that only take a post: anything else is a 405, whoever asks.
POST_ONLY = {"request_approve", "award_add", "award_remove"}


def test_the_list_of_urls_covers_every_assistance_route(story):
    assert set(every_assistance_url(story)) == {pattern.name for pattern in assistance_urls.urlpatterns}


def finance_pages(story: Story) -> dict[str, str]:
    """Every page finance can reach in assistance, and the pages around it."""
    today = timezone.localdate()
    pages = {
        "approval queue": "/assistance/queue/approval/",
        "approval queue, mine": "/assistance/queue/approval/?mine=1",
        "payment queue": "/assistance/queue/payment/",
        "payment queue, mine": "/assistance/queue/payment/?mine=1",
        "pay form": reverse("assistance:request_pay", args=[story.approved.pk]),
        "cancel form": reverse("assistance:request_cancel", args=[story.approved.pk]),
        "second approval's deny form": reverse("assistance:request_deny", args=[story.second.pk]),
        "receipt form": reverse("assistance:receipt_add", args=[story.unreceipted.pk]),
        "funds": "/assistance/funds/",
        "fund": reverse("assistance:fund", args=[story.fund.pk]),
        "fund edit": reverse("assistance:fund_edit", args=[story.fund.pk]),
        "fund new": "/assistance/funds/new/",
        "necessities": "/assistance/in-kind/",
        "csv": f"/assistance/funds/{story.fund.pk}/payments.csv?start={today - timedelta(days=60)}&end={today}",
        "notifications": "/notifications/",
        "home": "/",
    }
    for name, asked in story.requests().items():
        pages[f"request ({name})"] = reverse("assistance:request", args=[asked.pk])
    return pages


def test_finance_sees_the_money_never_the_story(client, world, story):
    client.force_login(world.finance)
    code = story.case.survivor.client_code

    for name, url in finance_pages(story).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert_no_leak(response.content.decode(), name)

    for name, asked in story.requests().items():
        html = client.get(reverse("assistance:request", args=[asked.pk])).content.decode()
        assert code in html, name
        assert f"${asked.amount:,.2f}" in html, name
        assert PAYEES[name] in html, name
        assert "Account 7788-12" in html, name
    approval = client.get("/assistance/queue/approval/").content.decode()
    payment = client.get("/assistance/queue/payment/").content.decode()
    assert (code in approval, code in payment) == (True, True)
    assert "$700.00" in approval
    assert PAYEES["second"] in approval
    assert "$400.00" in payment
    assert PAYEES["approved"] in payment
    csv_text = client.get(finance_pages(story)["csv"]).content.decode()
    assert code in csv_text
    assert PAYEES["paid"] in csv_text
    assert "250.00" in csv_text


def test_finance_following_the_redirect_from_assistance_home_sees_no_story(client, world, story):
    client.force_login(world.finance)

    response = client.get("/assistance/", follow=True)

    assert response.redirect_chain == [("/assistance/queue/approval/", 302)]
    assert_no_leak(response.content.decode(), "assistance home")


def test_the_pay_form_refused_shows_no_story(client, world, story):
    client.force_login(world.finance)

    response = client.post(
        reverse("assistance:request_pay", args=[story.approved.pk]), {"method": "check", "reference": ""}
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert_no_leak(response.content.decode(), "the refused pay form")


def test_the_receipt_finance_downloads_is_named_as_uploaded(client, world, story):
    client.force_login(world.finance)

    response = client.get(reverse("assistance:receipt", args=[story.paid.pk]))
    b"".join(response.streaming_content)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="receipt.pdf"'
    assert_no_leak(response["Content-Disposition"], "the receipt's name")


def case_pages(story: Story) -> list[str]:
    pk = story.case.pk
    receipt = story.paid.payment.receipt
    return [
        f"/cases/{pk}/", f"/cases/{pk}/edit/", f"/cases/{pk}/assistance/", f"/cases/{pk}/contacts/",
        f"/cases/{pk}/screening/", f"/cases/{pk}/safety/", f"/cases/{pk}/safety/1/", f"/cases/{pk}/timeline/",
        f"/cases/{pk}/history/", f"/cases/{pk}/access-log/",
        f"/cases/{pk}/documents/{story.document.pk}/download/", f"/cases/{pk}/documents/{receipt.pk}/download/",
        f"/cases/{pk}/assistance/requests/new/", f"/cases/{pk}/assistance/housing/{story.stay.pk}/edit/",
        f"/cases/{pk}/assistance/requests/{story.waiting.pk}/edit/",
    ]  # fmt: skip


@pytest.mark.parametrize("persona", ["finance", "outreach", "volunteer", "trainer"])
def test_the_case_itself_is_404_for_finance_and_those_without_a_part(client, world, story, persona):
    client.force_login(world.everyone()[persona])

    for url in case_pages(story):
        response = client.get(url)
        assert response.status_code == 404, url
        assert_no_leak(response.content.decode(), url)


def test_the_case_list_and_search_do_not_show_the_case_to_finance(client, world, story):
    client.force_login(world.finance)

    listed = client.get("/cases/")
    searched = client.post("/cases/", {"q": "Quintero"})  # the search box shows back what was typed

    assert listed.status_code in {200, 403, 404}
    assert_no_leak(listed.content.decode(), "the case list")
    for response in (listed, searched):
        html = response.content.decode()
        assert story.case.survivor.client_code not in html
        assert LEGAL_NAME not in html
        assert ADDRESS not in html


@pytest.mark.parametrize("persona", ["outreach", "volunteer", "trainer"])
def test_every_assistance_url_is_closed_to_those_without_a_part(client, world, story, persona):
    client.force_login(world.everyone()[persona])

    for name, url in every_assistance_url(story).items():
        for response in (client.get(url), client.post(url, {"reason": "x", "amount": "1"})):
            assert response.status_code in {403, 404, 405}, (name, response.request["REQUEST_METHOD"])
            method = response.request["REQUEST_METHOD"]
            assert response.status_code != 405 or (method == "POST") != (name in POST_ONLY), (name, method)
            assert_no_leak(response.content.decode(), name)
            assert story.case.survivor.client_code not in response.content.decode(), name
    for asked in story.requests().values():
        assert client.get(reverse("assistance:request", args=[asked.pk])).status_code == 404
    waiting = AssistanceRequest.objects.get(pk=story.waiting.pk)
    assert (waiting.status, waiting.amount) == (AssistanceRequest.Status.WAITING, Decimal("300.00"))
    assert Fund.objects.count() == 1


@pytest.mark.parametrize("persona", ["outreach", "volunteer", "trainer"])
def test_the_answers_are_403_or_404_as_the_rules_say(client, world, story, persona):
    client.force_login(world.everyone()[persona])
    urls = every_assistance_url(story)
    on_the_case = {"case", "request_new", "request_edit", "item_new", "item_remove", "stay_new", "stay_edit"}
    on_the_case |= {"award_add", "award_remove"}
    on_a_request = {"request", "request_deny", "request_cancel", "request_pay", "receipt", "receipt_add"}

    answers = {name: client.get(url).status_code for name, url in urls.items() if name not in POST_ONLY}
    answers |= {name: client.post(urls[name]).status_code for name in POST_ONLY}

    expected = {name: 404 if name in on_the_case | on_a_request | {"request_approve"} else 403 for name in urls}
    assert answers == expected


# A restricted case ----------------------------------------------------------------------------------


@pytest.fixture
def restricted(world, story) -> Story:
    services.set_restriction(story.case, by=world.supervisor, restricted=True, named=[world.supervisor])
    return story


@pytest.mark.parametrize("persona", ["finance", "director"])
def test_a_restricted_case_shows_no_client_code_to_those_who_pay(client, world, restricted, persona):
    client.force_login(world.everyone()[persona])
    code = restricted.case.survivor.client_code

    for name, url in finance_pages(restricted).items():
        if persona == "director" and name in {"pay form", "receipt form", "cancel form"}:
            continue  # the director does not pay, and may not cancel on a case they are not named on
        response = client.get(url)
        assert response.status_code == 200, name
        assert code not in response.content.decode(), name
        assert_no_leak(response.content.decode(), name)

    page = client.get(reverse("assistance:request", args=[restricted.approved.pk])).content.decode()
    assert "Not shown: the case is restricted" in page
    assert "$400.00" in page
    assert PAYEES["approved"] in page
    queue = client.get("/assistance/queue/payment/")
    assert [row.code_hidden for row in queue.context["page"].object_list] == [True]
    assert '<span class="muted">restricted</span>' in queue.content.decode()


def test_the_csv_writes_restricted_for_a_restricted_case(client, world, restricted):
    client.force_login(world.finance)
    today = timezone.localdate()

    text = client.get(f"/assistance/funds/{restricted.fund.pk}/payments.csv?start={today}&end={today}").content.decode()

    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert len(rows) == 2
    assert {row[2] for row in rows} == {"restricted"}
    assert restricted.case.survivor.client_code not in text


def test_the_named_supervisor_still_sees_the_client_code(client, world, restricted):
    client.force_login(world.supervisor)

    page = client.get(reverse("assistance:request", args=[restricted.waiting.pk])).content.decode()

    assert restricted.case.survivor.client_code in page
    assert "Not shown: the case is restricted" not in page


def test_an_unrestricted_case_of_the_same_payee_keeps_its_code(client, world, restricted):
    other = ask_money(world.case_a, world.specialist, restricted.fund, amount="50.00")
    client.force_login(world.finance)

    queue = client.get("/assistance/queue/approval/")

    hidden = {row.pk: row.code_hidden for row in queue.context["page"].object_list}
    assert hidden == {restricted.waiting.pk: True, restricted.second.pk: True, other.pk: False}
    assert world.case_a.survivor.client_code in queue.content.decode()
