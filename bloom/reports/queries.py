from bloom.accounts.models import User
from bloom.reports.models import ReportJob


def jobs_for(user: User):
    """A user sees only the report jobs they asked for."""
    return ReportJob.objects.filter(requested_by=user)


def latest_job_for(user: User, *, kind: str, target_id: int) -> ReportJob | None:
    return jobs_for(user).filter(kind=kind, target_id=target_id).exclude(status=ReportJob.Status.EXPIRED).first()
