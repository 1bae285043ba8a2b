"""The survivor's monthly budget worksheets: the months kept, one month, starting and editing a month.

Reading needs sight of the case; starting or editing a worksheet needs ``change_case``.
Worksheets are reached through their case, never by id alone.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bloom.audit.models import AccessLogEntry
from bloom.audit.services import log_access
from cases import permissions
from cases.models import Case
from cases.views.pages import case_page, show_refusal
from phases import charts
from phases.forms.budget import BudgetLineFormSet, BudgetMonthForm, BudgetNoteForm, initial_lines
from phases.models import BudgetMonth
from phases.queries import budget as queries
from phases.services import budget as services

TAB = "plan"


def budget_overview(case: Case) -> dict:
    """For the case pages' budget card (``phases/_budget_card.html``): the latest month's totals (one query)."""
    month, totals = queries.latest_totals(case)
    return {"budget_latest": month, "budget_latest_totals": totals}


def _month_of(case: Case, month_pk) -> BudgetMonth:
    return get_object_or_404(case.budget_months, pk=month_pk)


def _page(request, case, template, context):
    return case_page(request, case, template, {"tab": TAB, **context})


@login_required
@require_safe
def budget_list(request, pk):
    case = permissions.get_case_for(request.user, pk)
    log_access(request, target=case, label=case.survivor.client_code, action=AccessLogEntry.Action.VIEW)
    months = list(queries.months_with_totals(case))
    context = {
        "months": [(month, queries.totals_of(month)) for month in months],
        "chart": charts.income_and_expenses(queries.chart_points(months)),
    }
    return _page(request, case, "phases/budget_list.html", context)


@login_required
@require_safe
def budget_month(request, pk, month_pk):
    case = permissions.get_case_for(request.user, pk)
    month = _month_of(case, month_pk)
    log_access(request, target=case, label=case.survivor.client_code, action=AccessLogEntry.Action.VIEW)
    return _page(request, case, "phases/budget_month.html", {"sheet": queries.worksheet(month)})


@login_required
@require_http_methods(["GET", "POST"])
def budget_new(request, pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    form = BudgetMonthForm(request.POST or None, suggested=_suggested_month(case))
    existing = None
    if request.method == "POST" and form.is_valid():
        first_day = form.first_day()
        try:
            month = services.start_budget_month(case, by=request.user, month=first_day, note=form.cleaned_data["note"])
        except services.BudgetError as error:
            show_refusal(form, error)
            existing = case.budget_months.filter(month=first_day).first()
        else:
            label = services.month_label(month.month)
            if month.lines.exists():
                text = _("Worksheet for %(month)s started from the month before. Change only what moved.")
            else:
                text = _("Worksheet for %(month)s started. Add the income and expenses.")
            messages.success(request, text % {"month": label})
            return redirect("phases:budget_edit", pk=case.pk, month_pk=month.pk)
    context = {"form": form, "existing": existing, "forms": [form], "has_errors": bool(form.errors)}
    return _page(request, case, "phases/budget_new.html", context)


def _suggested_month(case: Case):
    """This month (or the month the case opened, if later), or next month once this one is kept."""
    month = max(services.first_of_month(timezone.localdate()), services.earliest_month_allowed(case))
    if case.budget_months.filter(month=month).exists():
        return services.next_month(month)
    return month


@login_required
@require_http_methods(["GET", "POST"])
def budget_edit(request, pk, month_pk):
    case = permissions.get_case_for(request.user, pk, perm=permissions.CHANGE)
    month = _month_of(case, month_pk)
    data = request.POST or None
    formset = BudgetLineFormSet(
        data, initial=initial_lines(month.lines.order_by("kind", "category", "pk")), prefix="lines"
    )
    note_form = BudgetNoteForm(data, initial={"note": month.note})
    if request.method == "POST" and all(
        [formset.is_valid(), note_form.is_valid()]
    ):  # a list, so both forms are validated
        try:
            services.save_budget_lines(
                month, by=request.user, lines=formset.lines(), note=note_form.cleaned_data["note"]
            )
        except services.BudgetError as error:
            show_refusal(note_form, error)
        else:
            messages.success(
                request, _("Worksheet for %(month)s saved.") % {"month": services.month_label(month.month)}
            )
            return redirect("phases:budget_month", pk=case.pk, month_pk=month.pk)
    context = {
        "month": month,
        "formset": formset,
        "note_form": note_form,
        "forms": [note_form],
        "has_errors": bool(note_form.errors) or (formset.is_bound and not formset.is_valid()),
    }
    return _page(request, case, "phases/budget_edit.html", context)
