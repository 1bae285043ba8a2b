"""The same funder report asked for twice at the same moment (a double click), on real PostgreSQL.

The first request holds its transaction open after queuing its job; the second starts meanwhile,
in its own thread and connection. Without the lock in ``services.request_report`` the second would
not see the first's job yet and queue another: two PDFs of one report.
"""

import pytest

from bloom.reports import funders, services
from bloom.reports.models import ReportJob
from bloom.reports.tasks import build_report
from tests.concurrency import first_then_second

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PARAMETERS = {"start": "2026-07-01", "end": "2026-09-30", "fund": ""}


def test_two_requests_at_once_queue_one_job(committed_world, monkeypatch):
    world = committed_world
    monkeypatch.setattr(build_report, "apply_async", lambda **kwargs: None)  # the broker: the process boundary

    def ask():
        job, _definition = services.request_report(
            by=world.director, kind=funders.VICTIM_SERVICES, target_id=0, parameters=PARAMETERS
        )
        return job.pk

    results, errors = first_then_second(ask, ask)

    job = ReportJob.objects.get()
    assert results == [job.pk]
    assert [(type(error), error.job.pk) for error in errors] == [(services.AlreadyAsked, job.pk)]
