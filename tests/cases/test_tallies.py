"""The aggregate-only selector against small fixtures counted by hand (docs/REPORTING.md).

Four people, dates fixed in federal fiscal year 2026 (October 2025 to September 2026):

- Ana: served in FY2025 (Sep 15), then Nov 3 and Jan 10. New in Q1 of FY2026 (her first
  service *of the fiscal year*), continuing in Q2.
- Bea: 16 on her only service, Dec 5; Hispanic and White; limited English; trafficked for both.
- Cruz: two enrollments: served on the first on Oct 20, on the second on Feb 3. One person.
- Dee: a restricted case, served Nov 20. Counted like everyone else.
- Bea's case also serves her sister, who is never counted as a client.
"""

from datetime import date

import pytest

from bloom.accounts.models import Role
from cases import catalogue, tallies
from cases.models import Answer, Case, FamilyMember, Race, Residence, Service, ServiceEvent
from tests.factories import close_case, make_case, make_team, make_user, shelter_stay

Q1 = (date(2025, 10, 1), date(2025, 12, 31))
Q2 = (date(2026, 1, 1), date(2026, 3, 31))
FY2026 = date(2025, 10, 1)


def tick(case, key, day, by):
    ServiceEvent.objects.create(case=case, service=Service.objects.get(key=key), provided_on=day, recorded_by=by)


def screen(case, **fields):
    fields = {"determination": "sex", **fields}
    return case.screenings.create(version=case.screenings.count() + 1, screened_by=case.created_by, **fields)


@pytest.fixture
def people(db):
    specialist = make_user(Role.SPECIALIST)
    supervisor = make_user(Role.SUPERVISOR)
    team = make_team("North", supervisors=[supervisor], members=[specialist])

    def enrol(name, opened_on, **details):
        return make_case(team=team, specialists=[specialist], legal_name=name, opened_on=opened_on, **details)

    ana = enrol("Ana", date(2025, 8, 1), date_of_birth=date(1990, 5, 1), gender="female", race=[Race.BLACK])
    tick(ana, "transportation", date(2025, 9, 15), specialist)
    tick(ana, "transportation", date(2025, 11, 3), specialist)
    tick(ana, "individual-counseling", date(2025, 11, 3), specialist)
    tick(ana, "individual-counseling", date(2026, 1, 10), specialist)
    screen(ana, determination="labor", residence=Residence.OWN_HOME, age_at_first_exploitation=25)

    bea = enrol(
        "Bea", date(2025, 12, 1), date_of_birth=date(2009, 6, 1), gender="female", race=[Race.HISPANIC, Race.WHITE]
    )
    tick(bea, "transportation", date(2025, 12, 5), specialist)
    tick(bea, catalogue.CRISIS_SAFETY_PLANNING, date(2025, 12, 5), specialist)
    screen(bea, determination="both", residence=Residence.RUNAWAY, age_at_first_exploitation=14)
    Case.objects.filter(pk=bea.pk).update(referred_on=date(2025, 11, 28))
    bea.survivor.__class__.objects.filter(pk=bea.survivor_id).update(limited_english=Answer.YES)
    FamilyMember.objects.create(case=bea, name="Sister", relation=FamilyMember.Relation.SIBLING)

    cruz_first = enrol("Cruz", date(2025, 9, 1), estimated_age=40, gender="male")
    tick(cruz_first, "transportation", date(2025, 10, 20), specialist)
    close_case(cruz_first, by=specialist, approver=supervisor, closed_on=date(2025, 10, 31))
    cruz_second = make_case(team=team, specialists=[specialist], legal_name="Cruz", opened_on=date(2026, 2, 1))
    Case.objects.filter(pk=cruz_second.pk).update(survivor=cruz_first.survivor)
    tick(cruz_second, "transportation", date(2026, 2, 3), specialist)

    dee = enrol("Dee", date(2025, 11, 1), date_of_birth=date(1960, 1, 1))
    Case.objects.filter(pk=dee.pk).update(restricted=True)
    tick(dee, "individual-counseling", date(2025, 11, 20), specialist)
    return {"ana": ana, "bea": bea, "cruz": cruz_first, "cruz again": cruz_second, "dee": dee}


def test_people_served_once_each_new_by_first_service_of_the_fiscal_year(people):
    first = tallies.victim_services(*Q1, fiscal_year_start=FY2026)
    second = tallies.victim_services(*Q2, fiscal_year_start=FY2026)

    assert (first.total, first.new, first.continuing) == (4, 4, 0)
    assert (second.total, second.new, second.continuing) == (2, 0, 2)


def test_new_people_are_described_on_their_first_service_of_the_fiscal_year(people):
    served = tallies.victim_services(*Q1, fiscal_year_start=FY2026)

    assert served.age == {"25-59": 2, "13-17": 1, "60+": 1}
    assert served.race == {"black": 1, "multiple": 1, tallies.NOT_REPORTED: 2}
    assert served.gender == {"female": 2, "male": 1, tallies.NOT_REPORTED: 1}
    assert served.classifications == {"limited_english": 1}
    assert served.victimization == {"labor": 1, "both": 1, "not screened": 2}


def test_each_sub_service_counts_people_and_times(people):
    served = tallies.victim_services(*Q1, fiscal_year_start=FY2026)

    # B9 transportation: Ana Nov 3, Bea Dec 5, Cruz Oct 20; C4 counseling: Ana Nov 3, Dee Nov 20.
    assert served.services == {"B9": (3, 3), "C4": (2, 2), "C1": (1, 1)}


def test_a_second_fiscal_year_starts_everyone_new_again(people):
    served = tallies.victim_services(date(2025, 10, 1), date(2025, 10, 31), fiscal_year_start=FY2026)

    # Cruz's October service is his first of FY2026, though he was enrolled in FY2025.
    assert (served.total, served.new) == (1, 1)


def test_a_case_under_an_award_limits_the_count(people):
    only_bea = Case.objects.filter(pk=people["bea"].pk).values("pk")

    served = tallies.victim_services(*Q1, fiscal_year_start=FY2026, cases=only_bea)

    assert (served.total, served.services) == (1, {"B9": (1, 1), "C1": (1, 1)})


def test_trafficking_program_new_means_no_service_ever_before(people):
    served = tallies.trafficking_program(date(2025, 7, 1), date(2025, 12, 31))
    later = tallies.trafficking_program(date(2026, 1, 1), date(2026, 6, 30))

    assert (served.total, served.new, served.continuing) == (4, 4, 0)
    assert (later.total, later.new, later.continuing) == (2, 0, 2)
    assert served.adults_minors == {"adult": 3, "minor": 1}


def test_hhs_program_entry_counts_cases_by_intake_date(people):
    entries = tallies.hhs(*Q1)

    # Bea (Dec 1) and Dee (Nov 1) had their intake in Q1; Ana and Cruz before it.
    assert entries.entered == 2
    assert entries.family == {FamilyMember.Relation.SIBLING: 1}
    # Bea was referred Nov 28 and matched on Dec 1: more than 48 hours. Dee, imported, on her intake day.
    assert entries.matched_in_48_hours == {"no": 1, "yes": 1}
    assert entries.closed == 1


def test_state_tables_map_races_and_ages_to_the_states_categories(people):
    tables = tallies.state_tables(date(2025, 1, 1), date(2025, 12, 31))

    assert tables.referrals_by_year == {"2025": 4}
    assert tables.people == 4
    assert tables.race == {"black": 1, "hispanic": 1, "unknown": 2}
    assert tables.age_at_victimization == {"over 18": 1, "13-14": 1, "unknown": 2}
    assert tables.residence == {"relative home": 1, "runaway": 1, "unknown": 2}


@pytest.mark.parametrize(
    ("races", "state", "federal"),
    [
        ([], "unknown", tallies.NOT_REPORTED),
        ([Race.DECLINED], "unknown", tallies.NOT_REPORTED),
        ([Race.WHITE], "caucasian", Race.WHITE),
        ([Race.BLACK], "black", Race.BLACK),
        ([Race.ASIAN], "asian", Race.ASIAN),
        ([Race.HISPANIC], "hispanic", Race.HISPANIC),
        ([Race.HISPANIC, Race.BLACK], "hispanic", "multiple"),
        ([Race.WHITE, Race.BLACK], "multi-racial", "multiple"),
        ([Race.MENA], "other", "other"),
        ([Race.AMERICAN_INDIAN], "other", Race.AMERICAN_INDIAN),
        ([Race.PACIFIC_ISLANDER], "other", Race.PACIFIC_ISLANDER),
        ([Race.WHITE, Race.DECLINED], "caucasian", Race.WHITE),
    ],
)
def test_race_mappings(races, state, federal):
    assert (tallies.state_race(races), tallies.victim_services_race(races)) == (state, federal)


@pytest.mark.parametrize(
    ("age", "band", "state_band"),
    [(None, "not reported", "unknown"), (0, "0-12", "10 and under"), (10, "0-12", "10 and under"),
     (11, "0-12", "11-12"), (12, "0-12", "11-12"), (13, "13-17", "13-14"), (17, "13-17", "17-18"),
     (18, "18-24", "17-18"), (19, "18-24", "over 18"), (24, "18-24", "over 18"), (25, "25-59", "over 18"),
     (59, "25-59", "over 18"), (60, "60+", "over 18")],
)  # fmt: skip
def test_age_bands(age, band, state_band):
    assert tallies.age_band(age) == band
    assert tallies.age_band(age, tallies.STATE_AGE_BANDS, unknown="unknown") == state_band


@pytest.fixture(params=[1, 5])
def served_people(request, db):
    specialist = make_user(Role.SPECIALIST)
    team = make_team("South", members=[specialist])
    for n in range(request.param):
        case = make_case(team=team, specialists=[specialist], legal_name=f"Person {n}", opened_on=date(2025, 9, 1))
        tick(case, "transportation", date(2025, 11, 3), specialist)
        screen(case)
        FamilyMember.objects.create(case=case, name="Kin", relation=FamilyMember.Relation.CHILD_MINOR)


@pytest.mark.parametrize(
    ("count", "queries"),
    [
        (lambda: tallies.victim_services(*Q1, fiscal_year_start=FY2026), 4),
        (lambda: tallies.trafficking_program(*Q1), 6),
        (lambda: tallies.hhs(*Q1), 4),
        (lambda: tallies.state_tables(*Q1), 3),
    ],
    ids=["victim services", "trafficking program", "hhs", "state"],
)
def test_counting_costs_the_same_queries_at_any_size(served_people, count, queries, django_assert_num_queries):
    with django_assert_num_queries(queries):
        count()


def test_a_stay_begun_earlier_in_the_fiscal_year_serves_its_resident_in_each_later_quarter(db):
    specialist = make_user(Role.SPECIALIST)
    team = make_team("East", members=[specialist])
    case = make_case(team=team, specialists=[specialist], legal_name="Eve", opened_on=date(2025, 11, 1))
    shelter_stay(case, specialist, started_on=date(2025, 11, 10))

    first = tallies.victim_services(*Q1, fiscal_year_start=FY2026)
    second = tallies.victim_services(*Q2, fiscal_year_start=FY2026)

    # Q1: new, on the stay's first day; Q2: still in the shelter, so served, and continuing.
    assert (first.total, first.new, first.services) == (1, 1, {"D1": (1, 1)})
    assert (second.total, second.new, second.continuing, second.services) == (1, 0, 1, {"D1": (1, 1)})
