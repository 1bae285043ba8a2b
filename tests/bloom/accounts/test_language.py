"""Each person's language: their profile's, or one chosen on the sign-in page for one session.

The Spanish catalogue may not be compiled where these run, so a page is known to be in Spanish
by what does not need it: ``<html lang>``, ``Content-Language``, ``request.LANGUAGE_CODE`` and
Django's own Spanish month names.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from bloom.accounts import services
from bloom.accounts.middleware import SIGN_IN_LANGUAGE_KEY
from bloom.accounts.models import Role, User
from tests.factories import make_user

PASSWORD = "correct horse battery staple"


def person(language: str = "en", **kwargs) -> User:
    user = make_user(Role.SPECIALIST, language=language, **kwargs)
    user.set_password(PASSWORD)
    user.save()
    return user


def browser(accept: str = "en") -> Client:
    """A browser whose settings ask for ``accept`` (its Accept-Language)."""
    return Client(headers={"accept-language": accept})


def sign_in(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, "the sign-in was refused"
    return response


def choose_on_sign_in_page(client, language: str, next_url: str | None = None):
    return client.post(
        reverse("accounts:sign_in_language"), {"language": language, "next": next_url or reverse("accounts:login")}
    )


def language_of(response) -> str:
    """The page's language, as each of the three places that say it agree it is."""
    html = response.content.decode()
    said = {
        html[html.index('<html lang="') + 12 : html.index('">', html.index("<html"))],
        response["Content-Language"],
        response.wsgi_request.LANGUAGE_CODE,
    }
    assert len(said) == 1, f"the page disagrees about its language: {said}"
    return said.pop()


# The preference --------------------------------------------------------------------------------


def test_a_new_account_speaks_the_programs_language(db):
    assert make_user(Role.SPECIALIST).language == settings.LANGUAGE_CODE == "en"


def test_choosing_a_language_saves_it_with_a_history_row(db):
    user = person("en")

    services.choose_language(user, language="es", by=user)

    user.refresh_from_db()
    latest = user.history.latest("history_id")
    assert user.language == "es"
    assert (latest.language, latest.history_user, latest.history_change_reason) == ("es", user, "user.language_chosen")


def test_choosing_the_language_one_has_leaves_no_history_row(db):
    user = person("es")
    rows = user.history.count()

    services.choose_language(user, language="es", by=user)

    assert user.history.count() == rows


def test_a_language_bloom_does_not_offer_is_refused(db):
    user = person("en")

    with pytest.raises(ValidationError):
        services.choose_language(user, language="fr", by=user)

    user.refresh_from_db()
    assert user.language == "en"


# The profile page ------------------------------------------------------------------------------


def test_the_profile_shows_ones_name_and_email_and_is_linked_from_the_header(client, db):
    user = person(full_name="Pat Person", email="pat@example.org")
    client.force_login(user)

    response = client.get(reverse("accounts:profile"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Pat Person" in html
    assert "pat@example.org" in html
    assert f'<a class="user-menu__name" href="{reverse("accounts:profile")}" aria-current="page">Pat Person</a>' in html
    assert response.context["form"].initial == {"language": "en"}


def test_the_profile_is_only_for_someone_signed_in(client, db):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["specialist", "supervisor", "director", "finance", "outreach", "volunteer",
                                     "trainer", "administrator"])  # fmt: skip
def test_everyone_may_choose_their_language_on_their_profile(client, world, persona):
    user = world.everyone()[persona]
    client.force_login(user)

    response = client.post(reverse("accounts:profile"), {"language": "es"})

    user.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert user.language == "es"
    assert user.history.latest("history_id").history_user == user


def test_saving_the_profile_switches_the_page_language_at_once(client, db):
    user = person("en")
    client.force_login(user)

    response = client.post(reverse("accounts:profile"), {"language": "es"}, follow=True)

    assert language_of(response) == "es"
    assert response.context["form"].initial == {"language": "es"}


def test_a_language_not_offered_is_refused_on_the_profile(client, db):
    user = person("en")
    client.force_login(user)

    response = client.post(reverse("accounts:profile"), {"language": "fr"})

    user.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["language"][0].code == "invalid_choice"
    assert user.language == "en"


def test_the_profile_offers_each_language_in_its_own_name(client, db):
    client.force_login(person("es"))

    html = client.get(reverse("accounts:profile")).content.decode()

    assert '<span lang="en">English</span>' in html
    assert '<span lang="es">Español</span>' in html


# Pages in the person's language ----------------------------------------------------------------


def test_a_person_whose_language_is_spanish_gets_spanish_pages(db):
    client = browser("en")  # the browser asks for English: the profile wins
    client.force_login(person("es"))

    home = client.get(reverse("home"))
    profile = client.get(reverse("accounts:profile"))

    assert (language_of(home), language_of(profile)) == ("es", "es")
    assert reverse("accounts:profile") in home.content.decode()


def test_an_english_speaker_gets_english_pages_whatever_the_browser_asks(db):
    client = browser("es")
    client.force_login(person("en"))

    assert language_of(client.get(reverse("home"))) == "en"


@pytest.mark.parametrize("accept", ["es", "en"])
def test_pages_for_someone_not_signed_in_follow_the_browser(db, accept):
    response = browser(accept).get(reverse("accounts:login"))

    assert language_of(response) == accept
    assert "Accept-Language" in response["Vary"]


def test_pages_for_someone_not_signed_in_follow_the_language_cookie(db):
    client = browser("en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    assert language_of(client.get(reverse("accounts:login"))) == "es"


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "$1,500.00 · $1,234,567.89 · Dec. 7, 2026 · 12/07/2026"),
        ("es", "$1,500.00 · $1,234,567.89 · 7 de diciembre de 2026 · 07/12/2026"),
    ],
)
def test_dates_follow_the_language_and_amounts_read_the_american_way_in_both(language, shown):
    page = Template(
        '${{ small|floatformat:"2g" }} · ${{ large|floatformat:"2g" }} · '
        '{{ day|date:"DATE_FORMAT" }} · {{ day|date:"SHORT_DATE_FORMAT" }}'
    )
    context = Context({"small": Decimal("1500"), "large": Decimal("1234567.891"), "day": date(2026, 12, 7)})

    with translation.override(language):
        assert page.render(context) == shown


# The choice on the sign-in page (a shared computer) --------------------------------------------


def test_the_sign_in_page_offers_each_language_in_its_own_name(db):
    html = browser("en").get(reverse("accounts:login")).content.decode()

    assert 'name="language" value="en" lang="en" aria-pressed="true">English</button>' in html
    assert 'name="language" value="es" lang="es" aria-pressed="false">Español</button>' in html


def test_a_language_chosen_on_the_sign_in_page_shows_that_page_in_it(db):
    client = browser("en")
    wanted = f"{reverse('accounts:login')}?next={reverse('cases:list')}"

    chosen = choose_on_sign_in_page(client, "es", wanted)
    page = client.get(chosen["Location"])

    assert chosen["Location"] == wanted
    assert language_of(page) == "es"
    assert 'value="es" lang="es" aria-pressed="true"' in page.content.decode()


def test_a_language_chosen_on_the_sign_in_page_applies_to_that_session_not_the_profile(db):
    user = person("en")
    client = browser("en")

    choose_on_sign_in_page(client, "es")
    sign_in(client, user)
    home = client.get(reverse("home"))

    user.refresh_from_db()
    assert language_of(home) == "es"
    assert user.language == "en"
    assert set(user.history.values_list("language", flat=True)) == {"en"}


def test_without_a_choice_on_the_sign_in_page_the_profiles_language_applies(db):
    client = browser("en")

    sign_in(client, person("es"))

    assert language_of(client.get(reverse("home"))) == "es"


def test_signing_out_forgets_the_choice_for_the_next_person(db):
    first, second = person("en"), person("en")
    client = browser("en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"  # as Django's own set_language would leave it
    choose_on_sign_in_page(client, "es")
    sign_in(client, first)

    signed_out = client.post(reverse("accounts:logout"))
    login_page = client.get(reverse("accounts:login"))
    sign_in(client, second)
    home = client.get(reverse("home"))

    assert signed_out.cookies[settings.LANGUAGE_COOKIE_NAME]["max-age"] == 0
    assert language_of(login_page) == "en"
    assert language_of(home) == "en"
    assert SIGN_IN_LANGUAGE_KEY not in client.session


def test_saving_the_profile_outranks_the_choice_made_on_the_sign_in_page(db):
    user = person("en")
    client = browser("en")
    choose_on_sign_in_page(client, "es")
    sign_in(client, user)

    response = client.post(reverse("accounts:profile"), {"language": "en"}, follow=True)

    assert language_of(response) == "en"
    assert SIGN_IN_LANGUAGE_KEY not in client.session


def test_the_profile_says_when_this_session_speaks_another_language(db):
    client = browser("en")
    choose_on_sign_in_page(client, "es")
    sign_in(client, person("en"))

    response = client.get(reverse("accounts:profile"))

    assert response.context["session_language"] == "es"


def test_the_two_step_verification_page_follows_the_sign_in_choice(db, settings):
    settings.BLOOM_REQUIRE_MFA = True
    client = browser("en")
    choose_on_sign_in_page(client, "es")

    signed_in = sign_in(client, person("en"))
    gate = client.get(signed_in["Location"])
    mfa = client.get(gate["Location"])

    assert gate["Location"].startswith(reverse("accounts:mfa"))
    assert language_of(mfa) == "es"


def test_an_unknown_language_on_the_sign_in_page_changes_nothing(db):
    client = browser("en")

    response = choose_on_sign_in_page(client, "fr")

    assert response.status_code == 302
    assert SIGN_IN_LANGUAGE_KEY not in client.session
    assert language_of(client.get(reverse("accounts:login"))) == "en"


def test_the_sign_in_page_choice_cannot_send_anyone_off_the_site(db):
    response = choose_on_sign_in_page(browser("en"), "es", "https://evil.example/")

    assert response["Location"] == reverse("accounts:login")


def test_the_sign_in_page_choice_needs_the_forms_csrf_token(db):
    client = Client(enforce_csrf_checks=True)

    response = choose_on_sign_in_page(client, "es")

    assert response.status_code == 403


# Cost ------------------------------------------------------------------------------------------


def queries_for_home(client) -> int:
    client.get(reverse("home"))  # warm the per-process caches (content types)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_a_language_costs_no_query_on_an_ordinary_page(db):
    plain = browser("en")
    sign_in(plain, person("en"))
    by_profile = browser("en")
    sign_in(by_profile, person("es"))
    by_choice = browser("en")
    choose_on_sign_in_page(by_choice, "es")
    sign_in(by_choice, person("en"))

    counts = [queries_for_home(client) for client in (plain, by_profile, by_choice)]

    assert counts[1:] == [counts[0], counts[0]]


# The admin -------------------------------------------------------------------------------------


def test_an_administrator_sees_and_may_change_a_persons_language(client, world):
    client.force_login(world.administrator)

    response = client.get(reverse("admin:accounts_user_change", args=[world.specialist.pk]))

    assert "language" in response.context["adminform"].form.fields
