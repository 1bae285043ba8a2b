"""The service catalogue and the funders' codes: the director's services and pages, and who may not."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from cases import services
from cases.models import FunderCode, FunderScheme, Service
from cases.services import CodeDetails, ServiceDetails

VS, HHS = FunderScheme.VICTIM_SERVICES, FunderScheme.HHS


def code(scheme: str, text: str) -> FunderCode:
    return FunderCode.objects.get(scheme=scheme, code=text)


def details(name="Peer mentoring", group="support", **overrides) -> ServiceDetails:
    return ServiceDetails(name=name, group=group, **overrides)


def code_details(scheme=VS, text="F1", label="Financial counseling", **overrides) -> CodeDetails:
    return CodeDetails(scheme=scheme, code=text, label=label, **overrides)


def refusal(call) -> dict:
    with pytest.raises(services.CatalogueError) as refused:
        call()
    return refused.value.message_dict


# Services -------------------------------------------------------------------------------------


def test_add_service_makes_its_key_from_the_name_and_leaves_history(world):
    hhs = code(HHS, "mental-health")

    service = services.add_service(
        by=world.director, details=details(name="  Peer   mentoring ", usual=True, order=4, hhs_code=hhs)
    )

    stored = Service.objects.get(pk=service.pk)
    assert (stored.key, stored.name, stored.group, stored.usual, stored.is_active, stored.order) == (
        "peer-mentoring",
        "Peer mentoring",
        "support",
        True,
        True,
        4,
    )
    assert (stored.victim_services_code, stored.hhs_code) == (None, hhs)
    history = stored.history.get()
    assert (history.history_user, history.history_change_reason) == (world.director, "service.added")


def test_a_name_that_makes_a_taken_key_gets_a_key_of_its_own(world):
    first = services.add_service(by=world.director, details=details(name="Transportation."))
    second = services.add_service(by=world.director, details=details(name="Transportation!"))
    nameless = services.add_service(by=world.director, details=details(name="🌸"))

    assert (first.key, second.key, nameless.key) == ("transportation-2", "transportation-3", "service")


def test_update_service_changes_what_was_asked_never_the_key(world):
    service = Service.objects.get(key="transportation")
    vs_code = service.victim_services_code

    services.update_service(
        service,
        by=world.director,
        details=details(name="Rides and bus passes", group="needs", usual=False, is_active=False, order=service.order,
                        victim_services_code=vs_code, hhs_code=service.hhs_code),
    )  # fmt: skip

    service.refresh_from_db()
    assert (service.key, service.name, service.group, service.usual, service.is_active) == (
        "transportation",
        "Rides and bus passes",
        "needs",
        False,
        False,
    )
    latest = service.history.latest()
    assert latest.history_user == world.director
    assert latest.history_change_reason == 'row.changed|[["name","group","usual","is_active"]]'
    assert latest.prev_record.name == "Transportation"


def test_saving_a_service_unchanged_writes_no_history(world):
    service = Service.objects.get(key="transportation")
    before = service.history.count()

    services.update_service(
        service,
        by=world.director,
        details=details(name=service.name, group=service.group, usual=service.usual, order=service.order,
                        victim_services_code=service.victim_services_code, hhs_code=service.hhs_code),
    )  # fmt: skip

    assert service.history.count() == before


def test_a_name_another_service_has_is_refused_whatever_its_capitals(world):
    assert refusal(lambda: services.add_service(by=world.director, details=details(name="transportation"))) == {
        "name": ["There is already a service called “Transportation”."]
    }
    assert not Service.objects.filter(name="transportation").exists()


def test_a_victim_services_code_already_given_is_refused_naming_the_service(world):
    b9 = code(VS, "B9")

    refused = refusal(
        lambda: services.add_service(by=world.director, details=details(name="Bus passes", victim_services_code=b9))
    )

    assert refused == {
        "victim_services_code": [
            "B9 is already given to “Transportation”. Each victim-services code counts one service."
        ]
    }
    assert not Service.objects.filter(name="Bus passes").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "Bus\x07passes"}, "name"),
        ({"name": "x" * 151}, "name"),
        ({"group": "astrology"}, "group"),
        ({"order": -1}, "order"),
        ({"order": 40000}, "order"),
        ({"victim_services_code": "hhs"}, "victim_services_code"),
        ({"hhs_code": "victim services"}, "hhs_code"),
    ],
)
def test_values_outside_the_rules_are_refused_on_their_field(world, overrides, field):
    schemes = {"hhs": code(HHS, "transportation"), "victim services": code(VS, "E11")}
    overrides = {name: schemes[value] if name.endswith("code") else value for name, value in overrides.items()}
    before = Service.objects.count()

    refused = refusal(lambda: services.add_service(by=world.director, details=details(**overrides)))

    assert list(refused) == [field]
    assert Service.objects.count() == before


# Funders' codes --------------------------------------------------------------------------------


def test_add_funder_code_stores_it_with_history(world):
    added = services.add_funder_code(
        by=world.director, details=code_details(text=" F1 ", category="F. Financial", order=50)
    )

    stored = FunderCode.objects.get(pk=added.pk)
    assert (stored.scheme, stored.code, stored.label, stored.category, stored.order, stored.first_reported_on) == (
        VS,
        "F1",
        "Financial counseling",
        "F. Financial",
        50,
        None,
    )
    history = stored.history.get()
    assert (history.history_user, history.history_change_reason) == (world.director, "funder_code.added")


@pytest.mark.parametrize(
    ("scheme", "text", "message"),
    [
        (VS, "B9", "B9 is already a victim-services code."),
        (VS, "b9", "b9 is already a victim-services code."),
        (HHS, "housing", "housing is already an HHS category."),
    ],
)
def test_a_code_the_scheme_already_has_is_refused(world, scheme, text, message):
    before = FunderCode.objects.count()

    refused = refusal(lambda: services.add_funder_code(by=world.director, details=code_details(scheme, text)))

    assert refused == {"code": [message]}
    assert FunderCode.objects.count() == before


def test_the_same_code_may_be_in_two_schemes(world):
    added = services.add_funder_code(by=world.director, details=code_details(HHS, "B9", "Bus fares"))

    assert list(FunderCode.objects.filter(code="B9").values_list("scheme", flat=True).order_by("scheme")) == [
        HHS,
        VS,
    ]
    assert added.scheme == HHS


def test_record_codes_reported_sets_the_first_day_only_and_leaves_history(world):
    b9, c1 = code(VS, "B9"), code(VS, "C1")
    first, later = date(2026, 3, 3), date(2026, 6, 30)

    marked = services.record_codes_reported([b9], on=first, by=world.director)
    again = services.record_codes_reported([b9, c1], on=later)

    b9.refresh_from_db()
    c1.refresh_from_db()
    assert ([m.code for m in marked], [m.code for m in again]) == (["B9"], ["C1"])
    assert (b9.first_reported_on, c1.first_reported_on) == (first, later)
    latest = b9.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        world.director,
        'funder_code.first_reported|["2026-03-03"]',
    )
    assert b9.history.count() == 2  # installed, then reported once


def test_a_reported_code_keeps_its_code_but_its_name_may_be_corrected(world):
    b9 = code(VS, "B9")
    services.record_codes_reported([b9], on=date(2026, 3, 3))

    refused = refusal(
        lambda: services.update_funder_code(
            b9, by=world.director, details=code_details(text="B9a", label=b9.label, category=b9.category)
        )
    )
    services.update_funder_code(
        b9, by=world.director, details=code_details(text="B9", label="Transportation", category=b9.category,
                                                    order=b9.order)
    )  # fmt: skip

    b9.refresh_from_db()
    assert refused == {
        "code": [
            f"B9 was reported on {date_format(date(2026, 3, 3))}, so its code cannot change. Add a new code "
            "instead; its name can still be corrected here."
        ]
    }
    assert (b9.code, b9.label) == ("B9", "Transportation")
    latest = b9.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (world.director, 'row.changed|[["label"]]')


def test_an_unreported_code_may_be_renamed(world):
    e11 = code(VS, "E11")

    services.update_funder_code(
        e11, by=world.director, details=code_details(text="E12", label=e11.label, category=e11.category,
                                                     order=e11.order)
    )  # fmt: skip

    e11.refresh_from_db()
    assert e11.code == "E12"
    assert e11.history.latest().history_change_reason == 'row.changed|[["code"]]'


def test_a_code_a_service_counts_under_keeps_its_scheme(world):
    b9 = code(VS, "B9")

    refused = refusal(
        lambda: services.update_funder_code(b9, by=world.director, details=code_details(HHS, "B9", b9.label))
    )

    b9.refresh_from_db()
    assert refused == {"scheme": ["“Transportation” is counted under B9, so its scheme cannot change."]}
    assert b9.scheme == VS


def test_a_reported_code_keeps_its_scheme(world):
    unused = services.add_funder_code(by=world.director, details=code_details(text="F1"))
    services.record_codes_reported([unused], on=date(2026, 3, 3))

    refused = refusal(lambda: services.update_funder_code(unused, by=world.director, details=code_details(HHS, "F1")))

    assert list(refused) == ["scheme"]


def test_only_the_director_may_manage_the_catalogue(world):
    allowed = {name: services.may_manage_catalogue(user) for name, user in world.everyone().items()}

    assert [name for name, yes in allowed.items() if yes] == ["director"]


# Pages -----------------------------------------------------------------------------------------

PAGES = [
    lambda: reverse("cases:catalogue"),
    lambda: reverse("cases:service_new"),
    lambda: reverse("cases:service_edit", args=[Service.objects.get(key="transportation").pk]),
    lambda: reverse("cases:funder_codes"),
    lambda: reverse("cases:funder_code_new"),
    lambda: reverse("cases:funder_code_edit", args=[code(VS, "B9").pk]),
]


def test_the_catalogue_lists_services_by_group_with_their_codes(client, world):
    client.force_login(world.director)

    html = client.get(reverse("cases:catalogue")).content.decode()

    assert html.index("Information and referral") < html.index("Advocacy and accompaniment")
    assert html.index("Advocacy and accompaniment") < html.index("Transportation") < html.index("Shelter and housing")
    assert '<span class="code">B9</span>' in html
    assert "Usual, shown first" in html


def test_the_codes_page_says_which_service_each_code_counts(client, world):
    services.record_codes_reported([code(VS, "B9")], on=date(2026, 3, 3))
    client.force_login(world.director)

    response = client.get(reverse("cases:funder_codes"))

    rows = {code.code: counted for _label, rows in response.context["schemes"] for code, counted in rows}
    assert rows["B9"] == ["Transportation"]
    assert "Transportation" in rows["transportation"]
    assert date_format(date(2026, 3, 3)) in response.content.decode()


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("persona", ["specialist", "supervisor", "finance", "administrator"])
def test_everyone_but_the_director_is_refused_every_catalogue_page(client, world, url, persona):
    client.force_login(world.everyone()[persona])

    assert client.get(url()).status_code == 403


@pytest.mark.parametrize("url", [page for n, page in enumerate(PAGES) if n not in (0, 3)])
def test_a_post_without_the_permission_changes_nothing(client, world, url):
    client.force_login(world.supervisor)
    before = (list(Service.objects.values_list("name", flat=True)), FunderCode.objects.count())

    response = client.post(url(), {"name": "Peer mentoring", "group": "support", "order": "1", "scheme": VS,
                                   "code": "F1", "label": "X"})  # fmt: skip

    assert response.status_code == 403
    assert (list(Service.objects.values_list("name", flat=True)), FunderCode.objects.count()) == before


@pytest.mark.parametrize("url", PAGES)
def test_signed_out_people_are_sent_to_sign_in(client, world, url):
    assert client.get(url()).url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["cases:service_edit", "cases:funder_code_edit"])
def test_a_missing_service_or_code_is_a_404(client, world, name):
    client.force_login(world.director)

    assert client.get(reverse(name, args=[999999])).status_code == 404


def test_the_director_adds_a_service_by_page(client, world):
    client.force_login(world.director)
    hhs = code(HHS, "mental-health")

    response = client.post(
        reverse("cases:service_new"),
        {"name": "Peer mentoring", "group": "support", "usual": "on", "is_active": "on", "order": "3",
         "hhs_code": hhs.pk},
    )  # fmt: skip

    service = Service.objects.get(name="Peer mentoring")
    assert (response.status_code, response["Location"]) == (302, reverse("cases:catalogue"))
    assert (service.key, service.usual, service.hhs_code) == ("peer-mentoring", True, hhs)


def test_a_refused_service_is_shown_beside_its_field_keeping_what_was_typed(client, world):
    client.force_login(world.director)
    b9 = code(VS, "B9")

    response = client.post(
        reverse("cases:service_new"),
        {"name": "Bus passes", "group": "needs", "order": "7", "victim_services_code": b9.pk},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert dict(response.context["form"].errors) == {
        "victim_services_code": [
            "B9 is already given to “Transportation”. Each victim-services code counts one service."
        ]
    }
    assert 'value="Bus passes"' in html
    assert "B9 is already given to" in html
    assert not Service.objects.filter(name="Bus passes").exists()


def test_the_edit_page_shows_the_service_and_saves_changes(client, world):
    service = Service.objects.get(key="transportation")
    client.force_login(world.director)
    url = reverse("cases:service_edit", args=[service.pk])

    shown = client.get(url)
    response = client.post(
        url,
        {"name": "Rides", "group": service.group, "usual": "on", "is_active": "on", "order": service.order,
         "victim_services_code": service.victim_services_code_id, "hhs_code": service.hhs_code_id},
    )  # fmt: skip

    service.refresh_from_db()
    assert 'value="Transportation"' in shown.content.decode()
    assert response.status_code == 302
    assert (service.key, service.name) == ("transportation", "Rides")


def test_the_director_adds_a_code_and_is_refused_a_duplicate(client, world):
    client.force_login(world.director)
    url = reverse("cases:funder_code_new")

    added = client.post(url, {"scheme": VS, "code": "F1", "label": "Financial counseling", "order": "40"})
    again = client.post(url, {"scheme": VS, "code": "F1", "label": "Again", "order": "41"})

    assert (added.status_code, again.status_code) == (302, 200)
    assert dict(again.context["form"].errors) == {"code": ["F1 is already a victim-services code."]}
    assert list(FunderCode.objects.filter(code="F1").values_list("label", flat=True)) == ["Financial counseling"]


def test_a_reported_code_says_so_on_its_page_and_refuses_a_new_code(client, world):
    b9 = code(VS, "B9")
    services.record_codes_reported([b9], on=date(2026, 3, 3))
    client.force_login(world.director)
    url = reverse("cases:funder_code_edit", args=[b9.pk])

    shown = client.get(url).content.decode()
    response = client.post(url, {"scheme": VS, "code": "B99", "label": b9.label, "order": b9.order})

    b9.refresh_from_db()
    assert "A report counted under this code on" in shown
    assert list(response.context["form"].errors) == ["code"]
    assert 'value="B99"' in response.content.decode()
    assert b9.code == "B9"


def test_the_case_list_links_to_the_catalogue_for_the_director_only(client, world):
    link = reverse("cases:catalogue")
    shown = {}
    for persona in ("director", "supervisor", "specialist"):
        client.force_login(world.everyone()[persona])
        shown[persona] = link in client.get(reverse("cases:list")).content.decode()

    assert shown == {"director": True, "supervisor": False, "specialist": False}


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize(("url_name", "queries"), [("cases:catalogue", 4), ("cases:funder_codes", 5)])
def test_the_catalogue_pages_cost_the_same_however_many_services(
    client, world, django_assert_num_queries, size, url_name, queries
):
    for n in range(size):
        extra = services.add_funder_code(by=world.director, details=code_details(text=f"F{n}"))
        services.add_service(by=world.director, details=details(name=f"Service {n}", victim_services_code=extra))
    client.force_login(world.director)
    url = reverse(url_name)
    client.get(url)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200


def test_a_service_keeps_a_code_it_was_reported_under(world):
    transportation = Service.objects.get(key="transportation")
    services.record_codes_reported([code(VS, "B9")], on=date(2026, 3, 3))
    keep = {"group": transportation.group, "order": transportation.order, "hhs_code": transportation.hhs_code}

    refused = refusal(
        lambda: services.update_service(
            transportation, by=world.director, details=details(name="Transportation", victim_services_code=None, **keep)
        )
    )
    services.update_service(
        transportation,
        by=world.director,
        details=details(name="Rides and bus passes", victim_services_code=code(VS, "B9"), **keep),
    )

    transportation.refresh_from_db()
    assert refused == {
        "victim_services_code": [
            f"This service was reported under B9 on {date_format(date(2026, 3, 3))}, so it keeps that code. "
            "Add a new service for what is counted differently from now on."
        ]
    }
    assert (transportation.name, transportation.victim_services_code.code) == ("Rides and bus passes", "B9")
