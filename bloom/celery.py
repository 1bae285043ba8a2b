"""The Celery application and the project's only beat schedule.

Periodic tasks compute what is due from the database and write rows idempotently, so a
missed run is caught up by the next one and two beats at once make no duplicates.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bloom.settings")

app = Celery("bloom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Every hour, at ten past: the specialists of an active case no one has reached for its
    # contact cadence (14 days unless the case says otherwise) get a reminder, once per
    # quiet spell.
    "send-contact-reminders": {
        "task": "cases.send_contact_reminders",
        "schedule": crontab(minute=10),
    },
    # Every day at 8:00: the supervisors of a minor's case with no DCF Careline report
    # recorded are reminded (once a day, until it is recorded).
    "send-careline-reminders": {
        "task": "cases.send_careline_reminders",
        "schedule": crontab(minute=0, hour=8),
    },
    # Every day at 7:30: the assigned specialists of an active case are told about each
    # release of information expiring within Release.EXPIRY_NOTICE_DAYS (once per release).
    "send-release-expiry-reminders": {
        "task": "cases.send_release_expiry_reminders",
        "schedule": crontab(minute=30, hour=7),
    },
    # Every day at 7:45: the assigned specialists of an active case (with nobody assigned, its
    # team's supervisors) are told about each action step on an open goal whose due date has
    # passed (once per step and due date; marking it done or moving its due date settles it).
    "send-step-reminders": {
        "task": "phases.send_step_reminders",
        "schedule": crontab(minute=45, hour=7),
    },
    # Every day at 7:50: the assigned specialists of an active case whose current safety
    # plan is due for review (from a week before the review date) are told, once per
    # plan version; saving a new version settles the notice.
    "send-safety-review-reminders": {
        "task": "cases.send_safety_review_reminders",
        "schedule": crontab(minute=50, hour=7),
    },
    # Every day at 7:55: the assigned specialists of a case (with nobody assigned, its team's
    # supervisors) are told when an emergency shelter stay is two weeks, or a transitional
    # stay thirty days, from its limit, and again once the limit has passed (once each per
    # stay); ending the stay settles them.
    "send-housing-reminders": {
        "task": "assistance.send_housing_reminders",
        "schedule": crontab(minute=55, hour=7),
    },
    # Every minute: report jobs still waiting to start (the broker was down when they
    # were asked for, or a worker was lost) are sent again.
    "dispatch-waiting-reports": {
        "task": "reports.dispatch_waiting_reports",
        "schedule": crontab(),
    },
    # Every hour, at twenty past: the marks that let one device answer a training survey
    # once (keyed digests of its cookie and address) are deleted for every survey that has
    # closed; nothing about who answered outlives the survey.
    "forget-survey-marks": {
        "task": "training.forget_survey_marks",
        "schedule": crontab(minute=20),
    },
    # Every fifteen minutes: generated report files older than BLOOM_REPORT_RETENTION
    # are deleted from disk.
    "purge-expired-reports": {
        "task": "reports.purge_expired_reports",
        "schedule": crontab(minute="*/15"),
    },
    # Every day at 3:30, when no one is working (and outside the hour a change of clock skips
    # or repeats): what the retention policy says is due, and no hold stops, is purged, and what
    # was kept for a grant audit once its award's retention has ended; what a run takes is
    # written to the purge log. A missed day is caught up by the next run.
    "run-purge": {
        "task": "retention.run_purge",
        "schedule": crontab(minute=30, hour=3),
    },
    # Every day at 7:40: the assigned specialists and the team's supervisors of a case are told
    # when part of it will be purged within 30 days (once per case and day); a hold settles it.
    "send-purge-notices": {
        "task": "retention.send_purge_notices",
        "schedule": crontab(minute=40, hour=7),
    },
}
