"""The period and award a funder or program report is made for.

One form reads them wherever a report is asked for: the report's page, its CSV and XLSX, its
PDF (``builders``, in the request and again in the worker) and its submission. So the rules
of a report's period are here and nowhere else.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from assistance.models import Fund
from bloom.forms import PeriodForm
from bloom.reports import funders
from bloom.reports.figures import Period


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
