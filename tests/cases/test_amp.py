from itertools import combinations, product

import pytest

from cases.amp import (
    MEANS_BY_KIND,
    Action,
    Answers,
    Determination,
    EmptyScreening,
    Means,
    MeansKind,
    Purpose,
    determine,
    kind_of,
)

# --- the full table ------------------------------------------------------------------------------
# Every combination of these rows is checked against `expected`, a hand reading of the TVPA rules
# written from the row names alone, so it shares no code with cases/amp.py.

ACTION_ROWS = {
    "no action": frozenset(),
    "core action": frozenset({"harbors", "transports"}),
    "sex-only action": frozenset({"patronizes"}),
    "both kinds of action": frozenset({"obtains", "advertises"}),
}
MEANS_ROWS = {
    "no means": frozenset(),
    "force": frozenset({"physical assault"}),
    "fraud": frozenset({"withheld wages"}),
    "coercion": frozenset({"debt bondage"}),
    "several means": frozenset({"confinement", "false promises work", "confiscated documents"}),
}
PURPOSE_ROWS = {
    "no purpose": frozenset(),
    "sex purpose": frozenset({"commercial sex"}),
    "labor purpose": frozenset({"labor"}),
    "both purposes": frozenset({"commercial sex", "labor"}),
}
AGE_ROWS = {"minor": True, "adult": False, "age unknown": None}
UNSURE_ROWS = {
    "unsure of " + "+".join(subset) if subset else "sure of all": frozenset(subset)
    for size in range(4)
    for subset in combinations(("action", "means", "purpose"), size)
}


def expected(action: str, means: str, purpose: str, minor: bool | None, unsure: frozenset[str]) -> str:
    any_action = action != "no action"
    core_action = action in {"core action", "both kinds of action"}
    any_means = means != "no means"
    sex_purpose = purpose in {"sex purpose", "both purposes"}
    labor_purpose = purpose in {"labor purpose", "both purposes"}

    sex = any_action and sex_purpose and (any_means or minor is True)
    labor = core_action and labor_purpose and any_means
    if sex and labor:
        return "both"
    if sex:
        return "sex"
    if labor:
        return "labor"

    # Neither is met. Could what is not known yet (unsure elements, an unknown age) complete one?
    sex_could = (
        (any_action or "action" in unsure)
        and (sex_purpose or "purpose" in unsure)
        and (any_means or minor is not False or "means" in unsure)
    )
    labor_could = (
        (core_action or "action" in unsure)
        and (labor_purpose or "purpose" in unsure)
        and (any_means or "means" in unsure)
    )
    return "uncertain" if sex_could or labor_could else "not met"


# Nothing recorded and nothing marked unsure is not a screening: see the EmptyScreening tests.
TABLE = [
    row
    for row in product(ACTION_ROWS, MEANS_ROWS, PURPOSE_ROWS, AGE_ROWS, UNSURE_ROWS)
    if row[:3] != ("no action", "no means", "no purpose") or row[4] != "sure of all"
]


def answers_for(action: str, means: str, purpose: str, age: str, unsure: str) -> Answers:
    return Answers(
        actions=ACTION_ROWS[action],
        means=MEANS_ROWS[means],
        purposes=PURPOSE_ROWS[purpose],
        minor=AGE_ROWS[age],
        unsure=UNSURE_ROWS[unsure],
    )


@pytest.mark.parametrize(("action", "means", "purpose", "age", "unsure"), TABLE)
def test_determination_follows_the_tvpa_table(action, means, purpose, age, unsure):
    result = determine(answers_for(action, means, purpose, age, unsure))

    assert result.determination == expected(action, means, purpose, AGE_ROWS[age], UNSURE_ROWS[unsure])
    assert isinstance(result.determination, Determination)


@pytest.mark.parametrize(("action", "means", "purpose", "age", "unsure"), TABLE)
def test_reasons_agree_with_the_determination(action, means, purpose, age, unsure):
    want = expected(action, means, purpose, AGE_ROWS[age], UNSURE_ROWS[unsure])

    reasons = determine(answers_for(action, means, purpose, age, unsure)).reasons

    assert reasons
    assert all(type(reason) is str for reason in reasons)
    met = {
        "sex": "The answers meet the federal definition of sex trafficking." in reasons,
        "labor": "The answers meet the federal definition of labor trafficking." in reasons,
    }
    assert met == {"sex": want in {"sex", "both"}, "labor": want in {"labor", "both"}}
    may_still_apply = any(reason.endswith("may still apply once this is known.") for reason in reasons)
    if want == "uncertain":
        assert may_still_apply
    if want == "not met":
        assert not may_still_apply


# --- named cases -------------------------------------------------------------------------------


def test_minor_for_commercial_sex_without_means_is_sex_trafficking():
    result = determine(
        Answers(actions=frozenset({Action.RECRUITS}), purposes=frozenset({Purpose.COMMERCIAL_SEX}), minor=True)
    )

    assert result.determination == Determination.SEX
    assert "The person was under 18, so no means needs to be shown for sex trafficking." in result.reasons


def test_minor_for_labor_without_means_is_not_met():
    result = determine(Answers(actions=frozenset({Action.RECRUITS}), purposes=frozenset({Purpose.LABOR}), minor=True))

    assert result.determination == Determination.NOT_MET
    assert "Labor trafficking needs force, fraud or coercion at any age, and none was recorded." in result.reasons


def test_minor_for_labor_with_means_not_yet_known_is_uncertain():
    answers = Answers(
        actions=frozenset({Action.RECRUITS}),
        purposes=frozenset({Purpose.LABOR}),
        minor=True,
        unsure=frozenset({"means"}),
    )

    result = determine(answers)

    assert result.determination == Determination.UNCERTAIN
    assert "It is not yet known whether force, fraud or coercion was used." in result.reasons
    assert "Labor trafficking may still apply once this is known." in result.reasons


def test_patronizing_alone_for_labor_is_not_met_and_says_it_counts_only_for_sex():
    answers = Answers(
        actions=frozenset({Action.PATRONIZES}),
        means=frozenset({Means.DEBT_BONDAGE}),
        purposes=frozenset({Purpose.LABOR}),
        minor=False,
    )

    result = determine(answers)

    assert result.determination == Determination.NOT_MET
    assert "Patronizing, soliciting or advertising counts only for sex trafficking." in result.reasons


def test_sex_only_note_is_absent_when_a_core_action_was_also_recorded():
    answers = Answers(
        actions=frozenset({Action.PATRONIZES, Action.HARBORS}),
        means=frozenset({Means.DEBT_BONDAGE}),
        purposes=frozenset({Purpose.LABOR}),
    )

    result = determine(answers)

    assert result.determination == Determination.LABOR
    assert "Patronizing, soliciting or advertising counts only for sex trafficking." not in result.reasons


def test_patronizing_alone_for_commercial_sex_of_an_adult_without_means_is_not_met():
    answers = Answers(actions=frozenset({Action.PATRONIZES}), purposes=frozenset({Purpose.COMMERCIAL_SEX}), minor=False)

    result = determine(answers)

    assert result.determination == Determination.NOT_MET
    assert "Sex trafficking of an adult needs force, fraud or coercion, and none was recorded." in result.reasons


def test_unknown_age_for_commercial_sex_without_means_is_uncertain():
    answers = Answers(actions=frozenset({Action.SOLICITS}), purposes=frozenset({Purpose.COMMERCIAL_SEX}), minor=None)

    result = determine(answers)

    assert result.determination == Determination.UNCERTAIN
    assert result.reasons[-2:] == (
        "The person's age at the time is not known. If they were under 18, "
        "no means needs to be shown for sex trafficking.",
        "Sex trafficking may still apply once this is known.",
    )


@pytest.mark.parametrize("minor", [True, False, None])
def test_nothing_recorded_raises_empty_screening_whatever_the_age(minor):
    with pytest.raises(EmptyScreening, match="Record at least one action, means or purpose"):
        determine(Answers(minor=minor))


def test_empty_screening_is_a_value_error():
    assert issubclass(EmptyScreening, ValueError)


def test_only_marking_elements_unsure_is_a_screening():
    result = determine(Answers(unsure=frozenset({"action", "means", "purpose"})))

    assert result.determination == Determination.UNCERTAIN


@pytest.mark.parametrize(
    "answers",
    [
        Answers(actions=frozenset({"kidnaps"})),
        Answers(means=frozenset({"Physical assault"})),  # a label, not a value
        Answers(purposes=frozenset({"organ removal"})),
        Answers(actions=frozenset({Action.RECRUITS}), unsure=frozenset({"minor"})),
        Answers(actions=frozenset({"labor"})),  # a value from another choice
    ],
)
def test_unknown_value_raises_value_error(answers):
    with pytest.raises(ValueError, match="Unknown") as raised:
        determine(answers)

    assert not isinstance(raised.value, EmptyScreening)


def test_reasons_name_the_items_found_in_form_order():
    answers = Answers(
        actions=frozenset({Action.TRANSPORTS, Action.RECRUITS}),
        means=frozenset({Means.CONFISCATED_DOCUMENTS, Means.PHYSICAL_ASSAULT}),
        purposes=frozenset({Purpose.LABOR}),
    )

    result = determine(answers)

    assert result.reasons == (
        "Actions found: Recruiting, Transporting.",
        "Means found: Physical assault, Confiscated documents.",
        "Purpose found: Labor or services.",
        "The answers meet the federal definition of labor trafficking.",
    )


def test_core_action_with_means_and_both_purposes_is_both():
    answers = Answers(
        actions=frozenset({Action.HARBORS}),
        means=frozenset({Means.THREATS_OF_DEPORTATION}),
        purposes=frozenset({Purpose.COMMERCIAL_SEX, Purpose.LABOR}),
        minor=False,
    )

    result = determine(answers)

    assert result.determination == Determination.BOTH
    assert result.determination.label == "Sex and labor trafficking"


def test_a_recorded_item_counts_even_when_its_element_is_marked_unsure():
    answers = Answers(
        actions=frozenset({Action.OBTAINS}),
        means=frozenset({Means.WITHHELD_WAGES}),
        purposes=frozenset({Purpose.LABOR}),
        unsure=frozenset({"action", "means", "purpose"}),
    )

    result = determine(answers)

    assert result.determination == Determination.LABOR


def test_sex_met_with_purpose_not_fully_known_says_labor_may_still_apply():
    answers = Answers(
        actions=frozenset({Action.RECRUITS}),
        means=frozenset({Means.FALSE_PROMISES_LIVING}),
        purposes=frozenset({Purpose.COMMERCIAL_SEX}),
        unsure=frozenset({"purpose"}),
    )

    result = determine(answers)

    assert result.determination == Determination.SEX
    assert result.reasons[-2:] == (
        "The purpose is not yet fully known.",
        "Labor trafficking may still apply once this is known.",
    )


# --- the vocabulary -------------------------------------------------------------------------------


@pytest.mark.parametrize("action", list(Action))
def test_every_action_counts_for_sex_trafficking(action):
    answers = Answers(
        actions=frozenset({action}), means=frozenset({Means.CONFINEMENT}), purposes=frozenset({Purpose.COMMERCIAL_SEX})
    )

    assert determine(answers).determination == Determination.SEX


@pytest.mark.parametrize("action", list(Action))
def test_only_the_five_core_actions_count_for_labor_trafficking(action):
    answers = Answers(
        actions=frozenset({action}), means=frozenset({Means.CONFINEMENT}), purposes=frozenset({Purpose.LABOR})
    )

    result = determine(answers)

    core = {"recruits", "harbors", "transports", "provides", "obtains"}
    assert result.determination == (Determination.LABOR if action in core else Determination.NOT_MET)


@pytest.mark.parametrize("means", list(Means))
def test_every_means_counts_for_labor_trafficking(means):
    answers = Answers(
        actions=frozenset({Action.PROVIDES}), means=frozenset({means}), purposes=frozenset({Purpose.LABOR})
    )

    assert determine(answers).determination == Determination.LABOR


def test_means_are_grouped_into_force_fraud_and_coercion_once_each():
    grouped = [means for group in MEANS_BY_KIND.values() for means in group]

    assert list(MEANS_BY_KIND) == [MeansKind.FORCE, MeansKind.FRAUD, MeansKind.COERCION]
    assert sorted(grouped) == sorted(Means)
    assert len(grouped) == len(set(grouped))


@pytest.mark.parametrize(
    ("means", "kind"),
    [
        ("sexual assault", MeansKind.FORCE),
        ("false promises living", MeansKind.FRAUD),
        ("psychological manipulation", MeansKind.COERCION),
        (Means.THREATS_OF_HARM, MeansKind.COERCION),
    ],
)
def test_kind_of_names_the_group_of_a_means(means, kind):
    assert kind_of(means) == kind


def test_kind_of_refuses_a_value_that_is_not_a_means():
    with pytest.raises(ValueError, match="bribery"):
        kind_of("bribery")
