from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from bloom.audit.models import AccessLogEntry
from bloom.notifications.models import Notification
from cases import permissions, services
from cases.models import EmergencyAccess

REASON = "Survivor called the hotline in crisis; Sam is on leave."


def open_case_a(world, client, *, reason=REASON, code=None):
    client.force_login(world.outsider)
    return client.post(
        "/cases/emergency/", {"client_code": code or world.case_a.survivor.client_code, "reason": reason}
    )


def test_emergency_access_opens_the_case_for_the_covering_specialist(world, client):
    response = open_case_a(world, client)

    assert response.status_code == 302
    assert response["Location"] == world.case_a.get_absolute_url()
    page = client.get(world.case_a.get_absolute_url())
    assert page.status_code == 200
    assert "You are using emergency access" in page.text
    assert list(permissions.visible_cases(world.outsider).filter(pk=world.case_a.pk)) == [world.case_a]


def test_emergency_access_is_written_to_the_access_log_with_the_reason(world, client):
    open_case_a(world, client)

    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.EMERGENCY)
    assert (entry.user, entry.target_id, entry.reason, entry.target_label) == (
        world.outsider,
        world.case_a.pk,
        REASON,
        world.case_a.survivor.client_code,
    )


def test_emergency_access_tells_the_cases_supervisor_without_the_survivors_name(world, client):
    open_case_a(world, client)

    notice = Notification.objects.get(kind=Notification.Kind.EMERGENCY_ACCESS)
    assert notice.recipient == world.supervisor
    assert (
        notice.text == f"{world.outsider.full_name} opened {world.case_a.survivor.client_code} under emergency access."
    )
    assert "Alma" not in notice.text
    assert notice.url == f"/cases/{world.case_a.pk}/access-log/"


# Run again at awkward instants (tests/clock.py): emergency access runs for hours.
@pytest.mark.clock
def test_emergency_access_lasts_the_configured_time_and_leaves_a_history_row(world, settings):
    settings.BLOOM_EMERGENCY_ACCESS = timedelta(hours=4)

    grant = services.open_in_emergency(world.case_a, by=world.outsider, reason=REASON)

    assert grant.expires_at - grant.granted_at == timedelta(hours=4)
    assert grant.history.get().history_user == world.outsider


@pytest.mark.clock
def test_expired_emergency_access_no_longer_opens_the_case(world, client):
    open_case_a(world, client)
    # Four hours and a minute later.
    past = timezone.now() - timedelta(hours=4, minutes=1)
    EmergencyAccess.objects.update(granted_at=past, expires_at=past + timedelta(hours=4))

    assert client.get(world.case_a.get_absolute_url()).status_code == 404
    assert list(permissions.visible_cases(world.outsider).filter(pk=world.case_a.pk)) == []
    assert permissions.case_perms(world.outsider, world.case_a) == frozenset()


def test_emergency_access_allows_work_on_the_case_but_not_reassigning_it(world):
    services.open_in_emergency(world.case_a, by=world.outsider, reason=REASON)

    perms = permissions.case_perms(world.outsider, world.case_a)

    assert {permissions.VIEW, permissions.CHANGE, permissions.BY_EMERGENCY} <= perms
    assert permissions.ASSIGN not in perms


def test_emergency_access_needs_a_reason_and_keeps_the_code_typed(world, client):
    response = open_case_a(world, client, reason="   ")

    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert response.context["form"].data["client_code"] == world.case_a.survivor.client_code
    assert EmergencyAccess.objects.count() == 0


def test_an_unknown_code_and_a_restricted_case_get_the_same_answer(world, client):
    services.set_restriction(world.case_a, by=world.supervisor, restricted=True, named=[world.supervisor])

    restricted = open_case_a(world, client)
    unknown = open_case_a(world, client, code="BL-ZZZZZZ")

    assert restricted.context["form"].errors == unknown.context["form"].errors
    assert EmergencyAccess.objects.count() == 0
    assert Notification.objects.filter(kind=Notification.Kind.EMERGENCY_ACCESS).count() == 0


def test_a_restricted_case_cannot_be_opened_in_an_emergency_even_by_the_service(world):
    services.set_restriction(world.case_a, by=world.supervisor, restricted=True, named=[world.supervisor])

    with pytest.raises(services.AccessError):
        services.open_in_emergency(world.case_a, by=world.outsider, reason=REASON)


def test_a_case_already_on_ones_caseload_needs_no_emergency_access(world, client):
    client.force_login(world.specialist)

    response = client.post("/cases/emergency/", {"client_code": world.case_a.survivor.client_code, "reason": REASON})

    assert response.status_code == 302
    assert EmergencyAccess.objects.count() == 0


@pytest.mark.parametrize("persona", ["finance", "outreach", "volunteer", "trainer", "director"])
def test_roles_without_emergency_access_are_refused(world, client, persona):
    client.force_login(getattr(world, persona))

    assert client.get("/cases/emergency/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.open_in_emergency(world.case_a, by=getattr(world, persona), reason=REASON)


def test_the_code_may_be_typed_without_its_prefix_and_in_lower_case(world, client):
    code = world.case_a.survivor.client_code.removeprefix("BL-").lower()

    response = open_case_a(world, client, code=code)

    assert response.status_code == 302
    assert EmergencyAccess.objects.get().case == world.case_a


def test_a_supervisor_covering_in_an_emergency_may_not_approve_closing_the_case(world):
    other_supervisor = world.team_b.supervisors.get()

    services.open_in_emergency(world.case_a, by=other_supervisor, reason=REASON)
    perms = permissions.case_perms(other_supervisor, world.case_a)

    assert permissions.CHANGE in perms
    assert permissions.APPROVE_CLOSURE not in perms
    assert permissions.OVERRIDE_ELIGIBILITY not in perms


def test_emergency_access_does_not_allow_asking_to_close_the_case(world, client):
    services.open_in_emergency(world.case_a, by=world.outsider, reason=REASON)
    client.force_login(world.outsider)

    page = client.get(world.case_a.get_absolute_url())

    assert "Ask to close the case" not in page.text
    assert client.get(f"/cases/{world.case_a.pk}/close/").status_code == 403


def test_emergency_access_does_not_show_who_else_opened_the_case(world, client):
    other_supervisor = world.team_b.supervisors.get()
    services.open_in_emergency(world.case_a, by=other_supervisor, reason=REASON)
    client.force_login(other_supervisor)

    assert permissions.SEE_ACCESS_LOG not in permissions.case_perms(other_supervisor, world.case_a)
    assert client.get(f"/cases/{world.case_a.pk}/access-log/").status_code == 403
