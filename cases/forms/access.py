from django import forms
from django.utils.translation import gettext_lazy as _

from bloom.accounts.models import User
from cases import permissions
from cases.models import CLIENT_CODE_LENGTH, Case
from cases.timeline import SOURCES


class RestrictionForm(forms.Form):
    restricted = forms.BooleanField(
        label=_("Restrict this case to the people named on it"),
        required=False,
        help_text=_(
            "The assigned specialists are always named. Nobody else sees the case, not the team, not its "
            "supervisors and not the program director, unless named here."
        ),
    )
    named = forms.ModelMultipleChoiceField(
        label=_("Also named"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("If you do not name yourself, you will no longer see this case once it is restricted."),
    )

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault(
            "initial", {"restricted": case.restricted, "named": [row.user_id for row in case.named_people.all()]}
        )
        super().__init__(*args, **kwargs)
        self.fields["named"].queryset = permissions.restriction_candidates(case)
        self.fields["named"].label_from_instance = lambda user: user.full_name


class EmergencyAccessForm(forms.Form):
    client_code = forms.CharField(
        label=_("Client code"),
        max_length=3 + CLIENT_CODE_LENGTH + 5,
        help_text=_("As it appears on the survivor's papers or in the hotline's message, such as BL-7KQ4TX."),
    )
    reason = forms.CharField(
        label=_("Why you need to open this case now"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("The case's supervisors are told at once, and your reason is kept in the access log."),
    )

    def clean_client_code(self):
        code = "".join(self.cleaned_data["client_code"].split()).upper()
        return code if code.startswith("BL-") else f"BL-{code}"

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Write why you need to open this case."))
        return reason


class TimelineFilterForm(forms.Form):
    kind = forms.MultipleChoiceField(label=_("Show"), required=False, widget=forms.CheckboxSelectMultiple, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(source.kind, source.label) for source in SOURCES.values()]
