"""What each field of the access log is, for the privacy registry (``bloom.privacy``)."""

from bloom import privacy
from bloom.audit.models import AccessLogEntry, PurgeLogEntry

privacy.register(
    AccessLogEntry,
    # The label is the record's client code; the address is where a member of staff was.
    identifying=("target_label", "ip_address"),
    narrative=("reason",),
    harmless=("action", "user_agent"),
)

privacy.register(
    PurgeLogEntry,
    harmless=("trigger", "policy", "counts", "cases"),  # codes, numbers and case ids
)
