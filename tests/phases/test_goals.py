"""Goals in the survivor's own words: the status flow, dates, steps, notes, pages and who may use them."""

import itertools
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from bloom.audit.models import AccessLogEntry
from cases import timeline
from cases.services import open_in_emergency
from phases.models import ActionStep, CasePlan, Goal, GoalNote, PhaseTemplate
from phases.queries import goals as queries
from phases.services import goals as services
from phases.views.goals import goals_overview
from tests.factories import make_case

S = Goal.Status
WORDS = "I want my own place, with a door that locks, before the winter."
TODAY = timezone.localdate


@pytest.fixture
def served(world):
    """A case of team A, assigned to the world's specialist, enrolled 30 days ago."""
    return make_case(
        team=world.team_a,
        specialists=[world.specialist],
        legal_name="Gloria Goal",
        opened_on=TODAY() - timedelta(days=30),
    )


def a_goal(case, by, **overrides) -> Goal:
    values = {"in_own_words": WORDS, "domain": "housing"} | overrides
    return services.set_goal(case, by=by, **values)


def goal_in(case, by, status) -> Goal:
    """A goal brought to ``status`` the only way there is: through the flow."""
    if status == S.NOT_STARTED:
        return a_goal(case, by)
    if status == S.IN_PROGRESS:
        return a_goal(case, by, status=S.IN_PROGRESS)
    if status == S.ACHIEVED:
        return services.change_goal_status(a_goal(case, by, status=S.IN_PROGRESS), by=by, status=S.ACHIEVED)
    return services.change_goal_status(a_goal(case, by), by=by, status=status)


# The flow as the program describes it, written out independently of the service's table.
ALLOWED = {
    ("not started", "in progress"),
    ("not started", "changed by the survivor"),
    ("not started", "set aside"),
    ("in progress", "achieved"),
    ("in progress", "changed by the survivor"),
    ("in progress", "set aside"),
    ("achieved", "in progress"),
    ("changed by the survivor", "in progress"),
    ("set aside", "in progress"),
}


# Services -------------------------------------------------------------------------------------


def test_set_goal_keeps_the_survivors_words_and_history(world, served):
    goal = a_goal(served, world.specialist, staff_summary="Housing by winter", priority=Goal.Priority.NOW)

    goal.refresh_from_db()
    record = goal.history.get()
    assert (goal.in_own_words, goal.status, goal.priority) == (WORDS, S.NOT_STARTED, Goal.Priority.NOW)
    assert (record.history_user, record.history_change_reason) == (world.specialist, "goal.set")


@pytest.mark.parametrize(("before", "after"), list(itertools.product(S.values, S.values)))
def test_status_flow(world, served, before, after):
    goal = goal_in(served, world.specialist, before)
    assert goal.status == before

    if (before, after) in ALLOWED:
        services.change_goal_status(goal, by=world.specialist, status=after)
        goal.refresh_from_db()
        assert goal.status == after
        assert goal.history.latest().history_change_reason == f'goal.status|["{after}"]'
    else:
        with pytest.raises(services.GoalError) as refused:
            services.change_goal_status(goal, by=world.specialist, status=after)
        goal.refresh_from_db()
        assert goal.status == before
        assert list(refused.value.error_dict) == ["status"]


def test_the_flow_table_is_the_programs(world):
    assert {(a, b) for a, targets in services.TRANSITIONS.items() for b in targets} == ALLOWED


def test_a_refused_move_says_where_the_goal_can_go(world, served):
    goal = goal_in(served, world.specialist, S.ACHIEVED)

    with pytest.raises(services.GoalError) as refused:
        services.change_goal_status(goal, by=world.specialist, status=S.SET_ASIDE)

    assert refused.value.message_dict["status"] == ["From “Achieved” a goal can move to: “In progress”."]


# Run again at awkward instants (tests/clock.py): a status note is dated today.
@pytest.mark.clock
def test_a_status_note_is_saved_as_a_progress_note(world, served):
    goal = a_goal(served, world.specialist)

    services.change_goal_status(goal, by=world.specialist, status=S.SET_ASIDE, note="  She wants to focus on work.  ")

    note = goal.notes.get()
    assert (note.note, note.written_on, note.written_by) == ("She wants to focus on work.", TODAY(), world.specialist)
    assert note.history.exists()


def test_a_new_goal_starts_open(world, served):
    with pytest.raises(services.GoalError) as refused:
        a_goal(served, world.specialist, status=S.ACHIEVED)

    assert list(refused.value.error_dict) == ["status"]
    assert not served.goals.exists()


# Run again at awkward instants (tests/clock.py): a target date is from the case's opening to ten years ahead.
@pytest.mark.clock
def test_target_date_before_the_case_opened_is_refused(world, served):
    with pytest.raises(services.GoalError) as refused:
        a_goal(served, world.specialist, target_on=served.opened_on - timedelta(days=1))

    opened = date_format(served.opened_on)
    assert refused.value.message_dict["target_on"] == [f"The target date cannot be before the case opened ({opened})."]
    a_goal(served, world.specialist, target_on=served.opened_on)  # the day it opened is fine


@pytest.mark.clock
def test_a_target_date_decades_ahead_is_refused(world, served):
    with pytest.raises(services.GoalError):
        a_goal(served, world.specialist, target_on=date(9999, 12, 31))


def test_update_goal_writes_only_what_changed(world, served):
    goal = a_goal(served, world.specialist)
    values = {"in_own_words": WORDS, "domain": "housing", "staff_summary": "", "phase": None, "target_on": None}
    values["priority"] = 2

    services.update_goal(goal, by=world.specialist, **values)
    services.update_goal(goal, by=world.supervisor, **(values | {"in_own_words": "A room of my own first."}))

    goal.refresh_from_db()
    assert goal.history.count() == 2
    assert goal.history.latest().history_user == world.supervisor
    assert goal.history.earliest().in_own_words == WORDS


def test_a_goal_phase_comes_from_the_case_plan(world, served):
    default = PhaseTemplate.objects.get(name="Strengthen, Heal, Revitalize")
    other = PhaseTemplate.objects.get(name="Crisis, stabilization, sustainability")
    # No plan yet: no phase to choose.
    assert list(services.plan_phases(served)) == []
    with pytest.raises(services.GoalError):
        a_goal(served, world.specialist, phase=default.phases.first())
    CasePlan.objects.create(
        case=served, template=default, started_on=served.opened_on, expected_months=12, started_by=world.specialist
    )

    goal = a_goal(served, world.specialist, phase=default.phases.get(name="Heal"))
    with pytest.raises(services.GoalError) as refused:
        a_goal(served, world.specialist, phase=other.phases.first())

    assert goal.phase.name == "Heal"
    assert list(refused.value.error_dict) == ["phase"]
    assert [p.name for p in services.plan_phases(served)] == ["Strengthen", "Heal", "Revitalize"]


def test_steps_need_a_partner_name_when_a_partner_does_them(world, served):
    goal = a_goal(served, world.specialist)

    with pytest.raises(services.GoalError) as refused:
        services.add_step(goal, by=world.specialist, description="Call about the lease", owner="partner")
    step = services.add_step(
        goal, by=world.specialist, description="Call about the lease", owner="partner", partner="Legal aid"
    )
    services.update_step(
        step, by=world.specialist, description="Call", owner="survivor", partner="Legal aid", due_on=None, done_on=None
    )

    step.refresh_from_db()
    assert list(refused.value.error_dict) == ["partner"]
    assert (step.owner, step.partner) == ("survivor", "")  # only a partner's step names a partner
    assert step.history.count() == 2


def test_the_database_holds_no_partner_on_a_step_nobody_from_outside_does(world, served):
    step = services.add_step(
        a_goal(served, world.specialist), by=world.specialist, description="Call the landlord", owner="survivor"
    )

    for owner, partner in [("survivor", "Legal aid"), ("partner", "")]:
        with pytest.raises(IntegrityError), transaction.atomic():
            ActionStep.objects.filter(pk=step.pk).update(owner=owner, partner=partner)

    step.refresh_from_db()
    assert (step.owner, step.partner) == ("survivor", "")


TOO_LONG = {
    "in_own_words": services.LONGEST_WORDS,
    "staff_summary": services.LONGEST_SUMMARY,
    "description": services.LONGEST_STEP,
    "partner": services.LONGEST_PARTNER,
    "note": services.LONGEST_NOTE,
}


@pytest.mark.parametrize(
    ("write", "field"),
    [
        (lambda case, by, text: a_goal(case, by, in_own_words=text), "in_own_words"),
        (lambda case, by, text: a_goal(case, by, staff_summary=text), "staff_summary"),
        (
            lambda case, by, text: services.add_step(a_goal(case, by), by=by, description=text, owner="survivor"),
            "description",
        ),
        (
            lambda case, by, text: services.add_step(
                a_goal(case, by), by=by, description="Call", owner="partner", partner=text
            ),
            "partner",
        ),
        (
            lambda case, by, text: services.add_goal_note(a_goal(case, by), by=by, written_on=TODAY(), note=text),
            "note",
        ),
        (
            lambda case, by, text: services.change_goal_status(
                a_goal(case, by), by=by, status=S.IN_PROGRESS, note=text
            ),
            "note",
        ),
    ],
    ids=["words", "summary", "step", "partner", "progress note", "status note"],
)
def test_text_past_the_longest_is_refused_beside_its_field(world, served, write, field):
    with pytest.raises(services.GoalError) as refused:
        write(served, world.specialist, "a" * (TOO_LONG[field] + 1))

    assert list(refused.value.error_dict) == [field]
    assert not Goal.objects.filter(case=served).exclude(status=S.NOT_STARTED).exists()
    assert not ActionStep.objects.filter(goal__case=served).exists()
    assert not GoalNote.objects.filter(goal__case=served).exists()


# Run again at awkward instants (tests/clock.py): steps and notes are dated from the case's opening to today.
@pytest.mark.clock
@pytest.mark.parametrize(
    ("field", "days", "message"),
    [
        ("due_on", -31, "before the case opened"),
        ("done_on", -31, "before the case opened"),
        ("done_on", 1, "cannot be done in the future"),
    ],
)
def test_step_dates_are_checked(world, served, field, days, message):
    goal = a_goal(served, world.specialist)

    with pytest.raises(services.GoalError) as refused:
        services.add_step(
            goal, by=world.specialist, description="Visit", owner="survivor", **{field: TODAY() + timedelta(days=days)}
        )

    assert message in refused.value.message_dict[field][0]
    assert not ActionStep.objects.exists()


@pytest.mark.clock
@pytest.mark.parametrize(("days", "field"), [(1, "written_on"), (-31, "written_on")])
def test_progress_note_dates_are_checked(world, served, days, field):
    goal = a_goal(served, world.specialist)

    with pytest.raises(services.GoalError) as refused:
        services.add_goal_note(goal, by=world.specialist, written_on=TODAY() + timedelta(days=days), note="Went well")

    assert list(refused.value.error_dict) == [field]
    assert not GoalNote.objects.exists()


def test_progress_note_is_kept_with_history(world, served):
    goal = a_goal(served, world.specialist)

    note = services.add_goal_note(goal, by=world.specialist, written_on=served.opened_on, note="First visit to a flat.")

    assert note.history.get().history_user == world.specialist
    assert queries.notes_of(goal) == [note]


# Pages ----------------------------------------------------------------------------------------


def goals_url(case, *parts):
    return "/".join([f"/cases/{case.pk}/goals", *map(str, parts)]) + "/"


def test_new_goal_page_saves_and_opens_the_goal(client, world, served):
    client.force_login(world.specialist)
    response = client.post(
        reverse("phases:goal_new", args=[served.pk]),
        {"in_own_words": WORDS, "domain": "housing", "priority": "1", "status": "in progress"},
    )

    goal = served.goals.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("phases:goal_detail", args=[served.pk, goal.pk])
    assert (goal.status, goal.priority, goal.created_by) == (S.IN_PROGRESS, 1, world.specialist)


# Run again at awkward instants (tests/clock.py): a target date cannot be before the case opened.
@pytest.mark.clock
def test_target_date_refused_on_the_page_keeps_what_was_typed(client, world, served):
    client.force_login(world.specialist)
    early = served.opened_on - timedelta(days=3)
    response = client.post(
        reverse("phases:goal_new", args=[served.pk]),
        {
            "in_own_words": WORDS,
            "staff_summary": "Own flat",
            "domain": "housing",
            "target_on": early.isoformat(),
            "priority": "1",
            "status": "not started",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["target_on"] == [
        f"The target date cannot be before the case opened ({date_format(served.opened_on)})."
    ]
    assert "I want my own place, with a door that locks, before the winter." in html
    assert 'value="Own flat"' in html
    assert f'value="{early.isoformat()}"' in html
    assert not served.goals.exists()


# Run again at awkward instants (tests/clock.py): a step is past its due date by days.
@pytest.mark.clock
def test_goal_page_shows_words_steps_and_notes(client, world, served):
    goal = a_goal(served, world.specialist, staff_summary="Own flat")
    services.add_step(goal, by=world.specialist, description="Visit the housing office", owner="survivor",
                      due_on=TODAY() - timedelta(days=2))  # fmt: skip
    services.add_goal_note(goal, by=world.specialist, written_on=TODAY(), note="Found two listings.")
    client.force_login(world.specialist)

    response = client.get(goals_url(served, goal.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert "I want my own place, with a door that locks, before the winter." in html
    assert "Visit the housing office" in html
    assert "Past its due date" in html
    assert "Found two listings." in html
    assert "failed" not in html.lower()
    assert "abandoned" not in html.lower()


def test_goals_list_groups_open_and_resting_goals_by_priority(client, world, served):
    later = a_goal(served, world.specialist, in_own_words="Learn to drive", priority=3)
    now = a_goal(served, world.specialist, in_own_words="Open a bank account", priority=1)
    done = goal_in(served, world.specialist, S.ACHIEVED)
    client.force_login(world.specialist)

    response = client.get(goals_url(served))

    assert response.status_code == 200
    assert response.context["open"] == [now, later]
    assert response.context["resting"] == [done]
    assert response.context["tab"] == "plan"


def test_status_page_changes_the_status_and_keeps_the_note(client, world, served):
    goal = a_goal(served, world.specialist)
    client.force_login(world.specialist)

    refused = client.post(goals_url(served, goal.pk, "status"), {"status": "achieved", "note": "Keep me"})
    moved = client.post(goals_url(served, goal.pk, "status"), {"status": "in progress", "note": "Started today."})

    goal.refresh_from_db()
    assert refused.status_code == 200
    assert "a goal can move to" in refused.context["form"].errors["status"][0]
    assert "Keep me" in refused.content.decode()
    assert moved.status_code == 302
    assert goal.status == S.IN_PROGRESS
    assert [n.note for n in goal.notes.all()] == ["Started today."]


def test_step_page_marks_a_step_done(client, world, served):
    goal = a_goal(served, world.specialist)
    step = services.add_step(goal, by=world.specialist, description="Visit", owner="survivor")
    client.force_login(world.specialist)

    response = client.post(
        goals_url(served, goal.pk, "steps", step.pk, "edit"),
        {"description": "Visit", "owner": "survivor", "done_on": TODAY().isoformat()},
    )

    step.refresh_from_db()
    assert response.status_code == 302
    assert step.done_on == TODAY()
    assert step.history.latest().history_change_reason == 'step.done|[["done_on"]]'


# Run again at awkward instants (tests/clock.py): steps are done and notes written by today, never later.
@pytest.mark.clock
def test_step_and_note_pages_refuse_bad_dates_beside_the_field(client, world, served):
    goal = a_goal(served, world.specialist)
    client.force_login(world.specialist)
    tomorrow = (TODAY() + timedelta(days=1)).isoformat()

    step = client.post(goals_url(served, goal.pk, "steps", "new"),
                       {"description": "Visit", "owner": "survivor", "done_on": tomorrow})  # fmt: skip
    note = client.post(goals_url(served, goal.pk, "notes", "new"), {"written_on": tomorrow, "note": "Soon"})
    partner = client.post(goals_url(served, goal.pk, "steps", "new"), {"description": "Visit", "owner": "partner"})

    assert set(step.context["form"].errors) == {"done_on"}
    assert set(note.context["form"].errors) == {"written_on"}
    assert set(partner.context["form"].errors) == {"partner"}
    assert not ActionStep.objects.exists()
    assert not GoalNote.objects.exists()


def test_the_list_and_goal_page_are_in_the_access_log(client, world, served):
    goal = a_goal(served, world.specialist)
    client.force_login(world.specialist)

    client.get(goals_url(served))
    client.get(goals_url(served, goal.pk))

    entries = AccessLogEntry.objects.filter(user=world.specialist, target_id=served.pk)
    assert entries.count() == 2
    assert set(entries.values_list("target_label", flat=True)) == {served.survivor.client_code}


# Who may ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("specialist", 200, 302),
        ("supervisor", 200, 302),
        ("director", 200, 302),
        # A teammate not assigned to the case does not see it (only assignments and the team's supervisors do).
        ("colleague", 404, 404),
        ("outsider", 404, 404),
        ("finance", 404, 404),
        ("outreach", 404, 404),
    ],
)
def test_who_may_read_and_write_goals(client, world, persona, read, write):
    goal = a_goal(world.case_a, world.specialist)
    client.force_login(world.everyone()[persona])

    page = client.get(goals_url(world.case_a, goal.pk))
    post = client.post(goals_url(world.case_a, goal.pk, "notes", "new"),
                       {"written_on": TODAY().isoformat(), "note": "Seen"})  # fmt: skip

    assert (page.status_code, post.status_code) == (read, write)


def test_another_cases_goal_is_404_even_for_someone_who_sees_both(client, world):
    other = a_goal(world.case_b, world.outsider)
    client.force_login(world.director)

    for suffix in ("", "edit/", "status/", "steps/new/", "notes/new/"):
        assert client.get(f"/cases/{world.case_a.pk}/goals/{other.pk}/{suffix}").status_code == 404, suffix
    step = services.add_step(other, by=world.outsider, description="Visit", owner="survivor")
    mine = a_goal(world.case_a, world.specialist)
    assert client.get(goals_url(world.case_a, mine.pk, "steps", step.pk, "edit")).status_code == 404


def test_emergency_access_may_work_on_goals(client, world):
    goal = a_goal(world.case_a, world.specialist)
    open_in_emergency(world.case_a, by=world.outsider, reason="Covering a crisis tonight")
    client.force_login(world.outsider)

    response = client.post(goals_url(world.case_a, goal.pk, "status"), {"status": "in progress"})

    goal.refresh_from_db()
    assert response.status_code == 302
    assert goal.status == S.IN_PROGRESS


# Overview, timeline and query counts -------------------------------------------------------------


def test_goals_overview_lists_open_goals_with_their_next_step(world, served):
    goal = a_goal(served, world.specialist, priority=1)
    services.add_step(goal, by=world.specialist, description="Later step", owner="survivor",
                      due_on=TODAY() + timedelta(days=9))  # fmt: skip
    services.add_step(goal, by=world.specialist, description="Sooner step", owner="survivor",
                      due_on=TODAY() + timedelta(days=2))  # fmt: skip
    goal_in(served, world.specialist, S.ACHIEVED)

    overview = goals_overview(served)

    assert [g.pk for g in overview["goals_open"]] == [goal.pk]
    assert overview["goals_open"][0].next_step == "Sooner step"
    assert (overview["goals_open_count"], overview["goals_achieved_count"], overview["goals_count"]) == (1, 1, 2)


def test_goals_card_renders_in_the_case_context(world, served):
    a_goal(served, world.specialist, in_own_words="Open a bank account")

    html = render_to_string("phases/_goals_card.html", {"case": served, "can_change": True, **goals_overview(served)})

    assert "Open a bank account" in html
    assert reverse("phases:goal_new", args=[served.pk]) in html


def test_goal_timeline_entries(client, world, served, monkeypatch):
    for source in queries.TIMELINE_SOURCES:
        monkeypatch.setitem(timeline.SOURCES, source.kind, source)
    goal = a_goal(served, world.specialist)
    services.add_goal_note(goal, by=world.specialist, written_on=TODAY(), note="Saw a flat on Main Street.")
    client.force_login(world.specialist)

    html = client.get(reverse("cases:timeline", args=[served.pk])).content.decode()

    assert "Goal written down" in html
    assert "Saw a flat on Main Street." in html


def fill(case, by, size):
    for n in range(size):
        goal = a_goal(case, by, in_own_words=f"Goal {n}", priority=1 + n % 3)
        services.add_step(goal, by=by, description=f"Step {n}", owner="survivor", due_on=TODAY())
        services.add_goal_note(goal, by=by, written_on=TODAY(), note=f"Note {n}")


@pytest.mark.parametrize("size", [1, 5])
def test_goals_list_query_count(client, world, served, size):
    fill(served, world.specialist, size)
    client.force_login(world.specialist)
    client.get(goals_url(served))  # warm the per-process caches

    with CaptureQueriesContext(connection) as queries_made:
        response = client.get(goals_url(served))

    assert response.status_code == 200
    assert len(response.context["open"]) == size
    assert len(queries_made) == 5


@pytest.mark.parametrize("size", [1, 5])
def test_goal_page_query_count(client, world, served, size):
    goal = a_goal(served, world.specialist)
    for n in range(size):
        services.add_step(goal, by=world.specialist, description=f"Step {n}", owner="survivor")
        services.add_goal_note(goal, by=world.specialist, written_on=TODAY(), note=f"Note {n}")
    client.force_login(world.specialist)
    client.get(goals_url(served, goal.pk))

    with CaptureQueriesContext(connection) as queries_made:
        response = client.get(goals_url(served, goal.pk))

    assert response.status_code == 200
    assert len(response.context["steps"]) == size
    assert len(queries_made) == 7


@pytest.mark.parametrize("size", [1, 5])
def test_goals_overview_query_count(world, served, size, django_assert_num_queries):
    fill(served, world.specialist, size)

    with django_assert_num_queries(2):
        overview = goals_overview(served)

    assert overview["goals_open_count"] == size
