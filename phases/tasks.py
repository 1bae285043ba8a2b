import logging

from celery import shared_task

from phases.services import goals

logger = logging.getLogger(__name__)


@shared_task(name="phases.send_step_reminders")
def send_step_reminders() -> int:
    sent = goals.send_step_reminders()
    logger.info("Action step reminders: %s new notifications.", sent)
    return sent
