"""What every signed-in request costs before its view's own work: two queries (the session, and
the user with their roles, permissions and the header's notifications), three with two-step
verification; and a session saved once a minute at most, not on every request."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.shortcuts import render
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from bloom.accounts.backends import RoleBackend
from bloom.accounts.models import Role
from bloom.notifications import services as notification_services
from bloom.notifications.models import Notification
from bloom.notifications.queries import HEADER_LIMIT
from tests.factories import make_user

BARE = "/fixed-cost/"


def bare_page(request):
    """A page whose view does nothing of its own: the whole layout, header and menus, around nothing."""
    return render(request, "base.html")


# Bloom's routes and the bare page: the layout's links still resolve.
urlpatterns = [path(BARE.strip("/") + "/", bare_page), path("", include("bloom.urls"))]


@pytest.fixture
def bare(settings):
    settings.ROOT_URLCONF = __name__


def notify(user, count: int) -> None:
    notification_services.notify(
        notification_services.Notice(
            recipient_id=user.pk,
            kind=Notification.Kind.CONTACT_OVERDUE,
            data={"code": f"C-{n}", "since": "2026-11-01"},
            url="/",
            dedupe_key=f"fixed-{n}",
        )
        for n in range(count)
    )


def fixed_queries(client, user) -> list[str]:
    client.force_login(user)
    client.get(BARE)  # the first request after sign-in saves the session once, stamped
    with CaptureQueriesContext(connection) as queries:
        response = client.get(BARE)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize("unread", [0, 1, HEADER_LIMIT + 2], ids=["none unread", "one unread", "more than listed"])
def test_a_specialist_s_page_costs_two_queries_before_the_view(client, world, bare, unread):
    notify(world.specialist, unread)

    sql = fixed_queries(client, world.specialist)

    assert len(sql) == 2, sql
    assert 'FROM "django_session"' in sql[0]
    assert 'FROM "accounts_user"' in sql[1]


def test_the_director_s_page_costs_two_queries_and_the_count_of_what_waits_on_them(client, world, bare):
    notify(world.director, 2)

    sql = fixed_queries(client, world.director)

    # The third is the header's "to decide" box, shown only to those who decide: its four
    # queues are counted in one query (bloom.reports.dashboards.waiting), after the view, a
    # statement prepared on the connection's first page and run by name on the next.
    assert len(sql) == 3, sql
    assert 'FROM "django_session"' in sql[0]
    assert 'FROM "accounts_user"' in sql[1]
    assert sql[2].startswith("EXECUTE bloom_to_decide_")


def test_two_step_verification_costs_one_more_query(client, world, bare, settings):
    settings.BLOOM_REQUIRE_MFA = True
    device = TOTPDevice.objects.create(user=world.specialist, name="phone", confirmed=True)
    client.force_login(world.specialist)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    sql = fixed_queries(client, world.specialist)

    assert len(sql) == 3, sql
    assert 'FROM "otp_totp_totpdevice"' in sql[2]


def test_permissions_and_roles_cost_nothing_once_the_user_is_loaded(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        director = RoleBackend().get_user(world.director.pk)

    with django_assert_num_queries(0):
        may = [
            director.has_perm("cases.view_case"),
            director.has_perm("cases.add_case"),
            director.has_perm("cases.no_such_thing"),
            director.has_role(Role.PROGRAM_DIRECTOR),
            director.has_role(Role.SPECIALIST),
        ]

    assert may == [True, True, False, True, False]


def test_the_loaded_permissions_are_django_s_own(world):
    for user in world.everyone().values():
        loaded = RoleBackend().get_user(user.pk)
        plain = type(user).objects.get(pk=user.pk)

        assert loaded.get_all_permissions() == plain.get_all_permissions(), user
        assert loaded.get_user_permissions() == plain.get_user_permissions(), user
        assert loaded.get_group_permissions() == plain.get_group_permissions(), user
        assert sorted(g.name for g in loaded._cached_groups()) == sorted(g.name for g in plain._cached_groups())


def test_a_superuser_s_loaded_permissions_are_every_permission(db):
    root = make_user(is_superuser=True)

    loaded = RoleBackend().get_user(root.pk)

    assert loaded.get_all_permissions() == type(root).objects.get(pk=root.pk).get_all_permissions()


def test_a_role_taken_away_counts_from_the_next_request(world):
    world.specialist.groups.clear()

    loaded = RoleBackend().get_user(world.specialist.pk)

    assert (loaded.has_role(Role.SPECIALIST), loaded.has_perm("cases.add_case")) == (False, False)


CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def header_html(user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    # Each rendering masks the form's token anew: the rest must be the same, byte for byte.
    return CSRF_TOKEN.sub("", render_to_string("notifications/_header.html", request=request))


@pytest.mark.parametrize("unread", [0, 1, HEADER_LIMIT, HEADER_LIMIT + 1])
def test_the_header_reads_the_same_from_the_user_query(world, unread, django_assert_num_queries):
    notify(world.specialist, unread)
    plain = type(world.specialist).objects.get(pk=world.specialist.pk)
    loaded = RoleBackend().get_user(world.specialist.pk)

    with django_assert_num_queries(0):
        from_the_user_query = header_html(loaded)

    assert from_the_user_query == header_html(plain)
    assert from_the_user_query.count("notif__item--unread") == min(unread, HEADER_LIMIT)


def test_a_header_loaded_before_a_change_is_read_again(world):
    notify(world.specialist, 2)
    loaded = RoleBackend().get_user(world.specialist.pk)

    notification_services.mark_read(world.specialist)

    assert "notif__item--unread" not in header_html(loaded)


# Sessions ---------------------------------------------------------------------------------


def session_writes(queries) -> int:
    return sum(query["sql"].startswith('UPDATE "django_session"') for query in queries.captured_queries)


def expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_request_within_a_minute_of_the_last_save_does_not_write_the_session(client, world):
    client.force_login(world.specialist)
    client.get(reverse("accounts:profile"))
    saved_until = expiry(client)

    soon = timezone.now() + timedelta(seconds=59)
    with time_machine.travel(soon, tick=False), CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:profile"))

    assert (response.status_code, session_writes(queries), expiry(client)) == (200, 0, saved_until)


def test_a_request_a_minute_after_the_last_save_moves_the_idle_timeout_on(client, world, settings):
    client.force_login(world.specialist)
    client.get(reverse("accounts:profile"))
    later = timezone.now() + timedelta(minutes=1)

    with time_machine.travel(later, tick=False), CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:profile"))

    assert (response.status_code, session_writes(queries)) == (200, 1)
    assert expiry(client) == later + timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_a_session_left_idle_still_signs_out(client, world, settings):
    client.force_login(world.specialist)
    client.get(reverse("accounts:profile"))
    idle = timedelta(seconds=settings.SESSION_COOKIE_AGE)
    kept = timezone.now() + idle - timedelta(minutes=1)

    with time_machine.travel(kept, tick=False):
        still_in = client.get(reverse("accounts:profile"))
    with time_machine.travel(kept + idle, tick=False):
        after_idle = client.get(reverse("accounts:profile"))

    assert still_in.status_code == 200
    assert after_idle.status_code == 302
    assert after_idle["Location"].startswith(reverse("accounts:login"))


def test_signing_out_leaves_no_session_behind(client, world):
    client.force_login(world.specialist)
    client.get(reverse("accounts:profile"))

    client.post(reverse("accounts:logout"))

    assert Session.objects.filter(expire_date__gt=timezone.now()).count() == 0
