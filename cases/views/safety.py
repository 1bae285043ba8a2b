"""A case's safety plan: the current version, every earlier one, and saving a new one after a review.

The contents are sensitive. Every page here needs the case to be visible (404 otherwise)
and the sensitive-details permission on it (403 otherwise); saving needs change access
too. The case page's card (``safety_overview``) shows only the review date, and only to
those who may read the plan.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bloom.audit.models import AccessLogEntry
from bloom.audit.services import log_access
from bloom.reports.queries import latest_job_for
from bloom.said import Said
from cases import permissions, printouts
from cases.forms.safety import MOST_ROWS, SafetyPlanForms
from cases.models import Case, SafetyPlan
from cases.services import safety
from cases.views.pages import case_page


def safety_overview(case: Case, perms: frozenset[str]) -> dict:
    """The safety card's context on the case page, in one query.

    ``safety_card`` is ``None`` for someone who may not read the plan: the card then shows
    nothing at all, not even whether a plan exists.
    """
    if permissions.SEE_SENSITIVE not in perms:
        return {"safety_card": None}
    plan = case.safety_plans.order_by("-version").only("pk", "case_id", "version", "review_on").first()
    today = timezone.localdate()
    return {
        "safety_card": {
            "plan": plan,
            "due": plan is not None and safety.review_due(plan, today=today),
            "overdue": plan is not None and plan.review_on < today,
            "can_change": _can_write(case, perms),
        }
    }


def _can_write(case: Case, perms: frozenset[str]) -> bool:
    return permissions.CHANGE in perms and case.status in safety.PLANNABLE_STATUSES


def _readable(request, pk, *, perm=permissions.VIEW) -> tuple[Case, frozenset[str]]:
    """The case if the plan's contents may be read by ``request.user``: else 404 (not visible) or 403."""
    case = permissions.get_case_for(request.user, pk)
    perms = case.perms
    if not {perm, permissions.SEE_SENSITIVE} <= perms:
        raise PermissionDenied
    return case, perms


def _log(request, case: Case, plan: SafetyPlan | None) -> None:
    reason = Said("log.safety_plan_version", version=plan.version) if plan else Said("log.safety_plan")
    log_access(request, target=case, label=case.survivor.client_code, action=AccessLogEntry.Action.VIEW, reason=reason)


def _labelled(plan: SafetyPlan) -> SafetyPlan:
    """``plan`` with the words its page shows for the pick-lists (methods of control, numbers)."""
    for risk in plan.risks.all():
        risk.method_labels = safety.method_labels(risk)
    plan.numbers = safety.shown_numbers(plan)
    return plan


def _page(request, case, perms, template, context):
    context = {"tab": "safety", "can_write_plan": _can_write(case, perms), **context}
    return case_page(request, case, template, context, perms)


@login_required
@require_safe
def safety_plan(request, pk):
    case, perms = _readable(request, pk)
    versions = safety.plan_versions(case)
    plan = _labelled(versions[0].plan) if versions else None
    _log(request, case, plan)
    context = {
        "plan": plan,
        "versions": versions,
        "review_due": plan is not None and safety.review_due(plan),
        "today": timezone.localdate(),
        "safety_plan_job": latest_job_for(request.user, kind=printouts.SAFETY_PLAN, target_id=case.pk),
    }
    return _page(request, case, perms, "cases/safety_plan.html", context)


@login_required
@require_safe
def safety_plan_version(request, pk, version):
    case, perms = _readable(request, pk)
    plan = safety.plan_version(case, version)
    if plan is None:
        raise Http404
    _labelled(plan)
    _log(request, case, plan)
    latest = case.safety_plans.order_by("-version").values_list("version", flat=True).first()
    return _page(request, case, perms, "cases/safety_plan_version.html", {"plan": plan, "latest": latest})


@login_required
@require_http_methods(["GET", "POST"])
def safety_plan_new(request, pk):
    case, perms = _readable(request, pk, perm=permissions.CHANGE)
    if case.status not in safety.PLANNABLE_STATUSES:
        messages.info(request, _("This case is not open, so its safety plan can be read but not changed."))
        return redirect("cases:safety_plan", pk=case.pk)
    current = safety.current_plan(case)
    if request.method == "GET":
        _log(request, case, current)
        forms = SafetyPlanForms(case=case, current=current)
    elif "add" in request.POST:
        # "Add a row": the same page again, holding everything typed, with one more blank row.
        forms = SafetyPlanForms.with_another_row(request.POST, case=case, prefix=request.POST.get("add", ""))
    else:
        forms = SafetyPlanForms(request.POST, case=case)
        if forms.is_valid():
            try:
                plan = safety.save_safety_plan(case, by=request.user, **forms.values())
            except safety.SafetyPlanError as error:
                _show(forms, error)
            else:
                messages.success(request, _("Safety plan saved as version %(version)s.") % {"version": plan.version})
                return redirect("cases:safety_plan", pk=case.pk)
    context = {"forms": forms, "current": current, "most_rows": MOST_ROWS}
    return _page(request, case, perms, "cases/safety_plan_form.html", context)


def _show(forms: SafetyPlanForms, error: safety.SafetyPlanError) -> None:
    # The service's message goes beside the plan's field it concerns, or above the form.
    if not hasattr(error, "error_dict"):
        forms.plan.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        forms.plan.add_error(name if name in forms.plan.fields else None, errors)
