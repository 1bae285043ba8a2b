"""The directory list costs the same at 1 organization and at 5."""

import pytest
from django.urls import reverse

from bloom.accounts.models import Role
from tests.bloom.directory.factories import make_organization
from tests.factories import make_town, make_user


@pytest.mark.parametrize("size", [1, 5])
@pytest.mark.parametrize("query", [{}, {"q": "partner", "kind": "legal", "service": "therapy", "open_24_7": "on"}])
def test_directory_list_query_count_does_not_grow_with_rows(client, db, django_assert_num_queries, size, query):
    town = make_town("Hartford")
    for n in range(size):
        make_organization(
            f"Partner {n}",
            kind="legal",
            services=["therapy", "housing"],
            open_24_7=True,
            town=town,
            phone="860-555-0100",
        )
    client.force_login(make_user(Role.SPECIALIST))
    client.get(reverse("directory:list"))  # warm the per-process caches

    with django_assert_num_queries(4):
        response = client.get(reverse("directory:list"), query)

    assert len(response.context["page"].object_list) == size
