"""queries.activity and queries.with_counts: sessions and attendees by audience and by period, with
the count given on the event, else the sign-in list's."""

from datetime import date

import pytest

from tests.factories import enter_survey
from tests.training.support import at, attendee
from training import queries, services
from training.models import TrainingEvent


def sign_in(event, by, *names):
    for name in names:
        services.add_attendee(event, by=by, details=attendee(name))


@pytest.fixture
def events(world, course) -> dict[str, TrainingEvent]:
    """Five events from December 2024 to April 2025; the attendees of each are in the comments."""
    by = world.trainer
    made = {
        # 20: the count given.
        "january": course.event(starts_at=at(date(2025, 1, 15), 9), attendee_count=20),
        # 3: no count, three on the sign-in list.
        "february": course.event(starts_at=at(date(2025, 2, 10), 9)),
        # 12: the count given wins over the two on the list.
        "april_school": course.event(starts_at=at(date(2025, 4, 3), 9), audience="school staff", attendee_count=12),
        # 7, on New Year's Eve late in the evening: already 2025 in UTC, still 2024 here.
        "new_years_eve": course.event(
            starts_at=at(date(2024, 12, 31), 20), hours=3, audience="law enforcement", attendee_count=7
        ),
        # 0: neither a count nor a list.
        "april_youth": course.event(starts_at=at(date(2025, 4, 30), 15), audience="youth"),
    }
    sign_in(made["february"], by, "Ada", "Bo", "Cy")
    sign_in(made["april_school"], by, "Dee", "Eli")
    return made


def cells(activity) -> dict[str, list[tuple[str, int, int]]]:
    """Each period's label with the (audience, sessions, attendees) of the audiences that had a session."""
    labels = [str(label) for _value, label in activity.audiences]
    return {
        period: [(label, t.sessions, t.attendees) for label, t in zip(labels, totals, strict=True) if t.sessions]
        for period, totals in activity.period_rows
    }


def test_totals_by_audience_use_the_count_given_else_the_sign_in_list(events):
    activity = queries.activity(TrainingEvent.objects.all())

    assert [(str(label), t.sessions, t.attendees) for label, t in activity.by_audience] == [
        ("General", 2, 23),
        ("Law enforcement", 1, 7),
        ("School staff", 1, 12),
        ("Students", 0, 0),
        ("Youth", 1, 0),
        ("Foster parents", 0, 0),
        ("Medical and EMS", 0, 0),
    ]
    assert (activity.total.sessions, activity.total.attendees) == (5, 42)


def test_totals_by_year_in_the_programs_time_zone(events):
    activity = queries.activity(TrainingEvent.objects.all(), by="year")

    assert cells(activity) == {
        "2024": [("Law enforcement", 1, 7)],
        "2025": [("General", 2, 23), ("School staff", 1, 12), ("Youth", 1, 0)],
    }


def test_totals_by_quarter(events):
    activity = queries.activity(TrainingEvent.objects.all(), by="quarter")

    assert cells(activity) == {
        "Q4 2024": [("Law enforcement", 1, 7)],
        "Q1 2025": [("General", 2, 23)],
        "Q2 2025": [("School staff", 1, 12), ("Youth", 1, 0)],
    }


def test_totals_by_month_list_only_months_with_a_session(events):
    activity = queries.activity(TrainingEvent.objects.all(), by="month")

    assert cells(activity) == {
        "December 2024": [("Law enforcement", 1, 7)],
        "January 2025": [("General", 1, 20)],
        "February 2025": [("General", 1, 3)],
        "April 2025": [("School staff", 1, 12), ("Youth", 1, 0)],
    }


def test_totals_cover_only_the_events_given(events):
    activity = queries.activity(TrainingEvent.objects.filter(starts_at__date__gte=date(2025, 2, 1)), by="quarter")

    assert (activity.total.sessions, activity.total.attendees) == (3, 15)
    assert list(cells(activity)) == ["Q1 2025", "Q2 2025"]


def test_no_events_give_zero_totals(world):
    activity = queries.activity(TrainingEvent.objects.none())

    assert (activity.total.sessions, activity.total.attendees, activity.periods) == (0, 0, [])
    assert {t.sessions for _label, t in activity.by_audience} == {0}


def test_each_event_has_its_headcount_and_surveys_per_phase(world, events):
    february = events["february"]
    enter_survey(february, world.trainer, phase="pre")
    enter_survey(february, world.trainer, phase="post")
    services.set_aside(enter_survey(february, world.trainer, phase="post"), by=world.trainer)

    counted = {
        e.pk: (e.headcount, e.surveys_before, e.surveys_after) for e in queries.with_counts(TrainingEvent.objects.all())
    }

    assert counted[february.pk] == (3, 1, 1)
    assert counted[events["april_school"].pk] == (12, 0, 0)
    assert counted[events["april_youth"].pk] == (0, 0, 0)
