"""Who may use which URL: every route in the project, every persona, as ``tests/matrix.py`` declares.

One test per route, so a route can be run alone (``-k``) and the routes spread over the
workers. The objects the URLs name are made once per module (``module_objects``) inside a
transaction rolled back after it; each request runs in a savepoint rolled back after it, so
a POST that changes something never affects the next.
"""

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import Client
from django.urls import resolve

from tests.matrix import EXAMPLES, MATRIX, PERSONAS, STAFF, Route, SignedIn, every_example, observe, project_routes


def examples(*, with_data: bool = False) -> list:
    """Every declared route (and each extra example of one) as a test parameter named by its route."""
    ids = [f"/{route}" for route in MATRIX] + [f"/{route} example {n}" for n, (route, _d) in enumerate(EXAMPLES, 1)]
    return [
        pytest.param(example, id=name)
        for name, example in zip(ids, every_example(), strict=True)
        if not with_data or example[1].data is not Route.data
    ]


ROUTES = pytest.mark.parametrize("example", examples())


@pytest.fixture(scope="module")
def signed_in(module_objects, django_db_blocker) -> SignedIn:
    """Each persona's client, signed in once for the module."""
    with django_db_blocker.unblock():
        return SignedIn(module_objects.world)


def test_every_route_in_the_project_is_declared():
    routes = project_routes()

    assert len(routes) == len(set(routes)), "two URL patterns share a route"
    assert sorted(set(routes) - set(MATRIX)) == [], "declare who may use these routes in MATRIX"
    assert sorted(set(MATRIX) - set(routes)) == [], "MATRIX declares routes that no longer exist"
    assert {route for route, _example in EXAMPLES} <= set(MATRIX), "an example of a route not in MATRIX"


@ROUTES
def test_every_persona_gets_the_declared_answer(objects, signed_in, example):
    route, declared = example
    assert resolve(declared.path(objects)).route == route, "the declared path reaches another route"

    seen = observe(objects, declared, signed_in)

    differences = [
        f"{method} as {persona}: declared {getattr(declared, method)[persona]}, got {seen[method][persona]}"
        for method in ("GET", "POST")
        for persona in PERSONAS
        if seen[method][persona] != getattr(declared, method)[persona]
    ]
    assert differences == [], "\n".join(differences)


@pytest.mark.parametrize("example", examples(with_data=True))
def test_a_valid_post_declared_as_a_redirect_is_taken(objects, signed_in, example):
    """A declared 302 after a valid post is the change made, not a redirect back with a refusal."""
    _route, declared = example
    refused = {}
    for persona in (p for p in STAFF if declared.POST[p] == "302"):
        client = signed_in[persona]
        path = declared.path(objects)
        client.get(path)  # the survey link's page gives its device cookie
        with transaction.atomic():
            response = client.post(path, declared.data(objects))
            transaction.set_rollback(True)
        errors = [str(m) for m in get_messages(response.wsgi_request) if m.level >= messages.WARNING]
        if errors:
            refused[persona] = errors

    assert refused == {}


def test_a_volunteer_sees_only_their_own_sessions(objects):
    """The matrix's session is one the volunteer was on; another session is out of their sight."""
    client = Client()
    client.force_login(objects.world.volunteer)
    other = f"/outreach/sessions/{objects.other_session.pk}/"

    answers = {
        "own": client.get(f"/outreach/sessions/{objects.session.pk}/").status_code,
        "other": client.get(other).status_code,
        "other edit": client.get(f"{other}edit/").status_code,
        "other hand-off": client.post(f"{other}hand-off/", {}).status_code,
        "own record": client.get(f"/outreach/volunteers/{objects.volunteer_record.pk}/").status_code,
    }
    mine = client.get("/outreach/mine/")

    assert answers == {"own": 200, "other": 404, "other edit": 404, "other hand-off": 404, "own record": 404}
    assert [s.pk for s in mine.context["page"]] == [objects.session.pk]
