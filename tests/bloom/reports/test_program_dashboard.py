"""The program director's dashboard: each figure against people counted by hand, restricted cases,
the period's rules and each CSV against the page's table (its queries: test_program_dashboard_queries.py).

The period is January to June 2026, before the pinned clock and every awkward instant. Each person
has one case on one of the world's teams (``people``):

- Ana (A): referred Jan 10, intake and enrolled Jan 12, screened Jan 15; plan from Jan 20, moved on
  to Heal Apr 1; rides (advocacy) Feb 10 and 11 and counseling (support) Feb 10; $400 of rent paid
  Apr 5 (a payment is an emergency-financial service: support); $300 approved, not paid.
- Bea (A): no referral date, intake Jan 25, screened Feb 2, not enrolled (Feb 5).
- Cruz (B): referred and intake Feb 3, still in intake; screened Jul 10, after the period.
- Ivy (B): intake and enrolled Feb 10, never screened; plan from Feb 10; $50 paid Jul 15, after it.
- Dee (B): referred Mar 1, intake and enrolled Mar 2, screened Mar 5; plan from Mar 2; a ride Mar 12;
  closed May 15: goals met, in her own home.
- Hal (A): referred Jun 28, intake and enrolled Jul 2, after the period.
- Eve (A): intake and enrolled Dec 22 2025, screened Dec 23; no plan; $100 of food paid Dec 2 2025.
- Fay (A): intake and enrolled Nov 1 2025; closed Jun 30, the last day: moved, with family or friends.
- Gus (B): intake and enrolled Oct 1 2025; closed Dec 15 2025, before the period.
- Rio (A), restricted, naming the supervisor: referred and enrolled Mar 15, screened Mar 16; plan from
  Mar 20; counseling Mar 20; $250 of rent paid May 1.
- Rex (A), restricted likewise: intake and enrolled Jan 5; closed Apr 10: lost contact, without housing.

Outreach: Feb 5 (10 people), Feb 20 (5), May 9 (7), Jun 30 at 23:30 (4: June here, July in UTC) and
Dec 15 2025 (9). Training: Apr 14 (a head count of 20), Jun 10 (no count, two signed in), Dec 1 2025
(30). Funds: Relief (October 2025 to December 2026, $10,000) and Later (2027), which does not overlap.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from assistance.models import Category
from assistance.services import requests as request_services
from bloom.audit.models import AccessLogEntry
from bloom.forms import day_problem
from bloom.reports.dashboards import director, program
from bloom.reports.dashboards.director import ActivityMonth, Closures, FundMoney, FunnelMonth, GroupServed, PhaseCount
from bloom.reports.figures import Period, fiscal_year_start
from bloom.reports.models import ReportJob
from cases import services
from cases.models import Screening, Service, ServiceEvent
from cases.services.access import set_restriction
from phases.services import journey as journey_services
from tests.bloom.accounts.test_security import assert_strict_page
from tests.factories import (
    ask_money_on,
    ask_to_move,
    close_case,
    log_outreach,
    make_case,
    make_curriculum,
    make_event,
    make_fund,
    make_trainer,
    pay_money,
    start_plan,
)
from training import services as training_services

PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))
QUERY = {"start": "2026-01-01", "end": "2026-06-30"}
MONTHS = [date(2026, month, 1) for month in range(1, 7)]


@dataclass
class People:
    rio: object
    rex: object
    relief: object


def on(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def screen(case, day: date) -> None:
    Screening.objects.create(
        case=case,
        version=case.screenings.count() + 1,
        screened_by=case.created_by,
        screened_on=day,
        determination="sex",
    )


def tick(case, key: str, day: date, by) -> None:
    ServiceEvent.objects.create(case=case, service=Service.objects.get(key=key), provided_on=day, recorded_by=by)


def paid(case, asker, approver, payer, *, asked_on: date, paid_on: date | None, fund, **details):
    asked = request_services.approve(ask_money_on(asked_on, case, asker, fund, **details), by=approver)
    if paid_on:
        pay_money(asked, payer, paid_on=paid_on)


def build_people(world) -> People:
    """Everyone of the module's docstring, through the services where they take a date."""
    a, b = world.team_a, world.team_b
    sam, otto, sue, dana = world.specialist, world.outsider, world.supervisor, world.director

    def enrolled(name, team, opened_on, referred_on=None):
        who = sam if team == a else otto
        referral = {"referred_on": referred_on} if referred_on else None
        return make_case(team=team, specialists=[who], legal_name=name, opened_on=opened_on, referral=referral)

    def in_intake(name, team, opened_on, referred_on=None):
        who = sam if team == a else otto
        return services.start_intake(
            by=who, team=team, specialists=[who], details={"legal_name": name}, opened_on=opened_on,
            referral={"referred_on": referred_on} if referred_on else None,
        )  # fmt: skip

    relief = make_fund(dana, name="Relief", starts_on=date(2025, 10, 1), ends_on=date(2026, 12, 31))
    make_fund(dana, name="Later", starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31))

    ana = enrolled("Ana", a, date(2026, 1, 12), date(2026, 1, 10))
    screen(ana, date(2026, 1, 15))
    plan = start_plan(ana, sam, started_on=date(2026, 1, 20))
    journey_services.sign_off_move(ask_to_move(plan, sam, move_on=date(2026, 4, 1)), by=sue)
    tick(ana, "transportation", date(2026, 2, 10), sam)
    tick(ana, "transportation", date(2026, 2, 11), sam)
    tick(ana, "individual-counseling", date(2026, 2, 10), sam)
    paid(ana, sam, sue, world.finance, asked_on=date(2026, 3, 30), paid_on=date(2026, 4, 5), fund=relief)
    paid(ana, sam, sue, world.finance, asked_on=date(2026, 6, 29), paid_on=None, fund=relief, amount="300.00")

    bea = in_intake("Bea", a, date(2026, 1, 25))
    screen(bea, date(2026, 2, 2))
    services.record_not_enrolled(bea, by=sam, reason="declined", note="", on=date(2026, 2, 5))

    screen(in_intake("Cruz", b, date(2026, 2, 3), date(2026, 2, 3)), date(2026, 7, 10))

    ivy = enrolled("Ivy", b, date(2026, 2, 10))
    start_plan(ivy, otto, started_on=date(2026, 2, 10))
    paid(ivy, otto, dana, world.finance, asked_on=date(2026, 7, 14), paid_on=date(2026, 7, 15), fund=relief,
         amount="50.00")  # fmt: skip

    dee = enrolled("Dee", b, date(2026, 3, 2), date(2026, 3, 1))
    screen(dee, date(2026, 3, 5))
    start_plan(dee, otto, started_on=date(2026, 3, 2))
    tick(dee, "transportation", date(2026, 3, 12), otto)
    close_case(dee, by=otto, approver=dana, closed_on=date(2026, 5, 15), reason="goals met",
               living_situation="own home")  # fmt: skip

    enrolled("Hal", a, date(2026, 7, 2), date(2026, 6, 28))

    eve = enrolled("Eve", a, date(2025, 12, 22))
    screen(eve, date(2025, 12, 23))
    paid(eve, sam, sue, world.finance, asked_on=date(2025, 12, 1), paid_on=date(2025, 12, 2), fund=relief,
         category=Category.FOOD, amount="100.00")  # fmt: skip

    fay = enrolled("Fay", a, date(2025, 11, 1))
    close_case(fay, by=sam, approver=sue, closed_on=date(2026, 6, 30), reason="moved",
               living_situation="family or friends")  # fmt: skip
    gus = enrolled("Gus", b, date(2025, 10, 1))
    close_case(gus, by=otto, approver=dana, closed_on=date(2025, 12, 15))

    rio = enrolled("Rio", a, date(2026, 3, 15), date(2026, 3, 15))
    screen(rio, date(2026, 3, 16))
    start_plan(rio, sam, started_on=date(2026, 3, 20))
    tick(rio, "individual-counseling", date(2026, 3, 20), sam)
    paid(rio, sam, sue, world.finance, asked_on=date(2026, 4, 20), paid_on=date(2026, 5, 1), fund=relief,
         amount="250.00")  # fmt: skip
    rex = enrolled("Rex", a, date(2026, 1, 5))
    close_case(rex, by=sam, approver=sue, closed_on=date(2026, 4, 10), reason="lost contact",
               living_situation="without housing")  # fmt: skip
    for case in (rio, rex):
        set_restriction(case, by=sue, restricted=True, named=[sue])

    for day, people in ((date(2026, 2, 5), 10), (date(2026, 2, 20), 5), (date(2026, 5, 9), 7),
                        (date(2025, 12, 15), 9)):  # fmt: skip
        log_outreach(world.outreach, starts_at=on(day), people_contacted=people)
    log_outreach(world.outreach, starts_at=on(date(2026, 6, 30), 23, 30), people_contacted=4)

    course = make_curriculum(world.trainer)
    trainers = [make_trainer(world.trainer, curricula=[course], certified_on=date(2025, 1, 1))]
    make_event(world.trainer, curriculum=course, trainers=trainers, starts_at=on(date(2026, 4, 14)), attendee_count=20)
    make_event(world.trainer, curriculum=course, trainers=trainers, starts_at=on(date(2025, 12, 1)), attendee_count=30)
    listed = make_event(world.trainer, curriculum=course, trainers=trainers, starts_at=on(date(2026, 6, 10)))
    for name in ("Ari", "Bo"):
        training_services.add_attendee(listed, by=world.trainer, details={"full_name": name})
    return People(rio=rio, rex=rex, relief=relief)


@pytest.fixture(scope="module")
def module_people(module_world, django_db_blocker) -> People:
    with django_db_blocker.unblock():
        return build_people(module_world)


@pytest.fixture
def people(module_people, world) -> People:
    return module_people


def name_the_director(world, people: People) -> None:
    for case in (people.rio, people.rex):
        set_restriction(case, by=world.supervisor, restricted=True, named=[world.supervisor, world.director])


# Each figure, counted by hand ---------------------------------------------------------------------


def test_referrals_by_month_follow_each_referral_to_screening_and_enrolment(world, people):
    assert director.funnel(world.director, PERIOD) == [
        FunnelMonth(date(2026, 1, 1), referred=2, screened=2, enrolled=1),  # Ana, Bea (screened Feb 2)
        FunnelMonth(date(2026, 2, 1), referred=2, screened=0, enrolled=1),  # Cruz (screened in July), Ivy
        FunnelMonth(date(2026, 3, 1), referred=1, screened=1, enrolled=1),  # Dee; Rio is restricted
        FunnelMonth(date(2026, 4, 1)),
        FunnelMonth(date(2026, 5, 1)),
        FunnelMonth(date(2026, 6, 1), referred=1),  # Hal, enrolled in July
    ]


def test_active_survivors_are_counted_by_their_phase_on_the_last_day(world, people):
    assert director.phases_on(world.director, PERIOD.end) == [
        PhaseCount("Strengthen", 1),  # Ivy
        PhaseCount("Heal", 1),  # Ana, since Apr 1
        PhaseCount("", 1),  # Eve; Dee and Fay were closed by then
    ]
    assert director.phases_on(world.director, date(2026, 3, 31)) == [
        PhaseCount("Strengthen", 3),  # Ana, Ivy, Dee
        PhaseCount("", 2),  # Eve, Fay
    ]


def test_closures_in_the_period_by_reason_and_living_situation(world, people):
    closed = director.closures(world.director, PERIOD)

    assert closed == Closures(
        by_reason={"goals met": 1, "moved": 1}, by_living_situation={"own home": 1, "family or friends": 1}
    )
    assert closed.total == 2


def test_money_paid_in_the_period_against_each_overlapping_funds_budget(world, people):
    # Rio's $250 counts though the case is restricted: those who pay see every request's amount.
    assert director.money(world.director, PERIOD) == [
        FundMoney("Relief", people.relief.award_number, Decimal("10000.00"), Decimal("650.00"), Decimal("750.00"))
    ]


def test_services_by_category_count_events_and_survivors(world, people):
    assert director.services(world.director, PERIOD) == [
        GroupServed("information", 0, 0),
        GroupServed("advocacy", 2, 3),  # Ana's two rides, Dee's
        GroupServed("support", 1, 2),  # Ana's counseling and her payment
        GroupServed("housing", 0, 0),
        GroupServed("justice", 0, 0),
        GroupServed("needs", 0, 0),
    ]


def test_outreach_and_training_by_month_in_local_time(world, people):
    assert director.outreach(world.director, PERIOD) == [
        ActivityMonth(date(2026, 1, 1)),
        ActivityMonth(date(2026, 2, 1), 2, 15),
        ActivityMonth(date(2026, 3, 1)),
        ActivityMonth(date(2026, 4, 1)),
        ActivityMonth(date(2026, 5, 1), 1, 7),
        ActivityMonth(date(2026, 6, 1), 1, 4),
    ]
    assert director.training(world.director, PERIOD) == [ActivityMonth(month) for month in MONTHS[:3]] + [
        ActivityMonth(date(2026, 4, 1), 1, 20),
        ActivityMonth(date(2026, 5, 1)),
        ActivityMonth(date(2026, 6, 1), 1, 2),
    ]


def test_restricted_cases_count_once_the_director_is_named_on_them(world, people):
    name_the_director(world, people)

    funnel = director.funnel(world.director, PERIOD)
    assert (funnel[0], funnel[2]) == (
        FunnelMonth(date(2026, 1, 1), referred=3, screened=2, enrolled=2),  # and Rex
        FunnelMonth(date(2026, 3, 1), referred=2, screened=2, enrolled=2),  # and Rio
    )
    assert director.phases_on(world.director, PERIOD.end)[0] == PhaseCount("Strengthen", 2)
    assert director.closures(world.director, PERIOD) == Closures(
        by_reason={"goals met": 1, "moved": 1, "lost contact": 1},
        by_living_situation={"own home": 1, "family or friends": 1, "without housing": 1},
    )
    assert director.services(world.director, PERIOD)[2] == GroupServed("support", 2, 4)


# The page, its CSVs and who may have them ---------------------------------------------------------


class FigureTables(HTMLParser):
    """Each table of the page by its caption: its rows' cells as text, the headings first."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.rows = self.text = None
        self.caption = ""

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.rows = []
        elif tag in ("caption", "th", "td"):
            self.text = []
        elif tag == "tr" and self.rows is not None:
            self.rows.append([])

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "caption":
            self.caption, self.text = " ".join("".join(self.text).split()), None
        elif tag in ("th", "td") and self.text is not None:
            self.rows[-1].append(" ".join("".join(self.text).split()))
            self.text = None
        elif tag == "table":
            self.tables[self.caption], self.rows = self.rows, None


def page_tables(html: str) -> dict[str, list[list[str]]]:
    parser = FigureTables()
    parser.feed(html)
    return parser.tables


def as_shown(cell: str) -> str:
    """A raw CSV value as the page writes it, to compare: no dollar sign, no thousands separator."""
    return cell.replace("$", "").replace(",", "")


@pytest.fixture
def director_client(client, world):
    client.force_login(world.director)
    return client


def test_the_page_shows_every_section_for_the_period(director_client, people):
    response = director_client.get(reverse("reports:program_dashboard"), QUERY)

    assert response.status_code == 200
    assert [section.slug for section in response.context["sections"]] == list(program.SECTIONS)
    html = response.content.decode()
    assert "Jan. 1, 2026 to June 30, 2026" in html
    for slug in program.SECTIONS:
        assert f'href="/reports/dashboard/{slug}.csv?start=2026-01-01&amp;end=2026-06-30"' in html


@pytest.mark.parametrize("slug", list(program.SECTIONS))
def test_each_csv_holds_the_table_on_the_page(director_client, people, slug):
    page = director_client.get(reverse("reports:program_dashboard"), QUERY)
    section = next(s for s in page.context["sections"] if s.slug == slug)

    response = director_client.get(reverse("reports:program_dashboard_csv", args=[slug]), QUERY)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="dashboard-{slug}-20260101-20260630.csv"'
    written = list(csv.reader(io.StringIO(response.content.decode())))
    shown = page_tables(page.content.decode())[section.chart.title]
    assert [[as_shown(cell) for cell in row] for row in written] == [[as_shown(cell) for cell in row] for row in shown]


def test_the_csvs_hold_the_hand_counted_figures(director_client, people):
    def read(slug):
        response = director_client.get(reverse("reports:program_dashboard_csv", args=[slug]), QUERY)
        return list(csv.reader(io.StringIO(response.content.decode())))

    assert read("referrals") == [
        ["Month", "Referrals received", "Screened", "Enrolled"],
        ["Jan 2026", "2", "2", "1"], ["Feb 2026", "2", "0", "1"], ["Mar 2026", "1", "1", "1"],
        ["Apr 2026", "0", "0", "0"], ["May 2026", "0", "0", "0"], ["Jun 2026", "1", "0", "0"],
    ]  # fmt: skip
    assert read("phases") == [["Phase", "Survivors"], ["Strengthen", "1"], ["Heal", "1"], ["No case plan yet", "1"]]
    assert read("money") == [["Fund", "Paid in the period", "Paid in all", "Budget"],
                             ["Relief", "650.00", "750.00", "10000.00"]]  # fmt: skip
    assert read("closure-reasons")[1:3] == [["Goals met", "1"], ["Moved away", "1"]]
    assert read("living-situations")[1:3] == [["Own rented or owned home", "1"], ["With family or friends", "1"]]


def test_the_funnel_shows_the_periods_totals_and_each_steps_share(director_client, people):
    sections = director_client.get(reverse("reports:program_dashboard"), QUERY).context["sections"]

    overview = sections[0].overview

    assert overview.rows == [["Referrals received", "6", "100%"], ["Screened", "3", "50%"], ["Enrolled", "3", "50%"]]


def test_a_csv_is_an_export_in_the_access_log(director_client, world, people):
    director_client.get(reverse("reports:program_dashboard_csv", args=["services"]), QUERY)

    job = ReportJob.objects.get()
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.action, entry.reason, entry.target_label) == (
        world.director,
        "export",
        'log.export|["csv"]',
        "program-dashboard 2026-01-01 to 2026-06-30",
    )
    assert (entry.target_type, entry.target_id) == (ContentType.objects.get_for_model(ReportJob), job.pk)
    assert (job.kind, job.parameters, job.filename, bool(job.file)) == (
        "program-dashboard", {**QUERY, "section": "services", "format": "csv"},
        "dashboard-services-20260101-20260630.csv", False,
    )  # fmt: skip


def test_viewing_the_page_writes_nothing_to_the_access_log(director_client, people):
    director_client.get(reverse("reports:program_dashboard"), QUERY)

    assert AccessLogEntry.objects.count() == 0


def test_a_name_that_starts_like_a_formula_is_written_as_text(director_client, world):
    make_fund(world.director, name="=HYPERLINK(1)", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))

    response = director_client.get(reverse("reports:program_dashboard_csv", args=["money"]), QUERY)

    assert ["'=HYPERLINK(1)", "0.00", "0.00", "10000.00"] in list(csv.reader(io.StringIO(response.content.decode())))


def test_an_unknown_section_is_not_found(director_client):
    response = director_client.get(reverse("reports:program_dashboard_csv", args=["names"]), QUERY)

    assert response.status_code == 404
    assert AccessLogEntry.objects.count() == 0


@pytest.mark.parametrize("persona", ["specialist", "supervisor", "finance", "outreach", "trainer", "administrator"])
def test_only_the_director_may_open_the_dashboard_and_its_csvs(client, world, persona):
    client.force_login(world.everyone()[persona])

    page = client.get(reverse("reports:program_dashboard"), QUERY)
    download = client.get(reverse("reports:program_dashboard_csv", args=["money"]), QUERY)

    assert (page.status_code, download.status_code) == (403, 403)
    assert AccessLogEntry.objects.count() == 0


def test_the_page_keeps_to_the_strict_content_security_policy(director_client, people):
    url = f"{reverse('reports:program_dashboard')}?start=2026-01-01&end=2026-06-30"

    assert_strict_page(director_client.get(url), url)


def test_the_directors_home_links_to_the_dashboard(director_client):
    html = director_client.get(reverse("home")).content.decode()

    assert f'href="{reverse("reports:program_dashboard")}"' in html


# The period ---------------------------------------------------------------------------------------


@pytest.mark.clock
def test_without_a_period_it_is_the_fiscal_year_to_date(director_client):
    today = timezone.localdate()

    response = director_client.get(reverse("reports:program_dashboard"))

    assert response.status_code == 200
    assert response.context["form"].period() == Period(fiscal_year_start(today), today)


@pytest.mark.clock
@pytest.mark.parametrize(
    ("start", "end", "errors"),
    [
        (1, 30, {"start": ["A period cannot start in the future. Choose a day up to today."]}),
        (-5 * 366 - 10, -1, {"end": ["Choose a period of at most five years."]}),
        (-10, -11, {"end": ["The period ends before it starts."]}),
    ],
    ids=["in the future", "longer than five years", "ending before it starts"],
)
def test_a_period_refused_is_said_beside_its_field_and_kept(director_client, start, end, errors):
    today = timezone.localdate()
    typed = {"start": (today + timedelta(days=start)).isoformat(), "end": (today + timedelta(days=end)).isoformat()}

    page = director_client.get(reverse("reports:program_dashboard"), typed)
    download = director_client.get(reverse("reports:program_dashboard_csv", args=["money"]), typed)

    assert (page.status_code, download.status_code) == (400, 400)
    assert page.context["form"].errors == errors
    assert "sections" not in page.context
    html = page.content.decode()
    assert f'value="{typed["start"]}"' in html
    assert f'value="{typed["end"]}"' in html
    assert AccessLogEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("typed", "errors"),
    [
        ({"start": "2026-02-30", "end": "2026-03-01"}, {"start": ["Enter a date, like 2025-10-01."]}),
        ({"start": "2026-01-01"}, {"end": ["Enter the last day."]}),
        ({"start": "1999-12-31", "end": "2000-06-30"}, {"start": [day_problem(date(1999, 12, 31))]}),
    ],
    ids=["no such day", "no end", "before any record"],
)
def test_a_day_that_is_no_day_is_refused_without_a_server_error(director_client, typed, errors):
    response = director_client.get(reverse("reports:program_dashboard"), typed)

    assert response.status_code == 400
    assert response.context["form"].errors == errors


@pytest.mark.clock
def test_an_end_after_today_is_cut_to_today_with_a_notice(director_client):
    today = timezone.localdate()

    response = director_client.get(
        reverse("reports:program_dashboard"), {"start": today.replace(day=1).isoformat(), "end": "9999-12-31"}
    )

    assert response.status_code == 200
    assert response.context["form"].period() == Period(today.replace(day=1), today)
    assert "the figures count up to today" in response.content.decode()


def test_a_csvs_job_has_nothing_to_download_or_poll_into_a_pdf(director_client, people):
    director_client.get(reverse("reports:program_dashboard_csv", args=["services"]), QUERY)
    job = ReportJob.objects.get()

    page = director_client.get(reverse("reports:job", args=[job.public_id]))

    assert director_client.get(reverse("reports:download", args=[job.public_id])).status_code == 404
    assert page.status_code == 200
    assert "Download PDF" not in page.content.decode()
