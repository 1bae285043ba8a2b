"""A real Celery worker process builds a face sheet through Redis and PostgreSQL."""

import io
import time

import pytest
from django.urls import reverse
from pypdf import PdfReader

from bloom.reports.models import ReportJob


@pytest.mark.worker
def test_face_sheet_job_completes_through_a_real_worker(client, world, celery_worker):
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
