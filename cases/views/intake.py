from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bloom.audit.models import AccessLogEntry
from bloom.audit.queries import access_log_for
from bloom.audit.services import log_access
from bloom.forms import show_refusal
from bloom.reports.queries import latest_job_for
from bloom.vocabulary import HelpNeed
from cases import fields, figures, history, permissions, queries, services, sorting
from cases.forms import (
    AssignCaseForm,
    CaseFilterForm,
    DuplicateCheckForm,
    EligibilityOverrideForm,
    FamilyMemberForm,
    MandatedReportForm,
    OutcomeForm,
    ReferralForm,
    ScreeningForm,
    StartIntakeForm,
    SurvivorDetailsForm,
)
from cases.models import IntakeRequest
from cases.views.closure import closure_overview
from cases.views.pages import case_page, detail_context, forms_context
from cases.views.safety import safety_overview
from cases.views.sharing import sharing_overview

PAGE_SIZE = 25
# The case page's contacts card shows this many of the latest contacts.
LATEST_CONTACTS_SHOWN = 3


@login_required
@require_http_methods(["GET", "POST"])
def case_list(request):
    # A search is sent by POST so that a survivor's name never sits in an address bar,
    # the browser's history or a server log. Links from dashboards use GET for the
    # filters that identify nobody (status, team, specialist, what a case needs); a name
    # in a GET is ignored.
    if request.method == "POST":
        data = request.POST
    else:
        data = request.GET.copy()
        data.pop("q", None)
    cases = permissions.visible_cases(request.user)
    form = CaseFilterForm(data or None, user=request.user)
    if form.is_bound and not form.is_valid():
        # A filter that is not one of the person's (a team's id edited in a dashboard's link)
        # shows its message and no case: never the cases of a wider filter in its place.
        cases = cases.none()
    elif form.is_bound:
        cases = queries.filtered(cases, **form.cleaned_data, user=request.user)
    sort = sorting.chosen(data.get("sort"))
    rows = sorting.sorted_cases(figures.with_phase(queries.for_list(cases)), sort)
    paginator = Paginator(rows, PAGE_SIZE)
    # Counted from the filtered cases: the count needs neither the list's annotations nor its
    # order, and the annotated query is then built and compiled once, for the page's rows.
    paginator.count = cases.count()
    page = paginator.get_page(data.get("page"))
    context = {
        "form": form,
        "page": page,
        "sort": sort,
        "columns": sorting.headers(sort),
        "can_open_cases": permissions.can_open_cases(request.user),
        "can_open_in_emergency": permissions.may_open_in_emergency(request.user),
        "can_manage_catalogue": services.may_manage_catalogue(request.user),
    }
    if request.htmx:
        return render(request, "cases/list.html#results", context)
    return render(request, "cases/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request):
    """Start an intake: the referral, who the survivor is, and who will work with them."""
    if not permissions.can_open_cases(request.user):
        raise PermissionDenied
    data = request.POST or None
    asked = fields.current()
    referral_form = StartIntakeForm(data, user=request.user, asked=asked)
    details_form = SurvivorDetailsForm(data, sensitive_allowed=permissions.may_see_sensitive(request.user), asked=asked)
    if request.method == "POST" and _all_valid(referral_form, details_form):
        referral = referral_form.cleaned_data
        try:
            case = services.start_intake(
                by=request.user,
                team=referral["team"],
                specialists=list(referral["specialists"]),
                details=details_form.details(),
                referral=referral_form.referral(),
                opened_on=referral["opened_on"],
                asked=asked,
            )
        except services.IntakeError as error:
            show_refusal(referral_form, error)
        else:
            messages.success(
                request,
                _("Intake saved for %(code)s. It can be finished at any time.") % {"code": case.survivor.client_code},
            )
            return redirect(case)
    context = {
        "referral_form": referral_form,
        "details_form": details_form,
        **forms_context(referral_form, details_form),
    }
    return render(request, "cases/create.html", context)


def _all_valid(*forms) -> bool:
    # Validate every form, so each shows its own messages at once.
    return all([form.is_valid() for form in forms])  # noqa: C419 (a list, so no form is skipped)


@login_required
@require_safe
def case_detail(request, pk):
    case = permissions.get_case_for(request.user, pk)
    log_access(request, target=case, label=case.survivor.client_code, action=AccessLogEntry.Action.VIEW)
    perms = case.perms
    context = detail_context(case, "overview", perms)
    context["specialists"] = case.specialists.order_by("full_name")
    context.update(_eligibility(case))
    context["mandated_reports"] = list(case.mandated_reports.all())
    context["careline_due"] = queries.careline_report_due(case, context["mandated_reports"])
    context["family_members"] = list(case.family_members.all())
    context["face_sheet_job"] = latest_job_for(request.user, kind="case_face_sheet", target_id=case.pk)
    # Whether each intake field is shown: a field the director has hidden is not, stored or not.
    context["shown"] = fields.current().shown
    context["contact_summary"] = queries.contact_summary(case)
    context["latest_contacts"] = list(queries.contacts_of(case)[:LATEST_CONTACTS_SHOWN])
    context.update(sharing_overview(case))
    context.update(closure_overview(request.user, case, perms))
    context.update(safety_overview(case, perms))
    context.update(_request_for_help(case))
    if permissions.BY_EMERGENCY in perms:
        context["emergency_access"] = permissions.running_emergency_access(request.user, case)
    return render(request, "cases/detail.html", context)


def _request_for_help(case) -> dict:
    """What the person said when they asked for help in outreach, if the case started that way."""
    row = IntakeRequest.objects.filter(case=case).first()
    if row is None:
        return {}
    return {
        "request_for_help": row,
        "request_for_help_needs": [HelpNeed(need).label for need in row.needs if need in HelpNeed.values],
    }


@login_required
@require_safe
def case_history(request, pk):
    case = permissions.get_case_for(request.user, pk)
    perms = case.perms
    if permissions.SEE_HISTORY not in perms:
        raise PermissionDenied
    log_access(request, target=case, label=case.survivor.client_code, action=AccessLogEntry.Action.VIEW_HISTORY)
    context = detail_context(case, "history", perms)
    context["entries"] = history.case_history(case, sensitive=permissions.SEE_SENSITIVE in perms)
    return render(request, "cases/history.html", context)


@login_required
@require_safe
def case_access_log(request, pk):
    case = permissions.get_case_for(request.user, pk)
    perms = case.perms
    if permissions.SEE_ACCESS_LOG not in perms:
        raise PermissionDenied
    context = detail_context(case, "access", perms)
    context["page"] = Paginator(access_log_for(case), 50).get_page(request.GET.get("page"))
    return render(request, "cases/access_log.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    data = request.POST or None
    asked = fields.current()
    # Copies: validating fills a ModelForm's instance, and the service compares with the stored rows.
    referral_form = ReferralForm(data, instance=copy(case), remember_shown=True, asked=asked)
    details_form = SurvivorDetailsForm(
        data,
        instance=copy(case.survivor),
        sensitive_allowed=permissions.can_see_sensitive(request.user, case),
        remember_shown=True,
        asked=asked,
    )
    forms = [referral_form, details_form]
    if request.method == "POST" and _all_valid(*forms):
        # Only what this person changed since the page was shown (the forms carry the values
        # they showed), so a page opened earlier does not undo a colleague's edit.
        referral = {**referral_form.referral(), "opened_on": referral_form.cleaned_data["opened_on"]}
        try:
            services.update_case(
                case,
                by=request.user,
                details=_changed(details_form, details_form.details()),
                referral=_changed(referral_form, referral),
                asked=asked,
            )
        except services.IntakeError as error:
            show_refusal(referral_form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(case)
    context = {
        "case": case,
        "referral_form": referral_form,
        "details_form": details_form,
        **forms_context(*forms),
    }
    return render(request, "cases/edit.html", context)


def _changed(form, values: dict) -> dict:
    return {name: value for name, value in values.items() if name in form.changed_data}


@login_required
@require_http_methods(["GET", "POST"])
def case_assign(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.ASSIGN)
    form = AssignCaseForm(request.POST or None, user=request.user, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_case(
                case,
                by=request.user,
                specialists=list(form.cleaned_data["specialists"]),
                team=form.cleaned_data["team"],
                note=form.cleaned_data["note"],
            )
        except services.IntakeError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Assignment saved."))
            return redirect(case)
    return render(request, "cases/assign.html", {"form": form, "case": case, **forms_context(form)})


# Intake: duplicates, screening, eligibility, outcome, minors, family ----------------------


@login_required
@require_POST
def duplicate_check(request):
    """While a name and birth date are typed: possible existing records, revealing nothing the user cannot see.

    POST, so that names never sit in an address bar or a server log.
    """
    if not permissions.can_open_cases(request.user):
        raise PermissionDenied
    form = DuplicateCheckForm(request.POST)
    exclude = None
    if request.POST.get("case"):
        exclude = permissions.get_case_for(request.user, request.POST["case"]).survivor_id
    found = permissions.PossibleDuplicates(visible=[], hidden=False)
    if form.is_valid():
        found = permissions.possible_duplicates(
            request.user,
            names=form.names(),
            date_of_birth=form.cleaned_data["date_of_birth"],
            exclude_survivor=exclude,
        )
    return render(request, "cases/_duplicates.html", {"found": found})


@login_required
@require_http_methods(["GET", "POST"])
def screening_new(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    perms = case.perms
    sensitive = permissions.SEE_SENSITIVE in perms
    previous = queries.latest_screening(case)
    form = ScreeningForm(request.POST or None, case=case, sensitive_allowed=sensitive, previous=previous)
    if request.method == "POST" and form.is_valid():
        screening = services.record_screening(
            case, by=request.user, answers=form.answers(), context=form.context(), sensitive_allowed=sensitive
        )
        messages.success(
            request,
            _("Screening saved. Determination: %(result)s.") % {"result": screening.get_determination_display()},
        )
        return redirect(case)
    context = {"form": form, "previous": previous, **forms_context(form)}
    return case_page(request, case, "cases/screening_form.html", context, perms)


@login_required
@require_safe
def screening_list(request, pk):
    case = permissions.get_case_for(request.user, pk)
    log_access(request, target=case, label=case.survivor.client_code, action=AccessLogEntry.Action.VIEW)
    screenings = case.screenings.select_related("screened_by").order_by("-version")
    return case_page(request, case, "cases/screenings.html", {"screenings": [(s, s.result()) for s in screenings]})


@login_required
@require_http_methods(["GET", "POST"])
def eligibility_override(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    if not permissions.can_override_eligibility(request.user, case):
        raise PermissionDenied
    if case.enrolled:
        messages.info(request, _("The survivor is already enrolled."))
        return redirect(case)
    form = EligibilityOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.override_eligibility(case, by=request.user, reason=form.cleaned_data["reason"])
        except services.IntakeError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your decision is recorded: the survivor can be enrolled."))
            return redirect(case)
    return case_page(request, case, "cases/eligibility_form.html", {"form": form, **_eligibility(case)})


def _eligibility(case) -> dict:
    screening = queries.latest_screening(case)
    return {"screening": screening, "eligibility": queries.eligibility(case, screening=screening)}


@login_required
@require_http_methods(["GET", "POST"])
def outcome(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    if case.enrolled:
        messages.info(request, _("The survivor is already enrolled."))
        return redirect(case)
    form = OutcomeForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["outcome"] == OutcomeForm.ENROLLED:
                services.enroll(case, by=request.user, on=data["decided_on"])
                messages.success(request, _("Enrolled. The case is open."))
            else:
                services.record_not_enrolled(
                    case, by=request.user, reason=data["reason"], note=data["note"], on=data["decided_on"]
                )
                messages.success(request, _("Outcome recorded: not enrolled."))
        except services.IntakeError as error:
            form.add_error(None, error)
        else:
            return redirect(case)
    return case_page(request, case, "cases/outcome_form.html", {"form": form, **_eligibility(case)})


@login_required
@require_http_methods(["GET", "POST"])
def mandated_report_new(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    form = MandatedReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        report = services.record_mandated_report(case, by=request.user, **form.cleaned_data)
        messages.success(request, _("%(kind)s recorded.") % {"kind": report.get_kind_display()})
        return redirect(case)
    return case_page(request, case, "cases/mandated_report_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def family_member_new(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    form = FamilyMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_family_member(case, by=request.user, **form.cleaned_data)
        except services.IntakeError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Family member added."))
            return redirect(case)
    return case_page(request, case, "cases/family_member_form.html", {"form": form})


@login_required
@require_POST
def family_member_remove(request, pk, member_pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    member = get_object_or_404(case.family_members, pk=member_pk)
    services.remove_family_member(member, by=request.user)
    messages.success(request, _("Family member removed."))
    return redirect(case)
