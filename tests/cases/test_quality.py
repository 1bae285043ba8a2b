from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from bloom.accounts.models import Role, User
from bloom.reports.figures import fiscal_year_start
from cases import quality, services
from cases.models import Case
from tests.bloom.accounts.test_security import assert_strict_page
from tests.cases.test_permissions import EXPECTED_VISIBLE
from tests.factories import close_case, edit_survivor, form_errors, make_case

TODAY = timezone.localdate()
FY_START = fiscal_year_start(TODAY)
# A period well in the past: the first month of the fiscal year before this one.
START, END = date(FY_START.year - 1, 10, 1), date(FY_START.year - 1, 10, 31)

SEX_TRAFFICKING = {"actions": ["recruits"], "means": ["confinement"], "purposes": ["commercial sex"]}
# Labor as the purpose, whether force, fraud or coercion was used not yet known.
UNCERTAIN = {"actions": ["recruits"], "purposes": ["labor"], "unsure": ["means"]}
# Labor as the purpose, no means: neither type is met, and nothing is left unknown.
NOT_MET = {"actions": ["recruits"], "purposes": ["labor"]}
KNOWN_AT_CLOSURE = {"living_situation": "own home", "immigration_relief": "neither", "hhs_certification": "neither"}


def screen(case, by, answers=SEX_TRAFFICKING, *, age=19, residence="own home"):
    context = {"age_at_first_exploitation": age, "residence": residence}
    return services.record_screening(case, by=by, answers=answers, context=context, sensitive_allowed=True)


def complete(case, by):
    """Everything the reports count about ``case``, recorded through the services."""
    services.update_case(
        case,
        by=by,
        details={"race": ["asian"], "gender": "female", "date_of_birth": date(1990, 4, 2)},
        referral={"referral_source": "hotline"},
    )
    screen(case, by)
    return case


def listed(user, *, start=FY_START, end=TODAY, **filters) -> list[str]:
    return [case.survivor.client_code for case in quality.to_complete(user, start=start, end=end, **filters)]


def gaps_listed(user, *, start=FY_START, end=TODAY) -> dict[str, list[str]]:
    cases = quality.to_complete(user, start=start, end=end)
    return {case.survivor.client_code: [gap.key for gap in quality.gaps_of(case)] for case in cases}


def codes(*cases) -> list[str]:
    return sorted(case.survivor.client_code for case in cases)


def new_case(world, name="Nia New", **kwargs):
    return make_case(team=world.team_a, specialists=[world.specialist], legal_name=name, **kwargs)


# What is missing --------------------------------------------------------------------------------


def test_a_case_with_everything_recorded_is_not_listed(world):
    complete(world.case_a, world.specialist)
    complete(world.case_b, world.outsider)

    assert listed(world.director) == []


def test_a_new_case_lacks_every_answer_taken_at_intake(world):
    assert gaps_listed(world.specialist) == {
        world.case_a.survivor.client_code: [
            "race", "gender", "age", "referral_source", "trafficking_type", "age_first_exploited", "residence",
        ],
    }  # fmt: skip


def _close_with_unknown(answer):
    def undo(case, world):
        close_case(case, by=world.specialist, approver=world.supervisor, **{**KNOWN_AT_CLOSURE, answer: "unknown"})

    return undo


UNDO = {
    "race": lambda case, world: edit_survivor(case, by=world.specialist, race=[]),
    "gender": lambda case, world: edit_survivor(case, by=world.specialist, gender=""),
    "age": lambda case, world: edit_survivor(case, by=world.specialist, date_of_birth=None, estimated_age=None),
    "referral_source": lambda case, world: services.update_case(
        case, by=world.specialist, details={}, referral={"referral_source": ""}
    ),
    "trafficking_type": lambda case, world: screen(case, world.specialist, UNCERTAIN),
    "age_first_exploited": lambda case, world: screen(case, world.specialist, age=None),
    "residence": lambda case, world: screen(case, world.specialist, residence=""),
    "living_situation": _close_with_unknown("living_situation"),
    "immigration_relief": _close_with_unknown("immigration_relief"),
    "hhs_certification": _close_with_unknown("hhs_certification"),
}


def test_every_gap_has_a_way_to_be_found():
    assert set(UNDO) == {gap.key for gap in quality.GAPS}


@pytest.mark.parametrize("gap", UNDO)
def test_each_missing_answer_is_found_alone(world, gap):
    complete(world.case_a, world.specialist)
    case = complete(new_case(world), world.specialist)

    UNDO[gap](case, world)

    assert gaps_listed(world.specialist) == {case.survivor.client_code: [gap]}


def test_an_estimated_age_is_enough_without_a_date_of_birth(world):
    case = complete(world.case_a, world.specialist)

    edit_survivor(case, by=world.specialist, date_of_birth=None, estimated_age=30)

    assert listed(world.specialist) == []


def test_a_case_never_screened_lacks_the_three_answers_of_the_screening(world):
    case = new_case(world)
    complete(world.case_a, world.specialist)
    services.update_case(
        case,
        by=world.specialist,
        details={"race": ["black"], "gender": "male", "estimated_age": 25},
        referral={"referral_source": "self"},
    )

    assert gaps_listed(world.specialist) == {
        case.survivor.client_code: ["trafficking_type", "age_first_exploited", "residence"]
    }


def test_criteria_not_met_is_an_answer_the_reports_count(world):
    complete(world.case_a, world.specialist)

    screen(world.case_a, world.specialist, NOT_MET)

    assert listed(world.specialist) == []


def test_the_latest_screening_decides(world):
    uncertain_then_met = complete(world.case_a, world.specialist)
    screen(uncertain_then_met, world.specialist, UNCERTAIN)
    screen(uncertain_then_met, world.specialist, SEX_TRAFFICKING)
    met_then_uncertain = complete(new_case(world), world.specialist)
    screen(met_then_uncertain, world.specialist, UNCERTAIN)

    assert gaps_listed(world.specialist) == {met_then_uncertain.survivor.client_code: ["trafficking_type"]}


def test_a_survivor_enrolled_again_is_not_asked_for_the_screening_twice(world):
    earlier = complete(world.case_a, world.specialist)
    close_case(earlier, by=world.specialist, approver=world.supervisor, **KNOWN_AT_CLOSURE)

    later = services.reenroll(earlier, by=world.specialist, on=TODAY, team=world.team_a, specialists=[world.specialist])

    assert gaps_listed(world.specialist) == {later.survivor.client_code: ["referral_source"]}
    assert Case.objects.get(pk=later.pk).screenings.count() == 0


def test_a_case_closed_without_an_approved_closure_lacks_every_closing_answer(world):
    # Cases closed before closures needed approval have no closure at all.
    case = complete(world.case_a, world.specialist)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_on=TODAY)

    assert gaps_listed(world.specialist) == {
        case.survivor.client_code: ["living_situation", "immigration_relief", "hhs_certification"]
    }


def test_the_continued_presence_answer_is_left_out_for_those_without_the_sensitive_permission(world):
    Group.objects.get(name=Role.SPECIALIST).permissions.remove(
        Permission.objects.get(content_type__app_label="cases", codename="view_sensitive_details")
    )
    specialist = User.objects.get(pk=world.specialist.pk)  # no cached permissions
    only_relief = complete(world.case_a, world.specialist)
    UNDO["immigration_relief"](only_relief, world)
    both = complete(new_case(world), world.specialist)
    unknown = {**KNOWN_AT_CLOSURE, "hhs_certification": "unknown", "immigration_relief": "unknown"}
    close_case(both, by=world.specialist, approver=world.supervisor, **unknown)

    counted = quality.counts(quality.to_complete(specialist, start=FY_START, end=TODAY), user=specialist)

    assert gaps_listed(specialist) == {both.survivor.client_code: ["hhs_certification"]}
    assert [count.gap.key for count in counted.by_gap] == [g.key for g in quality.GAPS if g.key != "immigration_relief"]
    assert gaps_listed(world.supervisor)[only_relief.survivor.client_code] == ["immigration_relief"]


# The period ------------------------------------------------------------------------------------


def test_the_period_holds_the_enrolled_cases_open_at_any_time_in_it(world):
    before = START - timedelta(days=30)
    opened_on_the_last_day = new_case(world, "Lee Last", opened_on=END)
    opened_after = new_case(world, "Ada After", opened_on=END + timedelta(days=1))
    open_since_long_ago = new_case(world, "Lou Long", opened_on=date(START.year - 3, 1, 15))
    closed_on_the_first_day = new_case(world, "Fay First", opened_on=before)
    close_case(closed_on_the_first_day, by=world.specialist, approver=world.supervisor, closed_on=START,
               **KNOWN_AT_CLOSURE)  # fmt: skip
    closed_the_day_before = new_case(world, "Dot Before", opened_on=before)
    close_case(closed_the_day_before, by=world.specialist, approver=world.supervisor,
               closed_on=START - timedelta(days=1), **KNOWN_AT_CLOSURE)  # fmt: skip
    in_intake = services.start_intake(
        by=world.specialist, team=world.team_a, specialists=[world.specialist],
        details={"legal_name": "Ian Intake"}, referral=None, opened_on=START,
    )  # fmt: skip

    shown = listed(world.specialist, start=START, end=END)

    assert sorted(shown) == codes(opened_on_the_last_day, open_since_long_ago, closed_on_the_first_day)
    assert {opened_after.survivor.client_code, closed_the_day_before.survivor.client_code,
            in_intake.survivor.client_code, world.case_a.survivor.client_code}.isdisjoint(shown)  # fmt: skip


def test_the_closing_answers_count_only_for_a_case_closed_in_the_period(world):
    case = complete(new_case(world, opened_on=START - timedelta(days=10)), world.specialist)
    closed_on = END + timedelta(days=5)
    close_case(case, by=world.specialist, approver=world.supervisor, closed_on=closed_on,
               **{**KNOWN_AT_CLOSURE, "living_situation": "unknown"})  # fmt: skip

    assert listed(world.specialist, start=START, end=END) == []
    assert gaps_listed(world.specialist, start=START, end=closed_on) == {
        case.survivor.client_code: ["living_situation"]
    }


# Who sees what --------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "expected"), EXPECTED_VISIBLE.items())
def test_each_persona_lists_exactly_the_cases_they_may_see(world, persona, expected):
    shown = listed(world.everyone()[persona])

    assert sorted(shown) == codes(*(getattr(world, name) for name in expected))


def test_a_case_out_of_sight_never_reaches_the_outsider_the_colleague_or_finance(world):
    unseen = new_case(world, "Hana Hidden")  # lacks everything, on team A
    complete(world.case_b, world.outsider)

    assert listed(world.outsider) == []
    assert listed(world.colleague) == []
    assert listed(world.finance) == []
    assert listed(world.outreach) == []
    assert (
        quality.counts(quality.to_complete(world.outsider, start=FY_START, end=TODAY), user=world.outsider).cases == 0
    )
    assert unseen.survivor.client_code in listed(world.specialist)


def test_a_restricted_case_is_listed_only_for_the_people_named_on_it(world):
    restricted = new_case(world, "Rae Restricted")
    services.set_restriction(restricted, by=world.supervisor, restricted=True, named=[world.director])

    assert sorted(listed(world.specialist)) == codes(world.case_a, restricted)
    assert sorted(listed(world.director)) == codes(world.case_a, world.case_b, restricted)
    assert listed(world.supervisor) == [world.case_a.survivor.client_code]
    assert listed(world.colleague) == []
    assert listed(world.outsider) == [world.case_b.survivor.client_code]


def test_a_case_opened_in_an_emergency_stays_on_its_own_team_s_list(world):
    services.open_in_emergency(world.case_a, by=world.outsider, reason="A crisis call at night; Sam is away.")

    assert listed(world.outsider) == [world.case_b.survivor.client_code]
    assert listed(world.specialist) == [world.case_a.survivor.client_code]


def test_the_team_and_mine_filters_narrow_what_may_be_seen(world):
    assert listed(world.director, team=world.team_b) == [world.case_b.survivor.client_code]
    assert listed(world.director, mine=True) == []
    assert listed(world.specialist, mine=True) == [world.case_a.survivor.client_code]
    # The form offers only one's own teams; asked for another, the list is still only what one may see.
    assert listed(world.supervisor, team=world.team_b) == []


def test_sorted_by_specialist_then_client_code(world):
    coras = [
        make_case(team=world.team_a, specialists=[world.colleague], legal_name=f"Cora's {n}", by=world.supervisor)
        for n in range(3)
    ]
    unassigned = make_case(team=world.team_a, specialists=[], legal_name="Una Unassigned", by=world.supervisor)

    shown = listed(world.director)

    # Cora Colleague, Otto Outsider, Sam Specialist; nobody assigned last.
    assert shown == [*codes(*coras), *codes(world.case_b), *codes(world.case_a), *codes(unassigned)]


def test_the_counts_say_how_many_cases_lack_each_answer(world):
    complete(world.case_b, world.outsider)
    edit_survivor(world.case_b, by=world.outsider, gender="")

    found = quality.counts(quality.to_complete(world.director, start=FY_START, end=TODAY), user=world.director)

    assert found.cases == 2
    assert {count.gap.key: count.cases for count in found.by_gap} == {
        "race": 1, "gender": 2, "age": 1, "referral_source": 1, "trafficking_type": 1, "age_first_exploited": 1,
        "residence": 1, "living_situation": 0, "immigration_relief": 0, "hhs_certification": 0,
    }  # fmt: skip


# The page -------------------------------------------------------------------------------------

URL = reverse("cases:quality")


def test_the_page_names_cases_by_client_code_only(client, world):
    client.force_login(world.specialist)

    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert world.case_a.survivor.client_code in html
    assert f'href="{reverse("cases:detail", args=[world.case_a.pk])}"' in html
    assert "Alma" not in html
    assert world.case_b.survivor.client_code not in html
    assert "not recorded yet" in html


def test_the_period_is_the_fiscal_year_to_date_unless_chosen(client, world):
    client.force_login(world.specialist)

    response = client.get(URL, {"team": world.team_a.pk})

    filters = response.context["form"].cleaned_data
    assert (filters["start"], filters["end"], filters["team"]) == (FY_START, TODAY, world.team_a)


@pytest.mark.parametrize("persona", ["finance", "outreach", "trainer", "administrator"])
def test_roles_that_see_no_case_get_an_empty_list(client, world, persona):
    client.force_login(world.everyone()[persona])

    response = client.get(URL)

    assert response.status_code == 200
    assert list(response.context["rows"]) == []
    assert response.context["counts"].cases == 0
    assert world.case_a.survivor.client_code not in response.content.decode()


def test_the_page_is_read_only(client, world):
    client.force_login(world.supervisor)

    assert client.post(URL, {"start": FY_START.isoformat()}).status_code == 405


BAD_INPUT = [
    ({"start": "last Tuesday", "end": TODAY.isoformat()}, "start", "last Tuesday"),
    ({"start": TODAY.isoformat(), "end": "31/31/2026"}, "end", "31/31/2026"),
    ({"start": "", "end": TODAY.isoformat()}, "start", None),
    ({"start": TODAY.isoformat(), "end": (TODAY - timedelta(days=1)).isoformat()}, "end", None),
    ({"start": (TODAY - timedelta(days=5 * 366)).isoformat(), "end": TODAY.isoformat()}, "end", None),
    ({"start": "1999-12-31", "end": TODAY.isoformat()}, "start", "1999-12-31"),
    ({"start": "99999-01-01", "end": TODAY.isoformat()}, "start", "99999-01-01"),
    ({"team": "team b"}, "team", None),
    ({"team": "-1"}, "team", None),
]


@pytest.mark.parametrize(("query", "field", "kept"), BAD_INPUT)
def test_bad_input_gets_a_message_and_keeps_what_was_typed(client, world, query, field, kept):
    client.force_login(world.specialist)

    response = client.get(URL, query)

    assert response.status_code == 400
    assert form_errors(response) == {field}
    assert "rows" not in response.context
    if kept is not None:
        assert f'value="{kept}"' in response.content.decode()


def test_a_team_of_someone_else_is_refused_not_shown(client, world):
    client.force_login(world.specialist)

    response = client.get(URL, {"team": world.team_b.pk})

    assert response.status_code == 400
    assert form_errors(response) == {"team"}
    assert world.case_b.survivor.client_code not in response.content.decode()
    assert "Team B" not in response.content.decode()


def test_a_period_starting_in_the_future_is_refused_and_one_ending_after_today_is_cut(client, world):
    client.force_login(world.specialist)
    tomorrow = TODAY + timedelta(days=1)

    refused = client.get(URL, {"start": tomorrow.isoformat(), "end": tomorrow.isoformat()})
    cut = client.get(URL, {"start": FY_START.isoformat(), "end": (TODAY + timedelta(days=30)).isoformat()})

    assert refused.status_code == 400
    assert "A period cannot start in the future." in refused.content.decode()
    assert cut.status_code == 200
    assert cut.context["form"].cleaned_data["end"] == TODAY
    assert "the figures count up to today" in cut.content.decode()


def test_a_period_of_exactly_five_years_is_allowed(client, world):
    client.force_login(world.specialist)
    start = TODAY.replace(year=TODAY.year - 5) + timedelta(days=1)

    response = client.get(URL, {"start": start.isoformat(), "end": TODAY.isoformat()})

    assert response.status_code == 200


def test_pages_of_25_keep_the_filters(client, world):
    for n in range(30):
        new_case(world, f"Paged Person {n}")
    client.force_login(world.specialist)
    query = {"start": FY_START.isoformat(), "end": TODAY.isoformat(), "mine": "on"}

    first = client.get(URL, query)
    second = client.get(URL, {**query, "page": 2})

    assert (len(first.context["rows"]), len(second.context["rows"])) == (25, 6)
    assert f"start={FY_START.isoformat()}&amp;end={TODAY.isoformat()}&amp;team=&amp;mine=on&amp;page=2" in (
        first.content.decode()
    )
    assert first.context["counts"].cases == 31


# Queries ----------------------------------------------------------------------------------------


def add_rows(world, size):
    """``size`` more cases of team A, each with something and the next with nothing left to record."""
    for n in range(size):
        case = make_case(team=world.team_a, specialists=[world.specialist, world.colleague], legal_name=f"Row {n}")
        screen(case, world.specialist, UNCERTAIN)
        if n % 2:
            close_case(case, by=world.specialist, approver=world.supervisor, living_situation="unknown")


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize(("persona", "queries"), [("specialist", 7), ("supervisor", 8), ("director", 8)])
def test_query_count_does_not_grow_with_rows(client, world, django_assert_num_queries, size, persona, queries):
    add_rows(world, size)
    client.force_login(world.everyone()[persona])
    client.get(URL)  # warm the per-process content-type caches

    with django_assert_num_queries(queries):
        response = client.get(URL)

    assert response.status_code == 200
    assert len(response.context["rows"]) >= size


def test_the_page_has_no_inline_code(client, world):
    client.force_login(world.supervisor)

    assert_strict_page(client.get(URL), URL)
