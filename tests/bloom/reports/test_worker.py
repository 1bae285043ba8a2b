"""A real Celery worker process builds the printouts through Redis and PostgreSQL."""

import io
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from bloom.reports import funders
from bloom.reports.models import ReportJob
from tests.factories import edit_survivor
from tests.printouts import SAFETY_PLAN, STAFF_NOTE, flat, make_safety_plan, pdf_text


@pytest.mark.worker
def test_face_sheet_job_completes_through_a_real_worker(client, committed_world, celery_worker):
    world = committed_world
    process, log = celery_worker
    client.force_login(world.specialist)

    client.post(reverse("reports:request", args=["case_face_sheet", world.case_a.pk]))
    job = ReportJob.objects.get()
    deadline = time.monotonic() + 90
    while job.is_pending and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.5)
        job.refresh_from_db()

    assert job.status == "done", log.read_text()[-3000:]
    download = client.get(reverse("reports:download", args=[job.public_id]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages)
    assert world.case_a.survivor.client_code in text


@pytest.mark.worker
def test_the_safety_plan_printout_is_built_by_a_real_worker_in_spanish(client, committed_world, celery_worker):
    world = committed_world
    process, log = celery_worker
    edit_survivor(world.case_a, by=world.specialist, preferred_language="Spanish")
    make_safety_plan(world.case_a, by=world.specialist)
    client.force_login(world.specialist)

    client.post(reverse("reports:request", args=[SAFETY_PLAN, world.case_a.pk]))
    job = ReportJob.objects.get()
    deadline = time.monotonic() + 90
    while job.is_pending and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.5)
        job.refresh_from_db()

    assert job.status == "done", log.read_text()[-3000:]
    pdf = b"".join(client.get(reverse("reports:download", args=[job.public_id])).streaming_content)
    assert "sunflower" in pdf_text(pdf)
    assert STAFF_NOTE not in flat(pdf_text(pdf))
    assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "es"


@pytest.mark.worker
def test_a_funder_report_is_built_by_a_real_worker(client, committed_world, celery_worker):
    world = committed_world
    process, log = celery_worker
    client.force_login(world.director)
    period = funders.suggested_period(funders.VICTIM_SERVICES, timezone.localdate())
    query = {"start": period.start.isoformat(), "end": period.end.isoformat(), "fund": ""}

    client.post(reverse("reports:request", args=[funders.VICTIM_SERVICES, 0]), query)
    job = ReportJob.objects.get()
    seen = {job.progress}
    deadline = time.monotonic() + 90
    while job.is_pending and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
        job.refresh_from_db()
        seen.add(job.progress)

    assert job.status == "done", log.read_text()[-3000:]
    download = client.get(reverse("reports:download", args=[job.public_id]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(b"".join(download.streaming_content))).pages)
    assert "Victim-services quarterly report" in text
    assert "People served" in text
    assert seen <= {0, 10, 20, 50, 90, 100}
