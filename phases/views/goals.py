"""Goals in the survivor's own words: the list, one goal's page, and the forms for goals, steps and notes.

Reading needs sight of the case; every form needs ``change_case`` (emergency access may
work on goals). Goals, steps and notes are reached through their case, never by id alone.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bloom.audit.models import AccessLogEntry
from bloom.audit.services import log_access
from cases import permissions
from cases.models import Case
from cases.views.pages import case_page, forms_context, show_refusal
from phases.forms.goals import GoalForm, GoalNoteForm, GoalStatusForm, StepForm
from phases.models import Goal
from phases.queries import goals as queries
from phases.services import goals as services

TAB = "plan"
# The open goals shown on the case's overview and plan cards.
GOALS_ON_CARD = 5


def goals_overview(case: Case) -> dict:
    """For the case pages' goals card (``phases/_goals_card.html``): open goals with their next step.

    Two queries: the first few open goals by the survivor's priority, and the counts.
    """
    counts = {row["status"]: row["n"] for row in _status_counts(case)}
    open_count = sum(counts.get(status, 0) for status in Goal.OPEN)
    return {
        "goals_open": list(queries.open_goals(case)[:GOALS_ON_CARD]),
        "goals_open_count": open_count,
        "goals_achieved_count": counts.get(Goal.Status.ACHIEVED, 0),
        "goals_count": sum(counts.values()),
    }


def _status_counts(case: Case):
    return case.goals.order_by().values("status").annotate(n=Count("pk"))


def _goal_of(case: Case, goal_pk) -> Goal:
    return get_object_or_404(case.goals.select_related("phase"), pk=goal_pk)


def _page(request, case, template, context):
    return case_page(request, case, template, {"tab": TAB, **context})


@login_required
@require_safe
def goal_list(request, pk):
    case = permissions.get_case_for(request.user, pk)
    log_access(request, target=case, label=case.survivor.client_code, action=AccessLogEntry.Action.VIEW)
    context = {**queries.goals_grouped(case), "today": timezone.localdate()}
    return _page(request, case, "phases/goals_list.html", context)


@login_required
@require_safe
def goal_detail(request, pk, goal_pk):
    case = permissions.get_case_for(request.user, pk)
    goal = _goal_of(case, goal_pk)
    log_access(request, target=case, label=case.survivor.client_code, action=AccessLogEntry.Action.VIEW)
    today = timezone.localdate()
    steps = [(step, queries.overdue(step, today)) for step in queries.steps_of(goal)]
    context = {
        "goal": goal,
        "steps": steps,
        "notes": queries.notes_of(goal),
        "next_statuses": [Goal.Status(s) for s in services.allowed_statuses(goal)],
    }
    return _page(request, case, "phases/goals_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    form = GoalForm(request.POST or None, case=case, new=True)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.set_goal(case, by=request.user, **form.values())
        except services.GoalError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Goal saved. Add the first step when you are ready."))
            return redirect("phases:goal_detail", pk=case.pk, goal_pk=goal.pk)
    return _page(request, case, "phases/goals_form.html", {"form": form, **forms_context(form)})


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, pk, goal_pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    goal = _goal_of(case, goal_pk)
    form = GoalForm(request.POST or None, case=case, new=False, initial=GoalForm.initial_from(goal))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_goal(goal, by=request.user, **form.values())
        except services.GoalError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Goal saved. The earlier words are kept in the history."))
            return redirect("phases:goal_detail", pk=case.pk, goal_pk=goal.pk)
    return _page(request, case, "phases/goals_form.html", {"form": form, "goal": goal, **forms_context(form)})


@login_required
@require_http_methods(["GET", "POST"])
def goal_status(request, pk, goal_pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    goal = _goal_of(case, goal_pk)
    form = GoalStatusForm(request.POST or None, goal=goal)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.change_goal_status(goal, by=request.user, **form.cleaned_data)
        except services.GoalError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Status saved: %(status)s.") % {"status": goal.get_status_display()})
            return redirect("phases:goal_detail", pk=case.pk, goal_pk=goal.pk)
    return _page(request, case, "phases/goals_status_form.html", {"form": form, "goal": goal, **forms_context(form)})


@login_required
@require_http_methods(["GET", "POST"])
def step_new(request, pk, goal_pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    goal = _goal_of(case, goal_pk)
    form = StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_step(goal, by=request.user, **form.cleaned_data)
        except services.GoalError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Step added."))
            return redirect("phases:goal_detail", pk=case.pk, goal_pk=goal.pk)
    return _page(request, case, "phases/goals_step_form.html", {"form": form, "goal": goal, **forms_context(form)})


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request, pk, goal_pk, step_pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    goal = _goal_of(case, goal_pk)
    step = get_object_or_404(goal.steps, pk=step_pk)
    form = StepForm(request.POST or None, initial=StepForm.initial_from(step))
    was_done = step.done_on is not None
    if request.method == "POST" and form.is_valid():
        try:
            step = services.update_step(step, by=request.user, **form.cleaned_data)
        except services.GoalError as error:
            show_refusal(form, error)
        else:
            done_now = step.done_on is not None and not was_done
            messages.success(request, _("Step marked done.") if done_now else _("Step saved."))
            return redirect("phases:goal_detail", pk=case.pk, goal_pk=goal.pk)
    context = {"form": form, "goal": goal, "step": step, **forms_context(form)}
    return _page(request, case, "phases/goals_step_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def goal_note_new(request, pk, goal_pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    goal = _goal_of(case, goal_pk)
    form = GoalNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_goal_note(goal, by=request.user, **form.cleaned_data)
        except services.GoalError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Progress note saved."))
            return redirect("phases:goal_detail", pk=case.pk, goal_pk=goal.pk)
    return _page(request, case, "phases/goals_note_form.html", {"form": form, "goal": goal, **forms_context(form)})
