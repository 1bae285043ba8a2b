"""A team's service report: one page per case, for the team's supervisors, for internal use."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bloom.audit.models import AccessLogEntry
from bloom.reports import services as report_services
from bloom.reports.models import ReportJob
from cases.service_report import printing
from cases.service_report.forms import Audience
from cases.service_report.sections import Scope
from cases.services.access import set_restriction
from tests.bloom.accounts.test_security import assert_strict_page
from tests.cases.service_report_world import (
    CONTACT_NOTE,
    NARRATIVES,
    OPENED,
    START,
    TODAY,
    day,
    serve,
    short,
)
from tests.factories import close_case, make_case, make_team, make_user
from tests.printouts import flat, page_texts

KIND = "team_service_report"


@pytest.fixture
def team_a(world):
    """Team A's cases: the one served over the period, case A (enrolled today), one closed before
    the period began, and one restricted to its specialist; case B is team B's."""
    served = serve(world).case
    closed = make_case(team=world.team_a, specialists=[world.specialist], legal_name="Cleo Closed", opened_on=OPENED)
    close_case(closed, by=world.specialist, approver=world.supervisor, closed_on=START - timedelta(days=5))
    hidden = make_case(team=world.team_a, specialists=[world.specialist], legal_name="Hana Hidden")
    set_restriction(hidden, by=world.supervisor, restricted=True, named=[world.director])
    return {"served": served, "case_a": world.case_a, "closed": closed, "hidden": hidden}


def url(team) -> str:
    return reverse("cases:team_service_report", args=[team.pk])


def period(**answers) -> dict:
    return {"start": START.isoformat(), "end": TODAY.isoformat(), **answers}


def build(client, user, team, capture, **answers) -> tuple[ReportJob, list[str]]:
    client.force_login(user)
    with capture(execute=False) as callbacks:
        response = client.post(url(team), period(**answers))
    assert (response.status_code, len(callbacks)) == (302, 1), response.content.decode()[:2000]
    job = ReportJob.objects.get(kind=KIND, requested_by=user)
    report_services.run_report_job(job.pk)
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    download = client.get(reverse("reports:download", args=[job.public_id]))
    assert download.status_code == 200
    return job, [flat(page) for page in page_texts(b"".join(download.streaming_content))]


def code(case) -> str:
    return case.survivor.client_code


def test_the_team_report_has_one_page_per_case_the_supervisor_may_see(
    client, world, team_a, django_capture_on_commit_callbacks
):
    _job, pages = build(client, world.supervisor, world.team_a, django_capture_on_commit_callbacks)

    text = " ".join(pages)
    printed = [case for case in (team_a["served"], team_a["case_a"]) if code(case) in text]
    assert printed == [team_a["served"], team_a["case_a"]]
    for left_out in (team_a["closed"], team_a["hidden"], world.case_b):
        assert code(left_out) not in text
    assert [name for name in ("Hana Hidden", "Cleo Closed") if name in text] == []
    # Each case starts a page of its own, in the order of the client codes.
    first_page = {code(case): next(i for i, page in enumerate(pages) if code(case) in page) for case in printed}
    in_order = sorted(first_page, key=first_page.get)
    assert in_order == sorted(first_page)
    assert in_order[0] not in pages[first_page[in_order[1]]]
    assert "Service report: Team A" in pages[0]
    # A case with little in the period says so in a few lines, and its page holds it all.
    case_a_page = pages[first_page[code(team_a["case_a"])]]
    assert "No services were recorded in this period. No contacts were recorded in this period." in case_a_page
    assert "No goal was marked achieved in this period." in case_a_page
    assert "Prepared for: internal use" in pages[0]
    assert f"Individual counseling 2 {short(day(2))}, {short(day(44))}" in text
    assert "Rosie (legal name: Rosa Delgado)" in text


def test_the_team_report_prints_no_note_unless_asked(client, world, team_a, django_capture_on_commit_callbacks):
    _job, pages = build(client, world.supervisor, world.team_a, django_capture_on_commit_callbacks)

    text = " ".join(pages)
    assert [phrase for phrase in NARRATIVES if phrase in text] == []


def test_the_team_report_prints_notes_for_a_supervisor_who_asks(
    client, world, team_a, django_capture_on_commit_callbacks
):
    _job, pages = build(client, world.supervisor, world.team_a, django_capture_on_commit_callbacks, notes="on")

    text = " ".join(pages)
    assert [phrase for phrase in NARRATIVES if phrase not in text] == []
    assert CONTACT_NOTE in text


def test_the_print_is_logged_against_the_team_with_whom_it_was_for(client, world, team_a):
    client.force_login(world.supervisor)

    client.post(url(world.team_a), period(notes="on"))

    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.target_id, entry.target_label) == ("print", world.team_a.pk, "team Team A")
    assert entry.reason == f'log.team_report_notes|["{START}","{TODAY}"]'


@pytest.mark.parametrize("persona", ["specialist", "colleague", "outsider", "director", "finance", "outreach"])
def test_only_the_teams_supervisors_may_have_it(client, world, team_a, persona):
    client.force_login(world.everyone()[persona])

    answers = [client.get(url(world.team_a)).status_code, client.post(url(world.team_a), period()).status_code]
    answers.append(client.post(reverse("reports:request", args=[KIND, world.team_a.pk]), period()).status_code)

    assert answers == [404, 404, 404]
    assert (ReportJob.objects.count(), AccessLogEntry.objects.count()) == (0, 0)


def test_another_teams_supervisor_gets_404(client, world):
    client.force_login(world.supervisor)

    assert client.get(url(world.team_b)).status_code == 404
    assert client.get(reverse("cases:team_service_report", args=[99999999])).status_code == 404


def test_a_period_without_a_case_says_so_and_queues_nothing(client, world):
    client.force_login(world.supervisor)

    response = client.post(url(world.team_a), {"start": "2001-01-01", "end": "2001-12-31"})

    assert response.status_code == 200
    assert "No case of this team was enrolled in this period: there is nothing to print." in response.content.decode()
    assert 'value="2001-01-01"' in response.content.decode()
    assert (ReportJob.objects.count(), AccessLogEntry.objects.count()) == (0, 0)


def test_a_bad_period_is_refused_beside_its_field(client, world):
    client.force_login(world.supervisor)

    response = client.post(url(world.team_a), period(end=(TODAY + timedelta(days=1)).isoformat()))

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"end"}
    assert ReportJob.objects.count() == 0


def test_notes_are_refused_for_a_supervisor_without_the_sensitive_permission(client, world):
    lead = make_user(full_name="Lee Lead")  # supervises a team, holds no role's permissions
    team = make_team("Team C", supervisors=[lead])
    make_case(team=team, specialists=[], legal_name="Cai Case", by=world.director)
    client.force_login(lead)

    response = client.post(url(team), period(notes="on"))

    assert set(response.context["form"].errors) == {"notes"}
    assert ReportJob.objects.count() == 0


def test_the_page_is_labelled_for_the_team(client, world):
    client.force_login(world.supervisor)

    html = client.get(url(world.team_a)).content.decode()

    assert "Service report for Team A" in html
    assert ['<label for="id_start">' in html, '<label for="id_end">' in html] == [True, True]
    assert "Prepare the team's service report</button>" in html


# Query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 3])
def test_the_report_reads_a_fixed_number_of_queries_whatever_the_number_of_cases(world, size):
    cases = [serve(world).case for _ in range(size)]
    scope = Scope(case_ids=tuple(c.pk for c in cases), start=START, end=TODAY, notes=True, identifying=True)

    with CaptureQueriesContext(connection) as queries:
        context = printing.report_context(cases, scope=scope, audience=Audience.INTERNAL, requested_by=world.supervisor)

    assert len(context["cases"]) == size
    assert [(len(case.parts), case.nothing) for case in context["cases"]] == [(7, ())] * size
    # Services, contacts and their notes, referrals, payments, help in kind, stays, the journey,
    # goals achieved, the specialists, and the intake fields the director hid.
    assert len(queries) == 11


def test_the_team_dashboard_links_to_the_teams_service_report(client, world):
    client.force_login(world.supervisor)

    html = client.get(reverse("reports:team_dashboard")).content.decode()

    assert f'href="{url(world.team_a)}"' in html


def test_the_page_loads_nothing_inline_or_from_elsewhere(client, world):
    client.force_login(world.supervisor)

    assert_strict_page(client.get(url(world.team_a)), url(world.team_a))
