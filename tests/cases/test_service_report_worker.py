"""A real Celery worker process builds a team's service report through Redis and PostgreSQL."""

import time

import pytest
from django.urls import reverse

from bloom.reports.models import ReportJob
from tests.cases.service_report_world import NARRATIVES, START, TODAY, serve
from tests.printouts import flat, pdf_text


@pytest.mark.worker
def test_a_supervisor_asks_for_the_teams_report_and_a_real_worker_builds_it(client, committed_world, celery_worker):
    world = committed_world
    process, log = celery_worker
    served = serve(world).case
    client.force_login(world.supervisor)

    response = client.post(
        reverse("cases:team_service_report", args=[world.team_a.pk]),
        {"start": START.isoformat(), "end": TODAY.isoformat()},
    )
    job = ReportJob.objects.get()
    deadline = time.monotonic() + 90
    while job.is_pending and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.5)
        job.refresh_from_db()

    assert response.status_code == 302
    assert job.status == "done", log.read_text()[-3000:]
    text = flat(pdf_text(b"".join(client.get(reverse("reports:download", args=[job.public_id])).streaming_content)))
    assert served.survivor.client_code in text
    assert world.case_a.survivor.client_code in text
    assert world.case_b.survivor.client_code not in text
    assert [phrase for phrase in NARRATIVES if phrase in text] == []
