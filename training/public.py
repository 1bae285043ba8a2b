"""The survey link: what an attendee sees on their phone, with no sign-in.

The link's secret names one event; these pages show that event's survey and nothing else,
with no menu and no link into Bloom. An answer is anonymous. A cookie with a random id lets
one device answer each survey once; it and the address are kept only as keyed digests, apart
from the answers, until the survey closes (``training.services``).

The attendee chooses the language at the top of every page ("English", "Español", each in its
own language); until they do, the browser's language is used. The choice travels in the
address (``?lang=es``), not in a cookie, and the whole page follows it: Bloom's words from the
catalogue, the survey's from the director's translation (``bloom.translated``). The answer
keeps the language it was given in; answers in every language are pooled.
"""

import secrets
from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from bloom import translated
from bloom.audit.services import client_ip
from bloom.forms import forms_context, show_refusal
from training import access, queries, services
from training.forms import SurveyForm
from training.models import SurveyResponse

DEVICE_COOKIE = "bloom_survey_device"
DEVICE_COOKIE_AGE = 60 * 60 * 24 * 60  # two months: longer than any survey stays open


def _public(response):
    """Headers for a page anyone with the link may open: not indexed, not cached, no referrer to other sites."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def _with_device(request, response):
    if not _device(request):
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(18),
            max_age=DEVICE_COOKIE_AGE,
            path="/s/",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


def _device(request) -> str:
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    return value if 16 <= len(value) <= 40 and value.isascii() else ""


def _chosen(request) -> str | None:
    """The language the attendee chose at the top of the page (``?lang=``), if one Bloom offers."""
    return translated.offered(request.GET.get("lang"))


def _language(request) -> str:
    """The page's language: the attendee's choice, else their browser's (``LocaleMiddleware``'s)."""
    return _chosen(request) or translated.offered(getattr(request, "LANGUAGE_CODE", "")) or settings.LANGUAGE_CODE


def _in_language(view):
    """Run ``view`` and render its page in the attendee's language, saying so in the response."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        language = _language(request)
        with translation.override(language):
            response = view(request, *args, language=language, **kwargs)
        response["Content-Language"] = language
        return response

    return wrapped


def _languages(request, language: str) -> dict:
    """What every page needs for the choice of language: the choices, the page's language, and
    the query that keeps a choice made on the links and forms that follow."""
    chosen = _chosen(request)
    return {
        "language": language,
        "languages": [(code, translated.own_name(code)) for code, _name in settings.LANGUAGES],
        "keep_language": f"?lang={chosen}" if chosen else "",
    }


@never_cache
@require_safe
@_in_language
def landing(request, token, *, language):
    """Which survey: before or after the training, with what the link takes now."""
    event = access.event_for_link(token)
    states = {phase: services.link_state(event, phase) for phase in SurveyResponse.Phase.values}
    answered = services.answered_on_device(event, _device(request))
    context = {"event": event, "states": states, "answered": answered, "token": token, **_languages(request, language)}
    return _public(_with_device(request, render(request, "training/public/landing.html", context)))


# No CSRF token: the link has no sign-in and no session for a forged post to ride on, and anyone
# holding the link may post an answer anyway. What guards an answer is the device cookie, which
# is SameSite=Lax, so a post from another site arrives without it and is refused below, keeping
# what was ticked. With Django's check, a phone that lost the CSRF cookie (or sent ``Origin:
# null``) got Bloom's own refusal page, with its name and a link into it, and lost the answers.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
@_in_language
def answer(request, token, phase, *, language):
    event = access.event_for_link(token)
    if phase not in SurveyResponse.Phase.values:
        raise Http404
    state = services.link_state(event, phase)
    languages = _languages(request, language)
    if state != services.LinkState.OPEN:
        context = {"event": event, "phase": phase, "state": state, "token": token, **languages}
        return _public(
            render(request, "training/public/closed.html", context, status=410 if state == "closed" else 200)
        )
    if request.method == "GET" and phase in services.answered_on_device(event, _device(request)):
        # Say so before anyone fills in twenty items for nothing.
        return _done(token, phase, "answered", languages)
    data = request.POST if request.method == "POST" else None  # an empty POST is still an answer to refuse
    form = SurveyForm(data, layout=queries.survey_layout(event.instrument), phone=True)
    status = 200
    if request.method == "POST":
        status = 422
        if not _device(request):
            form.is_valid()
            form.add_error(None, _("Your browser did not keep this page's cookie. Press Send again."))
        elif form.is_valid():
            try:
                services.answer_by_link(
                    event,
                    phase=phase,
                    trainee=form.trainee(),
                    scores=form.scores(),
                    device=_device(request),
                    network=client_ip(request) or "unknown",
                    language=language,
                )
            except ValidationError as error:
                if getattr(error, "code", None) in {"closed", "answered"}:
                    return _done(token, phase, error.code, languages)
                show_refusal(form, error)
                status = 429 if getattr(error, "code", None) == "busy" else 422
            else:
                return _done(token, phase, "thanks", languages)
    context = {"event": event, "phase": phase, "form": form, "token": token, **languages, **forms_context(form)}
    return _public(_with_device(request, render(request, "training/public/answer.html", context, status=status)))


def _done(token: str, phase: str, why: str, languages: dict):
    """To the page that says how it went, in the language chosen."""
    return redirect(reverse("survey:done", args=[token, phase, why]) + languages["keep_language"])


@never_cache
@require_safe
@_in_language
def done(request, token, phase, why, *, language):
    event = access.event_for_link(token)
    if phase not in SurveyResponse.Phase.values or why not in {"thanks", "answered", "closed"}:
        raise Http404
    context = {"event": event, "phase": phase, "why": why, "token": token, **_languages(request, language)}
    return _public(render(request, "training/public/done.html", context))
