import logging

from celery import shared_task

from training import services

logger = logging.getLogger(__name__)


@shared_task(name="training.forget_survey_marks")
def forget_survey_marks() -> int:
    deleted = services.forget_marks()
    logger.info("Survey link marks of closed surveys deleted: %s.", deleted)
    return deleted
