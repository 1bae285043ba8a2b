"""The survivor's case plan printout, read back from the real PDF."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bloom.reports.models import ReportJob
from phases import printouts
from phases.models import Goal
from phases.services.goals import change_goal_status
from tests.factories import edit_survivor
from tests.printouts import (
    CASE_PLAN,
    DECISION_NOTE,
    PROGRESS_NOTE,
    SPECIALIST_NOTE,
    STAFF_SUMMARY,
    SURVIVOR_VIEW,
    flat,
    goal_with_steps,
    make_case_plan,
    make_clerk,
    pdf_text,
    print_and_download,
    set_program_phone,
    start_plan,
)


def test_case_plan_printout_has_the_survivors_goals_steps_and_who_to_call(
    client, world, django_capture_on_commit_callbacks
):
    case = make_case_plan(world)

    _job, pdf = print_and_download(client, world.specialist, CASE_PLAN, case, django_capture_on_commit_callbacks)
    text = flat(pdf_text(pdf))

    for words in ("I want my own place where my kids can visit", "Learn to drive so I can get to work"):
        assert words in text
    for step in ("Call the housing office on Tuesday", "Send the voucher letter", "Ask about the learner's permit"):
        assert step in text
    assert "Legal Aid of Hartford" in text  # who does the partner's step
    assert "For Ally" in text
    assert "You are in the Heal part of the program" in text  # moved forward with sign-off
    assert "Spiritual and therapeutic recovery" in text
    assert "What you have achieved" in text
    assert "Open a bank account of my own" in text
    assert "Who to call" in text
    assert "Sam Specialist" in text
    assert world.specialist.email in text
    assert "911" in text
    assert "1-888-373-7888" in text


def test_case_plan_printout_lists_open_goals_by_priority_and_steps_by_due_date(
    client, world, django_capture_on_commit_callbacks
):
    case = make_case_plan(world)

    _job, pdf = print_and_download(client, world.specialist, CASE_PLAN, case, django_capture_on_commit_callbacks)
    text = flat(pdf_text(pdf))

    positions = [
        text.index(s)
        for s in (
            "I want my own place",  # most important now
            "Learn to drive",  # for later
            "What you have achieved",
            "Ask about the learner's permit",  # due tomorrow
            "Call the housing office",  # in three days
            "Send the voucher letter",  # in ten days
        )
    ]
    assert positions == sorted(positions)


def test_case_plan_printout_leaves_out_every_internal_note(client, world, django_capture_on_commit_callbacks):
    case = make_case_plan(world)
    edit_survivor(case, by=world.specialist, immigration_status="t visa")

    _job, pdf = print_and_download(client, world.specialist, CASE_PLAN, case, django_capture_on_commit_callbacks)
    text = flat(pdf_text(pdf))

    leaked = [
        s
        for s in (STAFF_SUMMARY, PROGRESS_NOTE, SPECIALIST_NOTE, SURVIVOR_VIEW, DECISION_NOTE, "Alma Alpha", "T visa")
        if s in text
    ]
    assert leaked == []
    assert "Move to Boston" not in text
    assert "Look at rents" not in text


def test_case_plan_printout_needs_only_sight_of_the_case(client, world, django_capture_on_commit_callbacks):
    case = make_case_plan(world)
    clerk = make_clerk(world)

    _job, pdf = print_and_download(client, clerk, CASE_PLAN, case, django_capture_on_commit_callbacks)

    assert "Learn to drive so I can get to work" in flat(pdf_text(pdf))


def test_a_case_plan_with_goals_but_no_plan_yet_prints(client, world, django_capture_on_commit_callbacks):
    goal_with_steps(world.case_a, by=world.specialist, words="Find a quiet job", steps=[("Write a CV", "survivor", 5)])

    _job, pdf = print_and_download(
        client, world.specialist, CASE_PLAN, world.case_a, django_capture_on_commit_callbacks
    )

    text = flat(pdf_text(pdf))
    assert "Find a quiet job" in text
    assert "Write a CV" in text
    assert "Where you are now" not in text


def test_a_case_plan_with_only_a_plan_and_no_goal_prints(client, world, django_capture_on_commit_callbacks):
    start_plan(world.case_a, by=world.specialist)

    _job, pdf = print_and_download(
        client, world.specialist, CASE_PLAN, world.case_a, django_capture_on_commit_callbacks
    )

    text = flat(pdf_text(pdf))
    assert "Strengthen" in text
    assert "No goals are written down yet." in text


# The program's phone -----------------------------------------------------------------------


def test_case_plan_printout_gives_the_programs_phone_with_the_other_numbers(
    client, world, django_capture_on_commit_callbacks
):
    case = make_case_plan(world)
    set_program_phone("860-555-0142")

    _job, pdf = print_and_download(client, world.specialist, CASE_PLAN, case, django_capture_on_commit_callbacks)
    text = flat(pdf_text(pdf))

    assert "Your program: 860-555-0142 To reach us about anything in this plan." in text
    # In "Who to call", after 911 and before the hotline.
    assert text.index("Who to call") < text.index("911") < text.index("Your program") < text.index("1-888-373-7888")


@pytest.mark.parametrize("phone", ["", "   "])
def test_case_plan_printout_without_a_program_phone_leaves_the_line_out(
    client, world, phone, django_capture_on_commit_callbacks
):
    case = make_case_plan(world)
    set_program_phone(phone)

    _job, pdf = print_and_download(client, world.specialist, CASE_PLAN, case, django_capture_on_commit_callbacks)
    text = flat(pdf_text(pdf))

    assert "Your program" not in text
    assert "To reach us" not in text
    assert "1-888-373-7888" in text


# The print button ----------------------------------------------------------------------------


def test_the_plan_tab_carries_the_print_button_and_the_last_job(client, world, django_capture_on_commit_callbacks):
    case = make_case_plan(world)
    client.force_login(world.specialist)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("reports:request", args=[CASE_PLAN, case.pk]))
    job = ReportJob.objects.get(kind=CASE_PLAN)

    html = client.get(reverse("phases:plan", args=[case.pk])).content.decode()

    assert f'action="{reverse("reports:request", args=[CASE_PLAN, case.pk])}"' in html
    assert f'id="job-{job.public_id}"' in html


# Query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 5])
def test_case_plan_context_reads_a_fixed_number_of_queries(world, size):
    start_plan(world.case_a, by=world.specialist)
    set_program_phone("860-555-0142")
    for i in range(size):
        goal_with_steps(
            world.case_a,
            by=world.specialist,
            words=f"Goal {i}",
            steps=[(f"Step {i}", "partner", i), (f"Other {i}", "survivor", None)],
        )
        done = goal_with_steps(world.case_a, by=world.specialist, words=f"Done {i}", status=Goal.Status.IN_PROGRESS)
        change_goal_status(done, by=world.specialist, status=Goal.Status.ACHIEVED)

    with CaptureQueriesContext(connection) as queries:
        printouts.case_plan_context(world.case_a)

    # The current phase, the goals, the open steps, the specialists, the program's phone, the
    # intake fields the director hid (the name may be one).
    assert len(queries) == 6
