"""Forms for funds, requests for money, payments, help in kind, housing stays and a case's awards.

Forms read what was typed (money as ``Decimal`` through ``MoneyField``, never a float);
the rules that depend on the fund, the case or the request's path live in
``assistance.services``, and the views show a refusal beside the field it names.
"""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assistance.models import (
    LARGEST_FUND,
    LARGEST_ITEM_VALUE,
    LARGEST_REQUEST,
    MOST_ITEMS,
    AssistanceRequest,
    CaseAward,
    Category,
    Fund,
    HousingPlacement,
    InKindItem,
    Payment,
)
from assistance.services import funds as fund_services
from assistance.services import requests as request_services
from assistance.services.funds import FundDetails
from assistance.services.help import ItemDetails
from assistance.services.housing import StayChange, StayDetails, housing_providers
from assistance.services.requests import LONGEST_REASON, PaymentDetails, RequestDetails
from bloom.directory.models import Organization
from bloom.forms import MoneyField
from cases.forms import DateInput

NUMERIC = {"inputmode": "numeric", "autocomplete": "off"}


def _field_max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class FundForm(forms.Form):
    """A fund's details, and a budget for each category it pays for (empty: not allowed)."""

    name = forms.CharField(label=_("Name"), max_length=_field_max(Fund, "name"))
    funder = forms.CharField(label=_("Funder"), max_length=_field_max(Fund, "funder"))
    award_number = forms.CharField(label=_("Award number"), max_length=_field_max(Fund, "award_number"))
    starts_on = forms.DateField(label=_("Period starts"), widget=DateInput())
    ends_on = forms.DateField(label=_("Period ends"), widget=DateInput())
    total = MoneyField(label=_("Total award"), largest=LARGEST_FUND, positive=True)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=fund_services.LONGEST["note"],
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Category.choices:
            self.fields[self.budget_field(value)] = MoneyField(
                label=label,
                largest=LARGEST_FUND,
                required=False,
                help_text=_("Leave empty if the fund does not pay for this."),
            )

    @staticmethod
    def budget_field(category: str) -> str:
        return f"budget_{category.replace(' ', '_')}"

    def budget_fields(self):
        return [self[self.budget_field(value)] for value in Category.values]

    def detail_fields(self):
        return [self[name] for name in ("name", "funder", "award_number", "starts_on", "ends_on", "total", "note")]

    def details(self) -> FundDetails:
        data = self.cleaned_data
        return FundDetails(
            name=data["name"],
            funder=data["funder"],
            award_number=data["award_number"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            total=data["total"],
            note=data["note"],
        )

    def budgets(self) -> dict:
        data = self.cleaned_data
        return {
            value: data[self.budget_field(value)]
            for value in Category.values
            if data[self.budget_field(value)] is not None
        }

    @classmethod
    def initial_for(cls, fund: Fund) -> dict:
        initial = {
            name: getattr(fund, name)
            for name in ("name", "funder", "award_number", "starts_on", "ends_on", "total", "note")
        }
        initial |= {cls.budget_field(budget.category): budget.amount for budget in fund.budgets.all()}
        return initial


def open_funds(today: date | None = None):
    """Funds whose period has not ended: the ones a new request may ask."""
    today = today or timezone.localdate()
    return Fund.objects.filter(ends_on__gte=today).order_by("ends_on", "name")


class RequestForm(forms.Form):
    """A request for money: from which fund, for what, how much, to whom, by when."""

    fund = forms.ModelChoiceField(label=_("Fund"), queryset=Fund.objects.none(), empty_label="—")
    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *Category.choices])
    amount = MoneyField(label=_("Amount"), largest=LARGEST_REQUEST, positive=True)
    payee_kind = forms.ChoiceField(
        label=_("Paid to"), choices=AssistanceRequest.Payee.choices, widget=forms.RadioSelect
    )
    payee_name = forms.CharField(
        label=_("Payee"),
        required=False,
        max_length=_field_max(AssistanceRequest, "payee_name"),
        help_text=_("The landlord, company, vendor or school. Leave empty when the survivor is paid."),
    )
    payee_details = forms.CharField(
        label=_("Payee details"),
        required=False,
        max_length=request_services.LONGEST["payee_details"],
        help_text=_("Address, account or invoice number: what finance needs to pay."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    purpose = forms.CharField(
        label=_("What it is for"),
        max_length=_field_max(AssistanceRequest, "purpose"),
        help_text=_("Finance reads this: say what the money pays for, not the survivor's story."),
    )
    needed_by = forms.DateField(label=_("Needed by"), widget=DateInput())

    def __init__(self, *args, fund_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = fund_choices if fund_choices is not None else open_funds()

    def details(self) -> RequestDetails:
        data = self.cleaned_data
        return RequestDetails(
            fund=data["fund"],
            category=data["category"],
            amount=data["amount"],
            payee_kind=data["payee_kind"],
            payee_name=data["payee_name"],
            payee_details=data["payee_details"],
            purpose=data["purpose"],
            needed_by=data["needed_by"],
        )

    @staticmethod
    def initial_for(request: AssistanceRequest) -> dict:
        names = ("fund", "category", "amount", "payee_kind", "payee_name", "payee_details", "purpose", "needed_by")
        return {name: getattr(request, name) for name in names}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=LONGEST_REASON, widget=forms.Textarea(attrs={"rows": 3}))


class PaymentForm(forms.Form):
    method = forms.ChoiceField(label=_("How it was paid"), choices=Payment.Method.choices, widget=forms.RadioSelect)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=_field_max(Payment, "reference"),
        help_text=_("Check number, card transaction or voucher number."),
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    receipt = forms.FileField(
        label=_("Receipt"),
        required=False,
        help_text=_("A PDF or a photo (JPEG or PNG). If it comes later, add it from the request's page."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()

    def details(self) -> PaymentDetails:
        data = self.cleaned_data
        return PaymentDetails(method=data["method"], reference=data["reference"], paid_on=data["paid_on"])


class ReceiptForm(forms.Form):
    receipt = forms.FileField(label=_("Receipt"), help_text=_("A PDF or a photo (JPEG or PNG)."))


class InKindForm(forms.Form):
    kind = forms.ChoiceField(label=_("What was given"), choices=[("", "—"), *InKindItem.Kind.choices])
    description = forms.CharField(
        label=_("Description"), required=False, max_length=_field_max(InKindItem, "description")
    )
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=MOST_ITEMS, initial=1, widget=forms.NumberInput(attrs=NUMERIC)
    )
    value = MoneyField(
        label=_("Estimated value"), largest=LARGEST_ITEM_VALUE, help_text=_("Of all of them together, in dollars.")
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_on"].initial = timezone.localdate()

    def details(self) -> ItemDetails:
        data = self.cleaned_data
        return ItemDetails(
            kind=data["kind"],
            description=data["description"],
            quantity=data["quantity"],
            value=data["value"],
            given_on=data["given_on"],
        )


class HousingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of housing"), choices=HousingPlacement.Kind.choices, widget=forms.RadioSelect
    )
    long_term = forms.ChoiceField(
        label=_("Long-term housing"),
        required=False,
        choices=[("", _("Not long-term")), *HousingPlacement.LongTerm.choices],
        help_text=_("Only for long-term housing."),
    )
    provider = forms.ModelChoiceField(
        label=_("Provider in the directory"), required=False, queryset=Organization.objects.none(), empty_label="—"
    )
    provider_name = forms.CharField(
        label=_("Or the provider's name"),
        required=False,
        max_length=_field_max(HousingPlacement, "provider_name"),
        help_text=_("When the provider is not in the directory."),
    )
    started_on = forms.DateField(label=_("Started on"), widget=DateInput())
    expected_end = forms.DateField(
        label=_("Expected end"),
        required=False,
        widget=DateInput(),
        help_text=_("Emergency shelter lasts up to 2 months; transitional housing up to 8."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = housing_providers()

    def details(self) -> StayDetails:
        data = self.cleaned_data
        return StayDetails(
            kind=data["kind"],
            long_term=data["long_term"],
            provider=data["provider"],
            provider_name=data["provider_name"],
            started_on=data["started_on"],
            expected_end=data["expected_end"],
            note=data["note"],
        )


class StayForm(forms.Form):
    expected_end = forms.DateField(label=_("Expected end"), required=False, widget=DateInput())
    ended_on = forms.DateField(label=_("Ended on"), required=False, widget=DateInput())
    exit_destination = forms.ChoiceField(
        label=_("Went to"), required=False, choices=[("", "—"), *HousingPlacement.Exit.choices]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def change(self) -> StayChange:
        data = self.cleaned_data
        return StayChange(
            expected_end=data["expected_end"],
            ended_on=data["ended_on"],
            exit_destination=data["exit_destination"],
            note=data["note"],
        )

    @staticmethod
    def initial_for(placement: HousingPlacement) -> dict:
        names = ("expected_end", "ended_on", "exit_destination", "note")
        return {name: getattr(placement, name) for name in names}


class CaseAwardForm(forms.Form):
    """An award to serve a case under: any fund, the latest first (one already chosen is refused by the service)."""

    fund = forms.ModelChoiceField(label=_("Award"), queryset=Fund.objects.none(), empty_label="—")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = Fund.objects.order_by("-ends_on", "name")


class CaseAwardRemoveForm(forms.Form):
    """Which of the case's awards to remove: the button beside each posts its id."""

    award = forms.ModelChoiceField(
        queryset=CaseAward.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose the award to remove."),
            "invalid_choice": _("That award is not on this case's list; the page now shows the list as it is."),
        },
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award"].queryset = case.awards.select_related("case", "fund")


class PeriodForm(forms.Form):
    """A period to read or export: from and to (inclusive), at most six years."""

    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end is before the start."))
            elif (end - start).days > 6 * 366:
                self.add_error("end", _("Choose at most six years."))
        return data
