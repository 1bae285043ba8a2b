"""Forms for goals in the survivor's own words, their status, action steps and progress notes.

The rules that depend on the case (not before the case opened, not in the future, the
status flow, a partner's name) live in ``phases.services.goals``; the views show the
service's message next to its field.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bloom.translated import LocalModelChoiceField
from cases.forms import DateInput
from phases.models import ActionStep, Goal, GoalDomain
from phases.services.goals import (
    LONGEST_NOTE,
    LONGEST_PARTNER,
    LONGEST_STEP,
    LONGEST_SUMMARY,
    LONGEST_WORDS,
    STARTING_STATUSES,
    allowed_statuses,
    plan_phases,
)


class GoalForm(forms.Form):
    """A goal as the survivor says it. Give ``case`` (for its plan's phases); ``new`` asks the starting status."""

    in_own_words = forms.CharField(
        label=_("The goal in the survivor's own words"),
        max_length=LONGEST_WORDS,
        help_text=_("Write it as the survivor says it."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    staff_summary = forms.CharField(
        label=_("Staff summary"),
        required=False,
        max_length=LONGEST_SUMMARY,
        help_text=_("A few words for the team, if it helps. The survivor's words come first."),
    )
    domain = forms.ChoiceField(label=_("Area of life"), choices=[("", "—"), *GoalDomain.choices])
    phase = LocalModelChoiceField(label=_("Phase"), queryset=None, required=False, empty_label=_("Not tied to a phase"))
    target_on = forms.DateField(label=_("Target date"), required=False, widget=DateInput())
    priority = forms.TypedChoiceField(
        label=_("How important is it to the survivor now?"),
        choices=Goal.Priority.choices,
        coerce=int,
        initial=Goal.Priority.SOON,
        widget=forms.RadioSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(status, Goal.Status(status).label) for status in STARTING_STATUSES],
        initial=Goal.Status.NOT_STARTED,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, case, new: bool, **kwargs):
        super().__init__(*args, **kwargs)
        phases = plan_phases(case)
        if phases.exists():
            self.fields["phase"].queryset = phases
        else:
            del self.fields["phase"]  # no case plan yet: nothing to choose
        if not new:
            del self.fields["status"]  # a goal's status changes on its own page, along the flow

    @classmethod
    def initial_from(cls, goal: Goal) -> dict:
        return {
            "in_own_words": goal.in_own_words,
            "staff_summary": goal.staff_summary,
            "domain": goal.domain,
            "phase": goal.phase_id,
            "target_on": goal.target_on,
            "priority": goal.priority,
        }

    def values(self) -> dict:
        """What the services take: a missing phase field means no phase."""
        return {"phase": None, **self.cleaned_data}


class GoalStatusForm(forms.Form):
    """Move a goal along its status flow, with an optional progress note.

    Any status is accepted here; ``services.change_goal_status`` decides, so the rule
    and its message are in one place. The choices shown are those the flow allows.
    """

    status = forms.ChoiceField(label=_("New status"), choices=Goal.Status.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Progress note"),
        required=False,
        max_length=LONGEST_NOTE,
        help_text=_("Optional: what happened, in plain words. It is saved with the goal's progress notes."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, goal: Goal, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = allowed_statuses(goal)
        self.fields["status"].widget.choices = [(s, Goal.Status(s).label) for s in allowed]
        if len(allowed) == 1:
            self.fields["status"].initial = allowed[0]


class StepForm(forms.Form):
    description = forms.CharField(
        label=_("Step"),
        max_length=LONGEST_STEP,
        help_text=_("One thing to do, in plain words."),
    )
    owner = forms.ChoiceField(
        label=_("Who does it"),
        choices=ActionStep.Owner.choices,
        initial=ActionStep.Owner.SURVIVOR,
        widget=forms.RadioSelect,
    )
    partner = forms.CharField(
        label=_("Partner"),
        required=False,
        max_length=LONGEST_PARTNER,
        help_text=_("When a partner does it: the organization or person."),
    )
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    done_on = forms.DateField(
        label=_("Done on"), required=False, help_text=_("Fill in when the step is done."), widget=DateInput()
    )

    @classmethod
    def initial_from(cls, step: ActionStep) -> dict:
        return {name: getattr(step, name) for name in cls.base_fields}


class GoalNoteForm(forms.Form):
    written_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput())
    note = forms.CharField(
        label=_("Progress note"),
        max_length=LONGEST_NOTE,
        help_text=_("How it is going, in plain words. Keep the survivor's own words where you can."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
