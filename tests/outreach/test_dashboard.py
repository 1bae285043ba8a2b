"""The outreach dashboard against figures worked out by hand: totals, by month, town and kind of
venue, the filters, the CSV, bad filters, and the charts."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bloom import charts as platform_charts
from outreach import charts, queries
from outreach.forms import DashboardForm
from outreach.models import OutreachSession
from tests.factories import hand_off, log_outreach, make_town, make_volunteer

PERIOD = {"start": "2025-03-01", "end": "2025-04-30"}
HEADER = [
    "group", "sessions", "volunteer_hours", "people_contacted", "hotline_cards", "hygiene_kits", "food",
    "resource_sheets", "materials", "possibly_identified", "handoffs_to_intake", "safety_incidents",
]  # fmt: skip


def at(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def counts(people, cards, kits, food, sheets, identified, incidents=0) -> dict:
    return {
        "people_contacted": people, "hotline_cards": cards, "hygiene_kits": kits, "food_items": food,
        "resource_sheets": sheets, "possibly_identified": identified, "safety_incidents": incidents,
    }  # fmt: skip


@pytest.fixture
def sessions(world):
    """Five sessions in March and April 2025 (local time), and two just outside that period.

    ====  ==============  ===========  ================  =====  ====  ==================  ========
    name  starts (local)  town         venues            hours  team  counts*             to intake
    ====  ==============  ===========  ================  =====  ====  ==================  ========
    s1    Mar 4, 18:00    Hartford     street            2      2     10 5 3 4 2 1 0      1
    s2    Mar 18, 19:00   New Britain  hotel, street     3.5    1     6 2 0 6 1 2 1       2
    s3    Mar 31, 22:00   Hartford     massage           3      2     3 3 1 0 0 0 0       0
    s4    Apr 8, 17:00    New Britain  street            2      3     8 4 2 2 3 1 0       1
    s5    Apr 22, 18:00   Hartford     hotel             1.5    0     2 1 1 1 0 0 0       0
    ====  ==============  ===========  ================  =====  ====  ==================  ========

    * people contacted, hotline cards, hygiene kits, food, resource sheets, possibly identified,
    safety incidents. s3 ends on April 1 and starts on April 1 in UTC: it is March's. Outside
    the period: Feb 28 at 21:00 (March 1 in UTC) and May 2, each with many people and a hand-off.
    """
    by = world.outreach
    hartford, new_britain = make_town("Hartford"), make_town("New Britain")
    ana, ben, cy = (make_volunteer(by, full_name=name) for name in ("Ana Ames", "Ben Bell", "Cy Cole"))
    s1 = log_outreach(by, town=hartford, starts_at=at(2025, 3, 4, 18), hours=2, volunteers=[ana, ben],
                      venue_types=["street"], **counts(10, 5, 3, 4, 2, 1))  # fmt: skip
    s2 = log_outreach(by, town=new_britain, starts_at=at(2025, 3, 18, 19), hours=3.5, volunteers=[ana],
                      venue_types=["hotel", "street"], incident_notes="A manager asked us to leave.",
                      **counts(6, 2, 0, 6, 1, 2, incidents=1))  # fmt: skip
    s3 = log_outreach(by, town=hartford, starts_at=at(2025, 3, 31, 22), hours=3, volunteers=[ben, cy],
                      venue_types=["massage"], **counts(3, 3, 1, 0, 0, 0))  # fmt: skip
    s4 = log_outreach(by, town=new_britain, starts_at=at(2025, 4, 8, 17), hours=2, volunteers=[ana, ben, cy],
                      venue_types=["street"], **counts(8, 4, 2, 2, 3, 1))  # fmt: skip
    s5 = log_outreach(by, town=hartford, starts_at=at(2025, 4, 22, 18), hours=1.5, volunteers=[],
                      venue_types=["hotel"], **counts(2, 1, 1, 1, 0, 0))  # fmt: skip
    before = log_outreach(by, town=hartford, starts_at=at(2025, 2, 28, 21), hours=2, volunteers=[ana],
                          venue_types=["street"], **counts(50, 50, 50, 50, 50, 5))  # fmt: skip
    after = log_outreach(by, town=new_britain, starts_at=at(2025, 5, 2, 18), hours=2, volunteers=[cy],
                         venue_types=["hotel"], **counts(100, 100, 100, 100, 100, 9))  # fmt: skip
    for session in (s1, s2, s2, s4, before, after):
        hand_off(session, by, world.team_a)
    return {"s1": s1, "s2": s2, "s3": s3, "s4": s4, "s5": s5, "before": before, "after": after}


def figures(**filters) -> queries.Dashboard:
    form = DashboardForm({**PERIOD, **filters})
    assert form.is_valid(), form.errors
    return queries.dashboard(form.sessions(OutreachSession.objects.all()), venue=form.cleaned_data["venue"])


def row(figure) -> list:
    """A group's figures in the CSV's column order."""
    return [
        figure.sessions, figure.volunteer_hours, figure.people_contacted, figure.hotline_cards, figure.hygiene_kits,
        figure.food_items, figure.resource_sheets, figure.materials, figure.possibly_identified, figure.handoffs,
        figure.safety_incidents,
    ]  # fmt: skip


def h(text: str) -> Decimal:
    return Decimal(text)


# The figures ------------------------------------------------------------------------------------


def test_the_totals_of_the_period(sessions):
    total = figures().total

    # minutes x team: 120x2 + 210x1 + 180x2 + 120x3 + 90x0 = 1170 = 19.5 hours
    assert total.volunteer_minutes == 1170
    assert row(total) == [5, h("19.5"), 29, 15, 7, 13, 6, 41, 4, 4, 1]


def test_the_figures_by_month_in_local_time(sessions):
    by_month = figures().by_month

    assert [f.extra["month"] for f in by_month] == [date(2025, 3, 1), date(2025, 4, 1)]
    assert [f.key for f in by_month] == ["2025-03-01", "2025-04-01"]
    assert row(by_month[0]) == [3, h("13.5"), 19, 10, 4, 10, 3, 27, 3, 3, 1]  # s1, s2, s3
    assert row(by_month[1]) == [2, h("6.0"), 10, 5, 3, 3, 3, 14, 1, 1, 0]  # s4, s5


def test_the_figures_by_town_most_sessions_first(sessions):
    by_town = figures().by_town

    assert [f.label for f in by_town] == ["Hartford", "New Britain"]
    assert row(by_town[0]) == [3, h("10.0"), 15, 9, 5, 5, 2, 21, 1, 1, 0]  # s1, s3, s5
    assert row(by_town[1]) == [2, h("9.5"), 14, 6, 2, 8, 4, 20, 3, 3, 1]  # s2, s4


def test_a_session_at_two_kinds_of_venue_counts_under_each(sessions):
    by_venue = figures().by_venue

    assert [(f.key, f.label) for f in by_venue] == [
        ("hotel", "Hotel or motel"),
        ("massage", "Illicit massage or spa"),
        ("street", "Street-based"),
    ]
    assert row(by_venue[0]) == [2, h("3.5"), 8, 3, 1, 7, 1, 12, 2, 2, 1]  # s2, s5
    assert row(by_venue[1]) == [1, h("6.0"), 3, 3, 1, 0, 0, 4, 0, 0, 0]  # s3
    assert row(by_venue[2]) == [3, h("13.5"), 24, 11, 5, 12, 6, 34, 4, 4, 1]  # s1, s2, s4
    # the venues add up to more sessions than there were: s2 is under both
    assert sum(f.sessions for f in by_venue) == 6


def test_the_town_filter(sessions):
    hartford = make_town("Hartford")

    dashboard = figures(town=hartford.pk)

    assert row(dashboard.total) == [3, h("10.0"), 15, 9, 5, 5, 2, 21, 1, 1, 0]
    assert [f.label for f in dashboard.by_town] == ["Hartford"]
    assert [row(f) for f in dashboard.by_month] == [
        [2, h("10.0"), 13, 8, 4, 4, 2, 18, 1, 1, 0],  # s1, s3
        [1, h("0.0"), 2, 1, 1, 1, 0, 3, 0, 0, 0],  # s5, no volunteer
    ]


def test_the_venue_filter(sessions):
    dashboard = figures(venue="street")

    assert row(dashboard.total) == [3, h("13.5"), 24, 11, 5, 12, 6, 34, 4, 4, 1]  # s1, s2, s4
    assert [(f.label, f.sessions, f.people_contacted) for f in dashboard.by_town] == [
        ("New Britain", 2, 14),
        ("Hartford", 1, 10),
    ]
    # s2 was also at a hotel: that is what the street sessions include
    assert [(f.key, f.sessions, f.volunteer_hours) for f in dashboard.by_venue] == [
        ("hotel", 1, h("3.5")),
        ("street", 3, h("13.5")),
    ]


def test_the_town_and_venue_filters_together(sessions):
    dashboard = figures(town=make_town("Hartford").pk, venue="hotel")

    assert row(dashboard.total) == [1, h("0.0"), 2, 1, 1, 1, 0, 3, 0, 0, 0]  # s5


def test_a_period_with_no_session_adds_up_to_nothing(sessions):
    dashboard = figures(start="2024-01-01", end="2024-12-31")

    assert row(dashboard.total) == [0, h("0.0"), 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert (dashboard.by_month, dashboard.by_town, dashboard.by_venue) == ([], [], [])


def test_the_period_is_read_in_local_time_at_both_ends(sessions):
    march = figures(start="2025-03-01", end="2025-03-31")
    february = figures(start="2025-02-01", end="2025-02-28")

    assert march.total.sessions == 3  # s3 starts at 22:00 on March 31, in April in UTC
    assert february.total.people_contacted == 50  # the one on Feb 28 at 21:00, March 1 in UTC


# The page and the CSV ---------------------------------------------------------------------------


def dashboard_page(client, **params):
    return client.get(reverse("outreach:dashboard"), {**PERIOD, **params})


def csv_rows(client, by, **params) -> list[list[str]]:
    response = client.get(reverse("outreach:dashboard_csv"), {**PERIOD, "by": by, **params})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"outreach-by-{by}-20250301-20250430.csv" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("persona", ["outreach", "supervisor", "director"])
def test_the_dashboard_page_shows_the_totals_and_the_charts(client, world, sessions, persona):
    client.force_login(world.everyone()[persona])

    response = dashboard_page(client)

    assert response.status_code == 200
    assert row(response.context["figures"].total) == [5, h("19.5"), 29, 15, 7, 13, 6, 41, 4, 4, 1]
    content = response.content.decode()
    assert content.count('<svg class="chart chart--bars"') == 3
    assert '<title id="contacts-chart-title">People contacted by month</title>' in content
    assert "<title>March 2025: 19</title>" in content
    assert "<title>April 2025: 10</title>" in content
    assert "<title>Hartford: 3</title>" in content
    assert "<title>New Britain: 2</title>" in content
    assert "<title>Street-based: 3</title>" in content
    assert "<title>Illicit massage or spa: 1</title>" in content
    assert content.count("<caption>People contacted by month</caption>") == 1  # each chart's numbers beside it
    assert content.count('class="figures chart-figure__numbers"') == 3


@pytest.mark.parametrize("persona", ["specialist", "finance", "volunteer", "trainer"])
def test_the_dashboard_is_for_those_who_follow_outreach(client, world, sessions, persona):
    client.force_login(world.everyone()[persona])

    assert dashboard_page(client).status_code == 403
    assert client.get(reverse("outreach:dashboard_csv"), {**PERIOD, "by": "month"}).status_code == 403


def test_an_empty_period_shows_no_chart(client, world, sessions):
    client.force_login(world.outreach)

    response = client.get(reverse("outreach:dashboard"), {"start": "2024-01-01", "end": "2024-12-31"})

    assert response.status_code == 200
    assert "<svg" not in response.content.decode()
    assert "No session in this period." in response.content.decode()


def test_the_csv_by_month(client, world, sessions):
    client.force_login(world.outreach)

    assert csv_rows(client, "month") == [
        HEADER,
        ["2025-03", "3", "13.5", "19", "10", "4", "10", "3", "27", "3", "3", "1"],
        ["2025-04", "2", "6.0", "10", "5", "3", "3", "3", "14", "1", "1", "0"],
        ["total", "5", "19.5", "29", "15", "7", "13", "6", "41", "4", "4", "1"],
    ]


def test_the_csv_by_town(client, world, sessions):
    client.force_login(world.outreach)

    assert csv_rows(client, "town") == [
        HEADER,
        ["Hartford", "3", "10.0", "15", "9", "5", "5", "2", "21", "1", "1", "0"],
        ["New Britain", "2", "9.5", "14", "6", "2", "8", "4", "20", "3", "3", "1"],
        ["total", "5", "19.5", "29", "15", "7", "13", "6", "41", "4", "4", "1"],
    ]


def test_the_csv_by_venue(client, world, sessions):
    client.force_login(world.outreach)

    assert csv_rows(client, "venue") == [
        HEADER,
        ["Hotel or motel", "2", "3.5", "8", "3", "1", "7", "1", "12", "2", "2", "1"],
        ["Illicit massage or spa", "1", "6.0", "3", "3", "1", "0", "0", "4", "0", "0", "0"],
        ["Street-based", "3", "13.5", "24", "11", "5", "12", "6", "34", "4", "4", "1"],
        ["total", "5", "19.5", "29", "15", "7", "13", "6", "41", "4", "4", "1"],
    ]


def test_the_csv_follows_the_filters(client, world, sessions):
    client.force_login(world.outreach)

    rows = csv_rows(client, "month", town=make_town("New Britain").pk, venue="street")

    assert rows == [
        HEADER,
        ["2025-03", "1", "3.5", "6", "2", "0", "6", "1", "9", "2", "2", "1"],  # s2
        ["2025-04", "1", "6.0", "8", "4", "2", "2", "3", "11", "1", "1", "0"],  # s4
        ["total", "2", "9.5", "14", "6", "2", "8", "4", "20", "3", "3", "1"],
    ]


def test_the_csv_links_on_the_page_carry_the_filter(client, world, sessions):
    client.force_login(world.outreach)
    town = make_town("Hartford")

    content = dashboard_page(client, town=town.pk, venue="hotel").content.decode()

    query = f"start=2025-03-01&amp;end=2025-04-30&amp;town={town.pk}&amp;venue=hotel"
    assert f"{reverse('outreach:dashboard_csv')}?by=town&amp;{query}" in content


# Bad filters ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2025-04-30", "end": "2025-03-01"}, "The period ends before it starts."),
        ({"start": "2025-13-45", "end": "2025-04-30"}, "Enter a valid date."),
        ({"start": "", "end": "2025-04-30"}, "This field is required."),
        ({"start": "2000-01-01", "end": "2025-04-30"}, "Choose a period of at most ten years."),
        ({**PERIOD, "town": "999999"}, "Select a valid choice."),
        ({**PERIOD, "venue": "nightclub"}, "Select a valid choice."),
        ({"start": "9999-12-30", "end": "9999-12-31"}, ""),
        ({"start": "0001-01-01", "end": "0001-01-02"}, ""),
    ],
)
def test_a_bad_filter_is_a_400_with_a_message(client, world, sessions, params, message):
    client.force_login(world.outreach)

    page = client.get(reverse("outreach:dashboard"), params)
    export = client.get(reverse("outreach:dashboard_csv"), {**params, "by": "month"})

    for response in (page, export):
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")
        assert response.context["form"].errors
        assert message in response.content.decode()
        assert "<svg" not in response.content.decode()


@pytest.mark.parametrize("by", ["nonsense", "", "MONTH"])
def test_an_export_by_something_else_is_a_400(client, world, sessions, by):
    client.force_login(world.outreach)

    response = client.get(reverse("outreach:dashboard_csv"), {**PERIOD, "by": by})

    assert response.status_code == 400
    assert "Choose to export by month, town or kind of venue." in response.content.decode()


def test_an_export_by_nonsense_with_a_bad_period_says_both(client, world, sessions):
    client.force_login(world.outreach)

    response = client.get(reverse("outreach:dashboard_csv"), {"start": "2025-04-30", "end": "2025-03-01", "by": "x"})

    content = response.content.decode()
    assert response.status_code == 400
    assert "Choose to export by month, town or kind of venue." in content
    assert "The period ends before it starts." in content


# The charts -------------------------------------------------------------------------------------


def bars(rows: list[tuple[str, int]], **kw) -> platform_charts.Chart:
    """The dashboard's kind of chart: a bar under each label, one series."""
    series = [platform_charts.Series("Sessions", [n for _label, n in rows])]
    return platform_charts.bars([label for label, _n in rows], series, **kw)


def test_a_chart_of_nothing_is_not_drawn():
    assert bars([], chart_id="c", title="T", desc="D").svg == ""
    assert bars([("March", 0), ("April", 0)], chart_id="c", title="T", desc="D").svg == ""


def test_a_chart_has_a_title_and_a_bar_with_its_own_title_per_row():
    svg = str(bars([("March", 19), ("April", 10), ("May", 0)], chart_id="c", title="Contacts", desc="By month").svg)

    assert svg.startswith('<svg class="chart chart--bars"')
    assert svg.endswith("</svg>")
    assert '<title id="c-title">Contacts</title><desc id="c-desc">By month</desc>' in svg
    assert svg.count("<rect") == 3
    assert svg.count("<title>") == 3
    assert "<title>March: 19</title>" in svg
    assert "<title>April: 10</title>" in svg
    assert "<title>May: 0</title>" in svg
    # the longest bar fills the plot (360 - 48 = 312); the others in proportion (10/19 x 312)
    assert 'width="312.0"' in svg
    assert 'width="164.2"' in svg
    assert 'width="0.0"' in svg
    assert 'viewBox="0 0 360 128"' in svg  # 4 x 2 + (16 + 14 + 10) x 3
    assert "style=" not in svg
    assert "<script" not in svg


def test_a_chart_escapes_its_labels():
    svg = str(bars([("<b>Town</b> & co", 3)], chart_id="c", title="<i>T</i>", desc="D").svg)

    assert "<b>" not in svg
    assert "<i>" not in svg
    assert "&lt;b&gt;Town&lt;/b&gt; &amp; co: 3" in svg


def test_the_dashboards_charts_hold_the_figures_of_its_tables(sessions):
    by = figures()

    drawn = charts.dashboard_charts(by)

    assert drawn["month"].headings == ["Month", "People contacted"]
    assert drawn["month"].csv_rows()[1:] == [["March 2025", 19], ["April 2025", 10]]
    assert drawn["town"].csv_rows()[1:] == [["Hartford", 3], ["New Britain", 2]]
    assert drawn["venue"].csv_rows()[1:] == [[f.label, f.sessions] for f in by.by_venue]
