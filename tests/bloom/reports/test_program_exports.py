"""A funder report as CSV, XLSX and PDF: the numbers of its page in each, every export and print
in the access log, and a PDF asked for twice prepared once."""

import csv
import io
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from bloom.audit.models import AccessLogEntry
from bloom.reports import exports, services
from bloom.reports.builders import BUILDERS
from bloom.reports.models import ReportJob
from tests.bloom.reports.program import (
    LABEL,
    LONG_TITLE,
    QUERY,
    VS,
    export_url,
    normalized,
    page_tables,
    page_url,
)

# CSV and XLSX --------------------------------------------------------------------------------


def csv_sections(content: bytes) -> list[list[list[str]]]:
    sections, section = [], []
    for row in csv.reader(io.StringIO(content.decode())):
        if row:
            section.append(row)
        else:
            sections.append(section)
            section = []
    return [*sections, section]


def test_the_csv_holds_the_numbers_of_the_page(director, counted):
    html = director.get(page_url(), QUERY).content.decode()

    response = director.get(export_url("csv"), QUERY)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="victim-services-quarterly-20260701-20260930.csv"'
    heading, people, services_, referrals, notes = csv_sections(response.content)
    assert heading == [
        ["Victim-services quarterly report"],
        ["From", "2026-07-01"],
        ["To", "2026-09-30"],
        ["Award", "Every case, under any award or none"],
    ]
    shown = page_tables(html)
    assert normalized(people[1:]) == normalized(shown["people"][1:])
    assert normalized(services_[1:]) == normalized(shown["services"][1:])
    assert referrals[0] == [LONG_TITLE, "Referrals"]
    assert referrals[1:-1] == [["2025", "fewer than 5"], ["2026", "not shown"], ['\'=HYPERLINK("x")', "0"]]
    assert referrals[-1] == ["Counts from 1 to 4 are shown as fewer than 5."]
    assert notes == [["Notes"], ["Fiscal year from 2025-10-01."], ["Family members are not counted."]]


def test_the_workbook_has_a_valid_sheet_per_table_with_the_numbers_of_the_page(director, counted):
    shown = page_tables(director.get(page_url(), QUERY).content.decode())

    response = director.get(export_url("xlsx"), QUERY)

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["People served", "Services given, by sub-service", "Referrals by year where how all"]
    for key, sheet in zip(["people", "services", "referrals"], workbook.worksheets, strict=True):
        rows = [[cell for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)]
        assert rows[:4] == [
            ["Victim-services quarterly report"],
            ["From", "2026-07-01"],
            ["To", "2026-09-30"],
            ["Award", "Every case, under any award or none"],
        ]
        body = rows[6 : 6 + len(shown[key]) - 1]
        assert normalized(body) == normalized(shown[key][1:]), key
        assert rows[-3:] == [["Notes"], ["Fiscal year from 2025-10-01."], ["Family members are not counted."]]
    referrals = workbook["Referrals by year where how all"]
    assert referrals["A9"].value == '=HYPERLINK("x")'
    assert referrals["A9"].data_type == "s"  # a label is text, never a formula
    assert (referrals["B8"].value, referrals["B9"].value) == ("not shown", 0)  # counts stay numbers


@pytest.mark.parametrize(
    ("titles", "names"),
    [
        (["People served"], ["People served"]),
        ([LONG_TITLE], ["Referrals by year where how all"]),
        (["[]:*?/\\", "'quoted'"], ["Table", "quoted"]),
        (["Age", "AGE", "age"], ["Age", "AGE (2)", "age (3)"]),
        (["x" * 40, "x" * 40], ["x" * 31, "x" * 27 + " (2)"]),
    ],
)
def test_sheet_names_are_valid_and_unique(titles, names):
    taken: set[str] = set()

    made = [exports.sheet_name(title, taken) for title in titles]

    assert made == names
    assert all(len(name) <= 31 and not re.search(r"[\[\]:*?/\\]", name) for name in made)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_each_export_is_written_to_the_access_log_without_a_name(director, world, counted, fmt):
    director.get(export_url(fmt), QUERY)
    director.get(export_url(fmt), QUERY)

    entries = list(AccessLogEntry.objects.order_by("pk"))
    jobs = list(ReportJob.objects.order_by("pk"))
    assert [(e.user, e.action, e.target_label, e.reason) for e in entries] == [
        (world.director, "export", LABEL, f'log.export|["{fmt}"]'),
        (world.director, "export", LABEL, f'log.export|["{fmt}"]'),
    ]
    assert [(e.target_type, e.target_id) for e in entries] == [
        (ContentType.objects.get_for_model(ReportJob), job.pk) for job in jobs
    ]
    assert [(j.kind, j.status, j.parameters, bool(j.file)) for j in jobs] == [
        (VS, "done", {**QUERY, "format": fmt}, False),
    ] * 2


def test_an_export_of_no_period_is_refused_on_the_page_and_not_logged(director, counted):
    response = director.get(export_url("csv"), {"start": "2026-09-30", "end": "2026-07-01"})

    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()
    assert AccessLogEntry.objects.count() == 0


def test_an_export_job_offers_no_pdf_to_download(director, counted):
    director.get(export_url("csv"), QUERY)
    job = ReportJob.objects.get()

    page = director.get(reverse("reports:job", args=[job.public_id]))

    assert director.get(reverse("reports:download", args=[job.public_id])).status_code == 404
    assert "Download PDF" not in page.content.decode()


# The PDF -------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pdf_is_built_with_the_numbers_of_the_page(director, world, counted):
    shown = page_tables(director.get(page_url(), QUERY).content.decode())
    builder = BUILDERS[VS]
    definition = builder.authorize(world.director, 0)
    percents = []

    filename, pdf = builder.build(
        definition, requested_by=world.director, progress=percents.append, parameters=builder.read_parameters(QUERY)
    )

    text = pdf_text(pdf)
    assert filename == "victim-services-quarterly-20260701-20260930.pdf"
    assert percents == sorted(percents)
    assert percents[-1] == 90
    assert "Victim-services quarterly report" in text
    assert "July 1, 2026 to Sept. 30, 2026" in text
    for rows in shown.values():
        for label, *cells in rows[1:]:
            assert f"{label} {' '.join(cells)}" in text
    assert "Family members are not counted." in text
    assert "Printed on" in text
    assert "Dana Director" not in text  # who printed it is in the access log, not in the report


def test_the_pdf_is_asked_for_logged_built_and_downloaded(director, world, counted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = director.post(reverse("reports:request", args=[VS, 0]), QUERY, headers={"HX-Request": "true"})
    job = ReportJob.objects.get()

    services.run_report_job(job.pk)
    job.refresh_from_db()
    download = director.get(reverse("reports:download", args=[job.public_id]))

    assert len(queued) == 1
    assert b'hx-trigger="load delay:1s"' in response.content
    assert (job.status, job.parameters) == ("done", QUERY)
    assert "12" in pdf_text(b"".join(download.streaming_content))
    entries = list(AccessLogEntry.objects.order_by("pk").values_list("action", "target_label", "target_id"))
    assert entries == [("print", LABEL, job.pk), ("download", LABEL, job.pk)]


def test_the_page_shows_the_pdf_being_prepared(director, counted, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        director.post(reverse("reports:request", args=[VS, 0]), QUERY)
    job = ReportJob.objects.get()

    html = director.get(page_url(), QUERY).content.decode()
    other = director.get(page_url(), {**QUERY, "start": "2026-08-01"}).content.decode()

    assert f'id="job-{job.public_id}"' in html
    assert "<progress" in html
    assert f'id="job-{job.public_id}"' not in other


def test_a_report_asked_twice_at_once_is_prepared_once(director, counted, django_capture_on_commit_callbacks):
    url = reverse("reports:request", args=[VS, 0])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = director.post(url, QUERY, headers={"HX-Request": "true"})
        again = director.post(url, QUERY, headers={"HX-Request": "true"})
        plain = director.post(url, QUERY)

    job = ReportJob.objects.get()
    assert len(queued) == 1
    assert first.status_code == again.status_code == 200
    assert f'id="job-{job.public_id}"' in again.content.decode()
    assert "This report is already being prepared." in again.content.decode()
    assert plain["Location"] == reverse("reports:job", args=[job.public_id])
    assert [str(m) for m in get_messages(plain.wsgi_request)] == [
        "This report is already being prepared. It is the one shown here: wait for it to be ready."
    ]
    assert list(AccessLogEntry.objects.values_list("action", flat=True)) == ["print"]


def test_once_the_first_is_ready_or_for_another_period_a_new_pdf_is_prepared(
    director, counted, django_capture_on_commit_callbacks
):
    url = reverse("reports:request", args=[VS, 0])
    with django_capture_on_commit_callbacks(execute=False):
        director.post(url, QUERY)
        director.post(url, {**QUERY, "start": "2026-08-01"})
    services.run_report_job(ReportJob.objects.earliest("pk").pk)
    with django_capture_on_commit_callbacks(execute=False):
        director.post(url, QUERY)

    assert ReportJob.objects.count() == 3


@pytest.mark.parametrize("persona", ["specialist", "supervisor", "finance", "trainer"])
def test_nobody_else_may_ask_for_the_pdf(client, world, counted, persona):
    client.force_login(getattr(world, persona))

    response = client.post(reverse("reports:request", args=[VS, 0]), QUERY)

    assert response.status_code == 404
    assert ReportJob.objects.count() == 0


def test_a_pdf_of_no_period_is_refused_with_the_forms_message(director, counted):
    response = director.post(
        reverse("reports:request", args=[VS, 0]),
        {"start": "2026-09-30", "end": "2026-07-01"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 422
    assert "The period ends before it starts." in response.content.decode()
    assert ReportJob.objects.count() == 0


def test_a_pdf_for_a_kind_is_for_target_zero_only(director, counted):
    assert director.post(reverse("reports:request", args=[VS, 7]), QUERY).status_code == 404


def test_the_build_fails_cleanly_when_the_permission_was_taken_away(
    director, world, counted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        director.post(reverse("reports:request", args=[VS, 0]), QUERY)
    world.director.groups.clear()

    services.run_report_job(ReportJob.objects.get().pk)

    job = ReportJob.objects.get()
    assert (job.status, job.error, bool(job.file)) == ("failed", "no_access", False)


def test_the_report_shown_on_its_page_is_written_to_the_access_log_as_an_export(director, world, counted):
    page = director.get(reverse("reports:program_report", args=[VS]), QUERY)

    [entry] = AccessLogEntry.objects.all()
    [job] = ReportJob.objects.all()
    assert page.status_code == 200
    assert (entry.user, entry.action, entry.target_label, entry.reason) == (
        world.director,
        "export",
        LABEL,
        "log.shown",
    )
    assert (job.parameters, bool(job.file)) == ({**QUERY, "format": "page"}, False)


def test_a_page_refused_for_its_period_is_not_logged(director, counted):
    page = director.get(reverse("reports:program_report", args=[VS]), {"start": "2026-09-30", "end": "2026-07-01"})

    assert "The period ends before it starts." in page.content.decode()
    assert (AccessLogEntry.objects.count(), ReportJob.objects.count()) == (0, 0)
