"""Training's charts stay inside their own box: the value beside the longest bar is read whole,
and the words that name the bars are in the legend under the chart, not squeezed beside them."""

import re

from training import charts
from training.queries import Activity, Totals

# DejaVu Sans, the font of the pages and the PDFs, draws a digit 0.64 em wide; a separator is narrower.
DIGIT_WIDTH_AT_12 = 0.64 * 12


def value_labels(svg: str) -> list[tuple[float, str]]:
    """Each ``<text>`` beside a bar (12 px; the labels above the bars are 13 px): where it starts, what it says."""
    return [
        (float(x), text)
        for x, text in re.findall(r'<text x="([\d.]+)" y="[\d.]+" font-size="12"[^>]*>([^<]*)</text>', str(svg))
    ]


def activity(*rows: tuple[str, int, int]) -> Activity:
    by_audience = [(label, Totals(sessions=sessions, attendees=attendees)) for label, sessions, attendees in rows]
    total = Totals(sum(s for _l, s, _a in rows), sum(a for _l, _s, a in rows))
    return Activity(by_audience=by_audience, total=total)


def test_the_activity_chart_shows_only_the_number_beside_each_bar():
    svg = charts.activity_chart(activity(("General", 5, 183), ("Youth", 7, 296), ("School staff", 1, 46)))

    assert [text for _x, text in value_labels(svg)] == ["5", "183", "7", "296", "1", "46"]
    assert "<title>Youth, Sessions: 7</title>" in svg
    assert "<title>School staff, Attendees: 46</title>" in svg


def test_the_activity_charts_largest_numbers_end_inside_the_chart():
    svg = charts.activity_chart(activity(("Youth", 1234, 98765), ("General", 1, 1)))

    labels = value_labels(svg)
    assert [text for _x, text in labels][:2] == ["1,234", "98,765"]
    for x, text in labels:
        assert x + DIGIT_WIDTH_AT_12 * len(text) <= charts.WIDTH, text


def test_an_averages_chart_at_the_top_of_its_scale_ends_inside_the_chart():
    rows = [("All fields of work", [("Before", charts.BEFORE_FILL, 9.96), ("After", charts.AFTER_FILL, 10.0)])]

    svg = charts.grouped_bars(rows, low=0, high=10, places=1, chart_id="c", title="t", desc="d")

    labels = value_labels(svg)
    assert [text for _x, text in labels] == ["10.0", "10.0"]
    for x, text in labels:
        assert x + DIGIT_WIDTH_AT_12 * len(text) <= charts.WIDTH, text


def test_an_activity_with_no_session_draws_no_chart():
    assert charts.activity_chart(activity(("General", 0, 0))) == ""
