from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

SESSION_STARTED_KEY = "bloom_session_started"
# When the session was last saved: its idle timeout counts from then.
SESSION_SAVED_KEY = "bloom_session_saved"
# A session in use is saved at least this often, so its idle timeout is right to the minute
# without a write on every request.
SESSION_RENEWAL = timedelta(minutes=1)
# The language chosen on the sign-in page: for this session only, never saved to the profile.
SIGN_IN_LANGUAGE_KEY = "bloom_sign_in_language"


class LanguageMiddleware:
    """Speak to each person in their language: the one chosen on the sign-in page for this
    session, else the one on their profile.

    After AuthenticationMiddleware, whose user row (language included) every page loads
    anyway, so it costs no query. A visitor who is not signed in and chose nothing keeps
    LocaleMiddleware's language (the language cookie, then the browser's Accept-Language).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = self.chosen(request)
        if language is None:
            return self.get_response(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers["Content-Language"] = language
        return response

    @staticmethod
    def chosen(request) -> str | None:
        wanted = [request.session.get(SIGN_IN_LANGUAGE_KEY)]
        if request.user.is_authenticated:
            wanted.append(request.user.language)
        offered = dict(settings.LANGUAGES)
        return next((language for language in wanted if language in offered), None)


class SessionLifetimeMiddleware:
    """End a session BLOOM_SESSION_MAX_AGE after sign-in, however active it has been, and
    keep the idle timeout moving while it is used.

    The idle timeout is the session's expiry in the store, SESSION_COOKIE_AGE after its last
    save; a session is saved when it changes, and otherwise once its last save is
    SESSION_RENEWAL old (``renew``), not on every request. This adds the absolute limit, so a
    session left open on a shared computer cannot live on, and tells a person whose session
    timed out why they are asked to sign in again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated:
            if request.COOKIES.get(settings.SESSION_COOKIE_NAME) and request.session.is_empty():
                # The browser still holds the cookie of a session the idle timeout ended.
                # This response deletes the cookie, so the explanation is given once.
                messages.info(
                    request,
                    _("You were signed out because Bloom was left unused for a while. Please sign in again."),
                )
        else:
            started = request.session.get(SESSION_STARTED_KEY)
            now = timezone.now()
            if started is None:
                request.session[SESSION_STARTED_KEY] = now.isoformat()
            elif now - datetime.fromisoformat(started) > settings.BLOOM_SESSION_MAX_AGE:
                logout(request)
                messages.info(request, _("For your safety you were signed out. Please sign in again."))
                return redirect(settings.LOGIN_URL)
        response = self.get_response(request)
        self.renew(request.session)
        return response

    @staticmethod
    def renew(session) -> None:
        """Have SessionMiddleware save ``session`` (moving its idle timeout on) if it is saved
        anyway or its last save is SESSION_RENEWAL old; a session signed out is left alone."""
        if session.is_empty():
            return
        now = timezone.now()
        saved = session.get(SESSION_SAVED_KEY)
        if session.modified or saved is None or now - datetime.fromisoformat(saved) >= SESSION_RENEWAL:
            session[SESSION_SAVED_KEY] = now.isoformat()


class RequireMFAMiddleware:
    """When BLOOM_REQUIRE_MFA is on, a signed-in user must pass a TOTP check first.

    Until they do, every page but the MFA pages, sign-out and static files sends them to
    set up or enter their code.
    """

    ALLOWED_PREFIXES = ("/accounts/mfa/", "/accounts/logout/", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.BLOOM_REQUIRE_MFA
            and request.user.is_authenticated
            and not request.user.is_verified()
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            return redirect(f"{reverse('accounts:mfa')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class NoStoreMiddleware:
    """Tell browsers and proxies never to keep a copy of a page shown to a signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response
