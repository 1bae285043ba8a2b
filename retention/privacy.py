"""What each field of the retention app's records is, for the privacy registry (``bloom.privacy``)."""

from bloom import privacy
from retention.models import DeletionRequest, Hold

privacy.register(
    Hold,
    case="case",
    narrative=("reason", "lift_note"),  # a court order's words may name people
)

privacy.register(
    DeletionRequest,
    # Kept after the deletion it asked for: the form asks for it without the survivor's details.
    narrative=("reason",),
    harmless=("why", "status"),
)
