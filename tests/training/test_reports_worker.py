"""The training evaluation PDFs, for an event and over a period, built by a real Celery worker and
read back as text."""

from datetime import date

import pytest

from bloom.audit.models import AccessLogEntry
from tests.factories import enter_survey, make_curriculum, make_trainer
from tests.training.support import CERTIFIED_ON, Course, at, attendee, items_of
from tests.training.test_reports import EVENT_REPORT, LISTED, PERIOD_REPORT, SIGNED_IN, TO, build, surveyed_event
from training import services


@pytest.fixture
def course(committed_world) -> Course:
    """As the package's ``course``, committed for the worker to see."""
    trainer = committed_world.trainer
    curriculum = make_curriculum(trainer)
    return Course(curriculum, make_trainer(trainer, curricula=[curriculum], certified_on=CERTIFIED_ON), trainer)


@pytest.mark.worker
def test_the_event_evaluation_pdf_has_the_averages_marks_and_no_name(client, committed_world, course, celery_worker):
    world = committed_world
    event = surveyed_event(world, course, starts_at=at(date(2025, 3, 4), 9))
    beliefs, comfort = items_of(event.instrument, "beliefs"), items_of(event.instrument, "comfort")

    text = build(client, world.trainer, EVENT_REPORT, event.pk, celery_worker)

    assert "Introduction to DMST" in text
    assert "4 surveys before and 5 after the training, from 1 event." in text
    # Knowledge 2.375 -> 4.1 (p = 0.001, **), Beliefs 4.625 -> 3.4 (p = 0.081), Comfort 6.125 -> 7.0 (p = 0.026, *).
    assert f"Knowledge (1{TO}5) 2.4 A little knowledge 4.1 Significant/advanced knowledge ** p = 0.001" in text
    assert f"Beliefs (1{TO}10, lower is better) 4.6 Depends on the situation 3.4 False p = 0.081" in text
    assert f"Comfort (1{TO}10) 6.1 Very comfortable 7.0 Very comfortable * p = 0.026" in text
    assert "Items that went the wrong way after the training" in text
    assert beliefs[1].text in text
    assert comfort[1].text[:60] in text
    assert beliefs[0].text not in text
    assert SIGNED_IN not in text
    assert "Signedin" not in text
    assert "Hartford High" not in text
    assert AccessLogEntry.objects.count() == 0


@pytest.mark.worker
def test_the_period_evaluation_pdf_has_the_totals_by_audience(client, committed_world, course, celery_worker):
    world = committed_world
    surveyed_event(world, course, starts_at=at(date(2025, 3, 4), 9), attendee_count=20)
    school = course.event(starts_at=at(date(2025, 5, 20), 9), audience="school staff")
    for name in LISTED:
        services.add_attendee(school, by=world.trainer, details=attendee(name))
    enter_survey(course.event(starts_at=at(date(2025, 7, 1), 9), attendee_count=99), world.trainer, knowledge=[5])
    period = {"start": "2025-01-01", "end": "2025-06-30", "by": "quarter"}

    text = build(client, world.supervisor, PERIOD_REPORT, 0, celery_worker, data=period)

    assert "Community training" in text
    assert "2 training sessions with 23 attendees." in text
    assert "General 1 20" in text
    assert "School staff 1 3" in text
    assert "All audiences 2 23" in text
    assert "Q1 2025" in text
    assert "Q2 2025" in text
    assert "Q3 2025" not in text
    assert "4 surveys before and 5 after the training, from 1 event." in text
    assert f"Knowledge (1{TO}5) 2.4" in text
    assert "**" in text
    assert "Items that went the wrong way" in text
    assert [name for name in (SIGNED_IN, *LISTED) if name in text] == []
