"""The case list's filters.

Each choice is scoped to the person: only their teams, the specialists on them, the phases a
case can be in and the figures they may count. A team, a specialist or a phase given in the
address that is not one of theirs is a message beside the field, and the list shows no case.
"""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
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


class MonthInput(forms.TextInput):
    """The browser's month picker; where there is none, a text box for "2026-05"."""

    input_type = "month"


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


class FilterSelect(forms.Select):
    """A select written in Python, the same HTML as Django's ``select.html`` gives: the
    template engine costs microseconds an option, and a director's specialists are many."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(format_html('\n  <option value="{}"', str(option["value"])))
                parts.append(_attrs(option["attrs"]))
                # select_option.html ends in a line break, kept where it is included.
                parts.append(format_html(">{}</option>\n", option["label"]))
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every part is escaped above)


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

    q = forms.CharField(label=_("Name or client code"), required=False, max_length=100)
    status = forms.ChoiceField(
        widget=FilterSelect,
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), (queries.ACTIVE, _("Open or reopened")), *Case.Status.choices],
    )
    team = forms.ModelChoiceField(
        widget=FilterSelect,
        label=_("Team"),
        required=False,
        queryset=Team.objects.none(),
        empty_label=_("All teams"),
        error_messages={"invalid_choice": _("This is not one of the teams you work with. Choose one from the list.")},
    )
    specialist = forms.ModelChoiceField(
        widget=FilterSelect,
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
    unassigned = forms.BooleanField(label=_("Only cases with no specialist"), required=False)
    mine = forms.BooleanField(label=_("Only cases assigned to me"), required=False)

    # Shown at once; the rest sit under "More filters", opened when one of them is set.
    MAIN = ("q", "status", "team", "specialist", "needs")

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.all() if user.has_perm("cases.view_case") else teams_of(user)
        self.fields["team"].queryset = teams
        self.fields["specialist"].queryset = (
            User.objects.filter(teams__in=teams.values("pk")).distinct().order_by("full_name", "pk")
        )
        self.fields["needs"].choices = [("", _("Anything")), *((f.key, f.label) for f in figures.shown_to(user))]
        self.fields["phase"].choices = [("", _("Any phase")), *figures.phase_choices()]

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.MAIN]

    def more_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.MAIN]

    def more_in_use(self) -> bool:
        """Whether a filter under "More filters" is set or has a message, so it opens."""
        if not self.is_bound:
            return False
        return any(self.data.get(field.html_name) or field.errors for field in self.more_fields())
