"""What the database itself refuses, whoever writes around the services (which refuse it first, by field)."""

import pytest
from django.db import IntegrityError, transaction

from assistance.models import AssistanceRequest, Fund, FundBudget, HousingPlacement, Payment
from assistance.services import requests as request_services
from bloom.directory.models import Organization
from tests.factories import ask_money, make_fund, pay_money, shelter_stay


@pytest.fixture
def records(world):
    fund = make_fund(world.finance)
    asked = request_services.approve(ask_money(world.case_a, world.specialist, fund), by=world.supervisor)
    pay_money(asked, world.finance)
    return {"fund": fund, "stay": shelter_stay(world.case_a, world.specialist)}


@pytest.mark.parametrize(
    ("model", "changes", "constraint"),
    [
        (Fund, {"funder": ""}, "fund_named_with_funder_and_award"),
        (FundBudget, {"category": "bitcoin"}, "fund_budget_category_known"),
        (AssistanceRequest, {"payee_name": ""}, "request_other_payee_named"),
        (AssistanceRequest, {"purpose": ""}, "request_says_what_for_and_to_whom"),
        (AssistanceRequest, {"category": "bitcoin"}, "request_says_what_for_and_to_whom"),
        (AssistanceRequest, {"payee_kind": "bank account"}, "request_says_what_for_and_to_whom"),
        (Payment, {"reference": ""}, "payment_method_and_reference_given"),
        (Payment, {"method": "cash"}, "payment_method_and_reference_given"),
        (HousingPlacement, {"kind": "hotel"}, "housing_kind_known"),
        (HousingPlacement, {"provider_name": ""}, "housing_limited_stay_names_its_provider"),
    ],
)
def test_the_database_refuses_what_the_services_refuse(records, model, changes, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        model.objects.update(**changes)


def test_a_stay_names_its_provider_from_the_directory_or_by_name_not_both(records):
    shelter = Organization.objects.create(name="Safe Haven", kind=Organization.Kind.HOUSING)

    with pytest.raises(IntegrityError, match="housing_provider_or_its_name"), transaction.atomic():
        HousingPlacement.objects.update(provider=shelter)
