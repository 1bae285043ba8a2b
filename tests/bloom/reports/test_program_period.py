"""The period and award of a funder or program report: one form, each bad input refused beside its field."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from bloom.forms import years_after
from bloom.reports import funders
from bloom.reports.figures import Period, quarter_of
from bloom.reports.forms import ProgramReportForm
from tests.factories import make_fund

pytestmark = pytest.mark.clock


def bound(start, end, fund="") -> ProgramReportForm:
    return ProgramReportForm({"start": str(start), "end": str(end), "fund": str(fund)})


def test_the_last_complete_quarter_is_taken_as_it_is(db):
    suggested = funders.suggested_period(funders.VICTIM_SERVICES, timezone.localdate())
    form = ProgramReportForm.for_period(suggested)

    assert form.is_valid(), form.errors
    assert (form.period(), form.award(), form.cut_to_today) == (suggested, None, False)


def test_a_period_that_ends_before_it_starts_is_refused_beside_its_end(db):
    today = timezone.localdate()

    form = bound(today - timedelta(days=10), today - timedelta(days=11))

    assert form.errors == {"end": ["The period ends before it starts."]}


def test_a_period_longer_than_five_years_is_refused(db):
    end = timezone.localdate() - timedelta(days=1)
    start = end - timedelta(days=5 * 366)

    form = bound(start, end)

    assert form.errors == {"end": ["Choose a period of at most five years."]}


def test_five_years_to_the_day_are_allowed_and_a_day_more_is_not(db):
    today = timezone.localdate()
    start = today.replace(day=1) - timedelta(days=5 * 366)

    five = bound(start, years_after(start, 5) - timedelta(days=1))
    more = bound(start, years_after(start, 5))

    assert five.is_valid(), five.errors
    assert more.errors == {"end": ["Choose a period of at most five years."]}


def test_a_period_that_starts_in_the_future_is_refused_beside_its_start(db):
    tomorrow = timezone.localdate() + timedelta(days=1)

    form = bound(tomorrow, tomorrow + timedelta(days=30))

    assert form.errors == {"start": ["A period cannot start in the future. Choose a day up to today."]}


@pytest.mark.parametrize("ahead", [1, 45, 3_000_000])
def test_an_end_after_today_is_cut_to_today_with_a_notice(db, ahead):
    today = timezone.localdate()
    end = date(9999, 12, 31) if ahead > 1_000_000 else today + timedelta(days=ahead)

    form = bound(today.replace(day=1), end)

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["end"], form.cut_to_today) == (today, True)
    assert "the figures count up to today" in form.cut_notice


def test_the_current_quarter_runs_to_today(db):
    today = timezone.localdate()
    quarter = quarter_of(today)

    form = ProgramReportForm.for_period(quarter)

    assert form.is_valid(), form.errors
    assert form.period() == Period(quarter.start, today)
    assert form.cut_to_today is (quarter.end > today)


def test_an_award_that_does_not_exist_is_refused_beside_the_award(db):
    today = timezone.localdate()

    form = bound(today - timedelta(days=30), today, fund=987_654_321)

    assert form.errors == {"fund": ["There is no such award. Choose one from the list, or every case."]}


def test_a_real_award_is_read(world):
    fund = make_fund(world.director)
    today = timezone.localdate()

    form = bound(today - timedelta(days=30), today, fund=fund.pk)

    assert form.is_valid(), form.errors
    assert form.award() == fund
    assert form.parameters()["fund"] == fund.pk


@pytest.mark.parametrize(
    ("start", "end", "errors"),
    [
        ("1999-12-31", "2000-06-30", {"start": ["Enter a date from 01/01/2000 to {last}."]}),
        ("2025-02-30", "2025-06-30", {"start": ["Enter a date, like 2025-10-01."]}),
        ("", "", {"start": ["Enter the first day."], "end": ["Enter the last day."]}),
        (
            "30/06/2025",
            "2025-13-01",
            {"start": ["Enter a date, like 2025-10-01."], "end": ["Enter a date, like 2026-09-30."]},
        ),
    ],
)
def test_days_that_are_no_days_of_the_program_are_refused(db, start, end, errors):
    form = bound(start, end)

    last = (timezone.localdate() + timedelta(days=366)).strftime("%m/%d/%Y")
    assert form.errors == {field: [m.format(last=last) for m in messages] for field, messages in errors.items()}


def test_every_message_is_beside_its_own_field_at_once(db):
    tomorrow = timezone.localdate() + timedelta(days=1)

    form = bound(tomorrow, "not a day", fund="x")

    assert set(form.errors) == {"start", "end", "fund"}


def test_the_parameters_bind_the_form_again_to_the_same_report(world):
    fund = make_fund(world.director)
    first = bound("2026-01-01", "2026-03-31", fund=fund.pk)
    assert first.is_valid(), first.errors

    again = ProgramReportForm(first.parameters())

    assert again.is_valid(), again.errors
    assert (again.period(), again.award()) == (first.period(), fund)


def test_the_victim_services_report_counts_within_one_fiscal_year():
    form = ProgramReportForm({"start": "2025-07-01", "end": "2025-12-31", "fund": ""}, kind="victim-services-quarterly")
    other = ProgramReportForm({"start": "2025-07-01", "end": "2025-12-31", "fund": ""}, kind="hhs-quarterly")

    assert form.is_valid() is False
    assert form.errors["end"] == [
        "This report counts within one federal fiscal year (October to September): end by Sept. 30, 2025, "
        "or start on October 1 or later."
    ]
    assert other.is_valid() is True
