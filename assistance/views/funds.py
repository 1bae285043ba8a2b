"""Funds: the list with their totals, one fund's page with its spending chart, setting them up,
the accountant's CSV of payments, and help given in kind for basic-necessities reporting.

A fund's page is aggregate: amounts by category and month, never a client. The CSV carries
client codes (never names) and is logged as an export.
"""

import csv
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from assistance import access, charts, queries
from assistance.forms import FundForm, PeriodForm
from assistance.models import Fund
from assistance.services import funds as services
from assistance.services.common import AssistanceError
from bloom.audit.models import AccessLogEntry
from bloom.audit.services import log_access
from bloom.forms import csv_cell
from bloom.said import Said
from cases.views.pages import forms_context, show_refusal


def _may_see(user) -> None:
    if not access.holds(user, access.SEE_FUNDS):
        raise PermissionDenied


def _may_manage(user) -> None:
    if not access.holds(user, access.MANAGE_FUNDS):
        raise PermissionDenied


@login_required
@require_safe
def fund_list(request):
    _may_see(request.user)
    context = {
        "funds": queries.funds_with_figures(Fund.objects.order_by("-ends_on", "name")),
        "may_manage": access.holds(request.user, access.MANAGE_FUNDS),
        "may_queue": access.may_use_queue(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "assistance/fund_list.html", context)


@login_required
@require_safe
def fund_detail(request, fund_pk):
    _may_see(request.user)
    fund = get_object_or_404(Fund, pk=fund_pk)
    period = PeriodForm(initial={"start": fund.starts_on, "end": min(fund.ends_on, timezone.localdate())})
    return _fund_page(request, fund, period)


def _fund_page(request, fund: Fund, period: PeriodForm, status: int = 200):
    months = queries.spending_by_month(fund)
    context = {
        "fund": fund,
        "figures": queries.category_figures(fund),
        "months": months,
        "chart": charts.spending_by_month(months),
        "may_manage": access.holds(request.user, access.MANAGE_FUNDS),
        "may_export": access.may_export(request.user),
        "period": period,
    }
    return render(request, "assistance/fund_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def fund_new(request):
    _may_manage(request.user)
    form = FundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            fund = services.create_fund(by=request.user, details=form.details(), budgets=form.budgets())
        except AssistanceError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Fund %(fund)s set up.") % {"fund": fund.name})
            return redirect("assistance:fund", fund_pk=fund.pk)
    return render(request, "assistance/fund_form.html", {"form": form, **forms_context(form)})


@login_required
@require_http_methods(["GET", "POST"])
def fund_edit(request, fund_pk):
    _may_manage(request.user)
    fund = get_object_or_404(Fund, pk=fund_pk)
    form = FundForm(request.POST or None, initial=FundForm.initial_for(fund))
    if request.method == "POST" and form.is_valid():
        try:
            services.change_fund(fund, by=request.user, details=form.details(), budgets=form.budgets())
        except AssistanceError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Fund saved."))
            return redirect("assistance:fund", fund_pk=fund.pk)
    return render(request, "assistance/fund_form.html", {"form": form, "fund": fund, **forms_context(form)})


# Columns of the accountant's CSV: no survivor's name, no purpose (it may tell the story).
CSV_HEADER = [
    "paid_on", "request", "client_code", "fund", "award_number", "category", "amount",
    "payee_type", "payee", "method", "reference", "receipt", "approved_by", "second_approved_by", "paid_by",
]  # fmt: skip


@login_required
@require_safe
def fund_payments_csv(request, fund_pk):
    """The fund's payments in a period, one row each, for the accountant (client codes only)."""
    if not access.may_export(request.user):
        raise PermissionDenied
    fund = get_object_or_404(Fund, pk=fund_pk)
    period = PeriodForm(request.GET)
    if not period.is_valid():
        return _fund_page(request, fund, period, status=400)
    start, end = period.cleaned_data["start"], period.cleaned_data["end"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # Quoted or encoded as the award number needs: one with a quote or a line break is still a name.
    response["Content-Disposition"] = content_disposition_header(
        True, f"payments-{fund.award_number}-{start:%Y%m%d}-{end:%Y%m%d}.csv"
    )
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    count = 0
    for row in queries.payment_rows(request.user, fund, start=start, end=end):
        writer.writerow([csv_cell(value) for value in row])
        count += 1
    log_access(
        request, target=fund, label=fund.award_number, action=AccessLogEntry.Action.EXPORT,
        reason=Said("log.payments", start=start, end=end, count=count),
    )  # fmt: skip
    return response


@login_required
@require_safe
def necessities(request):
    """Help given in kind in a period, by kind: counts and values only."""
    _may_see(request.user)
    today = timezone.localdate()
    data = request.GET if request.GET else {"start": date(today.year, 1, 1), "end": today}
    period = PeriodForm(data)
    lines = (
        queries.basic_necessities(period.cleaned_data["start"], period.cleaned_data["end"]) if period.is_valid() else []
    )
    context = {
        "period": period,
        "lines": lines,
        "may_queue": access.may_use_queue(request.user),
        **forms_context(period),
    }
    return render(request, "assistance/necessities.html", context)
