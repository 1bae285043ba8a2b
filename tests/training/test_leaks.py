"""The leak tests of the survey link: someone holding an event's link (and the survey cookie) reaches
that event's survey and nothing else: no staff page, no link out, no other event, nothing the
staff wrote about the event, and no way into another event's survey."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, reverse

from tests.factories import default_instrument, enter_survey, make_curriculum, make_trainer
from tests.training.support import CERTIFIED_ON, attendee, items_of
from training import services
from training import urls as training_urls
from training.models import Item, SurveyInstrument, SurveyResponse, TrainingEvent
from training.public import DEVICE_COOKIE

# What staff know of event A, and everything about event B: none of it is for the link's pages.
A_NOTE = "Alpha note: the host asked us not to mention the Maple Street case"
A_ATTENDEE = "Yusuf Alphason"
B_COURSE = "Bravo Course for Foster Parents"
B_NOTE = "Bravo note: held at the group home on Elm Street"
B_ATTENDEE = "Zelda Bravington"
B_TRAINER = "Quincy Bravo"
B_ITEM = "A wording only the Bravo survey has"


class Story:
    """Event A (after its training, the survey after it open) on the default survey, and event B on a
    survey of its own, each with staff notes, a sign-in list and surveys."""

    def __init__(self, world, course):
        by = world.trainer
        self.a = course.event(notes=A_NOTE, positions="Teachers and counselors")
        services.add_attendee(self.a, by=by, details=attendee(A_ATTENDEE, email="yusuf@example.org"))
        enter_survey(self.a, by, phase="pre")
        bravo = make_curriculum(by, name=B_COURSE, audience="foster parents")
        trainer = make_trainer(by, full_name=B_TRAINER, curricula=[bravo], certified_on=CERTIFIED_ON)
        self.b_survey = services.revise(default_instrument(), by=by)
        first = items_of(self.b_survey, "knowledge")[0]
        services.reword(self.b_survey, by=by, constructs={}, items={first.pk: B_ITEM})
        self.b = course.event(curriculum=bravo, trainers=[trainer], notes=B_NOTE, instrument=self.b_survey)
        services.add_attendee(self.b, by=by, details=attendee(B_ATTENDEE))
        enter_survey(self.b, by, phase="pre")
        self.attendee = self.a.attendees.get()
        self.response = self.a.responses.get()

    def secrets(self) -> list[str]:
        return [
            A_NOTE, "Maple Street", A_ATTENDEE, "yusuf@example.org", "Terry Trainer", "Teachers and counselors",
            B_COURSE, B_NOTE, "Elm Street", B_ATTENDEE, B_TRAINER, B_ITEM, self.b.survey_token,
        ]  # fmt: skip


@pytest.fixture
def story(world, course) -> Story:
    return Story(world, course)


@pytest.fixture
def holder(client, story):
    """Someone who opened event A's link: not signed in, holding only the survey cookie."""
    response = client.get(reverse("survey:link", args=[story.a.survey_token]))
    assert response.status_code == 200
    assert set(client.cookies) <= {DEVICE_COOKIE, "csrftoken"}
    assert DEVICE_COOKIE in client.cookies
    return client


# No staff page -------------------------------------------------------------------------------


def staff_urls(story: Story) -> list[str]:
    """Every route of training's staff pages, with the ids of real records."""
    curriculum, trainer = story.a.curriculum, story.a.trainers.get()
    instrument = SurveyInstrument.objects.get(pk=default_instrument().pk)
    ids = {
        "pk": {"curriculum_edit": curriculum.pk, "trainer": trainer.pk, "trainer_edit": trainer.pk,
               "certify": trainer.pk, "instrument": instrument.pk, "instrument_edit": instrument.pk,
               "instrument_revise": instrument.pk, "instrument_default": instrument.pk},
        "attendee_pk": story.attendee.pk,
        "response_pk": story.response.pk,
    }  # fmt: skip
    urls = []
    for pattern in training_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {}
        for name in pattern.pattern.converters:
            value = ids[name]
            kwargs[name] = value.get(pattern.name, story.a.pk) if isinstance(value, dict) else value
        urls.append(reverse(f"training:{pattern.name}", kwargs=kwargs))
    return urls


def test_every_training_route_is_tried(story):
    assert len(set(staff_urls(story))) == len(training_urls.urlpatterns)


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_link_holder_is_sent_to_sign_in_from_every_staff_page(holder, story, method):
    token = story.a.survey_token
    login = reverse("accounts:login")

    outcomes = {url: getattr(holder, method)(url) for url in staff_urls(story)}

    assert {url: r.status_code for url, r in outcomes.items()} == dict.fromkeys(outcomes, 302)
    assert {url for url, r in outcomes.items() if not r.url.startswith(f"{login}?next=")} == set()
    story.a.refresh_from_db()
    assert story.a.survey_token == token
    assert story.a.attendees.count() == 1
    assert SurveyResponse.objects.filter(set_aside=True).count() == 0


@pytest.mark.parametrize("kind", ["training_event_evaluation", "training_evaluation"])
def test_the_link_holder_cannot_ask_for_the_evaluation_report(holder, story, kind):
    target = story.a.pk if kind == "training_event_evaluation" else 0

    response = holder.post(reverse("reports:request", args=[kind, target]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# Nothing but the event's own survey ------------------------------------------------------------


class Links(HTMLParser):
    """Every address a page points to: links, form actions, and anything loaded."""

    def __init__(self, html: str):
        super().__init__()
        self.anchors: list[str] = []
        self.actions: list[str | None] = []
        self.loaded: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a":
            self.anchors.append(values.get("href") or "")
        elif tag == "form":
            self.actions.append(values.get("action"))
        else:
            self.loaded += [values[name] for name in ("href", "src", "action", "formaction") if values.get(name)]


def public_pages(client, story: Story) -> dict[str, str]:
    """Every page the link shows for event A, in each of its states, as HTML."""
    token = story.a.survey_token
    answer = reverse("survey:answer", args=[token, "post"])
    pages = {
        "landing": client.get(reverse("survey:link", args=[token])),
        "form": client.get(answer),
        "closed": client.get(reverse("survey:answer", args=[token, "pre"])),
        "refused": client.post(answer, {"field_of_work": "education"}),
        "out of scale": client.post(answer, {f"item_{items_of(story.a.instrument, 'knowledge')[0].pk}": "99"}),
    }
    for why in ("thanks", "answered", "closed"):
        pages[f"done {why}"] = client.get(reverse("survey:done", args=[token, "post", why]))
    assert {name: r.status_code for name, r in pages.items()} == {
        "landing": 200, "form": 200, "closed": 410, "refused": 422, "out of scale": 422,
        "done thanks": 200, "done answered": 200, "done closed": 200,
    }  # fmt: skip
    return {name: response.content.decode() for name, response in pages.items()}


def test_the_link_pages_point_only_to_the_same_survey(holder, story):
    own = f"/s/{story.a.survey_token}/"

    for name, html in public_pages(holder, story).items():
        links = Links(html)
        assert [href for href in links.anchors if not href.startswith(own)] == [], name
        assert [action for action in links.actions if action and not action.startswith(own)] == [], name
        assert [url for url in links.loaded if not url.startswith("/static/")] == [], name
        assert "/training/" not in html, name


@pytest.mark.clock
def test_a_survey_not_yet_open_links_back_only_to_its_own_first_page(client, story, course):
    coming = course.event(starts_at=story.a.starts_at + timedelta(days=365))

    page = reverse("survey:answer", args=[coming.survey_token, "post"])
    response = client.get(page)

    assert response.status_code == 200
    # Besides the choice of language, which opens this same page in another language.
    anchors = [href for href in Links(response.content.decode()).anchors if not href.startswith(f"{page}?lang=")]
    assert anchors == [reverse("survey:link", args=[coming.survey_token])]


def test_the_link_pages_show_nothing_staff_wrote_and_nothing_of_another_event(holder, story):
    for name, html in public_pages(holder, story).items():
        assert [secret for secret in story.secrets() if secret in html] == [], name


def test_event_a_token_does_not_open_event_b_survey(holder, story):
    a_answer = reverse("survey:answer", args=[story.a.survey_token, "post"])
    b_items = {f"item_{item.pk}": "4" for item in Item.objects.filter(construct__instrument=story.b_survey)}
    b_only = {f"item_{items_of(story.b_survey, 'knowledge')[0].pk}": "4"}
    a_before, b_before = story.a.responses.count(), story.b.responses.count()

    refused = holder.post(a_answer, b_only)

    assert refused.status_code == 422
    assert B_ITEM not in holder.get(a_answer).content.decode()
    assert (story.a.responses.count(), story.b.responses.count()) == (a_before, b_before)
    # B's item ids that A's survey does not have are ignored: only A's own items are read.
    a_items = {f"item_{item.pk}": "2" for item in items_of(story.a.instrument, "comfort")}
    accepted = holder.post(a_answer, {**b_items, **a_items})
    assert accepted.status_code == 302
    saved = story.a.responses.latest("pk")
    assert set(saved.answers.values_list("item__construct__instrument", flat=True)) == {story.a.instrument_id}
    assert story.b.responses.count() == b_before


def test_an_event_with_the_same_survey_is_not_reached_through_anothers_token(holder, story, course):
    twin = course.event()
    assert twin.instrument == story.a.instrument

    item = items_of(twin.instrument, "comfort")[0]

    holder.post(reverse("survey:answer", args=[story.a.survey_token, "post"]), {f"item_{item.pk}": "9"})

    assert twin.responses.count() == 0
    assert story.a.responses.filter(phase="post").count() == 1


def test_the_event_pages_of_the_link_are_not_indexed_or_cached(holder, story):
    response = holder.get(reverse("survey:answer", args=[story.a.survey_token, "post"]))

    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert TrainingEvent.objects.count() == 2
