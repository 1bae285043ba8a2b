import logging

from celery import shared_task

from cases import services

logger = logging.getLogger(__name__)


@shared_task(name="cases.send_contact_reminders")
def send_contact_reminders() -> int:
    created = services.send_contact_reminders()
    logger.info("Contact reminders: %s new notifications.", created)
    return created


@shared_task(name="cases.send_careline_reminders")
def send_careline_reminders() -> int:
    sent = services.send_careline_reminders()
    logger.info("Careline reminders: %s new notifications.", sent)
    return sent


@shared_task(name="cases.send_safety_review_reminders")
def send_safety_review_reminders() -> int:
    sent = services.send_safety_review_reminders()
    logger.info("Safety plan review reminders: %s new notifications.", sent)
    return sent


@shared_task(name="cases.send_release_expiry_reminders")
def send_release_expiry_reminders() -> int:
    sent = services.send_release_expiry_reminders()
    logger.info("Release expiry reminders: %s new notifications.", sent)
    return sent
