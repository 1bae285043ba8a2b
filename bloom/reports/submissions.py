"""Submitted reports: the figures as the director sent them to the funder, kept for good.

A report made again for the same period later counts late entries and corrections, so the
page compares it with what was submitted (``changes_since``). Submitting again keeps both.
Figures are counts under stable keys, never a name or an id (``figures.Report.figures``).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from assistance.models import Fund
from bloom.accounts.models import User
from bloom.reports.figures import Period, Report, shown
from bloom.reports.models import SubmittedReport
from bloom.said import Said
from bloom.writes import save
from cases.models import FunderCode, FunderScheme
from cases.services.catalogue import record_codes_reported

PERMISSION = "reports.produce_program_reports"

# The reports whose services table counts under a funder's codes (its rows are keyed by code).
SCHEME_OF = {"victim-services-quarterly": FunderScheme.VICTIM_SERVICES, "hhs-quarterly": FunderScheme.HHS}
SERVICES_TABLE = "services"


def may_produce(user: User) -> bool:
    """Whether ``user`` may make, export and submit the funder and program reports (every case counted)."""
    return user.is_active and user.has_perm(PERMISSION)


# Reads -----------------------------------------------------------------------------------------


def submissions_for(user: User) -> QuerySet[SubmittedReport]:
    """Every submitted report for one who may produce them; none for anyone else."""
    if not may_produce(user):
        return SubmittedReport.objects.none()
    return SubmittedReport.objects.select_related("submitted_by", "fund")


def submissions_of(user: User, *, kind: str, period: Period, fund: Fund | None) -> QuerySet[SubmittedReport]:
    """The submissions of exactly this report (kind, period and award), the latest first."""
    return submissions_for(user).filter(kind=kind, period_start=period.start, period_end=period.end, fund=fund)


def latest_submissions(user: User) -> dict[str, SubmittedReport]:
    """Each kind's latest submission, whatever its period, in one query."""
    latest = SubmittedReport.objects.filter(kind=OuterRef("kind")).order_by("-submitted_at", "-pk").values("pk")[:1]
    return {submission.kind: submission for submission in submissions_for(user).filter(pk=Subquery(latest))}


@dataclass(frozen=True)
class Change:
    """One cell whose count is not what was submitted."""

    table: str
    row: str
    column: str
    submitted: str  # as shown; "—" where the cell was not in the report
    now: str


NOT_THERE = "\u2014"


def changes_since(submission: SubmittedReport, report: Report) -> list[Change]:
    """Every cell of ``report`` whose count differs from ``submission``'s, in the report's order.

    A table, row or column that is in only one of them counts as changed, and is named by
    its key when the report no longer has it. Counts are shown as the table shows them.
    """
    then = submission.figures
    now = report.figures()
    tables = {table.key: table for table in report.tables}
    changes = []
    for table_key in [*now, *(key for key in then if key not in now)]:
        table = tables.get(table_key)
        rows_then, rows_now = then.get(table_key, {}), now.get(table_key, {})
        row_labels = {row.key: row.label for row in table.rows} if table else {}
        column_labels = dict(table.columns) if table else {}
        suppress = table.suppress_small if table else False
        for row_key in [*rows_now, *(key for key in rows_then if key not in rows_now)]:
            cells_then, cells_now = rows_then.get(row_key, {}), rows_now.get(row_key, {})
            for column_key in [*cells_now, *(key for key in cells_then if key not in cells_now)]:
                before, after = cells_then.get(column_key), cells_now.get(column_key)
                if before == after:
                    continue
                changes.append(
                    Change(
                        table=table.title if table else table_key,
                        row=row_labels.get(row_key, row_key),
                        column=column_labels.get(column_key, column_key),
                        submitted=NOT_THERE if before is None else shown(before, suppress_small=suppress),
                        now=NOT_THERE if after is None else shown(after, suppress_small=suppress),
                    )
                )
    return changes


# Writes ----------------------------------------------------------------------------------------


@transaction.atomic
def submit_report(report: Report, *, fund: Fund | None, by: User) -> SubmittedReport:
    """Keep ``report``'s figures as submitted to its funder by ``by`` now; returns the new submission.

    Raises PermissionDenied unless ``by`` may produce program reports. An earlier submission of
    the same report is kept: the new one is added beside it.
    Side effects: a history row; for a victim-services or HHS report, the funder's codes it
    counted are marked as first reported today (``cases.services.catalogue.record_codes_reported``).
    """
    if not may_produce(by):
        raise PermissionDenied
    submission = SubmittedReport(
        kind=report.kind,
        period_start=report.period.start,
        period_end=report.period.end,
        fund=fund,
        figures=report.figures(),
        submitted_by=by,
    )
    period = report.period
    save(submission, by=by, reason=Said("report.submitted", kind=report.kind, start=period.start, end=period.end))
    record_codes_counted(report, by=by)
    return submission


def codes_counted(report: Report) -> list[FunderCode]:
    """The funder's codes ``report`` counted something under (none for a report without codes)."""
    scheme = SCHEME_OF.get(report.kind)
    services = next((table for table in report.tables if table.key == SERVICES_TABLE), None)
    if scheme is None or services is None:
        return []
    counted = [row.key for row in services.rows if any(row.counts)]
    return list(FunderCode.objects.filter(scheme=scheme, code__in=counted))


def record_codes_counted(report: Report, *, by: User) -> None:
    """Mark the codes ``report`` counted under as reported today, so they can no longer be renamed."""
    if codes := codes_counted(report):
        record_codes_reported(codes, on=timezone.localdate(), by=by)
