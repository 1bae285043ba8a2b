import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bloom.accounts.middleware import SESSION_STARTED_KEY
from bloom.accounts.models import Role
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def person(db):
    user = make_user(Role.SPECIALIST, email="pat@example.org", full_name="Pat Person")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_sign_in_with_email_any_case(client, person):
    response = sign_in(client, "PAT@example.org", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_passwords_are_stored_with_argon2(person):
    assert identify_hasher(person.password).algorithm == "argon2"


def test_wrong_password_keeps_the_email_and_explains(client, person):
    response = sign_in(client, "pat@example.org", "wrong")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="pat@example.org"' in html
    assert "do not match an account" in html


def test_repeated_failures_lock_the_account_with_a_clear_message(client, person, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "pat@example.org", "wrong")

    response = sign_in(client, "pat@example.org", PASSWORD)

    assert response.status_code == 429
    assert "Sign-in is paused" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_mfa_is_enforced_when_required(client, person, settings):
    settings.BLOOM_REQUIRE_MFA = True
    sign_in(client, "pat@example.org", PASSWORD)

    gate = client.get(reverse("cases:list"))
    enrol = client.get(gate["Location"])
    device = TOTPDevice.objects.get(user=person)
    wrong = client.post(reverse("accounts:mfa"), {"token": "000000", "next": "/cases/"})
    throttled = client.post(reverse("accounts:mfa"), {"token": f"{totp(device.bin_key):06d}", "next": "/cases/"})
    device.refresh_from_db()
    device.throttle_reset()
    right = client.post(reverse("accounts:mfa"), {"token": f"{totp(device.bin_key):06d}", "next": "/cases/"})

    assert gate.status_code == 302
    assert gate["Location"].startswith(reverse("accounts:mfa"))
    assert enrol.context["enrolling"] is True
    assert "<svg" in enrol.content.decode()
    assert "did not match" in wrong.content.decode()
    assert "Too many attempts" in throttled.content.decode()
    assert right["Location"] == "/cases/"
    assert client.get(reverse("cases:list")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_mfa_next_parameter_cannot_leave_the_site(client, person, settings):
    settings.BLOOM_REQUIRE_MFA = True
    sign_in(client, "pat@example.org", PASSWORD)
    client.get(reverse("accounts:mfa"))
    device = TOTPDevice.objects.get(user=person)

    response = client.post(
        reverse("accounts:mfa"), {"token": f"{totp(device.bin_key):06d}", "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("home")


def test_mfa_is_off_in_the_demo_by_default(client, person, settings):
    assert settings.BLOOM_REQUIRE_MFA is False
    sign_in(client, "pat@example.org", PASSWORD)

    assert client.get(reverse("cases:list")).status_code == 200


def test_session_idle_timeout_is_thirty_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is False  # saved once a minute at most: test_fixed_queries.py


def test_a_person_whose_session_timed_out_is_told_why(client, person):
    sign_in(client, person.email, PASSWORD)
    client.session.delete()  # what the idle timeout does: the cookie stays, the session is gone

    after_idle = client.get(reverse("cases:list"), follow=True)
    again = client.get(reverse("accounts:login"))

    assert after_idle.redirect_chain == [(f"{reverse('accounts:login')}?next={reverse('cases:list')}", 302)]
    assert [str(m) for m in after_idle.context["messages"]] == [
        "You were signed out because Bloom was left unused for a while. Please sign in again."
    ]
    assert list(again.context["messages"]) == []


def test_signing_out_is_not_mistaken_for_a_timeout(client, person):
    sign_in(client, person.email, PASSWORD)

    client.post(reverse("accounts:logout"))
    login_page = client.get(reverse("accounts:login"))

    assert list(login_page.context["messages"]) == []


# Run again at awkward instants (tests/clock.py): sessions end after hours in all.
@pytest.mark.clock
def test_session_ends_after_its_absolute_lifetime(client, person):
    client.force_login(person)
    client.get(reverse("home"))
    session = client.session
    session[SESSION_STARTED_KEY] = (timezone.now() - timedelta(hours=12, minutes=1)).isoformat()
    session.save()

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_authenticated_pages_are_never_cached(client, person):
    client.force_login(person)

    response = client.get(reverse("home"))

    assert "no-store" in response["Cache-Control"]


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(reverse("cases:list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+=", re.IGNORECASE)
EXTERNAL = re.compile(r"""(?:src|href|action)=["']?(?:https?:)?//""", re.IGNORECASE)


def page_urls(world):
    case = world.case_a.pk
    return [
        reverse("home"),
        reverse("cases:list"),
        reverse("cases:create"),
        reverse("cases:detail", args=[case]),
        reverse("cases:edit", args=[case]),
        reverse("cases:assign", args=[case]),
        reverse("cases:history", args=[case]),
        reverse("cases:access_log", args=[case]),
        reverse("notifications:list"),
        "/no-such-page/",
    ]


def assert_strict_page(response, url):
    assert "script-src 'self'" in response["Content-Security-Policy"], url
    assert "style-src 'self'" in response["Content-Security-Policy"], url
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), url
    assert not INLINE_STYLE.search(html), url
    assert not INLINE_HANDLER.search(html), url
    assert not EXTERNAL.search(html), url


def test_every_page_has_the_csp_header_and_no_inline_code(client, world):
    client.force_login(world.director)
    for url in page_urls(world):
        assert_strict_page(client.get(url), url)
    client.logout()
    assert_strict_page(client.get(reverse("accounts:login")), "login")


def test_mfa_page_has_no_inline_code(client, person, settings):
    settings.BLOOM_REQUIRE_MFA = True
    client.force_login(person)

    assert_strict_page(client.get(reverse("accounts:mfa")), "mfa")


def test_error_pages_are_not_server_errors_for_bad_input(client, world):
    client.force_login(world.director)
    for url in ["/cases/abc/", "/cases/0/", "/reports/jobs/not-a-uuid/", "/cases/?page=-1&status=nope&team=x"]:
        assert client.get(url).status_code in {200, 404}, url


def run_manage(*args, env):
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_its_secrets():
    result = run_manage("check", env={"BLOOM_ENV": "production", "SECRET_KEY": "x" * 60})

    assert result.returncode != 0
    assert "ALLOWED_HOSTS, DATABASE_URL, REDIS_URL" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    env = {
        "BLOOM_ENV": "production",
        "SECRET_KEY": "a-long-random-production-like-secret-key-0123456789-abcdefghijklmnop",
        "ALLOWED_HOSTS": "bloom.example.org",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "REDIS_URL": os.environ["REDIS_URL"],
    }

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
