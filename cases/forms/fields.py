"""The program director's forms for the intake fields: how one field is asked, and clearing what a
hidden one holds.

Plain forms, one per row of the page: which field a post is about comes in a hidden input (one of
the catalogue's), and the rules (a field a rule needs, a field not hidden, an unknown field again)
live in ``cases.services.fields``, whose refusals the views show beside the row's fields.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases import fields
from cases.models import IntakeField
from cases.services.fields import REASON_LENGTH

UNKNOWN = _("There is no intake field by that name that can be changed.")


def _name_field() -> forms.ChoiceField:
    """The field a post is about, one of the catalogue's; anything else is refused above the fields."""
    return forms.ChoiceField(
        choices=lambda: [(name, name) for name in fields.catalogue()],
        widget=forms.HiddenInput,
        error_messages={"required": UNKNOWN, "invalid_choice": UNKNOWN},
    )


class FieldStateForm(forms.Form):
    """How one intake field is asked: as built, optional, or hidden."""

    name = _name_field()
    state = forms.ChoiceField(label=_("How it is asked"), choices=IntakeField.State.choices)

    def __init__(self, *args, field: fields.Field | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if field is not None and not field.required:
            # "Optional" means nothing for a field the forms do not require; a post of it anyway
            # (without ``field``) is refused by the service, with the reason.
            self.fields["state"].choices = [
                choice for choice in IntakeField.State.choices if choice[0] != IntakeField.State.OPTIONAL
            ]


class ClearStoredValuesForm(forms.Form):
    """Clearing a hidden field in every record that holds a value, and why."""

    name = _name_field()
    reason = forms.CharField(
        label=_("Why the stored values are cleared"),
        max_length=REASON_LENGTH,
        error_messages={"required": _("Write why the stored values are cleared: it is kept in the history.")},
        help_text=_("Kept in the history with your name, beside every record cleared."),
    )
