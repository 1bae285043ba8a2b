"""Closing a case with a supervisor's approval, the approvals queue, and enrolling a survivor again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bloom.accounts.models import User
from bloom.audit.models import AccessLogEntry
from bloom.audit.services import log_access
from bloom.forms import show_refusal
from cases import permissions, queries, services
from cases.forms import ClosureDecisionForm, ClosureRequestForm, ReenrollForm
from cases.models import Case, Closure

# The case page shows this many of the latest handoff notes.
HANDOFFS_SHOWN = 3


def closure_overview(user: User, case: Case, perms: frozenset[str]) -> dict:
    """The closure card's context on the case page, in three queries however many rows."""
    closures = list(
        case.closures.select_related("requested_by", "decided_by", "continued_care_organization").order_by(
            "-requested_at", "-pk"
        )
    )
    waiting = next((c for c in closures if c.status == Closure.Status.REQUESTED), None)
    approved = next((c for c in closures if c.status == Closure.Status.APPROVED), None)
    # The latest decision that sent it back, while nothing newer waits: what to change.
    returned = closures[0] if closures and closures[0].status == Closure.Status.RETURNED else None
    enrollments = permissions.other_enrollments(user, case)
    can_decide = permissions.DECIDE in perms
    return {
        "closure_waiting": waiting,
        "closure_approved": approved,
        "closure_returned": returned,
        "can_decide": can_decide,
        "can_approve_closure": permissions.APPROVE_CLOSURE in perms,
        "can_request_closure": can_decide and case.is_open and waiting is None,
        "can_reenroll": (
            can_decide
            and case.status == Case.Status.CLOSED
            and permissions.can_open_cases(user)
            and not any(c.previous_case_id == case.pk for c in enrollments)
            and not queries.identity_purged(case.survivor_id)
        ),
        "earlier_enrollments": [c for c in enrollments if (c.opened_on, c.pk) < (case.opened_on, case.pk)],
        "later_enrollments": [c for c in enrollments if (c.opened_on, c.pk) > (case.opened_on, case.pk)],
        "handoffs": list(case.handoffs.select_related("from_team", "to_team", "by")[:HANDOFFS_SHOWN]),
    }


def _page(request, case, template, context):
    return render(request, template, {"case": case, **context})


def _errors(form) -> dict:
    return {"forms": [form], "has_errors": bool(form.errors)}


def _show_error(form, error: services.ClosureError) -> None:
    """A service's refusal beside the field it concerns, or above the form."""
    if hasattr(error, "error_dict"):
        show_refusal(form, error)
        return
    field = error.code if error.code in form.fields else None
    form.add_error(field, error.messages)


@login_required
@require_http_methods(["GET", "POST"])
def closure_request(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.DECIDE)
    # A POST is checked by the service instead, so what was typed comes back with the reason.
    if request.method == "GET" and not case.is_open:
        messages.info(request, _("Only an enrolled case that is open can be closed."))
        return redirect(case)
    if request.method == "GET" and case.closures.filter(status=Closure.Status.REQUESTED).exists():
        messages.info(request, _("A closure for this case is already waiting for approval."))
        return redirect(case)
    sensitive = permissions.can_see_sensitive(request.user, case)
    form = ClosureRequestForm(request.POST or None, case=case, sensitive_allowed=sensitive)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_closure(case, by=request.user, **form.answers())
        except services.ClosureError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Closure requested. The case stays open until a supervisor approves it."))
            return redirect(case)
    return _page(request, case, "cases/closure_form.html", {"form": form, **_errors(form)})


@login_required
@require_http_methods(["GET", "POST"])
def closure_decide(request, pk, closure_pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    if not permissions.can_approve_closure(request.user, case):
        raise PermissionDenied
    closure = get_object_or_404(
        case.closures.select_related("requested_by", "continued_care_organization"), pk=closure_pk
    )
    if request.method == "GET" and closure.status != Closure.Status.REQUESTED:
        messages.info(request, _("This closure has already been decided or withdrawn."))
        return redirect(case)
    form = ClosureDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == ClosureDecisionForm.APPROVE
        try:
            if approve:
                services.approve_closure(closure, by=request.user, note=form.cleaned_data["note"])
            else:
                services.return_closure(closure, by=request.user, note=form.cleaned_data["note"])
        except services.ClosureError as error:
            _show_error(form, error)
        else:
            if approve:
                messages.success(request, _("Closure approved. The case is closed."))
            else:
                messages.success(request, _("Closure returned. The person who asked for it has been told."))
            return redirect(case)
    if request.method == "GET":
        log_access(request, target=case, label=case.survivor.client_code, action=AccessLogEntry.Action.VIEW)
    context = {
        "form": form,
        "closure": closure,
        "own_request": closure.requested_by_id == request.user.pk,
        "can_see_sensitive": permissions.can_see_sensitive(request.user, case),
        **_errors(form),
    }
    return _page(request, case, "cases/closure_decide.html", context)


@login_required
@require_POST
def closure_withdraw(request, pk, closure_pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.DECIDE)
    closure = get_object_or_404(case.closures, pk=closure_pk)
    try:
        services.withdraw_closure(closure, by=request.user)
    except services.ClosureError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, _("Closure withdrawn. The case stays open."))
    return redirect(case)


@login_required
@require_http_methods(["GET", "POST"])
def reenroll(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.DECIDE)
    if not permissions.can_open_cases(request.user):
        raise PermissionDenied
    if request.method == "GET" and case.status != Case.Status.CLOSED:
        messages.info(request, _("Only a closed case can be followed by a new enrollment."))
        return redirect(case)
    form = ReenrollForm(request.POST or None, user=request.user, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            later = services.reenroll(
                case,
                by=request.user,
                on=data["on"],
                team=data["team"],
                specialists=list(data["specialists"]),
                note=data["note"],
            )
        except services.ClosureError as error:
            _show_error(form, error)
        else:
            messages.success(
                request,
                _("%(code)s is enrolled again. The earlier case stays closed and linked.")
                % {"code": case.survivor.client_code},
            )
            return redirect(later)
    return _page(request, case, "cases/reenroll_form.html", {"form": form, **_errors(form)})


@login_required
@require_safe
def closure_queue(request):
    """Closures waiting for the current user's approval, oldest first."""
    if not permissions.may_approve_closures(request.user):
        raise PermissionDenied
    closures = (
        permissions.closures_to_approve(request.user)
        .select_related("case__survivor", "case__team", "requested_by")
        .order_by("requested_at", "pk")
    )
    return render(request, "cases/closure_queue.html", {"closures": closures})
