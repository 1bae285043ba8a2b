"""Forms for curricula, trainers, events, surveys (typed in from paper, or answered through the
link) and the results' period.

The paper survey is typed in with the keyboard alone: one small box per item, in the order
of the printed page, so that a score and Tab move on to the next. The link's survey is
answered on a phone: a row of large buttons per item. Both check each score against its
item's scale and keep what was typed when something is refused.
"""

from datetime import date, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bloom import translated
from bloom.directory.models import Organization, Town
from bloom.forms import DateInput, TimeInput, day_problem
from training.models import (
    Audience,
    Certification,
    Curriculum,
    Experience,
    FieldOfWork,
    Position,
    SurveyInstrument,
    SurveyResponse,
    Trainer,
    default_survey_close,
)
from training.services import CURRICULUM_FIELDS, TRAINER_FIELDS, EventDetails, Trainee, translation_problems

NUMBER = {"inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "off"}
NOT_SAID = [("", _("Not given"))]


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _checked_day(form: forms.Form, name: str) -> None:
    day = form.cleaned_data.get(name)
    if day and (problem := day_problem(day)):
        form.add_error(name, problem)


class CurriculumForm(translated.TranslatedFormMixin, forms.ModelForm):
    """A curriculum, with its name and description in each other language beside the English."""

    translated_fields = ("name", "description")

    class Meta:
        model = Curriculum
        fields = CURRICULUM_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "hours": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5", "min": "0.5"}),
            "sessions": forms.NumberInput(attrs={**NUMBER, "min": "1"}),
        }

    def validate_constraints(self):
        # Left to the service, which checks the length, the sessions and that the name and version
        # are new, and names the field it refuses: the model's constraints would say it above the form.
        return

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in CURRICULUM_FIELDS} | {"translations": self.translations()}


class CurriculumChoiceField(forms.ModelChoiceField):
    """A curriculum by its name in the reader's language and its version."""

    def label_from_instance(self, obj: Curriculum) -> str:
        return f"{obj.local('name')} ({obj.version})"


class TrainerForm(forms.ModelForm):
    class Meta:
        model = Trainer
        fields = TRAINER_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.order_by("name")
        self.fields["organization"].empty_label = _("Bloom's own staff")

    def details(self) -> dict:
        return {name: self.cleaned_data[name] for name in TRAINER_FIELDS}


class CertificationForm(forms.Form):
    curriculum = CurriculumChoiceField(label=_("Curriculum"), queryset=Curriculum.objects.all())
    kind = forms.ChoiceField(label=_("Certified as"), choices=Certification.Kind.choices, widget=forms.RadioSelect)
    certified_on = forms.DateField(label=_("Certified on"), widget=DateInput())
    expires_on = forms.DateField(label=_("Expires on"), widget=DateInput(), required=False)
    teach_back = forms.ChoiceField(label=_("Teach-back"), choices=Certification.TeachBack.choices, required=False)

    def clean(self):
        data = super().clean()
        _checked_day(self, "certified_on")
        _checked_day(self, "expires_on")
        return data


class EventForm(forms.Form):
    """An event on one or more consecutive days; the times are the first day's start and the last day's end."""

    # The service speaks of the event's start and end; this form has days and times.
    refusal_fields = {"starts_at": "starts", "ends_at": "ends", "survey_closes_at": "survey_closes_on"}

    curriculum = CurriculumChoiceField(label=_("Curriculum"), queryset=Curriculum.objects.none())
    day = forms.DateField(label=_("Date"), widget=DateInput())
    starts = forms.TimeField(label=_("Starts"), widget=TimeInput())
    last_day = forms.DateField(
        label=_("Last day"), widget=DateInput(), required=False, help_text=_("Only for a course over several days.")
    )
    ends = forms.TimeField(label=_("Ends"), widget=TimeInput())
    trainers = forms.ModelMultipleChoiceField(
        label=_("Trainers"), queryset=Trainer.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    host = forms.ModelChoiceField(
        label=_("Host organization"), queryset=Organization.objects.none(), required=False, empty_label=_("None")
    )
    town = forms.ModelChoiceField(label=_("Town"), queryset=Town.objects.none(), required=False)
    attendee_count = forms.IntegerField(
        label=_("Attendees"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs=NUMBER),
        help_text=_("How many came. Leave empty until it is known."),
    )
    fields_of_work = forms.MultipleChoiceField(
        label=_("Fields of work"), choices=FieldOfWork.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    positions = forms.CharField(
        label=_("Positions"),
        max_length=300,
        required=False,
        help_text=_("For example: teachers, school counselors, nurses."),
    )
    instrument = forms.ModelChoiceField(
        label=_("Survey"), queryset=SurveyInstrument.objects.none(), required=False, empty_label=_("No survey")
    )
    survey_closes_on = forms.DateField(
        label=_("Survey link closes on"),
        widget=DateInput(),
        required=False,
        help_text=_("At the end of that day. Leave empty for three days after the event."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["curriculum"].queryset = Curriculum.objects.order_by("-active", "name", "version")
        self.fields["trainers"].queryset = Trainer.objects.order_by("full_name")
        self.fields["host"].queryset = Organization.objects.order_by("name")
        self.fields["town"].queryset = Town.objects.order_by("name")
        self.fields["instrument"].queryset = SurveyInstrument.objects.order_by("name", "-version")

    def clean(self):
        data = super().clean()
        for name in ("day", "last_day", "survey_closes_on"):
            _checked_day(self, name)
        if data.get("day") and data.get("last_day") and data["last_day"] < data["day"]:
            self.add_error("last_day", _("The last day comes on or after the first."))
        return data

    @staticmethod
    def initial_for(event) -> dict:
        starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
        return {
            "curriculum": event.curriculum,
            "day": starts.date(),
            "starts": starts.time(),
            "last_day": ends.date() if ends.date() != starts.date() else None,
            "ends": ends.time(),
            "trainers": list(event.trainers.all()),
            "audience": event.audience,
            "host": event.host,
            "town": event.town,
            "attendee_count": event.attendee_count,
            "fields_of_work": event.fields_of_work,
            "positions": event.positions,
            "instrument": event.instrument,
            "survey_closes_on": EventForm.last_open_day(event),
            "notes": event.notes,
            # Not a field: kept to the minute when the day above is left as it was.
            "survey_closes_at": event.survey_closes_at,
        }

    @staticmethod
    def last_open_day(event) -> date | None:
        """The last day the survey link is open, as the form asks for it; None for the default window.

        A link closes at the end of the day chosen, which is midnight of the next: shown as the
        day it closes on, every save of an unchanged form pushed it one day later.
        """
        if event.survey_closes_at == default_survey_close(event.ends_at):
            return None
        return (timezone.localtime(event.survey_closes_at) - timedelta(microseconds=1)).date()

    def details(self) -> EventDetails:
        data = self.cleaned_data
        starts = timezone.make_aware(datetime.combine(data["day"], data["starts"]))
        ends = timezone.make_aware(datetime.combine(data["last_day"] or data["day"], data["ends"]))
        closes = None  # the default window after the event's end
        if last_day := data["survey_closes_on"]:
            kept = self.initial.get("survey_closes_at") if "survey_closes_on" not in self.changed_data else None
            closes = kept or timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))
        return EventDetails(
            curriculum=data["curriculum"],
            starts_at=starts,
            ends_at=ends,
            trainers=list(data["trainers"]),
            audience=data["audience"],
            host=data["host"],
            town=data["town"],
            attendee_count=data["attendee_count"],
            fields_of_work=list(data["fields_of_work"]),
            positions=data["positions"],
            instrument=data["instrument"],
            survey_closes_at=closes,
            notes=data["notes"],
        )


class AttendeeForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    organization = forms.CharField(label=_("Organization"), max_length=200, required=False)
    field_of_work = forms.ChoiceField(label=_("Field of work"), choices=NOT_SAID + FieldOfWork.choices, required=False)
    position = forms.ChoiceField(label=_("Position"), choices=NOT_SAID + Position.choices, required=False)
    email = forms.EmailField(label=_("Email"), required=False)


class ScoreField(forms.IntegerField):
    """One item's score; empty when the trainee left it blank."""

    def __init__(self, *, low: int, high: int, **kwargs):
        message = _("Choose a score from %(low)s to %(high)s.") % {"low": low, "high": high}
        super().__init__(
            required=False,
            min_value=low,
            max_value=high,
            error_messages={"invalid": message, "min_value": message, "max_value": message},
            **kwargs,
        )


class SurveyForm(forms.Form):
    """A survey: who answered (each optional) and a score per item, built from the instrument."""

    field_of_work = forms.ChoiceField(
        label=_("Your field of work"), choices=NOT_SAID + FieldOfWork.choices, required=False
    )
    position = forms.ChoiceField(
        label=_("Your position at your organization"), choices=NOT_SAID + Position.choices, required=False
    )
    experience = forms.ChoiceField(
        label=_("Years of experience"), choices=NOT_SAID + Experience.choices, required=False
    )

    def __init__(self, *args, layout, phone: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout = layout
        self.groups = []
        for construct, items in layout:
            names = []
            for item in items:
                name = f"item_{item.pk}"
                if phone:
                    choices = [(str(n), str(n)) for n in construct.scale]
                    widget = forms.RadioSelect(attrs={"class": "scale"})
                    self.fields[name] = forms.TypedChoiceField(
                        label=item.local("text"), choices=choices, coerce=int, required=False, widget=widget,
                        empty_value=None,
                        error_messages={"invalid_choice": _("Choose a score from %(low)s to %(high)s.") % {
                            "low": construct.scale_min, "high": construct.scale_max}},
                    )  # fmt: skip
                else:
                    widget = forms.TextInput(attrs={**NUMBER, "size": 2, "maxlength": 2, "class": "input--score"})
                    self.fields[name] = ScoreField(
                        label=item.local("text"), low=construct.scale_min, high=construct.scale_max, widget=widget
                    )
                names.append(name)
            self.groups.append((construct, [self[name] for name in names]))

    def clean(self):
        data = super().clean()
        scored = [name for name in self.fields if name.startswith("item_") and data.get(name) is not None]
        if not self.errors and not scored:
            raise forms.ValidationError(_("Nothing was answered. Give at least one score."))
        return data

    def trainee(self) -> Trainee:
        data = self.cleaned_data
        return Trainee(data["field_of_work"], data["position"], data["experience"])

    def scores(self) -> dict[int, int | None]:
        return {int(name.removeprefix("item_")): self.cleaned_data.get(name) for name in self.fields if
                name.startswith("item_")}  # fmt: skip


class PaperSurveyForm(SurveyForm):
    phase = forms.ChoiceField(
        label=_("Survey"), choices=SurveyResponse.Phase.choices, widget=forms.RadioSelect, initial="pre"
    )
    language = forms.ChoiceField(
        label=_("Language of the paper form"),
        required=False,
        widget=forms.RadioSelect,
        help_text=_("The language the trainee answered in. Answers in every language are counted together."),
    )

    field_order = ["phase", "language", "field_of_work", "position", "experience"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language by its own name, as on the survey link; a setting adds one, no migration.
        self.fields["language"].choices = [(code, translated.own_name(code)) for code, _name in settings.LANGUAGES]
        self.fields["language"].initial = translated.source_language()
        # The next paper starts where the last one did, with the same survey: the typist's
        # hands go to the trainee's field of work.
        self.fields["field_of_work"].widget.attrs["autofocus"] = True

    def clean_language(self) -> str:
        # Not chosen: the paper form was the usual one, in English.
        return self.cleaned_data["language"] or translated.source_language()


class WordingForm(forms.Form):
    """The words of a survey version no event uses yet, with each in the other languages beside it.

    A scale's words are not changed here (the scale stays as the version was made), but they may
    be written in another language: one line per point, in order.
    """

    def __init__(self, *args, layout, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout = layout
        self.groups = []
        for construct, items in layout:
            pk = construct.pk
            self.fields[f"title_{pk}"] = forms.CharField(label=_("Title"), max_length=200, initial=construct.title)
            self.fields[f"question_{pk}"] = forms.CharField(
                label=_("Question"), max_length=300, initial=construct.question
            )
            for name in ("title", "question"):
                values = {code: construct.in_language(code).get(name) for code, _own in translated.other_languages()}
                translated.add_translation_fields(self, f"{name}_{pk}", values=values)
            if construct.anchors:
                self._add_anchor_fields(construct)
            for item in items:
                self.fields[f"item_{item.pk}"] = forms.CharField(
                    label=_("Item %(n)s") % {"n": item.position}, max_length=300, initial=item.text
                )
                values = {code: item.in_language(code).get("text") for code, _own in translated.other_languages()}
                translated.add_translation_fields(self, f"item_{item.pk}", values=values)
            mine = {f"title_{pk}", f"question_{pk}", f"anchors_{pk}", *(f"item_{item.pk}" for item in items)}
            names = [name for name in self.fields if name in mine or name.rsplit("_", 1)[0] in mine]
            self.groups.append((construct, [self[name] for name in names]))

    def _add_anchor_fields(self, construct) -> None:
        english = "; ".join(f"{point} = {words}" for point, words in construct.anchors)
        for code, own in translated.other_languages():
            name = translated.field_name(f"anchors_{construct.pk}", code)
            self.fields[name] = forms.CharField(
                label=gettext("The scale's words in %(language)s") % {"language": own},
                required=False,
                widget=forms.Textarea(attrs={"rows": len(construct.anchors), "lang": code}),
                help_text=gettext("One line for each point, in order: %(words)s") % {"words": english},
                initial="\n".join(construct.in_language(code).get("anchors") or []),
            )

    def clean(self):
        cleaned = super().clean()
        problems = {}
        typed = self.construct_translations()
        for construct, _fields in self.groups:
            english = {
                "title": cleaned.get(f"title_{construct.pk}", construct.title),
                "question": cleaned.get(f"question_{construct.pk}", construct.question),
                "anchors": [words for _point, words in construct.anchors],
            }
            problems |= translation_problems(typed[construct.pk], english, construct.pk)
        for item_pk, words in self.item_translations().items():
            english = {"text": cleaned.get(f"item_{item_pk}", "")}
            problems |= translation_problems(words, english, item_pk, named="item")
        for field, message in problems.items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def constructs(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            construct.pk: {"title": data[f"title_{construct.pk}"], "question": data[f"question_{construct.pk}"]}
            for construct, _fields in self.groups
        }

    def items(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] for _construct, items in self.layout for item in items}

    def construct_translations(self) -> dict[int, dict]:
        """Each construct's words in the other languages: {pk: {"es": {"title": ..., "anchors": [...]}}}."""
        words: dict[int, dict] = {}
        for construct, _fields in self.groups:
            typed = words.setdefault(construct.pk, {})
            names = ("title", "question", "anchors") if construct.anchors else ("title", "question")
            for name in names:
                values = translated.translated_values(self, f"{name}_{construct.pk}", lines=name == "anchors")
                for code, value in values.items():
                    typed.setdefault(code, {})[name] = value
        return words

    def item_translations(self) -> dict[int, dict]:
        """Each item's text in the other languages: {pk: {"es": {"text": ...}}}."""
        words = {}
        for _construct, items in self.layout:
            for item in items:
                typed = translated.translated_values(self, f"item_{item.pk}")
                words[item.pk] = {code: {"text": value} for code, value in typed.items()}
        return words


class PeriodForm(forms.Form):
    """The results' period and how to group the totals."""

    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())
    by = forms.ChoiceField(
        label=_("Totals by"),
        choices=[("year", _("Year")), ("quarter", _("Quarter")), ("month", _("Month"))],
        required=False,
    )

    LONGEST_DAYS = 366 * 10

    @classmethod
    def default(cls, today) -> "PeriodForm":
        return cls({"start": today.replace(month=1, day=1).isoformat(), "end": today.isoformat(), "by": "quarter"})

    def clean(self):
        data = super().clean()
        _checked_day(self, "start")
        _checked_day(self, "end")
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The period ends before it starts."))
            elif (end - start).days > self.LONGEST_DAYS:
                self.add_error("start", _("Choose a period of at most ten years."))
        data["by"] = data.get("by") or "quarter"
        return data
