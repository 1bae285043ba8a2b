"""The program director's dashboard: the program's figures for a period, each with a CSV.

The period is read from the address (a GET), so a dashboard can be bookmarked and shared with
whoever else may open it; without one it is the federal fiscal year to date.
"""

import csv
from datetime import date
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from bloom.forms import DateInput, csv_cell, day_problem, forms_context, period_problem
from bloom.reports import exports
from bloom.reports.dashboards import director, program
from bloom.reports.figures import Period, fiscal_year_start
from bloom.reports.views import _log_export

# The access log's name for the dashboard's CSVs (a ``ReportJob`` kind).
KIND = "program-dashboard"


class DashboardPeriodForm(forms.Form):
    """From and to, both included, by the same rules as the funder reports' period
    (``bloom.reports.forms``): not starting in the future, not ending before it starts, at most
    five years; an end after today is cut to today, and the page says so."""

    start = forms.DateField(
        label=_("From"),
        widget=DateInput(),
        error_messages={"required": _("Enter the first day."), "invalid": _("Enter a date, like 2025-10-01.")},
    )
    end = forms.DateField(
        label=_("To"),
        widget=DateInput(),
        error_messages={"required": _("Enter the last day."), "invalid": _("Enter a date, like 2026-09-30.")},
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.cut_to_today = False

    @classmethod
    def asked(cls, query: QueryDict, *, today: date) -> "DashboardPeriodForm":
        """The period in the address, or the federal fiscal year to date when neither day is given."""
        if not {"start", "end"} & set(query):
            query = QueryDict(mutable=True)
            query["start"], query["end"] = fiscal_year_start(today).isoformat(), today.isoformat()
        return cls(query)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        today = timezone.localdate()
        if start and start > today:
            self.add_error("start", _("A period cannot start in the future. Choose a day up to today."))
            start = None
        elif start and (problem := day_problem(start)):
            self.add_error("start", problem)
            start = None
        if end and end > today:
            data["end"], end, self.cut_to_today = today, today, True
        elif end and (problem := day_problem(end)):
            self.add_error("end", problem)
            end = None
        if start and end and (problem := period_problem(start, end)):
            self.add_error("end", problem)
        return data

    @property
    def cut_notice(self) -> str:
        return str(
            _("The period you chose ends after today: the figures count up to today, %(today)s.")
            % {"today": date_format(timezone.localdate(), "DATE_FORMAT")}
        )

    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])

    def parameters(self) -> dict:
        return {"start": self.cleaned_data["start"].isoformat(), "end": self.cleaned_data["end"].isoformat()}


def _asked(request) -> DashboardPeriodForm:
    """The period asked for, bound; a 403 for anyone but the program director, whatever they asked."""
    if not director.may_see_dashboard(request.user):
        raise PermissionDenied
    return DashboardPeriodForm.asked(request.GET, today=timezone.localdate())


def _page(request, form: DashboardPeriodForm, *, sections: list[program.Section] | None = None):
    """The dashboard, or, for a period refused, the form with its messages beside what was typed (400)."""
    context = {"form": form, **forms_context(form)}
    if sections is not None:
        context |= {
            "sections": sections,
            "period": exports.period_words(form.period()),
            "query": urlencode(form.parameters()),
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
    _log_export(request, KIND, {**form.parameters(), "section": section, "format": "csv"}, filename=name)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, name)
    writer = csv.writer(response)
    writer.writerows([[csv_cell(v) if isinstance(v, str) else v for v in row] for row in built.chart.csv_rows()])
    return response
