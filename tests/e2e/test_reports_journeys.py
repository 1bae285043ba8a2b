"""The program director's funder report in a real browser: the victim-services quarterly report on
its page, its PDF prepared by the real worker while the page shows the progress, then the PDF and
the workbook downloaded and read back, each with the numbers the page showed; then the report is
marked as submitted and the page says nothing has changed since.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from bloom import said
from bloom.audit.models import AccessLogEntry
from bloom.reports import funders
from bloom.reports.models import SubmittedReport
from cases.models import Service, ServiceEvent

TITLE = "Victim-services quarterly report"


@pytest.fixture
def served(e2e_world):
    """Services given to both cases in the last complete quarter, so the report counts people."""
    quarter = funders.suggested_period(funders.VICTIM_SERVICES, timezone.localdate())
    services = list(Service.objects.filter(victim_services_code__isnull=False).order_by("pk")[:2])
    for n, case in enumerate([e2e_world.case_a, e2e_world.case_b]):
        for service in services[: n + 1]:
            ServiceEvent.objects.create(
                case=case,
                service=service,
                provided_on=quarter.start + timedelta(days=10 * (n + 1)),
                recorded_by=e2e_world.director,
            )
    return quarter


def page_tables(page) -> dict[str, list[list[str]]]:
    """Each of the report's tables as the page shows it: the row's label, then its counts."""
    tables = {}
    for table in page.locator("table[id^='table-']").all():
        key = table.get_attribute("id").removeprefix("table-")
        tables[key] = [
            [" ".join(cell.split()) for cell in row.locator("th, td").all_inner_texts()]
            for row in table.locator("tbody tr").all()
        ]
    return tables


def as_number(value) -> int | str:
    text = str(value).replace(",", "")
    return int(text) if re.fullmatch(r"\d+", text) else str(value)


def test_the_director_prepares_the_victim_services_report_and_reads_the_same_numbers_everywhere(
    e2e_world, served, open_browser, celery_worker
):
    worker, log = celery_worker
    director = open_browser("director")
    page = director.page
    director.sign_in(e2e_world.director)

    # 1. The report, from the home page, on its last complete quarter.
    page.get_by_role("region", name="Program totals").get_by_role("link", name="Funder and program reports").click()
    director.look("reports")
    page.get_by_role("link", name=TITLE).click()
    director.look("victim-services-report")
    expect(page.get_by_role("textbox", name="From", exact=True)).to_have_value(served.start.isoformat())
    expect(page.get_by_role("textbox", name="To", exact=True)).to_have_value(served.end.isoformat())
    shown = page_tables(page)
    assert shown["people"][0] == ["People served (unduplicated)", "2"]
    assert [row[0] for row in shown["services"]]  # every code of the catalogue has its row

    # 2. The PDF, prepared by the worker while the page shows how far it has got.
    page.get_by_role("button", name="Prepare the PDF").click()
    status = page.locator("#program-pdf-status")
    expect(status.get_by_role("progressbar", name="Progress").or_(status.get_by_text("Ready"))).to_be_visible()
    download_link = status.get_by_role("link", name="Download PDF")
    try:
        expect(download_link).to_be_visible(timeout=60_000)
    except AssertionError as not_ready:
        raise AssertionError(f"worker log:\n{log.read_text()[-3000:]}") from not_ready
    director.look("pdf-ready")
    with page.expect_download() as pdf_download:
        download_link.click()
    pdf = director.folder / "victim-services.pdf"
    pdf_download.value.save_as(pdf)
    assert pdf_download.value.suggested_filename == (
        f"victim-services-quarterly-{served.start:%Y%m%d}-{served.end:%Y%m%d}.pdf"
    )
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert TITLE in text
    for rows in shown.values():
        for label, *cells in rows:
            assert f"{label} {' '.join(cells)}" in text, label

    # 3. The workbook: a sheet per table, with the same numbers.
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Download XLSX").click()
    workbook_file = director.folder / "victim-services.xlsx"
    xlsx_download.value.save_as(workbook_file)
    workbook = load_workbook(workbook_file)
    assert len(workbook.worksheets) == len(shown)
    for sheet, (key, rows) in zip(workbook.worksheets, shown.items(), strict=True):
        values = [[cell for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)]
        body = values[6 : 6 + len(rows)]
        assert [[as_number(v) for v in row] for row in body] == [[as_number(v) for v in row] for row in rows], key

    # 4. Marked as submitted: the figures are kept and the page compares with them.
    page.get_by_role("button", name="Mark as submitted").click()
    page.wait_for_load_state()
    director.look("submitted")
    expect(page.locator("#submitted")).to_contain_text("Nothing has changed since you submitted it on")
    assert SubmittedReport.objects.get().figures["people"]["total"]["people"] == 2

    label = f"victim-services-quarterly {served.start.isoformat()} to {served.end.isoformat()}"
    entries = list(AccessLogEntry.objects.order_by("pk").values_list("action", "target_label", "reason"))
    # Shown on its page, printed, downloaded, exported, and shown again once submitted; the
    # reasons are Bloom's words, stored as codes (bloom.said).
    assert [(action, target, said.render(reason)) for action, target, reason in entries] == [
        ("export", label, "Shown on its page"),
        ("print", label, ""),
        ("download", label, ""),
        ("export", label, "Exported as XLSX"),
        ("export", label, "Shown on its page"),
    ]
    assert worker.poll() is None
