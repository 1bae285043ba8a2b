"""The service catalogue in every language: the director writes a service's name beside the English,
and a specialist ticks, and a survivor reads, it in their own."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cases import services
from cases.forms import ContactForm
from cases.models import Service
from cases.service_report.casework import services_given
from cases.service_report.sections import Scope
from cases.services import ServiceDetails
from tests.factories import speaks

TODAY = timezone.localdate()


def service(key: str) -> Service:
    return Service.objects.get(key=key)


def edit_post(svc: Service, **overrides) -> dict:
    return {
        "name": svc.name,
        "name_es": svc.in_language("es").get("name", ""),
        "group": svc.group,
        "usual": "on" if svc.usual else "",
        "is_active": "on" if svc.is_active else "",
        "order": str(svc.order),
        "victim_services_code": str(svc.victim_services_code_id or ""),
        "hhs_code": str(svc.hhs_code_id or ""),
        **overrides,
    }


@pytest.mark.django_db
def test_the_catalogue_installed_has_its_spanish_names():
    named = dict(Service.objects.values_list("key", "translations"))

    assert named["transportation"] == {"es": {"name": "Transporte"}}
    assert named["case-management"] == {"es": {"name": "Manejo de caso"}}
    assert all(words.get("es", {}).get("name") for words in named.values())
    spanish = [words["es"]["name"].casefold() for words in named.values()]
    assert len(set(spanish)) == len(spanish)
    assert service("transportation").history.latest().translations == {"es": {"name": "Transporte"}}


def test_the_director_writes_a_services_spanish_name_with_its_history(client, world):
    client.force_login(world.director)
    shuttle = service("transportation")
    url = reverse("cases:service_edit", args=[shuttle.pk])

    page = client.get(url)
    response = client.post(url, edit_post(shuttle, name_es="Transporte al tribunal"))

    assert 'name="name_es"' in page.text
    assert 'lang="es"' in page.text
    assert response.status_code == 302
    shuttle.refresh_from_db()
    assert shuttle.translations == {"es": {"name": "Transporte al tribunal"}}
    latest = shuttle.history.latest()
    assert (latest.history_user, latest.translations) == (world.director, shuttle.translations)


def test_another_services_spanish_name_is_refused_beside_the_field_and_kept(client, world):
    client.force_login(world.director)
    shuttle = service("transportation")

    response = client.post(
        reverse("cases:service_edit", args=[shuttle.pk]), edit_post(shuttle, name_es="manejo de CASO")
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["name_es"]
    assert "Manejo de caso" in response.context["form"].errors["name_es"][0]
    assert 'value="manejo de CASO"' in response.text
    assert service("transportation").in_language("es") == {"name": "Transporte"}


def test_an_empty_spanish_name_leaves_the_english_to_show(world):
    added = services.add_service(
        by=world.director,
        details=ServiceDetails(name="Peer mentoring", group="support", translations={"es": {"name": " "}}),
    )

    assert added.translations == {}
    with translation.override("es"):
        assert added.local("name") == "Peer mentoring"


def test_a_spanish_reader_ticks_the_services_in_spanish(client, world):
    client.force_login(speaks(world.specialist, "es"))

    page = client.get(reverse("cases:contact_new", args=[world.case_a.pk]))
    with translation.override("en"):
        english = dict(ContactForm().fields["services"].choices)

    assert "Manejo de caso" in page.text
    assert "Transporte" in page.text
    assert english[str(service("transportation").pk)] == "Transportation"


def test_the_contacts_list_names_the_services_in_the_readers_language(client, world):
    services.log_contact(
        world.case_a, by=world.specialist, kind="phone", occurred_at=timezone.now() - timedelta(hours=1),
        initiated_by="staff", services=[service("transportation")],
    )  # fmt: skip
    client.force_login(speaks(world.specialist, "es"))

    listed = client.get(reverse("cases:contacts", args=[world.case_a.pk]))

    assert "Transporte" in listed.text
    assert "Transportation" not in listed.text


@pytest.mark.parametrize(("language", "name"), [("es", "Transporte"), ("en", "Transportation")])
def test_the_service_report_names_the_services_in_its_language(world, language, name, django_assert_num_queries):
    services.log_contact(
        world.case_a, by=world.specialist, kind="phone", occurred_at=timezone.now() - timedelta(hours=1),
        initiated_by="staff", services=[service("transportation")],
    )  # fmt: skip
    scope = Scope(
        case_ids=(world.case_a.pk,), start=TODAY - timedelta(days=7), end=TODAY, notes=False, identifying=False
    )

    with translation.override(language), django_assert_num_queries(1):
        given = services_given(scope)[world.case_a.pk]

    assert [s.name for group in given.groups for s in group.services] == [name]
