"""Closing a case with a supervisor's approval, returning and withdrawing a request, and enrolling again."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from bloom import said
from bloom.accounts.models import Role
from bloom.directory.models import Organization
from bloom.notifications.models import Notification
from cases import services
from cases.models import Case, Closure
from tests.factories import close_case, make_case, make_team, make_user

ANSWERS = {
    "reason": "goals met",
    "living_situation": "own home",
    "immigration_relief": "neither",
    "hhs_certification": "not applicable",
}


def ask(case, by, **overrides):
    return services.request_closure(case, by=by, **{"closed_on": case.opened_on, **ANSWERS, **overrides})


def post_answers(case, **overrides) -> dict:
    return {"closed_on": case.opened_on.isoformat(), **ANSWERS, **overrides}


def notified(kind) -> list[tuple[str, bool]]:
    """Who was told, and whether it still waits (unread)."""
    rows = Notification.objects.filter(kind=kind).values_list("recipient__full_name", "read_at")
    return sorted((name, read_at is None) for name, read_at in rows)


# Asking --------------------------------------------------------------------------------------


def test_request_closure_waits_for_approval_and_tells_the_supervisor(world):
    closure = ask(world.case_a, world.specialist, note="Housing is stable.")

    world.case_a.refresh_from_db()
    row = closure.history.get()
    assert (closure.status, world.case_a.status, world.case_a.closed_on) == ("requested", "open", None)
    assert (row.history_user, row.history_change_reason) == (world.specialist, "closure.requested")
    assert notified(Notification.Kind.CLOSURE_REQUESTED) == [("Sue Supervisor", True)]
    notice = Notification.objects.get(kind=Notification.Kind.CLOSURE_REQUESTED)
    assert notice.data == {"code": world.case_a.survivor.client_code}
    assert "Alma" not in notice.text


def test_a_team_without_a_supervisor_tells_the_program_directors(world):
    team = make_team("Team C", members=[world.colleague])
    case = make_case(team=team, specialists=[world.colleague])

    ask(case, world.colleague)

    assert notified(Notification.Kind.CLOSURE_REQUESTED) == [("Dana Director", True)]


def test_a_supervisor_asking_is_not_told_of_their_own_request(world):
    second = make_user(Role.SUPERVISOR, full_name="Sid Second")
    world.team_a.supervisors.add(second)

    ask(world.case_a, world.supervisor)

    assert notified(Notification.Kind.CLOSURE_REQUESTED) == [("Sid Second", True)]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        # Run again at awkward instants (tests/clock.py): a closing date is never in the future.
        pytest.param(
            {"closed_on": timezone.localdate() + timedelta(days=1)}, "cannot be in the future", marks=pytest.mark.clock
        ),
        ({"reason": "other"}, "Say what the other reason is"),
        ({"reason": "not a reason"}, "Choose the reason"),
        ({"living_situation": "castle"}, "Choose one of the answers"),
        ({"continued_care_organization": "org"}, "only when the survivor was referred"),
    ],
)
def test_request_closure_refuses_answers_that_do_not_hold(world, overrides, message):
    if overrides.get("continued_care_organization") == "org":
        overrides["continued_care_organization"] = Organization.objects.create(name="Clinic")

    with pytest.raises(services.ClosureError, match=message):
        ask(world.case_a, world.specialist, **overrides)

    assert Closure.objects.count() == 0


# Run again at awkward instants (tests/clock.py): a case cannot close before it was enrolled.
@pytest.mark.clock
def test_request_closure_refuses_a_date_before_enrollment(world):
    with pytest.raises(services.ClosureError, match="cannot come before"):
        ask(world.case_a, world.specialist, closed_on=world.case_a.opened_on - timedelta(days=1))


def test_closing_an_intake_or_a_closed_case_is_refused(world):
    intake = services.start_intake(
        by=world.specialist, team=world.team_a, specialists=[world.specialist], details={"legal_name": "Ines"}
    )
    close_case(world.case_a, by=world.specialist, approver=world.supervisor)
    world.case_a.refresh_from_db()

    for case in (intake, world.case_a):
        with pytest.raises(services.ClosureError, match="Only an enrolled case that is open"):
            ask(case, world.specialist)


def test_only_one_request_waits_per_case(world):
    ask(world.case_a, world.specialist)

    with pytest.raises(services.ClosureError, match="already waiting"):
        ask(world.case_a, world.supervisor)

    assert Closure.objects.filter(case=world.case_a).count() == 1


def test_someone_who_cannot_change_the_case_cannot_ask(world):
    with pytest.raises(PermissionDenied):
        ask(world.case_a, world.outsider)


# Deciding ------------------------------------------------------------------------------------


def test_approve_closure_closes_the_case_and_settles_the_notices(world):
    closure = ask(world.case_a, world.specialist, closed_on=world.case_a.opened_on)

    services.approve_closure(closure, by=world.supervisor, note="Agreed.")

    closure.refresh_from_db()
    world.case_a.refresh_from_db()
    case_row = Case.history.filter(id=world.case_a.pk).latest("history_id")
    closure_row = closure.history.latest("history_id")
    assert (closure.status, closure.decided_by, closure.decision_note) == ("approved", world.supervisor, "Agreed.")
    assert (world.case_a.status, world.case_a.closed_on) == ("closed", world.case_a.opened_on)
    assert (case_row.history_user, case_row.history_change_reason) == (world.supervisor, 'case.closed|["goals met"]')
    assert (closure_row.history_user, closure_row.history_change_reason) == (world.supervisor, "closure.approved")
    assert notified(Notification.Kind.CLOSURE_REQUESTED) == [("Sue Supervisor", False)]


def test_approving_settles_the_careline_reminders(world):
    minor = make_case(team=world.team_a, specialists=[world.specialist], estimated_age=16)
    assert Notification.objects.filter(kind=Notification.Kind.CARELINE_REPORT_DUE, read_at__isnull=True).exists()

    close_case(minor, by=world.specialist, approver=world.supervisor)

    assert not Notification.objects.filter(kind=Notification.Kind.CARELINE_REPORT_DUE, read_at__isnull=True).exists()


def test_the_person_who_asked_cannot_approve(world):
    closure = ask(world.case_a, world.supervisor)

    with pytest.raises(services.ClosureError, match="Another supervisor or the program director"):
        services.approve_closure(closure, by=world.supervisor)

    closure.refresh_from_db()
    world.case_a.refresh_from_db()
    assert (closure.status, world.case_a.status) == ("requested", "open")


def test_a_specialist_cannot_approve(world):
    closure = ask(world.case_a, world.specialist)
    services.assign_case(world.case_a, by=world.supervisor, specialists=[world.specialist, world.colleague])

    with pytest.raises(PermissionDenied):
        services.approve_closure(closure, by=world.colleague)

    world.case_a.refresh_from_db()
    assert world.case_a.status == "open"


def test_the_director_may_approve(world):
    closure = ask(world.case_a, world.supervisor)

    services.approve_closure(closure, by=world.director)

    world.case_a.refresh_from_db()
    assert world.case_a.status == "closed"


def test_return_closure_needs_a_note_and_tells_the_requester(world):
    closure = ask(world.case_a, world.specialist)

    with pytest.raises(services.ClosureError, match="Say what should change"):
        services.return_closure(closure, by=world.supervisor, note="  ")
    services.return_closure(closure, by=world.supervisor, note="Add the referral for therapy.")

    closure.refresh_from_db()
    world.case_a.refresh_from_db()
    row = closure.history.latest("history_id")
    assert (closure.status, closure.decision_note, world.case_a.status) == (
        "returned",
        "Add the referral for therapy.",
        "open",
    )
    assert (row.history_user, row.history_change_reason) == (world.supervisor, "closure.returned")
    assert notified(Notification.Kind.CLOSURE_RETURNED) == [("Sam Specialist", True)]
    assert notified(Notification.Kind.CLOSURE_REQUESTED) == [("Sue Supervisor", False)]


def test_asking_again_after_a_return_settles_the_returned_notice(world):
    services.return_closure(ask(world.case_a, world.specialist), by=world.supervisor, note="Add the referral.")

    ask(world.case_a, world.specialist, continued_care=True)

    assert notified(Notification.Kind.CLOSURE_RETURNED) == [("Sam Specialist", False)]
    assert Closure.objects.filter(case=world.case_a).count() == 2


def test_a_decided_closure_cannot_be_decided_again(world):
    closure = ask(world.case_a, world.specialist)
    services.return_closure(closure, by=world.supervisor, note="Not yet.")

    with pytest.raises(services.ClosureError, match="already been decided"):
        services.approve_closure(closure, by=world.director)


def test_withdraw_closure_keeps_the_case_open(world):
    closure = ask(world.case_a, world.specialist)

    services.withdraw_closure(closure, by=world.specialist)

    closure.refresh_from_db()
    assert (closure.status, closure.decided_by, closure.decision_note, closure.history.count()) == (
        "withdrawn",
        world.specialist,
        "",
        2,
    )
    assert notified(Notification.Kind.CLOSURE_REQUESTED) == [("Sue Supervisor", False)]


def test_a_closure_withdrawn_in_english_reads_in_spanish(world):
    closure = ask(world.case_a, world.specialist)
    with translation.override("en"):
        services.withdraw_closure(closure, by=world.specialist)

    row = closure.history.latest()
    closure.refresh_from_db()
    with translation.override("es"):
        shown = (said.render(row.history_change_reason), str(closure.get_status_display()))
        spanish = (translation.gettext("Closure withdrawn"), translation.gettext("Withdrawn"))

    # A code is stored, not the writer's English: each reader sees it in their own language.
    assert (row.history_change_reason, closure.status, closure.decision_note) == ("closure.withdrawn", "withdrawn", "")
    assert shown == spanish


def test_a_withdrawn_closure_can_be_asked_again(world):
    services.withdraw_closure(ask(world.case_a, world.specialist), by=world.specialist)

    again = ask(world.case_a, world.specialist)

    assert again.status == "requested"


# Enrolling again -------------------------------------------------------------------------------


def test_reenroll_opens_a_new_case_linked_to_the_closed_one(world):
    old = world.case_a
    close_case(old, by=world.specialist, approver=world.supervisor)
    today = timezone.localdate()

    new = services.reenroll(
        old, by=world.supervisor, on=today, team=world.team_a, specialists=[world.colleague], note="Came back."
    )

    old.refresh_from_db()
    row = new.history.get()
    assert (new.survivor_id, new.previous_case, new.status, new.opened_on, new.decided_on) == (
        old.survivor_id,
        old,
        "open",
        today,
        today,
    )
    assert (old.status, list(old.later_cases.all())) == ("closed", [new])
    assert (row.history_user, row.history_change_reason) == (
        world.supervisor,
        "case.reenrolled",
    )
    assert list(new.specialists.all()) == [world.colleague]


# Run again at awkward instants (tests/clock.py): enrolling again cannot start before the closing date.
@pytest.mark.clock
def test_reenroll_refuses_an_open_case_a_second_time_and_a_date_before_closing(world):
    with pytest.raises(services.ClosureError, match="Only a closed case"):
        services.reenroll(world.case_a, by=world.supervisor, on=timezone.localdate(), team=world.team_a, specialists=[])
    close_case(world.case_a, by=world.specialist, approver=world.supervisor)
    with pytest.raises(services.ClosureError, match="cannot start before"):
        services.reenroll(
            world.case_a,
            by=world.supervisor,
            on=world.case_a.opened_on - timedelta(days=1),
            team=world.team_a,
            specialists=[],
        )
    services.reenroll(world.case_a, by=world.supervisor, on=timezone.localdate(), team=world.team_a, specialists=[])
    with pytest.raises(services.ClosureError, match="already enrolled again"):
        services.reenroll(world.case_a, by=world.supervisor, on=timezone.localdate(), team=world.team_a, specialists=[])

    assert Case.objects.filter(survivor=world.case_a.survivor).count() == 2


# Pages ---------------------------------------------------------------------------------------


def test_the_specialist_asks_to_close_from_the_case_page(client, world):
    client.force_login(world.specialist)
    page = client.get(world.case_a.get_absolute_url()).content.decode()

    response = client.post(reverse("cases:closure_request", args=[world.case_a.pk]), post_answers(world.case_a))

    assert reverse("cases:closure_request", args=[world.case_a.pk]) in page
    assert response.status_code == 302
    assert Closure.objects.get(case=world.case_a).requested_by == world.specialist
    html = client.get(world.case_a.get_absolute_url()).content.decode()
    assert "Waiting for approval" in html
    assert reverse("cases:closure_decide", args=[world.case_a.pk, Closure.objects.get().pk]) not in html


def test_other_without_a_note_is_refused_and_keeps_what_was_typed(client, world):
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:closure_request", args=[world.case_a.pk]),
        post_answers(world.case_a, reason="other", note="She moved in with her aunt in Ohio."),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["reason_note"]
    assert "Say what the other reason is." in html
    assert "She moved in with her aunt in Ohio." in html
    assert '<option value="other" selected>' in html
    assert Closure.objects.count() == 0


def test_a_closure_without_a_reason_gets_a_clear_message(client, world):
    client.force_login(world.specialist)

    response = client.post(
        reverse("cases:closure_request", args=[world.case_a.pk]),
        post_answers(world.case_a, reason="", note="Typed summary"),
    )

    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert "Typed summary" in response.content.decode()


# Run again at awkward instants (tests/clock.py): a closing date is never in the future.
@pytest.mark.clock
def test_a_future_closing_date_is_a_form_error(client, world):
    client.force_login(world.specialist)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = client.post(
        reverse("cases:closure_request", args=[world.case_a.pk]), post_answers(world.case_a, closed_on=tomorrow)
    )

    assert list(response.context["form"].errors) == ["closed_on"]
    assert Closure.objects.count() == 0


def test_the_request_page_is_404_for_an_outsider(client, world):
    client.force_login(world.outsider)

    assert client.get(reverse("cases:closure_request", args=[world.case_a.pk])).status_code == 404


def test_the_supervisor_approves_from_the_decision_page(client, world):
    closure = ask(world.case_a, world.specialist)
    client.force_login(world.supervisor)
    url = reverse("cases:closure_decide", args=[world.case_a.pk, closure.pk])

    shown = client.get(url)
    response = client.post(url, {"decision": "approve"})

    world.case_a.refresh_from_db()
    assert shown.status_code == 200
    assert "Goals met" in shown.content.decode()
    assert response.status_code == 302
    assert world.case_a.status == "closed"
    assert "Approved by" in client.get(world.case_a.get_absolute_url()).content.decode()


def test_the_decision_page_is_403_for_the_specialist_and_404_for_an_outsider(client, world):
    closure = ask(world.case_a, world.specialist)
    url = reverse("cases:closure_decide", args=[world.case_a.pk, closure.pk])

    client.force_login(world.specialist)
    as_specialist = client.post(url, {"decision": "approve"}).status_code
    client.force_login(world.outsider)
    as_outsider = client.get(url).status_code

    world.case_a.refresh_from_db()
    assert (as_specialist, as_outsider, world.case_a.status) == (403, 404, "open")


def test_self_approval_by_page_is_refused_with_a_message(client, world):
    closure = ask(world.case_a, world.supervisor)
    client.force_login(world.supervisor)

    response = client.post(reverse("cases:closure_decide", args=[world.case_a.pk, closure.pk]), {"decision": "approve"})

    world.case_a.refresh_from_db()
    assert response.status_code == 200
    assert "Another supervisor or the program director must approve" in response.content.decode()
    assert world.case_a.status == "open"


def test_returning_by_page_without_a_note_keeps_the_decision(client, world):
    closure = ask(world.case_a, world.specialist)
    client.force_login(world.supervisor)

    response = client.post(
        reverse("cases:closure_decide", args=[world.case_a.pk, closure.pk]), {"decision": "return", "note": ""}
    )

    assert list(response.context["form"].errors) == ["note"]
    assert response.context["form"]["decision"].value() == "return"


def test_a_closure_of_another_case_is_404(client, world):
    closure = ask(world.case_b, world.outsider)
    client.force_login(world.supervisor)

    response = client.get(reverse("cases:closure_decide", args=[world.case_a.pk, closure.pk]))

    assert response.status_code == 404


def test_reenrollment_by_page_links_both_cases(client, world):
    close_case(world.case_a, by=world.specialist, approver=world.supervisor)
    client.force_login(world.specialist)
    old_page = client.get(world.case_a.get_absolute_url()).content.decode()

    response = client.post(
        reverse("cases:reenroll", args=[world.case_a.pk]),
        {"on": timezone.localdate().isoformat(), "team": world.team_a.pk, "specialists": [world.specialist.pk]},
    )

    new = Case.objects.get(previous_case=world.case_a)
    new_page = client.get(new.get_absolute_url()).content.decode()
    assert reverse("cases:reenroll", args=[world.case_a.pk]) in old_page
    assert response["Location"] == new.get_absolute_url()
    assert world.case_a.get_absolute_url() in new_page
    assert new.get_absolute_url() in client.get(world.case_a.get_absolute_url()).content.decode()


def test_reenroll_page_is_404_for_an_outsider(client, world):
    close_case(world.case_a, by=world.specialist, approver=world.supervisor)
    client.force_login(world.outsider)

    assert client.get(reverse("cases:reenroll", args=[world.case_a.pk])).status_code == 404


def test_the_queue_lists_what_waits_for_me_only(client, world):
    mine = ask(world.case_a, world.specialist)
    ask(world.case_b, world.outsider)
    client.force_login(world.supervisor)

    response = client.get(reverse("cases:closure_queue"))
    home = client.get(reverse("home")).content.decode()

    assert [c.pk for c in response.context["closures"]] == [mine.pk]
    assert world.case_b.survivor.client_code not in response.content.decode()
    assert "1 closure is waiting for your approval" in home


def test_the_queue_is_403_for_a_specialist(client, world):
    client.force_login(world.specialist)

    assert client.get(reverse("cases:closure_queue")).status_code == 403


@pytest.mark.parametrize("size", [1, 5])
def test_the_queue_costs_the_same_at_one_and_five_rows(client, world, django_assert_num_queries, size):
    for n in range(size):
        ask(make_case(team=world.team_a, specialists=[world.specialist], legal_name=f"Person {n}"), world.specialist)
    client.force_login(world.supervisor)
    client.get(reverse("cases:closure_queue"))  # warm the per-process caches

    with django_assert_num_queries(4):
        response = client.get(reverse("cases:closure_queue"))

    assert len(response.context["closures"]) == size
