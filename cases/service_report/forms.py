"""What a service report is asked for: the period, whom it is for, and whether notes are printed.

The same forms read a request on the report's page, in ``reports:request`` (``read_parameters``:
who asks is not known there yet) and again in the worker before the PDF is built, so the
rules live here once. The period follows the platform's (``bloom.forms``): real days, not
ending before it starts, at most five years; and, as a report of what was given, not in the
future at either end. Notes are printed on an internal copy only (``notes_allowed``): staff
notes are not part of the survivor's own copy, and an organization is never sent one, as a
note may say anything (their health, their immigration status, what happened to them) that
no release was asked about.
"""

from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bloom.directory.models import Organization
from bloom.forms import DateInput, day_problem, period_problem
from bloom.reports.printouts import printout_language
from bloom.translated import own_name
from cases.models import Case
from cases.service_report.subjects import withheld_from


class Audience(models.TextChoices):
    SURVIVOR = "survivor", _("The survivor's own copy")
    INTERNAL = "internal", _("Internal use")
    ORGANIZATION = "organization", _("An organization in the directory")


def notes_allowed(audience: str) -> bool:
    """Whether notes may be printed on a copy for ``audience``: only for internal use."""
    return audience == Audience.INTERNAL


def without_notes_outside(parameters: dict) -> dict:
    """A report's ``parameters`` with notes turned off unless it is for internal use: what the PDF
    is built from and the access log says, whatever was stored (a job asked for before the rule)."""
    if notes_allowed(parameters.get("audience")):
        return parameters
    return {**parameters, "notes": False}


class PeriodForm(forms.Form):
    """The period and the notes, as the case's and the team's reports both ask them."""

    start = forms.DateField(
        label=_("From"),
        widget=DateInput(),
        error_messages={"required": _("Enter the first day."), "invalid": _("Enter a date, like 2026-01-31.")},
    )
    end = forms.DateField(
        label=_("To"),
        widget=DateInput(),
        error_messages={"required": _("Enter the last day."), "invalid": _("Enter a date, like 2026-03-31.")},
    )
    notes = forms.BooleanField(
        label=_("Include notes"),
        required=False,
        help_text=_(
            "Contact, referral and housing notes, what payments were for, and goals in the survivor's own words. "
            "Only for people who may see sensitive details."
        ),
    )

    def __init__(self, data=None, *, may_include_notes: bool | None = None, **kwargs):
        """``may_include_notes``: whether the person asking may see the sensitive details of what
        is printed; None where that is not known yet (the worker checks again)."""
        super().__init__(data, **kwargs)
        self.may_include_notes = may_include_notes
        if may_include_notes is False:
            self.fields["notes"].disabled = True
            self.fields["notes"].help_text = _("Notes are printed only for people who may see sensitive details.")

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        for name in ("start", "end"):
            day = data.get(name)
            if day and (problem := day_problem(day)):
                self.add_error(name, problem)
            elif day and day > today:
                self.add_error(
                    name,
                    _("A service report covers what was given up to today: choose a day up to %(today)s.")
                    % {"today": date_format(today, "DATE_FORMAT")},
                )
        start, end = data.get("start"), data.get("end")
        if start and end and (problem := period_problem(start, end)):
            self.add_error("end", problem)
        return data

    def clean_notes(self):
        # A disabled field keeps its initial value whatever is posted; a refusal is still said, so a
        # tampered post is not silently taken for something else.
        field = self.fields["notes"]
        asked = field.widget.value_from_datadict(self.data, self.files, self.add_prefix("notes"))
        if self.may_include_notes is False and asked:
            raise forms.ValidationError(_("Notes are printed only for people who may see sensitive details."))
        return bool(self.cleaned_data.get("notes"))

    def parameters(self) -> dict:
        """The valid answers as plain values: the job's parameters, and the page's address after asking."""
        return {
            "start": self.cleaned_data["start"].isoformat(),
            "end": self.cleaned_data["end"].isoformat(),
            "notes": self.cleaned_data["notes"],
        }

    @classmethod
    def default_period(cls, *, start: date, today: date) -> dict:
        return {"start": start.isoformat(), "end": today.isoformat()}


class ServiceReportForm(PeriodForm):
    """One case's report: the period, whom it is for, and whether notes are printed."""

    audience = forms.ChoiceField(
        label=_("Who is it for?"),
        choices=Audience.choices,
        initial=Audience.INTERNAL,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who the report is for."), "invalid_choice": _("Choose one of these.")},
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Choose an organization"),
        help_text=_(
            "For an organization, the survivor's name, birth date and contact details are printed only under an "
            "active release of information that covers it; otherwise only the client code."
        ),
        error_messages={"invalid_choice": _("There is no such organization. Choose one from the directory.")},
    )

    language = forms.ChoiceField(
        label=_("Language of the survivor's copy"),
        choices=(),
        required=False,
        help_text=_("The survivor's preferred language is chosen when Bloom has it. Other copies are in yours."),
        error_messages={"invalid_choice": _("Choose one of these languages.")},
    )

    field_order = ("start", "end", "audience", "organization", "language", "notes")

    def __init__(self, data=None, *, case: Case | None = None, notice_url: str = "", **kwargs):
        """``case``: the case the report is about, to say whether a release covers the organization
        chosen; None where it is not known yet (the worker checks again). ``notice_url``: where the
        page asks, as soon as an organization is chosen, whether it may be told who the survivor is."""
        super().__init__(data, **kwargs)
        self.case = case
        self.fields["language"].choices = [(code, own_name(code)) for code, _name in settings.LANGUAGES]
        if case is not None and not self.is_bound:
            self.fields["language"].initial = printout_language(case.survivor.preferred_language)
        if not self.fields["notes"].disabled:
            self.fields["notes"].help_text = _(
                "Contact, referral and housing notes, what payments were for, and goals in the survivor's own "
                "words. Only on an internal copy, for people who may see sensitive details."
            )
        # Why only the client code will be printed for the organization chosen; None otherwise.
        self.withheld: str | None = None
        # Only organizations in the directory, as referrals and releases name them.
        self.fields["organization"].queryset = Organization.objects.filter(is_active=True).order_by("name")
        if notice_url:
            asks = {
                "hx-get": notice_url,
                "hx-trigger": "change",
                "hx-target": "#release-notice",
                "hx-swap": "outerHTML",
                "hx-include": "[name='audience']:checked, [name='organization']",
                # Choosing the audience then the organization quickly: only the latest answer counts.
                "hx-sync": "closest form:replace",
            }
            self.fields["audience"].widget.attrs.update(asks)
            self.fields["organization"].widget.attrs.update(asks)

    def clean(self):
        data = super().clean()
        organization = data.get("organization")
        if data.get("audience") != Audience.ORGANIZATION:
            data["organization"] = None  # chosen, then another audience picked: it is for no organization
        elif not organization:
            if "organization" not in self.errors:
                self.add_error("organization", _("Choose the organization the report is for."))
        elif self.case is not None:
            self.withheld = withheld_from(self.case, organization, on=timezone.localdate())
        if data.get("notes") and data.get("audience") == Audience.ORGANIZATION:
            self.add_error(
                "notes",
                _(
                    "Notes are never printed for an organization: a release of information does not cover what "
                    "staff write. Untick “Include notes”, or choose internal use."
                ),
            )
        elif data.get("notes") and data.get("audience") == Audience.SURVIVOR:
            self.add_error(
                "notes", _("Staff notes are not part of the survivor's copy. Untick “Include notes” to print it.")
            )
        return data

    def parameters(self) -> dict:
        organization = self.cleaned_data["organization"]
        return {
            **super().parameters(),
            "audience": self.cleaned_data["audience"],
            "organization": organization.pk if organization else "",
            # Only the survivor's own copy is printed in a language chosen here.
            "language": self.cleaned_data["language"] if self.cleaned_data["audience"] == Audience.SURVIVOR else "",
        }


class TeamServiceReportForm(PeriodForm):
    """A team's report, one page per case, for internal use: the period and whether notes are printed."""


def default_start(today: date, *, opened_on: date | None = None) -> date:
    """Where the form's period starts unless chosen: three months back, or the case's intake if later."""
    start = today - timedelta(days=91)
    return max(start, opened_on) if opened_on else start
