"""What each field of the reports app's records is, for the privacy registry (``bloom.privacy``)."""

from bloom import privacy
from bloom.reports.models import ReportJob, SubmittedReport

privacy.register(
    ReportJob,
    identifying=("filename",),  # a face sheet's name carries the client code
    files=("file",),
    harmless=(
        "kind", "status", "error",
        "parameters",  # a period and how to group it
    ),
)  # fmt: skip

privacy.register(
    SubmittedReport,
    harmless=("kind", "figures"),  # counts keyed by codes, never names
)
