"""Training's pages: the event form and its refusals, typing in paper surveys, the results with their
tables and charts, survey versions, and who may open each page (403 for a page in sight that the
reader may not use, 404 for a record out of sight)."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from tests.factories import default_instrument, enter_survey, make_trainer, survey_scores
from tests.training.support import AFTER, BEFORE, at, attendee, enter, items_of
from training import services
from training.models import Attendee, Curriculum, SurveyInstrument, SurveyResponse, Trainer, TrainingEvent
from training.services import Trainee

DAY = date(2025, 5, 6)
OUTSIDERS = ["specialist", "outreach", "volunteer", "finance"]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def field_error(page: str, name: str) -> str | None:
    """The message shown beside field ``name``, if any."""
    found = re.search(rf'<div class="field__error" id="id_{name}_error">(.*?)</div>', page, re.S)
    return found.group(1) if found else None


def event_form(course, **overrides) -> dict:
    values = {
        "curriculum": course.curriculum.pk, "day": DAY.isoformat(), "starts": "09:00", "ends": "12:00",
        "trainers": [course.trainer.pk], "audience": "school staff", "instrument": default_instrument().pk,
        "positions": "Teachers, school nurses", "notes": "Held in the library", "attendee_count": "25",
        "fields_of_work": ["education"],
    }  # fmt: skip
    return {**values, **overrides}


# The event form --------------------------------------------------------------------------------


@pytest.mark.parametrize("day", [date(2026, 3, 8), date(2026, 11, 1)], ids=["clocks go forward", "clocks go back"])
def test_an_event_at_an_hour_the_clocks_skip_or_repeat_is_recorded(client, world, course, day):
    client.force_login(world.trainer)

    response = client.post(
        reverse("training:event_new"), event_form(course, day=day.isoformat(), starts="01:30", ends="02:30")
    )

    event = TrainingEvent.objects.get()
    assert response.status_code == 302
    assert event.starts_at < event.ends_at


def test_a_trainer_records_an_event(client, world, course):
    client.force_login(world.trainer)

    response = client.post(reverse("training:event_new"), event_form(course))

    event = TrainingEvent.objects.get()
    assert response.status_code == 302
    assert response.url == f"{reverse('training:event', args=[event.pk])}?saved=training-event-new"
    assert (event.starts_at, event.ends_at, event.attendee_count) == (at(DAY, 9), at(DAY, 12), 25)
    assert (event.audience, event.fields_of_work) == ("school staff", ["education"])
    assert event.positions == "Teachers, school nurses"


def test_an_uncertified_trainer_is_refused_beside_the_trainers_keeping_what_was_typed(client, world, course):
    newcomer = make_trainer(world.trainer, full_name="Nia Newcomer")
    client.force_login(world.trainer)

    response = client.post(reverse("training:event_new"), event_form(course, trainers=[newcomer.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nia Newcomer is not certified to teach this curriculum on that day" in field_error(page, "trainers")
    form = response.context["form"]
    assert list(form.errors) == ["trainers"]
    assert (form["notes"].value(), form["positions"].value()) == ("Held in the library", "Teachers, school nurses")
    assert 'value="Teachers, school nurses"' in page
    assert "Held in the library</textarea>" in page
    assert 'value="2025-05-06"' in page
    assert TrainingEvent.objects.count() == 0


def test_a_survey_that_closes_before_the_event_is_refused_beside_its_day(client, world, course):
    client.force_login(world.trainer)

    response = client.post(reverse("training:event_new"), event_form(course, survey_closes_on="2025-05-05"))

    assert response.status_code == 200
    assert "closes when the event ends or later" in field_error(response.content.decode(), "survey_closes_on")
    assert TrainingEvent.objects.count() == 0


def test_an_event_that_ends_before_it_starts_is_refused_beside_its_end(client, world, course):
    client.force_login(world.trainer)

    response = client.post(reverse("training:event_new"), event_form(course, starts="14:00", ends="13:00"))

    assert "ends after it starts" in field_error(response.content.decode(), "ends")
    assert TrainingEvent.objects.count() == 0


def test_a_trainer_changes_an_event(client, world, course):
    event = course.event(starts_at=at(DAY, 9))
    client.force_login(world.trainer)

    form = client.get(reverse("training:event_edit", args=[event.pk]))
    response = client.post(reverse("training:event_edit", args=[event.pk]), event_form(course, notes="Moved rooms"))

    assert form.status_code == 200
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.notes == "Moved rooms"


def shown_value(page: str, name: str) -> str:
    """The value the page's input ``name`` holds ("" when it is empty)."""
    field = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    found = re.search(r'value="([^"]*)"', field)
    return found.group(1) if found else ""


def save_as_shown(client, event, course, **changes) -> None:
    """Open the event's form and save it with the survey's closing day as shown (and ``changes``)."""
    url = reverse("training:event_edit", args=[event.pk])
    shown = shown_value(client.get(url).content.decode(), "survey_closes_on")
    response = client.post(url, event_form(course, survey_closes_on=shown, **changes))
    assert response.status_code == 302, response.context["form"].errors


@pytest.mark.parametrize("closes_on", ["", (DAY + timedelta(days=5)).isoformat()])
def test_saving_an_event_as_shown_leaves_its_survey_closing_when_it_did(client, world, course, closes_on):
    client.force_login(world.trainer)
    client.post(reverse("training:event_new"), event_form(course, survey_closes_on=closes_on))
    event = TrainingEvent.objects.get()
    closes, versions = event.survey_closes_at, event.history.count()

    for _ in range(3):
        save_as_shown(client, event, course)

    event.refresh_from_db()
    assert event.survey_closes_at == closes
    assert event.history.count() == versions
    expected = at(DAY, 12) + timedelta(days=3) if not closes_on else at(DAY + timedelta(days=6), 0)
    assert closes == expected


def test_a_default_survey_window_over_a_clock_change_is_shown_as_the_default(client, world, course):
    day = date(2026, 10, 30)  # the clocks go back two days later
    client.force_login(world.trainer)
    client.post(reverse("training:event_new"), event_form(course, day=day.isoformat()))
    event = TrainingEvent.objects.get()

    page = client.get(reverse("training:event_edit", args=[event.pk])).content.decode()

    assert shown_value(page, "survey_closes_on") == ""  # not a day nobody chose
    assert timezone.localtime(event.survey_closes_at) == at(day + timedelta(days=3), 12)


def test_the_form_shows_the_last_day_a_chosen_survey_window_is_open(client, world, course):
    client.force_login(world.trainer)
    client.post(reverse("training:event_new"), event_form(course, survey_closes_on="2025-05-09"))
    event = TrainingEvent.objects.get()

    page = client.get(reverse("training:event_edit", args=[event.pk])).content.decode()

    assert shown_value(page, "survey_closes_on") == "2025-05-09"
    assert event.survey_closes_at == at(date(2025, 5, 10), 0)


def test_a_survey_on_the_default_window_follows_a_new_end_of_the_event(client, world, course):
    client.force_login(world.trainer)
    client.post(reverse("training:event_new"), event_form(course))
    event = TrainingEvent.objects.get()

    save_as_shown(client, event, course, ends="15:30")

    event.refresh_from_db()
    assert event.survey_closes_at == at(DAY, 15, 30) + timedelta(days=3)


def test_the_event_page_shows_its_link_and_sign_in_list_to_a_trainer(client, world, course):
    event = course.event()
    services.add_attendee(event, by=world.trainer, details=attendee("Ada Attendee"))
    client.force_login(world.trainer)

    page = client.get(reverse("training:event", args=[event.pk])).content.decode()

    assert f"/s/{event.survey_token}/" in page
    assert "Ada Attendee" in page
    assert reverse("training:paper_entry", args=[event.pk]) in page


def test_the_survey_sheet_shows_the_link_as_a_qr_code(client, world, course):
    event = course.event()
    client.force_login(world.trainer)

    page = client.get(reverse("training:survey_sheet", args=[event.pk])).content.decode()

    assert '<svg class="qr"' in page or 'class="qr"' in page
    assert f"/s/{event.survey_token}/" in page


def test_an_event_with_no_survey_has_no_survey_sheet(client, world, course):
    event = course.event(instrument=None)
    client.force_login(world.trainer)

    assert client.get(reverse("training:survey_sheet", args=[event.pk])).status_code == 404


def test_replacing_the_link_from_the_event_page(client, world, course):
    event = course.event()
    old = event.survey_token
    client.force_login(world.trainer)

    response = client.post(reverse("training:new_link", args=[event.pk]))

    event.refresh_from_db()
    assert response.status_code == 302
    assert event.survey_token != old
    assert client.get(f"/s/{old}/").status_code == 404


def test_the_sign_in_list_is_kept_from_the_event_page(client, world, course):
    event = course.event(attendee_count=1)
    client.force_login(world.trainer)

    added = client.post(reverse("training:attendee_add", args=[event.pk]), attendee("Ada Attendee"))
    refused = client.post(reverse("training:attendee_add", args=[event.pk]), attendee("Bo Beyond"))

    assert added.status_code == 302
    assert refused.status_code == 422
    assert "all are listed" in field_error(refused.content.decode(), "full_name")
    listed = Attendee.objects.get()
    removed = client.post(reverse("training:attendee_remove", args=[event.pk, listed.pk]))
    assert removed.status_code == 302
    assert Attendee.objects.count() == 0


def test_an_attendee_of_another_event_cannot_be_removed_through_this_one(client, world, course):
    event, other = course.event(), course.event()
    theirs = services.add_attendee(other, by=world.trainer, details=attendee())
    client.force_login(world.trainer)

    response = client.post(reverse("training:attendee_remove", args=[event.pk, theirs.pk]))

    assert response.status_code == 404
    assert Attendee.objects.count() == 1


# Paper surveys ---------------------------------------------------------------------------------


def paper(event, score="3", **overrides) -> dict:
    codes = ("knowledge", "beliefs", "comfort")
    scores = {f"item_{item.pk}": score for code in codes for item in items_of(event.instrument, code)}
    return {"phase": "pre", "field_of_work": "", "position": "", "experience": "", **scores, **overrides}


def test_a_saved_paper_survey_opens_an_empty_one_for_the_next(client, world, course):
    event = course.event()
    client.force_login(world.trainer)

    url = reverse("training:paper_entry", args=[event.pk])

    response = client.post(url, paper(event, "4", phase="post"), follow=True)

    assert response.redirect_chain == [(f"{url}?phase=post", 302)]
    assert messages_of(response) == ["Saved. 1 paper survey after the training is entered for this event."]
    form = response.context["form"]
    assert not form.is_bound
    assert form["phase"].value() == "post"
    first = items_of(event.instrument, "knowledge")[0]
    assert (
        re.search(rf'<input[^>]*name="item_{first.pk}"[^>]*>', response.content.decode()).group(0).count("value") == 0
    )
    saved = SurveyResponse.objects.get()
    assert (saved.phase, saved.source, saved.entered_by) == ("post", "paper", world.trainer)
    assert set(saved.answers.values_list("score", flat=True)) == {4}


def test_a_score_outside_the_scale_is_shown_beside_it_keeping_what_was_typed(client, world, course):
    event = course.event()
    first, second = items_of(event.instrument, "knowledge")[:2]
    client.force_login(world.trainer)

    typed = paper(event, "4", **{f"item_{first.pk}": "6", "experience": "3-5"})

    response = client.post(reverse("training:paper_entry", args=[event.pk]), typed)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose a score from 1 to 5." in field_error(page, f"item_{first.pk}")
    assert field_error(page, f"item_{second.pk}") is None
    assert re.search(rf'name="item_{first.pk}"[^>]*value="6"', page)
    assert re.search(rf'name="item_{second.pk}"[^>]*value="4"', page)
    assert '<option value="3-5" selected>' in page
    assert SurveyResponse.objects.count() == 0


# Run again at awkward instants (tests/clock.py): the survey after a training waits for it to start.
@pytest.mark.clock
def test_a_survey_after_a_training_not_yet_given_is_refused_beside_the_choice(client, world, course):
    event = course.event(starts_at=timezone.now() + timedelta(days=2))
    client.force_login(world.trainer)

    response = client.post(reverse("training:paper_entry", args=[event.pk]), paper(event, phase="post"))

    assert "has not started yet" in field_error(response.content.decode(), "phase")
    assert SurveyResponse.objects.count() == 0


def test_the_paper_entry_of_an_event_with_no_survey_goes_back_to_the_event(client, world, course):
    event = course.event(instrument=None)
    client.force_login(world.trainer)

    response = client.get(reverse("training:paper_entry", args=[event.pk]))

    assert response.status_code == 302
    assert response.url == reverse("training:event", args=[event.pk])
    assert messages_of(response) == ["This event has no survey. Choose one on the event first."]


def test_a_survey_typed_wrongly_is_set_aside_from_the_list(client, world, course):
    event = course.event()
    response = enter_survey(event, world.trainer)
    client.force_login(world.trainer)

    listed = client.get(reverse("training:responses", args=[event.pk]))
    done = client.post(reverse("training:set_aside", args=[event.pk, response.pk]))

    assert listed.status_code == 200
    assert done.status_code == 302
    response.refresh_from_db()
    assert response.set_aside is True


def test_a_test_answer_sent_through_the_link_can_be_set_aside(client, world, course):
    event = course.event()
    tried = services.answer_by_link(
        event, phase="post", trainee=Trainee(), scores=survey_scores(event.instrument), device="d" * 20, network="::1"
    )
    client.force_login(world.trainer)

    listed = client.get(reverse("training:responses", args=[event.pk])).content.decode()
    done = client.post(reverse("training:set_aside", args=[event.pk, tried.pk]))

    assert reverse("training:set_aside", args=[event.pk, tried.pk]) in listed
    assert done.status_code == 302
    tried.refresh_from_db()
    assert tried.set_aside is True
    assert tried.history.latest().history_user == world.trainer


def test_a_survey_of_another_event_cannot_be_set_aside_through_this_one(client, world, course):
    event, other = course.event(), course.event()
    theirs = enter_survey(other, world.trainer)
    client.force_login(world.trainer)

    assert client.post(reverse("training:set_aside", args=[event.pk, theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.set_aside is False


# Results ---------------------------------------------------------------------------------------


@pytest.fixture
def surveyed(world, course) -> TrainingEvent:
    event = course.event(starts_at=at(DAY, 9), attendee_count=30)
    enter(event, world.trainer, "pre", BEFORE)
    enter(event, world.trainer, "post", AFTER)
    return event


def test_the_results_over_a_period_have_tables_and_charts(client, world, surveyed):
    client.force_login(world.trainer)

    response = client.get(reverse("training:results"), {"start": "2025-01-01", "end": "2025-12-31", "by": "quarter"})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<svg class="chart chart--bars"') == 4  # the totals and one per construct
    assert 'class="table table--stack results-summary"' in page
    assert 'class="table table--stack activity-audience"' in page
    assert "1 training session with 30 attendees." in page
    assert re.findall(r"</svg> ([^<]+)</li>", page)[:2] == ["Sessions", "Attendees"]  # the legend
    assert "<caption>Training sessions and attendees by audience</caption>" in page  # the chart's numbers
    assert "4 surveys before and 5 after the training, from 1 event." in page
    assert "Q2 2025" in page
    assert "Items that went the wrong way after the training" in page
    assert reverse("reports:request", args=["training_evaluation", 0]) in page
    assert '<input type="hidden" name="start" value="2025-01-01">' in page


def test_results_over_a_period_with_no_event_say_so(client, world, surveyed):
    client.force_login(world.trainer)

    response = client.get(reverse("training:results"), {"start": "2024-01-01", "end": "2024-12-31"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "No survey was answered for these events yet." in page
    assert reverse("reports:request", args=["training_evaluation", 0]) not in page


def test_a_period_that_ends_before_it_starts_is_refused_beside_its_end(client, world):
    client.force_login(world.trainer)

    response = client.get(reverse("training:results"), {"start": "2025-06-30", "end": "2025-01-01"})

    assert response.status_code == 422
    assert "The period ends before it starts." in field_error(response.content.decode(), "end")


# Run again at awkward instants (tests/clock.py): the results open on this year.
@pytest.mark.clock
def test_the_results_page_opens_on_this_year(client, world):
    client.force_login(world.director)

    response = client.get(reverse("training:results"))

    assert response.status_code == 200
    assert response.context["form"].cleaned_data["start"] == timezone.localdate().replace(month=1, day=1)


def test_an_events_results_page_has_its_tables_and_charts(client, world, surveyed):
    client.force_login(world.supervisor)

    response = client.get(reverse("training:event_results", args=[surveyed.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<svg class="chart chart--bars"') == 3
    assert "Welch" in page


# Survey versions -------------------------------------------------------------------------------


def test_a_version_in_use_sends_the_wording_page_back_with_a_message(client, world, course):
    course.event()
    survey = default_instrument()
    client.force_login(world.trainer)

    response = client.get(reverse("training:instrument_edit", args=[survey.pk]))

    assert response.status_code == 302
    assert response.url == reverse("training:instrument", args=[survey.pk])
    assert "cannot change" in messages_of(response)[0]


def test_a_new_version_is_made_reworded_and_made_the_default_from_the_pages(client, world):
    client.force_login(world.trainer)

    made = client.post(reverse("training:instrument_revise", args=[default_instrument().pk]))

    revision = SurveyInstrument.objects.get(version=2)
    assert made.url == reverse("training:instrument_edit", args=[revision.pk])
    form = client.get(made.url).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    construct = revision.constructs.get(code="comfort")
    reworded = client.post(made.url, {**data, f"title_{construct.pk}": "Confidence"})
    assert reworded.status_code == 302
    construct.refresh_from_db()
    assert construct.title == "Confidence"
    client.post(reverse("training:instrument_default", args=[revision.pk]))
    assert list(SurveyInstrument.objects.filter(is_default=True)) == [revision]
    assert client.get(reverse("training:event_new")).context["form"].initial["instrument"] == revision


def test_a_blank_item_on_the_wording_page_is_refused_beside_it(client, world):
    revision = services.revise(default_instrument(), by=world.trainer)
    item = items_of(revision, "knowledge")[0]
    client.force_login(world.trainer)
    form = client.get(reverse("training:instrument_edit", args=[revision.pk])).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}

    response = client.post(reverse("training:instrument_edit", args=[revision.pk]), {**data, f"item_{item.pk}": ""})

    assert response.status_code == 200
    assert field_error(response.content.decode(), f"item_{item.pk}") is not None
    item.refresh_from_db()
    assert item.text != ""


# Curricula and trainers ------------------------------------------------------------------------


def test_a_trainer_adds_a_curriculum_and_a_trainer_and_certifies_them(client, world):
    client.force_login(world.trainer)

    course = {"name": "Youth Prevention", "version": "3.1", "audience": "youth", "hours": "1.5", "sessions": "5"}
    client.post(reverse("training:curriculum_new"), {**course, "active": "on"})
    client.post(reverse("training:trainer_new"), {"full_name": "Tess Teacher", "email": "", "active": "on"})
    trainer = Trainer.objects.get(full_name="Tess Teacher")
    curriculum = Curriculum.objects.get(name="Youth Prevention")
    certification = {"curriculum": curriculum.pk, "kind": "facilitator", "certified_on": "2025-01-10"}
    certified = client.post(reverse("training:certify", args=[trainer.pk]), certification)

    assert certified.status_code == 302
    assert trainer.certifications.get().curriculum == curriculum
    assert client.get(reverse("training:trainer", args=[trainer.pk])).status_code == 200
    assert "Youth Prevention" in client.get(reverse("training:curricula")).content.decode()
    assert "Tess Teacher" in client.get(reverse("training:trainers")).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"hours": "250"}, "hours", "from half an hour to 200 hours"),
        ({"sessions": "101"}, "sessions", "from 1 to 100 sessions"),
        ({"version": "2024"}, "version", "already has a version with that name"),
    ],
    ids=["hours", "sessions", "taken"],
)
def test_a_curriculum_the_service_refuses_is_shown_beside_its_field_keeping_what_was_typed(
    client, world, course, overrides, field, words
):
    client.force_login(world.trainer)
    values = {"name": course.curriculum.name, "version": "3", "audience": "youth", "hours": "2", "sessions": "1"}

    response = client.post(reverse("training:curriculum_new"), {**values, **overrides})

    page = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert words in field_error(page, field)
    assert response.context["form"]["hours"].value() == {**values, **overrides}["hours"]
    assert Curriculum.objects.count() == 1


def test_a_certification_that_expires_before_it_is_given_is_refused_beside_its_expiry(client, world, course):
    client.force_login(world.trainer)

    response = client.post(
        reverse("training:certify", args=[course.trainer.pk]),
        {
            "curriculum": course.curriculum.pk,
            "kind": "trainer",
            "certified_on": "2025-01-10",
            "expires_on": "2024-12-31",
        },
    )

    assert response.status_code == 422
    assert "expires after it was given" in field_error(response.content.decode(), "expires_on")
    assert course.trainer.certifications.count() == 1


# Who may open what -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["trainer", "supervisor", "director"])
def test_those_who_follow_the_work_see_the_events_and_results(client, world, surveyed, persona):
    client.force_login(getattr(world, persona))

    pages = [
        reverse("training:home"), reverse("training:event", args=[surveyed.pk]), reverse("training:results"),
        reverse("training:event_results", args=[surveyed.pk]), reverse("training:curricula"),
        reverse("training:trainers"), reverse("training:instruments"),
        reverse("training:instrument", args=[default_instrument().pk]),
    ]  # fmt: skip

    assert [client.get(url).status_code for url in pages] == [200] * len(pages)


@pytest.mark.parametrize("persona", ["supervisor", "director"])
def test_a_supervisor_or_director_may_not_change_anything(client, world, surveyed, persona):
    client.force_login(getattr(world, persona))
    responses = surveyed.responses.first()

    gets = [
        reverse("training:event_new"), reverse("training:event_edit", args=[surveyed.pk]),
        reverse("training:paper_entry", args=[surveyed.pk]), reverse("training:responses", args=[surveyed.pk]),
        reverse("training:curriculum_new"), reverse("training:trainer_new"),
        reverse("training:instrument_edit", args=[default_instrument().pk]),
    ]  # fmt: skip
    posts = [
        reverse("training:new_link", args=[surveyed.pk]), reverse("training:attendee_add", args=[surveyed.pk]),
        reverse("training:instrument_revise", args=[default_instrument().pk]),
        reverse("training:instrument_default", args=[default_instrument().pk]),
        reverse("training:certify", args=[surveyed.trainers.get().pk]),
    ]  # fmt: skip

    assert [client.get(url).status_code for url in gets] == [403] * len(gets)
    assert [client.post(url).status_code for url in posts] == [403] * len(posts)
    # A response is not theirs to see, so setting it aside is not found.
    assert client.post(reverse("training:set_aside", args=[surveyed.pk, responses.pk])).status_code == 404
    assert SurveyInstrument.objects.count() == 1
    assert SurveyResponse.objects.filter(set_aside=True).count() == 0


def test_the_supervisor_sees_the_results_but_not_the_new_event_form(client, world, surveyed):
    client.force_login(world.supervisor)

    assert client.get(reverse("training:results")).status_code == 200
    assert client.get(reverse("training:event_new")).status_code == 403
    assert client.post(reverse("training:event_new"), {}).status_code == 403


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_someone_outside_training_is_forbidden_its_pages_and_finds_no_event(client, world, surveyed, persona):
    client.force_login(getattr(world, persona))

    assert client.get(reverse("training:home")).status_code == 403
    assert client.get(reverse("training:results")).status_code == 403
    assert client.get(reverse("training:curricula")).status_code == 403
    assert client.get(reverse("training:event", args=[surveyed.pk])).status_code == 404
    assert client.get(reverse("training:event_results", args=[surveyed.pk])).status_code == 404
    assert client.get(reverse("training:paper_entry", args=[surveyed.pk])).status_code == 404
    assert client.post(reverse("training:new_link", args=[surveyed.pk])).status_code == 404
    assert client.get(reverse("training:trainer", args=[surveyed.trainers.get().pk])).status_code == 404


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_a_missing_event_and_one_out_of_sight_are_the_same_404(client, world, surveyed, persona):
    client.force_login(getattr(world, persona))

    assert client.get(reverse("training:event", args=[surveyed.pk])).status_code == 404
    assert client.get(reverse("training:event", args=[surveyed.pk + 1000])).status_code == 404


def test_a_trainer_also_gets_404_for_a_missing_event(client, world):
    client.force_login(world.trainer)

    assert client.get(reverse("training:event", args=[999_999])).status_code == 404
    assert client.get(reverse("training:event_results", args=[999_999])).status_code == 404
