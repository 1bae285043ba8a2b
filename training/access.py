"""Who may see and change training's records, and the one lookup an anonymous survey link makes.

Training holds no survivor record, so this is not ``cases.permissions``: it answers from the
role's model permissions (``training/migrations/0002_defaults.py``). The rules:

* Trainers run the work: curricula, trainers and their certifications, events and their
  attendees, surveys, typing in paper surveys, and the results.
* Supervisors and the program director see the events and the results.
* Everyone else sees nothing here: a record out of sight is a 404, like a missing one; one
  in sight that the reader may not change is a 403.
* An attendee with the survey link signs in to nothing: ``event_for_link`` finds the one
  event the link's secret names, and the survey pages show nothing but that event's survey.
"""

import re

from django.db.models import QuerySet
from django.http import Http404

from bloom.access import get_or_404, holds
from bloom.accounts.models import User
from training.models import Curriculum, SurveyInstrument, SurveyResponse, Trainer, TrainingEvent

SEE_EVENTS = "training.view_trainingevent"
ADD_EVENTS = "training.add_trainingevent"
CHANGE_EVENTS = "training.change_trainingevent"
SEE_CURRICULA = "training.view_curriculum"
CHANGE_CURRICULA = "training.change_curriculum"
SEE_TRAINERS = "training.view_trainer"
CHANGE_TRAINERS = "training.change_trainer"
SEE_INSTRUMENTS = "training.view_surveyinstrument"
CHANGE_INSTRUMENTS = "training.change_surveyinstrument"
ENTER_RESPONSES = "training.add_surveyresponse"
SET_ASIDE_RESPONSES = "training.change_surveyresponse"
SEE_EVALUATION = "training.view_evaluation"


def visible_events(user: User) -> QuerySet[TrainingEvent]:
    return TrainingEvent.objects.all() if holds(user, SEE_EVENTS) else TrainingEvent.objects.none()


def get_event_for(user: User, pk) -> TrainingEvent:
    """The event ``pk`` if ``user`` may see it, else ``Http404``."""
    return get_or_404(visible_events(user).select_related("curriculum", "host", "town", "instrument"), pk=pk)


def visible_curricula(user: User) -> QuerySet[Curriculum]:
    return Curriculum.objects.all() if holds(user, SEE_CURRICULA) else Curriculum.objects.none()


def get_curriculum_for(user: User, pk) -> Curriculum:
    return get_or_404(visible_curricula(user), pk=pk)


def visible_trainers(user: User) -> QuerySet[Trainer]:
    return Trainer.objects.all() if holds(user, SEE_TRAINERS) else Trainer.objects.none()


def get_trainer_for(user: User, pk) -> Trainer:
    return get_or_404(visible_trainers(user).select_related("organization"), pk=pk)


def visible_instruments(user: User) -> QuerySet[SurveyInstrument]:
    return SurveyInstrument.objects.all() if holds(user, SEE_INSTRUMENTS) else SurveyInstrument.objects.none()


def get_instrument_for(user: User, pk) -> SurveyInstrument:
    return get_or_404(visible_instruments(user), pk=pk)


def get_response_for(user: User, event: TrainingEvent, pk) -> SurveyResponse:
    """A response to ``event`` (which ``user`` already sees), if they may enter responses."""
    if not holds(user, ENTER_RESPONSES):
        raise Http404
    return get_or_404(event.responses.all(), pk=pk)


# A link's secret is URL-safe base64 (``models.new_survey_token``); nothing else reaches the
# database (a NUL in the path, for one, would make PostgreSQL refuse the query).
LINK_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,40}")


def event_for_link(token: str) -> TrainingEvent:
    """The event whose survey link carries ``token``; ``Http404`` for any other string."""
    if not isinstance(token, str) or not LINK_TOKEN.fullmatch(token):
        raise Http404
    return get_or_404(TrainingEvent.objects.select_related("curriculum", "instrument"), survey_token=token)
