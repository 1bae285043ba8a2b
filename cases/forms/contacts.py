"""Quick forms for the daily work: a contact and the services given on it, the contact cadence,
a stage of change.

The rules that depend on the case (not in the future, not before the intake date, a
service still offered) live in ``cases.services.contacts``; the views show the service's
message next to its field.
"""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms.intake import DateInput
from cases.models import LONGEST_CONTACT_CADENCE_DAYS, LONGEST_CONTACT_MINUTES, Contact, Service, StageOfChange
from cases.services.contacts import agreed_next_contact

# Enough for a long note written after a call; a longer paste is a mistake.
LONGEST_NOTE = 5000


def _now_to_the_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


class YesNoNotAsked(forms.RadioSelect):
    """Yes, no or not asked, as radio buttons, for a ``NullBooleanField`` (None is "not asked")."""

    VALUES = {True: "true", False: "false", "true": "true", "false": "false", "True": "true", "False": "false"}

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=[("true", _("Yes")), ("false", _("No")), ("unknown", _("Not asked"))])

    def format_value(self, value):
        return [self.VALUES.get(value, "unknown")]

    def value_from_datadict(self, data, files, name):
        return {"true": True, "false": False}.get(data.get(name))


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
    interpreter_used = forms.NullBooleanField(
        label=_("Was an interpreter used?"), required=False, widget=YesNoNotAsked()
    )
    services = forms.MultipleChoiceField(
        label=_("Services given"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick what you did for the survivor on this contact; the usual ones are first."),
    )
    next_contact_on = forms.DateField(
        label=_("Next contact on"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "The day you agreed with the survivor to be in touch again, if you did. "
            "The case is due for a contact on that day instead of after its usual number of days."
        ),
    )

    # Not a field of the contact: the case's agreed day, shown only on its latest contact.
    NOT_ON_CONTACT = ("services", "next_contact_on")

    def __init__(self, *args, contact: Contact | None = None, **kwargs):
        """A new contact, or the correction of ``contact`` (its values shown, its services kept ticked)."""
        if contact is not None:
            kwargs.setdefault("initial", self.initial_from(contact))
        super().__init__(*args, **kwargs)
        # What is offered, and what this contact already has even if no longer offered: a
        # correction never drops a service silently.
        given = self.initial.get("services") or []
        self.offered = list(Service.objects.filter(Q(is_active=True) | Q(pk__in=given)))
        by_group = {group: n for n, group in enumerate(Service.Group.values)}
        self.offered.sort(key=lambda service: (by_group.get(service.group, 0), service.order, service.name))
        # Named in the reader's language, as the director wrote the service in it.
        self.fields["services"].choices = [(str(service.pk), service.local("name")) for service in self.offered]

    @classmethod
    def initial_from(cls, contact: Contact) -> dict:
        names = [name for name in cls.base_fields if name not in cls.NOT_ON_CONTACT]
        return {name: getattr(contact, name) for name in names} | {
            "occurred_at": timezone.localtime(contact.occurred_at),
            "services": [str(event.service_id) for event in contact.service_events.all()],
            "next_contact_on": agreed_next_contact(contact),
        }

    def clean_services(self) -> list[Service]:
        by_pk = {str(service.pk): service for service in self.offered}
        return [by_pk[value] for value in self.cleaned_data["services"]]

    def service_groups(self) -> tuple[list, list, bool]:
        """The checkboxes in groups: the usual services, the rest, and whether any of the rest is ticked.

        Each group is (its name, its checkboxes), in the catalogue's order.
        """
        by_pk = {str(service.pk): service for service in self.offered}
        labels = dict(Service.Group.choices)
        usual, more = {}, {}
        for choice in self["services"]:
            service = by_pk[str(choice.data["value"])]
            (usual if service.usual else more).setdefault(service.group, []).append(choice)
        ticked = {str(value) for value in self["services"].value() or []}
        more_ticked = any(str(choice.data["value"]) in ticked for choices in more.values() for choice in choices)

        def named(groups: dict) -> list:
            return [(labels.get(group, group), choices) for group, choices in groups.items()]

        return named(usual), named(more), more_ticked


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
