"""The program director's dashboard: the program's figures for a period, each with a CSV.

The period is read from the address (a GET), so a dashboard can be bookmarked and shared with
whoever else may open it; without one it is the federal fiscal year to date.
"""

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from bloom.forms import PeriodForm, csv_cell, forms_context
from bloom.reports import exports
from bloom.reports.dashboards import director, program
from bloom.reports.views import log_export

# The access log's name for the dashboard's CSVs (a ``ReportJob`` kind).
KIND = "program-dashboard"


def _asked(request) -> PeriodForm:
    """The period asked for, bound; a 403 for anyone but the program director, whatever they asked."""
    if not director.may_see_dashboard(request.user):
        raise PermissionDenied
    return PeriodForm(PeriodForm.with_default_period(request.GET, today=timezone.localdate()))


def _page(request, form: PeriodForm, *, sections: list[program.Section] | None = None):
    """The dashboard, or, for a period refused, the form with its messages beside what was typed (400)."""
    context = {"form": form, **forms_context(form)}
    if sections is not None:
        context |= {
            "sections": sections,
            "period": exports.period_words(form.period()),
            "query": form.query(),
        }
    return render(request, "reports/program_dashboard.html", context, status=200 if sections is not None else 400)


@login_required
@require_safe
def program_dashboard(request):
    form = _asked(request)
    if not form.is_valid():
        return _page(request, form)
    return _page(request, form, sections=program.sections(request.user, form.period()))


@login_required
@require_safe
def program_dashboard_csv(request, section):
    """One section's table as CSV, for the period asked (as on the page), written to the access log."""
    form = _asked(request)
    build = program.SECTIONS.get(section)
    if build is None:
        raise Http404
    if not form.is_valid():
        return _page(request, form)
    period = form.period()
    built = build(request.user, period)
    name = f"dashboard-{section}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    log_export(request, KIND, {**form.parameters(), "section": section, "format": "csv"}, filename=name)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, name)
    writer = csv.writer(response)
    writer.writerows([[csv_cell(v) if isinstance(v, str) else v for v in row] for row in built.chart.csv_rows()])
    return response
