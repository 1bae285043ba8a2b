"""The leak tests of outreach: a volunteer who signs in sees only their own sessions and hours,
and what a person met in outreach shared, once passed to intake, is read by intake alone: not by
the outreach worker who passed it, nor by the volunteers on the session, on any page they can open.
"""

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import IntakeRequest
from outreach.models import HandOff, OutreachSession
from tests.factories import log_outreach, make_town, make_volunteer

NAME = "Rosalind Quist"
PHONE = "860-555-0142"
WORDS = "Wants somewhere safe to sleep away from the Zion Street motel"
HOW_TO_REACH = "Only text after nine, her cousin checks the phone"
LANGUAGE = "Tagalog"


def secrets() -> list[str]:
    """What the person shared, each way a page might write it."""
    return [NAME, "Rosalind", "Quist", PHONE, "8605550142", WORDS, "Zion Street", HOW_TO_REACH, LANGUAGE]


def assert_no_leak(text: str, where: str) -> None:
    lowered = text.lower()
    found = [secret for secret in secrets() if secret.lower() in lowered]
    assert found == [], f"{where} shows {found}"


def at(days_ago: int, hour: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.get_current_timezone())


class Story:
    """Two sessions: Val (who signs in) was on the first, Omar on the second; a request for help
    was passed to team A from the first through the hand-off page."""

    def __init__(self, world, client):
        by = world.outreach
        self.val = make_volunteer(by, full_name="Val Volunteer", user=world.volunteer)
        self.omar = make_volunteer(by, full_name="Omar Other")
        self.mine = log_outreach(
            by, town=make_town("Hartford"), starts_at=at(3, 18), hours=2, volunteers=[self.val],
            area="Park Street, between Main and Broad", people_contacted=6,
        )  # fmt: skip
        self.other = log_outreach(
            by, town=make_town("New Britain"), starts_at=at(2, 19), hours=3, volunteers=[self.omar],
            area="Arch Street by the bus station", people_contacted=4,
        )  # fmt: skip
        client.force_login(by)
        response = client.post(
            reverse("outreach:hand_off", args=[self.mine.pk]),
            {
                "team": world.team_a.pk, "name": NAME, "age": "24", "language": LANGUAGE, "phone": PHONE,
                "safe_to_text": "yes", "how_to_reach": HOW_TO_REACH, "needs": ["safe place"],
                "in_their_words": WORDS, "agreed": "on",
            },
            follow=True,
        )  # fmt: skip
        assert response.status_code == 200
        assert response.redirect_chain == [(reverse("outreach:session", args=[self.mine.pk]), 302)]
        assert_no_leak(response.content.decode(), "the page after passing the request on")
        client.logout()
        self.request = IntakeRequest.objects.get()
        self.handoff = HandOff.objects.get()


@pytest.fixture
def story(world, client) -> Story:
    return Story(world, client)


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response


# A volunteer who signs in ----------------------------------------------------------------------


def test_a_volunteer_opens_only_the_sessions_they_were_on(client, world, story):
    client.force_login(world.volunteer)

    get(client, reverse("outreach:session", args=[story.mine.pk]))
    get(client, reverse("outreach:session", args=[story.other.pk]), 404)
    get(client, reverse("outreach:session_edit", args=[story.other.pk]), 404)
    get(client, reverse("outreach:hand_off", args=[story.other.pk]), 404)
    # their own session, which they may read but not change
    get(client, reverse("outreach:session_edit", args=[story.mine.pk]), 403)
    get(client, reverse("outreach:hand_off", args=[story.mine.pk]), 403)


def test_a_volunteer_home_is_their_own_page_with_their_sessions_and_hours(client, world, story):
    client.force_login(world.volunteer)

    response = client.get(reverse("outreach:home"))
    assert (response.status_code, response.url) == (302, reverse("outreach:mine"))
    mine = get(client, reverse("outreach:mine"))

    assert [s.pk for s in mine.context["page"].object_list] == [story.mine.pk]
    assert mine.context["hours"] == Decimal("2.0")
    content = mine.content.decode()
    assert "Park Street, between Main and Broad" in content
    assert "Arch Street" not in content
    assert "New Britain" not in content
    assert "Omar Other" not in content


def test_a_volunteer_cannot_open_the_volunteer_list_nor_any_volunteer_page(client, world, story):
    client.force_login(world.volunteer)

    get(client, reverse("outreach:volunteers"), 403)
    get(client, reverse("outreach:volunteer_new"), 403)
    get(client, reverse("outreach:volunteer", args=[story.omar.pk]), 404)
    get(client, reverse("outreach:volunteer_edit", args=[story.omar.pk]), 404)
    get(client, reverse("outreach:volunteer", args=[story.val.pk]), 404)  # their page is outreach:mine


def test_a_volunteer_sees_no_dashboard_nor_partnerships(client, world, story):
    client.force_login(world.volunteer)

    get(client, reverse("outreach:dashboard"), 403)
    get(client, reverse("outreach:dashboard_csv"), 403)
    get(client, reverse("outreach:partnerships"), 403)
    get(client, reverse("outreach:session_new"), 403)


def test_a_volunteer_home_page_lists_only_their_upcoming_sessions(client, world, story):
    soon = log_outreach(world.outreach, starts_at=timezone.now() + timedelta(days=1), volunteers=[story.val])
    log_outreach(world.outreach, starts_at=timezone.now() + timedelta(days=1), volunteers=[story.omar],
                 area="Albany Avenue near the laundromat")  # fmt: skip
    client.force_login(world.volunteer)

    response = get(client, reverse("home"))

    assert [s.pk for s in response.context["sections"]["outreach"]["sessions"]] == [soon.pk]
    assert "Albany Avenue" not in response.content.decode()


def test_a_volunteer_record_without_the_role_opens_nothing(client, world, story):
    world.volunteer.groups.clear()
    client.force_login(world.volunteer)

    get(client, reverse("outreach:mine"), 403)
    get(client, reverse("outreach:session", args=[story.mine.pk]), 404)


# What the person shared ------------------------------------------------------------------------


def outreach_pages(story: Story, today) -> list[str]:
    start = (today - timedelta(days=60)).isoformat()
    period = f"start={start}&end={today.isoformat()}"
    return [
        reverse("home"),
        reverse("outreach:home"),
        reverse("outreach:session", args=[story.mine.pk]),
        reverse("outreach:session_edit", args=[story.mine.pk]),
        reverse("outreach:hand_off", args=[story.mine.pk]),
        reverse("outreach:volunteers"),
        reverse("outreach:volunteer", args=[story.val.pk]),
        reverse("outreach:partnerships"),
        reverse("outreach:dashboard"),
        f"{reverse('outreach:dashboard')}?{period}",
        f"{reverse('outreach:dashboard_csv')}?{period}&by=month",
        f"{reverse('outreach:dashboard_csv')}?{period}&by=town",
        f"{reverse('outreach:dashboard_csv')}?{period}&by=venue",
        reverse("notifications:list"),
    ]


@pytest.mark.parametrize("started", [False, True], ids=["waiting", "intake started"])
def test_what_the_person_shared_is_on_no_page_the_outreach_worker_opens(client, world, story, started):
    if started:
        services.start_intake_from(story.request, by=world.specialist)
    client.force_login(world.outreach)

    for url in outreach_pages(story, timezone.localdate()):
        response = get(client, url)
        assert_no_leak(response.content.decode(), url)

    get(client, reverse("cases:intake_request", args=[story.request.pk]), 404)
    get(client, reverse("cases:intake_requests"), 403)


def test_the_outreach_worker_cannot_open_the_case_started_from_their_request(client, world, story):
    case = services.start_intake_from(story.request, by=world.specialist)
    client.force_login(world.outreach)

    for name in ("cases:detail", "cases:edit", "cases:timeline", "cases:history", "cases:contacts"):
        get(client, reverse(name, args=[case.pk]), 404)
    get(client, reverse("cases:intake_request", args=[story.request.pk]), 404)
    response = get(client, reverse("cases:list"))  # their caseload, empty
    assert_no_leak(response.content.decode(), "the case list")
    assert case.survivor.client_code not in response.content.decode()


def test_the_session_says_only_who_passed_a_request_on_and_when(client, world, story):
    client.force_login(world.outreach)

    response = get(client, reverse("outreach:session", args=[story.mine.pk]))

    passed_at = timezone.localtime(story.handoff.passed_at)
    assert response.context["handoffs"] == [story.handoff]
    content = response.content.decode()
    assert f"Passed on by {world.outreach.full_name}, {passed_at:%m/%d/%Y}" in content
    assert_no_leak(content, "the session")


def test_the_volunteer_on_the_session_reads_nothing_of_the_request(client, world, story):
    case = services.start_intake_from(story.request, by=world.specialist)
    client.force_login(world.volunteer)

    for url in (reverse("home"), reverse("outreach:mine"), reverse("outreach:session", args=[story.mine.pk])):
        assert_no_leak(get(client, url).content.decode(), url)
    get(client, reverse("cases:intake_request", args=[story.request.pk]), 404)
    get(client, reverse("cases:detail", args=[case.pk]), 404)


def test_the_hand_off_page_starts_empty_every_time(client, world, story):
    client.force_login(world.outreach)

    response = get(client, reverse("outreach:hand_off", args=[story.mine.pk]))

    form = response.context["form"]
    assert form["name"].value() is None
    assert form["phone"].value() is None
    assert_no_leak(response.content.decode(), "the hand-off form")


def test_the_dashboard_counts_the_hand_off_without_saying_anything_of_it(client, world, story):
    client.force_login(world.outreach)
    start = (timezone.localdate() - timedelta(days=30)).isoformat()

    response = get(client, f"{reverse('outreach:dashboard_csv')}?start={start}&end={timezone.localdate()}&by=town")

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    by_town = {row[0]: row for row in rows[1:]}
    assert by_town["Hartford"][10] == "1"
    assert by_town["New Britain"][10] == "0"
    assert by_town["total"][10] == "1"
    assert OutreachSession.objects.count() == 2
