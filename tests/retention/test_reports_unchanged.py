"""A funder report for a past period gives the same numbers before and after a purge.

The second quarter of federal fiscal year 2026 (January to March 2026), four people served in it
through the services, every kind of thing the reports count: services ticked and derived (a
payment, help in kind, a shelter stay, a referral), screenings, a family member, a closure, two
enrollments of one person, an award. Paz turned 18 between her intake and her first service:
counted by her age on that service day (the rule before), she would be an adult; the reports count
her age at intake, which a purge keeps (``Case.intake_age``) when it takes her birth date.
"""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone

from assistance.services import help as help_services
from assistance.services import requests as request_services
from assistance.services.awards import add_case_award
from bloom.directory.models import Organization
from bloom.reports import funders
from bloom.reports.dashboards import program
from bloom.reports.figures import Period
from cases import tallies
from cases.models import Case, FamilyMember, Race, Service, Survivor
from cases.services import add_family_member, record_screening, reenroll
from cases.services.contacts import log_contact
from cases.services.sharing import make_referral
from retention.models import Level
from retention.purge import purge_case, purge_survivor
from tests.factories import ask_money_on, close_case, make_case, make_fund, pay_money, shelter_stay

QUARTER = Period(date(2026, 1, 1), date(2026, 3, 31))
FY2026 = date(2025, 10, 1)
SEX_TRAFFICKING = {"actions": ["recruits"], "means": ["confinement"], "purposes": ["commercial sex"]}


def at(day: date) -> datetime:
    return datetime.combine(day, time(11), tzinfo=timezone.get_current_timezone())


def served(case: Case, by, day: date, *keys: str) -> None:
    services = list(Service.objects.filter(key__in=keys or ("transportation",)))
    log_contact(case, by=by, kind="in person", occurred_at=at(day), initiated_by="staff", note="Met at the office",
                services=services)  # fmt: skip


def screened(case: Case, by, age: int) -> None:
    context = {"age_at_first_exploitation": age, "residence": "runaway", "location": "Hartford", "narrative": "Told"}
    record_screening(case, by=by, answers=SEX_TRAFFICKING, context=context, sensitive_allowed=True)


@pytest.fixture
def people(world):
    """Paz, Quinn and Ray (twice enrolled), served in the quarter, and Sol, referred in it."""
    by, supervisor = world.specialist, world.supervisor
    fund = make_fund(world.director, award_number="AW-SAME")

    def enrol(name: str, opened_on: date, **details) -> Case:
        return make_case(team=world.team_a, specialists=[by], legal_name=name, opened_on=opened_on,
                         referral={"referral_source": "hotline", "referred_on": opened_on}, **details)  # fmt: skip

    paz = enrol("Paz Prado", date(2026, 1, 10), date_of_birth=date(2008, 1, 20), gender="female",
                race=[Race.HISPANIC], phone="860-555-0101", aliases="Pazita")  # fmt: skip
    served(paz, by, date(2026, 1, 25), "transportation", "individual-counseling")
    shelter_stay(paz, by, started_on=date(2026, 1, 26))
    screened(paz, by, 15)
    add_family_member(paz, by=by, name="Lia Prado", relation=FamilyMember.Relation.SIBLING,
                      date_of_birth=date(2012, 4, 2))  # fmt: skip
    add_case_award(paz, by=by, fund=fund)

    quinn = enrol("Quinn Quade", date(2025, 12, 15), estimated_age=30, gender="male", race=[Race.BLACK])
    served(quinn, by, date(2026, 2, 3))
    asked = ask_money_on(date(2026, 2, 10), quinn, by, fund)
    request_services.approve(asked, by=supervisor)
    pay_money(asked, world.finance, paid_on=date(2026, 2, 12))
    help_services.give(quinn, by=by, details=help_services.ItemDetails(
        kind="hygiene kit", description="For the shelter", quantity=1, value=Decimal("25.00"),
        given_on=date(2026, 2, 20)))  # fmt: skip
    make_referral(quinn, by=by, direction="out", organization=Organization.objects.create(name="Legal aid"),
                  service_type="immigration legal aid", made_on=date(2026, 2, 15), note="Visa",
                  share_identifying=False)  # fmt: skip
    add_case_award(quinn, by=by, fund=fund)

    ray = enrol("Ray Ruiz", date(2025, 6, 1), date_of_birth=date(1985, 2, 1), gender="male", race=[Race.WHITE])
    served(ray, by, date(2025, 7, 1))
    screened(ray, by, 30)
    close_case(ray, by=by, approver=supervisor, closed_on=date(2025, 12, 20))
    ray_again = reenroll(ray, by=supervisor, on=date(2026, 1, 5), team=world.team_a, specialists=[by])
    served(ray_again, by, date(2026, 2, 3))
    close_case(ray_again, by=by, approver=supervisor, closed_on=date(2026, 3, 20), reason="goals met",
               living_situation="own home", note="Moved into her flat")  # fmt: skip

    sol = enrol("Sol Soto", date(2026, 3, 2), date_of_birth=date(1999, 9, 9))
    return {"paz": paz, "quinn": quinn, "ray": ray, "ray again": ray_again, "sol": sol, "fund": fund}


def figures(director, fund) -> dict:
    """Every funder report for the quarter, over every case and under the award, and the director's dashboard."""
    reports = {
        (kind, award): definition.build(QUARTER, chosen).figures()
        for kind, definition in funders.DEFINITIONS.items()
        for award, chosen in (("every case", None), ("under the award", fund))
    }
    dashboard = {slug: section(director, QUARTER).chart.values for slug, section in program.SECTIONS.items()}
    return {"reports": reports, "dashboard": dashboard}


def test_ages_are_counted_at_the_intake_of_the_case_first_served_under(people):
    paz = people["paz"]
    on_the_service_day = paz.survivor.age_on(date(2026, 1, 25))

    counted = tallies.victim_services(QUARTER.start, QUARTER.end, fiscal_year_start=FY2026)
    half = tallies.trafficking_program(date(2026, 1, 1), date(2026, 6, 30))
    entries = tallies.hhs(QUARTER.start, QUARTER.end)

    assert (on_the_service_day, paz.age_at_intake) == (18, 17)
    # Paz 17 at intake; Quinn about 30; Ray 40 at his second intake (the case he was served under).
    assert counted.age == {"13-17": 1, "25-59": 2}
    assert half.adults_minors == {"minor": 1, "adult": 2}
    # Entered in the quarter: Paz (17), Ray again (40), Sol (26).
    assert entries.age == {"13-17": 1, "25-59": 2}


def test_every_report_for_a_past_quarter_is_the_same_after_a_purge(people, world):
    before = figures(world.director, people["fund"])
    cases = Case.objects.filter(pk__in=[people[name].pk for name in ("paz", "quinn", "ray", "ray again", "sol")])
    today = timezone.localdate()

    for case in cases:
        purge_case(case, Level.NARRATIVES, today=today)
    after_narratives = figures(world.director, people["fund"])
    for case in cases:
        purge_case(case, Level.IDENTITY, today=today)
    for survivor in Survivor.objects.filter(cases__in=cases).distinct():
        purge_survivor(survivor, today=today)
    after_identity = figures(world.director, people["fund"])

    # Arranged as said: the reports counted these people, and the purge took their birth dates.
    served = before["reports"][(funders.VICTIM_SERVICES, "every case")]
    assert sum(count for table in served.values() for row in table.values() for count in row.values()) > 20
    assert Survivor.objects.filter(cases__in=cases, date_of_birth__isnull=False).count() == 0
    assert FamilyMember.objects.filter(case__in=cases, date_of_birth__isnull=False).count() == 0
    assert after_narratives == before
    assert after_identity == before
