"""Quick forms for the daily work: a contact, the contact cadence, a stage of change.

The rules that depend on the case (not in the future, not before the intake date) live in
``cases.services.contacts``; the views show the service's message next to its field.
"""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms.intake import DateInput
from cases.models import LONGEST_CONTACT_CADENCE_DAYS, LONGEST_CONTACT_MINUTES, Contact, StageOfChange

# Enough for a long note written after a call; a longer paste is a mistake.
LONGEST_NOTE = 5000


def _now_to_the_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


class ContactForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type"), choices=Contact.Kind.choices, initial=Contact.Kind.PHONE, widget=forms.RadioSelect
    )
    occurred_at = forms.DateTimeField(
        label=_("Date and time"),
        initial=_now_to_the_minute,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"),
        required=False,
        min_value=0,
        max_value=LONGEST_CONTACT_MINUTES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    initiated_by = forms.ChoiceField(
        label=_("Who initiated it"),
        choices=Contact.Initiator.choices,
        initial=Contact.Initiator.STAFF,
        widget=forms.RadioSelect,
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Contact.Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=LONGEST_NOTE, widget=forms.Textarea(attrs={"rows": 4})
    )

    @classmethod
    def initial_from(cls, contact: Contact) -> dict:
        return {name: getattr(contact, name) for name in cls.base_fields} | {
            "occurred_at": timezone.localtime(contact.occurred_at)
        }


class ContactCadenceForm(forms.Form):
    days = forms.IntegerField(
        label=_("Contact at least every (days)"),
        validators=[MinValueValidator(1), MaxValueValidator(LONGEST_CONTACT_CADENCE_DAYS)],
        help_text=_(
            "A reminder is sent to the assigned specialists when no one has reached the survivor for this long."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": LONGEST_CONTACT_CADENCE_DAYS}),
    )


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage of change"), choices=StageOfChange.choices, widget=forms.RadioSelect)
    observed_on = forms.DateField(label=_("Observed on"), initial=timezone.localdate, widget=DateInput())
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=LONGEST_NOTE,
        help_text=_("What you saw or heard that suggests this stage, in plain words."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
