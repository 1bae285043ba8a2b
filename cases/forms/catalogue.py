"""The program director's forms for the service catalogue and the funders' codes.

Plain forms: the rules (a name or code already taken, a code already given, a reported code)
live in ``cases.services.catalogue``, whose refusals the views show beside their fields.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from bloom.translated import TranslatedFormMixin
from cases.models import FunderCode, FunderScheme, Service
from cases.services.catalogue import LARGEST_ORDER, LONGEST, CodeDetails, ServiceDetails


def _order_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Order"),
        min_value=0,
        max_value=LARGEST_ORDER,
        initial=0,
        help_text=_("Lower numbers come first in their group."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class CodeChoiceField(forms.ModelChoiceField):
    """A funder's code shown as its code and the funder's name for it (an HHS category by its name)."""

    def label_from_instance(self, obj: FunderCode) -> str:
        return obj.label if obj.scheme == FunderScheme.HHS else f"{obj.code} · {obj.label}"


class ServiceForm(TranslatedFormMixin, forms.Form):
    """A service of the catalogue; its key is made by the service from the first name. Its name
    in each other language is beside the English ("Name in Español"), optional: where it is left
    empty, the English shows."""

    translated_fields = ("name",)

    name = forms.CharField(
        label=_("Name"),
        max_length=LONGEST["name"],
        help_text=_("In the program's own words, as specialists will tick it on a contact."),
    )
    group = forms.ChoiceField(label=_("Group on the contact form"), choices=Service.Group.choices)
    usual = forms.BooleanField(
        label=_("Usual: shown first on the contact form"),
        required=False,
        help_text=_("For the services given most often; the others are under “More services”."),
    )
    is_active = forms.BooleanField(
        label=_("Offered"),
        required=False,
        initial=True,
        help_text=_("Clear this to stop offering it. Services already recorded keep it."),
    )
    order = _order_field()
    victim_services_code = CodeChoiceField(
        label=_("Victim-services code"),
        queryset=FunderCode.objects.none(),
        required=False,
        empty_label=_("None: not counted by the victim-services funder"),
        help_text=_("Each code counts exactly one service."),
    )
    hhs_code = CodeChoiceField(
        label=_("HHS category"),
        queryset=FunderCode.objects.none(),
        required=False,
        empty_label=_("None: not counted by HHS"),
        help_text=_("Several services may share a category."),
    )

    def __init__(self, *args, service: Service | None = None, **kwargs):
        if service is not None:
            kwargs.setdefault("initial", self.initial_from(service))
        super().__init__(*args, **kwargs)
        codes = FunderCode.objects.order_by("order", "code")
        self.fields["victim_services_code"].queryset = codes.filter(scheme=FunderScheme.VICTIM_SERVICES)
        self.fields["hhs_code"].queryset = codes.filter(scheme=FunderScheme.HHS)

    DETAILS = ("name", "group", "usual", "is_active", "order", "victim_services_code", "hhs_code")

    @classmethod
    def initial_from(cls, service: Service) -> dict:
        return {name: getattr(service, name) for name in cls.DETAILS} | {"translations": service.translations}

    def details(self) -> ServiceDetails:
        return ServiceDetails(
            **{name: self.cleaned_data[name] for name in self.DETAILS}, translations=self.translations()
        )


class FunderCodeForm(forms.Form):
    """One code in a funder's scheme, as the funder writes it."""

    scheme = forms.ChoiceField(label=_("Funder's scheme"), choices=FunderScheme.choices)
    code = forms.CharField(
        label=_("Code"),
        max_length=LONGEST["code"],
        help_text=_("As the funder writes it, such as B9. Once a report has counted under it, it cannot change."),
    )
    label = forms.CharField(label=_("The funder's name for it"), max_length=LONGEST["label"])
    category = forms.CharField(
        label=_("Category"),
        max_length=LONGEST["category"],
        required=False,
        help_text=_("The funder's heading for it, such as “B. Personal advocacy and accompaniment”."),
    )
    order = _order_field()

    def __init__(self, *args, funder_code: FunderCode | None = None, **kwargs):
        if funder_code is not None:
            names = ("scheme", "code", "label", "category", "order")
            kwargs.setdefault("initial", {name: getattr(funder_code, name) for name in names})
        super().__init__(*args, **kwargs)

    def details(self) -> CodeDetails:
        return CodeDetails(**self.cleaned_data)
