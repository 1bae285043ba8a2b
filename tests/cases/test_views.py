from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from bloom.audit.models import AccessLogEntry
from bloom.reports.models import ReportJob
from cases.models import Case, Survivor
from tests.cases.test_permissions import EXPECTED_VISIBLE
from tests.factories import close_case, form_errors, make_case, make_town


def client_codes_listed(client) -> list[str]:
    response = client.get(reverse("cases:list"))
    assert response.status_code == 200
    return sorted(case.survivor.client_code for case in response.context["page"].object_list)


@pytest.mark.parametrize(("persona", "expected"), EXPECTED_VISIBLE.items())
def test_case_list_shows_exactly_the_visible_cases(client, world, persona, expected):
    client.force_login(world.everyone()[persona])

    assert client_codes_listed(client) == sorted(getattr(world, n).survivor.client_code for n in expected)


@pytest.mark.parametrize(("persona", "expected"), EXPECTED_VISIBLE.items())
@pytest.mark.parametrize("view", ["cases:detail", "cases:history", "cases:edit"])
def test_case_pages_are_404_unless_visible(client, world, persona, expected, view):
    client.force_login(world.everyone()[persona])
    for name in ("case_a", "case_b"):
        response = client.get(reverse(view, args=[getattr(world, name).pk]))
        assert response.status_code == (200 if name in expected else 404), (view, name)


@pytest.mark.parametrize(("persona", "expected"), EXPECTED_VISIBLE.items())
def test_face_sheet_request_is_404_unless_visible(client, world, persona, expected):
    client.force_login(world.everyone()[persona])
    for name in ("case_a", "case_b"):
        url = reverse("reports:request", args=["case_face_sheet", getattr(world, name).pk])
        response = client.post(url)
        assert response.status_code == (302 if name in expected else 404), name
    assert ReportJob.objects.filter(requested_by=world.everyone()[persona]).count() == len(expected)


def test_case_list_rows_do_not_leak_in_the_html(client, world):
    client.force_login(world.specialist)

    html = client.get(reverse("cases:list")).content.decode()

    assert world.case_a.survivor.client_code in html
    assert world.case_b.survivor.client_code not in html
    assert "Bruno Beta" not in html


def test_case_list_search_by_name_and_code(client, world):
    client.force_login(world.director)
    code = world.case_b.survivor.client_code

    by_name = client.post(reverse("cases:list"), {"q": "alma"}).context["page"].object_list
    by_code = client.post(reverse("cases:list"), {"q": code.removeprefix("BL-")[:4]}).context["page"].object_list
    by_full_code = client.post(reverse("cases:list"), {"q": code.lower()}).context["page"].object_list

    assert [c.pk for c in by_name] == [world.case_a.pk]
    assert world.case_b.pk in [c.pk for c in by_code]
    assert [c.pk for c in by_full_code] == [world.case_b.pk]


def test_a_name_in_the_address_is_ignored(client, world):
    client.force_login(world.director)

    response = client.get(reverse("cases:list"), {"q": "alma"})

    assert len(response.context["page"].object_list) == 2
    assert "alma" not in response.content.decode().lower().replace("alma alpha", "")


def test_case_list_pages_by_post_with_the_search_kept(client, world):
    for n in range(30):
        make_case(team=world.team_a, specialists=[world.specialist], legal_name=f"Paged Person {n}")
    client.force_login(world.specialist)

    first = client.post(reverse("cases:list"), {"q": "paged"})
    second = client.post(reverse("cases:list"), {"q": "paged", "page": "2"})

    assert (first.context["page"].paginator.count, len(second.context["page"].object_list)) == (30, 5)
    assert 'name="page" value="2"' in first.content.decode()


def test_case_list_filters_and_htmx_partial(client, world):
    client.force_login(world.director)

    response = client.get(
        reverse("cases:list"), {"team": world.team_b.pk, "status": "open"}, headers={"HX-Request": "true"}
    )

    assert [c.pk for c in response.context["page"].object_list] == [world.case_b.pk]
    assert b"<html" not in response.content
    assert b'id="results"' in response.content


def test_case_list_refuses_a_foreign_team_filter_and_shows_no_case(client, world):
    client.force_login(world.specialist)

    response = client.get(reverse("cases:list"), {"team": world.team_b.pk, "page": "x"})

    assert response.status_code == 200
    assert "team" in response.context["form"].errors
    assert list(response.context["page"].object_list) == []


def test_opening_a_case_writes_one_access_log_entry(client, world):
    client.force_login(world.specialist)

    client.get(reverse("cases:detail", args=[world.case_a.pk]))

    entries = list(AccessLogEntry.objects.values_list("user", "action", "target_id", "target_label"))
    assert entries == [(world.specialist.pk, "view", world.case_a.pk, world.case_a.survivor.client_code)]


def test_denied_views_write_no_access_log(client, world):
    client.force_login(world.outsider)

    client.get(reverse("cases:detail", args=[world.case_a.pk]))

    assert AccessLogEntry.objects.count() == 0


def test_access_log_tab_is_for_supervisors(client, world):
    client.force_login(world.specialist)
    assert client.get(reverse("cases:access_log", args=[world.case_a.pk])).status_code == 403
    client.force_login(world.supervisor)
    client.get(reverse("cases:detail", args=[world.case_a.pk]))

    response = client.get(reverse("cases:access_log", args=[world.case_a.pk]))

    assert response.status_code == 200
    assert world.supervisor.full_name in response.content.decode()


def test_history_tab_shows_who_changed_what(client, world):
    client.force_login(world.specialist)
    client.post(
        reverse("cases:edit", args=[world.case_a.pk]),
        {"legal_name": "Alma Alpha-Smith", "opened_on": world.case_a.opened_on.isoformat()},
    )

    html = client.get(reverse("cases:history", args=[world.case_a.pk])).content.decode()

    assert "Alma Alpha-Smith" in html
    assert "Sam Specialist" in html


def test_create_case_happy_path(client, world):
    town = make_town()
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:create"),
        {
            "legal_name": "Nina New",
            "estimated_age": "19",
            "town": town.pk,
            "team": world.team_a.pk,
            "specialists": [world.specialist.pk],
            "opened_on": "2026-11-01",
        },
    )

    case = Case.objects.get(survivor__legal_name="Nina New")
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    assert list(case.specialists.all()) == [world.specialist]
    assert client.get(response["Location"]).status_code == 200


def test_create_case_with_errors_keeps_what_was_typed(client, world):
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:create"),
        {
            "legal_name": "Typed Name",
            "preferred_name": "Tee",
            "date_of_birth": "2090-01-01",
            "estimated_age": "abc",
            "team": world.team_b.pk,
            "specialists": [world.outsider.pk],
            "opened_on": "not a date",
        },
    )

    assert response.status_code == 200
    assert form_errors(response) >= {"date_of_birth", "estimated_age", "team", "specialists", "opened_on"}
    html = response.content.decode()
    assert 'value="Typed Name"' in html
    assert 'value="Tee"' in html
    assert "field--error" in html
    assert Survivor.objects.filter(legal_name="Typed Name").count() == 0


def test_specialist_cannot_assign_someone_outside_the_team(client, world):
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:create"),
        {"legal_name": "X", "team": world.team_a.pk, "specialists": [world.outsider.pk], "opened_on": "2026-11-01"},
    )

    assert response.status_code == 200
    assert "specialists" in form_errors(response)


@pytest.mark.parametrize("persona", ["finance", "outreach", "volunteer", "trainer", "administrator"])
def test_roles_without_survivor_records_cannot_open_cases(client, world, persona):
    client.force_login(world.everyone()[persona])

    assert client.get(reverse("cases:create")).status_code == 403
    assert client.post(reverse("cases:create"), {"legal_name": "X"}).status_code == 403


def test_the_edit_page_cannot_close_a_case(client, world):
    client.force_login(world.specialist)
    url = reverse("cases:edit", args=[world.case_a.pk])

    page = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "legal_name": "Alma Changed",
            "status": "closed",
            "closed_on": world.case_a.opened_on.isoformat(),
            "opened_on": world.case_a.opened_on.isoformat(),
        },
    )

    world.case_a.refresh_from_db()
    assert 'name="status"' not in page
    assert response.status_code == 302
    assert (world.case_a.status, world.case_a.closed_on, world.case_a.survivor.legal_name) == (
        "open",
        None,
        "Alma Changed",
    )


def test_edit_rejects_an_intake_date_after_the_case_closed(client, world):
    case = world.case_a
    close_case(case, by=world.specialist, approver=world.supervisor, closed_on=case.opened_on)
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:edit", args=[case.pk]),
        {"legal_name": "Alma", "opened_on": (case.opened_on + timedelta(days=1)).isoformat()},
    )

    assert response.status_code == 200
    assert "opened_on" in form_errors(response)


def test_reassign_is_403_for_the_specialist_and_works_for_the_supervisor(client, world):
    url = reverse("cases:assign", args=[world.case_a.pk])
    client.force_login(world.specialist)
    assert client.get(url).status_code == 403

    client.force_login(world.supervisor)
    response = client.post(url, {"team": world.team_a.pk, "specialists": [world.colleague.pk]})

    assert response.status_code == 302
    assert list(world.case_a.specialists.all()) == [world.colleague]


def test_reassign_to_a_foreign_team_is_refused_for_a_supervisor(client, world):
    client.force_login(world.supervisor)

    response = client.post(
        reverse("cases:assign", args=[world.case_a.pk]), {"team": world.team_b.pk, "specialists": []}
    )

    assert response.status_code == 200
    assert "team" in response.context["form"].errors


def test_post_without_csrf_token_gets_the_friendly_403(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.specialist)

    response = client.post(reverse("cases:edit", args=[world.case_a.pk]), {"legal_name": "X"})

    assert response.status_code == 403
    assert "could not be sent" in response.content.decode()
