"""What every chart is made of: its series, the numbers as a table, the SVG frame and the palette.

Colours and text sizes are classes (``chart__tone-0`` ...), defined once in the "Charts" block of
``static/css/bloom.css``: the Content Security Policy allows no ``style`` attribute and no inline
``<style>`` on a page. WeasyPrint draws an inline SVG on its own and applies only the ``<style>``
inside it, not the page's stylesheets, so a chart made ``for_pdf`` carries that same block, read
from the stylesheet, inside its SVG.
"""

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.staticfiles import finders
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

Value = int | Decimal | float | None
Format = Callable[[int | Decimal | float], str]

# How many tones the stylesheet defines: a series past the last one takes the first again.
TONES = 10
TENTH = Decimal("0.1")
NOTHING = SafeString("")
# What a table shows for a value that is missing (not a zero).
NO_VALUE = "—"
# The stylesheet's block that a PDF's SVG carries: from this line to the end marker.
CSS_BLOCK = re.compile(r"/\* charts: begin .*?\*/(.*?)/\* charts: end \*/", re.S)


def count(value) -> str:
    """``1,500``: a number with the reader's thousands separators."""
    return number_format(value, force_grouping=True)


def money(value) -> str:
    """``$1,500.00``: dollars and cents; a negative amount as ``-$5.00``."""
    amount = Decimal(str(value))
    shown = "$" + number_format(abs(amount), decimal_pos=2, force_grouping=True)
    return "-" + shown if amount < 0 else shown


def decimals(places: int) -> Format:
    """A format that rounds half up to ``places`` decimals (``number_format`` alone cuts 4.17 to 4.1)."""
    step = Decimal(1).scaleb(-places)

    def shown(value) -> str:
        exact = exact_value(value).quantize(step, rounding=ROUND_HALF_UP)
        return number_format(exact, decimal_pos=places, force_grouping=True)

    return shown


def exact_value(value) -> Decimal:
    """A value as a ``Decimal``: a float by its shortest repr, so 0.1 is 0.1 and not 0.1000000000000000055."""
    return value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)


def px(value) -> str:
    """A length in the SVG, to a tenth of a unit."""
    return str(Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP))


def tone(index: int) -> str:
    return f"chart__tone-{index % TONES}"


@dataclass(frozen=True)
class Series:
    """One named row of values, one per label; ``None`` where there is no value (drawn as nothing)."""

    name: str
    values: Sequence[Value]
    # Which of the palette's tones it is drawn in; by default its place among the series.
    tone: int | None = None


@dataclass(frozen=True)
class Chart:
    """A chart and the same numbers as a table. ``svg`` is empty when there is nothing to draw."""

    chart_id: str
    title: str
    desc: str
    svg: SafeString
    # The label column's heading, then one per column of numbers.
    headings: list[str]
    # Each label and its values as ``fmt`` writes them: what the table shows.
    rows: list[list[str]]
    # The same, unformatted (for a CSV file).
    values: list[list] = field(default_factory=list)
    # (series name, tone class) for the HTML legend beside the chart; empty when one series needs none.
    legend: list[tuple[str, str]] = field(default_factory=list)
    # For a PDF, the ``<style>`` the legend's swatches carry (WeasyPrint styles no inline SVG from
    # the page's stylesheet); nothing on a web page.
    style: SafeString = NOTHING

    @property
    def empty(self) -> bool:
        return not self.svg

    def cells(self) -> list[list[tuple[str, str]]]:
        """Each row's cells with their column's heading (a stacked table labels each cell on a phone)."""
        return [list(zip(self.headings, row, strict=True)) for row in self.rows]

    def csv_rows(self) -> list[list]:
        """The heading row, then each label with its raw values."""
        return [list(self.headings), *(list(row) for row in self.values)]

    def __html__(self) -> str:
        return self.svg


def style_for(for_pdf: bool) -> SafeString:
    return pdf_style() if for_pdf else NOTHING


def pdf_style() -> SafeString:
    """The stylesheet's chart block in a ``<style>`` element, for an SVG that WeasyPrint draws."""
    return format_html("<style>{}</style>", _chart_css())


@functools.cache
def _chart_css() -> str:
    path = finders.find("css/bloom.css")
    with open(path, encoding="utf-8") as stylesheet:
        match = CSS_BLOCK.search(stylesheet.read())
    if match is None:
        raise LookupError("static/css/bloom.css has lost its charts block")
    return " ".join(match.group(1).split())


def frame(
    parts: list, *, chart_id: str, title: str, desc: str, width: int, height: int, kind: str, for_pdf: bool
) -> SafeString:
    """The ``<svg>`` around ``parts``: its size, its title and description for screen readers."""
    return format_html(
        '<svg class="{kind}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-labelledby="{id}-title {id}-desc" preserveAspectRatio="{aspect}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{style}{body}</svg>',
        kind=kind,
        w=width,
        h=height,
        id=chart_id,
        # Phone-width charts keep to the top left of their box; wide ones are centred in it.
        aspect="xMinYMin meet" if "chart--bars" in kind or "chart--funnel" in kind else "xMidYMid meet",
        title=title,
        desc=desc,
        style=pdf_style() if for_pdf else "",
        body=join(parts),
    )


def join(parts: list) -> SafeString:
    """Pieces of SVG made by ``format_html``, as one (each is already escaped)."""
    return format_html_join("", "{}", ((part,) for part in parts))


def shown(value: Value, fmt: Format) -> str:
    return NO_VALUE if value is None else fmt(value)


def has_something(series: list[Series]) -> bool:
    """Whether any value is neither missing nor zero: a chart of nothing but zeros is not drawn."""
    return any(value for one in series for value in one.values if value is not None)


def check_lengths(labels: list, series: list[Series]) -> None:
    for one in series:
        if len(one.values) != len(labels):
            raise ValueError(f"Series {one.name!r} has {len(one.values)} values for {len(labels)} labels.")


def tones(series: list[Series]) -> list[str]:
    return [tone(index if one.tone is None else one.tone) for index, one in enumerate(series)]


def table(
    labels: list, series: list[Series], *, fmt: Format, label_heading: str, total_heading: str | None = None
) -> tuple[list[str], list[list[str]], list[list]]:
    """The headings, the formatted rows and the raw rows of the table beside a chart."""
    headings = [label_heading, *(str(one.name) for one in series)]
    rows, raw = [], []
    for index, label in enumerate(labels):
        values = [one.values[index] for one in series]
        row, raw_row = [str(label), *(shown(value, fmt) for value in values)], [str(label), *values]
        if total_heading is not None:
            total = sum((value for value in values if value is not None), 0)
            row.append(fmt(total))
            raw_row.append(total)
        rows.append(row)
        raw.append(raw_row)
    if total_heading is not None:
        headings.append(total_heading)
    return headings, rows, raw


def legend(series: list[Series], *, always: bool = False) -> list[tuple[str, str]]:
    """(name, tone class) of each series, when there are several (or ``always``), leaving out empty ones."""
    if len(series) < 2 and not always:
        return []
    return [(str(one.name), css) for one, css in zip(series, tones(series), strict=True) if has_something([one])]


def bar_title(first, second, value: str) -> str:
    """A bar's own title: "Hartford: 3", or with its series "Youth, Sessions: 7" / "Food, Jan 2026: $120.00"."""
    if second is None:
        return _("%(label)s: %(value)s") % {"label": first, "value": value}
    return _("%(first)s, %(second)s: %(value)s") % {"first": first, "second": second, "value": value}
