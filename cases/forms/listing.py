"""The case list's filters.

Each choice is scoped to the person: only their teams, the specialists on them, the phases a
case can be in and the figures they may count. A team, a specialist or a phase given in the
address that is not one of theirs is a message beside the field, and the list shows no case.
"""

import functools
import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from bloom.accounts.models import Team, User
from bloom.forms import EARLIEST_DAY
from cases import figures, queries
from cases.models import Case
from cases.permissions import teams_of

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})", re.ASCII)


def _attrs(attrs: dict) -> SafeString:
    """``django/forms/widgets/attrs.html``: `` name="value"``, a True one bare, a False one left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


# The filter form's widgets are written in Python, the same HTML as Django's widget templates
# give (``tests/cases/test_case_filter_widgets.py`` holds them to it): the template engine costs
# a context and an include a widget, and microseconds an option, on a page shown many times a day.


class _PythonInput:
    """``django/forms/widgets/input.html``, for an ``Input`` widget."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
        return format_html(
            '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], shown, _attrs(widget["attrs"])
        )


class FilterTextInput(_PythonInput, forms.TextInput):
    pass


class MonthInput(_PythonInput, forms.TextInput):
    """The browser's month picker; where there is none, a text box for "2026-05"."""

    input_type = "month"


class FilterCheckbox(_PythonInput, forms.CheckboxInput):
    pass


class FilterSelect(forms.Select):
    """``django/forms/widgets/select.html`` with its options, as ``Select.optgroups`` chooses
    them: the first option whose value is the field's is selected."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        values = self.format_value(value)
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        parts = [format_html('<select name="{}"', name), _attrs(attrs), ">"]
        has_selected = False
        for choice_value, choice_label in self.choices:
            grouped = isinstance(choice_label, (list, tuple))
            if grouped:
                parts.append(format_html('\n  <optgroup label="{}">', choice_value))
            options = choice_label if grouped else [("" if choice_value is None else choice_value, choice_label)]
            for option_value, option_label in options:
                selected = (not has_selected or self.allow_multiple_selected) and str(option_value) in values
                has_selected |= selected
                # select_option.html ends in a line break, kept where it is included.
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',
                        str(option_value),
                        " selected" if selected else "",
                        option_label,
                    )
                )
            if grouped:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every part is escaped above)


class _FetchedChoices(ModelChoiceIterator):
    """The choices read in one plain query: Django's own iterator reads them through a
    server-side cursor (``DECLARE ... WITH HOLD`` and a ``CLOSE``), which costs more than the
    few rows a filter lists."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class FilterModelChoiceField(forms.ModelChoiceField):
    iterator = _FetchedChoices
    widget = FilterSelect


class MonthField(forms.CharField):
    """A calendar month typed as year and month ("2026-05"), as the day it begins."""

    widget = MonthInput

    def __init__(self, **kwargs):
        super().__init__(max_length=7, required=False, **kwargs)

    def clean(self, value) -> date | None:
        # The text is checked as text (its length), then read as a month.
        text = super().clean(value).strip()
        if not text:
            return None
        match = _MONTH.fullmatch(text)
        if match is None or int(match[1]) == 0 or not 1 <= int(match[2]) <= 12:
            raise ValidationError(_("Enter a month as its year and number, such as 2026-05."), code="invalid")
        month = date(int(match[1]), int(match[2]), 1)
        if not EARLIEST_DAY <= month <= timezone.localdate():
            raise ValidationError(
                _("Enter a month from %(first)s to this one."), code="invalid", params={"first": EARLIEST_DAY.year}
            )
        return month

    def prepare_value(self, value):
        return value.strftime("%Y-%m") if isinstance(value, date) else value


class CaseFilterForm(forms.Form):
    """What the case list is narrowed to: ``queries.filtered`` applies it, and the dashboards'
    links set it (every field but the name search, which is posted so that a name never sits
    in an address)."""

    q = forms.CharField(widget=FilterTextInput, label=_("Name or client code"), required=False, max_length=100)
    status = forms.ChoiceField(
        widget=FilterSelect,
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), (queries.ACTIVE, _("Open or reopened")), *Case.Status.choices],
    )
    team = FilterModelChoiceField(
        label=_("Team"),
        required=False,
        queryset=Team.objects.none(),
        empty_label=_("All teams"),
        error_messages={"invalid_choice": _("This is not one of the teams you work with. Choose one from the list.")},
    )
    specialist = FilterModelChoiceField(
        label=_("Specialist"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Any specialist"),
        error_messages={"invalid_choice": _("This is not someone on the teams you work with. Choose from the list.")},
    )
    needs = forms.ChoiceField(
        widget=FilterSelect,
        label=_("Needs"),
        required=False,
        error_messages={"invalid_choice": _("Choose one of the needs in the list.")},
    )
    phase = forms.TypedChoiceField(
        widget=FilterSelect,
        label=_("Current phase"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("This is not a phase a case can be in. Choose one from the list.")},
    )
    referred = MonthField(label=_("Referred in"))
    enrolled = MonthField(label=_("Enrolled in"))
    closed = MonthField(label=_("Closed in"))
    unassigned = forms.BooleanField(widget=FilterCheckbox, label=_("Only cases with no specialist"), required=False)
    mine = forms.BooleanField(widget=FilterCheckbox, label=_("Only cases assigned to me"), required=False)

    # Shown at once; the rest sit under "More filters", opened when one of them is set.
    MAIN = ("q", "status", "team", "specialist", "needs")

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.all() if user.has_perm("cases.view_case") else teams_of(user)
        self.fields["team"].queryset = teams
        # Only what a choice shows (``User.__str__``): the rest of a person's row is not needed.
        self.fields["specialist"].queryset = (
            User.objects.filter(teams__in=teams.values("pk"))
            .distinct()
            .order_by("full_name", "pk")
            .only("full_name", "email")
        )
        self.fields["needs"].choices = [("", _("Anything")), *((f.key, f.label) for f in figures.shown_to(user))]
        # Read when first needed, once: a filter sent by htmx gets the results alone, and with
        # no phase chosen never reads the phases.
        self.fields["phase"].choices = functools.cache(lambda: [("", _("Any phase")), *figures.phase_choices()])

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.MAIN]

    def more_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.MAIN]

    def more_in_use(self) -> bool:
        """Whether a filter under "More filters" is set or has a message, so it opens."""
        if not self.is_bound:
            return False
        return any(self.data.get(field.html_name) or field.errors for field in self.more_fields())
