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


class PeriodForm(forms.Form):
    """From and to, both included: not starting in the future, not ending before it starts, at
    most five years (``bloom.forms.period_problem``). An end after today is not refused but cut to
    today (``cut_to_today``, and ``cut_notice`` for the page): the current quarter runs to today,
    and asking for it is how a director looks at it so far. The funder reports and the director's
    dashboard read their period with it; ``more_problem`` adds a kind's own rule."""

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
        if start and end and (problem := period_problem(start, end) or self.more_problem(Period(start, end))):
            self.add_error("end", problem)
        return data

    def more_problem(self, period: Period) -> str | None:
        """Why ``period`` does not suit this particular report, beyond the rules of every period."""
        return None

    @property
    def cut_notice(self) -> str:
        """What the page says when the end was cut to today."""
        return str(
            _("The period you chose ends after today: the figures count up to today, %(today)s.")
            % {"today": date_format(timezone.localdate(), "DATE_FORMAT")}
        )

    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])

    def parameters(self) -> dict:
        """The valid period as plain values: a job's parameters, the links' query, hidden fields."""
        return {"start": self.cleaned_data["start"].isoformat(), "end": self.cleaned_data["end"].isoformat()}

    def query(self) -> str:
        return urlencode(self.parameters())


class ProgramReportForm(PeriodForm):
    """The period and, optionally, the award whose cases are counted."""

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

    @classmethod
    def for_period(cls, period: Period, *, kind: str | None = None) -> "ProgramReportForm":
        """The form filled in with ``period`` and every case, as if it had been typed."""
        return cls({"start": period.start.isoformat(), "end": period.end.isoformat(), "fund": ""}, kind=kind)

    def more_problem(self, period: Period) -> str | None:
        return funders.period_problem(self.kind, period) if self.kind else None

    def award(self) -> Fund | None:
        return self.cleaned_data["fund"]

    def parameters(self) -> dict:
        fund = self.cleaned_data["fund"]
        return {**super().parameters(), "fund": fund.pk if fund else ""}
