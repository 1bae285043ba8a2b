"""``tests.matrix`` continued: who may use the dashboards and the service reports.

The same table and the same outcome codes as ``tests.matrix``, which merges these in.
"""

from datetime import timedelta

from django.utils import timezone

from tests.matrix import CASE_A_GET, CASE_READERS, Route, row


def service_report_period(**answers) -> dict:
    """A valid post of a service report's form: the last month, for internal use."""
    today = timezone.localdate()
    return {
        "start": (today - timedelta(days=30)).isoformat(),
        "end": today.isoformat(),
        "audience": "internal",
        **answers,
    }


# fmt: off
MATRIX: dict[str, Route] = {
    # The team dashboard: for those who supervise a team (the supervisor of team A). Another team's
    # id in ``?team=`` is a 404 (tests/bloom/reports/test_team_dashboard.py).
    "reports/teams/": Route(
        lambda o: "/reports/teams/",
        GET=row("403", anonymous="login", supervisor="200"),
        POST=row("405", anonymous="login"),
    ),
    # The program dashboard and each section's CSV: for the program director. Without a period it
    # is the fiscal year to date; an unknown section is a 404 (test_program_dashboard.py).
    "reports/dashboard/": Route(
        lambda o: "/reports/dashboard/",
        GET=row("403", anonymous="login", director="200"),
        POST=row("405", anonymous="login"),
    ),
    "reports/dashboard/<slug:section>.csv": Route(
        lambda o: "/reports/dashboard/money.csv",
        GET=row("403", anonymous="login", director="200"),
        POST=row("405", anonymous="login"),
    ),
    # One case's service report: for whoever sees the case; a valid post queues the PDF (302).
    "cases/<int:pk>/service-report/": Route(
        lambda o: f"/cases/{o.world.case_a.pk}/service-report/",
        GET=CASE_A_GET,
        POST=row("404", anonymous="login", **dict.fromkeys(CASE_READERS, "302")),
        data=lambda o: service_report_period(),
    ),
    # A team's service report: for the team's supervisors only (another team's is a 404).
    "cases/teams/<int:team_pk>/service-report/": Route(
        lambda o: f"/cases/teams/{o.world.team_a.pk}/service-report/",
        GET=row("404", anonymous="login", supervisor="200"),
        POST=row("404", anonymous="login", supervisor="302"),
        data=lambda o: service_report_period(),
    ),
}

# More URLs of routes already declared (in either table), checked the same way.
EXAMPLES: list[tuple[str, Route]] = [
    # The service reports through the report route, with their answers posted.
    (
        "reports/request/<slug:kind>/<int:target_id>/",
        Route(
            lambda o: f"/reports/request/case_service_report/{o.world.case_a.pk}/",
            GET=row("405", anonymous="login"),
            POST=row("404", anonymous="login", **dict.fromkeys(CASE_READERS, "302")),
            data=lambda o: service_report_period(audience="survivor"),
        ),
    ),
    (
        "reports/request/<slug:kind>/<int:target_id>/",
        Route(
            lambda o: f"/reports/request/team_service_report/{o.world.team_a.pk}/",
            GET=row("405", anonymous="login"),
            POST=row("404", anonymous="login", supervisor="302"),
            data=lambda o: service_report_period(),
        ),
    ),
]
# fmt: on
