"""The survey link: what an attendee sees on their phone, with no sign-in.

The link's secret names one event; these pages show that event's survey and nothing else,
with no menu and no link into Bloom. An answer is anonymous. A cookie with a random id lets
one device answer each survey once; it and the address are kept only as keyed digests, apart
from the answers, until the survey closes (``training.services``).
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

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


@never_cache
@require_safe
def landing(request, token):
    """Which survey: before or after the training, with what the link takes now."""
    event = access.event_for_link(token)
    states = {phase: services.link_state(event, phase) for phase in SurveyResponse.Phase.values}
    answered = services.answered_on_device(event, _device(request))
    context = {"event": event, "states": states, "answered": answered, "token": token}
    return _public(_with_device(request, render(request, "training/public/landing.html", context)))


# No CSRF token: the link has no sign-in and no session for a forged post to ride on, and anyone
# holding the link may post an answer anyway. What guards an answer is the device cookie, which
# is SameSite=Lax, so a post from another site arrives without it and is refused below, keeping
# what was ticked. With Django's check, a phone that lost the CSRF cookie (or sent ``Origin:
# null``) got Bloom's own refusal page, with its name and a link into it, and lost the answers.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token, phase):
    event = access.event_for_link(token)
    if phase not in SurveyResponse.Phase.values:
        raise Http404
    state = services.link_state(event, phase)
    if state != services.LinkState.OPEN:
        context = {"event": event, "phase": phase, "state": state, "token": token}
        return _public(
            render(request, "training/public/closed.html", context, status=410 if state == "closed" else 200)
        )
    if request.method == "GET" and phase in services.answered_on_device(event, _device(request)):
        # Say so before anyone fills in twenty items for nothing.
        return redirect("survey:done", token=token, phase=phase, why="answered")
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
                )
            except ValidationError as error:
                if getattr(error, "code", None) in {"closed", "answered"}:
                    return redirect("survey:done", token=token, phase=phase, why=error.code)
                show_refusal(form, error)
                status = 429 if getattr(error, "code", None) == "busy" else 422
            else:
                return redirect("survey:done", token=token, phase=phase, why="thanks")
    context = {"event": event, "phase": phase, "form": form, "token": token, **forms_context(form)}
    return _public(_with_device(request, render(request, "training/public/answer.html", context, status=status)))


@never_cache
@require_safe
def done(request, token, phase, why):
    event = access.event_for_link(token)
    if phase not in SurveyResponse.Phase.values or why not in {"thanks", "answered", "closed"}:
        raise Http404
    context = {"event": event, "phase": phase, "why": why, "token": token}
    return _public(render(request, "training/public/done.html", context))
