"""The period and award a funder or program report is made for.

One form reads them wherever a report is asked for: the report's page, its CSV and XLSX, its
PDF (``builders``, in the request and again in the worker) and its submission. So the rules
of a report's period are here and nowhere else.
"""

from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from assistance.models import Fund
from bloom.forms import DateInput, day_problem, period_problem
from bloom.reports import funders
from bloom.reports.figures import Period


class ProgramReportForm(forms.Form):
    """From and to (inclusive) and, optionally, the award whose cases are counted.

    An end after today is not refused but cut to today (``cut_to_today``): the current
    quarter runs to today, and asking for it is how a director looks at it so far.
    """

    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())
    # Every award: a report over every case names any award the program has.
    fund = forms.ModelChoiceField(
        label=_("Award"),
        queryset=Fund.objects.none(),
        required=False,
        empty_label=_("Every case"),
        help_text=_("Count only the cases served under one award."),
        error_messages={"invalid_choice": _("There is no such award. Choose one from the list, or every case.")},
    )

    def __init__(self, data=None, *, kind: str | None = None, **kwargs):
        super().__init__(data, **kwargs)
        # The report asked for, whose own rules (one fiscal year) apply too.
        self.kind = kind
        self.fields["fund"].queryset = Fund.objects.order_by("-ends_on", "name")
        self.cut_to_today = False

    @classmethod
    def for_period(cls, period: Period, *, kind: str | None = None) -> "ProgramReportForm":
        """The form filled in with ``period`` and every case, as if it had been typed."""
        return cls({"start": period.start.isoformat(), "end": period.end.isoformat(), "fund": ""}, kind=kind)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        today = timezone.localdate()
        if start and start > today:
            self.add_error("start", _("A report cannot start in the future. Choose a day up to today."))
            start = None
        elif start and (problem := day_problem(start)):
            self.add_error("start", problem)
            start = None
        if end and end > today:
            data["end"], end, self.cut_to_today = today, today, True
        elif end and (problem := day_problem(end)):
            self.add_error("end", problem)
            end = None
        if start and end:
            problem = period_problem(start, end)
            if problem is None and self.kind:
                problem = funders.period_problem(self.kind, Period(start, end))
            if problem:
                self.add_error("end", problem)
        return data

    @property
    def cut_notice(self) -> str:
        """What the page says when the end was cut to today."""
        return str(
            _("The period you chose ends after today: the figures count up to today, %(today)s.")
            % {"today": date_format(timezone.localdate(), "DATE_FORMAT")}
        )

    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])

    def award(self) -> Fund | None:
        return self.cleaned_data["fund"]

    def parameters(self) -> dict:
        """The valid period and award as plain values: a job's parameters, the links' query, hidden fields."""
        fund = self.cleaned_data["fund"]
        return {
            "start": self.cleaned_data["start"].isoformat(),
            "end": self.cleaned_data["end"].isoformat(),
            "fund": fund.pk if fund else "",
        }

    def query(self) -> str:
        return urlencode(self.parameters())
