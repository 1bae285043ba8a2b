"""Forms for the program's phase templates: a new one (from a copy), and changing one with its phases.

The phases are a formset: each row a phase (its name, purpose, suggested goal areas,
expected months and review checklist, one item per line), ordered by the number typed in
"Order", removed by ticking "Remove", added in the blank row.

Beside each name, purpose, description and checklist is a field for each other language
(``bloom.translated``). A template case plans follow keeps its English as it is; its page
then offers the other languages alone (``translation_forms``).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from bloom import translated
from phases.models import LONGEST_PLAN_MONTHS, GoalDomain, Phase, PhaseTemplate
from phases.services.templates import (
    LONGEST_CHECKLIST_ITEM,
    LONGEST_DESCRIPTION,
    LONGEST_PURPOSE,
    MOST_CHECKLIST_ITEMS,
    MOST_PHASES,
    PhaseSpec,
    translation_problems,
)

NAME_LENGTH = 100
# Room for a full checklist: every item at its longest, one per line.
CHECKLIST_LENGTH = MOST_CHECKLIST_ITEMS * (LONGEST_CHECKLIST_ITEM + 2)


def _name_field(label):
    return forms.CharField(
        label=label, max_length=NAME_LENGTH, widget=forms.TextInput(attrs={"maxlength": NAME_LENGTH})
    )


def _description_field():
    return forms.CharField(
        label=_("Description"),
        required=False,
        max_length=LONGEST_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": LONGEST_DESCRIPTION}),
        help_text=_("Who this template is for, in a sentence or two."),
    )


class _TemplateNameMixin:
    exclude_pk: int | None = None

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = PhaseTemplate.objects.filter(name__iexact=name)
        if self.exclude_pk is not None:
            others = others.exclude(pk=self.exclude_pk)
        if others.exists():
            raise forms.ValidationError(_("Another template already has this name. Choose another."))
        return name


class NewTemplateForm(_TemplateNameMixin, forms.Form):
    """A new template starts as a copy of an existing one, then is changed."""

    source = translated.LocalModelChoiceField(
        queryset=PhaseTemplate.objects.none(),
        label=_("Start from a copy of"),
        empty_label=None,
        help_text=_("Its phases are copied; you change them on the next page."),
    )
    name = _name_field(_("Name of the new template"))
    description = _description_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = PhaseTemplate.objects.order_by("-in_use", "name")


class _Translations(translated.TranslatedFormMixin):
    """The fields for the other languages, and their faults shown beside them (the service's rules)."""

    def clean(self):
        cleaned = super().clean()
        english = {name: cleaned[name] for name in self.translated_fields if name in cleaned}
        for field, message in translation_problems(self.translations(), english).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def english_only(self) -> None:
        """Keep the English as it is (a template case plans follow): only the other languages can change."""
        others = {
            translated.field_name(name, code)
            for name in self.translated_fields
            for code, _own in translated.other_languages()
        }
        for name, field in self.fields.items():
            if name not in others:
                field.disabled = True


class TemplateForm(_TemplateNameMixin, _Translations, forms.Form):
    translated_fields = ("name", "description")

    name = _name_field(_("Name"))
    description = _description_field()

    def __init__(self, *args, template: PhaseTemplate, **kwargs):
        self.exclude_pk = template.pk
        super().__init__(*args, **kwargs)


class PhaseForm(_Translations, forms.Form):
    translated_fields = ("name", "purpose", "checklist")
    translated_lines = ("checklist",)

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    position = forms.IntegerField(
        label=_("Order"),
        required=False,
        min_value=1,
        max_value=99,
        help_text=_("1 is the first phase. Left empty, the phase goes last."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": 99}),
    )
    name = _name_field(_("Phase name"))
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=LONGEST_PURPOSE,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": LONGEST_PURPOSE}),
    )
    suggested_domains = forms.MultipleChoiceField(
        label=_("Suggested goal areas"),
        required=False,
        choices=GoalDomain.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    expected_months = forms.IntegerField(
        label=_("Expected months"),
        min_value=1,
        max_value=LONGEST_PLAN_MONTHS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": LONGEST_PLAN_MONTHS}),
    )
    checklist = forms.CharField(
        label=_("Review checklist"),
        required=False,
        max_length=CHECKLIST_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": CHECKLIST_LENGTH}),
        help_text=_("One item per line: what the review before leaving this phase goes through."),
    )

    def clean_checklist(self) -> list[str]:
        items = [line.strip() for line in self.cleaned_data["checklist"].splitlines() if line.strip()]
        if len(items) > MOST_CHECKLIST_ITEMS:
            raise forms.ValidationError(
                _("Keep the checklist to %(most)s items or fewer.") % {"most": MOST_CHECKLIST_ITEMS}
            )
        if any(len(item) > LONGEST_CHECKLIST_ITEM for item in items):
            raise forms.ValidationError(
                _("Keep each item to %(length)s characters or fewer.") % {"length": LONGEST_CHECKLIST_ITEM}
            )
        return items

    @staticmethod
    def initial_from(phase: Phase) -> dict:
        return {
            "id": phase.pk,
            "position": phase.position,
            "name": phase.name,
            "purpose": phase.purpose,
            "suggested_domains": list(phase.suggested_domains),
            "expected_months": phase.expected_months,
            "checklist": "\n".join(phase.checklist),
            "translations": phase.translations,
            # Not a field: the phase's name in the reader's language, for the row's heading.
            "heading": phase.local("name"),
        }


class BasePhaseFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this phase")

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = self.kept()
        if not kept:
            raise forms.ValidationError(_("A template needs at least one phase."))
        names = [form.cleaned_data["name"].strip().casefold() for form in kept]
        for form, name in zip(kept, names, strict=True):
            if names.count(name) > 1:
                form.add_error("name", _("Two phases have this name. Give each phase its own name."))
        for code, _own in translated.other_languages():
            field = translated.field_name("name", code)
            names = [form.cleaned_data.get(field, "").strip().casefold() for form in kept]
            for form, name in zip(kept, names, strict=True):
                if name and names.count(name) > 1:
                    form.add_error(field, _("Two phases have this name. Give each phase its own name."))

    def kept(self) -> list[PhaseForm]:
        """The rows that stay, in the order asked for (rows without a number last, as they came).

        A row for an existing phase stays unless "Remove" is ticked; a blank row left as it
        was adds nothing.
        """
        rows = [
            (index, form)
            for index, form in enumerate(self.forms)
            if form.cleaned_data
            and (form.cleaned_data.get("id") is not None or form.has_changed())
            and not self._should_delete_form(form)
        ]
        rows.sort(key=lambda pair: (pair[1].cleaned_data.get("position") or 100, pair[0]))
        return [form for _index, form in rows]

    def specs(self) -> list[PhaseSpec]:
        return [
            PhaseSpec(
                id=form.cleaned_data.get("id"),
                name=form.cleaned_data["name"],
                purpose=form.cleaned_data["purpose"],
                expected_months=form.cleaned_data["expected_months"],
                suggested_domains=form.cleaned_data["suggested_domains"],
                checklist=form.cleaned_data["checklist"],
                translations=form.translations(),
            )
            for form in self.kept()
        ]

    def translations(self) -> dict[int, dict]:
        """Each existing phase's words in the other languages, by its id (for a template case plans follow)."""
        return {form.cleaned_data["id"]: form.translations() for form in self.forms if form.cleaned_data.get("id")}


PhaseFormSet = forms.formset_factory(
    PhaseForm,
    formset=BasePhaseFormSet,
    extra=1,
    can_delete=True,
    max_num=MOST_PHASES,
    validate_max=True,
    absolute_max=MOST_PHASES + 5,
)
PHASES_PREFIX = "phases"


# A template case plans follow: its phases as they are, each with its other languages to write.
TranslationFormSet = forms.formset_factory(PhaseForm, formset=BasePhaseFormSet, extra=0, max_num=MOST_PHASES)


def phase_formset(data, template: PhaseTemplate) -> BasePhaseFormSet:
    initial = [PhaseForm.initial_from(phase) for phase in template.phases.order_by("position")]
    return PhaseFormSet(data, initial=initial, prefix=PHASES_PREFIX)


def template_initial(template: PhaseTemplate) -> dict:
    return {"name": template.name, "description": template.description, "translations": template.translations}


def translation_forms(data, template: PhaseTemplate) -> tuple[TemplateForm, BasePhaseFormSet]:
    """The template's and its phases' forms with the English kept as it is: only the other languages change."""
    form = TemplateForm(data, template=template, initial=template_initial(template))
    form.english_only()
    initial = [PhaseForm.initial_from(phase) for phase in template.phases.order_by("position")]
    formset = TranslationFormSet(data, initial=initial, prefix=PHASES_PREFIX)
    for phase_form in formset.forms:
        phase_form.english_only()
    return form, formset
