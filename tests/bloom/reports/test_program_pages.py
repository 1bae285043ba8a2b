"""The funder and program reports' pages: the list of reports, and each report for a period with
its tables, notes, bad input refused beside its field, and who may open them."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from openpyxl import load_workbook

from bloom.audit.models import AccessLogEntry
from bloom.reports import funders
from bloom.reports.figures import Period
from bloom.reports.models import SubmittedReport
from tests.bloom.reports.program import (
    QUARTER,
    QUERY,
    VS,
    export_url,
    normalized,
    page_tables,
    page_url,
)
from tests.factories import make_fund

# The pages ----------------------------------------------------------------------------------


def test_the_director_sees_the_four_reports(director):
    response = director.get(reverse("reports:program_reports"))

    assert response.status_code == 200
    html = response.content.decode()
    for kind, definition in funders.DEFINITIONS.items():
        assert f'href="{page_url(kind)}"' in html
        assert str(definition.title) in html
    assert html.count("Not yet") == 4


def test_the_list_says_when_each_report_was_last_submitted(director, world, counted):
    director.post(reverse("reports:program_submit", args=[VS]), QUERY)

    html = director.get(reverse("reports:program_reports")).content.decode()

    assert f"{date_format(timezone.localdate(), 'DATE_FORMAT')} by you, for July 1, 2026 to Sept. 30, 2026" in html
    assert html.count("Not yet") == 3


@pytest.mark.parametrize("persona", ["specialist", "supervisor", "finance", "outreach", "trainer", "administrator"])
def test_the_reports_are_refused_to_everyone_else(client, world, persona):
    client.force_login(getattr(world, persona))

    answers = {
        client.get(reverse("reports:program_reports")).status_code,
        client.get(page_url()).status_code,
        client.get(page_url("no-such-report")).status_code,
        client.get(export_url("csv"), QUERY).status_code,
        client.post(reverse("reports:program_submit", args=[VS]), QUERY).status_code,
    }

    assert answers == {403}
    assert SubmittedReport.objects.count() == 0
    assert AccessLogEntry.objects.count() == 0


def test_someone_not_signed_in_is_sent_to_sign_in(client, db):
    for url in (reverse("reports:program_reports"), page_url(), export_url("xlsx")):
        response = client.get(url)
        assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("accounts:login")), url


def test_an_unknown_report_or_format_is_not_found(director):
    assert director.get(page_url("no-such-report")).status_code == 404
    assert director.get(export_url("pdf"), QUERY).status_code == 404


def test_the_page_opens_on_the_last_complete_period(director, counted):
    response = director.get(page_url())

    suggested = funders.suggested_period(VS, timezone.localdate())
    assert response.status_code == 200
    assert counted.asked == [(suggested, None)]
    html = response.content.decode()
    assert f'value="{suggested.start.isoformat()}"' in html
    assert f'value="{suggested.end.isoformat()}"' in html


def test_an_export_without_a_period_is_of_the_last_complete_one(director, counted):
    suggested = funders.suggested_period(VS, timezone.localdate())

    response = director.get(export_url("csv"))

    assert counted.asked == [(suggested, None)]
    assert f"{suggested.start:%Y%m%d}-{suggested.end:%Y%m%d}.csv" in response["Content-Disposition"]


def test_the_page_shows_every_table_its_notes_and_small_public_cells_as_fewer_than_five(director, counted):
    response = director.get(page_url(), QUERY)

    html = response.content.decode()
    tables = page_tables(html)
    assert list(tables) == ["people", "services", "referrals"]
    assert tables["people"][1:] == [["People served (unduplicated)", "12"], ["New in the fiscal year", "1,234"]]
    assert tables["referrals"][1:] == [["2025", "fewer than 5"], ["2026", "not shown"], ['=HYPERLINK("x")', "0"]]
    assert "Fiscal year from 2025-10-01." in html
    assert "Counts from 1 to 4 are shown as fewer than 5." in html
    assert "July 1, 2026 to Sept. 30, 2026" in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "2026-07-01", "end": "2026-06-30"}, "end", "The period ends before it starts."),
        ({"start": "2020-01-01", "end": "2026-06-30"}, "end", "Choose a period of at most five years."),
        ({"start": "2099-01-01", "end": "2099-03-31"}, "start", "A period cannot start in the future."),
        ({"start": "2026-07-01", "end": "2026-09-30", "fund": "987654"}, "fund", "There is no such award."),
        ({"start": "2026-02-30", "end": "yesterday"}, "start", "Enter a date, like 2025-10-01."),
    ],
)
@pytest.mark.clock
def test_bad_input_is_shown_beside_its_field_keeping_what_was_typed(director, counted, query, field, message):
    response = director.get(page_url(), query)

    html = response.content.decode()
    assert response.status_code == 400
    assert response.context["form"].errors[field][0].startswith(message)
    assert f'id="id_{field}_error"' in html
    for name, typed in query.items():
        if name != "fund":
            assert f'name="{name}" value="{typed}"' in html
    assert counted.asked == []  # nothing is counted for a period that is not one
    assert "Mark as submitted" not in html


@pytest.mark.clock
def test_an_end_after_today_counts_to_today_and_says_so(director, counted):
    today = timezone.localdate()

    response = director.get(page_url(), {"start": today.replace(day=1).isoformat(), "end": "2099-12-31"})

    assert counted.asked == [(Period(today.replace(day=1), today), None)]
    assert "the figures count up to today" in response.content.decode()
    assert response.context["parameters"]["end"] == today.isoformat()


def test_an_award_counts_only_its_cases(director, world, counted):
    fund = make_fund(world.director, name="Harbor award", award_number="HB-7")

    response = director.get(page_url(), {**QUERY, "fund": fund.pk})

    assert counted.asked == [(QUARTER, fund)]
    assert "Harbor award (HB-7)" in response.content.decode()


def test_the_page_has_no_inline_code(director, counted):
    from tests.bloom.accounts.test_security import assert_strict_page  # noqa: PLC0415

    assert_strict_page(director.get(page_url(), QUERY), "report page")
    assert_strict_page(director.get(reverse("reports:program_reports")), "reports")


def test_the_list_of_reports_takes_the_same_queries_however_many_were_submitted(director, world, counted):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert director.get(reverse("reports:program_reports")).status_code == 200
        return len(captured)

    director.post(reverse("reports:program_submit", args=[VS]), QUERY)
    one = queries()
    for start, end in [("2026-01-01", "2026-03-31"), ("2026-04-01", "2026-06-30")]:
        for kind in funders.DEFINITIONS:
            director.post(reverse("reports:program_submit", args=[kind]), {"start": start, "end": end})
    five = queries()

    assert SubmittedReport.objects.count() == 9
    assert one == five == 4


# Every report, as the program's counts make it ------------------------------------------------


@pytest.mark.parametrize("kind", sorted(funders.DEFINITIONS))
def test_every_report_opens_and_exports_with_the_programs_own_counts(director, world, kind):
    query = {"start": "2026-01-01", "end": "2026-09-30", "fund": ""}

    page = director.get(page_url(kind), query)
    csv_file = director.get(export_url("csv", kind), query)
    workbook = load_workbook(io.BytesIO(director.get(export_url("xlsx", kind), query).content))

    assert (page.status_code, csv_file.status_code) == (200, 200)
    shown = page_tables(page.content.decode())
    report = funders.DEFINITIONS[kind].build(Period(date(2026, 1, 1), date(2026, 9, 30)), None)
    assert list(shown) == [table.key for table in report.tables]
    assert len(workbook.sheetnames) == len(report.tables)
    for sheet, table in zip(workbook.worksheets, report.tables, strict=True):
        rows = [[cell for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)]
        assert normalized(rows[6 : 6 + len(table.rows)]) == normalized(shown[table.key][1:]), (kind, table.key)
