"""evaluation.evaluate: the averages, counts and significance of a small survey set worked out by
hand (and cross-checked with scipy), by field of work, across events and across survey versions."""

from datetime import date, timedelta
from statistics import mean

import pytest
from scipy import stats as scipy_stats

from tests.factories import default_instrument, enter_survey
from tests.training.support import AFTER, BEFORE, at, enter, items_of
from training import evaluation, services
from training.models import TrainingEvent


def construct(result, code) -> evaluation.ConstructResult:
    (found,) = [c for c in result.constructs if c.scale.code == code]
    return found


def cell(result, code, label):
    (found,) = [c.comparison for c in construct(result, code).by_field if c.label == label]
    return found


@pytest.fixture
def surveyed(world, course) -> TrainingEvent:
    """The nine surveys of support.BEFORE and support.AFTER, and one more before that was set aside."""
    event = course.event()
    enter(event, world.trainer, "pre", BEFORE)
    enter(event, world.trainer, "post", AFTER)
    wrong = enter_survey(event, world.trainer, phase="pre", field_of_work="child welfare", scores=None)
    services.set_aside(wrong, by=world.trainer)
    return event


@pytest.fixture
def result(surveyed) -> evaluation.Evaluation:
    return evaluation.evaluate(TrainingEvent.objects.filter(pk=surveyed.pk))


# Overall -------------------------------------------------------------------------------------


def test_counts_leave_out_the_survey_set_aside(result):
    assert (result.events, result.n_before, result.n_after) == (1, 4, 5)
    assert [c.scale.code for c in result.constructs] == ["knowledge", "beliefs", "comfort"]
    assert [c.scale.title for c in result.constructs] == ["Knowledge", "Beliefs", "Comfort"]


def test_knowledge_by_hand(result):
    # Each trainee's knowledge score is the average of the items they answered:
    #   before 5/2 = 2.5, 6/3 = 2.0, 6/2 = 3.0, 2/1 = 2.0: mean 9.5/4 = 2.375
    #   after 9/2 = 4.5, 12/3 = 4.0, 9/2 = 4.5, 7/2 = 3.5, 4/1 = 4.0: mean 20.5/5 = 4.1
    # Variances: before (0.125² + 0.375² + 0.625² + 0.375²) / 3 = 0.6875 / 3 = 0.229167;
    #   after (0.4² + 0.1² + 0.4² + 0.6² + 0.1²) / 4 = 0.7 / 4 = 0.175.
    # Squared standard errors 0.229167 / 4 = 0.057292 and 0.175 / 5 = 0.035; sum 0.092292, se 0.303796.
    # t = (4.1 - 2.375) / 0.303796 = 5.6782.
    # df = 0.092292² / (0.057292² / 3 + 0.035² / 4) = 0.0085178 / 0.0014004 = 6.0825.
    # p = 0.00123 (scipy), below 0.01: **.
    knowledge = construct(result, "knowledge").overall
    assert (knowledge.n_before, knowledge.n_after) == (4, 5)
    assert knowledge.mean_before == pytest.approx(2.375)
    assert knowledge.mean_after == pytest.approx(4.1)
    assert knowledge.t == pytest.approx(5.6782, abs=1e-4)
    assert knowledge.df == pytest.approx(6.0825, abs=1e-4)
    assert knowledge.p == pytest.approx(0.001227, abs=1e-6)
    assert knowledge.mark == "**"


def test_comfort_by_hand(result):
    # Before (4+8)/2 = 6, (5+8)/2 = 6.5, (3+8)/2 = 5.5, (5+8)/2 = 6.5: mean 6.125.
    # After 7, 7, 7.5, 6.5, 7: mean 7.0.
    # Variances 0.6875 / 3 = 0.229167 and 0.5 / 4 = 0.125; squared errors 0.057292 and 0.025; se 0.286865.
    # t = 0.875 / 0.286865 = 3.0502; df = 0.082292² / (0.057292² / 3 + 0.025² / 4) = 5.4160.
    # p = 0.0256: below 0.05, not below 0.01: *.
    comfort = construct(result, "comfort").overall
    assert (comfort.mean_before, comfort.mean_after) == (pytest.approx(6.125), pytest.approx(7.0))
    assert comfort.t == pytest.approx(3.0502, abs=1e-4)
    assert comfort.df == pytest.approx(5.4160, abs=1e-4)
    assert comfort.p == pytest.approx(0.02564, abs=1e-5)
    assert comfort.mark == "*"


def test_beliefs_by_hand(result):
    # Lower is better. Before (6+2)/2 = 4, (5+3)/2 = 4, (7+2)/2 = 4.5, 6: mean 4.625.
    # After 3.5, 2.5, 4.5, 3.5, 3: mean 3.4. t = -2.1198 (down), p = 0.081: not significant.
    beliefs = construct(result, "beliefs")
    assert beliefs.scale.lower_is_better is True
    assert (beliefs.overall.mean_before, beliefs.overall.mean_after) == (pytest.approx(4.625), pytest.approx(3.4))
    assert beliefs.overall.t == pytest.approx(-2.1198, abs=1e-4)
    assert beliefs.overall.p == pytest.approx(0.08117, abs=1e-5)
    assert beliefs.overall.mark == ""


@pytest.mark.parametrize("code", ["knowledge", "beliefs", "comfort"])
def test_every_construct_agrees_with_scipy_on_the_trainees_averages(result, code):
    index = {"knowledge": 1, "beliefs": 2, "comfort": 3}[code]
    before = [mean(row[index]) for row in BEFORE]
    after = [mean(row[index]) for row in AFTER]
    expected = scipy_stats.ttest_ind(after, before, equal_var=False)

    overall = construct(result, code).overall

    assert overall.mean_before == pytest.approx(mean(before))
    assert overall.mean_after == pytest.approx(mean(after))
    assert overall.t == pytest.approx(expected.statistic, rel=1e-9)
    assert overall.df == pytest.approx(expected.df, rel=1e-9)
    assert overall.p == pytest.approx(expected.pvalue, rel=1e-7)


def test_a_trainees_score_is_the_average_of_the_items_they_answered(world, course):
    event = course.event()
    enter_survey(event, world.trainer, knowledge=[1, None, 2, None, None, None, None, None, None, None, None, 5])

    result = evaluation.evaluate(TrainingEvent.objects.filter(pk=event.pk))

    knowledge = construct(result, "knowledge").overall
    assert knowledge.mean_before == pytest.approx(8 / 3)
    assert (knowledge.n_before, knowledge.n_after, knowledge.mean_after) == (1, 0, None)
    assert (knowledge.t, knowledge.p, knowledge.mark) == (None, None, "")


# By field of work ----------------------------------------------------------------------------


def test_knowledge_by_field_of_work(result):
    # Education: before 2.5 and 2.0, after 4.5 and 4.0; both variances 0.125, so
    # t = 2 / sqrt(0.0625 + 0.0625) = 5.6569 on df = 2, p = 0.0299: *.
    education = cell(result, "knowledge", "Education")
    assert (education.n_before, education.n_after) == (2, 2)
    assert (education.mean_before, education.mean_after) == (pytest.approx(2.25), pytest.approx(4.25))
    assert education.t == pytest.approx(5.6569, abs=1e-4)
    assert education.df == pytest.approx(2.0)
    assert education.p == pytest.approx(0.02986, abs=1e-5)
    assert education.mark == "*"
    # One on each side: too few to test.
    police = cell(result, "knowledge", "Law enforcement")
    assert (police.n_before, police.n_after, police.mean_before, police.mean_after) == (1, 1, 3.0, 4.5)
    assert (police.p, police.mark) == (None, "")


def test_a_survey_with_no_field_of_work_counts_under_other(result):
    # Before: the one with no field (2.0). After: the one with none (3.5) and the one that said Other (4.0).
    other = cell(result, "knowledge", "Other")
    assert (other.n_before, other.n_after) == (1, 2)
    assert (other.mean_before, other.mean_after) == (pytest.approx(2.0), pytest.approx(3.75))


def test_the_rows_show_every_field_with_an_answer_after_all_fields(result):
    rows = construct(result, "comfort").rows

    assert [label for label, _c in rows] == ["All fields of work", "Education", "Law enforcement", "Other"]
    # Child welfare answered only the survey set aside, so it has no row and no count.
    assert cell(result, "comfort", "Child welfare").n_before == 0
    assert sum(c.n_before for _label, c in rows[1:]) == rows[0][1].n_before == 4


# Items that went the wrong way ---------------------------------------------------------------


def test_item_averages_come_from_the_surveys_that_answered_them(result):
    knowledge = items_of(default_instrument(), "knowledge")
    changes = {item.text: item for item in result.items}

    first, second = changes[knowledge[0].text], changes[knowledge[1].text]
    assert (first.n_before, first.mean_before, first.n_after, first.mean_after) == (4, 2.0, 5, 4.0)
    assert (second.n_before, second.n_after) == (3, 4)
    assert second.mean_before == pytest.approx(8 / 3)
    assert second.mean_after == pytest.approx(4.25)
    # Items nobody answered on either side are not listed.
    assert knowledge[5].text not in changes


def test_items_that_went_down_or_up_where_lower_is_better_are_the_wrong_way(result):
    beliefs, comfort = items_of(default_instrument(), "beliefs"), items_of(default_instrument(), "comfort")

    worse = [(item.construct_title, item.text) for item in result.worse_items]

    # Beliefs item 2 went up from 7/3 to 16/4 (lower is better); comfort item 2 went down from 8 to 6.
    assert worse == [("Beliefs", beliefs[1].text), ("Comfort", comfort[1].text)]
    # Beliefs item 1 went down from 6 to 3: the right way where lower is better.
    (first_belief,) = [item for item in result.items if item.text == beliefs[0].text]
    assert (first_belief.mean_before, first_belief.mean_after, first_belief.worse) == (6.0, 3.0, False)
    # Comfort item 1 went up from 4.25 to 8: the right way.
    (first_comfort,) = [item for item in result.items if item.text == comfort[0].text]
    assert (first_comfort.difference, first_comfort.worse) == (pytest.approx(3.75), False)


def test_an_item_that_stayed_the_same_is_not_the_wrong_way(world, course):
    event = course.event()
    for phase in ("pre", "post"):
        enter_survey(event, world.trainer, phase=phase, knowledge=[3], beliefs=[4], comfort=[5])

    result = evaluation.evaluate(TrainingEvent.objects.filter(pk=event.pk))

    assert result.worse_items == []
    assert {item.difference for item in result.items} == {0}


# Set aside, empty ----------------------------------------------------------------------------


def test_an_event_whose_only_surveys_were_set_aside_has_no_result(world, course):
    event = course.event()
    services.set_aside(enter_survey(event, world.trainer), by=world.trainer)

    result = evaluation.evaluate(TrainingEvent.objects.filter(pk=event.pk))

    assert (result.is_empty, result.events, result.n_before, result.constructs, result.items) == (True, 0, 0, [], [])


def test_setting_a_survey_aside_takes_it_out_of_the_averages(world, course, surveyed):
    events = TrainingEvent.objects.filter(pk=surveyed.pk)
    before = construct(evaluation.evaluate(events), "knowledge").overall.mean_before
    ones = surveyed.responses.filter(set_aside=True).get()
    surveyed.responses.filter(pk=ones.pk).update(set_aside=False)  # as if it had not been set aside

    counted = construct(evaluation.evaluate(events), "knowledge").overall

    # All twelve knowledge items of the set-aside survey are 1: its trainee's score is 1.
    assert counted.n_before == 5
    assert counted.mean_before == pytest.approx((9.5 + 1) / 5)
    assert before == pytest.approx(2.375)


# Across events -------------------------------------------------------------------------------


def test_events_between_takes_the_events_that_started_on_the_days_of_the_period(course):
    early = course.event(starts_at=at(date(2025, 2, 28), 23))
    first = course.event(starts_at=at(date(2025, 3, 1), 0, 30))
    late = course.event(starts_at=at(date(2025, 3, 31), 23, 30))  # already 1 April in UTC
    course.event(starts_at=at(date(2025, 4, 1), 9))

    chosen = evaluation.events_between(TrainingEvent.objects.all(), date(2025, 3, 1), date(2025, 3, 31))

    assert set(chosen) == {first, late}
    assert early not in chosen


def test_an_evaluation_over_a_period_combines_its_events_and_leaves_out_the_others(world, course):
    march = course.event(starts_at=at(date(2025, 3, 4), 9))
    end_of_march = course.event(starts_at=at(date(2025, 3, 31), 18))
    april = course.event(starts_at=at(date(2025, 4, 2), 9))
    for event, before, after in ((march, [2], [4]), (end_of_march, [3], [5]), (april, [1], [1])):
        enter_survey(event, world.trainer, phase="pre", knowledge=before)
        enter_survey(event, world.trainer, phase="post", knowledge=after)
    enter_survey(march, world.trainer, phase="pre", knowledge=[1])

    events = evaluation.events_between(TrainingEvent.objects.all(), date(2025, 3, 1), date(2025, 3, 31))
    result = evaluation.evaluate(events)

    assert (result.events, result.n_before, result.n_after) == (2, 3, 2)
    knowledge = construct(result, "knowledge").overall
    # Before 2, 1 (March) and 3 (the 31st): mean 2; after 4 and 5: mean 4.5. April's 1s are not in it.
    assert (knowledge.mean_before, knowledge.mean_after) == (pytest.approx(2.0), pytest.approx(4.5))
    expected = scipy_stats.ttest_ind([4, 5], [2, 1, 3], equal_var=False)
    assert knowledge.t == pytest.approx(expected.statistic)
    assert knowledge.p == pytest.approx(expected.pvalue)


# Across survey versions ----------------------------------------------------------------------


@pytest.fixture
def two_versions(world, course):
    """An event on version 1 and one on version 2, whose first knowledge item and title were reworded."""
    first = default_instrument()
    old_event = course.event(starts_at=at(date(2025, 3, 4), 9))
    second = services.revise(first, by=world.trainer)
    knowledge = second.constructs.get(code="knowledge")
    reworded = items_of(second, "knowledge")[0]
    services.reword(
        second, by=world.trainer, constructs={knowledge.pk: {"title": "Knowledge of trafficking"}},
        items={reworded.pk: "Where trafficking is defined in law"},
    )  # fmt: skip
    services.make_default(second, by=world.trainer)
    new_event = course.event(starts_at=at(date(2025, 3, 18), 9))
    assert (old_event.instrument, new_event.instrument) == (first, second)
    enter_survey(old_event, world.trainer, phase="pre", knowledge=[2, 2])
    enter_survey(old_event, world.trainer, phase="post", knowledge=[4, 4])
    enter_survey(new_event, world.trainer, phase="pre", knowledge=[3, 3])
    enter_survey(new_event, world.trainer, phase="post", knowledge=[5, 5])
    return first, second


def test_constructs_are_matched_across_versions_by_their_code(two_versions):
    result = evaluation.evaluate(TrainingEvent.objects.all())

    assert [c.scale.code for c in result.constructs] == ["knowledge", "beliefs", "comfort"]
    knowledge = construct(result, "knowledge")
    # Read as the latest version reads it.
    assert knowledge.scale.title == "Knowledge of trafficking"
    assert (knowledge.overall.n_before, knowledge.overall.n_after) == (2, 2)
    assert (knowledge.overall.mean_before, knowledge.overall.mean_after) == (2.5, 4.5)


def test_items_are_matched_across_versions_by_their_wording(two_versions):
    first, _second = two_versions
    old_first, same = items_of(first, "knowledge")[:2]

    result = evaluation.evaluate(TrainingEvent.objects.all())

    changes = {item.text: item for item in result.items}
    # The reworded item is two items, each with its own version's answers.
    assert (changes[old_first.text].n_before, changes[old_first.text].mean_before) == (1, 2.0)
    reworded = changes["Where trafficking is defined in law"]
    assert (reworded.n_before, reworded.mean_before, reworded.mean_after) == (1, 3.0, 5.0)
    # The item worded the same in both versions is one, with the answers of both.
    assert (changes[same.text].n_before, changes[same.text].n_after) == (2, 2)
    assert (changes[same.text].mean_before, changes[same.text].mean_after) == (2.5, 4.5)
    assert len([item for item in result.items if item.construct_title == "Knowledge of trafficking"]) == 3


def test_old_surveys_keep_their_own_items_after_a_revision(world, course, two_versions):
    first, _second = two_versions
    old_event = TrainingEvent.objects.get(instrument=first)

    result = evaluation.evaluate(TrainingEvent.objects.filter(pk=old_event.pk))

    # Only version 1 answered here, so it is read with version 1's words.
    assert construct(result, "knowledge").scale.title == "Knowledge"
    texts = [item.text for item in result.items if item.construct_title == "Knowledge"]
    assert texts == [item.text for item in items_of(first, "knowledge")[:2]]
    assert "Where trafficking is defined in law" not in [item.text for item in result.items]
    assert set(old_event.responses.values_list("answers__item__construct__instrument", flat=True)) == {first.pk}


def test_the_period_of_an_empty_range_has_no_result(world, course):
    enter_survey(course.event(starts_at=at(date(2025, 3, 4), 9)), world.trainer)
    day = date(2025, 3, 5)

    result = evaluation.evaluate(evaluation.events_between(TrainingEvent.objects.all(), day, day + timedelta(days=3)))

    assert result.is_empty
    assert result.events == 0
