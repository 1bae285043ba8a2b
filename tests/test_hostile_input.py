"""Requests anyone can send must get a clear answer, never a server error."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bloom.audit.models import AccessLogEntry
from tests.factories import form_errors, log_outreach


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
