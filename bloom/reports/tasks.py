from celery import shared_task

from bloom.reports import services


@shared_task(name="reports.build_report")
def build_report(*, job_id: int) -> None:
    services.run_report_job(job_id)


@shared_task(name="reports.purge_expired_reports")
def purge_expired_reports() -> None:
    services.purge_expired_reports()


@shared_task(name="reports.dispatch_waiting_reports")
def dispatch_waiting_reports() -> None:
    services.dispatch_waiting_reports()
