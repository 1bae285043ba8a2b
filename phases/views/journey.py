"""The case plan tab: starting the plan, the journey, moving forward with sign-off, moving back, the queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bloom.accounts.models import User
from bloom.audit.models import AccessLogEntry
from bloom.audit.services import log_access
from bloom.reports.queries import latest_job_for
from cases import permissions
from cases.models import Case
from cases.views.pages import case_page, forms_context, show_refusal
from phases import printouts
from phases.forms.journey import DecisionForm, MoveBackForm, MoveForwardForm, StartPlanForm
from phases.models import CasePlan, PhaseReview, PhaseStay
from phases.queries import journey as queries
from phases.services import journey as services
from phases.views.budget import budget_overview
from phases.views.goals import goals_overview


def plan_overview(user: User, case: Case, perms: frozenset[str]) -> dict:
    """The plan tab's context: where the survivor stands, the journey, what may be done; a fixed number of queries."""
    plan = queries.plan_of(case)
    can_decide = permissions.DECIDE in perms
    if plan is None:
        return {"plan": None, "can_start": can_decide and case.is_open}
    today = timezone.localdate()
    stays = queries.stays_of(plan)
    phases = queries.phases_of(plan.template)
    standing = queries.standing(plan, stays, today)
    current_phase = standing.current.phase
    later = [phase for phase in phases if phase.position > current_phase.position]
    reviews = queries.reviews_of(plan)
    waiting = next((r for r in reviews if r.status == PhaseReview.Status.WAITING), None)
    returned = reviews[0] if reviews and reviews[0].status == PhaseReview.Status.RETURNED else None
    movable = can_decide and case.is_open
    return {
        "plan": plan,
        "stays": stays,
        "phases": phases,
        "standing": standing,
        "next_phase": later[0] if later else None,
        "chart": queries.journey_chart(plan, stays, phases, today),
        "review_waiting": waiting,
        "review_returned": returned,
        "can_decide": can_decide,
        "can_move_forward": movable and bool(later) and waiting is None,
        "can_move_back": movable and any(phase.position < current_phase.position for phase in phases),
        "can_sign_off": waiting is not None and services.can_sign_off(user, perms),
    }


def _plan_and_current(case: Case) -> tuple[CasePlan, PhaseStay] | None:
    plan = queries.plan_of(case)
    if plan is None:
        return None
    return plan, plan.stays.select_related("phase").get(left_on__isnull=True)


@login_required
@require_safe
def plan(request, pk):
    case = permissions.get_case_for(request.user, pk)
    perms = case.perms
    log_access(request, target=case, label=case.survivor.client_code, action=AccessLogEntry.Action.VIEW)
    context = {
        "tab": "plan",
        **plan_overview(request.user, case, perms),
        **goals_overview(case),
        **budget_overview(case),
        "case_plan_job": latest_job_for(request.user, kind=printouts.CASE_PLAN, target_id=case.pk),
    }
    return case_page(request, case, "phases/journey_plan.html", context, perms)


@login_required
@require_http_methods(["GET", "POST"])
def plan_start(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.DECIDE)
    if CasePlan.objects.filter(case=case).exists():
        messages.info(request, _("This case already has a plan."))
        return redirect("phases:plan", pk=case.pk)
    # A POST is checked by the service instead, so what was typed comes back with the reason.
    if request.method == "GET" and not case.is_open:
        messages.info(request, _("A case plan can start only once the survivor is enrolled and the case is open."))
        return redirect("phases:plan", pk=case.pk)
    form = StartPlanForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            started = services.start_plan(case, by=request.user, **form.cleaned_data)
        except services.JourneyError as error:
            show_refusal(form, error)
        else:
            first = started.stays.select_related("phase").get().phase
            messages.success(request, _("The case plan has started, in %(phase)s.") % {"phase": first.local("name")})
            return redirect("phases:plan", pk=case.pk)
    return case_page(request, case, "phases/journey_start.html", {"form": form, **forms_context(form)})


@login_required
@require_http_methods(["GET", "POST"])
def move_request(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.DECIDE)
    found = _plan_and_current(case)
    if found is None:
        messages.info(request, _("Start the case plan first."))
        return redirect("phases:plan", pk=case.pk)
    plan, current = found
    to_phase = services.next_phase(plan, current.phase)
    # A POST is refused by the service with what was typed kept, unless there is no phase to
    # move to (a page left open while the plan reached its last phase): no form to show then.
    refusal = _why_not_forward(plan, case, to_phase) if request.method == "GET" or to_phase is None else None
    if refusal:
        messages.info(request, refusal)
        return redirect("phases:plan", pk=case.pk)
    form = MoveForwardForm(request.POST or None, current=current, to_phase=to_phase)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.request_move(
                plan,
                by=request.user,
                done=form.done(),
                specialist_note=form.cleaned_data["specialist_note"],
                survivor_view=form.cleaned_data["survivor_view"],
                move_on=form.cleaned_data["move_on"],
            )
        except services.JourneyError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("The move to %(phase)s is waiting for a supervisor's sign-off.")
                % {"phase": review.to_phase.local("name")},
            )
            return redirect("phases:plan", pk=case.pk)
    context = {"form": form, "current": current, "to_phase": to_phase, **forms_context(form)}
    return case_page(request, case, "phases/journey_move.html", context)


def _why_not_forward(plan: CasePlan, case: Case, to_phase) -> str | None:
    if not case.is_open:
        return _("The case is not open, so the plan cannot move.")
    if to_phase is None:
        return _("This is the last phase.")
    if plan.reviews.filter(status=PhaseReview.Status.WAITING).exists():
        return _("A move forward is already waiting for sign-off.")
    return None


@login_required
@require_http_methods(["GET", "POST"])
def review_decide(request, pk, review_pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    perms = case.perms
    if not services.can_sign_off(request.user, perms):
        raise PermissionDenied
    review = get_object_or_404(
        PhaseReview.objects.filter(plan__case=case).select_related(
            "plan", "from_phase", "to_phase", "requested_by", "decided_by"
        ),
        pk=review_pk,
    )
    if request.method == "GET" and review.status != PhaseReview.Status.WAITING:
        messages.info(request, _("This move has already been decided or withdrawn."))
        return redirect("phases:plan", pk=case.pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sign_off = form.cleaned_data["decision"] == DecisionForm.SIGN_OFF
        try:
            if sign_off:
                services.sign_off_move(review, by=request.user, note=form.cleaned_data["note"])
            else:
                services.return_move(review, by=request.user, note=form.cleaned_data["note"])
        except services.JourneyError as error:
            show_refusal(form, error)
        else:
            if sign_off:
                messages.success(
                    request,
                    _("Signed off: the survivor moved to %(phase)s on %(date)s.")
                    % {"phase": review.to_phase.local("name"), "date": date_format(review.move_on)},
                )
            else:
                messages.success(request, _("Returned. The person who asked for the move has been told."))
            return redirect("phases:plan", pk=case.pk)
    if request.method == "GET":
        log_access(request, target=case, label=case.survivor.client_code, action=AccessLogEntry.Action.VIEW)
    context = {
        "form": form,
        "review": review,
        "own_request": review.requested_by_id == request.user.pk,
        **forms_context(form),
    }
    return case_page(request, case, "phases/journey_decide.html", context, perms)


@login_required
@require_POST
def review_withdraw(request, pk, review_pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.DECIDE)
    review = get_object_or_404(PhaseReview.objects.filter(plan__case=case), pk=review_pk)
    try:
        services.withdraw_move(review, by=request.user)
    except services.JourneyError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, _("The move forward was withdrawn. The survivor stays in the phase."))
    return redirect("phases:plan", pk=case.pk)


@login_required
@require_http_methods(["GET", "POST"])
def move_back(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.DECIDE)
    found = _plan_and_current(case)
    if found is None:
        messages.info(request, _("Start the case plan first."))
        return redirect("phases:plan", pk=case.pk)
    plan, current = found
    form = MoveBackForm(request.POST or None, plan=plan, current=current)
    if request.method == "GET":
        refusal = _why_not_back(case, form)
        if refusal:
            messages.info(request, refusal)
            return redirect("phases:plan", pk=case.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            stay, withdrawn = services.move_back(
                plan, by=request.user, to_phase=data["phase"], moved_on=data["moved_on"], reason=data["reason"]
            )
        except services.JourneyError as error:
            show_refusal(form, error)
        else:
            message = _("Moved back to %(phase)s.") % {"phase": stay.phase.local("name")}
            if withdrawn is not None:
                message += " " + _("The move forward that was waiting for sign-off has been withdrawn.")
            messages.success(request, message)
            return redirect("phases:plan", pk=case.pk)
    waiting = plan.reviews.filter(status=PhaseReview.Status.WAITING).select_related("to_phase").first()
    context = {"form": form, "current": current, "review_waiting": waiting, **forms_context(form)}
    return case_page(request, case, "phases/journey_back.html", context)


def _why_not_back(case: Case, form: MoveBackForm) -> str | None:
    if not case.is_open:
        return _("The case is not open, so the plan cannot move.")
    if not form.fields["phase"].queryset.exists():
        return _("The survivor is in the first phase: there is no earlier phase to go back to.")
    return None


@login_required
@require_safe
def review_queue(request):
    """Moves waiting for the current user's sign-off, oldest first."""
    if not services.may_sign_off(request.user):
        raise PermissionDenied
    reviews = queries.reviews_to_sign_off(request.user).select_related(
        "plan__case__survivor", "plan__case__team", "from_phase", "to_phase", "requested_by"
    )
    return render(request, "phases/journey_review_queue.html", {"reviews": reviews.order_by("requested_at", "pk")})
