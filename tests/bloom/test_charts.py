"""The platform's charts: each builder's SVG is valid XML with a title and a description, coloured by
classes only, and its table holds the numbers its bars are drawn from."""

import io
import itertools
import math
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from bloom import charts
from bloom.charts import across, upright
from bloom.charts.base import CSS_BLOCK, pdf_style

SVG = "{http://www.w3.org/2000/svg}"
D = Decimal
S = charts.Series
ROOT = Path(__file__).resolve().parents[2]
COLOUR = re.compile(r"#|rgb|hsl|\b(black|white|red|green|blue|teal|orange)\b", re.I)
KW = {"chart_id": "c", "title": "Referrals", "desc": "By month."}


def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 (our own SVG)


def shapes(root: ET.Element, tag: str) -> list[ET.Element]:
    return root.findall(f".//{SVG}{tag}")


def title_of(element: ET.Element) -> str:
    return element.find(f"{SVG}title").text


def num(element: ET.Element, name: str) -> Decimal:
    return D(element.get(name))


def close(a, b, within="0.06") -> bool:
    """Equal to the tenth of a unit the SVG is written to (each side rounds by up to 0.05)."""
    return abs(D(a) - D(b)) <= D(within)


def every_builder() -> dict:
    labels = ["Jan 2026", "Feb 2026", "Mar 2026"]
    two = [S("Income", [D("1200.00"), D("900.50"), None]), S("Expenses", [D("1080.00"), D(0), D("300.25")])]
    return {
        "bars": charts.bars(labels, [S("Contacts", [19, 10, 0])], **KW),
        "grouped bars": charts.bars(labels, two, fmt=charts.money, **KW),
        "stacked bars": charts.stacked_bars(labels, two, fmt=charts.money, **KW),
        "columns": charts.columns(labels, two, fmt=charts.money, **KW),
        "lines": charts.lines(labels, two, fmt=charts.money, **KW),
        "funnel": charts.funnel(["Referred", "Screened", "Enrolled"], [40, 25, 9], **KW),
    }


@pytest.mark.parametrize("kind", sorted(every_builder()))
def test_every_chart_is_valid_svg_with_a_title_a_description_and_no_inline_colour(kind):
    chart = every_builder()[kind]

    root = parse(chart.svg)

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c-title c-desc"
    assert root.find(f"{SVG}title").get("id") == "c-title"
    assert root.find(f"{SVG}title").text == "Referrals"
    assert root.find(f"{SVG}desc").get("id") == "c-desc"
    assert root.find(f"{SVG}desc").text == "By month."
    for element in root.iter():
        assert element.tag not in {f"{SVG}script", f"{SVG}style", f"{SVG}foreignObject"}
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
        for name in ("fill", "stroke", "color"):
            assert not COLOUR.search(element.get(name, "")), (element.tag, name)
    drawn = shapes(root, "rect") + shapes(root, "circle")
    assert drawn
    assert all(element.find(f"{SVG}title") is not None for element in drawn)
    assert all(re.fullmatch(r"chart__(bar|point) chart__tone-\d", element.get("class")) for element in drawn)


def test_a_bars_length_is_its_value_and_its_title_is_its_table_row():
    chart = charts.bars(["March", "April", "May"], [S("Contacts", [19, 10, 0])], **KW)

    bars = shapes(parse(chart.svg), "rect")

    assert chart.headings == ["Group", "Contacts"]
    assert chart.rows == [["March", "19"], ["April", "10"], ["May", "0"]]
    assert [title_of(bar) for bar in bars] == [f"{label}: {value}" for label, value in chart.rows]
    plot = num(bars[0], "width")  # the longest bar fills the plot: 360 less the room for its number
    assert plot == D(across.WIDTH - across.VALUE_ROOM)
    assert [num(bar, "width") for bar in bars] == [plot, D("164.2"), D(0)]  # 10/19 of 312, to a tenth
    assert parse(chart.svg).get("viewBox") == "0 0 360 128"  # 4 x 2 + (16 + 14 + 10) x 3


def test_grouped_bars_name_their_series_and_leave_a_missing_value_out():
    chart = charts.bars(["Youth", "General"], [S("Sessions", [7, 5]), S("Attendees", [296, None])], **KW)

    bars = shapes(parse(chart.svg), "rect")

    assert [title_of(bar) for bar in bars] == ["Youth, Sessions: 7", "Youth, Attendees: 296", "General, Sessions: 5"]
    assert chart.rows == [["Youth", "7", "296"], ["General", "5", "—"]]
    assert chart.csv_rows() == [["Group", "Sessions", "Attendees"], ["Youth", 7, 296], ["General", 5, None]]
    assert chart.legend == [("Sessions", "chart__tone-0"), ("Attendees", "chart__tone-1")]
    widths = [num(bar, "width") for bar in bars]
    assert widths[1] == max(widths)
    assert close(widths[0], widths[1] * 7 / 296)


def test_bars_on_a_scale_and_each_series_on_its_own():
    scaled = charts.bars(["All"], [S("Before", [2.5]), S("After", [5.0])], low=0, high=10, fmt=charts.decimals(1), **KW)
    own = charts.bars(["Youth", "School"], [S("Sessions", [2, 1]), S("Attendees", [300, 30])], own_scale=True, **KW)

    half, full = (num(bar, "width") for bar in shapes(parse(scaled.svg), "rect"))
    assert close(half * 2, full)
    assert full < D(across.WIDTH - across.VALUE_ROOM)  # 5 of 10 is half the plot, not all of it
    assert scaled.rows == [["All", "2.5", "5.0"]]
    sessions, attendees, _one, _thirty = (num(bar, "width") for bar in shapes(parse(own.svg), "rect"))
    assert sessions == attendees  # each the largest of its own series


def test_a_long_number_leaves_room_for_itself_inside_the_chart():
    chart = charts.bars(["Youth", "General"], [S("Attendees", [98765, 1])], **KW)

    numbers = [text for text in shapes(parse(chart.svg), "text") if text.get("class") == "chart__value"]
    assert [text.text for text in numbers] == ["98,765", "1"]
    for text in numbers:
        assert D(text.get("x")) + across.DIGIT_WIDTH * len(text.text) <= across.WIDTH, text.text


def test_stacked_bars_pile_up_to_each_total_and_the_tallest_fills_the_plot():
    chart = charts.stacked_bars(
        ["Jan 2026", "Feb 2026"],
        [S("Food", [D("120.00"), D("50")]), S("Rent", [D("500.00"), None]), S("Other", [D(0), D("10")], tone=9)],
        fmt=charts.money,
        label_heading="Month",
        total_heading="Paid",
        **KW,
    )

    bars = shapes(parse(chart.svg), "rect")

    assert chart.headings == ["Month", "Food", "Rent", "Other", "Paid"]
    assert chart.rows == [
        ["Jan 2026", "$120.00", "$500.00", "$0.00", "$620.00"],
        ["Feb 2026", "$50.00", "—", "$10.00", "$60.00"],
    ]
    assert [title_of(bar) for bar in bars] == [
        "Food, Jan 2026: $120.00",
        "Rent, Jan 2026: $500.00",
        "Food, Feb 2026: $50.00",
        "Other, Feb 2026: $10.00",
    ]
    assert [bar.get("class") for bar in bars][-1] == "chart__bar chart__tone-9"
    plot = D(upright.HEIGHT - upright.TOP - upright.BOTTOM)
    assert close(num(bars[0], "height") + num(bars[1], "height"), plot)
    assert close(num(bars[0], "height"), plot * 120 / 620)
    assert close(num(bars[2], "height") + num(bars[3], "height"), plot * 60 / 620, within="0.1")
    assert close(num(bars[1], "y") + num(bars[1], "height"), num(bars[0], "y"))  # rent sits on food
    assert chart.legend == [("Food", "chart__tone-0"), ("Rent", "chart__tone-1"), ("Other", "chart__tone-9")]


def test_columns_stand_side_by_side_in_proportion():
    chart = charts.columns(
        ["Jan", "Feb"],
        [S("Income", [D("1200"), D("1000")]), S("Expenses", [D("1080"), D("0")])],
        fmt=charts.money,
        **KW,
    )

    bars = shapes(parse(chart.svg), "rect")

    assert [title_of(bar) for bar in bars] == [
        "Income, Jan: $1,200.00",
        "Expenses, Jan: $1,080.00",
        "Income, Feb: $1,000.00",
        "Expenses, Feb: $0.00",
    ]
    plot = D(upright.HEIGHT - upright.TOP - upright.BOTTOM)
    assert [num(bar, "height") for bar in bars] == [plot, D("176.4"), D("163.3"), D(0)]
    assert num(bars[0], "x") + num(bars[0], "width") == num(bars[1], "x")


def test_lines_put_each_point_at_its_value_and_break_where_a_value_is_missing():
    chart = charts.lines(["Q1", "Q2", "Q3", "Q4"], [S("Referrals", [4, 8, None, 2])], **KW)

    root = parse(chart.svg)
    points = shapes(root, "circle")

    assert [title_of(point) for point in points] == ["Q1: 4", "Q2: 8", "Q4: 2"]
    assert chart.rows == [["Q1", "4"], ["Q2", "8"], ["Q3", "—"], ["Q4", "2"]]
    base = upright.TOP + upright.HEIGHT - upright.TOP - upright.BOTTOM
    heights = [base - num(point, "cy") for point in points]
    assert heights[1] == upright.HEIGHT - upright.TOP - upright.BOTTOM
    assert close(heights[0] * 2, heights[1])
    assert close(heights[2] * 4, heights[1], within="0.2")
    [line] = shapes(root, "polyline")  # Q1 to Q2; Q4 stands alone
    assert len(line.get("points").split()) == 2


def test_a_funnel_narrows_with_each_step_and_gives_its_share_of_the_first():
    chart = charts.funnel(["Referred", "Screened", "Enrolled"], [40, 25, 9], label_heading="Step", **KW)

    bars = shapes(parse(chart.svg), "rect")

    assert chart.headings == ["Step", "Number", "Share of the first step"]
    assert chart.rows == [["Referred", "40", "100%"], ["Screened", "25", "63%"], ["Enrolled", "9", "23%"]]
    assert [title_of(bar) for bar in bars] == [
        "Referred: 40 (100% of the first step)",
        "Screened: 25 (63% of the first step)",
        "Enrolled: 9 (23% of the first step)",
    ]
    widths = [num(bar, "width") for bar in bars]
    assert widths[0] == across.WIDTH
    assert close(widths[1], D(across.WIDTH) * 25 / 40)
    assert all(close(num(bar, "x") * 2 + num(bar, "width"), across.WIDTH) for bar in bars)  # centred


def test_month_labels_under_columns_never_touch_and_the_last_is_always_written():
    labels = ["Dec 2025", "Jan 2026", *["Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct"], "Nov"]
    svg = charts.columns(labels, [charts.Series("Referrals", [1] * 12)], **KW).svg

    written = re.findall(r'<text class="chart__tick" x="([\d.]+)"[^>]*>([^<]*)</text>', svg)[1:]

    assert written[-1][1] == "Nov"
    for (x1, a), (x2, b) in itertools.pairwise(written):
        room = Decimal(x2) - Decimal(x1)
        assert room >= (len(a) + len(b)) * upright.CHARACTER_WIDTH / 2 + upright.TICK_GAP, (a, b)
    short = charts.columns(labels[2:], [charts.Series("Referrals", [1] * 10)], **KW).svg
    assert len(re.findall(r'<text class="chart__tick" x=', short)) == 1 + 10  # the top value, and every month


def test_a_funnel_of_only_negatives_draws_empty_bars_instead_of_failing():
    chart = charts.funnel(["Referred", "Screened"], [0, -1], **KW)

    assert [num(bar, "width") for bar in shapes(parse(chart.svg), "rect")] == [0, 0]


@pytest.mark.parametrize(
    "build",
    [
        lambda labels, series: charts.bars(labels, series, **KW),
        lambda labels, series: charts.stacked_bars(labels, series, **KW),
        lambda labels, series: charts.columns(labels, series, **KW),
        lambda labels, series: charts.lines(labels, series, **KW),
        lambda labels, series: charts.funnel(labels, series[0].values if series else [], **KW),
    ],
    ids=["bars", "stacked_bars", "columns", "lines", "funnel"],
)
def test_nothing_to_draw_is_an_empty_svg_and_the_table_stays(build):
    assert build([], []).svg == ""
    nothing = build(["March", "April"], [S("Contacts", [0, None])])

    assert nothing.svg == ""
    assert nothing.empty
    assert nothing.rows[0][:2] == ["March", "0"]


def test_a_series_must_have_a_value_for_each_label():
    with pytest.raises(ValueError, match="2 values for 3 labels"):
        charts.bars(["a", "b", "c"], [S("n", [1, 2])], **KW)


def test_a_chart_escapes_what_it_writes():
    chart = charts.bars(["<b>Town</b> & co"], [S("<i>n</i>", [3])], chart_id='x" onload="alert(1)', title="<i>T</i>",
                        desc="D")  # fmt: skip

    svg = str(chart.svg)

    assert "<b>" not in svg
    assert "<i>" not in svg
    assert 'onload="alert(1)"' not in svg
    assert "&lt;b&gt;Town&lt;/b&gt; &amp; co: 3" in svg
    parse(svg)


def test_formats_use_the_readers_separators():
    assert charts.count(1500) == "1,500"
    assert charts.money(D("1500")) == "$1,500.00"
    assert charts.money(D("-5")) == "-$5.00"
    assert charts.decimals(1)(4.15) == "4.2"  # half up from the number as written, not 4.1499...
    assert charts.decimals(2)(D("1234.5")) == "1,234.50"


# Random values: the longest bar is the largest value, and every bar is in proportion.
@given(values=st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=15))
def test_bars_are_proportional_to_their_values(values):
    labels = [f"Town {n}" for n in range(len(values))]
    chart = charts.bars(labels, [S("Sessions", values)], **KW)
    if not any(values):
        assert chart.svg == ""
        return

    widths = [num(bar, "width") for bar in shapes(parse(chart.svg), "rect")]

    top = max(values)
    assert widths.index(max(widths)) == values.index(top)
    for value, width in zip(values, widths, strict=True):
        assert close(width, widths[values.index(top)] * value / top)
    assert [title_of(bar) for bar in shapes(parse(chart.svg), "rect")] == [": ".join(row) for row in chart.rows]


@given(columns=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)), min_size=1, max_size=20))
def test_stacked_columns_are_proportional_to_their_totals(columns):
    labels = [f"M{n}" for n in range(len(columns))]
    series = [S("Food", [food for food, _rent in columns]), S("Rent", [rent for _food, rent in columns])]
    chart = charts.stacked_bars(labels, series, total_heading="Paid", **KW)
    totals = [food + rent for food, rent in columns]
    if not any(totals):
        assert chart.svg == ""
        return

    bars = shapes(parse(chart.svg), "rect")
    plot = D(upright.HEIGHT - upright.TOP - upright.BOTTOM)
    drawn = {label: D(0) for label in labels}
    for bar in bars:
        drawn[title_of(bar).split(": ")[0].split(", ")[1]] += num(bar, "height")

    for label, total in zip(labels, totals, strict=True):
        assert close(drawn[label], plot * total / max(totals), within="0.1")
    assert [row[-1] for row in chart.csv_rows()[1:]] == totals


# The figure: the chart, its legend and the same numbers as a table ------------------------------------


def test_the_figure_shows_the_chart_its_legend_and_a_table_of_the_same_numbers():
    chart = every_builder()["grouped bars"]

    html = render_to_string("charts/_figure.html", {"chart": chart, "caption": "Per month."})

    assert str(chart.svg) in html
    assert "<caption>Referrals</caption>" in html
    assert re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', html) == chart.headings
    cells = re.findall(r'<t[hd] (?:scope="row" )?(?:class="table__num" )?data-label="[^"]*">([^<]*)</t[hd]>', html)
    assert cells == [cell for row in chart.rows for cell in row]
    assert 'class="chart__bar chart__tone-0"' in html
    assert re.findall(r"</svg> ([^<]+)</li>", html) == ["Income", "Expenses"]
    assert "Per month." in html
    assert "<style" not in html
    assert "style=" not in html


def test_the_figure_of_nothing_says_so_in_words():
    chart = charts.bars(["March"], [S("Contacts", [0])], **KW)

    html = render_to_string("charts/_figure.html", {"chart": chart})

    assert "<svg" not in html
    assert "<table" not in html
    assert "Referrals" in html
    assert "Nothing to draw: every number here is zero or missing." in html


# PDFs: WeasyPrint applies no page stylesheet to an inline SVG, so a PDF's chart carries its own ----------


def pdf_fill_colours(html: str) -> set[str]:
    from weasyprint import HTML  # noqa: PLC0415 (WeasyPrint is imported only where a PDF is made)

    page = PdfReader(io.BytesIO(HTML(string=html).write_pdf())).pages[0]
    stream = page.get_contents().get_data().decode("latin-1")
    found = re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", stream)
    return {"#" + "".join(f"{round(float(part) * 255):02x}" for part in colour) for colour in found}


def test_a_chart_for_a_pdf_is_drawn_in_the_stylesheets_colours():
    two = [S("Before", [3, 1], tone=1), S("After", [4, 2], tone=0)]
    for_pdf = charts.bars(["Hartford", "Bloomfield"], two, for_pdf=True, **KW)
    for_page = charts.bars(["Hartford", "Bloomfield"], two, **KW)

    assert "<style>" in str(for_pdf.svg)
    assert "<style" not in str(for_page.svg)
    assert str(for_pdf.style) == str(pdf_style())
    assert {"#0d5c63", "#9a5b00", "#1d2830"} <= pdf_fill_colours(f"<html><body>{for_pdf.svg}</body></html>")
    assert pdf_fill_colours(f"<html><body>{for_page.svg}</body></html>") == {"#000000"}  # why it must carry them


def test_the_pdf_style_is_the_stylesheets_chart_block():
    block = CSS_BLOCK.search((ROOT / "static" / "css" / "bloom.css").read_text(encoding="utf-8")).group(1)

    assert " ".join(block.split()) in str(pdf_style())
    assert "var(" not in block  # WeasyPrint's SVG reads plain values only


def linear_rgb(colour: str) -> list[float]:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]


def luminance(colour: str) -> float:
    r, g, b = linear_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def lab(colour: str) -> tuple[float, float, float]:
    """CIELAB (D65), where a distance of about 2 is just visible and 20 or more is plainly another colour."""
    r, g, b = linear_rgb(colour)
    x, y, z = ((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, luminance(colour),
               (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)  # fmt: skip
    fx, fy, fz = (v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in (x, y, z))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def test_every_tone_stands_out_on_white_and_from_its_neighbours():
    block = CSS_BLOCK.search((ROOT / "static" / "css" / "bloom.css").read_text(encoding="utf-8")).group(1)
    tones = dict(re.findall(r"\.chart__tone-(\d+) \{ fill: (#[0-9a-f]{6});", block))

    palette = [tones[str(n)] for n in range(len(tones))]
    assert len(palette) == charts.base.TONES
    for colour in palette:
        assert 1.05 / (luminance(colour) + 0.05) >= 3, colour  # WCAG non-text contrast on white
    for a, b in itertools.pairwise(palette):  # stacked side by side, neighbours must differ plainly
        assert math.dist(lab(a), lab(b)) >= 30, (a, b)
