"""What the funder and program report tests share: a victim-services report that counts what a test
says, and reading a report page's tables back.

The report's definition ``build`` gives a ``Report`` made here (a plain structure of counts), so
every number the page and the files must hold is known. How the counts themselves are made is
tested with ``bloom.reports.funders`` and ``cases.tallies``.
"""

import re
from datetime import date
from html.parser import HTMLParser

from django.urls import reverse

from bloom.reports import funders
from bloom.reports.figures import Period, Report, Row, Table

VS = funders.VICTIM_SERVICES
QUARTER = Period(date(2026, 7, 1), date(2026, 9, 30))
QUERY = {"start": "2026-07-01", "end": "2026-09-30", "fund": ""}
LABEL = "victim-services-quarterly 2026-07-01 to 2026-09-30"
# Longer than a sheet's name may be, with characters a sheet's name may not hold.
LONG_TITLE = "Referrals [by year]: where/how? *all* of them"


def page_url(kind=VS) -> str:
    return reverse("reports:program_report", args=[kind])


def export_url(fmt: str, kind=VS) -> str:
    return reverse("reports:program_export", args=[kind, fmt])


class Counted:
    """What the victim-services report counts in these tests; change ``people`` to change a cell."""

    def __init__(self, codes: list[str]):
        self.codes, self.people, self.asked = codes, 12, []

    def __call__(self, period: Period, fund=None) -> Report:
        self.asked.append((period, fund))
        first, second = self.codes
        return Report(
            kind=VS,
            title="Victim-services quarterly report",
            period=period,
            tables=(
                Table("people", "People served", (("people", "People"),), (
                    Row("total", "People served (unduplicated)", (self.people,)),
                    Row("new", "New in the fiscal year", (1_234,)),
                )),
                Table("services", "Services given, by sub-service", (("people", "People"), ("times", "Times given")), (
                    Row(first, f"{first} Counted", (4, 9)),
                    Row(second, f"{second} Not given", (0, 0)),
                )),
                Table("referrals", LONG_TITLE, (("referrals", "Referrals"),), (
                    Row("2025", "2025", (3,)),
                    Row("2026", "2026", (7,)),
                    Row("none", "=HYPERLINK(\"x\")", (0,)),
                ), suppress_small=True, note="Counts from 1 to 4 are shown as fewer than 5."),
            ),
            notes=("Fiscal year from 2025-10-01.", "Family members are not counted."),
        )  # fmt: skip


# Reading the page's tables -------------------------------------------------------------------


class Tables(HTMLParser):
    """The figures' tables of a page (``id="table-<key>"``): each row's cells as text."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current = self.row = self.cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and (attrs.get("id") or "").startswith("table-"):
            self.current = self.tables.setdefault(attrs["id"].removeprefix("table-"), [])
        elif self.current is not None and tag == "tr":
            self.row = []
        elif self.row is not None and tag in {"th", "td"}:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.current = None
        elif tag in {"th", "td"} and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.current.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


def as_number(text: str) -> int | str:
    """A cell as a number where it is one ("1,234" on the page, 1234 in a workbook)."""
    plain = str(text).replace(",", "")
    return int(plain) if re.fullmatch(r"-?\d+", plain) else str(text)


def normalized(rows) -> list[list]:
    return [[as_number(cell) for cell in row] for row in rows]
