"""A survivor's printouts come out in the survivor's language, whoever prints them.

An English-speaking specialist prints for a survivor whose preferred language is Spanish: every
word Bloom puts on the page is Spanish, read back from the PDF's text. What stays as written is
the survivor's own words and the names of federal programs and forms.
"""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from bloom.reports import services
from bloom.reports.models import ReportJob
from tests.factories import edit_survivor
from tests.printouts import (
    CASE_PLAN,
    SAFETY_PLAN,
    english_left_in,
    flat,
    make_case_plan,
    make_safety_plans,
    pdf_text,
    print_and_download,
)


@pytest.fixture
def spanish_survivor(world):
    make_case_plan(world)
    make_safety_plans(world)
    edit_survivor(world.case_a, by=world.specialist, preferred_language="Spanish")
    return world.case_a


def test_the_check_finds_english_when_there_is_some():
    """The check itself: an English sentence of the catalogue is found, a Spanish one is not."""
    assert english_left_in("Any time, day or night, in many languages.") != []
    assert english_left_in("Sobreviviente, plan de seguridad.") == []


@pytest.mark.parametrize("kind", [SAFETY_PLAN, CASE_PLAN])
def test_an_english_speaker_prints_a_spanish_speakers_plan_in_spanish(
    client, world, spanish_survivor, kind, django_capture_on_commit_callbacks
):
    assert world.specialist.language == "en"

    _job, pdf = print_and_download(client, world.specialist, kind, spanish_survivor, django_capture_on_commit_callbacks)

    text = pdf_text(pdf)
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "es"
    assert english_left_in(text) == []
    # The survivor's own words stay as they were written.
    own = "He said he would find my sister" if kind == SAFETY_PLAN else "I want my own place where my kids can visit"
    assert own in flat(text)


def test_the_print_form_says_the_survivors_language_and_another_can_be_chosen(
    client, world, spanish_survivor, django_capture_on_commit_callbacks
):
    client.force_login(world.specialist)
    page = client.get(reverse("cases:safety_plan", args=[spanish_survivor.pk])).content.decode()
    assert '<option value="es" lang="es" selected>Español</option>' in page
    assert "the survivor's preferred language" in page

    client.force_login(world.specialist)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("reports:request", args=[SAFETY_PLAN, spanish_survivor.pk]), {"language": "en"})
    assert response.status_code == 302
    job = ReportJob.objects.get(kind=SAFETY_PLAN, requested_by=world.specialist)
    assert job.parameters == {"language": "en"}


def test_a_language_bloom_does_not_print_in_is_refused_and_nothing_is_queued(client, world, spanish_survivor):
    client.force_login(world.specialist)
    response = client.post(
        reverse("reports:request", args=[SAFETY_PLAN, spanish_survivor.pk]),
        {"language": "fr"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "Choose one of the languages Bloom prints in." in response.content.decode()
    assert not ReportJob.objects.exists()


def test_a_printout_chosen_in_english_is_in_english(
    client, world, spanish_survivor, django_capture_on_commit_callbacks
):
    client.force_login(world.specialist)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("reports:request", args=[SAFETY_PLAN, spanish_survivor.pk]), {"language": "en"})
    job = ReportJob.objects.get(kind=SAFETY_PLAN)
    services.run_report_job(job.pk)
    job.refresh_from_db()
    assert job.status == "done", job.error
    pdf = b"".join(client.get(reverse("reports:download", args=[job.public_id])).streaming_content)
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "en"
    assert "Any time, day or night, in many languages." in flat(pdf_text(pdf))
