"""The safety plan form: the plan's own fields and three lists of rows (risks, safe people, safe places).

A new version starts from the current one, so a review changes only what changed. Rows
left empty are ignored, whether they were blank extra rows or rows the person cleared to
take something off the plan. The rules are the service's (``cases.services.safety``), run
here first so each message sits beside its field and nothing typed is lost.
"""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from bloom.vocabulary import ControlMethod
from cases.forms.intake import DateInput
from cases.models import SAFETY_NUMBERS, TRAFFICKER_RISKS, Case, EmergencyNumber, RiskKind, RiskSource, SafetyPlan
from cases.services import safety as rules

# Rows per list: more than anyone plans at once, few enough to keep the page usable.
MOST_ROWS = 20
# Blank rows offered below the filled ones.
SPARE_ROWS = 1
# A first plan is reviewed in about three months unless the person chooses otherwise.
FIRST_REVIEW_DAYS = 90

KIND_CHOICES = [
    ("", "—"),
    (RiskSource.TRAFFICKER.label, [(kind, RiskKind(kind).label) for kind in TRAFFICKER_RISKS]),
    (RiskSource.LIFE.label, [(kind, label) for kind, label in RiskKind.choices if kind not in TRAFFICKER_RISKS]),
]


def _text(label, name, *, required_message=None, rows=None, help_text="") -> forms.CharField:
    """A text field capped at the service's limit; required when given the message to show."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        required=required_message is not None,
        max_length=rules.LONGEST[name],
        widget=widget,
        help_text=help_text,
        error_messages={"required": required_message} if required_message else None,
    )


class RiskForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Where the risk comes from"),
        choices=RiskSource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where the risk comes from.")},
    )
    kind = forms.ChoiceField(label=_("Risk"), choices=KIND_CHOICES, error_messages={"required": _("Choose the risk.")})
    methods = forms.MultipleChoiceField(
        label=_("Methods of control"),
        choices=ControlMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for a risk from the trafficker."),
    )
    description = _text(_("In the survivor's words"), "description", rows=2)
    strategies = _text(
        _("Strategies agreed"),
        "strategies",
        rows=3,
        required_message=_("Write the strategies agreed against this risk."),
        help_text=_("What the survivor will do, and what staff will do, if this happens."),
    )

    def clean_methods(self):
        return rules.in_list_order(self.cleaned_data["methods"], ControlMethod)

    def clean(self):
        cleaned = super().clean()
        if {"source", "kind", "methods", "strategies"} <= set(cleaned):
            problems = rules.risk_problems(
                source=cleaned["source"],
                kind=cleaned["kind"],
                methods=cleaned["methods"],
                strategies=cleaned["strategies"],
            )
            for name, message in problems.items():
                self.add_error(name, message)
        return cleaned

    @staticmethod
    def initial_from(risk) -> dict:
        return {name: getattr(risk, name) for name in ("source", "kind", "methods", "description", "strategies")}


class SafePersonForm(forms.Form):
    name = _text(_("Name"), "name", required_message=_("Give their name."))
    relationship = _text(_("Who they are"), "relationship", help_text=_("A friend, a relative, an advocate…"))
    phone = _text(_("Phone"), "phone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.input_type = "tel"

    @staticmethod
    def initial_from(person) -> dict:
        return {name: getattr(person, name) for name in ("name", "relationship", "phone")}


class SafePlaceForm(forms.Form):
    place = _text(_("Place"), "place", required_message=_("Say which place."))
    note = _text(_("How to get there, when it is open"), "note")

    @staticmethod
    def initial_from(place) -> dict:
        return {name: getattr(place, name) for name in ("place", "note")}


class RowFormSet(forms.BaseFormSet):
    """Rows where an empty one is simply not part of the plan, even one that was filled before."""

    def _construct_form(self, i, **kwargs):
        # Bound rows carry no initial values (see SafetyPlanForms), so a row "has changed"
        # exactly when something is typed in it; an untouched or cleared row is skipped.
        return super()._construct_form(i, empty_permitted=True, **kwargs)

    def rows(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data]


def _rows(form):
    return forms.formset_factory(
        form,
        formset=RowFormSet,
        extra=SPARE_ROWS,
        max_num=MOST_ROWS,
        absolute_max=MOST_ROWS,
        validate_max=True,
    )


RiskFormSet = _rows(RiskForm)
SafePersonFormSet = _rows(SafePersonForm)
SafePlaceFormSet = _rows(SafePlaceForm)


class SafetyPlanForm(forms.Form):
    code_word = _text(
        _("Code word"),
        "code_word",
        help_text=_("A word or phrase the survivor can say or text to ask for help without saying why."),
    )
    emergency_numbers = forms.MultipleChoiceField(
        label=_("Emergency numbers"),
        choices=[(number, format_lazy("{}: {}", number.label, SAFETY_NUMBERS[number])) for number in EmergencyNumber],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    documents_kept = _text(
        _("Where documents are kept safely"),
        "documents_kept",
        rows=2,
        help_text=_("Identity papers, immigration documents, copies: where they are and who holds them."),
    )
    review_on = forms.DateField(
        label=_("Review by"),
        widget=DateInput(),
        help_text=_("Within a year. The assigned specialists are reminded a week before."),
        error_messages={"required": _("Choose when the plan will be reviewed.")},
    )
    staff_note = _text(_("Note for staff"), "staff_note", rows=3, help_text=_("Never printed for the survivor."))

    def clean_review_on(self):
        review_on = self.cleaned_data["review_on"]
        problem = rules.review_date_problem(review_on, today=timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return review_on

    def clean_emergency_numbers(self):
        return rules.in_list_order(self.cleaned_data["emergency_numbers"], EmergencyNumber)


class SafetyPlanForms:
    """The plan's form and its three lists, validated and shown together.

    Unbound, they start from ``current`` (the latest version) or, for a first plan, from the
    default numbers and a review date about three months ahead. Bound, the rows take no
    initial values, so an empty row is ignored.
    """

    LISTS = (("risks", RiskFormSet), ("people", SafePersonFormSet), ("places", SafePlaceFormSet))

    def __init__(self, data=None, *, case: Case, current: SafetyPlan | None = None, initial: dict | None = None):
        initial = initial if initial is not None else self.initial_from(case, current)
        self.plan = SafetyPlanForm(data, initial=None if data is not None else initial["plan"])
        self.lists = {}
        for prefix, formset in self.LISTS:
            rows = None if data is not None else initial[prefix]
            self.lists[prefix] = formset(data, prefix=prefix, initial=rows)
        self.risks, self.people, self.places = self.lists["risks"], self.lists["people"], self.lists["places"]

    @classmethod
    def initial_from(cls, case: Case, current: SafetyPlan | None) -> dict:
        today = timezone.localdate()
        if current is None:
            plan = {"emergency_numbers": rules.default_numbers(case)}
            rows = {prefix: [] for prefix, _formset in cls.LISTS}
        else:
            plan = {name: getattr(current, name) for name in ("code_word", "emergency_numbers", "documents_kept",
                                                               "staff_note")}  # fmt: skip
            rows = {
                "risks": [RiskForm.initial_from(risk) for risk in current.risks.all()],
                "people": [SafePersonForm.initial_from(person) for person in current.safe_people.all()],
                "places": [SafePlaceForm.initial_from(place) for place in current.safe_places.all()],
            }
        # A review date still well ahead is kept; one near or past is what this review is for.
        kept = current is not None and not rules.review_due(current, today=today)
        plan["review_on"] = current.review_on if kept else today + timedelta(days=FIRST_REVIEW_DAYS)
        return {"plan": plan, **rows}

    @classmethod
    def with_another_row(cls, data, *, case: Case, prefix: str) -> "SafetyPlanForms":
        """Unbound forms holding what was posted, with one more blank row in list ``prefix``.

        For the "add a row" buttons: nothing is validated or saved, and no message shows yet.
        """
        plan = {
            name: field.widget.value_from_datadict(data, {}, name) for name, field in SafetyPlanForm.base_fields.items()
        }
        rows = {
            name: [
                {
                    field_name: field.widget.value_from_datadict(data, {}, f"{name}-{index}-{field_name}")
                    for field_name, field in formset.form.base_fields.items()
                }
                for index in range(_posted_count(data, name))
            ]
            for name, formset in cls.LISTS
        }
        forms_ = cls(case=case, initial={"plan": plan, **rows})
        for name, formset in forms_.lists.items():
            formset.extra = 1 if name == prefix else 0
        return forms_

    def is_valid(self) -> bool:
        # A list, so every form is validated and each shows its own messages at once.
        valid = all([self.plan.is_valid(), *[formset.is_valid() for formset in self.lists.values()]])
        if valid and not self.has_content():
            self.plan.add_error(None, str(rules.EMPTY_PLAN))
            return False
        return valid

    def has_content(self) -> bool:
        data = self.plan.cleaned_data
        rows = any(formset.rows() for formset in self.lists.values())
        return bool(rows or data.get("code_word") or data.get("documents_kept"))

    def values(self) -> dict:
        """What ``services.safety.save_safety_plan`` takes, from the valid forms."""
        return {
            **self.plan.cleaned_data,
            "risks": self.risks.rows(),
            "people": self.people.rows(),
            "places": self.places.rows(),
        }

    @property
    def has_errors(self) -> bool:
        return self.plan.is_bound and (
            bool(self.plan.errors) or any(formset.total_error_count() for formset in self.lists.values())
        )

    def non_form_errors(self) -> list[str]:
        errors = list(self.plan.non_field_errors())
        for formset in self.lists.values():
            errors += list(formset.non_form_errors())
        return errors


def _posted_count(data, prefix: str) -> int:
    try:
        count = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        return 0
    return max(0, min(count, MOST_ROWS))
