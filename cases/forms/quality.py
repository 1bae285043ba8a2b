"""The period and filters of the list of records to complete (``cases.quality``)."""

from datetime import date

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from bloom.accounts.models import Team, User
from bloom.forms import DateInput, day_problem, period_problem
from bloom.reports.figures import fiscal_year_start
from cases.permissions import teams_of


class QualityFilterForm(forms.Form):
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
    team = forms.ModelChoiceField(
        label=_("Team"),
        required=False,
        queryset=Team.objects.none(),
        empty_label=_("All teams"),
        error_messages={"invalid_choice": _("Choose one of the teams in the list.")},
    )
    mine = forms.BooleanField(label=_("Only cases assigned to me"), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.all() if user.has_perm("cases.view_case") else teams_of(user)
        self.fields["team"].queryset = teams.order_by("name")

    @staticmethod
    def with_default_period(data: QueryDict, *, today: date) -> QueryDict:
        """``data`` with the federal fiscal year to date as the period when neither day was given."""
        if {"start", "end"} & set(data):
            return data
        data = data.copy()
        data["start"], data["end"] = fiscal_year_start(today).isoformat(), today.isoformat()
        return data

    def clean(self):
        data = super().clean()
        for name in ("start", "end"):
            if data.get(name) and (problem := day_problem(data[name])):
                self.add_error(name, problem)  # also takes it out of cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and (problem := period_problem(start, end)):
            self.add_error("end", problem)
        return data
