"""What a survivor's copy of their record is asked for with: the language, and whether staff notes are printed.

The same form reads a request on the copy's page, in ``reports:request`` (``read_parameters``:
who asks is not known there yet) and again in the worker before the PDF is built, so the rules
live here once.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from bloom.translated import own_name

NOTES_REFUSED = _("Staff notes are printed only by people who may see sensitive details.")


class SurvivorCopyForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Print it in"),
        choices=(),
        widget=forms.RadioSelect,
        help_text=_("The survivor's preferred language is chosen when Bloom has it."),
        error_messages={
            "required": _("Choose the language to print it in."),
            "invalid_choice": _("Choose one of these languages."),
        },
    )
    staff_notes = forms.BooleanField(
        label=_("Include staff notes"),
        required=False,
        help_text=_(
            "What staff wrote: contact, referral, housing, review and closing notes, what payments were for, and "
            "what the survivor shared at screening. Read them before you hand the copy over."
        ),
    )

    def __init__(self, data=None, *, may_include_notes: bool | None = None, **kwargs):
        """``may_include_notes``: whether the person asking may see the survivor's sensitive details;
        None where that is not known yet (``check_parameters`` and the worker check again)."""
        super().__init__(data, **kwargs)
        self.fields["language"].choices = [(code, own_name(code)) for code, _name in settings.LANGUAGES]
        self.may_include_notes = may_include_notes
        if may_include_notes is False:
            self.fields["staff_notes"].disabled = True
            self.fields["staff_notes"].help_text = NOTES_REFUSED

    def clean_staff_notes(self):
        # A disabled field keeps its initial value whatever is posted; a tick is still refused out
        # loud, so that a tampered post is not silently printed without what it asked for.
        field = self.fields["staff_notes"]
        asked = field.widget.value_from_datadict(self.data, self.files, self.add_prefix("staff_notes"))
        if self.may_include_notes is False and asked:
            raise forms.ValidationError(NOTES_REFUSED)
        return bool(self.cleaned_data.get("staff_notes"))

    def parameters(self) -> dict:
        """The valid answers as plain values: the job's parameters."""
        return {"language": self.cleaned_data["language"], "staff_notes": self.cleaned_data["staff_notes"]}
