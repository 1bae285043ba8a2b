"""Requests anyone can send must get a clear answer, never a server error."""

from datetime import timedelta
from urllib.parse import urlencode

from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from bloom.audit.models import AccessLogEntry
from bloom.reports.models import ReportJob
from tests.factories import form_errors, log_outreach, make_event
from training.forms import PeriodForm
from training.public import DEVICE_COOKIE


def test_nul_in_a_header_on_sign_in_and_on_a_logged_read(world):
    client = Client(headers={"User-Agent": "Mozilla\x00/5.0"})

    failed = client.post(reverse("accounts:login"), {"username": "x@example.org", "password": "nope"})
    client.force_login(world.specialist)
    read = client.get(reverse("cases:detail", args=[world.case_a.pk]))

    assert (failed.status_code, read.status_code) == (200, 200)
    assert AccessLogEntry.objects.get().user_agent == "Mozilla/5.0"


def test_a_forged_client_address_is_not_believed(client, world):
    client.force_login(world.specialist)

    client.get(reverse("cases:detail", args=[world.case_a.pk]), headers={"X-Real-IP": "6.6.6.6"})
    client.get(reverse("cases:detail", args=[world.case_a.pk]), headers={"X-Real-IP": "not-an-ip, 1.2.3.4"})

    assert set(AccessLogEntry.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_the_configured_proxy_header_is_used_and_checked(client, world, settings):
    settings.BLOOM_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    client.force_login(world.specialist)

    client.get(reverse("cases:detail", args=[world.case_a.pk]), headers={"X-Real-IP": "203.0.113.9"})
    client.get(reverse("cases:detail", args=[world.case_a.pk]), headers={"X-Real-IP": "garbage"})

    addresses = AccessLogEntry.objects.order_by("pk").values_list("ip_address", flat=True)
    assert list(addresses) == ["203.0.113.9", None]


def test_an_overlong_email_at_sign_in_is_a_form_error(client, db):
    response = client.post(reverse("accounts:login"), {"username": "a" * 300 + "@example.org", "password": "x"})

    assert response.status_code == 200
    assert "username" in response.context["form"].errors


def test_an_impossible_age_is_a_form_error(client, world):
    client.force_login(world.specialist)
    url = reverse("cases:edit", args=[world.case_a.pk])
    base = {"legal_name": "Alma", "opened_on": world.case_a.opened_on.isoformat()}

    for age in ("121", "40000", "-1"):
        response = client.post(url, {**base, "estimated_age": age})
        assert response.status_code == 200, age
        assert "estimated_age" in form_errors(response), age


def test_odd_ids_and_parameters_are_404_or_handled(client, world):
    client.force_login(world.director)
    for url in [
        "/cases/99999999999999999999/",
        "/reports/request/case_face_sheet/99999999999999999999/",
        "/notifications/99999999999999999999/open/",
    ]:
        assert client.post(url).status_code in {404, 405}, url
    for params in [{"page": "999999999999"}, {"team": "99999999999999999999"}, {"status": "\x00"}]:
        assert client.get(reverse("cases:list"), params).status_code == 200, params
    assert client.get(reverse("notifications:open", args=[1])).status_code == 405


def test_odd_outreach_and_intake_request_ids_are_404(client, world):
    session = log_outreach(world.outreach)
    client.force_login(world.outreach)
    for pk in ("999999", "99999999999999999999"):
        for url in [
            f"/outreach/sessions/{pk}/",
            f"/outreach/sessions/{pk}/edit/",
            f"/outreach/sessions/{pk}/hand-off/",
            f"/outreach/volunteers/{pk}/",
            f"/outreach/volunteers/{pk}/edit/",
            f"/outreach/partnerships/{pk}/edit/",
        ]:
            assert client.get(url).status_code == 404, url
            assert client.post(url, {}).status_code in {404, 405}, url
        assert client.post(f"/outreach/volunteers/{pk}/trainings/new/", {}).status_code == 404, pk
    for params in [{"page": "999999999999"}, {"page": "abc"}, {"status": "\x00"}, {"status": "nobody"}]:
        assert client.get("/outreach/", params).status_code == 200, params
        assert client.get("/outreach/volunteers/", params).status_code == 200, params
    assert client.get(f"/outreach/sessions/{session.pk}/", {"saved": "<x>\x00"}).status_code == 200

    client.force_login(world.director)
    for pk in ("999999", "99999999999999999999"):
        assert client.get(f"/cases/intake-requests/{pk}/").status_code == 404, pk
        assert client.post(f"/cases/intake-requests/{pk}/start/").status_code == 404, pk
        assert client.post(f"/cases/intake-requests/{pk}/close/", {"reason": "x"}).status_code == 404, pk
    for params in [{"page": "999999999999"}, {"page": "\x00"}]:
        assert client.get("/cases/intake-requests/", params).status_code == 200, params


def test_odd_dashboard_filters_are_a_400_with_the_message(client, world):
    log_outreach(world.outreach)
    client.force_login(world.supervisor)
    today = timezone.localdate()
    period = {"start": (today - timedelta(days=30)).isoformat(), "end": today.isoformat()}
    for params in [
        {"start": "garbage"},
        {"start": "garbage", "end": "garbage"},
        {"end": today.isoformat()},  # no start
        {"start": "2026-02-30", "end": "2026-03-01"},
        {"start": "9999-01-01", "end": "9999-12-31"},
        {"start": "0001-01-01", "end": "0001-01-02"},
        {"start": "\x00", "end": today.isoformat()},
        {"start": today.isoformat(), "end": (today - timedelta(days=1)).isoformat()},  # ends before it starts
        {"start": (today - timedelta(days=366 * 11)).isoformat(), "end": today.isoformat()},  # over ten years
        {**period, "town": "999999"},
        {**period, "town": "Hartford' OR 1=1"},
        {**period, "venue": "casino"},
    ]:
        for path in ("/outreach/dashboard/", "/outreach/dashboard.csv"):
            response = client.get(path, params)
            assert response.status_code == 400, (path, params)
            assert response.context["form"].errors, (path, params)
    for by in ("xyz", "", "month\x00", "<script>"):
        response = client.get("/outreach/dashboard.csv", {**period, "by": by})
        assert response.status_code == 400, by
        assert "Choose to export by month, town or kind of venue." in response.text
    # The page itself takes no ``by``; the export's groupings all answer.
    assert client.get("/outreach/dashboard/", {**period, "by": "xyz"}).status_code == 200
    for by in ("month", "town", "venue"):
        assert client.get("/outreach/dashboard.csv", {**period, "by": by}).status_code == 200, by


def test_odd_training_ids_and_parameters_are_404_or_handled(client, world):
    event = make_event(world.trainer)
    client.force_login(world.trainer)
    for pk in ("999999", "99999999999999999999"):
        for url in [
            f"/training/events/{pk}/",
            f"/training/events/{pk}/edit/",
            f"/training/events/{pk}/survey-sheet/",
            f"/training/events/{pk}/surveys/",
            f"/training/events/{pk}/surveys/paper/",
            f"/training/events/{pk}/results/",
            f"/training/curricula/{pk}/edit/",
            f"/training/trainers/{pk}/",
            f"/training/trainers/{pk}/edit/",
            f"/training/surveys/{pk}/",
            f"/training/surveys/{pk}/edit/",
        ]:
            assert client.get(url).status_code == 404, url
            assert client.post(url, {}).status_code in {404, 405}, url
        for url in [
            f"/training/events/{pk}/new-link/",
            f"/training/events/{pk}/attendees/",
            f"/training/events/{event.pk}/attendees/{pk}/remove/",
            f"/training/events/{event.pk}/surveys/{pk}/set-aside/",
            f"/training/trainers/{pk}/certify/",
            f"/training/surveys/{pk}/revise/",
            f"/training/surveys/{pk}/default/",
        ]:
            assert client.post(url, {}).status_code == 404, url
    for params in [{"page": "999999999999"}, {"page": "abc"}, {"page": "-1"}, {"page": "\x00"}]:
        for url in [
            "/training/",
            "/training/curricula/",
            "/training/trainers/",
            f"/training/events/{event.pk}/surveys/",
        ]:
            assert client.get(url, params).status_code == 200, (url, params)
    for phase in ("nope", "\x00", "post" * 100):
        assert client.get(f"/training/events/{event.pk}/surveys/paper/", {"phase": phase}).status_code == 200, phase
    assert client.get(f"/training/events/{event.pk}/", {"saved": "<x>\x00"}).status_code == 200


def test_odd_training_periods_are_a_422_with_the_message(client, world):
    make_event(world.trainer)
    client.force_login(world.supervisor)
    today = timezone.localdate()
    period = {"start": today.replace(month=1, day=1).isoformat(), "end": today.isoformat()}
    for params in [
        {"start": "2026-13-45", "end": "x", "by": "decade"},
        {"start": "garbage"},
        {"start": ""},
        {"start": "2026-02-30", "end": "2026-03-01"},
        {"start": "0001-01-01", "end": "9999-12-31"},
        {"start": "\x00", "end": today.isoformat()},
        {"start": today.isoformat(), "end": (today - timedelta(days=1)).isoformat()},  # ends before it starts
        {"start": (today - timedelta(days=366 * 11)).isoformat(), "end": today.isoformat()},  # over ten years
        {**period, "by": "decade"},
        {**period, "by": "month\x00"},
    ]:
        response = client.get("/training/results/", params)
        assert response.status_code == 422, params
        assert response.context["form"].errors, params
    for by in ("", "year", "quarter", "month"):
        assert client.get("/training/results/", {**period, "by": by, "page": "abc"}).status_code == 200, by


REPORT_PERIOD = "/reports/request/training_evaluation/0/"


def test_a_training_report_over_an_odd_period_is_refused_and_queues_nothing(client, world):
    make_event(world.trainer)
    client.force_login(world.director)
    today = timezone.localdate()
    for params in [
        {},
        {"start": "2026-13-45", "end": "x", "by": "decade"},
        {"start": "2026-02-30", "end": "2026-03-01"},
        {"start": today.isoformat(), "end": (today - timedelta(days=1)).isoformat()},
        {"start": (today - timedelta(days=366 * 11)).isoformat(), "end": today.isoformat()},
        {"start": "0001-01-01", "end": "9999-12-31"},
        {"start": f"{today.isoformat()}\x00", "end": today.isoformat()},
        {"start": "\x00", "end": "\x00", "by": "\x00"},
        {"start": today.isoformat(), "end": today.isoformat(), "by": ["month", "decade"]},
    ]:
        expected = [str(m) for errors in PeriodForm(QueryDict(urlencode(params, doseq=True))).errors.values()
                    for m in errors]  # fmt: skip
        assert expected, params
        plain = client.post(REPORT_PERIOD, params, follow=True)
        shown = [str(message) for message in plain.context["messages"]]
        htmx = client.post(REPORT_PERIOD, params, headers={"HX-Request": "true"})

        assert plain.redirect_chain == [("/", 302)], params
        assert shown == [" ".join(expected)], params
        assert htmx.status_code == 422, params
        assert all(escape(message) in htmx.text for message in expected), params
    assert not ReportJob.objects.exists()
    # A reader who may not see the results is not told what was wrong with the period.
    client.force_login(world.specialist)
    assert client.post(REPORT_PERIOD, {"start": "garbage"}).status_code == 404
    assert not ReportJob.objects.exists()


def test_odd_training_report_targets_are_404(client, world):
    client.force_login(world.director)
    today = timezone.localdate().isoformat()
    for url in [
        "/reports/request/training_evaluation/1/",
        "/reports/request/training_evaluation/99999999999999999999/",
        "/reports/request/training_event_evaluation/0/",
        "/reports/request/training_event_evaluation/99999999999999999999/",
    ]:
        assert client.post(url, {"start": today, "end": today}).status_code == 404, url
    assert not ReportJob.objects.exists()


def test_odd_survey_links_are_404_for_anyone(client, world):
    event = make_event(world.trainer)  # ended an hour ago: the survey after it is open
    token = event.survey_token
    for url in [
        "/s/x/",
        "/s/aaaaaaaaaaaaaaaa/",
        f"/s/{token[:-1]}/",
        f"/s/{token}{'a' * 40}/",
        "/s/aaaaaaaaaaaaaaaaaaaa%00/",
        f"/s/{token}%00/post/",
        f"/s/{token}/nope/",
        f"/s/{token}/POST/",
        f"/s/{token}/pre/nope/",
        f"/s/{token}/post/thanks%00/",
        f"/s/{token}/post/thanks/more/",
        "/s/' OR '1'='1' --/post/",
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code in {404, 405}, url
    # The survey before the training closed when it ended; a device cookie of the wrong shape is
    # treated as none, and a new one is given.
    assert client.get(f"/s/{token}/pre/").status_code == 410
    client.cookies[DEVICE_COOKIE] = "\x00" * 20
    assert client.get(f"/s/{token}/post/", {"page": "\x00"}).status_code == 200
    assert len(client.cookies[DEVICE_COOKIE].value) >= 16
