"""Forms for the case plan: starting it, asking to move forward, signing off, moving back.

The rules that depend on the plan's state (the last phase, a review already waiting, the
person who asked) live in ``phases.services.journey``; the views show its message next
to the field it concerns. The forms check what they can see on their own, so that every
mistake is shown at once.
"""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bloom.translated import LocalModelChoiceField, local
from cases.forms.intake import DateInput, check_not_future
from cases.models import Case
from phases.models import LONGEST_PLAN_MONTHS, SHORTEST_PLAN_MONTHS, CasePlan, Phase, PhaseStay, PhaseTemplate
from phases.services.journey import LONGEST_NOTE, earliest_start


def _note(label, *, required=True, help_text="", rows=4, missing=None):
    return forms.CharField(
        label=label,
        required=required,
        error_messages={"required": missing} if missing else None,
        max_length=LONGEST_NOTE,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": LONGEST_NOTE}),
    )


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.in_use:
            return _("%(name)s (in use for new case plans)") % {"name": local(obj, "name")}
        return local(obj, "name")


class StartPlanForm(forms.Form):
    template = TemplateChoiceField(
        queryset=PhaseTemplate.objects.none(),
        label=_("Phase template"),
        empty_label=None,
        help_text=_("The phases the survivor's plan will follow. The program's usual one is chosen for you."),
    )
    started_on = forms.DateField(label=_("The plan starts on"), widget=DateInput(), initial=timezone.localdate)
    expected_months = forms.IntegerField(
        label=_("Expected length in months"),
        initial=SHORTEST_PLAN_MONTHS,
        validators=[MinValueValidator(SHORTEST_PLAN_MONTHS), MaxValueValidator(LONGEST_PLAN_MONTHS)],
        error_messages={
            "min_value": _("The program is designed to take at least a year: give at least 12 months."),
            "max_value": _("A case plan can be expected to take at most 60 months."),
        },
        help_text=_("The program is designed to take at least a year. It can take longer; nobody is rushed."),
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "min": SHORTEST_PLAN_MONTHS, "max": LONGEST_PLAN_MONTHS}
        ),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        templates = PhaseTemplate.objects.filter(phases__isnull=False).distinct().order_by("-in_use", "name")
        self.fields["template"].queryset = templates
        in_use = next((t for t in templates if t.in_use), None)
        if in_use is not None:
            self.initial.setdefault("template", in_use.pk)

    def clean(self):
        cleaned = super().clean()
        check_not_future(self, "started_on", _("The plan cannot start in the future."))
        started_on = cleaned.get("started_on")
        earliest = earliest_start(self.case)
        if started_on and started_on < earliest:
            self.add_error(
                "started_on",
                _("The plan cannot start before %(date)s, when the case was opened.") % {"date": date_format(earliest)},
            )
        return cleaned


class MoveForwardForm(forms.Form):
    """The review before moving on: the phase's checklist, the specialist's note, the survivor's view."""

    checklist = forms.TypedMultipleChoiceField(
        label=_("Checklist"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick what is done. Items left unticked are fine; say why in your note."),
    )
    specialist_note = _note(
        _("Your note"),
        help_text=_("How this phase went, what is settled, and what still needs work."),
        missing=_("Write your note on how this phase went."),
    )
    survivor_view = _note(
        _("The survivor's own view"),
        help_text=_("In the survivor's words: how they feel about moving on."),
        missing=_("Write the survivor's own view, in their words."),
    )
    move_on = forms.DateField(label=_("Move on"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, current: PhaseStay, to_phase: Phase, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        self.items = list(current.phase.checklist)
        # Ticked by position: the items are shown in the reader's language, answered as the English.
        self.fields["checklist"].choices = list(enumerate(current.phase.local("checklist")))
        self.fields["checklist"].label = _("Checklist for %(phase)s") % {"phase": current.phase.local("name")}
        if not self.items:
            del self.fields["checklist"]
        self.fields["move_on"].label = _("Move to %(phase)s on") % {"phase": to_phase.local("name")}

    def clean(self):
        cleaned = super().clean()
        check_not_future(self, "move_on", _("The move cannot be dated in the future."))
        move_on = cleaned.get("move_on")
        if move_on and move_on < self.current.entered_on:
            self.add_error(
                "move_on",
                _("The move cannot come before %(date)s, when the current phase began.")
                % {"date": date_format(self.current.entered_on)},
            )
        if "specialist_note" in self.errors and len(self.done()) != sum(self.done()):
            self.errors["specialist_note"] = self.error_class(
                [_("Some checklist items are not ticked: say why in your note.")]
            )
        return cleaned

    def done(self) -> list[bool]:
        """For each checklist item, in order, whether it was ticked."""
        ticked = set(self.cleaned_data.get("checklist") or [])
        return [index in ticked for index in range(len(self.items))]


class DecisionForm(forms.Form):
    SIGN_OFF = "sign off"
    RETURN = "return"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(SIGN_OFF, _("Sign off: the survivor moves on")), (RETURN, _("Return for changes"))],
        widget=forms.RadioSelect,
    )
    note = _note(
        _("Note on the decision"),
        required=False,
        rows=3,
        help_text=_("Needed when you return it: say what should change."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Say what should change before the move can be signed off."))
        return cleaned


class MoveBackForm(forms.Form):
    phase = LocalModelChoiceField(
        queryset=Phase.objects.none(), label=_("Move back to"), empty_label=None, widget=forms.RadioSelect
    )
    moved_on = forms.DateField(label=_("From"), widget=DateInput(), initial=timezone.localdate)
    reason = _note(
        _("Reason"),
        help_text=_("Why, in plain words: what changed in the survivor's life. The journey shows it as it is."),
        rows=3,
        missing=_("Say why the survivor is going back to an earlier phase."),
    )

    def __init__(self, *args, plan: CasePlan, current: PhaseStay, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        earlier = plan.template.phases.filter(position__lt=current.phase.position).order_by("position")
        self.fields["phase"].queryset = earlier
        last = earlier.last()
        if last is not None:
            self.initial.setdefault("phase", last.pk)

    def clean(self):
        cleaned = super().clean()
        check_not_future(self, "moved_on", _("The move cannot be dated in the future."))
        moved_on = cleaned.get("moved_on")
        if moved_on and moved_on < self.current.entered_on:
            self.add_error(
                "moved_on",
                _("The move cannot come before %(date)s, when the current phase began.")
                % {"date": date_format(self.current.entered_on)},
            )
        return cleaned
