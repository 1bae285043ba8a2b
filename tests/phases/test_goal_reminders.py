"""Reminders about overdue action steps: sent once, to the right people, and settled when done."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bloom.notifications.models import Notification
from cases.services import set_restriction
from phases import tasks
from phases.models import Goal
from phases.services import goals as services
from tests.factories import close_case, make_case

TODAY = timezone.localdate


def served(world, **kwargs):
    return make_case(
        team=world.team_a,
        specialists=[world.specialist, world.colleague],
        opened_on=TODAY() - timedelta(days=60),
        **kwargs,
    )


def overdue_step(case, by, *, days=3, status=Goal.Status.IN_PROGRESS):
    goal = services.set_goal(case, by=by, in_own_words="Find a job I like", domain="income and employment")
    if status != Goal.Status.NOT_STARTED:
        goal = services.change_goal_status(goal, by=by, status=Goal.Status.IN_PROGRESS)
    return services.add_step(
        goal, by=by, description="Send the résumé", owner="survivor", due_on=TODAY() - timedelta(days=days)
    )


def reminders():
    return Notification.objects.filter(kind=Notification.Kind.STEP_OVERDUE)


# Run again at awkward instants (tests/clock.py): action steps are overdue by their due date.
@pytest.mark.clock
def test_reminder_task_run_twice_tells_each_assigned_specialist_once(world):
    case = served(world)
    step = overdue_step(case, world.specialist)

    first = tasks.send_step_reminders()
    second = tasks.send_step_reminders()

    rows = list(reminders().order_by("recipient__full_name").values_list("recipient", "url", "data"))
    url = reverse("phases:goal_detail", args=[case.pk, step.goal_id])
    data = {"code": case.survivor.client_code, "since": step.due_on.isoformat()}
    assert (first, second) == (2, 0)
    assert rows == [(world.colleague.pk, url, data), (world.specialist.pk, url, data)]


def test_the_reminder_names_the_client_code_never_the_survivor(world):
    case = served(world, legal_name="Secret Name")
    overdue_step(case, world.specialist)

    services.send_step_reminders()

    text = reminders().get(recipient=world.specialist).text
    assert case.survivor.client_code in text
    assert "Secret" not in text


@pytest.mark.clock
def test_no_reminder_for_a_step_due_today_done_or_without_a_date(world):
    case = served(world)
    overdue_step(case, world.specialist, days=0)
    done = overdue_step(case, world.specialist)
    services.update_step(
        done, by=world.specialist, description=done.description, owner="survivor", partner="", due_on=done.due_on,
        done_on=TODAY(),
    )  # fmt: skip
    goal = services.set_goal(case, by=world.specialist, in_own_words="Rest", domain="mental health and therapy")
    services.add_step(goal, by=world.specialist, description="Undated", owner="survivor")

    assert services.send_step_reminders() == 0


@pytest.mark.parametrize("status", [Goal.Status.ACHIEVED, Goal.Status.SET_ASIDE, Goal.Status.CHANGED])
def test_no_reminder_for_a_goal_that_is_not_open(world, status):
    case = served(world)
    step = overdue_step(case, world.specialist)
    services.change_goal_status(step.goal, by=world.specialist, status=status)

    assert services.send_step_reminders() == 0


def test_a_not_started_goal_still_has_its_steps_reminded(world):
    overdue_step(served(world), world.specialist, status=Goal.Status.NOT_STARTED)

    assert services.send_step_reminders() == 2


def test_no_reminder_for_a_closed_case(world):
    case = served(world)
    overdue_step(case, world.specialist)
    close_case(case, by=world.specialist, approver=world.supervisor, closed_on=TODAY())

    assert services.send_step_reminders() == 0


def test_marking_the_step_done_settles_its_reminders(world):
    case = served(world)
    step = overdue_step(case, world.specialist)
    other = overdue_step(case, world.specialist)
    services.send_step_reminders()

    services.update_step(step, by=world.specialist, description=step.description, owner="survivor", partner="",
                         due_on=step.due_on, done_on=TODAY())  # fmt: skip

    unread = reminders().filter(read_at__isnull=True)
    assert set(unread.values_list("dedupe_key", flat=True)) == {
        f"step-overdue:{other.goal_id}:{other.pk}:{other.due_on.isoformat()}"
    }
    assert services.send_step_reminders() == 0


@pytest.mark.clock
def test_a_new_due_date_settles_the_old_reminder_and_a_later_one_comes_if_it_passes(world):
    case = served(world)
    step = overdue_step(case, world.specialist, days=5)
    services.send_step_reminders()

    new_due = TODAY() + timedelta(days=3)
    services.update_step(step, by=world.specialist, description=step.description, owner="survivor", partner="",
                         due_on=new_due, done_on=None)  # fmt: skip

    assert not reminders().filter(read_at__isnull=True).exists()
    assert services.send_step_reminders() == 0
    assert services.send_step_reminders(today=new_due + timedelta(days=1)) == 2


def test_the_goal_leaving_the_open_statuses_settles_its_step_reminders(world):
    case = served(world)
    step = overdue_step(case, world.specialist)
    services.send_step_reminders()

    services.change_goal_status(step.goal, by=world.specialist, status=Goal.Status.ACHIEVED)

    assert reminders().count() == 2
    assert not reminders().filter(read_at__isnull=True).exists()


def test_only_the_assigned_specialists_hear_of_a_restricted_case(world):
    case = served(world)
    overdue_step(case, world.specialist)
    set_restriction(case, by=world.supervisor, restricted=True, named=[world.supervisor])

    services.send_step_reminders()

    assert set(reminders().values_list("recipient", flat=True)) == {world.specialist.pk, world.colleague.pk}


def test_with_nobody_assigned_the_teams_supervisors_hear_of_it(world):
    case = make_case(team=world.team_a, by=world.supervisor, opened_on=TODAY() - timedelta(days=60))
    overdue_step(case, world.supervisor)

    services.send_step_reminders()

    assert list(reminders().values_list("recipient", flat=True)) == [world.supervisor.pk]


@pytest.mark.parametrize("size", [1, 5])
def test_reminders_take_a_fixed_number_of_queries(world, django_assert_num_queries, size):
    for _ in range(size):
        overdue_step(served(world), world.specialist)

    # The steps, and the assignments, team supervisors and named people who may be told.
    with django_assert_num_queries(7):
        created = services.send_step_reminders()

    assert created == 2 * size
