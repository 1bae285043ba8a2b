from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, OuterRef
from django.db.models.functions import JSONObject

from bloom.accounts.models import User
from bloom.notifications.models import Notification

# The header lists this many unread notifications, and says "5+" when there are more.
HEADER_LIMIT = 5
_HEADER_FIELDS = ("id", "recipient_id", "kind", "data", "url", "dedupe_key", "created", "read_at")


def notifications_for(user: User):
    return Notification.objects.filter(recipient=user)


def unread_for(user: User):
    return notifications_for(user).filter(read_at__isnull=True)


@dataclass(frozen=True)
class Header:
    items: list[Notification]
    more: bool

    @property
    def count(self) -> int:
        return len(self.items) + self.more


class _Written:
    count = 0  # writes of notifications in this process


def note_written() -> None:
    """Count a write of notifications (every service that writes them calls this), so that a
    header loaded with the user before a view changed them is asked for again."""
    _Written.count += 1


def header_rows() -> ArraySubquery:
    """The header's unread notifications of the user ``user_ref`` points at, newest first, one
    more than it lists, as a PostgreSQL array of JSON objects: loaded with the signed-in user's
    row (``bloom.accounts.backends``), so that the header costs no query of its own."""
    unread = Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
    return ArraySubquery(
        unread.order_by(*Notification._meta.ordering).values(
            row=JSONObject(**{name: F(name) for name in _HEADER_FIELDS})
        )[: HEADER_LIMIT + 1]
    )


def attach_header(user: User, rows: list[dict]) -> None:
    """Keep on ``user`` the notifications ``header_rows`` read, as the ones ``header_for`` shows."""
    fields = {name: Notification._meta.get_field(name.removesuffix("_id")) for name in _HEADER_FIELDS}
    unread = [Notification(**{name: _python(fields[name], name, row[name]) for name in _HEADER_FIELDS}) for row in rows]
    for notification in unread:
        notification._state.adding = False
    user._bloom_header = (_Written.count, unread)


def _python(field, name, value):
    # JSON carries a date-time as text and a foreign key as its number; the rest as they are.
    if value is None or name == "data" or name.endswith("_id"):
        return value
    return field.to_python(value)


def header_for(user: User) -> Header:
    """The unread notifications the header lists for ``user``: those loaded with the user if
    nothing was written since, else asked for now."""
    loaded = getattr(user, "_bloom_header", None)
    if loaded is not None and loaded[0] == _Written.count:
        unread = loaded[1]
    else:
        unread = list(unread_for(user)[: HEADER_LIMIT + 1])
    return Header(items=unread[:HEADER_LIMIT], more=len(unread) > HEADER_LIMIT)
