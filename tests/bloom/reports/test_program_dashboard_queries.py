"""The program director's dashboard and a section's CSV cost the same number of queries with one of
everything it counts as with five (``grow``), restricted cases among them.

Apart from the dashboard's other tests, whose module-wide people would be counted here too.
"""

from datetime import date, timedelta

from django.urls import reverse

from cases.services.access import set_restriction
from tests import test_query_counts
from tests.bloom.reports.test_program_dashboard import QUERY, on, paid, screen, tick
from tests.factories import (
    close_case,
    log_outreach,
    make_case,
    make_curriculum,
    make_event,
    make_fund,
    make_trainer,
    start_plan,
)
from tests.test_query_counts import at_each_size

# The query-count guards' fixture: each size's rows, built once per size (``at_each_size``).
rows = test_query_counts.rows


def grow(world, size):
    """``size`` of each kind of thing the dashboard counts, in the period: cases referred, screened,
    with a plan, served, paid for and closed; restricted ones; sessions and trainings."""
    sam, sue = world.specialist, world.supervisor
    fund = make_fund(world.director, name="Growth", starts_on=date(2025, 10, 1), ends_on=date(2026, 12, 31))
    course = make_curriculum(world.trainer, name="Growth course")
    trainers = [
        make_trainer(world.trainer, full_name="Growth trainer", curricula=[course], certified_on=date(2025, 1, 1))
    ]
    for n in range(size):
        day = date(2026, 2, 1) + timedelta(days=n)
        case = make_case(team=world.team_a, specialists=[sam], legal_name=f"Person {n}", opened_on=day)
        screen(case, day)
        start_plan(case, sam, started_on=day)
        tick(case, "transportation", day, sam)
        paid(case, sam, sue, world.finance, asked_on=day, paid_on=day, fund=fund, amount="10.00")
        closed = make_case(team=world.team_a, specialists=[sam], legal_name=f"Closed {n}", opened_on=day)
        close_case(closed, by=sam, approver=sue, closed_on=day + timedelta(days=30))
        if n % 2:
            set_restriction(case, by=sue, restricted=True, named=[sue])
        log_outreach(world.outreach, starts_at=on(day), people_contacted=n + 1)
        make_event(world.trainer, curriculum=course, trainers=trainers, starts_at=on(day), attendee_count=n + 1)


@at_each_size(grow)
def test_the_page_and_a_csv_cost_the_same_at_any_size(client, world, rows, django_assert_num_queries):
    client.force_login(world.director)
    client.get(reverse("reports:program_dashboard"), QUERY)  # warm the per-process caches
    client.get(reverse("reports:program_dashboard_csv", args=["services"]), QUERY)

    with django_assert_num_queries(12):
        page = client.get(reverse("reports:program_dashboard"), QUERY)
    with django_assert_num_queries(7):
        download = client.get(reverse("reports:program_dashboard_csv", args=["services"]), QUERY)

    assert (page.status_code, download.status_code) == (200, 200)
    advocacy = next(s for s in page.context["sections"] if s.slug == "services").chart.values[1]
    unrestricted = rows.size - rows.size // 2
    assert advocacy == ["Advocacy and accompaniment", unrestricted, unrestricted]
