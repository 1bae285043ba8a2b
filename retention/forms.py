"""The retention pages' forms: the policy, a hold and its lifting, a deletion, running the purge.

They check what each field is (a whole number of months in range, words written); the rules
between fields (no period shorter than the reopening window, backups no longer than the
shortest period) and against the records (a hold, an open case, the same person twice) are
``retention.services``', whose refusals the views show beside the field they name.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from retention.models import LONGEST_BACKUP_DAYS, LONGEST_MONTHS, DeletionRequest, RetentionPolicy

# A reason or a note longer than this is a pasted document, not a reason.
REASON_LENGTH = 2000
# Text, not a number input: a browser drops words typed in a number input, and the page must
# show back what was typed beside its message.
NUMBER = {"inputmode": "numeric", "autocomplete": "off", "size": 5}


def _months(name: str, help_text) -> forms.IntegerField:
    return forms.IntegerField(
        label=RetentionPolicy._meta.get_field(name).verbose_name.capitalize(),
        min_value=1,
        max_value=LONGEST_MONTHS,
        help_text=help_text,
        error_messages={
            "required": _("Enter a number of months."),
            "invalid": _("Enter a whole number of months in figures, like 24."),
            "min_value": _("Enter at least 1 month: zero or less would purge a record the day its case ends."),
            "max_value": _("Enter at most %(limit_value)s months (fifty years)."),
        },
        widget=forms.TextInput(attrs=NUMBER),
    )


class PolicyForm(forms.Form):
    """The five numbers of the retention policy, as the program director sets them."""

    narratives_months = _months(
        "narratives_months",
        _(
            "Months after a case closes (or after the last contact of a case never enrolled) before its "
            "narratives and notes are purged: the screening narrative, contact notes, safety plan contents, "
            "closure and review notes, goals in the survivor's words."
        ),
    )
    documents_months = _months(
        "documents_months",
        _("Months after a case ends before the files of its documents are purged. The list of documents stays."),
    )
    identity_months = _months(
        "identity_months",
        _(
            "Months after a case ends before the survivor's names, birth date, contact details, addresses, "
            "emergency contact and family members' details are purged, with everything above. A survivor with "
            "several enrollments keeps them until the latest one is due."
        ),
    )
    reopen_months = _months(
        "reopen_months",
        _(
            "A survivor who comes back soon after closing finds their record as they left it: no period above "
            "may be shorter than this."
        ),
    )
    backup_days = forms.IntegerField(
        label=RetentionPolicy._meta.get_field("backup_days").verbose_name.capitalize(),
        min_value=1,
        max_value=LONGEST_BACKUP_DAYS,
        help_text=_(
            "Backups older than this are deleted. It may not be longer than the shortest period above, or a "
            "backup would keep what the purge took."
        ),
        error_messages={
            "required": _("Enter a number of days."),
            "invalid": _("Enter a whole number of days in figures, like 30."),
            "min_value": _("Enter at least 1 day."),
            "max_value": _("Enter at most %(limit_value)s days (ten years)."),
        },
        widget=forms.TextInput(attrs=NUMBER),
    )

    def numbers(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in self.fields}


def _words(label, *, required_message, help_text=None, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=REASON_LENGTH,
        help_text=help_text,
        error_messages={
            "required": required_message,
            "max_length": _("Keep it to %(limit_value)d characters; this one has %(show_value)d."),
        },
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": REASON_LENGTH}),
    )


class HoldForm(forms.Form):
    """Why a case must not be purged until the hold is lifted."""

    reason = _words(
        _("Why the case is held"),
        required_message=_("Say why the case is held, such as a court order or an open investigation."),
        help_text=_(
            "A court order, an open investigation. Kept with the hold; no purge of this case runs until it is lifted."
        ),
        rows=2,
    )


class LiftForm(forms.Form):
    """Why a hold no longer stands."""

    note = _words(
        _("Why the hold is lifted"),
        required_message=_("Say why the hold is lifted, such as the order ending."),
        help_text=_("Once lifted, the case is purged when the policy says, perhaps at the next run."),
        rows=2,
    )


class DeletionForm(forms.Form):
    """Asking to delete a survivor's whole record at once, for a second person to confirm."""

    why = forms.ChoiceField(
        label=_("Why the record is deleted"),
        choices=DeletionRequest.Why.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose why the record is deleted."),
            "invalid_choice": _("Choose one of the reasons shown."),
        },
    )
    reason = _words(
        _("In your words"),
        required_message=_("Write the reason, for the person who confirms it and for the audit."),
        help_text=_(
            "Kept after the deletion, so write it without the survivor's name or details: "
            "“asked in person at the office on Monday”, not who they are."
        ),
    )


class RunPurgeForm(forms.Form):
    """Running the purge now, by hand: the person says they know it cannot be undone."""

    confirm = forms.BooleanField(
        label=_("I understand that what is due now will be purged and cannot be brought back."),
        error_messages={"required": _("Tick the box to say you have read what will be purged.")},
    )
