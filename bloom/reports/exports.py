"""A funder or program report as the reader sees it: on the page, and as CSV, XLSX and PDF.

Every format shows the same ``Report`` cell for cell: the title and period on top, then each
table (a section of the CSV, a sheet of the workbook) with the row's label first and its counts
after, the table's note under it, and the report's notes at the bottom. A small cell of a
public table is "fewer than 5" everywhere (``figures.shown``); every other count is a number.
"""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from assistance.models import Fund
from bloom.forms import csv_cell
from bloom.reports.figures import Period, Report, Table
from bloom.reports.pdf import render_pdf


@dataclass(frozen=True)
class ShownRow:
    key: str
    label: str
    # (column label, count as ``shown`` writes it: "1,234" or "fewer than 5"), in column order
    cells: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ShownTable:
    key: str
    title: str
    columns: tuple[str, ...]  # the count columns' labels
    rows: tuple[ShownRow, ...]
    note: str


def shown_tables(report: Report) -> list[ShownTable]:
    """The report's tables with every count as the page and the PDF show it."""
    return [
        ShownTable(
            key=table.key,
            title=table.title,
            columns=tuple(label for _key, label in table.columns),
            rows=tuple(
                ShownRow(
                    row.key,
                    row.label,
                    tuple((label, _written(table.cell(r, c))) for c, (_key, label) in enumerate(table.columns)),
                )
                for r, row in enumerate(table.rows)
            ),
            note=table.note,
        )
        for table in report.tables
    ]


def _written(value: int | str) -> str:
    return f"{value:,}" if isinstance(value, int) else value


def period_words(period: Period) -> str:
    return _("%(start)s to %(end)s") % {
        "start": date_format(period.start, "DATE_FORMAT"),
        "end": date_format(period.end, "DATE_FORMAT"),
    }


def award_words(fund: Fund | None) -> str:
    return str(fund) if fund else _("Every case, under any award or none")


def filename(report: Report, fund: Fund | None, extension: str) -> str:
    award = f"-{slugify(fund.award_number)}" if fund else ""
    return f"{report.kind}-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}{award}.{extension}"


def _heading(report: Report, fund: Fund | None) -> list[list]:
    return [
        [report.title],
        [_("From"), report.period.start.isoformat()],
        [_("To"), report.period.end.isoformat()],
        [_("Award"), award_words(fund)],
    ]


def _table_rows(table: Table) -> list[list]:
    rows = [[table.title, *(label for _key, label in table.columns)]]
    rows += [[row.label, *(table.cell(r, c) for c in range(len(table.columns)))] for r, row in enumerate(table.rows)]
    if table.note:
        rows.append([table.note])
    return rows


def _notes(report: Report) -> list[list]:
    return [[_("Notes")], *([note] for note in report.notes)] if report.notes else []


# CSV ------------------------------------------------------------------------------------------


def as_csv(report: Report, fund: Fund | None) -> bytes:
    """The report as one CSV: a section per table, a blank line between sections."""
    out = io.StringIO()
    writer = csv.writer(out)
    sections = [_heading(report, fund), *(_table_rows(table) for table in report.tables), _notes(report)]
    for n, section in enumerate(section for section in sections if section):
        if n:
            writer.writerow([])
        # A label typed into the catalogue or an award's name may start like a formula.
        writer.writerows([[csv_cell(v) if isinstance(v, str) else v for v in row] for row in section])
    return out.getvalue().encode()


# XLSX -----------------------------------------------------------------------------------------

# Excel refuses these in a sheet's name, and names longer than 31 characters.
# Files for a funder (CSV, XLSX, PDF) are in the funder's language, whatever the language of the
# person who makes them: the federal and state funders read English. The page shows the reader's.
FUNDER_LANGUAGE = "en"

_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
SHEET_NAME_LENGTH = 31


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid sheet name for ``title`` that no sheet in ``taken`` has (Excel ignores case)."""
    base = " ".join(_NOT_IN_SHEET_NAMES.sub(" ", title).split()).strip("'") or _("Table")
    name, n = base[:SHEET_NAME_LENGTH].strip(), 1
    while name.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        name = base[: SHEET_NAME_LENGTH - len(suffix)].strip() + suffix
    taken.add(name.casefold())
    return name


def as_xlsx(report: Report, fund: Fund | None) -> bytes:
    """The report as a workbook: a sheet per table, each with the title and period on top."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for table in report.tables:
        sheet = workbook.create_sheet(sheet_name(table.title, taken))
        rows = [*_heading(report, fund), [], *_table_rows(table), [], *_notes(report)]
        for values in rows:
            sheet.append([_plain(v) for v in values])
        for cell in sheet[1]:
            cell.font = Font(bold=True, size=13)
        header = len(_heading(report, fund)) + 2
        for cell in sheet[header]:
            cell.font = Font(bold=True)
        for cells in sheet.iter_rows():
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"  # text that starts with "=" is text, never a formula
        sheet.column_dimensions["A"].width = min(80, max(len(str(row[0])) for row in rows if row) + 2)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _plain(value):
    """Text without the control characters a workbook cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


# PDF ------------------------------------------------------------------------------------------


def as_pdf(report: Report, fund: Fund | None) -> bytes:
    context = {
        "report": report,
        "tables": shown_tables(report),
        "period": period_words(report.period),
        "award": award_words(fund),
        "generated_at": timezone.localtime(),
    }
    return render_pdf("reports/program_report_pdf.html", context)


FORMATS: dict[str, tuple[Callable[[Report, Fund | None], bytes], str]] = {
    "csv": (as_csv, "text/csv; charset=utf-8"),
    "xlsx": (as_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
