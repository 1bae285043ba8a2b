"""A funder report marked as submitted: its figures kept with who and when, later runs compared with
them cell by cell, both kept when submitted again, and the funder's codes it counted marked."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from bloom.accounts.models import Role
from bloom.reports import submissions
from bloom.reports.figures import Report, Row, Table
from bloom.reports.models import SubmittedReport
from cases.models import FunderCode, FunderScheme
from tests.bloom.reports.program import (
    QUARTER,
    QUERY,
    VS,
    page_url,
)
from tests.factories import make_fund, make_user


def submit(client, query=QUERY):
    return client.post(reverse("reports:program_submit", args=[VS]), query)


def test_marking_as_submitted_keeps_the_figures_who_and_when(director, world, counted):
    response = submit(director)

    submission = SubmittedReport.objects.get()
    assert response["Location"] == f"{page_url()}?start=2026-07-01&end=2026-09-30&fund="
    assert (submission.kind, submission.period_start, submission.period_end, submission.fund) == (
        VS, QUARTER.start, QUARTER.end, None,
    )  # fmt: skip
    assert submission.figures == counted(QUARTER).figures()
    assert (submission.submitted_by, submission.submitted_at) == (world.director, timezone.now())
    history = submission.history.get()
    assert (history.history_user, history.history_change_reason) == (
        world.director, 'report.submitted|["victim-services-quarterly","2026-07-01","2026-09-30"]',
    )  # fmt: skip


def test_the_page_says_nothing_changed_since_it_was_submitted(director, counted):
    submit(director)

    html = director.get(page_url(), QUERY).content.decode()

    assert "Nothing has changed since you submitted it on" in html


def test_a_submission_by_another_director_is_named(director, world, counted):
    other = make_user(Role.PROGRAM_DIRECTOR, full_name="Pat Other")
    submissions.submit_report(counted(QUARTER), fund=None, by=other)
    day = date_format(timezone.localdate(), "DATE_FORMAT")

    page = director.get(page_url(), QUERY).content.decode()
    index = director.get(reverse("reports:program_reports")).content.decode()

    assert f"Nothing has changed since it was submitted on {day} by Pat Other." in page
    assert f"{day} by Pat Other, for July 1, 2026 to Sept. 30, 2026" in index


def test_the_page_shows_each_cell_that_changed_since_it_was_submitted(director, counted):
    submit(director)
    counted.people = 13

    response = director.get(page_url(), QUERY)

    assert "Changed since you submitted it on" in response.content.decode()
    assert [(c.table, c.row, c.column, c.submitted, c.now) for c in response.context["changes"]] == [
        ("People served", "People served (unduplicated)", "People", "12", "13")
    ]


def test_a_submission_of_another_period_or_award_is_not_compared(director, world, counted):
    submit(director)
    fund = make_fund(world.director)

    other_period = director.get(page_url(), {**QUERY, "start": "2026-08-01"})
    other_award = director.get(page_url(), {**QUERY, "fund": fund.pk})

    assert other_period.context["submissions"] == other_award.context["submissions"] == []
    assert "Nothing has changed since" not in other_period.content.decode()


def test_submitting_again_keeps_both(director, counted):
    submit(director)
    counted.people = 13
    submit(director)

    submitted = list(SubmittedReport.objects.order_by("pk").values_list("figures__people__total__people", flat=True))
    html = director.get(page_url(), QUERY).content.decode()

    assert submitted == [12, 13]
    assert "Nothing has changed since you submitted it on" in html
    assert "Submitted before:" in html


def test_a_submission_of_no_period_is_refused_and_keeps_nothing(director, counted):
    response = submit(director, {"start": "2026-09-30", "end": "2026-07-01"})

    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()
    assert SubmittedReport.objects.count() == 0


def test_changes_name_cells_that_came_or_went_by_their_keys():
    report = Report(VS, "R", QUARTER, (Table("people", "People served", (("people", "People"),), (
        Row("total", "Total", (5,)),
        Row("new", "New", (2,)),
    )),))  # fmt: skip
    submission = SubmittedReport(figures={
        "people": {"total": {"people": 5}, "gone": {"people": 1}},
        "old-table": {"row": {"column": 3}},
    })  # fmt: skip

    changes = submissions.changes_since(submission, report)

    assert [(c.table, c.row, c.column, c.submitted, c.now) for c in changes] == [
        ("People served", "New", "People", "\u2014", "2"),
        ("People served", "gone", "People", "1", "\u2014"),
        ("old-table", "row", "column", "3", "\u2014"),
    ]


def test_a_victim_services_submission_marks_the_codes_it_counted_as_reported(director, counted):
    counted_code, idle_code = counted.codes

    submit(director)

    reported = dict(FunderCode.objects.filter(code__in=counted.codes).values_list("code", "first_reported_on"))
    assert reported == {counted_code: timezone.localdate(), idle_code: None}


def test_a_code_keeps_the_day_it_was_first_reported(director, world, counted):
    first_day = timezone.localdate()
    submit(director)
    with time_machine.travel(timezone.now() + timedelta(days=3), tick=False):
        submissions.submit_report(counted(QUARTER), fund=None, by=world.director)

    first = FunderCode.objects.get(scheme=FunderScheme.VICTIM_SERVICES, code=counted.codes[0]).first_reported_on
    assert (first, SubmittedReport.objects.count()) == (first_day, 2)
