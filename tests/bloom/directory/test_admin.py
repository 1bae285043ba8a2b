import pytest
from django.urls import reverse

from bloom.accounts.models import Role
from bloom.directory.models import Organization
from tests.bloom.directory.factories import make_organization
from tests.factories import make_user


@pytest.fixture
def administrator(db):
    return make_user(Role.ADMINISTRATOR, is_staff=True)


def test_administrator_adds_an_organization_with_its_services(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("admin:directory_organization_add"),
        {
            "name": "Hartford Interval House",
            "kind": "victim services",
            "services": ["housing", "therapy"],
            "hotline": "(888) 774-2900",
            "text_line": "",
            "phone": "",
            "open_24_7": "on",
            "address": "",
            "town": "",
            "website": "",
            "notes": "",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    organization = Organization.objects.get(name="Hartford Interval House")
    assert (organization.services, organization.open_24_7) == (["therapy", "housing"], True)
    assert organization.history.get().history_user == administrator


def test_admin_list_filters_by_service(client, administrator):
    make_organization("Clinic", kind="health", services=["therapy"])
    make_organization("Shelter", kind="housing", services=["housing"])
    client.force_login(administrator)

    response = client.get(reverse("admin:directory_organization_changelist"), {"service": "therapy"})

    assert [o.name for o in response.context["cl"].result_list] == ["Clinic"]
