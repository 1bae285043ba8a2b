import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

HEADER = re.compile(r'^app;dur=(\d+\.\d), db;dur=(\d+\.\d), queries;desc="(\d+)"$')


def test_no_server_timing_header_when_off(client, settings, world):
    settings.BLOOM_SERVER_TIMING = False
    client.force_login(world.specialist)

    response = client.get(reverse("cases:list"))

    assert "Server-Timing" not in response


def test_server_timing_counts_every_query_of_the_request(client, settings, world):
    settings.BLOOM_SERVER_TIMING = True
    client.force_login(world.specialist)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("cases:list"))

    app_ms, db_ms, queries = HEADER.match(response["Server-Timing"]).groups()
    assert int(queries) == len(captured)
    assert 0 < float(db_ms) <= float(app_ms)


def test_server_timing_covers_answers_from_other_middleware(client, settings, world):
    # The MFA redirect is decided in middleware, before any view: the header still comes.
    settings.BLOOM_SERVER_TIMING = True
    settings.BLOOM_REQUIRE_MFA = True
    client.force_login(world.specialist)

    response = client.get(reverse("cases:list"))

    assert response.status_code == 302
    assert HEADER.match(response["Server-Timing"])
