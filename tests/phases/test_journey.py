"""The case plan and its journey: starting, moving forward with sign-off, moving back, the queue."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from bloom.accounts.models import Role
from bloom.audit.models import AccessLogEntry
from bloom.notifications.models import Notification
from cases import services as case_services
from phases.models import CasePlan, PhaseReview, PhaseTemplate
from phases.queries.journey import months_between, reviews_to_sign_off, time_in_words
from phases.services import goals as goal_services
from phases.services import journey as services
from tests.factories import (
    PLAN_NOTE,
    PLAN_VIEW,
    ask_to_move,
    close_case,
    make_case,
    make_team,
    make_user,
    start_plan,
    template_in_use,
)

TODAY = timezone.localdate()
NOTE, VIEW = PLAN_NOTE, PLAN_VIEW


def current_phase(plan) -> str:
    return plan.stays.get(left_on__isnull=True).phase.name


def notified(kind) -> list[tuple[str, bool]]:
    """Who was told, and whether it still waits (unread)."""
    rows = Notification.objects.filter(kind=kind).values_list("recipient__full_name", "read_at")
    return sorted((name, read_at is None) for name, read_at in rows)


@pytest.fixture
def journey(world):
    """Case A's survivor, enrolled 100 days ago, with a plan started 90 days ago (in Strengthen)."""
    case = make_case(
        team=world.team_a,
        specialists=[world.specialist],
        legal_name="Paz Plan",
        opened_on=TODAY - timedelta(days=100),
    )
    return start_plan(case, world.specialist, started_on=TODAY - timedelta(days=90))


# Starting -------------------------------------------------------------------------------------


def test_start_plan_enters_the_first_phase_of_the_template(world):
    plan = start_plan(world.case_a, world.specialist)

    stay = plan.stays.get()
    assert (plan.template, plan.expected_months, plan.started_by) == (template_in_use(), 12, world.specialist)
    assert (stay.phase.name, stay.how, stay.entered_on, stay.left_on) == ("Strengthen", "started", TODAY, None)
    assert plan.history.get().history_change_reason == "plan.started"
    assert (stay.history.get().history_user, stay.history.get().history_change_reason) == (
        world.specialist,
        f"stay.started|[{stay.phase_id}]",
    )


@pytest.mark.parametrize(
    ("started_on", "months", "field", "message"),
    [
        # Run again at awkward instants (tests/clock.py): a plan starts between the case's opening and today.
        pytest.param(-1, 12, "started_on", "cannot start before", marks=pytest.mark.clock),
        pytest.param(1, 12, "started_on", "cannot start in the future", marks=pytest.mark.clock),
        (0, 11, "expected_months", "at least a year"),
        (0, 61, "expected_months", "at most 60 months"),
    ],
)
def test_start_plan_refuses_dates_and_lengths_that_do_not_hold(world, started_on, months, field, message):
    with pytest.raises(services.JourneyError) as refused:
        start_plan(world.case_a, world.specialist, started_on=TODAY + timedelta(days=started_on), months=months)

    assert message in " ".join(refused.value.message_dict[field])
    assert not CasePlan.objects.exists()


def test_a_plan_starts_only_on_an_enrolled_open_case_and_only_once(world):
    intake = case_services.start_intake(
        by=world.specialist, team=world.team_a, specialists=[world.specialist], details={"legal_name": "Ines"}
    )
    closed = close_case(
        make_case(team=world.team_a, specialists=[world.specialist]), by=world.specialist, approver=world.supervisor
    ).case
    start_plan(world.case_a, world.specialist)

    for case in (intake, closed):
        with pytest.raises(services.JourneyError, match="enrolled and the case is open"):
            start_plan(case, world.specialist)
    with pytest.raises(services.JourneyError, match="already has a plan"):
        start_plan(world.case_a, world.supervisor)
    assert CasePlan.objects.count() == 1


def test_a_template_without_phases_cannot_start_a_plan(world):
    empty = PhaseTemplate.objects.create(name="Empty")

    with pytest.raises(services.JourneyError, match="no phases"):
        start_plan(world.case_a, world.specialist, template=empty)


def test_starting_a_plan_needs_the_right_to_decide_on_the_case(world):
    with pytest.raises(PermissionDenied):
        start_plan(world.case_a, world.colleague)
    with pytest.raises(PermissionDenied):
        start_plan(world.case_a, world.finance)


# Moving forward -------------------------------------------------------------------------------


def test_asking_to_move_on_waits_for_sign_off_and_tells_the_supervisor(world, journey):
    review = ask_to_move(journey, world.specialist, done=[True, True, False, True, True])

    assert (review.status, review.from_phase.name, review.to_phase.name) == ("waiting", "Strengthen", "Heal")
    assert [entry["done"] for entry in review.checklist] == [True, True, False, True, True]
    assert review.checklist[0]["item"].startswith("Housing is settled")
    assert current_phase(journey) == "Strengthen"
    assert notified(Notification.Kind.PHASE_MOVE_REQUESTED) == [("Sue Supervisor", True)]
    notice = Notification.objects.get(kind=Notification.Kind.PHASE_MOVE_REQUESTED)
    # The phase in every language it is written in, so that each reader reads it in theirs.
    assert notice.data == {
        "code": journey.case.survivor.client_code,
        "phase": "Heal",
        "translations": {"es": {"phase": "Sanar"}},
    }
    assert "Paz" not in notice.text
    assert review.history.get().history_user == world.specialist


def test_a_team_without_a_supervisor_tells_the_program_directors(world):
    team = make_team("Team C", members=[world.colleague])
    plan = start_plan(make_case(team=team, specialists=[world.colleague]), world.colleague)

    ask_to_move(plan, world.colleague)

    assert notified(Notification.Kind.PHASE_MOVE_REQUESTED) == [("Dana Director", True)]


def test_a_supervisor_asking_is_not_told_of_their_own_request(world, journey):
    second = make_user(Role.SUPERVISOR, full_name="Sid Second")
    world.team_a.supervisors.add(second)

    ask_to_move(journey, world.supervisor)

    assert notified(Notification.Kind.PHASE_MOVE_REQUESTED) == [("Sid Second", True)]


def test_a_restricted_case_tells_only_the_people_it_names(world, journey):
    second = make_user(Role.SUPERVISOR, full_name="Sid Second")
    world.team_a.supervisors.add(second)
    case_services.set_restriction(journey.case, by=world.supervisor, restricted=True, named=[world.supervisor])

    ask_to_move(journey, world.specialist)

    assert notified(Notification.Kind.PHASE_MOVE_REQUESTED) == [("Sue Supervisor", True)]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"note": "  "}, "specialist_note", "Write your note"),
        ({"note": "", "done": [True, False, True, True, True]}, "specialist_note", "not ticked: say why"),
        ({"view": ""}, "survivor_view", "the survivor's own view"),
        # Run again at awkward instants (tests/clock.py): a move is dated from the current phase's start to today.
        pytest.param({"move_on": TODAY + timedelta(days=1)}, "move_on", "in the future", marks=pytest.mark.clock),
        pytest.param(
            {"move_on": TODAY - timedelta(days=91)}, "move_on", "when the current phase began", marks=pytest.mark.clock
        ),
    ],
)
def test_asking_to_move_on_refuses_a_review_that_is_not_complete(world, journey, changes, field, message):
    with pytest.raises(services.JourneyError) as refused:
        ask_to_move(journey, world.specialist, **changes)

    assert message in " ".join(refused.value.message_dict[field])
    assert not PhaseReview.objects.exists()


def test_only_one_move_waits_per_plan(world, journey):
    ask_to_move(journey, world.specialist)

    with pytest.raises(services.JourneyError, match="already waiting"):
        ask_to_move(journey, world.supervisor)
    # Nor can the database be made to hold two.
    first = PhaseReview.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        PhaseReview.objects.create(
            plan=journey,
            from_phase=first.from_phase,
            to_phase=first.to_phase,
            specialist_note="x",
            survivor_view="y",
            move_on=TODAY,
            requested_by=world.specialist,
        )
    assert PhaseReview.objects.count() == 1


def test_the_last_phase_has_nowhere_forward_to_go(world, journey):
    for _move in range(2):
        services.sign_off_move(ask_to_move(journey, world.specialist), by=world.supervisor)

    assert current_phase(journey) == "Revitalize"
    with pytest.raises(services.JourneyError, match=r"This is the last phase\."):
        ask_to_move(journey, world.specialist)


def test_sign_off_moves_the_survivor_on_from_the_date_asked(world, journey):
    move_on = TODAY - timedelta(days=3)
    review = ask_to_move(journey, world.specialist, move_on=move_on)

    stay = services.sign_off_move(review, by=world.supervisor, note="Well done together.")

    review.refresh_from_db()
    left = journey.stays.get(phase__name="Strengthen")
    assert (stay.phase.name, stay.how, stay.entered_on, stay.review, stay.by) == (
        "Heal",
        "forward",
        move_on,
        review,
        world.supervisor,
    )
    assert left.left_on == move_on
    assert (review.status, review.decided_by, review.decision_note) == (
        "signed off",
        world.supervisor,
        "Well done together.",
    )
    assert notified(Notification.Kind.PHASE_MOVE_REQUESTED) == [("Sue Supervisor", False)]
    assert [row.history_change_reason for row in left.history.order_by("history_date")] == [
        f"stay.started|[{left.phase_id}]",
        f"stay.left_forward|[{stay.phase_id}]",
    ]


def test_the_person_who_asked_cannot_sign_off(world, journey):
    review = ask_to_move(journey, world.supervisor)

    with pytest.raises(services.JourneyError, match="Another supervisor or the program director must sign off"):
        services.sign_off_move(review, by=world.supervisor)

    review.refresh_from_db()
    assert (review.status, current_phase(journey)) == ("waiting", "Strengthen")


def test_the_database_holds_no_move_signed_off_by_the_person_who_asked(world, journey):
    review = ask_to_move(journey, world.supervisor)

    with pytest.raises(IntegrityError), transaction.atomic():
        PhaseReview.objects.filter(pk=review.pk).update(
            status=PhaseReview.Status.SIGNED_OFF, decided_by=world.supervisor, decided_at=timezone.now()
        )

    review.refresh_from_db()
    assert review.status == "waiting"


def test_a_sign_off_note_past_the_longest_is_refused(world, journey):
    review = ask_to_move(journey, world.specialist)

    with pytest.raises(services.JourneyError) as refused:
        services.sign_off_move(review, by=world.supervisor, note="a" * (services.LONGEST_NOTE + 1))

    review.refresh_from_db()
    assert list(refused.value.error_dict) == ["note"]
    assert (review.status, current_phase(journey)) == ("waiting", "Strengthen")


def test_a_supervisor_under_emergency_access_cannot_sign_off(world, journey):
    other = make_user(Role.SUPERVISOR, full_name="Eve Elsewhere")
    make_team("Team C", supervisors=[other])
    case_services.open_in_emergency(journey.case, by=other, reason="Covering tonight")
    review = ask_to_move(journey, world.specialist)

    with pytest.raises(PermissionDenied):
        services.sign_off_move(review, by=other)

    review.refresh_from_db()
    assert review.status == "waiting"


def test_a_colleague_without_the_sign_off_permission_cannot_sign_off(world, journey):
    case_services.assign_case(journey.case, by=world.supervisor, specialists=[world.specialist, world.colleague])
    review = ask_to_move(journey, world.specialist)

    with pytest.raises(PermissionDenied):
        services.sign_off_move(review, by=world.colleague)
    with pytest.raises(PermissionDenied):
        services.return_move(review, by=world.colleague, note="No")


def test_the_program_director_can_sign_off(world, journey):
    review = ask_to_move(journey, world.specialist)

    services.sign_off_move(review, by=world.director)

    assert current_phase(journey) == "Heal"


def test_a_decided_move_cannot_be_decided_again(world, journey):
    review = ask_to_move(journey, world.specialist)
    services.sign_off_move(review, by=world.supervisor)

    # A second supervisor deciding at the same time finds it decided once the first is done.
    with pytest.raises(services.JourneyError, match="already been decided"):
        services.sign_off_move(review, by=world.director)
    with pytest.raises(services.JourneyError, match="already been decided"):
        services.return_move(review, by=world.director, note="Wait")
    assert journey.stays.count() == 2


def test_returning_a_move_tells_the_requester_and_a_new_request_settles_it(world, journey):
    review = ask_to_move(journey, world.specialist)

    with pytest.raises(services.JourneyError, match="Say what should change"):
        services.return_move(review, by=world.supervisor, note=" ")
    services.return_move(review, by=world.supervisor, note="Let us review the budget first.")

    review.refresh_from_db()
    assert (review.status, review.decision_note) == ("returned", "Let us review the budget first.")
    assert notified(Notification.Kind.PHASE_MOVE_RETURNED) == [("Sam Specialist", True)]
    assert notified(Notification.Kind.PHASE_MOVE_REQUESTED) == [("Sue Supervisor", False)]
    returned = Notification.objects.get(kind=Notification.Kind.PHASE_MOVE_RETURNED)
    assert returned.data == {
        "code": journey.case.survivor.client_code,
        "phase": "Heal",
        "translations": {"es": {"phase": "Sanar"}},
    }

    again = ask_to_move(journey, world.specialist)

    assert notified(Notification.Kind.PHASE_MOVE_RETURNED) == [("Sam Specialist", False)]
    # One notice per request: the new one waits, the old one stays settled.
    assert notified(Notification.Kind.PHASE_MOVE_REQUESTED) == [("Sue Supervisor", False), ("Sue Supervisor", True)]
    assert Notification.objects.get(read_at__isnull=True, kind="phase move requested").dedupe_key == (
        services.move_requested_key(again)
    )


def test_withdrawing_a_move_keeps_the_survivor_in_the_phase(world, journey):
    review = ask_to_move(journey, world.specialist)

    services.withdraw_move(review, by=world.specialist)

    review.refresh_from_db()
    assert (review.status, review.decided_by, current_phase(journey)) == ("withdrawn", world.specialist, "Strengthen")
    assert notified(Notification.Kind.PHASE_MOVE_REQUESTED) == [("Sue Supervisor", False)]
    with pytest.raises(services.JourneyError, match="already been decided or withdrawn"):
        services.withdraw_move(review, by=world.specialist)


def test_nothing_moves_on_a_case_that_closed(world, journey):
    review = ask_to_move(journey, world.specialist)
    close_case(journey.case, by=world.specialist, approver=world.supervisor)

    with pytest.raises(services.JourneyError, match="not open"):
        services.sign_off_move(review, by=world.supervisor)


# Moving back ----------------------------------------------------------------------------------


def test_moving_back_records_the_reason_and_withdraws_a_waiting_move(world, journey):
    services.sign_off_move(ask_to_move(journey, world.specialist), by=world.supervisor)
    waiting = ask_to_move(journey, world.specialist)
    strengthen = journey.template.phases.get(name="Strengthen")

    stay, withdrawn = services.move_back(
        journey, by=world.specialist, to_phase=strengthen, moved_on=TODAY, reason="Lost her apartment."
    )

    waiting.refresh_from_db()
    assert (stay.how, stay.phase.name, stay.reason, stay.review) == ("back", "Strengthen", "Lost her apartment.", None)
    assert withdrawn == waiting
    assert (waiting.status, waiting.decision_note) == ("withdrawn", "review.withdrawn_back")
    with translation.override("en"):
        assert waiting.get_decision_note_display() == "Withdrawn: moved back to an earlier phase instead."
    assert journey.stays.get(phase__name="Heal").left_on == TODAY
    assert notified(Notification.Kind.PHASE_MOVE_REQUESTED) == [("Sue Supervisor", False), ("Sue Supervisor", False)]


@pytest.mark.parametrize(
    ("phase", "reason", "days", "field", "message"),
    [
        ("Strengthen", "", 0, "reason", "Say why"),
        ("Heal", "Struggling", 0, "phase", "before the current one"),
        ("Revitalize", "Struggling", 0, "phase", "before the current one"),
        # Run again at awkward instants (tests/clock.py): a move back is never in the future.
        pytest.param("Strengthen", "Struggling", 1, "moved_on", "in the future", marks=pytest.mark.clock),
    ],
)
def test_moving_back_refuses_what_does_not_hold(world, journey, phase, reason, days, field, message):
    services.sign_off_move(ask_to_move(journey, world.specialist), by=world.supervisor)

    with pytest.raises(services.JourneyError) as refused:
        services.move_back(
            journey,
            by=world.specialist,
            to_phase=journey.template.phases.get(name=phase),
            moved_on=TODAY + timedelta(days=days),
            reason=reason,
        )

    assert message in " ".join(refused.value.message_dict[field])
    assert current_phase(journey) == "Heal"


def test_moving_back_to_another_templates_phase_is_refused(world, journey):
    services.sign_off_move(ask_to_move(journey, world.specialist), by=world.supervisor)
    foreign = PhaseTemplate.objects.get(in_use=False).phases.get(position=1)

    with pytest.raises(services.JourneyError, match="before the current one"):
        services.move_back(journey, by=world.specialist, to_phase=foreign, moved_on=TODAY, reason="x")


# Time in plain words ---------------------------------------------------------------------------


# Run again at awkward instants (tests/clock.py): time in a phase is said in days, weeks and months, counted from today.
@pytest.mark.clock
@pytest.mark.parametrize(
    ("days", "words"),
    [
        (0, "0 days"),
        (1, "1 day"),
        (13, "13 days"),
        (14, "2 weeks"),
        (62, "8 weeks"),
        (63, "2 months"),
        (400, "13 months"),
    ],
)
def test_time_in_a_phase_is_said_in_plain_words(days, words):
    start_day = TODAY.replace(day=1) - timedelta(days=800)
    assert time_in_words(start_day, start_day + timedelta(days=days)).replace("\xa0", " ") == words


def test_months_between_counts_whole_calendar_months():
    from datetime import date  # noqa: PLC0415

    assert months_between(date(2026, 1, 31), date(2026, 2, 28)) == 0
    assert months_between(date(2026, 1, 31), date(2026, 3, 1)) == 1
    assert months_between(date(2026, 1, 15), date(2027, 1, 15)) == 12


# Pages ----------------------------------------------------------------------------------------


def plan_url(case, suffix=""):
    return f"/cases/{case.pk}/plan/{suffix}"


def test_the_plan_tab_offers_to_start_a_plan(client, world):
    client.force_login(world.specialist)

    response = client.get(plan_url(world.case_a))

    assert response.status_code == 200
    assert response.context["tab"] == "plan"
    assert "No case plan has been started yet." in response.text
    assert reverse("phases:plan_start", args=[world.case_a.pk]) in response.text
    assert AccessLogEntry.objects.filter(user=world.specialist, target_id=world.case_a.pk).count() == 1


def test_the_case_pages_show_the_case_plan_tab(client, world):
    client.force_login(world.specialist)

    response = client.get(f"/cases/{world.case_a.pk}/")

    assert f'href="{plan_url(world.case_a)}"' in response.text
    assert "Case plan" in response.text


# Run again at awkward instants (tests/clock.py): the plan's month and the time in a phase are counted to today.
@pytest.mark.clock
def test_the_plan_tab_shows_where_the_survivor_stands_and_the_journey(client, world, journey):
    month_ago = ask_to_move(journey, world.specialist, move_on=TODAY - timedelta(days=30))
    services.sign_off_move(month_ago, by=world.supervisor)
    services.move_back(
        journey,
        by=world.specialist,
        to_phase=journey.template.phases.get(name="Strengthen"),
        moved_on=TODAY - timedelta(days=14),
        reason="Lost her apartment.",
    )
    client.force_login(world.supervisor)

    response = client.get(plan_url(journey.case))

    text = response.text
    assert response.status_code == 200
    assert "Now in Strengthen" in text
    # 90 days is two whole calendar months or three, depending on the months: counted here by hand.
    started = journey.started_on
    whole = (TODAY.year - started.year) * 12 + TODAY.month - started.month - (TODAY.day < started.day)
    assert f"Month {whole + 1} of 12" in text
    assert "2 weeks" in text
    assert "Moved forward after review signed off by Sue Supervisor" in text
    assert "Moved back to Strengthen: Lost her apartment." in text
    assert "Plan started by Sam Specialist" in text
    assert '<svg viewBox="0 0 720' in text
    assert 'role="img"' in text
    assert "style=" not in text
    assert "failure" not in text.lower()
    assert "{# MARKER" not in text


def test_the_plan_tab_is_for_those_who_see_the_case(client, world, journey):
    for person in (world.outsider, world.finance, world.colleague):
        client.force_login(person)
        assert client.get(plan_url(journey.case)).status_code == 404


# Run again at awkward instants (tests/clock.py): a plan cannot start before the case opened.
@pytest.mark.clock
def test_the_start_form_keeps_what_was_typed_and_says_what_is_wrong(client, world):
    client.force_login(world.specialist)
    too_early = (world.case_a.opened_on - timedelta(days=1)).isoformat()

    response = client.post(
        plan_url(world.case_a, "start/"),
        {"template": template_in_use().pk, "started_on": too_early, "expected_months": "6"},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "at least a year" in errors["expected_months"][0]
    assert "when the case was opened" in errors["started_on"][0]
    assert f'value="{too_early}"' in response.text
    assert not CasePlan.objects.exists()


def test_the_start_form_starts_the_plan(client, world):
    client.force_login(world.specialist)

    response = client.post(
        plan_url(world.case_a, "start/"),
        {"template": template_in_use().pk, "started_on": TODAY.isoformat(), "expected_months": "18"},
    )

    assert response.status_code == 302
    assert CasePlan.objects.get(case=world.case_a).expected_months == 18


def test_the_move_form_needs_the_note_and_the_survivors_view(client, world, journey):
    client.force_login(world.specialist)

    response = client.post(
        plan_url(journey.case, "move/"),
        {"checklist": ["0", "1"], "specialist_note": "", "survivor_view": "Ready, I think.", "move_on": TODAY},
    )

    assert response.status_code == 200
    assert "not ticked: say why" in response.context["form"].errors["specialist_note"][0]
    assert "Ready, I think." in response.text
    assert not PhaseReview.objects.exists()


def test_the_move_form_sends_the_review_for_sign_off(client, world, journey):
    client.force_login(world.specialist)

    response = client.post(
        plan_url(journey.case, "move/"),
        {"checklist": ["0", "4"], "specialist_note": NOTE, "survivor_view": VIEW, "move_on": TODAY.isoformat()},
    )

    assert response.status_code == 302
    review = PhaseReview.objects.get()
    assert [entry["done"] for entry in review.checklist] == [True, False, False, False, True]


def test_a_move_posted_from_the_last_phase_is_refused_with_a_message(client, world, journey):
    services.sign_off_move(ask_to_move(journey, world.specialist), by=world.supervisor)
    services.sign_off_move(ask_to_move(journey, world.specialist), by=world.supervisor)
    client.force_login(world.specialist)

    response = client.post(
        plan_url(journey.case, "move/"),
        {"specialist_note": NOTE, "survivor_view": VIEW, "move_on": TODAY.isoformat()},
        follow=True,
    )

    assert response.redirect_chain == [(plan_url(journey.case), 302)]
    assert "This is the last phase." in response.text
    assert PhaseReview.objects.filter(plan=journey, status="waiting").count() == 0


def test_the_move_page_says_when_a_move_already_waits(client, world, journey):
    ask_to_move(journey, world.specialist)
    client.force_login(world.specialist)

    response = client.get(plan_url(journey.case, "move/"), follow=True)

    assert "already waiting for sign-off" in response.text
    # A POST all the same keeps what was typed and says why.
    response = client.post(
        plan_url(journey.case, "move/"), {"specialist_note": "Mine", "survivor_view": VIEW, "move_on": TODAY}
    )
    assert response.status_code == 200
    assert "already waiting" in response.text
    assert "Mine" in response.text


def test_sign_off_by_the_requester_is_refused_with_a_message(client, world, journey):
    review = ask_to_move(journey, world.supervisor)
    client.force_login(world.supervisor)
    url = plan_url(journey.case, f"reviews/{review.pk}/decide/")

    page = client.get(url)
    response = client.post(url, {"decision": "sign off", "note": "Looks good"})

    assert "must sign off a move you asked for" in page.text
    assert response.status_code == 200
    assert "Another supervisor or the program director must sign off a move you asked for." in response.text
    assert "Looks good" in response.text
    review.refresh_from_db()
    assert review.status == "waiting"


def test_the_decision_page_signs_off(client, world, journey):
    review = ask_to_move(journey, world.specialist)
    client.force_login(world.director)

    response = client.post(plan_url(journey.case, f"reviews/{review.pk}/decide/"), {"decision": "sign off"})

    assert response.status_code == 302
    assert current_phase(journey) == "Heal"
    # Once decided, the page says so instead of offering the form again.
    again = client.get(plan_url(journey.case, f"reviews/{review.pk}/decide/"), follow=True)
    assert "already been decided" in again.text
    late = client.post(plan_url(journey.case, f"reviews/{review.pk}/decide/"), {"decision": "return", "note": "x"})
    assert "already been decided" in late.text


def test_the_decision_page_is_for_those_who_sign_off(client, world, journey):
    review = ask_to_move(journey, world.specialist)
    url = plan_url(journey.case, f"reviews/{review.pk}/decide/")
    other = make_user(Role.SUPERVISOR, full_name="Eve Elsewhere")
    make_team("Team C", supervisors=[other])
    case_services.open_in_emergency(journey.case, by=other, reason="Covering tonight")

    for person, status in ((world.specialist, 403), (other, 403), (world.outsider, 404), (world.finance, 404)):
        client.force_login(person)
        assert client.get(url).status_code == status, person
        assert client.post(url, {"decision": "sign off"}).status_code == status, person
    review.refresh_from_db()
    assert review.status == "waiting"


def test_another_cases_review_is_not_found(client, world, journey):
    review = ask_to_move(journey, world.specialist)
    start_plan(world.case_a, world.specialist)
    client.force_login(world.supervisor)

    assert client.get(plan_url(world.case_a, f"reviews/{review.pk}/decide/")).status_code == 404
    assert client.post(plan_url(world.case_a, f"reviews/{review.pk}/withdraw/")).status_code == 404


def test_withdrawing_from_the_page(client, world, journey):
    review = ask_to_move(journey, world.specialist)
    client.force_login(world.specialist)

    response = client.post(plan_url(journey.case, f"reviews/{review.pk}/withdraw/"))

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "withdrawn"


def test_the_back_form_needs_a_reason_and_an_earlier_phase(client, world, journey):
    services.sign_off_move(ask_to_move(journey, world.specialist), by=world.supervisor)
    client.force_login(world.specialist)
    heal = journey.template.phases.get(name="Heal")
    strengthen = journey.template.phases.get(name="Strengthen")

    no_reason = client.post(plan_url(journey.case, "back/"), {"phase": strengthen.pk, "moved_on": TODAY.isoformat()})
    same = client.post(
        plan_url(journey.case, "back/"), {"phase": heal.pk, "moved_on": TODAY.isoformat(), "reason": "Hard month"}
    )

    assert "Say why" in no_reason.context["form"].errors["reason"][0]
    assert "phase" in same.context["form"].errors
    assert "Hard month" in same.text
    assert current_phase(journey) == "Heal"


def test_the_back_form_says_a_waiting_move_is_withdrawn(client, world, journey):
    services.sign_off_move(ask_to_move(journey, world.specialist), by=world.supervisor)
    ask_to_move(journey, world.specialist)
    client.force_login(world.specialist)
    strengthen = journey.template.phases.get(name="Strengthen")

    page = client.get(plan_url(journey.case, "back/"))
    response = client.post(
        plan_url(journey.case, "back/"),
        {"phase": strengthen.pk, "moved_on": TODAY.isoformat(), "reason": "Lost her job."},
        follow=True,
    )

    assert "Moving back withdraws it." in page.text
    assert "has been withdrawn" in response.text
    assert "Moved back to Strengthen: Lost her job." in response.text


def test_in_the_first_phase_there_is_nowhere_back_to_go(client, world, journey):
    client.force_login(world.specialist)

    response = client.get(plan_url(journey.case, "back/"), follow=True)

    assert "no earlier phase" in response.text


# The queue ------------------------------------------------------------------------------------


def test_the_queue_shows_moves_waiting_for_the_reader_and_not_their_own(client, world, journey):
    review = ask_to_move(journey, world.specialist)
    other = start_plan(make_case(team=world.team_a, specialists=[world.specialist]), world.specialist)
    ask_to_move(other, world.supervisor)
    # Team B's case and emergency access are not the supervisor's to sign off.
    ask_to_move(start_plan(world.case_b, world.outsider), world.outsider)

    assert list(reviews_to_sign_off(world.supervisor)) == [review]
    assert list(reviews_to_sign_off(world.specialist)) == []
    assert reviews_to_sign_off(world.director).count() == 3
    client.force_login(world.supervisor)
    response = client.get("/plans/reviews/")
    assert response.status_code == 200
    assert list(response.context["reviews"]) == [review]
    client.force_login(world.specialist)
    assert client.get("/plans/reviews/").status_code == 403


def test_emergency_access_adds_nothing_to_the_queue(world, journey):
    other = make_user(Role.SUPERVISOR, full_name="Eve Elsewhere")
    make_team("Team C", supervisors=[other])
    case_services.open_in_emergency(journey.case, by=other, reason="Covering tonight")
    ask_to_move(journey, world.specialist)

    assert list(reviews_to_sign_off(other)) == []


# The case timeline -----------------------------------------------------------------------------


def test_the_case_timeline_shows_the_moves(client, world, journey):
    services.sign_off_move(ask_to_move(journey, world.specialist), by=world.supervisor)
    client.force_login(world.specialist)

    response = client.get(f"/cases/{journey.case.pk}/timeline/", {"kind": ["phase move"]})

    assert [entry.item.how for entry in response.context["entries"]] == ["forward", "started"]
    assert "Moved forward to Heal" in response.text
    assert "Case plan started in Strengthen" in response.text


# Query counts ---------------------------------------------------------------------------------


def grow_journey(world, plan, size):
    """``size`` times in a phase: moves forward and back in turn, each forward one signed off."""
    strengthen = plan.template.phases.get(name="Strengthen")
    while plan.stays.count() < size:
        if plan.stays.count() % 2:
            services.sign_off_move(ask_to_move(plan, world.specialist), by=world.supervisor)
        else:
            services.move_back(plan, by=world.specialist, to_phase=strengthen, moved_on=TODAY, reason="Hard month")


@pytest.mark.parametrize("size", [1, 5])
def test_the_plan_page_costs_the_same_queries_however_long_the_journey(
    client, world, journey, size, django_assert_num_queries
):
    grow_journey(world, journey, size)
    ask_to_move(journey, world.specialist)  # a review waiting, and size - 1 decided before it
    for n in range(size):
        goal = goal_services.set_goal(journey.case, by=world.specialist, in_own_words=f"Goal {n}", domain="housing")
        goal_services.add_step(goal, by=world.specialist, description=f"Step {n}", owner="survivor")
    client.force_login(world.supervisor)
    client.get(plan_url(journey.case))  # warm the per-process caches

    # 8 for the plan and its journey; the goals card 2, the budget card 1, the printout's job 1; what waits 1.
    with django_assert_num_queries(13):
        response = client.get(plan_url(journey.case))

    assert response.status_code == 200
    assert journey.stays.count() == size
    assert len(response.context["stays"]) == size


@pytest.mark.parametrize("size", [1, 5])
def test_the_review_queue_costs_the_same_queries_however_many_wait(client, world, size, django_assert_num_queries):
    for n in range(size):
        case = make_case(team=world.team_a, specialists=[world.specialist], legal_name=f"P{n}")
        plan = start_plan(case, world.specialist)
        ask_to_move(plan, world.specialist)
    client.force_login(world.supervisor)
    client.get("/plans/reviews/")

    with django_assert_num_queries(4):
        response = client.get("/plans/reviews/")

    assert len(response.context["reviews"]) == size
