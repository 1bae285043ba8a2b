from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assistance.services import requests as request_services
from bloom.reports.dashboards import CASELOAD_ROWS
from bloom.times import add_months
from cases import services
from cases.models import Contact, InformationKind, SafetyPlan
from phases.services import goals as goal_services
from tests.cases.test_permissions import EXPECTED_VISIBLE
from tests.factories import ask_money, ask_to_close, make_case, make_event, make_fund, start_plan


@pytest.mark.parametrize(("persona", "expected"), EXPECTED_VISIBLE.items())
def test_home_shows_no_client_code_the_reader_cannot_open(client, world, persona, expected):
    client.force_login(world.everyone()[persona])

    html = client.get(reverse("home")).content.decode()

    for name in ("case_a", "case_b"):
        case = getattr(world, name)
        if name not in expected:
            assert case.survivor.client_code not in html
            assert case.survivor.legal_name not in html


@pytest.mark.parametrize(
    ("persona", "absent"),
    [
        ("specialist", ["Outreach coming up", "Training coming up", "My teams", "Program totals"]),
        ("supervisor", ["Outreach coming up", "Training coming up", "My tasks"]),
        ("director", ["Outreach coming up", "Training coming up", "My tasks"]),
        ("outreach", ["Training coming up", "My tasks"]),
        ("trainer", ["Outreach coming up", "My tasks"]),
    ],
)
def test_home_shows_no_box_for_work_the_reader_does_not_do(client, world, persona, absent):
    client.force_login(world.everyone()[persona])

    html = client.get(reverse("home")).content.decode()

    assert [heading for heading in absent if heading in html] == []


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("specialist", "My tasks"),
        ("supervisor", "My teams"),
        ("director", "Program totals"),
        ("finance", "Your work is under Assistance"),
        ("outreach", "Outreach coming up"),
        ("volunteer", "Outreach coming up"),
        ("trainer", "Training coming up"),
        ("administrator", "Your role does not include survivor records"),
    ],
)
def test_home_is_role_aware(client, world, persona, heading):
    client.force_login(world.everyone()[persona])

    assert heading in client.get(reverse("home")).content.decode()


def test_supervisor_sees_team_counts(client, world):
    make_case(team=world.team_a, specialists=[], legal_name="Waiting Person")
    make_case(team=world.team_a, specialists=[world.specialist, world.colleague], legal_name="Shared Person")
    client.force_login(world.supervisor)

    (team,) = client.get(reverse("home")).context["sections"]["teams"]

    assert (team["team"], team["open"], team["unassigned"]) == (world.team_a, 3, 1)
    assert dict(team["members"]) == {world.specialist: 2, world.colleague: 1}


# Run again at awkward instants (tests/clock.py): the surveys still open are counted from when each event ended.
@pytest.mark.clock
def test_trainer_sees_the_next_events_and_the_surveys_still_open(client, world):
    held = make_event(world.trainer)  # ended an hour ago: its survey link is open three more days
    coming = make_event(world.trainer, starts_at=timezone.now() + timedelta(days=3), curriculum=held.curriculum,
                        trainers=list(held.trainers.all()))  # fmt: skip
    client.force_login(world.trainer)

    section = client.get(reverse("home")).context["sections"]["training"]

    assert [e.pk for e in section["events"]] == [coming.pk]
    assert [e.pk for e in section["surveys_open"]] == [held.pk]


# The specialist's task list -------------------------------------------------------------------


def day(n: int):
    return timezone.localdate() + timedelta(days=n)


def morning(days_ago: int) -> datetime:
    return timezone.make_aware(datetime.combine(day(-days_ago), time(9)))


def mine(world, opened: int, name: str, **kwargs):
    """A case of the world's specialist enrolled ``opened`` days ago (contact every 14 days)."""
    return make_case(
        team=world.team_a, specialists=[world.specialist], opened_on=day(opened), legal_name=name, **kwargs
    )


def reached(case, by, days_ago: int):
    services.log_contact(case, by=by, kind=Contact.Kind.PHONE, occurred_at=morning(days_ago), initiated_by="staff")


def goal_with_steps(case, by, *due_days, status=None):
    goal = goal_services.set_goal(case, by=by, in_own_words="A place of my own", domain="housing")
    steps = [
        goal_services.add_step(goal, by=by, description=f"Step due {n}", owner="survivor", due_on=day(n))
        for n in due_days
    ]
    if status:
        goal_services.change_goal_status(goal, by=by, status=status)
    return steps


def safety_plan(case, by, review_in: int) -> SafetyPlan:
    places = [{"place": "The library on Main Street", "note": ""}]
    return services.save_safety_plan(case, by=by, risks=[], people=[], places=places, review_on=day(review_in))


def release(case, by, expires_in: int):
    return services.record_release(
        case,
        by=by,
        organization=None,
        recipient="Dr. Reyes",
        information=[InformationKind.IDENTIFYING],
        purpose="T visa application",
        signed_on=day(-10),
        expires_on=day(expires_in),
    )


@pytest.fixture
def workload(world, settings):
    """The specialist's cases, each with something due or nearly due, counted by hand below."""
    settings.BLOOM_CONTACT_REMINDER_DAYS = 14
    by = world.specialist
    cases = {
        "long quiet": mine(world, -120, "Long Quiet"),  # due 106 days ago; no plan after four months
        "due": mine(world, -30, "Due Person"),  # due 16 days ago
        "today": mine(world, -14, "Today Person"),  # due today
        "soon": mine(world, -13, "Soon Person"),  # due tomorrow
        "week end": mine(world, -7, "Week End"),  # due in 7 days: the last day of the week ahead
        "later": mine(world, -6, "Later Person"),  # due in 8 days: not this week
        "planned": mine(world, -120, "Planned Person"),
        "goal only": mine(world, -120, "Goal Only"),
    }
    for name in ("planned", "goal only"):
        reached(cases[name], by, 1)
    start_plan(cases["planned"], by)
    steps = goal_with_steps(cases["goal only"], by, -1, 0, 7, 8)
    goal_with_steps(cases["goal only"], by, 1, status="set aside")
    done = goal_services.add_step(steps[0].goal, by=by, description="Done", owner="survivor", due_on=day(-2))
    goal_services.update_step(
        done, by=by, description="Done", owner="survivor", partner="", due_on=day(-2), done_on=day(-1)
    )
    plans = [safety_plan(cases["soon"], by, 7), safety_plan(cases["today"], by, 8), safety_plan(cases["due"], by, 3)]
    safety_plan(cases["due"], by, 60)  # a later version: the one above is no longer the plan
    overdue_review = safety_plan(cases["later"], by, 30)
    SafetyPlan.objects.filter(pk=overdue_review.pk).update(review_on=day(-2))
    releases = [release(cases["due"], by, 30), release(cases["soon"], by, 31), release(cases["today"], by, 5)]
    services.revoke_release(releases[2], by=by, on=day(0), note="She changed her mind.")
    fund = make_fund(world.director)
    asked = ask_money(cases["due"], by, fund)
    withdrawn = ask_money(cases["soon"], by, fund)
    request_services.cancel(withdrawn, by=by, reason="Paid by her cousin")
    closure = ask_to_close(cases["week end"], by=by)
    # Someone else's work: a colleague's overdue case.
    make_case(team=world.team_a, specialists=[world.colleague], opened_on=day(-40), legal_name="Colleague Case")
    return {
        "cases": cases,
        "steps": steps[:3],
        "safety": [overdue_review, plans[0]],
        "release": releases[0],
        "asked": asked,
        "closure": closure,
    }


# Run again at awkward instants (tests/clock.py): every group is counted in local days.
@pytest.mark.clock
def test_the_task_list_holds_exactly_what_is_due_on_the_specialists_cases(client, world, workload):
    cases = workload["cases"]
    client.force_login(world.specialist)

    tasks = client.get(reverse("home")).context["sections"]["tasks"]

    assert [c.pk for c in tasks["contacts_due"]] == [cases[n].pk for n in ("long quiet", "due", "today")]
    assert [c.pk for c in tasks["contacts_soon"]] == [cases[n].pk for n in ("soon", "week end")]
    assert tasks["steps"] == workload["steps"]
    assert [p.pk for p in tasks["safety_reviews"]] == [p.pk for p in workload["safety"]]
    assert tasks["releases"] == [workload["release"]]
    assert tasks["requests"] == [workload["asked"]]
    assert tasks["closures"] == [workload["closure"]]
    assert [c.pk for c in tasks["without_plan"]] == [cases["long quiet"].pk]
    # world.case_a and the eight above; three due now, two this week.
    assert tasks["counts"] == {"open": 9, "intakes": 0, "contacts_due": 3, "contacts_soon": 2, "without_plan": 1}
    assert (tasks["contacts_more"], tasks["without_plan_more"], tasks["nothing_due"]) == (0, 0, False)


def test_the_task_list_links_each_item_to_where_it_is_done(client, world, workload):
    cases, step = workload["cases"], workload["steps"][0]
    client.force_login(world.specialist)

    html = client.get(reverse("home")).content.decode()

    for link in (
        cases["due"].get_absolute_url(),
        reverse("phases:goal_detail", args=[step.goal.case_id, step.goal_id]),
        reverse("cases:safety_plan", args=[cases["later"].pk]),
        f"{cases['due'].get_absolute_url()}#releases-heading",
        reverse("assistance:request", args=[workload["asked"].pk]),
        f"{cases['week end'].get_absolute_url()}#closure-heading",
        reverse("phases:plan", args=[cases["long quiet"].pk]),
    ):
        assert f'href="{link}"' in html, link
    assert "Colleague Case" not in html
    assert "Nothing is due on your cases this week." not in html


def test_someone_who_reads_no_safety_plan_gets_no_safety_group(client, world, workload):
    world.specialist.user_permissions.clear()
    group = world.specialist.groups.get()
    group.permissions.remove(*group.permissions.filter(codename="view_sensitive_details"))
    client.force_login(world.specialist)

    response = client.get(reverse("home"))

    assert response.context["sections"]["tasks"]["safety_reviews"] is None
    assert "Safety plans to review" not in response.content.decode()


def test_a_specialist_with_nothing_due_sees_one_line_and_no_empty_box(client, world):
    client.force_login(world.outsider)  # case B, enrolled today: its first contact is two weeks away

    response = client.get(reverse("home"))

    html = response.content.decode()
    assert response.context["sections"]["tasks"]["nothing_due"] is True
    assert "Nothing is due on your cases this week." in html
    assert 'class="card' not in html


def test_a_long_list_of_contacts_due_is_capped_with_a_link_to_the_case_list(client, world):
    for n in range(CASELOAD_ROWS):
        mine(world, -20, f"Person {n}")
    client.force_login(world.specialist)

    response = client.get(reverse("home"))

    tasks = response.context["sections"]["tasks"]
    assert (len(tasks["contacts_due"]), tasks["counts"]["contacts_due"], tasks["contacts_more"]) == (
        CASELOAD_ROWS,
        CASELOAD_ROWS,
        0,
    )
    mine(world, -20, "One More")
    tasks = client.get(reverse("home")).context["sections"]["tasks"]
    assert (len(tasks["contacts_due"]), tasks["contacts_more"]) == (CASELOAD_ROWS, 1)
    assert "1 more is not listed here: see all your open cases" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    ("today", "cutoff"),
    [
        ("2026-11-18", "2026-08-18"),
        ("2026-05-31", "2026-02-28"),
        ("2028-05-31", "2028-02-29"),
        ("2027-01-15", "2026-10-15"),
    ],
)
def test_three_months_back_is_the_same_day_or_the_months_last(today, cutoff):
    assert add_months(date.fromisoformat(today), -3) == date.fromisoformat(cutoff)


def every_kind_of_task(world, size):
    """``size`` cases of the specialist, each with one item in every group of the task list."""
    by = world.specialist
    fund = make_fund(world.director)
    for n in range(size):
        case = mine(world, -120, f"Person {n}")
        goal_with_steps(case, by, 2)
        safety_plan(case, by, 3)
        release(case, by, 10)
        ask_money(case, by, fund)
        ask_to_close(case, by=by)
        uncharted = mine(world, -120, f"Uncharted {n}")
        reached(uncharted, by, 1)


@pytest.mark.parametrize("size", [1, 5])
def test_the_task_list_costs_the_same_however_many_tasks(client, world, django_assert_num_queries, size):
    every_kind_of_task(world, size)
    client.force_login(world.specialist)
    client.get(reverse("home"))  # warm the per-process content-type caches

    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(reverse("home"))

    tasks = response.context["sections"]["tasks"]
    groups = ("contacts_due", "steps", "safety_reviews", "releases", "requests", "closures", "without_plan")
    assert [len(tasks[group]) for group in groups] == [size, size, size, size, size, size, size]


# The session, the user, their groups and permissions (5), the task list's eight, the
# notifications, the requests for help waiting, and the session renewed (3).
HOME_QUERIES = 11


def test_the_home_page_says_so_when_nothing_waits_and_counts_what_does(client, world):
    client.force_login(world.supervisor)
    nothing = "Nothing is waiting on your decision"

    assert nothing in client.get(reverse("home")).content.decode()

    ask_to_close(world.case_a, by=world.specialist)
    html = client.get(reverse("home")).content.decode()
    assert nothing not in html
    assert "1 closure is waiting for your approval" in html
