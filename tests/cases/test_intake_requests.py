"""The intake queue of requests for help passed on from outreach: who sees a request, starting an
intake from it or closing it, the notifications that go with it, and the access log."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from bloom.audit.models import AccessLogEntry
from bloom.notifications.models import Notification
from cases import services
from cases.models import Case, IntakeRequest
from cases.services.inbox import IntakeRequestError
from outreach import services as outreach_services
from tests.factories import hand_off, log_outreach, make_town, request_for_help

NAME = "Rosalind Quist"
PHONE = "860-555-0142"
WORDS = "Wants somewhere safe to sleep away from the Zion Street motel."
WAITING = Notification.Kind.INTAKE_REQUEST_WAITING
Status = IntakeRequest.Status


@pytest.fixture
def session(world):
    """A two-hour session in Hartford that ended an hour ago, led by the outreach worker."""
    return log_outreach(world.outreach, town=make_town("Hartford"))


def passed(world, session, team=None, **overrides) -> IntakeRequest:
    values = {"name": NAME, "phone": PHONE, "in_their_words": WORDS, "age": 24, "language": "Spanish", **overrides}
    return hand_off(session, world.outreach, team or world.team_a, **values)


def request_url(row) -> str:
    return reverse("cases:intake_request", args=[row.pk])


# Arriving ----------------------------------------------------------------------------------------


def test_a_request_arrives_in_the_team_queue_with_what_was_shared(world, session):
    row = passed(world, session, how_to_reach="Text after 9 pm", needs=["safe place", "food"])

    assert (row.status, row.team, row.source, row.passed_by) == (
        Status.WAITING,
        world.team_a,
        "outreach",
        world.outreach,
    )
    assert (row.name, row.phone, row.age, row.language, row.safe_to_text) == (NAME, PHONE, 24, "Spanish", True)
    assert (row.in_their_words, row.how_to_reach, row.needs) == (WORDS, "Text after 9 pm", ["safe place", "food"])
    # where and when come from the session, not from what was typed
    assert row.where == "Street outreach, Hartford"
    assert row.met_on == timezone.localtime(session.starts_at).date()
    assert row.case is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"agreed": False}, "agreed"),
        ({"name": "  "}, "name"),
        ({"age": 0}, "age"),
        ({"age": 121}, "age"),
        ({"needs": ["a lawyer"]}, "needs"),
        ({"needs": ["food", "food"]}, "needs"),
        ({"in_their_words": "x" * 4001}, "in_their_words"),
    ],
)
def test_a_request_the_queue_cannot_take_is_refused_and_nothing_is_kept(world, session, overrides, field):
    with pytest.raises(ValidationError) as excinfo:
        passed(world, session, **overrides)

    assert field in excinfo.value.message_dict
    assert IntakeRequest.objects.count() == 0
    assert session.handoffs.count() == 0
    assert Notification.objects.filter(kind=WAITING).count() == 0


def test_the_team_supervisors_and_specialists_are_told_once_without_a_name(world, session):
    row = passed(world, session)

    notices = Notification.objects.filter(kind=WAITING)
    assert sorted(n.recipient_id for n in notices) == sorted(
        [world.supervisor.pk, world.specialist.pk, world.colleague.pk]
    )
    for notice in notices:
        assert notice.url == request_url(row)
        assert notice.read_at is None
        assert NAME not in notice.text
        assert "Rosalind" not in notice.text
        assert PHONE not in notice.text
        assert notice.text == "A request for help from Street outreach, Hartford is waiting in Team A's intake queue."
        assert NAME not in str(notice.data)


def test_a_request_to_team_b_tells_only_team_b(world, session):
    passed(world, session, team=world.team_b)

    recipients = set(Notification.objects.filter(kind=WAITING).values_list("recipient__full_name", flat=True))
    assert recipients == {"Bea Supervisor", "Otto Outsider"}


# Who sees it ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["specialist", "colleague", "supervisor", "director"])
def test_the_team_intake_and_the_director_open_the_request(client, world, session, persona):
    row = passed(world, session)
    client.force_login(world.everyone()[persona])

    listed = client.get(reverse("cases:intake_requests"))
    response = client.get(request_url(row))

    assert listed.status_code == 200
    assert [r.pk for r in listed.context["page"].object_list] == [row.pk]
    assert response.status_code == 200
    content = response.content.decode()
    assert NAME in content
    assert PHONE in content
    assert WORDS in content


def test_another_team_specialist_cannot_see_the_request(client, world, session):
    row = passed(world, session)
    client.force_login(world.outsider)

    listed = client.get(reverse("cases:intake_requests"))

    assert listed.status_code == 200
    assert list(listed.context["page"].object_list) == []
    assert NAME not in listed.content.decode()
    for url in (
        request_url(row),
        reverse("cases:intake_request_start", args=[row.pk]),
        reverse("cases:intake_request_close", args=[row.pk]),
    ):
        method = client.get if url == request_url(row) else client.post
        assert method(url, {"reason": "Not ours"}).status_code == 404, url
    row.refresh_from_db()
    assert row.status == Status.WAITING


@pytest.mark.parametrize("persona", ["outreach", "volunteer", "finance", "trainer"])
def test_people_who_do_not_open_cases_have_no_queue(client, world, session, persona):
    row = passed(world, session)
    client.force_login(world.everyone()[persona])

    assert client.get(reverse("cases:intake_requests")).status_code == 403
    assert client.get(request_url(row)).status_code == 404


def test_another_team_specialist_cannot_start_or_close_through_the_service(world, session):
    row = passed(world, session)

    with pytest.raises(PermissionDenied):
        services.start_intake_from(row, by=world.outsider)
    with pytest.raises(PermissionDenied):
        services.close_request(row, by=world.outsider, reason="Not ours")

    row.refresh_from_db()
    assert (row.status, row.case) == (Status.WAITING, None)
    assert Case.objects.count() == 2  # the world's two cases


def test_opening_the_request_writes_one_access_log_entry(client, world, session):
    row = passed(world, session)
    client.force_login(world.supervisor)

    client.get(request_url(row))

    entries = AccessLogEntry.objects.filter(target_id=row.pk, target_type__model="intakerequest")
    assert [(e.user, e.action, e.target_label) for e in entries] == [
        (world.supervisor, AccessLogEntry.Action.VIEW, f"request for help #{row.pk}")
    ]
    assert NAME not in entries.get().target_label


def test_the_list_does_not_write_the_access_log_nor_show_the_name(client, world, session):
    passed(world, session)
    client.force_login(world.supervisor)

    response = client.get(reverse("cases:intake_requests"))

    assert AccessLogEntry.objects.filter(target_type__model="intakerequest").count() == 0
    content = response.content.decode()
    assert "Street outreach, Hartford" in content
    assert NAME not in content
    assert PHONE not in content


# Starting an intake -----------------------------------------------------------------------------


def test_starting_an_intake_opens_a_case_with_what_they_shared(client, world, session):
    row = passed(world, session, how_to_reach="Text after 9 pm", safe_to_call=False)
    client.force_login(world.specialist)

    response = client.post(reverse("cases:intake_request_start", args=[row.pk]))

    row.refresh_from_db()
    case = row.case
    assert response.status_code == 302
    assert response.url == reverse("cases:edit", args=[case.pk])
    assert (row.status, row.decided_by) == (Status.STARTED, world.specialist)
    assert (case.status, case.team, case.referral_source) == (Case.Status.INTAKE, world.team_a, "outreach")
    assert case.referred_on == row.met_on
    assert (case.referring_person, case.referring_contact) == (world.outreach.full_name, "Street outreach, Hartford")
    survivor = case.survivor
    assert (survivor.preferred_name, survivor.legal_name) == (NAME, NAME)
    assert (survivor.phone, survivor.safe_to_text, survivor.safe_to_call) == (PHONE, True, False)
    assert (survivor.estimated_age, survivor.preferred_language) == (24, "Spanish")
    assert survivor.safe_contact_notes == "Text after 9 pm"
    assert case.minor_at_intake is False
    assert list(case.specialists.all()) == [world.specialist]


def test_a_supervisor_starting_the_intake_leaves_it_for_the_team_to_assign(world, session):
    row = passed(world, session)

    case = services.start_intake_from(row, by=world.supervisor)

    assert list(case.specialists.all()) == []
    assert case.team == world.team_a


def test_an_age_under_eighteen_makes_a_minor_at_intake(world, session):
    row = passed(world, session, age=16)

    case = services.start_intake_from(row, by=world.specialist)

    assert case.survivor.estimated_age == 16
    assert case.minor_at_intake is True


def test_an_age_not_given_is_not_a_minor(world, session):
    row = passed(world, session, age=None)

    case = services.start_intake_from(row, by=world.specialist)

    assert case.survivor.estimated_age is None
    assert case.minor_at_intake is False


def test_a_started_request_leaves_the_queue(client, world, session):
    row = passed(world, session)
    other = passed(world, session, name="Second Person")
    client.force_login(world.supervisor)
    client.post(reverse("cases:intake_request_start", args=[row.pk]))

    assert client.get(request_url(row)).status_code == 404
    assert client.post(reverse("cases:intake_request_start", args=[row.pk])).status_code == 404
    listed = client.get(reverse("cases:intake_requests"))
    assert [r.pk for r in listed.context["page"].object_list] == [other.pk]
    assert Case.objects.filter(intake_request__isnull=False).count() == 1


def test_a_request_is_started_only_once(world, session):
    row = passed(world, session)
    services.start_intake_from(row, by=world.specialist)

    with pytest.raises(IntakeRequestError) as excinfo:
        services.start_intake_from(row, by=world.colleague)

    assert "already dealt with" in excinfo.value.messages[0]
    assert Case.objects.filter(intake_request__isnull=False).count() == 1


def test_the_notifications_are_read_once_the_intake_starts(world, session):
    row = passed(world, session)
    other = passed(world, session, name="Second Person")

    services.start_intake_from(row, by=world.specialist)

    assert Notification.objects.filter(kind=WAITING, url=request_url(row), read_at__isnull=True).count() == 0
    assert Notification.objects.filter(kind=WAITING, url=request_url(row)).count() == 3
    assert Notification.objects.filter(kind=WAITING, url=request_url(other), read_at__isnull=True).count() == 3


def test_the_history_of_the_request_names_who_passed_it_and_who_started_the_intake(world, session):
    row = passed(world, session)

    services.start_intake_from(row, by=world.specialist)

    steps = row.history.order_by("history_id").values_list("status", "history_user", "history_change_reason")
    assert list(steps) == [
        (Status.WAITING, world.outreach.pk, "intake_request.passed"),
        (Status.STARTED, world.specialist.pk, "intake_request.started"),
    ]


# Closing without an intake ----------------------------------------------------------------------


def test_closing_needs_a_reason(client, world, session):
    row = passed(world, session)
    client.force_login(world.supervisor)

    response = client.post(reverse("cases:intake_request_close", args=[row.pk]), {"reason": "   "})

    assert response.status_code == 400
    assert "reason" in response.context["close_form"].errors
    row.refresh_from_db()
    assert row.status == Status.WAITING
    with pytest.raises(IntakeRequestError) as excinfo:
        services.close_request(row, by=world.supervisor, reason="  ")
    assert list(excinfo.value.message_dict) == ["reason"]


def test_a_closed_request_keeps_its_reason_and_leaves_the_queue(client, world, session):
    row = passed(world, session)
    client.force_login(world.supervisor)

    response = client.post(
        reverse("cases:intake_request_close", args=[row.pk]), {"reason": " Already known to the program. "}
    )

    assert response.status_code == 302
    assert response.url == reverse("cases:intake_requests")
    row.refresh_from_db()
    assert (row.status, row.closed_reason, row.decided_by, row.case) == (
        Status.CLOSED,
        "Already known to the program.",
        world.supervisor,
        None,
    )
    assert row.decided_at is not None
    assert client.get(request_url(row)).status_code == 404
    assert list(client.get(reverse("cases:intake_requests")).context["page"].object_list) == []
    assert Case.objects.count() == 2
    with pytest.raises(IntakeRequestError):
        services.start_intake_from(row, by=world.supervisor)


def test_the_notifications_are_read_once_the_request_is_closed(world, session):
    row = passed(world, session)

    services.close_request(row, by=world.colleague, reason="The number did not reach them.")

    assert Notification.objects.filter(kind=WAITING).count() == 3
    assert Notification.objects.filter(kind=WAITING, read_at__isnull=True).count() == 0


# The source keeps nothing -----------------------------------------------------------------------


def test_the_hand_off_keeps_only_who_passed_it_and_when(world, session):
    before = timezone.now()
    outreach_services.hand_off(session, by=world.outreach, request=request_for_help(world.team_a, name=NAME))

    handoff = session.handoffs.get()
    assert {f.name for f in handoff._meta.concrete_fields} == {"id", "session", "passed_by", "passed_at"}
    assert handoff.passed_by == world.outreach
    assert before - timedelta(seconds=1) <= handoff.passed_at <= timezone.now()
