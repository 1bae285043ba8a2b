"""Training in every language: curricula and surveys written in Spanish beside the English, the survey
link answered in the language the attendee chooses, and both languages pooled in one evaluation."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import default_instrument, enter_survey, make_curriculum, speaks, survey_scores
from tests.training.support import items_of
from training import evaluation, instruments, services
from training.models import Construct, SurveyResponse, TrainingEvent
from training.public import DEVICE_COOKIE

DEVICE = "my-own-phone-0123456789"


def answers(event: TrainingEvent, score: int = 3) -> dict:
    return {f"item_{pk}": str(score) for pk in survey_scores(event.instrument)}


@pytest.fixture
def ended(course) -> TrainingEvent:
    """Ended an hour ago: its survey after the training is open."""
    return course.event()


# The default survey in Spanish ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_default_survey_has_its_spanish_beside_the_english():
    survey = default_instrument()

    knowledge = Construct.objects.get(instrument=survey, code="knowledge")
    assert knowledge.in_language("es")["title"] == "Conocimientos"
    assert len(knowledge.in_language("es")["anchors"]) == len(knowledge.anchors)
    for spec in instruments.DEFAULT_CONSTRUCTS:
        spanish = instruments.SPANISH[spec["code"]]
        assert len(spanish["items"]) == len(spec["items"]), spec["code"]
        assert len(spanish["anchors"]) == len(spec["anchors"]), spec["code"]
        assert [item.in_language("es")["text"] for item in items_of(survey, spec["code"])] == spanish["items"]
    with translation.override("es"):
        assert knowledge.anchor_for(3.2) == "Conocimiento adecuado"
    with translation.override("en"):
        assert knowledge.anchor_for(3.2) == "Knowledgeable"


# Curricula -----------------------------------------------------------------------------------


def test_a_curriculum_is_written_in_spanish_and_a_spanish_reader_sees_it(client, world, course):
    client.force_login(world.trainer)
    curriculum = course.curriculum

    page = client.get(f"/training/curricula/{curriculum.pk}/edit/")
    response = client.post(
        f"/training/curricula/{curriculum.pk}/edit/",
        {
            "name": curriculum.name,
            "name_es": "Introducción a la DMST",
            "version": curriculum.version,
            "audience": curriculum.audience,
            "hours": "3",
            "sessions": "1",
            "description": "",
            "description_es": "Para todo público.",
            "active": "on",
        },
    )

    assert 'name="name_es"' in page.text
    assert response.status_code == 302, response.context and response.context["form"].errors
    curriculum.refresh_from_db()
    assert curriculum.translations == {"es": {"name": "Introducción a la DMST", "description": "Para todo público."}}
    assert curriculum.history.latest().translations == curriculum.translations
    client.force_login(speaks(world.trainer, "es"))
    assert "Introducción a la DMST" in client.get("/training/curricula/").text


def test_a_curriculum_name_in_spanish_too_long_is_refused_beside_it(world):
    with pytest.raises(services.TrainingError) as refused:
        make_curriculum(world.trainer, translations={"es": {"name": "x" * 201}})

    assert list(refused.value.message_dict) == ["name_es"]


# The survey link -----------------------------------------------------------------------------


def test_the_attendee_chooses_spanish_and_the_whole_survey_follows(client, ended):
    landing = client.get(reverse("survey:link", args=[ended.survey_token]) + "?lang=es")
    page = client.get(reverse("survey:answer", args=[ended.survey_token, "post"]) + "?lang=es")

    assert landing["Content-Language"] == "es"
    assert '<html lang="es">' in landing.text
    assert f'href="{reverse("survey:answer", args=[ended.survey_token, "post"])}?lang=es"' in landing.text
    assert 'lang="en"' in landing.text
    assert ">English<" in landing.text
    assert "¿Cuál es su nivel de conocimiento sobre los siguientes temas?" in page.text
    assert "Las definiciones federales y estatales de la trata con fines de explotación sexual" in page.text
    assert "1 = Ningún conocimiento" in page.text
    assert "The federal and state definitions" not in page.text


def test_without_a_choice_the_browsers_language_is_used(client, ended):
    spanish = client.get(reverse("survey:link", args=[ended.survey_token]), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    english = client.get(reverse("survey:link", args=[ended.survey_token]), HTTP_ACCEPT_LANGUAGE="en-US")

    assert spanish["Content-Language"] == "es"
    assert english["Content-Language"] == "en"
    # Each language is offered by its own name, the one in use marked.
    assert 'lang="es" aria-current="true">Español<' in spanish.text
    landing = reverse("survey:link", args=[ended.survey_token])
    assert f'href="{landing}?lang=en" lang="en" hreflang="en">English<' in spanish.text


def test_a_survey_answered_in_spanish_records_it_and_keeps_the_choice(client, ended):
    client.cookies[DEVICE_COOKIE] = DEVICE
    url = reverse("survey:answer", args=[ended.survey_token, "post"]) + "?lang=es"

    response = client.post(url, answers(ended, 4))

    assert response["Location"] == reverse("survey:done", args=[ended.survey_token, "post", "thanks"]) + "?lang=es"
    saved = SurveyResponse.objects.get()
    assert (saved.language, saved.source, saved.answers.count()) == ("es", "link", 22)
    assert client.get(response["Location"])["Content-Language"] == "es"


def test_an_answer_in_english_records_english(client, ended):
    client.cookies[DEVICE_COOKIE] = DEVICE

    client.post(reverse("survey:answer", args=[ended.survey_token, "post"]), answers(ended), HTTP_ACCEPT_LANGUAGE="en")

    assert SurveyResponse.objects.get().language == "en"


def test_a_language_bloom_does_not_offer_is_refused_by_the_service(ended):
    with pytest.raises(services.TrainingError) as refused:
        services.answer_by_link(
            ended, phase="post", trainee=services.Trainee(), scores=survey_scores(ended.instrument),
            device=DEVICE, network="203.0.113.9", language="xx",
        )  # fmt: skip

    assert list(refused.value.message_dict) == ["language"]


# Pooled in one evaluation -------------------------------------------------------------------


def test_both_languages_are_pooled_in_one_evaluation_that_counts_each(client, world, ended):
    client.cookies[DEVICE_COOKIE] = DEVICE
    enter_survey(ended, world.trainer, phase="pre", knowledge=[2])
    enter_survey(ended, world.trainer, phase="pre", knowledge=[4])
    client.post(reverse("survey:answer", args=[ended.survey_token, "post"]) + "?lang=es", answers(ended, 5))

    result = evaluation.evaluate(TrainingEvent.objects.filter(pk=ended.pk))

    assert (result.n_before, result.n_after) == (2, 1)
    assert result.by_language == [("English", 2), ("Español", 1)]
    knowledge = next(c for c in result.constructs if c.scale.code == "knowledge")
    assert knowledge.overall.n_after == 1
    client.force_login(world.director)
    page = client.get(f"/training/events/{ended.pk}/results/")
    assert "English, 2 surveys" in page.text
    assert "Español, 1 survey" in page.text


def test_the_evaluation_reads_in_the_readers_language(world, ended):
    enter_survey(ended, world.trainer, phase="pre", knowledge=[3])
    enter_survey(ended, world.trainer, phase="post", knowledge=[1])
    events = TrainingEvent.objects.filter(pk=ended.pk)

    with translation.override("es"):
        spanish = evaluation.evaluate(events)
    with translation.override("en"):
        english = evaluation.evaluate(events)

    assert [c.scale.title for c in spanish.constructs] == ["Conocimientos", "Creencias", "Comodidad"]
    assert [c.scale.title for c in english.constructs] == ["Knowledge", "Beliefs", "Comfort"]
    worse = [item.text for item in spanish.worse_items]
    assert "Las definiciones federales y estatales de la trata con fines de explotación sexual" in worse


def test_staff_choose_the_language_of_a_paper_form(client, world, ended):
    client.force_login(world.trainer)
    url = f"/training/events/{ended.pk}/surveys/paper/"

    page = client.get(url)
    response = client.post(url, {**answers(ended, 2), "phase": "post", "language": "es"})

    assert 'name="language" value="en"' in page.text
    assert response["Location"] == f"{url}?phase=post&language=es"
    assert SurveyResponse.objects.get().language == "es"
    assert re.search(r'name="language" value="es"[^>]*checked', client.get(response["Location"]).text)


# Survey versions -----------------------------------------------------------------------------


def test_a_new_version_keeps_the_spanish_and_a_changed_scale_word_count_is_refused(client, world):
    revision = services.revise(default_instrument(), by=world.trainer)
    knowledge = revision.constructs.get(code="knowledge")
    item = items_of(revision, "knowledge")[0]
    assert knowledge.in_language("es")["title"] == "Conocimientos"
    assert item.in_language("es")["text"].startswith("Las definiciones")

    with pytest.raises(services.TrainingError) as refused:
        services.reword(
            revision, by=world.trainer, constructs={}, items={},
            construct_translations={knowledge.pk: {"es": {"anchors": ["Nada", "Poco"]}}},
        )  # fmt: skip
    assert list(refused.value.message_dict) == [f"anchors_{knowledge.pk}_es"]

    client.force_login(world.trainer)
    form = client.get(f"/training/surveys/{revision.pk}/edit/").context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data[f"item_{item.pk}_es"] = "Las definiciones de la trata"
    response = client.post(f"/training/surveys/{revision.pk}/edit/", data)

    assert response.status_code == 302, response.context and response.context["form"].errors
    item.refresh_from_db()
    knowledge.refresh_from_db()
    assert item.in_language("es")["text"] == "Las definiciones de la trata"
    assert knowledge.in_language("es")["title"] == "Conocimientos"  # what was there is kept
