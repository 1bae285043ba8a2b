"""Every change to training's records. Each leaves a history row with its author and reason.

A refusal is a ``TrainingError`` keyed by the field it is about, so the form shows it beside
that field and keeps what was typed: an event that ends before it starts, a trainer not
certified for the course on that day, a score outside its scale, a survey after the training
answered before the training began, an answer after the link closed, or one device sending
the same survey again and again.

Curricula and survey versions may be written in the other languages too (``bloom.translated``):
a survey's two languages are one instrument, answered item by item the same, each response
keeping the ``language`` it was answered in. Like its English, a version's other languages
change only while no event uses it.
"""

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from bloom import translated
from bloom.access import require
from bloom.accounts.models import User
from bloom.directory.models import Organization, Town
from bloom.said import Said
from bloom.times import elapsed
from bloom.writes import apply_changes
from bloom.writes import save as _save
from training import access
from training.models import (
    LARGEST_HEADCOUNT,
    LONGEST_COURSE_HOURS,
    LONGEST_NOTE,
    LONGEST_SURVEY_WINDOW,
    MOST_SESSIONS,
    Answer,
    Attendee,
    Audience,
    Certification,
    Construct,
    Curriculum,
    Experience,
    FieldOfWork,
    Item,
    Position,
    SubmissionMark,
    SurveyInstrument,
    SurveyResponse,
    Trainer,
    TrainingEvent,
    default_survey_close,
    new_survey_token,
)

# The link's rate limit. One device answers each survey of an event once; one network (an
# event's Wi-Fi) may send this many in the window, enough for a full room, not for a script.
NETWORK_LIMIT = 60
NETWORK_WINDOW = timedelta(minutes=10)
# Whatever the headcount, an event's link takes no more than this many of each survey.
LINK_CEILING = 2 * LARGEST_HEADCOUNT


class TrainingError(ValidationError):
    """A change the records do not allow; the message says why and what to do."""


def _too_long(values: dict[str, str], most: int = LONGEST_NOTE) -> dict:
    message = _("Keep this to %(n)s characters or fewer.") % {"n": most}
    return {name: message for name, text in values.items() if len(text) > most}


def _blank(values: dict[str, str]) -> dict:
    return {name: _("This field is required.") for name, text in values.items() if not text}


def _unchosen(**fields: tuple[str, list[str]]) -> dict:
    """A message for each field whose value (first) is not one of its choices (second)."""
    return {name: _("Choose from the list.") for name, (value, choices) in fields.items() if value not in choices}


def _day(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


# --- curricula and trainers ----------------------------------------------------------------

CURRICULUM_FIELDS = ("name", "version", "audience", "hours", "sessions", "description", "active")
# Besides its fields, a curriculum's details may give its name and description in the other
# languages: {"translations": {"es": {"name": ..., "description": ...}}}.
CURRICULUM_WORDS = {"name": Curriculum._meta.get_field("name").max_length, "description": LONGEST_NOTE}
TRAINER_FIELDS = ("full_name", "email", "organization", "active")


def _stripped(details: dict, names: tuple[str, ...]) -> dict:
    return {**details, **{name: details[name].strip() for name in names if name in details}}


def _curriculum_problems(curriculum: Curriculum) -> dict:
    problems = {
        **_blank({"name": curriculum.name, "version": curriculum.version}),
        **_unchosen(audience=(curriculum.audience, Audience.values)),
        **_too_long({"description": curriculum.description}),
    }
    if curriculum.hours is None or not 0 < curriculum.hours <= LONGEST_COURSE_HOURS:
        problems["hours"] = _("Enter the course's length, from half an hour to %(n)s hours.") % {
            "n": LONGEST_COURSE_HOURS
        }
    if curriculum.sessions is None or not 1 <= curriculum.sessions <= MOST_SESSIONS:
        problems["sessions"] = _("Enter from 1 to %(n)s sessions.") % {"n": MOST_SESSIONS}
    taken = Curriculum.objects.filter(name=curriculum.name, version=curriculum.version).exclude(pk=curriculum.pk)
    if not problems and taken.exists():
        problems["version"] = _("This curriculum already has a version with that name; give a new one.")
    return problems


@transaction.atomic
def save_curriculum(curriculum: Curriculum | None, *, by: User, details: dict) -> Curriculum:
    """Record a new curriculum (``curriculum`` None) or change some of its ``details``.

    Refused: a blank name or version, or one already taken; a length or number of sessions past
    any course's; an audience not on the list; a description past ``LONGEST_NOTE``; a name or
    description in another language longer than the English may be.
    """
    require(access.holds(by, access.CHANGE_CURRICULA))
    if set(details) - {*CURRICULUM_FIELDS, "translations"}:
        raise TypeError(f"not curriculum details: {sorted(set(details) - {*CURRICULUM_FIELDS, 'translations'})}")
    details = dict(details)
    words = details.pop("translations", None)
    if curriculum is None:
        curriculum, reason = Curriculum(), Said("curriculum.added")
    else:
        curriculum, reason = Curriculum.objects.select_for_update().get(pk=curriculum.pk), Said("curriculum.changed")
    values = _stripped(details, ("name", "version", "description"))
    if words is not None:
        values["translations"] = translated.tidy(words, Curriculum.TRANSLATED, kept=curriculum.translations)
    changed = apply_changes(curriculum, values)
    english = {"name": curriculum.name, "description": curriculum.description}
    problems = _curriculum_problems(curriculum) | translated.problems(words or {}, english, longest=CURRICULUM_WORDS)
    if problems:
        raise TrainingError(problems)
    if curriculum.pk is None or changed:
        _save(curriculum, by=by, reason=reason)
    return curriculum


@transaction.atomic
def save_trainer(trainer: Trainer | None, *, by: User, details: dict) -> Trainer:
    """Record a new trainer (``trainer`` None) or change some of their ``details``; a blank name is refused."""
    require(access.holds(by, access.CHANGE_TRAINERS))
    if set(details) - set(TRAINER_FIELDS):
        raise TypeError(f"not trainer details: {sorted(set(details) - set(TRAINER_FIELDS))}")
    if trainer is None:
        trainer, reason = Trainer(), Said("trainer.added")
    else:
        trainer, reason = Trainer.objects.select_for_update().get(pk=trainer.pk), Said("trainer.changed")
    changed = apply_changes(trainer, _stripped(details, ("full_name",)))
    if problems := _blank({"full_name": trainer.full_name}):
        raise TrainingError(problems)
    if trainer.pk is None or changed:
        _save(trainer, by=by, reason=reason)
    return trainer


@transaction.atomic
def certify(
    trainer: Trainer,
    *,
    by: User,
    curriculum: Curriculum,
    kind: str,
    certified_on: date,
    expires_on: date | None = None,
    teach_back: str = "",
) -> Certification:
    """Record that ``trainer`` may teach ``curriculum`` from ``certified_on`` (until ``expires_on``)."""
    require(access.holds(by, access.CHANGE_TRAINERS))
    problems = _unchosen(
        kind=(kind, Certification.Kind.values), teach_back=(teach_back, Certification.TeachBack.values)
    )
    if certified_on > timezone.localdate():
        problems["certified_on"] = _("Record a certification once it has been given.")
    if expires_on is not None and expires_on <= certified_on:
        problems["expires_on"] = _("A certification expires after it was given, after %(d)s.") % {
            "d": _day(certified_on)
        }
    if problems:
        raise TrainingError(problems)
    certification = Certification(
        trainer=trainer,
        curriculum=curriculum,
        kind=kind,
        certified_on=certified_on,
        expires_on=expires_on,
        teach_back=teach_back,
        recorded_by=by,
    )
    _save(certification, by=by, reason=Said("certification.recorded"))
    return certification


# --- events -------------------------------------------------------------------------------


@dataclass
class EventDetails:
    curriculum: Curriculum
    starts_at: datetime
    ends_at: datetime
    trainers: list[Trainer]
    audience: str
    host: Organization | None = None
    town: Town | None = None
    attendee_count: int | None = None
    fields_of_work: list[str] = field(default_factory=list)
    positions: str = ""
    instrument: SurveyInstrument | None = None
    survey_closes_at: datetime | None = None  # None: default_survey_close(ends_at)
    notes: str = ""


def _uncertified(trainers: list[Trainer], curriculum: Curriculum, day: date) -> list[Trainer]:
    certified = {
        c.trainer_id
        for c in Certification.objects.filter(trainer__in=trainers, curriculum=curriculum)
        if c.current_on(day)
    }
    return [trainer for trainer in trainers if trainer.pk not in certified]


def _event_problems(details: EventDetails, event: TrainingEvent | None) -> dict:
    problems = {}
    length = elapsed(details.starts_at, details.ends_at)
    if length <= timedelta(0):
        problems["ends_at"] = _("The event ends after it starts: check the times.")
    elif length > timedelta(days=14):
        problems["ends_at"] = _("An event lasts at most two weeks; enter a longer course as one event per meeting.")
    if not details.trainers:
        problems["trainers"] = _("Choose who taught.")
    elif missing := _uncertified(details.trainers, details.curriculum, timezone.localtime(details.starts_at).date()):
        problems["trainers"] = ngettext(
            "%(names)s is not certified to teach this curriculum on that day. Record the certification first.",
            "%(names)s are not certified to teach this curriculum on that day. Record their certifications first.",
            len(missing),
        ) % {"names": ", ".join(t.full_name for t in missing)}
    closes = details.survey_closes_at
    if closes is not None and not problems.get("ends_at"):
        if closes < details.ends_at:
            problems["survey_closes_at"] = _("The survey closes when the event ends or later.")
        elif closes > details.ends_at + LONGEST_SURVEY_WINDOW:
            problems["survey_closes_at"] = _("The survey link stays open at most 30 days after the event.")
    problems.update(_content_problems(details, event))
    return problems


def _content_problems(details: EventDetails, event: TrainingEvent | None) -> dict:
    problems = _unchosen(audience=(details.audience, Audience.values))
    if details.attendee_count is not None:
        listed = event.attendees.count() if event else 0
        if details.attendee_count < 0:
            problems["attendee_count"] = _("Enter how many came, or leave it empty.")
        elif details.attendee_count > LARGEST_HEADCOUNT:
            problems["attendee_count"] = _("That is more than %(n)s: check the number.") % {"n": LARGEST_HEADCOUNT}
        elif details.attendee_count < listed:
            problems["attendee_count"] = _("The sign-in list already has %(n)s people; the count cannot be lower.") % {
                "n": listed
            }
    unknown = set(details.fields_of_work) - set(FieldOfWork.values)
    if unknown:
        problems["fields_of_work"] = _("Choose fields of work from the list.")
    if event is not None and event.instrument_id != (details.instrument.pk if details.instrument else None):
        answered = event.responses.count()
        if answered:
            problems["instrument"] = ngettext(
                "%(n)s survey was already answered on this event's survey, so the survey cannot change.",
                "%(n)s surveys were already answered on this event's survey, so the survey cannot change.",
                answered,
            ) % {"n": answered}
    problems.update(_too_long({"notes": details.notes}))
    problems.update(_too_long({"positions": details.positions}, TrainingEvent._meta.get_field("positions").max_length))
    return problems


@transaction.atomic
def save_event(event: TrainingEvent | None, *, by: User, details: EventDetails) -> TrainingEvent:
    """Record a new event (``event`` None) or change one."""
    require(access.holds(by, access.CHANGE_EVENTS if event else access.ADD_EVENTS))
    if event is not None:
        event = TrainingEvent.objects.select_for_update().get(pk=event.pk)
    problems = _event_problems(details, event)
    if problems:
        raise TrainingError(problems)
    values = {
        "curriculum": details.curriculum,
        "starts_at": details.starts_at,
        "ends_at": details.ends_at,
        "audience": details.audience,
        "host": details.host,
        "town": details.town,
        "attendee_count": details.attendee_count,
        "fields_of_work": sorted(set(details.fields_of_work)),
        "positions": details.positions.strip(),
        "instrument": details.instrument,
        "survey_closes_at": details.survey_closes_at or default_survey_close(details.ends_at),
        "notes": details.notes.strip(),
    }
    if event is None:
        event = TrainingEvent(created_by=by, **values)
        _save(event, by=by, reason=Said("event.recorded"))
    elif apply_changes(event, values):
        _save(event, by=by, reason=Said("event.changed"))
    if {t.pk for t in details.trainers} != set(event.trainers.values_list("pk", flat=True)):
        event._history_user, event._change_reason = by, str(Said("event.trainers_changed"))
        event.trainers.set(details.trainers)
    return event


@transaction.atomic
def new_link(event: TrainingEvent, *, by: User) -> TrainingEvent:
    """Withdraw the event's survey link (it was shared too widely) and draw a new one."""
    require(access.holds(by, access.CHANGE_EVENTS))
    event = TrainingEvent.objects.select_for_update().get(pk=event.pk)
    event.survey_token = new_survey_token()
    _save(event, by=by, reason=Said("event.link_replaced"), fields=["survey_token"])
    return event


ATTENDEE_FIELDS = ("full_name", "organization", "field_of_work", "position", "email")


@transaction.atomic
def add_attendee(event: TrainingEvent, *, by: User, details: dict) -> Attendee:
    """Put someone on the event's sign-in list, never longer than its count of who came."""
    require(access.holds(by, access.CHANGE_EVENTS))
    if set(details) - set(ATTENDEE_FIELDS):
        raise TypeError(f"not attendee details: {sorted(set(details) - set(ATTENDEE_FIELDS))}")
    details = _stripped(details, ("full_name",))
    problems = {
        **_blank({"full_name": details.get("full_name", "")}),
        **_unchosen(
            field_of_work=(details.get("field_of_work", ""), ["", *FieldOfWork.values]),
            position=(details.get("position", ""), ["", *Position.values]),
        ),
    }
    if problems:
        raise TrainingError(problems)
    event = TrainingEvent.objects.select_for_update().get(pk=event.pk)
    listed = event.attendees.count()
    if event.attendee_count is not None and listed >= event.attendee_count:
        raise TrainingError({
            "full_name": _("The event's count says %(n)s attended and all are listed; change the count first.")
            % {"n": event.attendee_count}
        })  # fmt: skip
    if listed >= LARGEST_HEADCOUNT:
        raise TrainingError({"full_name": _("This list is full.")})
    attendee = Attendee(event=event, **details)
    _save(attendee, by=by, reason=Said("attendee.listed"))
    return attendee


@transaction.atomic
def remove_attendee(attendee: Attendee, *, by: User) -> None:
    require(access.holds(by, access.CHANGE_EVENTS))
    attendee._history_user, attendee._change_reason = by, str(Said("attendee.removed"))
    attendee.delete()


# --- survey instruments -------------------------------------------------------------------


@transaction.atomic
def revise(instrument: SurveyInstrument, *, by: User) -> SurveyInstrument:
    """A new version of ``instrument``, copied whole, to change before any event uses it."""
    require(access.holds(by, access.CHANGE_INSTRUMENTS))
    # Two revisions at once (a double click) would both take the same next number: the versions
    # of this name are locked first, then counted in a statement of their own, which sees a
    # version another revision committed while this one waited.
    list(SurveyInstrument.objects.select_for_update().filter(name=instrument.name).values_list("pk"))
    latest = SurveyInstrument.objects.filter(name=instrument.name).aggregate(latest=Max("version"))["latest"]
    revision = SurveyInstrument(name=instrument.name, version=latest + 1, revises=instrument, created_by=by)
    _save(revision, by=by, reason=Said("instrument.revised", version=instrument.version))
    for construct in instrument.constructs.prefetch_related("items"):
        items = list(construct.items.all())
        construct.pk, construct.instrument = None, revision
        construct._state.adding = True
        _save(construct, by=by, reason=Said("instrument.copied"))
        bulk_create_with_history(
            [
                Item(construct=construct, position=item.position, text=item.text, translations=item.translations)
                for item in items
            ],
            Item,
            default_user=by,
            default_change_reason=str(Said("instrument.copied")),
        )
    return revision


def _refuse_if_in_use(instrument: SurveyInstrument) -> None:
    if instrument.in_use:
        raise TrainingError(
            _("Events already use this version, so it cannot change. Make a new version and change that one.")
        )


WORDING_FIELDS = ("title", "question")
# How long the words in another language may be: as long as the English (a scale's words, a few).
LONGEST_WORDS = {"title": 200, "question": 300, "anchors": 100, "text": 300}


@transaction.atomic
def reword(
    instrument: SurveyInstrument,
    *,
    by: User,
    constructs: dict[int, dict],
    items: dict[int, str],
    construct_translations: dict[int, dict] | None = None,
    item_translations: dict[int, dict] | None = None,
) -> None:
    """Change the wording of a version no event uses yet: construct titles and questions, item
    texts, and their words in the other languages (by construct or item id: {"es": {"title": ...,
    "question": ..., "anchors": [...]}} and {"es": {"text": ...}}; None keeps them all).

    Only words: a construct's code and scale are what results are matched and read by, and
    stay as the version was made. A refusal (a blank title, question or item; words in another
    language too long; a scale's words in another language not one per point) changes nothing.
    """
    require(access.holds(by, access.CHANGE_INSTRUMENTS))
    unknown = {name for words in constructs.values() for name in words} - set(WORDING_FIELDS)
    if unknown:
        raise TypeError(f"not wording: {sorted(unknown)}")
    instrument = SurveyInstrument.objects.select_for_update().get(pk=instrument.pk)
    _refuse_if_in_use(instrument)
    words = {
        construct: {name: text.strip() for name, text in constructs.get(construct.pk, {}).items()}
        for construct in instrument.constructs.all()
    }
    on_survey = Item.objects.filter(construct__instrument=instrument)
    texts = {item: items.get(item.pk, item.text).strip() for item in on_survey}
    problems = {
        f"{name}_{construct.pk}": _("A construct needs its words.")
        for construct, given in words.items()
        for name, text in given.items()
        if not text
    }
    problems |= {f"item_{item.pk}": _("An item needs its words.") for item, text in texts.items() if not text}
    for construct, given in words.items():
        if construct_translations is not None:
            typed = construct_translations.get(construct.pk, {})
            english = {
                "title": given.get("title", construct.title),
                "question": given.get("question", construct.question),
                "anchors": [anchor_words for _point, anchor_words in construct.anchors],
            }
            problems |= translation_problems(typed, english, construct.pk)
            given["translations"] = translated.tidy(
                typed, Construct.TRANSLATED, lists=Construct.TRANSLATED_LISTS, kept=construct.translations
            )
    item_values = {item: {"text": text} for item, text in texts.items()}
    if item_translations is not None:
        for item, values in item_values.items():
            typed = item_translations.get(item.pk, {})
            problems |= translation_problems(typed, values, item.pk, named="item")
            values["translations"] = translated.tidy(typed, Item.TRANSLATED, kept=item.translations)
    if problems:
        raise TrainingError(problems)
    for construct, given in words.items():
        if changed := apply_changes(construct, given):
            _save(construct, by=by, reason=Said("instrument.reworded"), fields=changed)
    for item, values in item_values.items():
        if changed := apply_changes(item, values):
            _save(item, by=by, reason=Said("instrument.reworded"), fields=changed)


def translation_problems(typed: dict, english: dict, pk: int, *, named: str | None = None) -> dict:
    """Faults in the words ``typed`` in the other languages of a construct or an item (``pk``),
    beside its ``english``, keyed by the wording form's field: ``title_<pk>_es`` (``named`` "item":
    ``item_<pk>_es``). The form shows them beside their fields; ``reword`` refuses them."""
    return translated.problems(
        typed, english, longest=LONGEST_WORDS, field=lambda attribute, code: f"{named or attribute}_{pk}_{code}"
    )


@transaction.atomic
def make_default(instrument: SurveyInstrument, *, by: User) -> None:
    """Use ``instrument`` for new events from now on."""
    require(access.holds(by, access.CHANGE_INSTRUMENTS))
    # Every version is locked (there are a handful), then the default is read afresh: a default
    # chosen by someone else while this waited is seen and moved, never left as a second one.
    list(SurveyInstrument.objects.select_for_update().values_list("pk"))
    instrument.refresh_from_db(fields=["is_default"])
    for earlier in SurveyInstrument.objects.filter(is_default=True).exclude(pk=instrument.pk):
        earlier.is_default = False
        _save(earlier, by=by, reason=Said("instrument.not_default"), fields=["is_default"])
    if not instrument.is_default:
        instrument.is_default = True
        _save(instrument, by=by, reason=Said("instrument.default"), fields=["is_default"])


# --- responses ----------------------------------------------------------------------------


@dataclass
class Trainee:
    """What a response says about who answered, each of it optional."""

    field_of_work: str = ""
    position: str = ""
    experience: str = ""


def _score_problems(instrument: SurveyInstrument, scores: dict[int, int | None]) -> dict:
    problems = {}
    on_survey = Item.objects.filter(construct__instrument=instrument).select_related("construct")
    items = {item.pk: item for item in on_survey}
    for item_id, score in scores.items():
        item = items.get(item_id)
        if item is None:
            problems[NON_FIELD_ERRORS] = _(
                "The survey changed while it was being answered. Reload the page and try again."
            )
        elif score is not None and score not in item.construct.scale:
            problems[f"item_{item_id}"] = _("Choose a score from %(low)s to %(high)s.") % {
                "low": item.construct.scale_min,
                "high": item.construct.scale_max,
            }
    if not problems and not any(score is not None for score in scores.values()):
        problems[NON_FIELD_ERRORS] = _("Nothing was answered. Give at least one score.")
    return problems


def _trainee_problems(trainee: Trainee) -> dict:
    problems = {}
    for name, choices in (("field_of_work", FieldOfWork), ("position", Position), ("experience", Experience)):
        value = getattr(trainee, name)
        if value and value not in choices.values:
            problems[name] = _("Choose from the list.")
    return problems


def _language_problems(language: str) -> dict:
    """A survey is answered in one of the languages Bloom offers (a setting: no migration adds one)."""
    if language not in dict(settings.LANGUAGES):
        return {"language": _("Choose the language the survey was answered in from the list.")}
    return {}


def _record(event, instrument, *, phase, source, trainee, scores, by, language) -> SurveyResponse:
    response = SurveyResponse(
        event=event,
        instrument=instrument,
        language=language,
        phase=phase,
        source=source,
        field_of_work=trainee.field_of_work,
        position=trainee.position,
        experience=trainee.experience,
        entered_by=by,
    )
    response._history_user = by
    response._change_reason = str(Said("response.paper" if by else "response.link"))
    response.save()
    answered = {item_id: score for item_id, score in scores.items() if score is not None}
    Answer.objects.bulk_create(Answer(response=response, item_id=pk, score=score) for pk, score in answered.items())
    return response


@transaction.atomic
def enter_paper(
    event: TrainingEvent,
    *,
    by: User,
    phase: str,
    trainee: Trainee,
    scores: dict[int, int | None],
    language: str = "en",
) -> SurveyResponse:
    """Type in one paper survey. ``scores`` maps item ids to a score, or None for one left blank;
    ``language`` is the language of the paper form (English unless staff say otherwise)."""
    require(access.holds(by, access.ENTER_RESPONSES))
    event = TrainingEvent.objects.select_for_update(of=("self",)).select_related("instrument").get(pk=event.pk)
    if event.instrument is None:
        raise TrainingError(_("This event has no survey. Choose one on the event first."))
    if phase not in SurveyResponse.Phase.values:
        raise TrainingError({"phase": _("Choose whether this survey was before or after the training.")})
    if phase == SurveyResponse.Phase.POST and event.starts_at > timezone.now():
        raise TrainingError({
            "phase": _("The training has not started yet, so there is no survey after it to enter.")
        })  # fmt: skip
    problems = {**_language_problems(language), **_trainee_problems(trainee),
                **_score_problems(event.instrument, scores)}  # fmt: skip
    if problems:
        raise TrainingError(problems)
    return _record(event, event.instrument, phase=phase, source=SurveyResponse.Source.PAPER, trainee=trainee,
                   scores=scores, by=by, language=language)  # fmt: skip


@transaction.atomic
def set_aside(response: SurveyResponse, *, by: User) -> None:
    """Leave a wrongly typed response out of every result; it is kept, with who set it aside."""
    require(access.holds(by, access.SET_ASIDE_RESPONSES))
    response = SurveyResponse.objects.select_for_update().get(pk=response.pk)
    if not response.set_aside:
        response.set_aside = True
        _save(response, by=by, reason=Said("response.set_aside"), fields=["set_aside"])


# The public link.


class LinkState:
    NOT_YET = "not yet"
    OPEN = "open"
    CLOSED = "closed"


def link_state(event: TrainingEvent, phase: str, now: datetime | None = None) -> str:
    """Whether the link takes the survey ``phase`` of ``event`` at ``now``."""
    now = now or timezone.now()
    if event.instrument_id is None or now >= event.survey_closes_at:
        return LinkState.CLOSED
    if phase == SurveyResponse.Phase.PRE:
        if now < event.pre_opens_at:
            return LinkState.NOT_YET
        return LinkState.OPEN if now < event.ends_at else LinkState.CLOSED
    return LinkState.OPEN if now >= event.starts_at else LinkState.NOT_YET


def digest(value: str, event: TrainingEvent) -> str:
    """A keyed digest of a device id or an address, different for each event: not reversible without the key."""
    key = hmac.new(settings.SECRET_KEY.encode(), b"training-survey-mark", hashlib.sha256).digest()
    return hmac.new(key, f"{event.pk}:{value}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def answer_by_link(
    event: TrainingEvent,
    *,
    phase: str,
    trainee: Trainee,
    scores: dict[int, int | None],
    device: str,
    network: str,
    language: str = "en",
) -> SurveyResponse:
    """Take one anonymous answer from the event's link, if the link is open and the device has not answered.

    ``device`` is the random id the survey cookie carries, ``network`` the address the answer
    came from; neither is stored, only their digests, apart from the response. ``language`` is
    the one the attendee answered in, kept with the response.
    """
    if phase not in SurveyResponse.Phase.values:
        raise TrainingError(_("This survey is closed. Thank you for your interest."), code="closed")
    # One answer at a time per event, so that two taps of Send cannot both pass the checks.
    event = TrainingEvent.objects.select_for_update(of=("self",)).select_related("instrument").get(pk=event.pk)
    now = timezone.now()
    state = link_state(event, phase, now)
    if state == LinkState.CLOSED:
        raise TrainingError(_("This survey is closed. Thank you for your interest."), code="closed")
    if state == LinkState.NOT_YET:
        raise TrainingError(_("The survey after the training opens when the training starts."), code="not_yet")
    device_mark, network_mark = digest(device, event), digest(network, event)
    marks = SubmissionMark.objects.filter(event=event, phase=phase)
    if marks.filter(device=device_mark).exists():
        raise TrainingError(_("This survey was already answered on this device. Thank you!"), code="answered")
    if marks.filter(network=network_mark, at__gte=now - NETWORK_WINDOW).count() >= NETWORK_LIMIT:
        raise TrainingError(_("Many answers came from this network just now. Please try again in a few minutes."),
                            code="busy")  # fmt: skip
    if event.responses.filter(phase=phase, source=SurveyResponse.Source.LINK).count() >= LINK_CEILING:
        raise TrainingError(_("This survey is closed. Thank you for your interest."), code="closed")
    problems = {**_language_problems(language), **_trainee_problems(trainee),
                **_score_problems(event.instrument, scores)}  # fmt: skip
    if problems:
        raise TrainingError(problems)
    SubmissionMark.objects.create(event=event, phase=phase, device=device_mark, network=network_mark)
    return _record(event, event.instrument, phase=phase, source=SurveyResponse.Source.LINK, trainee=trainee,
                   scores=scores, by=None, language=language)  # fmt: skip


def forget_marks(now: datetime | None = None) -> int:
    """Delete the rate limit's marks of every event whose survey has closed; returns how many."""
    deleted, _counts = SubmissionMark.objects.filter(event__survey_closes_at__lte=now or timezone.now()).delete()
    return deleted


def answered_on_device(event: TrainingEvent, device: str) -> set[str]:
    """The surveys of ``event`` (phases) already answered from the device with this cookie id."""
    if not device:
        return set()
    marks = SubmissionMark.objects.filter(event=event, device=digest(device, event))
    return set(marks.values_list("phase", flat=True))
