"""Training's charts stay inside their own box: the value beside the longest bar is read whole,
and the words that name the bars are in the legend beside the chart, not squeezed beside them."""

import re

from bloom import charts as platform_charts
from bloom.charts import across
from training import charts
from training.queries import Activity, Totals

# DejaVu Sans, the font of the pages and the PDFs, draws a digit 0.64 em wide; a separator is narrower.
DIGIT_WIDTH_AT_12 = 0.64 * 12


def value_labels(chart) -> list[tuple[float, str]]:
    """Each number beside a bar (12 px; the labels above the bars are 13 px): where it starts, what it says."""
    return [
        (float(x), text)
        for x, text in re.findall(r'<text class="chart__value" x="([\d.]+)" y="[\d.]+">([^<]*)</text>', str(chart.svg))
    ]


def activity(*rows: tuple[str, int, int]) -> Activity:
    by_audience = [(label, Totals(sessions=sessions, attendees=attendees)) for label, sessions, attendees in rows]
    total = Totals(sum(s for _l, s, _a in rows), sum(a for _l, _s, a in rows))
    return Activity(by_audience=by_audience, total=total)


def test_the_activity_chart_shows_only_the_number_beside_each_bar():
    chart = charts.activity_chart(activity(("General", 5, 183), ("Youth", 7, 296), ("School staff", 1, 46)))

    assert [text for _x, text in value_labels(chart)] == ["5", "183", "7", "296", "1", "46"]
    assert "<title>Youth, Sessions: 7</title>" in chart.svg
    assert "<title>School staff, Attendees: 46</title>" in chart.svg
    assert chart.legend == [("Sessions", "chart__tone-0"), ("Attendees", "chart__tone-1")]
    assert chart.rows == [["General", "5", "183"], ["Youth", "7", "296"], ["School staff", "1", "46"]]


def test_the_activity_charts_largest_numbers_end_inside_the_chart():
    chart = charts.activity_chart(activity(("Youth", 1234, 98765), ("General", 1, 1)))

    labels = value_labels(chart)
    assert [text for _x, text in labels][:2] == ["1,234", "98,765"]
    for x, text in labels:
        assert x + DIGIT_WIDTH_AT_12 * len(text) <= across.WIDTH, text


def test_an_averages_chart_at_the_top_of_its_scale_ends_inside_the_chart():
    series = [platform_charts.Series("Before", [9.96]), platform_charts.Series("After", [10.0])]
    scale = {"low": 0, "high": 10, "fmt": platform_charts.decimals(1)}

    chart = platform_charts.bars(["All fields of work"], series, **scale, chart_id="c", title="t", desc="d")

    labels = value_labels(chart)
    assert [text for _x, text in labels] == ["10.0", "10.0"]
    for x, text in labels:
        assert x + DIGIT_WIDTH_AT_12 * len(text) <= across.WIDTH, text


def test_an_activity_with_no_session_draws_no_chart():
    assert charts.activity_chart(activity(("General", 0, 0))).svg == ""


def test_a_pdfs_charts_carry_their_colours():
    chart = charts.activity_chart(activity(("General", 5, 183)), for_pdf=True)

    assert "<style>" in chart.svg
    assert ".chart__tone-0 { fill: #0d5c63;" in chart.style
    assert "<style" not in charts.activity_chart(activity(("General", 5, 183))).svg
