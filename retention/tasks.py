"""The daily purge, its notices, and a purge run by hand from the preview page."""

import logging

from celery import shared_task
from django.utils import timezone

from bloom.accounts.models import User
from bloom.audit.models import PurgeLogEntry
from retention import schedule
from retention.access import may_manage_retention

logger = logging.getLogger(__name__)


@shared_task(name="retention.run_purge")
def run_purge() -> int | None:
    """Purge what the retention policy says is due today; returns the purge log entry's id."""
    entry = schedule.run(today=timezone.localdate(), trigger=PurgeLogEntry.Trigger.SCHEDULE)
    logger.info("Daily purge: %s.", f"log entry {entry.pk}" if entry else "nothing was due")
    return entry.pk if entry else None


@shared_task(name="retention.send_purge_notices")
def send_purge_notices() -> int:
    sent = schedule.send_purge_notices(today=timezone.localdate())
    logger.info("Purge notices: %s new notifications.", sent)
    return sent


@shared_task(name="retention.run_purge_now")
def run_purge_now(user_id: int) -> int | None:
    """The purge run by hand by ``user_id``, who must still be allowed to when it runs."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not may_manage_retention(user):
        logger.info("Purge by hand not run: person %s is gone or may no longer run it.", user_id)
        return None
    entry = schedule.run(today=timezone.localdate(), trigger=PurgeLogEntry.Trigger.BY_HAND, by=user)
    logger.info("Purge by hand (person %s): %s.", user_id, f"log entry {entry.pk}" if entry else "nothing was due")
    return entry.pk if entry else None
