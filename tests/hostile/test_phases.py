"""Hostile input to every page of the case plan: phase templates, the journey, goals, steps and budgets.

Each ``Target`` says how its view builds the forms and what the view does with a post; the
harness gives every field every hostile value of its kind, then posts a few through HTTP.
What must hold of the stored records afterwards is ``assert_phases_consistent``.
"""

from datetime import date

import pytest
from django.db.models import Count, Exists, F, Max, Min, OuterRef
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.models import Case
from phases.forms.budget import BudgetLineFormSet, BudgetMonthForm, BudgetNoteForm, initial_lines
from phases.forms.goals import GoalForm, GoalNoteForm, GoalStatusForm, StepForm
from phases.forms.journey import DecisionForm, MoveBackForm, MoveForwardForm, StartPlanForm
from phases.forms.templates import PHASES_PREFIX, NewTemplateForm, PhaseForm, TemplateForm, phase_formset
from phases.models import (
    ActionStep,
    BudgetMonth,
    CasePlan,
    Goal,
    GoalNote,
    Phase,
    PhaseReview,
    PhaseStay,
    PhaseTemplate,
)
from phases.services import budget as budget_services
from phases.services import goals as goal_services
from phases.services import journey as journey_services
from phases.services import templates as template_services
from phases.views.budget import _suggested_month
from phases.views.templates import _copy_initial
from tests.factories import ask_to_move, make_case, template_in_use
from tests.hostile.harness import Target, attack, every_row_has_history, post_through_http, saved
from tests.objects import Objects

WAITING = PhaseReview.Status.WAITING


def today():
    return timezone.localdate()


# Fresh records, for pages that use one up ---------------------------------------------------------


def current_of(plan: CasePlan) -> PhaseStay:
    return plan.stays.select_related("phase").get(left_on__isnull=True)


def ready_to_move(o: Objects, plan: CasePlan) -> CasePlan:
    """``plan``, able to ask to move on again: a waiting move withdrawn, back at the start from its last phase."""
    waiting = plan.reviews.filter(status=WAITING).first()
    if waiting is not None:
        journey_services.withdraw_move(waiting, by=o.world.specialist)
    if journey_services.next_phase(plan, current_of(plan).phase) is None:
        journey_services.move_back(
            plan,
            by=o.world.specialist,
            to_phase=plan.template.phases.get(position=1),
            moved_on=today(),
            reason="Starting the phases again.",
        )
    return plan


def movable_plan_of(o: Objects) -> CasePlan:
    """The specialist's plan, with no move waiting and a phase ahead (made so whenever a move was asked)."""
    return ready_to_move(o, o.journey_plan)


def waiting_review_of(o: Objects) -> PhaseReview:
    """A move waiting for the supervisor, asked for by the specialist (asked again whenever decided)."""
    waiting = PhaseReview.objects.filter(pk=o.journey_review.pk, status=WAITING).first()
    if waiting is None:
        o.journey_review = waiting = ask_to_move(ready_to_move(o, o.journey_review.plan), o.world.specialist)
    return waiting


def past_first_phase_of(o: Objects) -> CasePlan:
    """The specialist's plan, past its first phase (moved on again whenever it went back to it)."""
    plan = o.journey_plan
    if current_of(plan).phase.position == 1:
        review = ask_to_move(ready_to_move(o, plan), o.world.specialist)
        journey_services.sign_off_move(review, by=o.world.supervisor)
    return plan


def unplanned_case_of(o: Objects) -> Case:
    """An open case of the specialist's with no plan yet (made whenever the last one got one)."""
    fresh = Case.objects.filter(
        team=o.world.team_a, specialists=o.world.specialist, survivor__legal_name="Pia Plan", plan__isnull=True
    )
    return fresh.first() or make_case(team=o.world.team_a, specialists=[o.world.specialist], legal_name="Pia Plan")


def planned_case(o: Objects) -> Case:
    """The specialist's case with a plan, whose phases a goal may name."""
    return o.journey_plan.case


def planned_goal_of(o: Objects) -> Goal:
    """A goal on the case with a plan (set on first use)."""
    case = planned_case(o)
    return case.goals.order_by("pk").first() or goal_services.set_goal(
        case, by=o.world.specialist, in_own_words="A place of my own", domain="housing"
    )


def unstarted_goal_of(o: Objects) -> Goal:
    """A goal on case A not started yet (set whenever the last one moved on)."""
    return o.world.case_a.goals.filter(status=Goal.Status.NOT_STARTED).order_by("pk").first() or goal_services.set_goal(
        o.world.case_a, by=o.world.specialist, in_own_words="A job I like", domain="income and employment"
    )


def budget_case_of(o: Objects) -> Case:
    """A case of the specialist's opened years ago, with many months still free for a worksheet."""
    case = Case.objects.filter(team=o.world.team_a, survivor__legal_name="Bea Budget").first()
    return case or make_case(
        team=o.world.team_a, specialists=[o.world.specialist], legal_name="Bea Budget", opened_on=date(2021, 1, 1)
    )


def free_month_of(case: Case) -> date:
    """The first month from the case's opening that has no worksheet yet."""
    kept = set(case.budget_months.values_list("month", flat=True))
    month = budget_services.earliest_month_allowed(case)
    while month in kept:
        month = budget_services.next_month(month)
    return month


def template_to_change_of(o: Objects) -> PhaseTemplate:
    """The director's copy of the template in use, which no plan follows, as the edit page loads it."""
    return PhaseTemplate.objects.get(pk=o.phase_template.pk)


def roomy_template_of(o: Objects) -> PhaseTemplate:
    """The director's copy, with room for another phase (copied again whenever the last one was full)."""
    template = template_to_change_of(o)
    if template.phases.count() < template_services.MOST_PHASES:
        return template
    name = f"A copy {PhaseTemplate.objects.count()}"
    o.phase_template = template_services.copy_template(
        template_in_use(), by=o.world.director, name=name, description=""
    )
    return o.phase_template


def worksheet_of(o: Objects) -> BudgetMonth:
    return BudgetMonth.objects.get(pk=o.budget_month.pk)


# Binds and submits: how each view builds its forms and what it does with a valid post ----------------


def _template_edit_page(o: Objects, data):
    template = template_to_change_of(o)
    initial = {"name": template.name, "description": template.description}
    return [TemplateForm(data, template=template, initial=initial), phase_formset(data, template)]


def _update_template(o: Objects, page) -> None:
    form, formset = page
    template_services.update_template(
        template_to_change_of(o),
        by=o.world.director,
        name=form.cleaned_data["name"],
        description=form.cleaned_data["description"],
        phases=formset.specs(),
    )


def _move_forward_form(o: Objects, data) -> MoveForwardForm:
    plan = movable_plan_of(o)
    current = current_of(plan)
    return MoveForwardForm(data, current=current, to_phase=journey_services.next_phase(plan, current.phase))


def _request_move(o: Objects, form) -> None:
    journey_services.request_move(
        form.current.plan,
        by=o.world.specialist,
        done=form.done(),
        specialist_note=form.cleaned_data["specialist_note"],
        survivor_view=form.cleaned_data["survivor_view"],
        move_on=form.cleaned_data["move_on"],
    )


def _decide(o: Objects, form) -> None:
    review, note = waiting_review_of(o), form.cleaned_data["note"]
    if form.cleaned_data["decision"] == DecisionForm.SIGN_OFF:
        journey_services.sign_off_move(review, by=o.world.supervisor, note=note)
    else:
        journey_services.return_move(review, by=o.world.supervisor, note=note)


def _move_back_form(o: Objects, data) -> MoveBackForm:
    plan = past_first_phase_of(o)
    return MoveBackForm(data, plan=plan, current=current_of(plan))


def _move_back(o: Objects, form) -> None:
    data = form.cleaned_data
    journey_services.move_back(
        form.current.plan,
        by=o.world.specialist,
        to_phase=data["phase"],
        moved_on=data["moved_on"],
        reason=data["reason"],
    )


def _worksheet_page(o: Objects, data):
    month = worksheet_of(o)
    lines = initial_lines(month.lines.order_by("kind", "category", "pk"))
    return [BudgetLineFormSet(data, initial=lines, prefix="lines"), BudgetNoteForm(data, initial={"note": month.note})]


def _save_worksheet(o: Objects, page) -> None:
    formset, note_form = page
    budget_services.save_budget_lines(
        worksheet_of(o), by=o.world.specialist, lines=formset.lines(), note=note_form.cleaned_data["note"]
    )


# Valid posts ---------------------------------------------------------------------------------------


def valid_template_edit(o: Objects) -> dict:
    """The edit page with the description changed and a phase added in its blank row.

    A phase is added, rather than the blank row left blank, so that what is typed in the
    blank row is stored, and markup in it too.
    """
    template = roomy_template_of(o)
    phases = list(template.phases.order_by("position"))
    data = {
        "name": template.name,
        "description": "Changed by the director.",
        f"{PHASES_PREFIX}-TOTAL_FORMS": str(len(phases) + 1),
        f"{PHASES_PREFIX}-INITIAL_FORMS": str(len(phases)),
        f"{PHASES_PREFIX}-MIN_NUM_FORMS": "0",
        f"{PHASES_PREFIX}-MAX_NUM_FORMS": str(template_services.MOST_PHASES),
    }
    for row, phase in enumerate(phases):
        data |= {f"{PHASES_PREFIX}-{row}-{name}": value for name, value in PhaseForm.initial_from(phase).items()}
    # A name no phase has: a phase added since has a higher id, one that was already there a lower one.
    number = Phase.objects.order_by("-pk").values_list("pk", flat=True).first() + 1
    added = {
        "name": f"Sustain {number}",
        "purpose": "Keep what was built.",
        "suggested_domains": ["community"],
        "expected_months": "3",
        "checklist": "The survivor has a plan for the year ahead.",
    }
    data |= {f"{PHASES_PREFIX}-{len(phases)}-{name}": value for name, value in added.items()}
    return data


def valid_worksheet(o: Objects) -> dict:
    """The worksheet as the page posts it: every kept line as it is, and new lines up to two."""
    kept = initial_lines(worksheet_of(o).lines.order_by("kind", "category", "pk"))
    new = [
        {"kind": "income", "category": "wages", "label": "Restaurant job", "amount": "1,200.50"},
        {"kind": "expense", "category": "rent", "amount": "650"},
    ]
    rows = kept + new[len(kept) :]
    data = {
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": str(len(kept)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": str(budget_services.MOST_LINES),
        "note": "Tight month",
    }
    for row, line in enumerate(rows):
        data |= {f"lines-{row}-{name}": value for name, value in line.items() if value is not None}
    return data


def plan_pages(case_pk) -> list[str]:
    return [f"/cases/{case_pk}/plan/", f"/cases/{case_pk}/timeline/", f"/cases/{case_pk}/"]


def goal_pages(goal: Goal) -> list[str]:
    case_pk = goal.case_id
    return [f"/cases/{case_pk}/goals/{goal.pk}/", f"/cases/{case_pk}/goals/", *plan_pages(case_pk)]


def worksheet_pages(month: BudgetMonth) -> list[str]:
    case_pk = month.case_id
    return [f"/cases/{case_pk}/budget/{month.pk}/", f"/cases/{case_pk}/budget/", *plan_pages(case_pk)]


def decide_target(decision: str, note: str) -> Target:
    return Target(
        "cases/<int:pk>/plan/reviews/<int:review_pk>/decide/",
        "supervisor",
        bind=lambda o, data, files: DecisionForm(data),
        valid=lambda o: {"decision": decision, "note": note},
        submit=saved(_decide, journey_services.JourneyError),
        path=lambda o: f"/cases/{waiting_review_of(o).plan.case_id}/plan/reviews/{waiting_review_of(o).pk}/decide/",
        shows=lambda o: [*plan_pages(o.journey_review.plan.case_id), "/plans/reviews/"],
        # A returned move's note is shown on the plan until the next request; a sign-off's is kept
        # with the review, for its history.
        shows_text=decision == "return",
        name=f"cases/<int:pk>/plan/reviews/<int:review_pk>/decide/ ({decision})",
    )


TARGETS = [
    # Phase templates: the director's.
    Target(
        "plans/templates/new/",
        "director",
        bind=lambda o, data, files: NewTemplateForm(data, initial=_copy_initial(None)),
        # A name no template has yet, whatever the earlier posts stored.
        valid=lambda o: {
            "source": template_in_use().pk,
            "name": f"Our own phases {PhaseTemplate.objects.count()}",
            "description": "For adults.",
        },
        submit=saved(
            lambda o, form: template_services.copy_template(
                form.cleaned_data["source"],
                by=o.world.director,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            ),
            template_services.TemplateError,
        ),
        path=lambda o: "/plans/templates/new/",
        shows=lambda o: ["/plans/templates/", f"/plans/templates/{PhaseTemplate.objects.latest('pk').pk}/"],
    ),
    # The template's fields, the phases' management fields and a row per phase and a blank row.
    Target(
        "plans/templates/<int:template_pk>/edit/",
        "director",
        bind=lambda o, data, files: _template_edit_page(o, data),
        valid=valid_template_edit,
        submit=saved(_update_template, template_services.TemplateError, shown_on=lambda page: page[0]),
        path=lambda o: f"/plans/templates/{template_to_change_of(o).pk}/edit/",
        shows=lambda o: ["/plans/templates/", f"/plans/templates/{o.phase_template.pk}/"],
    ),
    # The case plan and its journey: what a post uses up (a case without a plan, a plan that may
    # move on, a waiting move, a phase to go back from) is made possible again before the next.
    Target(
        "cases/<int:pk>/plan/start/",
        "specialist",
        bind=lambda o, data, files: StartPlanForm(data, case=unplanned_case_of(o)),
        valid=lambda o: {
            "template": template_in_use().pk,
            "started_on": unplanned_case_of(o).opened_on.isoformat(),
            "expected_months": "12",
        },
        submit=saved(
            lambda o, form: journey_services.start_plan(form.case, by=o.world.specialist, **form.cleaned_data),
            journey_services.JourneyError,
        ),
        path=lambda o: f"/cases/{unplanned_case_of(o).pk}/plan/start/",
        shows=lambda o: plan_pages(CasePlan.objects.latest("pk").case_id),
    ),
    Target(
        "cases/<int:pk>/plan/move/",
        "specialist",
        bind=lambda o, data, files: _move_forward_form(o, data),
        valid=lambda o: {
            "checklist": ["0", "2"],
            "specialist_note": "Housing is settled for now.",
            "survivor_view": "I want to start therapy.",
            "move_on": today().isoformat(),
        },
        submit=saved(_request_move, journey_services.JourneyError),
        path=lambda o: f"/cases/{movable_plan_of(o).case_id}/plan/move/",
        shows=lambda o: plan_pages(o.journey_plan.case_id),
    ),
    decide_target(DecisionForm.RETURN, "Let us look at the budget together first."),
    decide_target(DecisionForm.SIGN_OFF, "Well done."),
    Target(
        "cases/<int:pk>/plan/back/",
        "specialist",
        bind=lambda o, data, files: _move_back_form(o, data),
        valid=lambda o: {
            "phase": o.journey_plan.template.phases.get(position=1).pk,
            "moved_on": today().isoformat(),
            "reason": "Lost her apartment this week.",
        },
        submit=saved(_move_back, journey_services.JourneyError),
        path=lambda o: f"/cases/{past_first_phase_of(o).case_id}/plan/back/",
        shows=lambda o: plan_pages(o.journey_plan.case_id),
    ),
    # Goals, on the case with a plan so that their phase is asked; steps and notes on case A's goal.
    Target(
        "cases/<int:pk>/goals/new/",
        "specialist",
        bind=lambda o, data, files: GoalForm(data, case=planned_case(o), new=True),
        valid=lambda o: {
            "in_own_words": "A place of my own, with a door that locks.",
            "staff_summary": "Own flat",
            "domain": "housing",
            "phase": o.journey_plan.template.phases.get(position=1).pk,
            "priority": "1",
            "status": "not started",
            "target_on": planned_case(o).opened_on.isoformat(),
        },
        submit=saved(
            lambda o, form: goal_services.set_goal(planned_case(o), by=o.world.specialist, **form.values()),
            goal_services.GoalError,
        ),
        path=lambda o: f"/cases/{planned_case(o).pk}/goals/new/",
        shows=lambda o: goal_pages(Goal.objects.latest("pk")),
    ),
    Target(
        "cases/<int:pk>/goals/<int:goal_pk>/edit/",
        "specialist",
        bind=lambda o, data, files: GoalForm(
            data, case=planned_case(o), new=False, initial=GoalForm.initial_from(planned_goal_of(o))
        ),
        valid=lambda o: {
            "in_own_words": "A room first, then a flat.",
            "staff_summary": "Room, then flat",
            "domain": "housing",
            "phase": o.journey_plan.template.phases.get(position=2).pk,
            "priority": "2",
            "target_on": today().isoformat(),
        },
        submit=saved(
            lambda o, form: goal_services.update_goal(planned_goal_of(o), by=o.world.specialist, **form.values()),
            goal_services.GoalError,
        ),
        path=lambda o: f"/cases/{planned_case(o).pk}/goals/{planned_goal_of(o).pk}/edit/",
        shows=lambda o: goal_pages(planned_goal_of(o)),
    ),
    Target(
        "cases/<int:pk>/goals/<int:goal_pk>/status/",
        "specialist",
        bind=lambda o, data, files: GoalStatusForm(data, goal=unstarted_goal_of(o)),
        valid=lambda o: {"status": "in progress", "note": "She started looking this week."},
        submit=saved(
            lambda o, form: goal_services.change_goal_status(
                unstarted_goal_of(o), by=o.world.specialist, **form.cleaned_data
            ),
            goal_services.GoalError,
        ),
        path=lambda o: f"/cases/{o.world.case_a.pk}/goals/{unstarted_goal_of(o).pk}/status/",
        shows=lambda o: goal_pages(o.world.case_a.goals.latest("pk")),
    ),
    Target(
        "cases/<int:pk>/goals/<int:goal_pk>/steps/new/",
        "specialist",
        bind=lambda o, data, files: StepForm(data),
        valid=lambda o: {
            "description": "Call the housing office",
            "owner": "partner",
            "partner": "Legal aid",
            "due_on": o.world.case_a.opened_on.isoformat(),
        },
        submit=saved(
            lambda o, form: goal_services.add_step(o.goal, by=o.world.specialist, **form.cleaned_data),
            goal_services.GoalError,
        ),
        path=lambda o: f"/cases/{o.world.case_a.pk}/goals/{o.goal.pk}/steps/new/",
        shows=lambda o: goal_pages(o.goal),
    ),
    Target(
        "cases/<int:pk>/goals/<int:goal_pk>/steps/<int:step_pk>/edit/",
        "specialist",
        bind=lambda o, data, files: StepForm(data, initial=StepForm.initial_from(ActionStep.objects.get(pk=o.step.pk))),
        valid=lambda o: {
            "description": "Visit the flat",
            "owner": "survivor",
            "due_on": o.world.case_a.opened_on.isoformat(),
            "done_on": today().isoformat(),
        },
        submit=saved(
            lambda o, form: goal_services.update_step(o.step, by=o.world.specialist, **form.cleaned_data),
            goal_services.GoalError,
        ),
        path=lambda o: f"/cases/{o.world.case_a.pk}/goals/{o.goal.pk}/steps/{o.step.pk}/edit/",
        shows=lambda o: goal_pages(o.goal),
    ),
    Target(
        "cases/<int:pk>/goals/<int:goal_pk>/notes/new/",
        "specialist",
        bind=lambda o, data, files: GoalNoteForm(data),
        valid=lambda o: {"written_on": today().isoformat(), "note": "Saw two flats."},
        submit=saved(
            lambda o, form: goal_services.add_goal_note(o.goal, by=o.world.specialist, **form.cleaned_data),
            goal_services.GoalError,
        ),
        path=lambda o: f"/cases/{o.world.case_a.pk}/goals/{o.goal.pk}/notes/new/",
        shows=lambda o: goal_pages(o.goal),
    ),
    # The budget worksheet: a month of a case opened years ago, so that each post may start one.
    Target(
        "cases/<int:pk>/budget/new/",
        "specialist",
        bind=lambda o, data, files: BudgetMonthForm(data, suggested=_suggested_month(budget_case_of(o))),
        valid=lambda o: {
            "year": str(free_month_of(budget_case_of(o)).year),
            "month": str(free_month_of(budget_case_of(o)).month),
            "note": "First month with a job.",
        },
        submit=saved(
            lambda o, form: budget_services.start_budget_month(
                budget_case_of(o), by=o.world.specialist, month=form.first_day(), note=form.cleaned_data["note"]
            ),
            budget_services.BudgetError,
        ),
        path=lambda o: f"/cases/{budget_case_of(o).pk}/budget/new/",
        shows=lambda o: worksheet_pages(BudgetMonth.objects.latest("pk")),
    ),
    # The worksheet's lines are a formset: its management fields and each line's fields.
    Target(
        "cases/<int:pk>/budget/<int:month_pk>/edit/",
        "specialist",
        bind=lambda o, data, files: _worksheet_page(o, data),
        valid=valid_worksheet,
        submit=saved(_save_worksheet, budget_services.BudgetError, shown_on=lambda page: page[1]),
        path=lambda o: f"/cases/{o.world.case_a.pk}/budget/{o.budget_month.pk}/edit/",
        shows=lambda o: worksheet_pages(o.budget_month),
    ),
]


def assert_journey_consistent() -> None:
    """What must hold of phase templates, case plans and their journeys whatever was posted."""
    # Exactly one template is in use (the database allows no second), and it has phases;
    # every template's phases are numbered 1..n.
    numbered = PhaseTemplate.objects.annotate(
        n=Count("phases"), low=Min("phases__position"), high=Max("phases__position")
    )
    assert [n > 0 for n in numbered.filter(in_use=True).values_list("n", flat=True)] == [True]
    assert not numbered.filter(n__gt=0).exclude(low=1, high=F("n")).exists()
    # A plan starts on or after the case opened, and is in exactly one phase now (the database
    # allows no second).
    assert not CasePlan.objects.filter(started_on__lt=F("case__opened_on")).exists()
    current = PhaseStay.objects.filter(plan=OuterRef("pk"), left_on__isnull=True)
    assert not CasePlan.objects.exclude(Exists(current)).exists()
    # Each time in a phase is in the plan's own template, between the plan's start and today, and
    # the next one begins the day it ends: the journey is one line.
    stays = PhaseStay.objects.all()
    assert not stays.exclude(phase__template=F("plan__template")).exists()
    assert not stays.filter(entered_on__lt=F("plan__started_on")).exists()
    assert not stays.filter(entered_on__gt=today()).exists()
    assert not stays.filter(left_on__gt=today()).exists()
    following = PhaseStay.objects.filter(plan=OuterRef("plan"), entered_on=OuterRef("left_on"), pk__gt=OuterRef("pk"))
    assert not stays.filter(left_on__isnull=False).exclude(Exists(following)).exists()
    # Every move forward has a signed-off review, and every signed-off review its move.
    assert not stays.filter(how=PhaseStay.How.FORWARD).exclude(review__status=PhaseReview.Status.SIGNED_OFF).exists()
    assert not PhaseReview.objects.filter(status=PhaseReview.Status.SIGNED_OFF, stay__isnull=True).exists()
    # A move goes to a later phase; a waiting one from the phase the survivor is in.
    assert not PhaseReview.objects.exclude(to_phase__position__gt=F("from_phase__position")).exists()
    in_phase = PhaseStay.objects.filter(plan=OuterRef("plan"), left_on__isnull=True, phase=OuterRef("from_phase"))
    assert not PhaseReview.objects.filter(status=WAITING).exclude(Exists(in_phase)).exists()


def assert_goals_and_budgets_consistent() -> None:
    """Dates lie between the case's opening and now (targets and due dates may be ahead); a goal's
    phase is of its case's plan; worksheets are for months the case allows, with at most so many lines."""
    assert not Goal.objects.filter(target_on__lt=F("case__opened_on")).exists()
    assert not Goal.objects.filter(phase__isnull=False).exclude(phase__template=F("case__plan__template")).exists()
    assert not ActionStep.objects.filter(done_on__gt=today()).exists()
    assert not ActionStep.objects.filter(done_on__lt=F("goal__case__opened_on")).exists()
    assert not ActionStep.objects.filter(due_on__lt=F("goal__case__opened_on")).exists()
    assert not GoalNote.objects.filter(written_on__gt=today()).exists()
    assert not GoalNote.objects.filter(written_on__lt=F("goal__case__opened_on")).exists()
    assert not BudgetMonth.objects.filter(month__gt=budget_services.latest_month_allowed()).exists()
    assert not BudgetMonth.objects.filter(month__lt=TruncMonth("case__opened_on")).exists()
    crowded = BudgetMonth.objects.annotate(n=Count("lines")).filter(n__gt=budget_services.MOST_LINES)
    assert not crowded.exists()


def assert_phases_consistent() -> None:
    assert_journey_consistent()
    assert_goals_and_budgets_consistent()


BY_ROUTE = pytest.mark.parametrize("target", TARGETS, ids=str)


@BY_ROUTE
def test_every_field_takes_every_hostile_value(objects, target):
    outcome = attack(target, objects)

    target.after(objects)
    assert_phases_consistent()
    every_row_has_history()
    assert outcome.stored > 0 or not target.stores, f"nothing was stored: refused {outcome.refused}"


@BY_ROUTE
def test_hostile_posts_through_the_whole_stack(objects, target):
    post_through_http(target, objects)

    assert_phases_consistent()
    every_row_has_history()
