"""A survivor served over a period, hand-counted, for the service report tests.

Every day is counted back from the pinned today, so the arrangement holds at any instant the
run is pinned to. The period is ``START`` to ``TODAY``; a little happens before it, which the
report must leave out. Each narrative is a distinctive planted phrase (``NARRATIVES``), so a
test can say exactly where notes may appear.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from assistance.models import Category
from assistance.services import help as help_services
from assistance.services import housing as housing_services
from assistance.services import requests as request_services
from bloom.accounts.services import set_team_members
from bloom.directory.models import Organization
from bloom.reports import services as report_services
from bloom.reports.models import ReportJob
from cases import services as case_services
from cases.models import Case, Referral, Service
from cases.services.contacts import log_contact
from cases.services.sharing import make_referral, update_referral
from phases.models import Goal
from phases.services import journey
from phases.services.goals import change_goal_status, set_goal
from tests.factories import ask_money_on, ask_to_move, make_case, make_fund, make_user, pay_money, start_plan
from tests.printouts import flat, pdf_text

TODAY = timezone.localdate()
START = TODAY - timedelta(days=78)
OPENED = TODAY - timedelta(days=170)

LEGAL_NAME = "Rosa Delgado"
PREFERRED_NAME = "Rosie"
BORN = date(1994, 4, 12)
PHONE = "860-555-0142"
SHELTER, TRANSITIONAL = "Harbor House", "Mercy Transitional"
ORGANIZATION = "Legal Aid of Hartford"

# Narratives, each printed only with notes.
CONTACT_NOTE = "Contact note: talked about the cousin in Waterbury"
REFERRAL_NOTE = "Referral note: lawyer prefers mornings"
PURPOSE = "Purpose: first month at Maple Court"
ITEM_DESCRIPTION = "Description: two kits with extra socks"
HOUSING_NOTE = "Housing note: room 14 near the back door"
BACK_REASON = "Back reason: the job fell through in October"
GOAL_WORDS = "I want a key to my own front door"
GOAL_SUMMARY = "Summary: independent housing secured"
NARRATIVES = (CONTACT_NOTE, REFERRAL_NOTE, PURPOSE, ITEM_DESCRIPTION, HOUSING_NOTE, BACK_REASON, GOAL_WORDS,
              GOAL_SUMMARY)  # fmt: skip
# Never printed, notes or not.
NEVER = ("Progress note: kept every appointment", "Old payment: groceries", "Park Street Apartments LLC",
         "An earlier goal: a library card", "Before the period: a call about the bus")  # fmt: skip


def day(offset: int) -> date:
    """The day ``offset`` days after the period's start."""
    return START + timedelta(days=offset)


def short(day_: date) -> str:
    return date_format(day_, "SHORT_DATE_FORMAT")


def long(day_: date) -> str:
    return date_format(day_, "DATE_FORMAT")


def at(day_: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day_, time(hour)))


@dataclass
class Served:
    case: Case
    organization: Organization
    referral: Referral


def serve(world) -> Served:
    """A survivor on team A, assigned to the world's specialist, served through the services:

    * contacts: before the period a phone call (transportation); in it an in-person meeting
      (individual counseling, transportation; with a note), a phone call (individual counseling)
      and an attempt that did not reach them, the last;
    * a referral out to Legal Aid of Hartford (a note), accepted ten days later;
    * rent paid in the period ($400, its purpose), food paid before it; two hygiene kits ($50);
    * emergency shelter at Harbor House from the first day (a note), then transitional housing;
    * the plan started before the period, moved forward in it, then moved back (a reason);
    * a goal achieved today (its words, its summary), one achieved before the period, one open.
    """
    by, supervisor = world.specialist, world.supervisor
    case = make_case(
        team=world.team_a,
        specialists=[by],
        legal_name=LEGAL_NAME,
        preferred_name=PREFERRED_NAME,
        date_of_birth=BORN,
        phone=PHONE,
        opened_on=OPENED,
    )
    counseling = Service.objects.get(key="individual-counseling")
    transportation = Service.objects.get(key="transportation")
    contact = {"by": by, "initiated_by": "staff"}
    log_contact(case, kind="phone", occurred_at=at(day(-10)), services=[transportation], note=NEVER[4], **contact)
    log_contact(case, kind="in person", occurred_at=at(day(2)), services=[counseling, transportation],
                note=CONTACT_NOTE, **contact)  # fmt: skip
    log_contact(case, kind="phone", occurred_at=at(day(44)), services=[counseling], **contact)
    log_contact(case, kind="attempt", occurred_at=at(TODAY - timedelta(days=16), 15), **contact)

    organization = Organization.objects.get_or_create(name=ORGANIZATION, defaults={"kind": Organization.Kind.LEGAL})[0]
    referral = make_referral(case, by=by, direction="out", organization=organization,
                             service_type="immigration legal aid", made_on=day(9), note=REFERRAL_NOTE,
                             share_identifying=False).referral  # fmt: skip
    update_referral(referral, by=by, status=Referral.Status.ACCEPTED, outcome_on=day(19), note=REFERRAL_NOTE)

    fund = make_fund(world.director)
    rent = request_services.approve(ask_money_on(day(28), case, by, fund, purpose=PURPOSE), by=supervisor)
    pay_money(rent, world.finance, paid_on=day(30))
    food = request_services.approve(
        ask_money_on(day(-22), case, by, fund, category=Category.FOOD, amount="100.00", purpose=NEVER[1]),
        by=supervisor,
    )
    pay_money(food, world.finance, reference="1002", paid_on=day(-20))
    kits = {"kind": "hygiene kit", "description": ITEM_DESCRIPTION, "quantity": 2, "value": Decimal("50.00")}
    help_services.give(case, by=by, details=help_services.ItemDetails(**kits, given_on=day(4)))

    def stay(kind, name, started_on, months, note=""):
        ends = started_on + timedelta(days=months * 28)
        details = housing_services.StayDetails(
            kind=kind,
            long_term="",
            provider=None,
            provider_name=name,
            started_on=started_on,
            expected_end=ends,
            note=note,
        )
        housing_services.place(case, by=by, details=details)

    stay("emergency", SHELTER, day(0), 1, HOUSING_NOTE)
    stay("transitional", TRANSITIONAL, day(29), 6)

    plan = start_plan(case, by, started_on=OPENED + timedelta(days=10))
    first_phase = plan.stays.get().phase
    journey.sign_off_move(ask_to_move(plan, by, move_on=day(14)), by=supervisor)
    journey.move_back(plan, by=by, to_phase=first_phase, moved_on=day(50), reason=BACK_REASON)

    achieved = set_goal(case, by=by, in_own_words=GOAL_WORDS, domain="housing", staff_summary=GOAL_SUMMARY,
                        status=Goal.Status.IN_PROGRESS)  # fmt: skip
    change_goal_status(achieved, by=by, status=Goal.Status.ACHIEVED, note=NEVER[0])
    earlier = set_goal(case, by=by, in_own_words=NEVER[3], domain="education", status=Goal.Status.IN_PROGRESS)
    change_goal_status(earlier, by=by, status=Goal.Status.ACHIEVED)
    Goal.history.filter(id=earlier.pk).update(history_date=at(day(-30)))
    set_goal(case, by=by, in_own_words="Learn to drive", domain="income and employment", status=Goal.Status.IN_PROGRESS)
    return Served(case=case, organization=organization, referral=referral)


def without_sensitive(world, case):
    """Someone assigned to ``case`` whose role lacks ``cases.view_sensitive_details``."""
    group = Group.objects.create(name="intake clerk")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="cases", codename__in=["add_case", "view_case_history"])
    )
    user = make_user(full_name="Cleo Clerk")
    user.groups.add(group)
    set_team_members(world.team_a, members=[world.specialist, world.colleague, user], by=None)
    case_services.assign_case(case, by=world.supervisor, specialists=[world.specialist, user])
    return user


def period(**answers) -> dict:
    """A post of the service report's form: the period, for internal use, no notes, unless told."""
    return {"start": START.isoformat(), "end": TODAY.isoformat(), "audience": "internal", **answers}


def ask_and_build(client, user, url: str, answers: dict, capture) -> tuple[ReportJob, str]:
    """Ask for a report on its page as ``user``, build it as the worker would, download it; its text."""
    client.force_login(user)
    with capture(execute=False) as callbacks:
        response = client.post(url, answers)
    assert (response.status_code, len(callbacks)) == (302, 1), response.content.decode()[:2000]
    job = ReportJob.objects.filter(requested_by=user).latest("created")
    report_services.run_report_job(job.pk)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    download = client.get(reverse("reports:download", args=[job.public_id]))
    assert download.status_code == 200
    return job, flat(pdf_text(b"".join(download.streaming_content)))
