import logging

from celery import shared_task

from assistance.services import housing

logger = logging.getLogger(__name__)


@shared_task(name="assistance.send_housing_reminders")
def send_housing_reminders() -> int:
    sent = housing.send_limit_reminders()
    logger.info("Housing limit reminders: %s new notifications.", sent)
    return sent
