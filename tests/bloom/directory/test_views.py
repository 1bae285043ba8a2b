import pytest
from django.urls import reverse

from bloom.accounts.models import Role
from bloom.directory.models import Organization
from bloom.directory.views import PAGE_SIZE
from tests.bloom.accounts.test_security import assert_strict_page
from tests.bloom.directory.factories import make_organization
from tests.factories import make_town, make_user


@pytest.fixture
def staff(db):
    return make_user(Role.SPECIALIST)


@pytest.fixture
def directory(db):
    """A small directory: what each filter should pick out, and one organization taken out."""
    return {
        "hotline": make_organization(
            "National Human Trafficking Hotline",
            kind="hotline",
            hotline="1-888-373-7888",
            text_line="233733",
            open_24_7=True,
        ),
        "legal": make_organization(
            "Greater Hartford Legal Aid", kind="legal", services=["immigration legal aid", "vacatur"]
        ),
        "clinic": make_organization("Capitol Region Mental Health Center", kind="health", services=["therapy"]),
        "shelter": make_organization(
            "My Sister's Place", kind="victim services", services=["housing", "therapy"], open_24_7=True
        ),
        "closed": make_organization("Closed Shelter", kind="victim services", services=["therapy"], is_active=False),
    }


def names(response) -> list[str]:
    return [organization.name for organization in response.context["page"].object_list]


@pytest.mark.parametrize("url_name", ["directory:list", "directory:detail"])
def test_anonymous_people_are_sent_to_sign_in(client, directory, url_name):
    args = [directory["clinic"].pk] if url_name == "directory:detail" else []
    url = reverse(url_name, args=args)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_every_role_may_read_the_directory_and_none_may_post_to_it(client, directory):
    pages = [reverse("directory:list"), reverse("directory:detail", args=[directory["clinic"].pk])]
    seen = {}
    for role in Role:
        client.force_login(make_user(role, is_staff=role == Role.ADMINISTRATOR))
        seen[role] = [(client.get(url).status_code, client.post(url).status_code) for url in pages]

    assert seen == {role: [(200, 405), (200, 405)] for role in Role}


def test_list_shows_listed_organizations_by_name(client, staff, directory):
    client.force_login(staff)

    response = client.get(reverse("directory:list"))

    assert names(response) == [
        "Capitol Region Mental Health Center",
        "Greater Hartford Legal Aid",
        "My Sister's Place",
        "National Human Trafficking Hotline",
    ]
    assert b'href="tel:+18883737888"' in response.content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "hartford"}, ["Greater Hartford Legal Aid"]),
        ({"q": "HEALTH"}, ["Capitol Region Mental Health Center"]),
        ({"q": "  Sister  "}, ["My Sister's Place"]),
        ({"kind": "legal"}, ["Greater Hartford Legal Aid"]),
        ({"service": "therapy"}, ["Capitol Region Mental Health Center", "My Sister's Place"]),
        ({"service": "vacatur"}, ["Greater Hartford Legal Aid"]),
        ({"service": "employment"}, []),
        ({"open_24_7": "on"}, ["My Sister's Place", "National Human Trafficking Hotline"]),
        ({"service": "therapy", "open_24_7": "on"}, ["My Sister's Place"]),
        ({"kind": "victim services", "service": "therapy"}, ["My Sister's Place"]),
        ({"q": "shelter"}, []),  # taken out of the directory
    ],
)
def test_list_filters(client, staff, directory, query, expected):
    client.force_login(staff)

    response = client.get(reverse("directory:list"), query)

    assert names(response) == expected


def test_an_unknown_filter_value_is_reported_not_applied(client, staff, directory):
    client.force_login(staff)

    response = client.get(reverse("directory:list"), {"service": "astrology"})

    assert list(response.context["form"].errors) == ["service"]
    assert len(names(response)) == 4


def test_htmx_search_gets_only_the_results(client, staff, directory):
    client.force_login(staff)

    response = client.get(reverse("directory:list"), {"kind": "legal"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<html" not in html
    assert "Greater Hartford Legal Aid" in html


def test_htmx_history_restore_gets_the_whole_page(client, staff, directory):
    client.force_login(staff)

    response = client.get(
        reverse("directory:list"),
        {"kind": "legal"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )

    assert "<html" in response.content.decode()


def test_list_pages_by_fifty_and_keeps_the_filters_in_its_links(client, staff):
    for n in range(PAGE_SIZE + 1):
        make_organization(f"Clinic {n:02}", kind="health", services=["medical"])
    client.force_login(staff)

    first = client.get(reverse("directory:list"), {"service": "medical"})
    second = client.get(reverse("directory:list"), {"service": "medical", "page": 2})

    assert len(names(first)) == PAGE_SIZE
    assert names(second) == [f"Clinic {PAGE_SIZE:02}"]
    assert 'href="/directory/?service=medical&amp;page=2"' in first.content.decode()


def test_detail_shows_how_to_reach_the_organization(client, staff):
    organization = make_organization(
        "EAC/Child Advocacy Center",
        kind="victim services",
        hotline="+1 (631) 533-5656",
        phone="+1 (631) 439-0480",
        text_line="233733",
        open_24_7=True,
        services=["therapy"],
        address="1 Main Street\nSuite 2",
        town=make_town("Hartford"),
        website="https://example.org/",
        notes="Ask for the <b>intake</b> desk.",
    )
    client.force_login(staff)

    response = client.get(reverse("directory:detail", args=[organization.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="tel:+16315335656"' in html
    assert 'href="tel:+16314390480"' in html
    assert 'href="sms:233733"' in html
    assert "1 Main Street<br>Suite 2<br>Hartford, CT" in html
    assert "Answers 24/7" in html
    assert "Therapy" in html
    assert "&lt;b&gt;intake&lt;/b&gt;" in html


def test_detail_of_a_missing_organization_is_not_found(client, staff):
    client.force_login(staff)

    assert client.get(reverse("directory:detail", args=[999_999])).status_code == 404


def test_detail_of_an_organization_taken_out_of_the_directory_is_not_found(client, staff, directory):
    client.force_login(staff)

    response = client.get(reverse("directory:detail", args=[directory["closed"].pk]))

    assert response.status_code == 404
    assert Organization.objects.filter(pk=directory["closed"].pk).exists()


def test_directory_pages_are_strict_and_link_nowhere_else(client, staff):
    organization = make_organization("Love146", website="https://love146.org/", phone="(203) 772-4420")
    client.force_login(staff)

    for url in [reverse("directory:list"), reverse("directory:detail", args=[organization.pk])]:
        assert_strict_page(client.get(url), url)
