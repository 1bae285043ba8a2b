from django import forms
from django.utils.translation import gettext_lazy as _

from bloom.directory.models import Organization, ServiceType


class DirectoryFilterForm(forms.Form):
    """The directory list's search and filters. Sent by GET: partner details are public."""

    q = forms.CharField(label=_("Name"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any kind")), *Organization.Kind.choices], required=False)
    service = forms.ChoiceField(
        label=_("Service"), choices=[("", _("Any service")), *ServiceType.choices], required=False
    )
    open_24_7 = forms.BooleanField(label=_("Answers 24/7"), required=False)


class OrganizationAdminForm(forms.ModelForm):
    """The admin's form: services as checkboxes instead of raw JSON."""

    services = forms.MultipleChoiceField(
        label=_("Services"),
        choices=ServiceType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("What the organization offers survivors."),
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "kind",
            "housing_program",
            "services",
            "hotline",
            "text_line",
            "phone",
            "open_24_7",
            "address",
            "town",
            "website",
            "notes",
            "is_active",
        ]

    def clean_services(self):
        # Stored in ServiceType's order, so the same choice never reads as a change in history.
        chosen = set(self.cleaned_data["services"])
        return [value for value in ServiceType.values if value in chosen]
