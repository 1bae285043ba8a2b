import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone, translation

from bloom.accounts.models import User
from bloom.audit.models import AccessLogEntry
from bloom.audit.services import log_access
from bloom.reports.builders import BUILDERS
from bloom.reports.models import ReportJob
from bloom.reports.queries import jobs_for

logger = logging.getLogger(__name__)

# A build that has not finished this long after it started is taken to be lost (its
# worker died) and may be started again.
BUILD_LEASE = timedelta(minutes=10)


class AlreadyAsked(Exception):
    """The same report is still being prepared for the same person; ``job`` is that one."""

    def __init__(self, job: ReportJob, subject: object):
        super().__init__(f"{job.kind} is already being prepared")
        self.job, self.subject = job, subject


class NothingToPrint(Exception):
    """The subject has nothing for this kind of report yet; ``message`` says what to do first."""

    def __init__(self, message: str, subject: object):
        super().__init__(message)
        self.message, self.subject = message, subject


@transaction.atomic
def request_report(*, by: User, kind: str, target_id: int, parameters: dict | None = None) -> tuple[ReportJob, object]:
    """Queue a report for ``by``; returns the job and the report's subject.

    Raises Http404 when the kind is unknown or the user may not see the subject,
    NothingToPrint (queuing nothing) when the builder finds nothing to print yet, and, for a
    builder made ``one_at_a_time``, AlreadyAsked (queuing nothing) when the same person's
    same report is still being prepared.
    Side effect: the build is queued once the transaction commits.
    """
    from bloom.reports.tasks import build_report  # noqa: PLC0415 (tasks import this module)

    builder = BUILDERS.get(kind)
    if builder is None:
        raise Http404
    subject = builder.authorize(by, target_id)
    if builder.check_parameters:
        builder.check_parameters(by, subject, parameters or {})
    if builder.nothing_to_print and (message := builder.nothing_to_print(subject)):
        raise NothingToPrint(message, subject)
    parameters = parameters or {}
    if builder.one_at_a_time:
        # Two clicks that arrive together: the second waits here for the first to commit its
        # job, then finds it.
        list(User.objects.select_for_update().filter(pk=by.pk).values_list("pk", flat=True))
        if pending := latest_job(by, kind=kind, target_id=target_id, parameters=parameters, pending=True):
            raise AlreadyAsked(pending, subject)
    job = ReportJob.objects.create(kind=kind, target_id=target_id, parameters=parameters, requested_by=by)
    transaction.on_commit(lambda: enqueue(build_report, job_id=job.pk))
    return job, subject


@transaction.atomic
def request_logged(http_request, *, kind: str, target_id: int, parameters: dict) -> tuple[ReportJob, object]:
    """``request_report`` for the person signed in to ``http_request``, with its print written to
    the access log in the same transaction (when the builder is logged): no report about a
    survivor is built unless its print is in the log. Raises what ``request_report`` raises."""
    builder = BUILDERS[kind]
    job, subject = request_report(by=http_request.user, kind=kind, target_id=target_id, parameters=parameters)
    if builder.logged:
        target = job if builder.log_job else subject
        log_access(
            http_request,
            target=target,
            label=builder.label(target),
            action=AccessLogEntry.Action.PRINT,
            reason=builder.reason(parameters),
        )
    return job, subject


def latest_job(by: User, *, kind: str, target_id: int, parameters: dict, pending: bool = False) -> ReportJob | None:
    """``by``'s latest job for this report with exactly these parameters (only one still being
    prepared, if ``pending``), or None. An expired job is never given."""
    jobs = jobs_for(by).filter(kind=kind, target_id=target_id, parameters=parameters)
    if pending:
        jobs = jobs.filter(status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING])
    return jobs.exclude(status=ReportJob.Status.EXPIRED).first()


def record_export(*, by: User, kind: str, parameters: dict, filename: str) -> ReportJob:
    """A report made at once and handed over as a file (a CSV, a workbook): a finished job that
    keeps no file, so that the export has a row of its own for the access log to name."""
    now = timezone.now()
    return ReportJob.objects.create(
        kind=kind,
        target_id=0,
        parameters=parameters,
        requested_by=by,
        status=ReportJob.Status.DONE,
        progress=100,
        filename=filename,
        started=now,
        finished=now,
    )


def enqueue(task, **kwargs) -> bool:
    """Send a task to the broker; if the broker is down, log it and carry on.

    The request that queued the work still succeeds: the job stays queued in the
    database and ``dispatch_waiting_reports`` sends it again on its next run.
    """
    try:
        task.apply_async(kwargs=kwargs, retry=False)
    except Exception:
        logger.warning("Could not reach the broker for %s(%s); it will be sent again later.", task.name, kwargs)
        return False
    return True


def dispatch_waiting_reports(*, older_than=timedelta(minutes=1)) -> int:
    """Send again every job still waiting to start; returns how many were sent.

    Building is idempotent, so a job that was only slow to start is harmless to send twice.
    """
    from bloom.reports.tasks import build_report  # noqa: PLC0415 (tasks import this module)

    now = timezone.now()
    waiting = ReportJob.objects.filter(
        Q(status=ReportJob.Status.QUEUED, created__lt=now - older_than)
        | Q(status=ReportJob.Status.RUNNING, started__lt=now - BUILD_LEASE)
    )
    return sum(enqueue(build_report, job_id=pk) for pk in waiting.values_list("pk", flat=True))


def run_report_job(job_id: int) -> None:
    """Build the report of a queued job and attach its file. Safe to run twice.

    Access is checked again as the person who asked: if they lost sight of the subject
    since, the job fails and nothing is written.
    """
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            logger.info("Report job %s is gone; nothing to build.", job_id)
            return
        now = timezone.now()
        lost = job.status == ReportJob.Status.RUNNING and job.started and job.started < now - BUILD_LEASE
        if job.status != ReportJob.Status.QUEUED and not lost:
            logger.info("Report job %s is already %s.", job_id, job.status)
            return
        job.status, job.progress, job.started = ReportJob.Status.RUNNING, 10, now
        job.save(update_fields=["status", "progress", "started"])

    def progress(percent: int) -> None:
        ReportJob.objects.filter(pk=job.pk).update(progress=percent)

    builder = BUILDERS[job.kind]
    try:
        subject = builder.authorize(job.requested_by, job.target_id)
        extra = {"parameters": job.parameters} if builder.read_parameters else {}
        # In the language of the person who asked (a survivor's printout switches to theirs inside).
        with translation.override(job.requested_by.language):
            filename, content = builder.build(subject, requested_by=job.requested_by, progress=progress, **extra)
    except Http404:
        _finish(job, status=ReportJob.Status.FAILED, error="no_access")
        return
    except Exception:
        logger.exception("Report job %s failed.", job.pk)
        _finish(job, status=ReportJob.Status.FAILED, error="failed")
        return
    if job.file:
        job.file.delete(save=False)  # a lost build's leftover: one file per job
    job.file.save(f"{job.public_id}.pdf", ContentFile(content), save=False)
    job.filename = filename
    _finish(job, status=ReportJob.Status.DONE)


def _finish(job: ReportJob, *, status: str, error: str = "") -> None:
    job.status, job.error, job.progress, job.finished = status, error, 100, timezone.now()
    job.save(update_fields=["status", "error", "progress", "finished", "file", "filename"])


def purge_expired_reports(*, now=None) -> int:
    """Delete report files older than the retention period; returns how many were removed."""
    cutoff = (now or timezone.now()) - settings.BLOOM_REPORT_RETENTION
    expired = ReportJob.objects.filter(Q(finished__lt=cutoff) | Q(finished__isnull=True, created__lt=cutoff)).exclude(
        status=ReportJob.Status.EXPIRED
    )
    count = 0
    for job in expired.iterator():
        if job.file:
            job.file.delete(save=False)
        job.status = ReportJob.Status.EXPIRED
        job.save(update_fields=["status", "file"])
        count += 1
    return count
