"""What each field of a notification is, for the privacy registry (``bloom.privacy``)."""

from bloom import privacy
from bloom.notifications.models import Notification

privacy.register(
    Notification,
    # What a message says: client codes, names of staff, where a person asking for help was met.
    identifying=("data",),
    harmless=("kind", "url", "dedupe_key"),  # the url and the key are made of ids, kinds and dates
)
