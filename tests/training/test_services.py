"""The rules of training's services: an event's times, trainers, survey window and headcount; paper
surveys typed in; who may write each; and the history every write leaves."""

import dataclasses
from datetime import date, timedelta

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.utils import timezone

from bloom.accounts.models import Role
from tests.factories import (
    default_instrument,
    enter_survey,
    event_details,
    make_curriculum,
    make_trainer,
    make_user,
    survey_scores,
)
from tests.training.support import at, attendee, items_of, reasons
from training import services
from training.models import (
    LONGEST_SURVEY_WINDOW,
    Answer,
    Attendee,
    Certification,
    Curriculum,
    SurveyInstrument,
    SurveyResponse,
    Trainer,
    TrainingEvent,
)
from training.services import EventDetails, Trainee, TrainingError

DAY = date(2025, 5, 6)  # a Tuesday in the past, far from a clock change


def refusal(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def details_of(event: TrainingEvent, **changes) -> EventDetails:
    """The event's details as its edit form would send them back, with ``changes``."""
    values = {
        "curriculum": event.curriculum, "starts_at": event.starts_at, "ends_at": event.ends_at,
        "trainers": list(event.trainers.all()), "audience": event.audience, "host": event.host, "town": event.town,
        "attendee_count": event.attendee_count, "fields_of_work": list(event.fields_of_work),
        "positions": event.positions, "instrument": event.instrument, "survey_closes_at": event.survey_closes_at,
        "notes": event.notes,
    }  # fmt: skip
    return EventDetails(**{**values, **changes})


def new_event(course, **changes) -> EventDetails:
    """A three-hour morning event on DAY taught by the course's trainer, with ``changes``."""
    details = event_details(course.by, curriculum=course.curriculum, trainers=[course.trainer], starts_at=at(DAY, 9))
    return dataclasses.replace(details, **changes)


def assert_no_event_written() -> None:
    assert TrainingEvent.objects.count() == 0
    assert TrainingEvent.history.count() == 0


# An event's times ------------------------------------------------------------------------------


def test_an_event_is_recorded_with_the_default_survey_window(world, course):
    event = services.save_event(None, by=world.trainer, details=new_event(course))

    event.refresh_from_db()
    assert (event.starts_at, event.ends_at) == (at(DAY, 9), at(DAY, 12))
    assert event.survey_closes_at == at(DAY, 12) + timedelta(days=3)
    assert list(event.trainers.all()) == [course.trainer]
    assert event.created_by == world.trainer
    assert event.instrument == default_instrument()


@pytest.mark.parametrize("ends_at", [at(DAY, 8), at(DAY, 9)], ids=["before", "at the start"])
def test_an_event_that_ends_before_it_starts_is_refused_on_its_end(world, course, ends_at):
    with pytest.raises(TrainingError) as excinfo:
        services.save_event(None, by=world.trainer, details=new_event(course, ends_at=ends_at))

    assert list(refusal(excinfo)) == ["ends_at"]
    assert "ends after it starts" in refusal(excinfo)["ends_at"][0]
    assert_no_event_written()


def test_an_event_longer_than_two_weeks_is_refused_on_its_end(world, course):
    with pytest.raises(TrainingError) as excinfo:
        services.save_event(None, by=world.trainer, details=new_event(course, ends_at=at(DAY, 9) + timedelta(days=15)))

    assert list(refusal(excinfo)) == ["ends_at"]
    assert_no_event_written()


# Who taught ------------------------------------------------------------------------------------


def test_a_trainer_certified_for_another_curriculum_is_refused_by_name(world, course):
    other = make_curriculum(world.trainer, name="Youth Prevention")
    newcomer = make_trainer(world.trainer, full_name="Nia Newcomer", curricula=[other], certified_on=date(2020, 1, 1))

    with pytest.raises(TrainingError) as excinfo:
        services.save_event(None, by=world.trainer, details=new_event(course, trainers=[course.trainer, newcomer]))

    assert list(refusal(excinfo)) == ["trainers"]
    assert refusal(excinfo)["trainers"][0].startswith("Nia Newcomer is not certified")
    assert "Terry Trainer" not in refusal(excinfo)["trainers"][0]
    assert_no_event_written()


def test_two_trainers_not_certified_are_both_named(world, course):
    other = make_curriculum(world.trainer, name="Youth Prevention")
    first = make_trainer(world.trainer, full_name="Nia Newcomer", curricula=[other])
    second = make_trainer(world.trainer, full_name="Omar Other")

    with pytest.raises(TrainingError) as excinfo:
        services.save_event(None, by=world.trainer, details=new_event(course, trainers=[first, second]))

    assert refusal(excinfo)["trainers"][0].startswith("Nia Newcomer, Omar Other are not certified")
    assert_no_event_written()


def test_a_trainer_certified_after_the_event_day_is_refused(world, course):
    late = make_trainer(world.trainer, full_name="Lee Late")
    services.certify(
        late, by=world.trainer, curriculum=course.curriculum, kind="trainer", certified_on=DAY + timedelta(1)
    )

    with pytest.raises(TrainingError) as excinfo:
        services.save_event(None, by=world.trainer, details=new_event(course, trainers=[late]))

    assert list(refusal(excinfo)) == ["trainers"]
    assert_no_event_written()


def test_a_trainer_certified_on_the_event_day_may_teach_it(world, course):
    fresh = make_trainer(world.trainer, full_name="Fay Fresh")
    services.certify(fresh, by=world.trainer, curriculum=course.curriculum, kind="facilitator", certified_on=DAY)

    event = services.save_event(None, by=world.trainer, details=new_event(course, trainers=[fresh]))

    assert list(event.trainers.all()) == [fresh]


def expired_trainer(world, course) -> Trainer:
    """Certified for the course from 2023 until (not including) 1 January 2025."""
    trainer = make_trainer(world.trainer, full_name="Eve Expired")
    services.certify(
        trainer, by=world.trainer, curriculum=course.curriculum, kind="trainer",
        certified_on=date(2023, 1, 1), expires_on=date(2025, 1, 1),
    )  # fmt: skip
    return trainer


@pytest.mark.parametrize("day", [date(2025, 1, 1), DAY], ids=["on the expiry day", "after it"])
def test_a_trainer_whose_certification_expired_is_refused(world, course, day):
    trainer = expired_trainer(world, course)
    details = new_event(course, trainers=[trainer], starts_at=at(day, 9), ends_at=at(day, 12))

    with pytest.raises(TrainingError) as excinfo:
        services.save_event(None, by=world.trainer, details=details)

    assert list(refusal(excinfo)) == ["trainers"]
    assert "Eve Expired is not certified" in refusal(excinfo)["trainers"][0]
    assert_no_event_written()


def test_the_certification_is_checked_on_the_local_day_the_event_starts(world, course):
    # 23:00 on 31 December in Connecticut is already 1 January in UTC, when the certification has expired.
    trainer = expired_trainer(world, course)
    starts = at(date(2024, 12, 31), 23)
    details = new_event(course, trainers=[trainer], starts_at=starts, ends_at=starts + timedelta(hours=1))

    event = services.save_event(None, by=world.trainer, details=details)

    assert list(event.trainers.all()) == [trainer]


def test_an_event_needs_a_trainer(world, course):
    with pytest.raises(TrainingError) as excinfo:
        services.save_event(None, by=world.trainer, details=new_event(course, trainers=[]))

    assert list(refusal(excinfo)) == ["trainers"]
    assert_no_event_written()


# The survey window -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "closes",
    [at(DAY, 12) - timedelta(seconds=1), at(DAY, 12) + LONGEST_SURVEY_WINDOW + timedelta(seconds=1)],
    ids=["before the end", "more than 30 days after"],
)
def test_a_survey_that_closes_outside_its_window_is_refused(world, course, closes):
    with pytest.raises(TrainingError) as excinfo:
        services.save_event(None, by=world.trainer, details=new_event(course, survey_closes_at=closes))

    assert list(refusal(excinfo)) == ["survey_closes_at"]
    assert_no_event_written()


@pytest.mark.parametrize("closes", [at(DAY, 12), at(DAY, 12) + LONGEST_SURVEY_WINDOW], ids=["at the end", "30 days"])
def test_a_survey_may_close_from_the_end_to_30_days_after(world, course, closes):
    event = services.save_event(None, by=world.trainer, details=new_event(course, survey_closes_at=closes))

    event.refresh_from_db()
    assert event.survey_closes_at == closes


# The headcount ---------------------------------------------------------------------------------


def test_a_count_lower_than_the_sign_in_list_is_refused_and_nothing_changes(world, course):
    event = course.event(starts_at=at(DAY, 9))
    for name in ("Ada", "Bo", "Cy"):
        services.add_attendee(event, by=world.trainer, details=attendee(name))
    rows = event.history.count()

    with pytest.raises(TrainingError) as excinfo:
        services.save_event(event, by=world.trainer, details=details_of(event, attendee_count=2, notes="Changed"))

    assert list(refusal(excinfo)) == ["attendee_count"]
    assert "already has 3 people" in refusal(excinfo)["attendee_count"][0]
    event.refresh_from_db()
    assert (event.attendee_count, event.notes) == (None, "")
    assert event.history.count() == rows


def test_a_count_equal_to_the_sign_in_list_is_accepted(world, course):
    event = course.event(starts_at=at(DAY, 9))
    for name in ("Ada", "Bo", "Cy"):
        services.add_attendee(event, by=world.trainer, details=attendee(name))

    services.save_event(event, by=world.trainer, details=details_of(event, attendee_count=3))

    event.refresh_from_db()
    assert event.attendee_count == 3


def test_an_attendee_beyond_the_count_is_refused(world, course):
    event = course.event(starts_at=at(DAY, 9), attendee_count=1)
    services.add_attendee(event, by=world.trainer, details=attendee("Ada"))

    with pytest.raises(TrainingError) as excinfo:
        services.add_attendee(event, by=world.trainer, details=attendee("Bo"))

    assert list(refusal(excinfo)) == ["full_name"]
    assert list(event.attendees.values_list("full_name", flat=True)) == ["Ada"]


def test_a_count_above_the_largest_headcount_is_refused(world, course):
    with pytest.raises(TrainingError) as excinfo:
        services.save_event(None, by=world.trainer, details=new_event(course, attendee_count=5_001))

    assert list(refusal(excinfo)) == ["attendee_count"]
    assert_no_event_written()


def test_an_unknown_field_of_work_is_refused(world, course):
    with pytest.raises(TrainingError) as excinfo:
        services.save_event(None, by=world.trainer, details=new_event(course, fields_of_work=["education", "x"]))

    assert list(refusal(excinfo)) == ["fields_of_work"]
    assert_no_event_written()


# The event's survey ----------------------------------------------------------------------------


@pytest.mark.parametrize("replacement", ["revision", "none"])
def test_the_survey_of_an_event_with_responses_cannot_change(world, course, replacement):
    event = course.event(starts_at=at(DAY, 9))
    enter_survey(event, world.trainer)
    revision = services.revise(default_instrument(), by=world.trainer)
    rows = event.history.count()

    instrument = revision if replacement == "revision" else None
    with pytest.raises(TrainingError) as excinfo:
        services.save_event(event, by=world.trainer, details=details_of(event, instrument=instrument))

    assert list(refusal(excinfo)) == ["instrument"]
    assert "already answered" in refusal(excinfo)["instrument"][0]
    event.refresh_from_db()
    assert event.instrument == default_instrument()
    assert event.history.count() == rows


def test_the_survey_of_an_event_without_responses_may_change(world, course):
    event = course.event(starts_at=at(DAY, 9))
    revision = services.revise(default_instrument(), by=world.trainer)

    services.save_event(event, by=world.trainer, details=details_of(event, instrument=revision))

    event.refresh_from_db()
    assert event.instrument == revision


def test_several_problems_are_refused_together_each_on_its_field(world, course):
    details = new_event(course, trainers=[], attendee_count=5_001, fields_of_work=["x"], notes="n" * 4001)

    with pytest.raises(TrainingError) as excinfo:
        services.save_event(None, by=world.trainer, details=details)

    assert set(refusal(excinfo)) == {"trainers", "attendee_count", "fields_of_work", "notes"}
    assert_no_event_written()


# Paper surveys ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "score", "words"),
    [("knowledge", 0, "from 1 to 5"), ("knowledge", 6, "from 1 to 5"), ("comfort", 11, "from 1 to 10")],
)
def test_a_score_outside_its_scale_is_refused_on_its_item(world, course, code, score, words):
    event = course.event()
    item = items_of(event.instrument, code)[0]
    scores = {**survey_scores(event.instrument, every=None), item.pk: score}

    with pytest.raises(TrainingError) as excinfo:
        services.enter_paper(event, by=world.trainer, phase="pre", trainee=Trainee(), scores=scores)

    assert list(refusal(excinfo)) == [f"item_{item.pk}"]
    assert words in refusal(excinfo)[f"item_{item.pk}"][0]
    assert SurveyResponse.objects.count() == 0
    assert Answer.objects.count() == 0
    assert SurveyResponse.history.count() == 0


def test_the_highest_and_lowest_scores_of_each_scale_are_accepted(world, course):
    event = course.event()
    knowledge, beliefs = items_of(event.instrument, "knowledge"), items_of(event.instrument, "beliefs")
    scores = {knowledge[0].pk: 1, knowledge[1].pk: 5, beliefs[0].pk: 1, beliefs[1].pk: 10}

    response = services.enter_paper(event, by=world.trainer, phase="pre", trainee=Trainee(), scores=scores)

    assert dict(response.answers.values_list("item", "score")) == scores


# Run again at awkward instants (tests/clock.py): the survey after a training waits for it to start.
@pytest.mark.clock
def test_a_survey_after_a_training_that_has_not_started_is_refused(world, course):
    tomorrow = timezone.now() + timedelta(days=1)
    event = course.event(starts_at=tomorrow)

    with pytest.raises(TrainingError) as excinfo:
        enter_survey(event, world.trainer, phase="post")

    assert list(refusal(excinfo)) == ["phase"]
    assert SurveyResponse.objects.count() == 0


@pytest.mark.clock
def test_a_survey_before_a_training_that_has_not_started_is_accepted(world, course):
    event = course.event(starts_at=timezone.now() + timedelta(days=1))

    response = enter_survey(event, world.trainer, phase="pre")

    assert response.phase == "pre"


def test_a_paper_survey_for_an_event_with_no_survey_is_refused(world, course):
    event = course.event(instrument=None)

    with pytest.raises(TrainingError) as excinfo:
        services.enter_paper(
            event, by=world.trainer, phase="pre", trainee=Trainee(), scores=survey_scores(default_instrument())
        )

    assert "has no survey" in excinfo.value.messages[0]
    assert SurveyResponse.objects.count() == 0


def test_blank_items_are_left_out_but_one_score_is_needed(world, course):
    event = course.event()
    first = items_of(event.instrument, "knowledge")[0]
    blank = dict.fromkeys(survey_scores(event.instrument))

    with pytest.raises(TrainingError) as excinfo:
        services.enter_paper(event, by=world.trainer, phase="pre", trainee=Trainee(), scores=blank)
    assert list(refusal(excinfo)) == [NON_FIELD_ERRORS]
    assert "at least one score" in refusal(excinfo)[NON_FIELD_ERRORS][0]
    assert SurveyResponse.objects.count() == 0

    response = services.enter_paper(
        event, by=world.trainer, phase="pre", trainee=Trainee(), scores={**blank, first.pk: 4}
    )
    assert list(response.answers.values_list("item", "score")) == [(first.pk, 4)]


def test_a_score_for_an_item_of_another_survey_is_refused(world, course):
    event = course.event()
    revision = services.revise(default_instrument(), by=world.trainer)
    foreign = items_of(revision, "knowledge")[0]

    with pytest.raises(TrainingError) as excinfo:
        services.enter_paper(event, by=world.trainer, phase="pre", trainee=Trainee(), scores={foreign.pk: 3})

    assert list(refusal(excinfo)) == [NON_FIELD_ERRORS]
    assert SurveyResponse.objects.count() == 0


@pytest.mark.parametrize("name", ["field_of_work", "position", "experience"])
def test_a_trainee_detail_not_on_its_list_is_refused(world, course, name):
    event = course.event()

    with pytest.raises(TrainingError) as excinfo:
        services.enter_paper(
            event, by=world.trainer, phase="pre", trainee=Trainee(**{name: "astronaut"}),
            scores=survey_scores(event.instrument),
        )  # fmt: skip

    assert list(refusal(excinfo)) == [name]
    assert SurveyResponse.objects.count() == 0


def test_a_paper_survey_is_stored_with_who_typed_it_and_the_trainee_in_bands(world, course):
    event = course.event()
    trainee = Trainee(field_of_work="education", position="teacher", experience="3-5")

    response = services.enter_paper(
        event, by=world.trainer, phase="post", trainee=trainee, scores=survey_scores(event.instrument, every=1)
    )

    response.refresh_from_db()
    assert (response.source, response.phase, response.entered_by) == ("paper", "post", world.trainer)
    assert (response.field_of_work, response.position, response.experience) == ("education", "teacher", "3-5")
    assert response.instrument == event.instrument
    assert response.answers.count() == 22


def test_a_survey_set_aside_is_kept(world, course):
    event = course.event()
    response = enter_survey(event, world.trainer)

    services.set_aside(response, by=world.trainer)
    services.set_aside(response, by=world.trainer)  # twice: no second history row

    response.refresh_from_db()
    assert response.set_aside is True
    assert response.answers.count() == 22
    assert reasons(response.history) == [(world.trainer.pk, "response.paper"), (world.trainer.pk, "response.set_aside")]


# History ---------------------------------------------------------------------------------------


def test_curricula_and_trainers_leave_history_and_an_unchanged_save_none(world):
    curriculum = make_curriculum(world.trainer)
    values = {f: getattr(curriculum, f) for f in services.CURRICULUM_FIELDS}
    services.save_curriculum(curriculum, by=world.trainer, details=values)
    services.save_curriculum(curriculum, by=world.trainer, details={**values, "hours": 4})
    trainer = make_trainer(world.trainer, full_name="Tess")
    services.save_trainer(trainer, by=world.trainer, details={"full_name": "Tess Teacher"})

    assert reasons(curriculum.history) == [
        (world.trainer.pk, "curriculum.added"),
        (world.trainer.pk, "curriculum.changed"),
    ]
    assert reasons(trainer.history) == [(world.trainer.pk, "trainer.added"), (world.trainer.pk, "trainer.changed")]
    assert Curriculum.objects.get().hours == 4
    assert Trainer.objects.get().full_name == "Tess Teacher"


def test_a_second_curriculum_version_with_a_taken_name_is_refused(world):
    make_curriculum(world.trainer, version="2024")

    with pytest.raises(TrainingError) as excinfo:
        make_curriculum(world.trainer, version="2024")

    assert list(refusal(excinfo)) == ["version"]
    assert Curriculum.objects.count() == 1


@pytest.mark.parametrize(("field", "value"), [("hours", "0"), ("hours", "200.5"), ("sessions", 0), ("sessions", 101)])
def test_a_curriculum_length_or_number_of_sessions_past_any_course_is_refused_on_its_field(world, field, value):
    with pytest.raises(TrainingError) as excinfo:
        make_curriculum(world.trainer, **{field: value})

    assert list(refusal(excinfo)) == [field]
    assert Curriculum.objects.count() == 0


def test_a_blank_curriculum_name_or_an_audience_off_the_list_is_refused_for_any_caller(world):
    with pytest.raises(TrainingError) as excinfo:
        make_curriculum(world.trainer, name="  ", audience="everyone")

    assert sorted(refusal(excinfo)) == ["audience", "name"]
    assert Curriculum.objects.count() == 0


def test_a_curriculum_and_a_trainer_are_named_without_the_spaces_around_the_name(world):
    curriculum = make_curriculum(world.trainer, name=" Labor trafficking ", version=" 2 ")
    trainer = make_trainer(world.trainer, full_name=" Tess Teacher ")

    assert (curriculum.name, curriculum.version, trainer.full_name) == ("Labor trafficking", "2", "Tess Teacher")


def test_a_trainer_named_only_with_spaces_is_refused(world):
    trainer = make_trainer(world.trainer, full_name="Tess")

    with pytest.raises(TrainingError) as excinfo:
        services.save_trainer(trainer, by=world.trainer, details={"full_name": " \t "})

    assert list(refusal(excinfo)) == ["full_name"]
    assert Trainer.objects.get().full_name == "Tess"


def test_a_certification_of_a_kind_off_the_list_is_refused(world, course):
    with pytest.raises(TrainingError) as excinfo:
        services.certify(
            course.trainer, by=world.trainer, curriculum=course.curriculum, kind="guru", certified_on=DAY,
            teach_back="video",
        )  # fmt: skip

    assert sorted(refusal(excinfo)) == ["kind", "teach_back"]
    assert Certification.objects.filter(trainer=course.trainer).count() == 1


def test_an_event_for_an_audience_off_the_list_or_with_a_negative_count_is_refused(world, course):
    with pytest.raises(TrainingError) as excinfo:
        services.save_event(None, by=world.trainer, details=new_event(course, audience="everyone", attendee_count=-1))

    assert sorted(refusal(excinfo)) == ["attendee_count", "audience"]
    assert_no_event_written()


def test_positions_longer_than_their_column_are_refused_on_the_positions(world, course):
    with pytest.raises(TrainingError) as excinfo:
        services.save_event(None, by=world.trainer, details=new_event(course, positions="teachers, " * 31))

    assert list(refusal(excinfo)) == ["positions"]
    assert_no_event_written()


def test_an_attendee_without_a_name_or_with_a_field_of_work_off_the_list_is_refused(world, course):
    event = services.save_event(None, by=world.trainer, details=new_event(course))

    with pytest.raises(TrainingError) as excinfo:
        services.add_attendee(event, by=world.trainer, details=attendee(" ", field_of_work="astronaut"))

    assert sorted(refusal(excinfo)) == ["field_of_work", "full_name"]
    assert Attendee.objects.count() == 0


def test_an_answer_through_the_link_to_a_survey_neither_before_nor_after_is_refused(world, course):
    event = course.event()

    with pytest.raises(TrainingError) as excinfo:
        services.answer_by_link(
            event, phase="during", trainee=Trainee(), scores=survey_scores(event.instrument),
            device="phone-0001-abcdefghijkl", network="203.0.113.9",
        )  # fmt: skip

    assert excinfo.value.code == "closed"
    assert SurveyResponse.objects.count() == 0


def test_a_certification_leaves_history_with_who_recorded_it(world, course):
    certification = Certification.objects.get(trainer=course.trainer)

    assert certification.recorded_by == world.trainer
    assert reasons(certification.history) == [(world.trainer.pk, "certification.recorded")]


# Run again at awkward instants (tests/clock.py): a certification is never in the future.
@pytest.mark.clock
def test_a_certification_not_yet_given_is_refused(world, course):
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(TrainingError) as excinfo:
        services.certify(
            course.trainer, by=world.trainer, curriculum=course.curriculum, kind="trainer", certified_on=tomorrow
        )

    assert list(refusal(excinfo)) == ["certified_on"]
    assert Certification.objects.count() == 1


def test_a_certification_that_expires_when_it_is_given_is_refused(world, course):
    with pytest.raises(TrainingError) as excinfo:
        services.certify(
            course.trainer, by=world.trainer, curriculum=course.curriculum, kind="trainer",
            certified_on=date(2024, 1, 1), expires_on=date(2024, 1, 1),
        )  # fmt: skip

    assert list(refusal(excinfo)) == ["expires_on"]
    assert Certification.objects.count() == 1


def test_every_event_write_leaves_a_history_row_with_its_author(world, course):
    event = services.save_event(None, by=world.trainer, details=new_event(course))
    recorded = reasons(event.history)
    other = make_trainer(world.trainer, full_name="Otis", curricula=[course.curriculum], certified_on=date(2020, 1, 1))
    event = services.save_event(event, by=world.trainer, details=details_of(event, notes="Good questions"))
    event = services.save_event(event, by=world.trainer, details=details_of(event, trainers=[course.trainer, other]))
    token = event.survey_token
    services.new_link(event, by=world.trainer)

    assert recorded[0] == (world.trainer.pk, "event.recorded")
    assert set(recorded[1:]) <= {(world.trainer.pk, "event.trainers_changed")}
    assert reasons(event.history)[len(recorded) :] == [
        (world.trainer.pk, "event.changed"),
        (world.trainer.pk, "event.trainers_changed"),
        (world.trainer.pk, "event.link_replaced"),
    ]
    event.refresh_from_db()
    assert event.survey_token != token
    latest = event.history.latest("history_id")
    assert set(latest.trainers.values_list("trainer", flat=True)) == {course.trainer.pk, other.pk}


def test_an_unchanged_event_writes_no_history(world, course):
    event = course.event()
    rows = event.history.count()

    services.save_event(event, by=world.trainer, details=details_of(event))

    assert event.history.count() == rows


def test_listing_and_removing_an_attendee_leave_history(world, course):
    event = course.event()

    listed = services.add_attendee(event, by=world.trainer, details=attendee())
    pk = listed.pk
    services.remove_attendee(listed, by=world.trainer)

    assert Attendee.objects.count() == 0
    assert reasons(Attendee.history.filter(id=pk)) == [
        (world.trainer.pk, "attendee.listed"),
        (world.trainer.pk, "attendee.removed"),
    ]


def test_an_answer_from_the_link_has_history_with_no_author(world, course):
    event = course.event()

    response = services.answer_by_link(
        event, phase="post", trainee=Trainee(), scores=survey_scores(event.instrument), device="d" * 20, network="::1"
    )

    assert reasons(response.history) == [(None, "response.link")]
    assert (response.source, response.entered_by) == ("link", None)


def test_survey_versions_leave_history(world, course):
    first = default_instrument()
    revision = services.revise(first, by=world.trainer)
    item = items_of(revision, "knowledge")[0]
    services.reword(revision, by=world.trainer, constructs={}, items={item.pk: "Reworded"})
    services.make_default(revision, by=world.trainer)

    assert reasons(revision.history) == [
        (world.trainer.pk, "instrument.revised|[1]"),
        (world.trainer.pk, "instrument.default"),
    ]
    assert reasons(item.history) == [
        (world.trainer.pk, "instrument.copied"),
        (world.trainer.pk, "instrument.reworded"),
    ]
    assert set(reasons(revision.constructs.first().history)) == {(world.trainer.pk, "instrument.copied")}
    assert reasons(first.history)[-1] == (world.trainer.pk, "instrument.not_default")


# Who may write ---------------------------------------------------------------------------------


def _writes(world, course) -> dict:
    """Every write of training, each as a function of the person attempting it."""
    event = course.event()
    response = enter_survey(event, world.trainer)
    listed = services.add_attendee(event, by=world.trainer, details=attendee())
    instrument = SurveyInstrument.objects.get()
    unused = services.revise(instrument, by=world.trainer)
    return {
        "save_curriculum": lambda by: make_curriculum(by, name="Another"),
        "change_curriculum": lambda by: services.save_curriculum(
            course.curriculum, by=by, details={"name": "Renamed", "version": "2024"}
        ),
        "save_trainer": lambda by: make_trainer(by, full_name="Another"),
        "certify": lambda by: services.certify(
            course.trainer, by=by, curriculum=course.curriculum, kind="trainer", certified_on=date(2024, 1, 1)
        ),
        "add_event": lambda by: services.save_event(None, by=by, details=new_event(course)),
        "change_event": lambda by: services.save_event(event, by=by, details=details_of(event, notes="x")),
        "new_link": lambda by: services.new_link(event, by=by),
        "add_attendee": lambda by: services.add_attendee(event, by=by, details=attendee("Other")),
        "remove_attendee": lambda by: services.remove_attendee(listed, by=by),
        "enter_paper": lambda by: enter_survey(event, by),
        "set_aside": lambda by: services.set_aside(response, by=by),
        "revise": lambda by: services.revise(instrument, by=by),
        "reword": lambda by: services.reword(unused, by=by, constructs={}, items={}),
        "make_default": lambda by: services.make_default(instrument, by=by),
    }


def _counts() -> dict:
    return {
        model.__name__: (model.objects.count(), model.history.count())
        for model in (Curriculum, Trainer, Certification, TrainingEvent, Attendee, SurveyResponse, SurveyInstrument)
    }


def _went_through(write, by) -> bool:
    """Whether ``by`` may make ``write``; what it wrote is rolled back either way."""
    try:
        with transaction.atomic():
            write(by)
            transaction.set_rollback(True)
    except PermissionDenied:
        return False
    return True


@pytest.mark.parametrize("persona", ["specialist", "outreach", "supervisor", "director", "volunteer", "finance"])
def test_only_a_trainer_may_write_training_records(world, course, persona):
    writes = _writes(world, course)
    before = _counts()

    allowed = [name for name, write in writes.items() if _went_through(write, getattr(world, persona))]

    assert allowed == []
    assert _counts() == before


def test_a_trainer_may_make_every_write(world, course):
    writes = _writes(world, course)

    refused = [name for name, write in writes.items() if not _went_through(write, world.trainer)]

    assert refused == []
    assert len(writes) == 14


def test_an_inactive_or_superuser_account_holds_no_training_permission(world, course):
    former = make_user(Role.TRAINER, is_active=False)
    root = make_user(is_superuser=True)

    for person in (former, root):
        with pytest.raises(PermissionDenied):
            make_curriculum(person, name="Not allowed")
    assert Curriculum.objects.count() == 1
