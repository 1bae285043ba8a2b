"""What every app's forms share: the project's form markup, reading money, showing a service's refusal,
and a period of days."""

import re
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bloom.reports.figures import Period, fiscal_year_start

# Plain dollars and cents; thousands may be grouped with commas ("1,200.50").
_PLAIN = re.compile(r"[0-9]+(\.[0-9]+)?|\.[0-9]+", re.ASCII)
_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", re.ASCII)
CENT = Decimal("0.01")

# Days typed for events, sessions and reports' periods lie within these: anything else is a
# typing slip (and a day at the very edge of the calendar cannot become a time with a zone).
EARLIEST_DAY = date(2000, 1, 1)
# How far ahead something may be planned.
PLANNED_AHEAD_DAYS = 366


def day_problem(day: date) -> str | None:
    """What is wrong with ``day`` as a day of the program's work, or None."""
    latest = timezone.localdate() + timedelta(days=PLANNED_AHEAD_DAYS)
    if not EARLIEST_DAY <= day <= latest:
        return gettext("Enter a date from %(first)s to %(last)s.") % {
            "first": date_format(EARLIEST_DAY, "SHORT_DATE_FORMAT"),
            "last": date_format(latest, "SHORT_DATE_FORMAT"),
        }
    return None


# A report or a list over a longer period is a typing slip (and an expensive query); five
# years covers a multi-year award.
LONGEST_PERIOD_YEARS = 5


def years_after(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 1 March in a year without one."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def period_problem(start: date, end: date) -> str | None:
    """What is wrong with the period from ``start`` to ``end`` (both included), or None. The
    message belongs beside the end."""
    if end < start:
        return gettext("The period ends before it starts.")
    if end >= years_after(start, LONGEST_PERIOD_YEARS):
        return gettext("Choose a period of at most five years.")
    return None


class BloomFormRenderer(TemplatesSetting):
    """Render every form field with the project's own markup (label, help, errors, input)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class DateInput(forms.DateInput):
    """The browser's date picker, with the value in the ISO form it expects."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    """The browser's time picker (a phone shows its clock wheel), to the minute."""

    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MoneyField(forms.Field):
    """An amount in dollars and cents, from 0 (or a cent, with ``positive``) to ``largest``, as a ``Decimal``.

    Read as text, never through a float, the United States' way in every language: "$1,200.50"
    and "1200.5" are both $1,200.50. A negative, absurd or malformed amount, a decimal comma, or
    more than two decimals ("1.500", which a reader who groups thousands with a point means as
    1,500) is refused with a plain message.
    """

    default_error_messages = {
        "required": _("Enter the amount."),
        "invalid": _("Enter an amount in dollars and cents, like 120 or 120.50."),
        "negative": _("An amount cannot be negative."),
        "zero": _("Enter an amount above zero."),
        "cents": _("Use at most two decimal places (cents), like 12.34."),
        "too_large": _("That is more than %(largest)s: check the amount."),
    }
    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 10})

    def __init__(self, *, largest: Decimal, positive: bool = False, **kwargs):
        self.largest, self.positive = largest, positive
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().removeprefix("$").strip()
        if text.startswith("-"):
            raise ValidationError(self.error_messages["negative"], code="negative")
        if _GROUPED.fullmatch(text):
            text = text.replace(",", "")
        if not _PLAIN.fullmatch(text) or len(text) > 20:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        # "1.500" is $1.50 to someone who writes cents and $1,500 to someone who groups thousands
        # with a point: a third decimal is refused, never read one way or the other.
        if "." in text and len(text.rsplit(".", 1)[1]) > 2:
            raise ValidationError(self.error_messages["cents"], code="cents")
        amount = Decimal(text)
        if amount > self.largest:
            raise ValidationError(
                self.error_messages["too_large"], code="too_large", params={"largest": f"${self.largest:,.2f}"}
            )
        if amount != amount.quantize(CENT):
            raise ValidationError(self.error_messages["cents"], code="cents")
        if self.positive and amount == 0:
            raise ValidationError(self.error_messages["zero"], code="zero")
        return amount.quantize(CENT)

    def prepare_value(self, value):
        return f"{value:.2f}" if isinstance(value, Decimal) else value


def forms_context(*forms) -> dict:
    """What a page with forms passes its template: the forms and whether any has errors."""
    return {"forms": forms, "has_errors": any(form.errors for form in forms)}


def show_refusal(form, error: ValidationError) -> None:
    """A service's refusal on ``form``: beside each field it names that the form has, else above it.

    A form whose fields are named differently from the record's says so in ``refusal_fields``
    (the service's name → the form's).
    """
    if hasattr(error, "error_dict"):
        renamed = getattr(form, "refusal_fields", {})
        for named, errors in error.error_dict.items():
            field = renamed.get(named, named)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def csv_cell(value) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula is prefixed with a quote."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class PeriodForm(forms.Form):
    """From and to, both included: not starting in the future, not ending before it starts, at
    most five years (``bloom.forms.period_problem``). An end after today is not refused but cut to
    today (``cut_to_today``, and ``cut_notice`` for the page): the current quarter runs to today,
    and asking for it is how a director looks at it so far. The funder reports, the director's
    dashboard and the records to complete read their period with it; ``more_problem`` adds a
    report's own rule."""

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

    @staticmethod
    def with_default_period(data: QueryDict, *, today: date) -> QueryDict:
        """``data`` with the federal fiscal year to date as the period when neither day was given."""
        if {"start", "end"} & set(data):
            return data
        data = data.copy()
        data["start"], data["end"] = fiscal_year_start(today).isoformat(), today.isoformat()
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
