"""A real Celery worker process builds a face sheet through Redis and PostgreSQL."""

import io
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from bloom.celery import app
from bloom.reports.models import ReportJob

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def worker(transactional_db, tmp_path):
    """Start ``celery worker`` on the test database; stop it afterwards."""
    db = connection.settings_dict
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "BLOOM_PRIVATE_ROOT": str(tmp_path / "private"),
    }
    app.control.purge()
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "bloom", "worker", "--pool=solo", "--loglevel=INFO"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.worker
def test_face_sheet_job_completes_through_a_real_worker(client, world, worker, settings, tmp_path):
    process, log = worker
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path / "private", "base_url": None}},
    }
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
