import io
from datetime import timedelta

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError
from pypdf import PdfReader

from bloom.audit.models import AccessLogEntry
from bloom.reports import services
from bloom.reports.models import ReportJob
from bloom.reports.pdf import fetch_static_only
from bloom.reports.tasks import build_report
from cases import services as case_services
from tests.objects import finished


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def request_face_sheet(client, case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("reports:request", args=["case_face_sheet", case.pk]))
    assert len(callbacks) == 1  # the build is queued only once the request commits
    return response, ReportJob.objects.get()


def test_face_sheet_is_built_and_downloaded_with_access_log(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.specialist)
    response, job = request_face_sheet(client, world.case_a, django_capture_on_commit_callbacks)

    services.run_report_job(job.pk)
    job.refresh_from_db()
    download = client.get(reverse("reports:download", args=[job.public_id]))

    assert response.status_code == 302
    assert (job.status, job.progress) == ("done", 100)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(download.streaming_content))
    assert world.case_a.survivor.client_code in text
    assert "Alma Alpha" in text
    actions = list(AccessLogEntry.objects.order_by("pk").values_list("user", "action"))
    assert actions == [(world.specialist.pk, "print"), (world.specialist.pk, "download")]


def test_htmx_request_returns_the_polling_partial(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.specialist)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("reports:request", args=["case_face_sheet", world.case_a.pk]), headers={"HX-Request": "true"}
        )
    job = ReportJob.objects.get()

    poll = client.get(reverse("reports:job", args=[job.public_id]), headers={"HX-Request": "true"})

    assert b'hx-trigger="load delay:1s"' in response.content
    assert b"<html" not in poll.content
    assert b"Waiting to start" in poll.content


@pytest.mark.parametrize("persona", ["colleague", "outsider", "finance", "outreach", "volunteer", "trainer"])
def test_nobody_else_can_poll_or_download_the_pdf(client, world, persona, django_capture_on_commit_callbacks):
    client.force_login(world.specialist)
    _response, job = request_face_sheet(client, world.case_a, django_capture_on_commit_callbacks)
    finished(job)
    client.force_login(world.everyone()[persona])

    assert client.get(reverse("reports:job", args=[job.public_id])).status_code == 404
    assert client.get(reverse("reports:download", args=[job.public_id])).status_code == 404


def test_download_is_refused_once_the_case_is_reassigned_away(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.specialist)
    _response, job = request_face_sheet(client, world.case_a, django_capture_on_commit_callbacks)
    finished(job)

    case_services.assign_case(world.case_a, by=world.supervisor, specialists=[world.colleague])

    assert client.get(reverse("reports:download", args=[job.public_id])).status_code == 404


def test_build_fails_cleanly_when_access_was_lost_before_it_ran(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.specialist)
    _response, job = request_face_sheet(client, world.case_a, django_capture_on_commit_callbacks)
    case_services.assign_case(world.case_a, by=world.supervisor, specialists=[])

    services.run_report_job(job.pk)

    job.refresh_from_db()
    assert (job.status, bool(job.file)) == ("failed", False)


def test_running_a_job_twice_or_a_missing_job_is_harmless(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.specialist)
    _response, job = request_face_sheet(client, world.case_a, django_capture_on_commit_callbacks)
    services.run_report_job(job.pk)
    job.refresh_from_db()
    first_file = job.file.name

    services.run_report_job(job.pk)
    services.run_report_job(987654321)

    job.refresh_from_db()
    assert job.file.name == first_file


def test_expired_report_files_are_deleted(client, world, django_capture_on_commit_callbacks, settings):
    client.force_login(world.specialist)
    _response, job = request_face_sheet(client, world.case_a, django_capture_on_commit_callbacks)
    finished(job)
    storage, name = job.file.storage, job.file.name

    assert services.purge_expired_reports(now=timezone.now()) == 0
    assert services.purge_expired_reports(now=timezone.now() + settings.BLOOM_REPORT_RETENTION + timedelta(1)) == 1

    job.refresh_from_db()
    assert (job.status, storage.exists(name)) == ("expired", False)
    assert client.get(reverse("reports:download", args=[job.public_id])).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/tracker.png",
        "file:///etc/passwd",
        "https://bloom.invalid/etc/passwd",
        "https://bloom.invalid/static/../bloom/settings.py",
        "https://bloom.invalid/static/css/missing.css",
        "data:text/plain,hello",
    ],
)
def test_pdf_renderer_fetches_nothing_but_our_static_files(url):
    with pytest.raises(ValueError, match=r"Blocked|No such"):
        fetch_static_only(url)


def test_pdf_renderer_serves_our_stylesheet():
    body, content_type = fetch_static_only("https://bloom.invalid/static/css/pdf.css")

    assert content_type == "text/css"
    assert b"@page" in body


def test_pdf_renderer_finds_the_hashed_stylesheet_of_production(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    hashed = staticfiles_storage.url("css/pdf.css")

    body, content_type = fetch_static_only(f"https://bloom.invalid{hashed}")

    assert hashed != "/static/css/pdf.css"
    assert (content_type, b"@page" in body) == ("text/css", True)
    with pytest.raises(ValueError, match="No such"):
        fetch_static_only("https://bloom.invalid/static/staticfiles.json/../../settings.py")


def test_unknown_report_kind_is_404(client, world):
    client.force_login(world.director)

    response = client.post(reverse("reports:request", args=["everything", world.case_a.pk]))

    assert response.status_code == 404


def test_a_lost_build_is_started_again_but_a_running_one_is_left_alone(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.specialist)
    _response, job = request_face_sheet(client, world.case_a, django_capture_on_commit_callbacks)
    ReportJob.objects.filter(pk=job.pk).update(status="running", started=timezone.now())

    services.run_report_job(job.pk)
    assert ReportJob.objects.get(pk=job.pk).status == "running"

    ReportJob.objects.filter(pk=job.pk).update(started=timezone.now() - services.BUILD_LEASE - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=False):
        assert services.dispatch_waiting_reports() == 1
    services.run_report_job(job.pk)
    assert ReportJob.objects.get(pk=job.pk).status == "done"


def test_waiting_jobs_are_sent_again_once_they_are_a_minute_old(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.specialist)
    _response, job = request_face_sheet(client, world.case_a, django_capture_on_commit_callbacks)

    assert services.dispatch_waiting_reports() == 0
    ReportJob.objects.filter(pk=job.pk).update(created=timezone.now() - timedelta(minutes=2))
    assert services.dispatch_waiting_reports() == 1


def test_request_succeeds_when_the_broker_is_unreachable(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Connection refused")

    # The broker is the process boundary: refuse the connection there.
    monkeypatch.setattr(build_report, "apply_async", broker_down)
    client.force_login(world.specialist)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:request", args=["case_face_sheet", world.case_a.pk]))

    assert response.status_code == 302
    assert ReportJob.objects.get().status == "queued"
