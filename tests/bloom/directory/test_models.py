import pytest
from django.core.exceptions import ValidationError

from bloom.directory.forms import OrganizationAdminForm
from bloom.directory.models import Organization, ServiceType, validate_services


def test_service_types_are_the_referral_needs():
    assert ServiceType.values == [
        "immigration legal aid",
        "vacatur",
        "therapy",
        "medical",
        "housing",
        "education",
        "employment",
        "substance use",
        "spiritual care",
        "other",
    ]


@pytest.mark.parametrize("services", [[], ["therapy"], ["housing", "immigration legal aid", "other"]])
def test_known_services_are_valid(services):
    validate_services(services)


@pytest.mark.parametrize(
    ("services", "code"),
    [
        (["therapy", "astrology"], "unknown_service"),
        (["Therapy"], "unknown_service"),
        ([1], "unknown_service"),
        ([["therapy"]], "unknown_service"),
        (["therapy", "therapy"], "duplicate"),
        ("therapy", "not_a_list"),
        ({"therapy": True}, "not_a_list"),
        (None, "not_a_list"),
    ],
)
def test_anything_but_a_list_of_distinct_service_types_is_refused(services, code):
    with pytest.raises(ValidationError) as raised:
        validate_services(services)

    assert [error.code for error in raised.value.error_list] == [code]


def test_full_clean_refuses_an_unknown_service(db):
    organization = Organization(name="Somewhere", services=["astrology"])

    with pytest.raises(ValidationError) as raised:
        organization.full_clean()

    assert list(raised.value.message_dict) == ["services"]


def test_a_new_organization_is_listed_with_no_services(db):
    organization = Organization.objects.create(name="Legal aid")

    assert (organization.services, organization.is_active) == ([], True)


def test_service_labels_follow_the_choices_order():
    organization = Organization(name="Clinic", services=["substance use", "therapy", "medical"])

    assert organization.service_labels == ["Therapy", "Medical or dental care", "Substance use"]


def test_admin_form_stores_services_in_the_choices_order(db):
    form = OrganizationAdminForm(
        data={"name": "Clinic", "kind": "health", "services": ["substance use", "therapy"], "is_active": "on"}
    )

    assert form.is_valid(), form.errors
    assert form.save().services == ["therapy", "substance use"]


def test_admin_form_refuses_an_unknown_service(db):
    form = OrganizationAdminForm(data={"name": "Clinic", "kind": "health", "services": ["astrology"]})

    assert not form.is_valid()
    assert list(form.errors) == ["services"]
    assert not Organization.objects.exists()
