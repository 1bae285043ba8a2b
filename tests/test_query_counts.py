"""Query-count guards: each list and dashboard costs the same at 1 row and at 5.

Each group of pages has a builder that makes its rows at a given size; the ``rows`` fixture runs
it once per size for every check of the group (see ``at_each_size``)."""

import copy
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assistance.models import Category
from assistance.services import help as help_services
from assistance.services import housing as housing_services
from assistance.services import requests as request_services
from bloom.accounts.models import Role
from bloom.directory.models import Organization, ServiceType
from cases import services
from cases.models import Contact, InformationKind, Referral, StageOfChange
from outreach import services as outreach_services
from tests.cases.sharing_files import pdf_upload
from tests.factories import (
    ask_money,
    default_instrument,
    edit_survivor,
    enter_survey,
    hand_off,
    log_outreach,
    make_case,
    make_curriculum,
    make_event,
    make_fund,
    make_town,
    make_trainer,
    make_user,
    make_volunteer,
    pay_money,
)
from training import services as training_services
from training.queries import Totals

SIZES = (1, 5)


@dataclass
class Rows:
    size: int  # how many rows of each kind the builder made
    made: object  # what the builder returned: the objects its pages are opened on


def at_each_size(build: Callable[..., object]):
    """Run the test once for each size on what ``build(world, size)`` makes (the ``rows`` fixture)."""
    return pytest.mark.parametrize(
        "rows", [(build, size) for size in SIZES], ids=[str(s) for s in SIZES], indirect=True
    )


@pytest.fixture(scope="module")
def rows(request, module_world, django_db_blocker) -> Rows:
    """One group's rows at one size, built once for every check of the group at that size.

    They are built in a savepoint of the module's transaction, rolled back when pytest moves on
    to another group or size: one fixture, so one group's rows exist at a time. What a check
    writes is rolled back by its own ``db`` savepoint.
    """
    build, size = request.param
    savepoint = transaction.atomic()
    with django_db_blocker.unblock():
        savepoint.__enter__()
        try:
            made = build(copy.deepcopy(module_world), size)  # the builders change objects in memory
        except BaseException:
            savepoint.__exit__(*sys.exc_info())
            raise
    yield Rows(size=size, made=made)
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        savepoint.__exit__(None, None, None)


def add_cases(world, size):
    """Team A grown to ``size`` cases (the world has one already), and the contact reminders sent."""
    for n in range(size - 1):
        make_case(team=world.team_a, specialists=[world.specialist, world.colleague], legal_name=f"Person {n}")
    services.send_contact_reminders()


@at_each_size(add_cases)
@pytest.mark.parametrize(
    ("persona", "url_name", "queries"),
    [
        # The case list's filters read the specialists and phases to offer; those who decide see what waits.
        ("specialist", "cases:list", 8),
        ("supervisor", "cases:list", 9),
        ("director", "cases:list", 9),
        ("specialist", "home", 10),  # the task list (bloom.reports.dashboards.specialist)
        ("supervisor", "home", 7),  # what waits on them: one query, shared with the header
        ("director", "home", 5),
        ("specialist", "notifications:list", 3),
    ],
)
def test_page_query_count_does_not_grow_with_rows(
    client, world, rows, django_assert_num_queries, persona, url_name, queries
):
    client.force_login(world.everyone()[persona])
    client.get(reverse(url_name))  # warm the per-process content-type caches

    with django_assert_num_queries(queries):
        response = client.get(reverse(url_name))

    assert response.status_code == 200


def edit_and_view(world, size):
    """``size`` edits of case A's survivor and ``size`` views of case A, by the supervisor."""
    for n in range(size):
        edit_survivor(world.case_a, by=world.supervisor, legal_name=f"Name {n}")
    viewer = Client()
    viewer.force_login(world.supervisor)
    for _ in range(size):
        viewer.get(reverse("cases:detail", args=[world.case_a.pk]))


@at_each_size(edit_and_view)
def test_history_and_access_log_query_counts(client, world, rows, django_assert_num_queries):
    client.force_login(world.supervisor)
    client.get(reverse("cases:access_log", args=[world.case_a.pk]))  # warm the content-type caches

    with django_assert_num_queries(9):
        client.get(reverse("cases:history", args=[world.case_a.pk]))
    with django_assert_num_queries(6):
        client.get(reverse("cases:access_log", args=[world.case_a.pk]))


def add_intake_records(world, size):
    """``size`` screening versions, family members and mandated reports on case A."""
    case = world.case_a
    for n in range(size):
        services.record_screening(
            case,
            by=world.specialist,
            answers={"actions": ["recruits"], "means": ["confinement"], "purposes": ["commercial sex"]},
            context={"location": f"Town {n}", "control_methods": ["threats"]},
            sensitive_allowed=True,
        )
        services.add_family_member(case, by=world.specialist, name=f"Relative {n}", relationship="Sibling")
        services.record_mandated_report(
            case,
            by=world.specialist,
            kind="mdt",
            made_at=timezone.now(),
            made_by="Sam Specialist",
            reference="",
            notes="",
        )


def add_casework(world, size):
    """``size`` contacts, stages, documents, releases, referrals and handoffs on case A."""
    case, today = world.case_a, timezone.localdate()
    partner = Organization.objects.create(name="Legal aid")
    for n in range(size):
        services.log_contact(
            case,
            by=world.specialist,
            kind=Contact.Kind.PHONE,
            occurred_at=timezone.now() - timedelta(minutes=n + 1),
            initiated_by=Contact.Initiator.STAFF,
            note=f"Call {n}",
        )
        services.record_stage(case, by=world.specialist, stage=StageOfChange.ACTION, observed_on=today)
        services.add_document(case, by=world.specialist, kind="letter", title=f"Letter {n}", upload=pdf_upload())
        services.record_release(
            case,
            by=world.specialist,
            organization=partner,
            recipient="",
            information=[InformationKind.IDENTIFYING],
            purpose="Legal help.",
            signed_on=today,
            expires_on=today + timedelta(days=90),
        )
        services.make_referral(
            case,
            by=world.specialist,
            direction=Referral.Direction.OUT,
            organization=partner,
            service_type=ServiceType.IMMIGRATION_LEGAL_AID,
            made_on=today,
            note="",
            share_identifying=True,
        )
        specialists = [world.specialist, world.colleague] if n % 2 == 0 else [world.specialist]
        services.assign_case(case, by=world.supervisor, specialists=specialists, note=f"Handoff {n}")


def add_case_records(world, size):
    """Both of the above on case A: its intake records and its casework, ``size`` of each."""
    add_intake_records(world, size)
    add_casework(world, size)


# The overview's 30 include how the director asks the intake fields, and the case's holds.
@at_each_size(add_case_records)
@pytest.mark.parametrize(
    ("url_name", "queries"),
    [("cases:detail", 23), ("cases:screenings", 5), ("cases:contacts", 8)],
)
def test_case_pages_cost_the_same_with_more_records(client, world, rows, django_assert_num_queries, url_name, queries):
    client.force_login(world.specialist)
    url = reverse(url_name, args=[world.case_a.pk])
    client.get(url)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200


def add_minors(world, size):
    """``size`` intakes on team A of survivors aged 16."""
    born = timezone.localdate().replace(year=timezone.localdate().year - 16)
    for n in range(size):
        services.start_intake(
            by=world.specialist,
            team=world.team_a,
            specialists=[world.specialist],
            details={"legal_name": f"Minor {n}", "date_of_birth": born},
        )


@at_each_size(add_minors)
def test_careline_reminders_cost_the_same_for_more_minors(world, rows, django_assert_num_queries):
    tomorrow = timezone.localdate() + timedelta(days=1)

    with django_assert_num_queries(6):
        sent = services.send_careline_reminders(today=tomorrow)

    assert sent == rows.size  # one supervisor on team A, one reminder per minor


@at_each_size(add_case_records)
def test_the_timeline_loads_each_kind_on_its_page_once(client, world, rows, django_assert_max_num_queries):
    # A page holds 25 entries, so with more records some kinds fall to the next page and
    # the count can only drop: one query per kind shown, never per entry.
    client.force_login(world.specialist)
    url = reverse("cases:timeline", args=[world.case_a.pk])
    client.get(url)

    with django_assert_max_num_queries(27):
        response = client.get(url)

    assert len(response.context["entries"]) == min(25, 2 + 8 * rows.size)


def add_assistance(world, size):
    """``size`` funds and ``size`` cases of team A (case A first). Each case has a request waiting
    (from a fund of its own) and one paid with its receipt (from the first fund); case A also has
    ``size`` requests approved from the first fund, ``size`` stays and ``size`` items in kind.
    Returns the first fund."""
    today = timezone.localdate()
    budgets = {Category.RENT: "20000.00", Category.FOOD: "5000.00"}
    funds = [make_fund(world.finance, budgets=budgets, total="30000.00", name=f"Fund {n}") for n in range(size)]
    for n in range(size):
        case = world.case_a if n == 0 else make_case(team=world.team_a, specialists=[world.specialist],
                                                     legal_name=f"Person {n}")  # fmt: skip
        ask_money(case, world.specialist, funds[n])
        request_services.approve(ask_money(world.case_a, world.specialist, funds[0]), by=world.supervisor)
        paid = request_services.approve(ask_money(case, world.specialist, funds[0]), by=world.supervisor)
        pay_money(paid, world.finance, receipt=pdf_upload("receipt.pdf"))
        help_services.give(world.case_a, by=world.specialist, details=help_services.ItemDetails(
            kind="food", description=f"Groceries {n}", quantity=1, value=Decimal("20.00"), given_on=today))  # fmt: skip
        started = today - timedelta(days=3 * (size - n))
        housing_services.place(world.case_a, by=world.specialist, details=housing_services.StayDetails(
            kind="emergency", long_term="", provider=None, provider_name=f"Shelter {n}", started_on=started,
            expected_end=started + timedelta(days=30)))  # fmt: skip
    return funds[0]


@at_each_size(add_assistance)
@pytest.mark.parametrize(
    ("persona", "page", "queries"),
    [
        ("finance", "approval queue", 6),
        ("finance", "payment queue", 6),
        ("supervisor", "approval queue", 6),
        ("supervisor", "payment queue", 6),
        ("finance", "fund", 6),
        ("finance", "funds", 4),
        ("specialist", "case assistance", 9),
        ("specialist", "help in kind", 3),
    ],
)
def test_assistance_pages_cost_the_same_with_more_requests(
    client, world, rows, django_assert_num_queries, persona, page, queries
):
    size, fund = rows.size, rows.made
    url = {
        "approval queue": reverse("assistance:queue", args=["approval"]),
        "payment queue": reverse("assistance:queue", args=["payment"]),
        "fund": reverse("assistance:fund", args=[fund.pk]),
        "funds": reverse("assistance:funds"),
        "case assistance": reverse("assistance:case", args=[world.case_a.pk]),
        "help in kind": reverse("assistance:necessities"),
    }[page]
    client.force_login(world.everyone()[persona])
    client.get(url)  # warm the per-process content-type caches

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
    context = response.context
    shown = {
        "approval queue": lambda: len(context["page"].object_list),
        "payment queue": lambda: len(context["page"].object_list),
        "fund": lambda: context["figures"].total.paid / Decimal("400.00"),
        "funds": lambda: len(context["funds"]),
        "help in kind": lambda: sum(line.items for line in context["lines"]),
        "case assistance": lambda: (len(context["stays"]), len(context["items"]), len(list(context["requests"])) - 2),
    }[page]()
    assert shown == ((size, size, size) if page == "case assistance" else size)


# Outreach and the intake queue ----------------------------------------------------------------


def add_outreach(world, size):
    """``size`` volunteers (the first signs in as the world's volunteer, with ``size`` trainings),
    ``size`` past sessions with every volunteer on them and ``size`` requests passed on from each
    (team A's queue), ``size`` planned sessions with every volunteer, and ``size`` partnership
    activities. Returns the first volunteer and the first past session."""
    by, today = world.outreach, timezone.localdate()
    towns = [make_town(f"Town {n}") for n in range(size)]
    volunteers = [
        make_volunteer(by, full_name=f"Volunteer {n}", user=world.volunteer if n == 0 else None) for n in range(size)
    ]
    for n in range(size):
        outreach_services.add_training(volunteers[0], by=by, on=today - timedelta(days=n), topic=f"Topic {n}", hours=2)
    past = []
    for n in range(size):
        starts = timezone.now().replace(microsecond=0) - timedelta(days=n + 1)
        session = log_outreach(by, town=towns[n], starts_at=starts, volunteers=volunteers, people_contacted=n + 1,
                               venue_types=["street", "hotel"] if n % 2 else ["street"])  # fmt: skip
        past.append(session)
        log_outreach(by, town=towns[n], starts_at=timezone.now() + timedelta(days=n + 1), volunteers=volunteers)
    for session in past:
        for n in range(size):
            hand_off(session, by, world.team_a, name=f"Person {n}")
    partner = Organization.objects.create(name="Partner agency")
    recorders = [by, world.supervisor, world.director, make_user(Role.OUTREACH_WORKER)]
    for n in range(size):
        outreach_services.record_partnership(
            None,
            by=recorders[n % len(recorders)],
            details=outreach_services.PartnershipDetails(
                organization=partner, kind="referral", on=today - timedelta(days=n)
            ),
        )
    return volunteers[0], past[0]


@at_each_size(add_outreach)
@pytest.mark.parametrize(
    ("persona", "page", "queries"),
    [
        ("outreach", "outreach:home", 7),
        ("volunteer", "outreach:mine", 7),
        ("outreach", "outreach:volunteers", 4),
        ("outreach", "outreach:partnerships", 4),
        ("outreach", "outreach:dashboard", 4),
        ("outreach", "outreach:session", 5),
        ("outreach", "outreach:volunteer", 8),
        ("supervisor", "cases:intake_requests", 5),
        ("outreach", "home", 4),
    ],
)
def test_outreach_pages_cost_the_same_with_more_sessions(
    client, world, rows, django_assert_num_queries, persona, page, queries
):
    size, (volunteer, session) = rows.size, rows.made
    args = {"outreach:session": [session.pk], "outreach:volunteer": [volunteer.pk]}.get(page, [])
    url = reverse(page, args=args)
    client.force_login(world.everyone()[persona])
    client.get(url)  # warm the per-process content-type caches

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
    context = response.context
    shown = {
        "outreach:home": lambda: (len(context["page"].object_list), len(context["upcoming"])),
        "outreach:mine": lambda: (len(context["page"].object_list), context["hours"] > 0),
        "outreach:volunteers": lambda: len(context["page"].object_list),
        "outreach:partnerships": lambda: len(context["page"].object_list),
        "outreach:dashboard": lambda: (context["figures"].total.sessions, context["figures"].total.handoffs),
        "outreach:session": lambda: (len(context["volunteers"]), len(context["handoffs"])),
        "outreach:volunteer": lambda: (len(context["sessions"]), len(context["trainings"])),
        "cases:intake_requests": lambda: len(context["page"].object_list),
        "home": lambda: len(context["sections"]["outreach"]["sessions"]),
    }[page]()
    assert (
        shown
        == {
            "outreach:home": (2 * size, size),
            "outreach:mine": (2 * size, True),
            "outreach:volunteers": size,
            "outreach:partnerships": size,
            "outreach:dashboard": (size, size * size),
            "outreach:session": (size, size),
            "outreach:volunteer": (2 * size, size),
            "cases:intake_requests": size * size,
            "home": size,
        }[page]
    )


# Training -------------------------------------------------------------------------------------


@dataclass
class Training:
    trainer: object  # the first trainer, who teaches every event
    event: object  # the first past event: ended an hour ago, its survey after the training open


def add_training(world, size):
    """``size`` curricula, ``size`` trainers each certified for every one, ``size`` versions of the
    survey, ``size`` past events (with every trainer, ``size`` attendees and ``size`` paper surveys
    before and after on each) and ``size`` coming ones, on the default survey."""
    by, now = world.trainer, timezone.now().replace(microsecond=0)
    curricula = [make_curriculum(by, name=f"Course {n}") for n in range(size)]
    trainers = [make_trainer(by, full_name=f"Trainer {n}", curricula=curricula) for n in range(size)]
    for _n in range(size - 1):
        training_services.revise(default_instrument(), by=by)
    past = []
    for n in range(size):
        event = make_event(by, curriculum=curricula[n], trainers=trainers, starts_at=now - timedelta(days=n, hours=4),
                           fields_of_work=["education", "other"])  # fmt: skip
        for m in range(size):
            training_services.add_attendee(event, by=by, details={"full_name": f"Attendee {m}"})
            enter_survey(event, by, phase="pre", field_of_work="education", knowledge=[2, 3, 1])
            enter_survey(event, by, phase="post", field_of_work="other" if m % 2 else "", knowledge=[4, 4, 5])
        make_event(by, curriculum=curricula[n], trainers=trainers, starts_at=now + timedelta(days=n + 1))
        past.append(event)
    return Training(trainer=trainers[0], event=past[0])


def training_url(page: str, made: Training) -> str:
    event = made.event
    if page == "training:results":
        today = timezone.localdate()
        period = {"start": (today - timedelta(days=30)).isoformat(), "end": today.isoformat(), "by": "month"}
        return f"{reverse(page)}?{urlencode(period)}"
    args = {
        "training:trainer": [made.trainer.pk],
        "training:event": [event.pk],
        "training:event_results": [event.pk],
        "training:responses": [event.pk],
        "training:paper_entry": [event.pk],
        "survey:answer": [event.survey_token, "post"],
    }.get(page, [])
    return reverse(page, args=args)


@at_each_size(add_training)
@pytest.mark.parametrize(
    ("persona", "page", "queries"),
    [
        ("trainer", "training:home", 7),
        ("supervisor", "training:home", 8),
        ("trainer", "training:results", 8),
        ("director", "training:results", 9),
        ("trainer", "training:curricula", 4),
        ("trainer", "training:trainers", 6),
        ("trainer", "training:trainer", 7),
        ("trainer", "training:instruments", 3),
        ("trainer", "training:responses", 5),
        ("trainer", "training:event", 6),
        ("director", "training:event", 7),
        ("trainer", "training:event_results", 8),
        ("trainer", "training:paper_entry", 5),
        ("anonymous", "survey:answer", 4),
        ("trainer", "home", 6),
    ],
)
def test_training_pages_cost_the_same_with_more_events(
    client, world, rows, django_assert_num_queries, persona, page, queries
):
    size = rows.size
    url = training_url(page, rows.made)
    if persona != "anonymous":
        client.force_login(world.everyone()[persona])
    client.get(url)  # warm the per-process content-type caches (and, on the link, get the device cookie)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200
    context = response.context
    shown = {
        "training:home": lambda: (len(context["page"].object_list), len(context["coming"])),
        "training:results": lambda: (context["result"].events, context["result"].n_after, context["activity"].total),
        "training:curricula": lambda: len(context["curricula"].object_list),
        "training:trainers": lambda: len(context["page"].object_list),
        "training:trainer": lambda: (len(context["events"]), len(context["certifications"])),
        "training:instruments": lambda: len(context["instruments"]),
        "training:responses": lambda: len(context["page"].object_list),
        "training:event": lambda: (len(context["trainers"]), len(context["attendees"]), context["counts"]),
        "training:event_results": lambda: (context["result"].n_before, context["result"].n_after),
        "training:paper_entry": lambda: [len(fields) for _construct, fields in context["form"].groups],
        "survey:answer": lambda: [len(fields) for _construct, fields in context["form"].groups],
        "home": lambda: len(context["sections"]["training"]["events"]),
    }[page]()
    assert (
        shown
        == {
            "training:home": (size, size),
            "training:results": (size, size * size, Totals(sessions=size, attendees=size * size)),
            "training:curricula": size,
            "training:trainers": size,
            "training:trainer": (2 * size, size),
            "training:instruments": size,
            "training:responses": 2 * size,
            "training:event": (size, size, {"pre": size, "post": size}),
            "training:event_results": (size, size),
            "training:paper_entry": [12, 4, 6],  # the default survey's items per construct
            "survey:answer": [12, 4, 6],
            "home": size,
        }[page]
    )
