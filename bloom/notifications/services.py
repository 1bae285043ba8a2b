from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from bloom.accounts.models import User
from bloom.notifications.models import Notification
from bloom.notifications.queries import note_written


@dataclass(frozen=True)
class Notice:
    recipient_id: int
    kind: str
    data: dict
    url: str
    dedupe_key: str


def notify(notices: Iterable[Notice]) -> int:
    """Write the notifications not already written; return about how many are new.

    Safe to call twice with the same notices, or from two processes at once: the unique
    (recipient, dedupe_key) constraint lets the database drop the duplicates. The count
    is for the log; two runs at the same moment may both count the same rows.
    Side effect: a header already loaded in this process is asked for again.
    """
    notices = list(notices)
    if not notices:
        return 0
    note_written()
    before = Notification.objects.filter(dedupe_key__in={n.dedupe_key for n in notices}).count()
    Notification.objects.bulk_create(
        [Notification(**vars(n)) for n in notices],
        ignore_conflicts=True,
        batch_size=500,
    )
    after = Notification.objects.filter(dedupe_key__in={n.dedupe_key for n in notices}).count()
    return after - before


@transaction.atomic
def mark_read(user: User, *, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications read, or all of them when no id is given.

    Side effect: a header already loaded in this process is asked for again.
    """
    note_written()
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def settle(*, dedupe_prefix: str) -> int:
    """Mark read every unread notification whose key starts with ``dedupe_prefix``: what it asked for is done.

    Side effect: a header already loaded in this process is asked for again.
    """
    note_written()
    return Notification.objects.filter(dedupe_key__startswith=dedupe_prefix, read_at__isnull=True).update(
        read_at=timezone.now()
    )
