"""What a funder or program report is made of: tables of counts, and the periods they cover.

A ``Report`` holds counts only: every row and column has a stable key (a code such as
"B9" or "18-24", never a name or an id) and a label in the reader's language. The same
``Report`` is shown as a page, written as CSV and XLSX, and printed as a PDF, so the
numbers cannot differ between formats.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

# Counts below this are shown as "fewer than 5" in tables meant for the public (the state's
# tables, public summaries); funder reports are exact.
SMALL_CELL = 5
# What a public table shows in place of a count withheld so that a small one cannot be worked out.
WITHHELD = _("not shown")


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    # One count per column of the table, in column order.
    counts: tuple[int, ...]


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    # (key, label) of each column of counts; the first column of the table is the row label.
    columns: tuple[tuple[str, str], ...]
    rows: tuple[Row, ...]
    # Counts below SMALL_CELL are shown as "fewer than 5".
    suppress_small: bool = False
    note: str = ""

    def withheld(self) -> frozenset[tuple[int, int]]:
        """The (row, column) cells a public table does not show: each count from 1 to 4 and, in a
        column hiding only one, the next smallest count too, so that the hidden one cannot be
        worked out from the column's total shown elsewhere."""
        if not self.suppress_small:
            return frozenset()
        hidden = set()
        for column in range(len(self.columns)):
            counts = [(row.counts[column], index) for index, row in enumerate(self.rows)]
            small = [index for count, index in counts if 0 < count < SMALL_CELL]
            hidden.update((index, column) for index in small)
            others = sorted((count, index) for count, index in counts if count >= SMALL_CELL)
            if len(small) == 1 and others:
                hidden.add((others[0][1], column))
        return frozenset(hidden)

    def cell(self, row: int, column: int) -> int | str:
        """A count as the reader gets it: the number, or the words that stand for a withheld one."""
        count = self.rows[row].counts[column]
        if (row, column) not in self.withheld():
            return count
        return shown(count, suppress_small=True) if count < SMALL_CELL else str(WITHHELD)

    def figures(self) -> dict[str, dict[str, int]]:
        """{row key: {column key: count}}: what a submitted report keeps."""
        return {row.key: dict(zip((key for key, _label in self.columns), row.counts, strict=True)) for row in self.rows}


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Report:
    kind: str
    title: str
    period: Period
    tables: tuple[Table, ...]
    # Sentences on how the report counts, shown under it in every format.
    notes: tuple[str, ...] = field(default=())

    def figures(self) -> dict[str, dict[str, dict[str, int]]]:
        return {table.key: table.figures() for table in self.tables}


def shown(count: int, *, suppress_small: bool) -> str:
    """A count as a reader sees it: "fewer than 5" for a small cell in a public table."""
    if suppress_small and 0 < count < SMALL_CELL:
        return str(_("fewer than %(n)s") % {"n": SMALL_CELL})
    return f"{count:,}"


def fiscal_year_start(day: date) -> date:
    """The first day of the federal fiscal year (October to September) that ``day`` is in."""
    return date(day.year if day.month >= 10 else day.year - 1, 10, 1)


def quarter_of(day: date) -> Period:
    """The calendar quarter holding ``day`` (federal quarters are calendar quarters too)."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    next_start = date(day.year + (first_month == 10), 1 if first_month == 10 else first_month + 3, 1)
    return Period(start, next_start - timedelta(days=1))


def half_year_of(day: date) -> Period:
    """January to June, or July to December."""
    if day.month <= 6:
        return Period(date(day.year, 1, 1), date(day.year, 6, 30))
    return Period(date(day.year, 7, 1), date(day.year, 12, 31))
