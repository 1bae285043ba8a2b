"""Survey versions: the state's default survey as the migrations make it, rewording a version no
event uses, a revision as a whole copy, and which version new events use."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError, transaction

from tests.factories import default_instrument, enter_survey
from tests.training.support import items_of
from training import instruments, services
from training.models import Construct, Item, SurveyInstrument
from training.services import TrainingError


def layout(instrument: SurveyInstrument) -> list:
    """Everything that makes the survey what it is, without ids: to compare two versions."""
    return [
        (c.position, c.code, c.title, c.question, c.scale_min, c.scale_max, c.lower_is_better, c.anchors,
         [(item.position, item.text) for item in c.items.order_by("position")])
        for c in instrument.constructs.order_by("position")
    ]  # fmt: skip


def wording(instrument: SurveyInstrument) -> list:
    return [(c.title, c.question) for c in instrument.constructs.all()] + list(
        Item.objects.filter(construct__instrument=instrument).values_list("text", flat=True)
    )


# The default survey ----------------------------------------------------------------------------


def test_the_default_survey_exists_after_the_migrations(db):
    (survey,) = SurveyInstrument.objects.all()

    assert (survey.name, survey.version, survey.is_default, survey.revises) == (instruments.DEFAULT_NAME, 1, True, None)
    shape = [
        (c.code, c.items.count(), c.scale_min, c.scale_max, c.lower_is_better)
        for c in survey.constructs.order_by("position")
    ]
    assert shape == [("knowledge", 12, 1, 5, False), ("beliefs", 4, 1, 10, True), ("comfort", 6, 1, 10, False)]


def test_the_default_survey_has_the_states_words(db):
    survey = default_instrument()

    assert [c.title for c in survey.constructs.all()] == ["Knowledge", "Beliefs", "Comfort"]
    assert [item.text for item in items_of(survey, "beliefs")] == instruments.BELIEFS["items"]
    assert survey.constructs.get(code="knowledge").anchor_for(3.4) == "Knowledgeable"
    assert survey.constructs.get(code="comfort").anchor_for(1.2) == "Not at all comfortable"
    assert survey.in_use is False


def test_the_default_survey_has_history_from_the_install(db):
    survey = default_instrument()
    rows = [
        *survey.history.all(),
        *Construct.history.filter(instrument=survey),
        *Item.history.filter(construct__instrument=survey),
    ]

    # Installed (the survey, its 3 constructs and 22 items), then each construct and item given its Spanish.
    assert len(rows) == 1 + 3 + 22 + 3 + 22
    assert {(row.history_type, row.history_user, row.history_change_reason) for row in rows} == {
        ("+", None, "Default survey installed"),
        ("~", None, "instrument.spanish_installed"),
    }
    assert survey.history.get().instance.is_default is True


def test_only_one_survey_can_be_the_default(world):
    revision = services.revise(default_instrument(), by=world.trainer)

    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyInstrument.objects.filter(pk=revision.pk).update(is_default=True)


# Rewording -------------------------------------------------------------------------------------


def test_a_version_an_event_uses_cannot_be_reworded(world, course):
    survey = default_instrument()
    course.event()
    item, construct = items_of(survey, "knowledge")[0], survey.constructs.get(code="knowledge")
    words, rows = wording(survey), Item.history.count()

    with pytest.raises(TrainingError) as excinfo:
        services.reword(survey, by=world.trainer, constructs={construct.pk: {"title": "New"}}, items={item.pk: "New"})

    assert "cannot change" in excinfo.value.messages[0]
    assert survey.in_use is True
    assert wording(survey) == words
    assert Item.history.count() == rows


def test_an_unused_version_can_be_reworded(world):
    revision = services.revise(default_instrument(), by=world.trainer)
    construct = revision.constructs.get(code="comfort")
    item = items_of(revision, "comfort")[2]

    services.reword(
        revision, by=world.trainer, constructs={construct.pk: {"title": "Confidence", "question": "How sure?"}},
        items={item.pk: "  Respond when a youth tells you  "},
    )  # fmt: skip

    construct.refresh_from_db()
    item.refresh_from_db()
    assert (construct.title, construct.question) == ("Confidence", "How sure?")
    assert item.text == "Respond when a youth tells you"
    assert (construct.scale_min, construct.scale_max, construct.code) == (1, 10, "comfort")


def test_a_blank_item_refuses_the_whole_rewording(world):
    revision = services.revise(default_instrument(), by=world.trainer)
    first, second = items_of(revision, "knowledge")[:2]
    construct = revision.constructs.get(code="knowledge")
    words = wording(revision)

    with pytest.raises(TrainingError) as excinfo:
        services.reword(
            revision, by=world.trainer, constructs={construct.pk: {"title": "Know-how"}},
            items={first.pk: "Changed words", second.pk: "   "},
        )  # fmt: skip

    assert list(excinfo.value.message_dict) == [f"item_{second.pk}"]
    assert wording(revision) == words


def test_a_blank_title_or_question_is_refused(world):
    revision = services.revise(default_instrument(), by=world.trainer)
    construct = revision.constructs.get(code="beliefs")
    words = wording(revision)

    with pytest.raises(TrainingError) as excinfo:
        services.reword(revision, by=world.trainer, constructs={construct.pk: {"title": " ", "question": ""}}, items={})

    assert set(excinfo.value.message_dict) == {f"title_{construct.pk}", f"question_{construct.pk}"}
    assert wording(revision) == words


@pytest.mark.parametrize("change", [{"scale_max": 3}, {"lower_is_better": False}, {"code": "other"}])
def test_rewording_changes_words_only_never_a_scale(world, change):
    revision = services.revise(default_instrument(), by=world.trainer)
    construct = revision.constructs.get(code="beliefs")

    with pytest.raises(TypeError):
        services.reword(revision, by=world.trainer, constructs={construct.pk: change}, items={})

    construct.refresh_from_db()
    assert (construct.code, construct.scale_max, construct.lower_is_better) == ("beliefs", 10, True)


def test_rewording_a_construct_of_another_version_changes_nothing(world):
    first = default_instrument()
    revision = services.revise(first, by=world.trainer)
    other = first.constructs.get(code="knowledge")

    services.reword(revision, by=world.trainer, constructs={other.pk: {"title": "Not mine"}}, items={})

    assert Construct.objects.get(pk=other.pk).title == "Knowledge"
    assert not Construct.objects.filter(title="Not mine").exists()


# Revising --------------------------------------------------------------------------------------


def test_a_revision_is_a_whole_copy_as_the_next_version(world, course):
    first = default_instrument()
    course.event()
    original, pks, rows = layout(first), set(Item.objects.values_list("pk", flat=True)), first.history.count()

    revision = services.revise(first, by=world.trainer)

    assert (revision.name, revision.version, revision.revises, revision.is_default) == (first.name, 2, first, False)
    assert revision.created_by == world.trainer
    assert layout(revision) == original
    assert pks.isdisjoint(Item.objects.filter(construct__instrument=revision).values_list("pk", flat=True))
    # The version revised is untouched.
    first.refresh_from_db()
    assert layout(first) == original
    assert set(Item.objects.filter(construct__instrument=first).values_list("pk", flat=True)) == pks
    assert (first.is_default, first.history.count()) == (True, rows)
    assert revision.in_use is False


def test_revising_an_earlier_version_again_makes_the_next_number(world):
    first = default_instrument()
    services.revise(first, by=world.trainer)

    third = services.revise(first, by=world.trainer)

    assert (third.version, third.revises) == (3, first)
    assert list(SurveyInstrument.objects.order_by("version").values_list("version", flat=True)) == [1, 2, 3]


def test_old_surveys_keep_the_items_of_their_version(world, course):
    event = course.event()
    response = enter_survey(event, world.trainer)
    revision = services.revise(default_instrument(), by=world.trainer)
    item = items_of(revision, "knowledge")[0]
    services.reword(revision, by=world.trainer, constructs={}, items={item.pk: "New words"})

    services.make_default(revision, by=world.trainer)

    event.refresh_from_db()
    assert event.instrument.version == 1
    texts = set(response.answers.values_list("item__text", flat=True))
    assert "New words" not in texts
    assert items_of(event.instrument, "knowledge")[0].text in texts


# The default for new events --------------------------------------------------------------------


def test_making_a_version_the_default_moves_it(world):
    first = default_instrument()
    revision = services.revise(first, by=world.trainer)

    services.make_default(revision, by=world.trainer)

    assert list(SurveyInstrument.objects.filter(is_default=True)) == [revision]
    first.refresh_from_db()
    assert first.is_default is False
    services.make_default(first, by=world.trainer)
    assert list(SurveyInstrument.objects.filter(is_default=True)) == [first]


def test_making_the_default_the_default_again_writes_nothing(world):
    first = default_instrument()
    rows = first.history.count()

    services.make_default(first, by=world.trainer)

    assert first.history.count() == rows
    assert SurveyInstrument.objects.filter(is_default=True).count() == 1


def test_new_events_use_the_default_and_older_events_keep_theirs(world, course):
    older = course.event()
    revision = services.revise(default_instrument(), by=world.trainer)
    services.make_default(revision, by=world.trainer)

    newer = course.event()

    assert (older.instrument.version, newer.instrument) == (1, revision)
    assert revision.in_use is True


def test_a_survey_changed_while_answering_is_refused_whole(world, course):
    event = course.event()
    stale = items_of(services.revise(event.instrument, by=world.trainer), "knowledge")[0]
    current = items_of(event.instrument, "knowledge")[0]

    with pytest.raises(TrainingError) as excinfo:
        services.enter_paper(
            event, by=world.trainer, phase="pre", trainee=services.Trainee(), scores={current.pk: 3, stale.pk: 3}
        )

    assert list(excinfo.value.message_dict) == [NON_FIELD_ERRORS]
    assert event.responses.count() == 0
