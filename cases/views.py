from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bloom.audit.models import AccessLogEntry
from bloom.audit.queries import access_log_for
from bloom.audit.services import log_access
from bloom.reports.queries import latest_job_for
from cases import history, permissions, queries, services
from cases.forms import AssignCaseForm, CaseFilterForm, EditCaseForm, OpenCaseForm
from cases.models import Survivor

PAGE_SIZE = 25


@login_required
@require_http_methods(["GET", "POST"])
def case_list(request):
    # A search is sent by POST so that a survivor's name never sits in an address bar,
    # the browser's history or a server log. Links from dashboards use GET for the
    # filters that identify nobody (status, team, mine); a name in a GET is ignored.
    if request.method == "POST":
        data = request.POST
    else:
        data = request.GET.copy()
        data.pop("q", None)
    cases = permissions.visible_cases(request.user)
    form = CaseFilterForm(data or None, user=request.user)
    if form.is_valid():
        cases = queries.filtered(cases, **form.cleaned_data, user=request.user)
    page = Paginator(queries.for_list(cases).order_by("-opened_on", "-pk"), PAGE_SIZE).get_page(data.get("page"))
    context = {"form": form, "page": page, "can_open_cases": permissions.can_open_cases(request.user)}
    if request.htmx:
        return render(request, "cases/list.html#results", context)
    return render(request, "cases/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request):
    if not permissions.can_open_cases(request.user):
        raise PermissionDenied
    form = OpenCaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = services.open_case(
            by=request.user,
            legal_name=data["legal_name"],
            preferred_name=data["preferred_name"],
            date_of_birth=data["date_of_birth"],
            estimated_age=data["estimated_age"],
            town=data["town"],
            team=data["team"],
            specialists=list(data["specialists"]),
            opened_on=data["opened_on"],
        )
        messages.success(request, _("Case opened for %(code)s.") % {"code": case.survivor.client_code})
        return redirect(case)
    return render(request, "cases/create.html", {"form": form})


def _detail_context(request, case, tab, perms):
    return {
        "case": case,
        "survivor": case.survivor,
        "tab": tab,
        "can_change": permissions.CHANGE in perms,
        "can_assign": permissions.ASSIGN in perms,
        "can_see_history": permissions.SEE_HISTORY in perms,
        "can_see_access_log": permissions.SEE_ACCESS_LOG in perms,
    }


@login_required
@require_safe
def case_detail(request, pk):
    case = permissions.get_case_for(request.user, pk)
    log_access(request, target=case, label=case.survivor.client_code, action=AccessLogEntry.Action.VIEW)
    context = _detail_context(request, case, "overview", permissions.case_perms(request.user, case))
    context["specialists"] = case.specialists.order_by("full_name")
    context["face_sheet_job"] = latest_job_for(request.user, kind="case_face_sheet", target_id=case.pk)
    return render(request, "cases/detail.html", context)


@login_required
@require_safe
def case_history(request, pk):
    case = permissions.get_case_for(request.user, pk)
    perms = permissions.case_perms(request.user, case)
    if permissions.SEE_HISTORY not in perms:
        raise PermissionDenied
    log_access(request, target=case, label=case.survivor.client_code, action=AccessLogEntry.Action.VIEW_HISTORY)
    context = _detail_context(request, case, "history", perms)
    context["entries"] = history.case_history(case)
    return render(request, "cases/history.html", context)


@login_required
@require_safe
def case_access_log(request, pk):
    case = permissions.get_case_for(request.user, pk)
    perms = permissions.case_perms(request.user, case)
    if permissions.SEE_ACCESS_LOG not in perms:
        raise PermissionDenied
    context = _detail_context(request, case, "access", perms)
    context["page"] = Paginator(access_log_for(case), 50).get_page(request.GET.get("page"))
    return render(request, "cases/access_log.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    form = EditCaseForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_case(
            case,
            by=request.user,
            status=data["status"],
            opened_on=data["opened_on"],
            closed_on=data["closed_on"],
            **{name: data[name] for name in Survivor.IDENTITY_FIELDS},
        )
        messages.success(request, _("Changes saved."))
        return redirect(case)
    return render(request, "cases/edit.html", {"form": form, "case": case})


@login_required
@require_http_methods(["GET", "POST"])
def case_assign(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.ASSIGN)
    form = AssignCaseForm(request.POST or None, user=request.user, case=case)
    if request.method == "POST" and form.is_valid():
        services.assign_case(
            case, by=request.user, specialists=list(form.cleaned_data["specialists"]), team=form.cleaned_data["team"]
        )
        messages.success(request, _("Assignment saved."))
        return redirect(case)
    return render(request, "cases/assign.html", {"form": form, "case": case})
