"""The survey link, /s/<secret>/..., opened with no sign-in: when each survey is open, one answer
per device, the limit per network, refusals that keep what was ticked, and what is kept of who
answered (digests only, deleted once the survey closes)."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import default_instrument, survey_scores
from tests.training.support import items_of
from training import services
from training.models import SubmissionMark, SurveyResponse, TrainingEvent
from training.public import DEVICE_COOKIE
from training.services import LinkState, Trainee, link_state

NETWORK = "203.0.113.9"
DEVICE = "my-own-phone-0123456789"


def answer_url(event: TrainingEvent, phase: str) -> str:
    return reverse("survey:answer", args=[event.survey_token, phase])


def landing_url(event: TrainingEvent) -> str:
    return reverse("survey:link", args=[event.survey_token])


def answers(event: TrainingEvent, score: int = 3, **overrides) -> dict:
    """A POST answering every item of the event's survey with ``score``."""
    return {**{f"item_{pk}": str(score) for pk in survey_scores(event.instrument)}, "field_of_work": "", **overrides}


def starting_in(course, delta: timedelta, hours: int = 3, **fields) -> TrainingEvent:
    starts = timezone.now().replace(microsecond=0) + delta
    return course.event(starts_at=starts, hours=hours, **fields)


class Inputs(HTMLParser):
    """The page's form inputs: (name, value) of each ticked one."""

    def __init__(self, html: str):
        super().__init__()
        self.checked: set[tuple[str, str]] = set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "input" and "checked" in values:
            self.checked.add((values["name"], values["value"]))


def with_device(client, device: str = DEVICE):
    client.cookies[DEVICE_COOKIE] = device
    return client


@pytest.fixture
def ended(course) -> TrainingEvent:
    """Three hours, ended an hour ago: the survey before is closed, the one after open for three days."""
    return course.event()


# When each survey is open ----------------------------------------------------------------------


# Run again at awkward instants (tests/clock.py): the survey link opens and closes around the event.
@pytest.mark.clock
def test_the_survey_before_opens_a_week_before_and_closes_at_the_end(course):
    event = course.event()
    opens, ends = event.starts_at - timedelta(days=7), event.ends_at
    second = timedelta(seconds=1)

    states = [link_state(event, "pre", when) for when in (opens - second, opens, ends - second, ends)]

    assert states == [LinkState.NOT_YET, LinkState.OPEN, LinkState.OPEN, LinkState.CLOSED]


@pytest.mark.clock
def test_the_survey_after_opens_at_the_start_and_closes_when_the_link_closes(course):
    event = course.event()
    starts, closes = event.starts_at, event.survey_closes_at
    second = timedelta(seconds=1)

    states = [link_state(event, "post", when) for when in (starts - second, starts, closes - second, closes)]

    assert states == [LinkState.NOT_YET, LinkState.OPEN, LinkState.OPEN, LinkState.CLOSED]


def test_an_event_with_no_survey_has_a_closed_link(course):
    event = course.event(instrument=None)

    assert {link_state(event, phase, event.starts_at) for phase in ("pre", "post")} == {LinkState.CLOSED}


@pytest.mark.clock
def test_the_landing_page_of_a_training_in_three_days_opens_only_the_survey_before(client, course):
    event = starting_in(course, timedelta(days=3))

    page = client.get(landing_url(event)).content.decode()

    assert f'href="{answer_url(event, "pre")}"' in page
    assert answer_url(event, "post") not in page
    assert "Opens when the training starts." in page


@pytest.mark.clock
def test_the_landing_page_of_a_training_in_ten_days_opens_neither(client, course):
    event = starting_in(course, timedelta(days=10))

    response = client.get(landing_url(event))

    page = response.content.decode()
    assert response.status_code == 200
    assert answer_url(event, "pre") not in page
    assert answer_url(event, "post") not in page
    assert "Opens a week before the training." in page


@pytest.mark.clock
def test_the_landing_page_during_the_training_opens_both(client, course):
    event = starting_in(course, -timedelta(hours=1))

    page = client.get(landing_url(event)).content.decode()

    assert answer_url(event, "pre") in page
    assert answer_url(event, "post") in page


@pytest.mark.clock
def test_the_landing_page_after_the_training_opens_only_the_survey_after(client, ended):
    page = client.get(landing_url(ended)).content.decode()

    assert answer_url(ended, "pre") not in page
    assert answer_url(ended, "post") in page
    assert "Closed: the training has ended." in page


@pytest.mark.clock
def test_the_landing_page_once_the_link_closed_opens_nothing(client, course):
    event = starting_in(course, -timedelta(days=5))

    page = client.get(landing_url(event)).content.decode()

    assert answer_url(event, "pre") not in page
    assert answer_url(event, "post") not in page
    assert "Closed." in page


@pytest.mark.clock
def test_the_survey_after_a_training_not_yet_started_says_when_it_opens(client, course):
    event = starting_in(course, timedelta(days=3))

    response = client.get(answer_url(event, "post"))

    assert response.status_code == 200
    assert "opens when the training starts" in response.content.decode()
    assert "item_" not in response.content.decode()


@pytest.mark.clock
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_closed_survey_is_gone_and_an_answer_to_it_writes_nothing(client, ended, method):
    with_device(client)

    response = getattr(client, method)(answer_url(ended, "pre"), answers(ended) if method == "post" else None)

    assert response.status_code == 410
    assert "This survey is closed" in response.content.decode()
    assert SurveyResponse.objects.count() == 0
    assert SubmissionMark.objects.count() == 0


@pytest.mark.clock
def test_an_answer_after_the_link_closed_is_refused(client, course):
    event = starting_in(course, -timedelta(days=5))
    with_device(client)

    response = client.post(answer_url(event, "post"), answers(event))

    assert response.status_code == 410
    assert SurveyResponse.objects.count() == 0


# Answering -------------------------------------------------------------------------------------


def test_an_answer_through_the_link_is_saved_anonymously(client, ended):
    client.get(landing_url(ended))  # the landing page gives the device its cookie

    response = client.post(answer_url(ended, "post"), answers(ended, 4, field_of_work="education"), follow=True)

    assert response.redirect_chain == [(reverse("survey:done", args=[ended.survey_token, "post", "thanks"]), 302)]
    assert "Thank you!" in response.content.decode()
    saved = SurveyResponse.objects.get()
    assert (saved.event, saved.phase, saved.source, saved.field_of_work) == (ended, "post", "link", "education")
    assert saved.entered_by is None
    assert set(saved.answers.values_list("score", flat=True)) == {4}
    assert saved.answers.count() == 22


def test_the_device_cookie_is_kept_to_the_survey_pages(client, ended):
    response = client.get(landing_url(ended))

    cookie = response.cookies[DEVICE_COOKIE]
    assert 16 <= len(cookie.value) <= 40
    assert (cookie["path"], cookie["httponly"], cookie["samesite"]) == ("/s/", True, "Lax")
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_same_device_answering_again_is_told_it_already_answered(client, ended):
    with_device(client)
    first = client.post(answer_url(ended, "post"), answers(ended, 4))

    again = client.post(answer_url(ended, "post"), answers(ended, 1), follow=True)

    assert first.status_code == 302
    assert again.redirect_chain == [(reverse("survey:done", args=[ended.survey_token, "post", "answered"]), 302)]
    assert "Already answered" in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    assert set(SurveyResponse.objects.get().answers.values_list("score", flat=True)) == {4}


def test_one_device_answers_each_survey_of_an_event_once(client, course):
    during = starting_in(course, -timedelta(hours=1))
    with_device(client)

    for phase in ("pre", "post", "pre", "post"):
        client.post(answer_url(during, phase), answers(during))

    assert sorted(SurveyResponse.objects.values_list("phase", flat=True)) == ["post", "pre"]


def test_a_flood_from_one_network_is_refused_beyond_the_limit(client, ended):
    for n in range(services.NETWORK_LIMIT):
        response = with_device(client, f"phone-{n:04d}-abcdefghijkl").post(
            answer_url(ended, "post"), answers(ended), REMOTE_ADDR=NETWORK
        )
        assert response.status_code == 302, n

    refused = with_device(client, "one-more-phone-abcdefgh").post(
        answer_url(ended, "post"), answers(ended, 5), REMOTE_ADDR=NETWORK
    )

    assert refused.status_code == 429
    assert "Many answers came from this network" in refused.content.decode()
    assert SurveyResponse.objects.count() == services.NETWORK_LIMIT
    assert SurveyResponse.objects.filter(answers__score=5).count() == 0
    # Another network is not held back by this one.
    other = with_device(client, "phone-on-another-network").post(
        answer_url(ended, "post"), answers(ended), REMOTE_ADDR="198.51.100.4"
    )
    assert other.status_code == 302
    assert SurveyResponse.objects.count() == services.NETWORK_LIMIT + 1


# Run again at awkward instants (tests/clock.py): the network limit counts the answers of the last minutes.
@pytest.mark.clock
def test_the_network_limit_counts_only_answers_within_its_window(ended):
    def answer(device):
        return services.answer_by_link(
            ended,
            phase="post",
            trainee=Trainee(),
            scores=survey_scores(ended.instrument),
            device=device,
            network=NETWORK,
        )

    for n in range(services.NETWORK_LIMIT):
        answer(f"phone-{n:04d}-abcdefghijkl")
    with pytest.raises(services.TrainingError) as excinfo:
        answer("one-more-phone-abcdefgh")
    assert excinfo.value.code == "busy"
    earlier = timezone.now() - services.NETWORK_WINDOW - timedelta(seconds=1)
    SubmissionMark.objects.update(at=earlier)  # the room answered more than ten minutes ago

    answer("one-more-phone-abcdefgh")

    assert SurveyResponse.objects.count() == services.NETWORK_LIMIT + 1


def test_an_answer_without_the_cookie_is_refused_and_keeps_what_was_ticked(client, ended):
    knowledge = items_of(ended.instrument, "knowledge")
    ticked = {f"item_{knowledge[0].pk}": "2", f"item_{knowledge[1].pk}": "5", "experience": "6-10"}

    response = client.post(answer_url(ended, "post"), ticked)

    assert response.status_code == 422
    assert "did not keep this page&#x27;s cookie" in response.content.decode()
    assert Inputs(response.content.decode()).checked == {
        (f"item_{knowledge[0].pk}", "2"),
        (f"item_{knowledge[1].pk}", "5"),
    }
    assert '<option value="6-10" selected>' in response.content.decode()
    assert SurveyResponse.objects.count() == 0
    assert SubmissionMark.objects.count() == 0
    # The refusal gave the device its cookie: sending again is accepted.
    assert DEVICE_COOKIE in response.cookies
    assert client.post(answer_url(ended, "post"), ticked).status_code == 302
    assert SurveyResponse.objects.count() == 1


def test_a_score_outside_the_scale_is_refused_beside_its_item(client, ended):
    first, second = items_of(ended.instrument, "knowledge")[:2]
    with_device(client)

    response = client.post(answer_url(ended, "post"), {f"item_{first.pk}": "99", f"item_{second.pk}": "4"})

    page = response.content.decode()
    assert response.status_code == 422
    error = re.search(rf'<div class="field__error" id="id_item_{first.pk}_error">(.*?)</div>', page, re.S)
    assert error is not None
    assert "Choose a score from 1 to 5." in error.group(1)
    assert f"id_item_{second.pk}_error" not in page
    assert Inputs(page).checked == {(f"item_{second.pk}", "4")}
    assert SurveyResponse.objects.count() == 0


def test_an_answer_with_nothing_ticked_is_refused(client, ended):
    with_device(client)

    response = client.post(answer_url(ended, "post"), {"field_of_work": "education"})

    assert response.status_code == 422
    assert "Nothing was answered" in response.content.decode()
    assert SurveyResponse.objects.count() == 0


# Tokens ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    ["short", "x" * 22, "a" * 41, "%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00", "é" * 20],
    ids=["too short", "unknown", "too long", "NUL", "not ascii"],
)
@pytest.mark.parametrize("suffix", ["", "pre/", "post/", "post/thanks/"])
def test_an_unknown_or_malformed_token_is_not_found(client, ended, token, suffix):
    assert client.get(f"/s/{token}/{suffix}").status_code == 404


@pytest.mark.parametrize("path", ["during/", "pre/maybe/", "PRE/"])
def test_an_unknown_survey_or_outcome_is_not_found(client, ended, path):
    assert client.get(f"{landing_url(ended)}{path}").status_code == 404


@pytest.mark.parametrize("path", ["/s/x/", "/s/xxxxxxxxxxxxxxxxxxxxxx/post/", "/s/a/b/c/d/", "/s/"])
def test_a_link_not_found_gets_the_links_own_page_which_names_no_program_and_links_nowhere(client, ended, path):
    response = client.get(path)

    page = response.content.decode()
    assert response.status_code == 404
    assert "This link does not open a survey" in page
    assert "Bloom" not in page
    assert "<a " not in page
    assert "<nav" not in page


def test_a_page_not_found_elsewhere_is_blooms_own(client, world):
    client.force_login(world.trainer)

    response = client.get("/training/events/999999/")

    assert response.status_code == 404
    assert "This page is not here" in response.content.decode()


def test_an_answer_needs_no_csrf_token_only_the_device_cookie(ended):
    """A phone that lost Django's CSRF cookie still sends its answers; the device cookie is the guard."""
    phone = Client(enforce_csrf_checks=True)
    landing = phone.get(landing_url(ended))
    form = phone.get(answer_url(ended, "post")).content.decode()

    response = phone.post(answer_url(ended, "post"), answers(ended, 4))

    assert DEVICE_COOKIE in landing.cookies
    assert settings.CSRF_COOKIE_NAME not in phone.cookies
    assert "csrfmiddlewaretoken" not in form
    assert response.status_code == 302
    assert SurveyResponse.objects.filter(event=ended, phase="post").count() == 1


def test_an_answer_posted_from_another_site_arrives_without_the_device_cookie_and_is_refused(ended):
    """The device cookie is SameSite=Lax: a post from another site comes without it."""
    elsewhere = Client(enforce_csrf_checks=True, headers={"origin": "https://elsewhere.example"})

    response = elsewhere.post(answer_url(ended, "post"), answers(ended, 4))

    assert response.status_code == 422
    assert "did not keep this page&#x27;s cookie" in response.content.decode()
    assert SurveyResponse.objects.count() == 0


def test_a_replaced_link_no_longer_opens_the_survey(client, world, ended):
    old = ended.survey_token

    services.new_link(ended, by=world.trainer)

    ended.refresh_from_db()
    for suffix in ("", "post/", "post/thanks/"):
        assert client.get(f"/s/{old}/{suffix}").status_code == 404
    assert with_device(client).post(f"/s/{old}/post/", answers(ended)).status_code == 404
    assert client.get(landing_url(ended)).status_code == 200
    assert SurveyResponse.objects.count() == 0


# What is kept of who answered ----------------------------------------------------------------


def test_a_mark_keeps_digests_never_the_address_or_the_cookie(client, ended):
    with_device(client)

    client.post(answer_url(ended, "post"), answers(ended), REMOTE_ADDR=NETWORK)

    mark = SubmissionMark.objects.get()
    stored = " ".join(str(value) for value in model_to_dict(mark).values())
    assert DEVICE not in stored
    assert NETWORK not in stored
    assert re.fullmatch("[0-9a-f]{64}", mark.device)
    assert re.fullmatch("[0-9a-f]{64}", mark.network)
    assert mark.device != mark.network


def test_the_same_device_has_a_different_digest_at_each_event(course):
    first, second = course.event(), course.event()

    assert services.digest(DEVICE, first) != services.digest(DEVICE, second)
    assert services.digest(DEVICE, first) == services.digest(DEVICE, first)


def test_a_response_from_the_link_holds_nothing_of_the_device_or_network(client, ended):
    with_device(client)

    client.post(answer_url(ended, "post"), answers(ended, field_of_work="service provider"), REMOTE_ADDR=NETWORK)

    response = SurveyResponse.objects.get()
    fields = {f.name for f in SurveyResponse._meta.concrete_fields}
    assert fields == {
        "id", "event", "instrument", "phase", "source", "language", "field_of_work", "position", "experience",
        "submitted_at", "entered_by", "set_aside",
    }  # fmt: skip
    history = response.history.values().get()
    for stored in (model_to_dict(response), history):
        text = " ".join(str(value) for value in stored.values())
        assert DEVICE not in text
        assert NETWORK not in text
        assert services.digest(DEVICE, ended) not in text
    # The mark is not linked to the response.
    assert "response" not in {f.name for f in SubmissionMark._meta.get_fields()}


# Run again at awkward instants (tests/clock.py): marks are forgotten once their survey has closed.
@pytest.mark.clock
def test_forgetting_marks_deletes_those_of_closed_surveys_only(course):
    now = timezone.now()
    closing_soon = course.event(survey_closes_at=now + timedelta(days=1))
    open_longer = course.event(survey_closes_at=now + timedelta(days=10))
    for event in (closing_soon, open_longer):
        for device in ("phone-one-abcdefghijk", "phone-two-abcdefghijk"):
            services.answer_by_link(
                event, phase="post", trainee=Trainee(), scores={items_of(event.instrument, "comfort")[0].pk: 7},
                device=device, network=NETWORK,
            )  # fmt: skip

    assert services.forget_marks() == 0
    assert services.forget_marks(now + timedelta(days=2)) == 2

    assert set(SubmissionMark.objects.values_list("event", flat=True)) == {open_longer.pk}
    assert SurveyResponse.objects.count() == 4  # the answers stay


def test_an_answer_to_an_event_on_an_earlier_survey_uses_its_own_survey(client, world, course, ended):
    revision = services.revise(default_instrument(), by=world.trainer)
    services.make_default(revision, by=world.trainer)
    with_device(client)

    client.post(answer_url(ended, "post"), answers(ended))

    assert SurveyResponse.objects.get().instrument == ended.instrument != revision


# Cookies and sessions --------------------------------------------------------------------------


def test_the_survey_pages_set_no_session_cookie(client, ended):
    visits = [
        client.get(landing_url(ended)),
        client.get(answer_url(ended, "post")),
        client.post(answer_url(ended, "post"), {}),
        client.post(answer_url(ended, "post"), answers(ended)),
        client.get(reverse("survey:done", args=[ended.survey_token, "post", "thanks"])),
        client.get(answer_url(ended, "pre")),
    ]

    assert [settings.SESSION_COOKIE_NAME in response.cookies for response in visits] == [False] * len(visits)
    assert settings.SESSION_COOKIE_NAME not in client.cookies


def test_the_landing_page_says_which_survey_this_device_already_answered(client, ended):
    with_device(client)
    client.post(answer_url(ended, "post"), answers(ended, 4))

    html = client.get(landing_url(ended)).content.decode()

    assert "Answered on this device. Thank you!" in html
    assert answer_url(ended, "post") not in html


def test_opening_a_survey_this_device_already_answered_says_so_before_it_is_filled_in(client, ended):
    with_device(client)
    client.post(answer_url(ended, "post"), answers(ended, 4))

    response = client.get(answer_url(ended, "post"))

    assert response.status_code == 302
    assert response["Location"] == reverse("survey:done", args=[ended.survey_token, "post", "answered"])


def test_another_device_still_opens_the_survey(client, ended):
    with_device(client)
    client.post(answer_url(ended, "post"), answers(ended, 4))

    response = with_device(client, "another-phone-0123456789").get(answer_url(ended, "post"))

    assert response.status_code == 200
    assert 'name="item_' in response.content.decode()


def test_an_empty_answer_is_refused_with_a_message(client, ended):
    with_device(client)

    response = client.post(answer_url(ended, "post"), {})

    assert response.status_code == 422
    assert "Nothing was answered. Give at least one score." in response.content.decode()
    assert not SurveyResponse.objects.exists()
