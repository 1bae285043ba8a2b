from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bloom.accounts.models import Team, User
from bloom.directory.models import Organization
from cases.forms.intake import DateInput, check_not_future, specialists_in
from cases.models import Case, Closure, ClosureReason, ImmigrationRelief
from cases.permissions import teams_for

NOTE_LENGTH = 5000


class ClosureRequestForm(forms.ModelForm):
    """What funders ask at closure, and why the case is closing; sent to a supervisor to approve."""

    class Meta:
        model = Closure
        fields = (
            "reason", "reason_note", "closed_on", "living_situation", "immigration_relief", "hhs_certification",
            "continued_care", "continued_care_organization", "note",
        )  # fmt: skip
        widgets = {
            "closed_on": DateInput(),
            "reason_note": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "reason_note": _("Needed when the reason is “Other”."),
            "continued_care_organization": _("Only when the survivor was referred for continued care."),
            "note": _("What the supervisor should know: where things stand and what was agreed with the survivor."),
        }

    def __init__(self, *args, case: Case, sensitive_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        if not sensitive_allowed:
            # Continued Presence and T visas tell of immigration status.
            del self.fields["immigration_relief"]
        self.fields["closed_on"].initial = timezone.localdate
        self.fields["reason"].choices = [("", "—"), *ClosureReason.choices]
        self.fields["continued_care_organization"].queryset = Organization.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.continued_care_organization_id)
        )
        for name in ("reason_note", "note"):
            self.fields[name].max_length = NOTE_LENGTH
            self.fields[name].widget.attrs["maxlength"] = NOTE_LENGTH

    def clean(self):
        cleaned = super().clean()
        check_not_future(self, "closed_on", _("The closing date cannot be in the future."))
        closed_on = cleaned.get("closed_on")
        earliest = self.earliest()
        if closed_on and closed_on < earliest:
            self.add_error(
                "closed_on",
                _("The closing date cannot come before %(date)s, when the case was opened.")
                % {"date": date_format(earliest)},
            )
        if cleaned.get("reason") == ClosureReason.OTHER and not (cleaned.get("reason_note") or "").strip():
            self.add_error("reason_note", _("Say what the other reason is."))
        if cleaned.get("continued_care_organization") and not cleaned.get("continued_care"):
            self.add_error(
                "continued_care_organization",
                _("Name an organization for continued care only when the survivor was referred for it."),
            )
        return cleaned

    def earliest(self):
        return max(day for day in (self.case.opened_on, self.case.decided_on, self.case.reopened_on) if day)

    def answers(self) -> dict:
        answers = {name: self.cleaned_data[name] for name in self.fields}
        answers.setdefault("immigration_relief", ImmigrationRelief.UNKNOWN)
        return answers


class ClosureDecisionForm(forms.Form):
    APPROVE = "approve"
    RETURN = "return"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve: close the case")), (RETURN, _("Return for changes"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note on the decision"),
        required=False,
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you return it: say what should change."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Say what should change before the case can be closed."))
        return cleaned


class ReenrollForm(forms.Form):
    """A survivor who returns after their case closed: a new enrollment, and who will work with them."""

    on = forms.DateField(label=_("Enrolled again on"), widget=DateInput(), initial=timezone.localdate)
    team = forms.ModelChoiceField(queryset=Team.objects.none(), label=_("Team"))
    specialists = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label=_("Assigned specialists"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only members of the chosen team can be assigned."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the survivor came back, in a few words, if they want it written down."),
    )

    def __init__(self, *args, user: User, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        teams = teams_for(user)
        self.fields["team"].queryset = teams
        self.fields["specialists"].queryset = specialists_in(teams)
        if teams.filter(pk=case.team_id).exists():
            self.initial.setdefault("team", case.team_id)

    def clean(self):
        cleaned = super().clean()
        check_not_future(self, "on", _("The enrollment date cannot be in the future."))
        on = cleaned.get("on")
        if on and self.case.closed_on and on < self.case.closed_on:
            self.add_error(
                "on",
                _("The new enrollment cannot start before the earlier case closed (%(date)s).")
                % {"date": date_format(self.case.closed_on)},
            )
        return cleaned
