"""Community training: curricula, trainers and their certifications, training events, and the
pre/post surveys that evaluate them.

Nothing here is a survivor record. A survey response is anonymous: it holds the trainee's
field of work, position and years of experience in bands, and their scores, never a name or
anything about the device it came from (the rate limit's marks are kept apart, in
``SubmissionMark``, and deleted once the survey closes). Rows are written only by
``training.services``; each model but the two noted keeps its history.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bloom.directory.models import Organization, Town
from bloom.translated import Translated, translations_field

LARGEST_HEADCOUNT = 5_000
# The longest note or description a person types in.
LONGEST_NOTE = 4000
# A course's length and number of meetings, as far as any course of the program goes.
LONGEST_COURSE_HOURS = 200
MOST_SESSIONS = 100
# How long after an event ends attendees may still answer the survey after the training.
DEFAULT_SURVEY_WINDOW = timedelta(days=3)
LONGEST_SURVEY_WINDOW = timedelta(days=30)
# The pre-training survey opens this long before the event starts.
PRE_SURVEY_OPENS = timedelta(days=7)


def default_survey_close(ends_at: datetime) -> datetime:
    """When an event's survey link closes unless another day is chosen: three days after the
    end, at the same time of day on the program's clock (even across a clock change)."""
    return timezone.localtime(ends_at) + DEFAULT_SURVEY_WINDOW


class Audience(models.TextChoices):
    GENERAL = "general", _("General")
    LAW_ENFORCEMENT = "law enforcement", _("Law enforcement")
    SCHOOL_STAFF = "school staff", _("School staff")
    STUDENTS = "students", _("Students")
    YOUTH = "youth", _("Youth")
    FOSTER_PARENTS = "foster parents", _("Foster parents")
    MEDICAL = "medical", _("Medical and EMS")


class FieldOfWork(models.TextChoices):
    """The trainee's field of work, as the state's evaluation asks it."""

    CHILD_WELFARE = "child welfare", _("Child welfare")
    EDUCATION = "education", _("Education")
    LAW_ENFORCEMENT = "law enforcement", _("Law enforcement")
    SERVICE_PROVIDER = "service provider", _("Service provider")
    OTHER = "other", _("Other")


class Position(models.TextChoices):
    """The trainee's position at their organization."""

    DIRECT_SERVICE = "direct service", _("Direct service or frontline staff")
    SUPERVISOR = "supervisor", _("Supervisor or manager")
    LEADERSHIP = "leadership", _("Administrator or director")
    OFFICER = "officer", _("Officer or investigator")
    TEACHER = "teacher", _("Teacher or school staff")
    STUDENT = "student", _("Student")
    OTHER = "other", _("Other")


class Experience(models.TextChoices):
    """Years of experience in the state's bands."""

    UP_TO_2 = "0-2", _("0 to 2 years")
    FROM_3_TO_5 = "3-5", _("3 to 5 years")
    FROM_6_TO_10 = "6-10", _("6 to 10 years")
    FROM_11_TO_20 = "11-20", _("11 to 20 years")
    OVER_20 = "21+", _("21 years or more")


class Curriculum(Translated, models.Model):
    """A course the program teaches, in one version (a revised course is a new version)."""

    TRANSLATED = ("name", "description")

    name = models.CharField(_("name"), max_length=200)
    version = models.CharField(_("version"), max_length=30, help_text=_("For example: 2024 or 3.1."))
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    hours = models.DecimalField(_("length in hours"), max_digits=5, decimal_places=1)
    sessions = models.PositiveSmallIntegerField(
        _("sessions"), default=1, help_text=_("How many meetings the course takes, for example 5 for a youth group.")
    )
    description = models.TextField(_("description"), blank=True)
    # The name and description in the other languages (``bloom.translated``).
    translations = translations_field()
    active = models.BooleanField(_("still taught"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("curriculum")
        verbose_name_plural = _("curricula")
        ordering = ["name", "version", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="training_curriculum_version_once"),
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=LONGEST_COURSE_HOURS), name="training_curriculum_has_length"
            ),
            models.CheckConstraint(
                condition=Q(sessions__gte=1, sessions__lte=MOST_SESSIONS), name="training_curriculum_has_sessions"
            ),
            models.CheckConstraint(condition=~Q(name="") & ~Q(version=""), name="training_curriculum_named"),
            models.CheckConstraint(condition=Q(audience__in=Audience.values), name="training_curriculum_audience"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("description"), LONGEST_NOTE),
                name="training_curriculum_description_length",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.version})"


class Trainer(models.Model):
    """Someone who teaches the program's courses: staff, or a partner's trained trainer."""

    full_name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    active = models.BooleanField(_("teaching"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")
        ordering = ["full_name", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(full_name=""), name="training_trainer_named")]

    def __str__(self):
        return self.full_name


# The choices a model's constraints name are outside it, where its ``Meta`` can see them.
class CertificationKind(models.TextChoices):
    TRAINER = "trainer", _("Trainer (training of trainers)")
    FACILITATOR = "facilitator", _("Facilitator")


class TeachBack(models.TextChoices):
    NONE = "", _("Not yet")
    CLASSROOM = "classroom", _("Classroom teach-back")
    LIVE = "live", _("Live teach-back")


class Certification(models.Model):
    """That a trainer may teach a curriculum: through a training of trainers or as a facilitator."""

    Kind = CertificationKind
    TeachBack = TeachBack

    trainer = models.ForeignKey(Trainer, on_delete=models.CASCADE, related_name="certifications")
    curriculum = models.ForeignKey(
        Curriculum, on_delete=models.PROTECT, related_name="certifications", verbose_name=_("curriculum")
    )
    kind = models.CharField(_("certified as"), max_length=20, choices=Kind.choices)
    certified_on = models.DateField(_("certified on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    teach_back = models.CharField(_("teach-back"), max_length=20, choices=TeachBack.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["-certified_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("certified_on")),
                name="training_certification_expires_after",
            ),
            models.CheckConstraint(condition=Q(kind__in=CertificationKind.values), name="training_certification_kind"),
            models.CheckConstraint(
                condition=Q(teach_back__in=TeachBack.values), name="training_certification_teach_back"
            ),
        ]

    def __str__(self):
        return f"{self.trainer} · {self.curriculum}"

    def current_on(self, day) -> bool:
        return self.certified_on <= day and (self.expires_on is None or day < self.expires_on)


class SurveyInstrument(models.Model):
    """A pre/post survey: its constructs and their items, in one version.

    Once an event uses it, it is never changed: a revision is a new version (``services.revise``).
    """

    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    revises = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="revisions", editable=False
    )
    is_default = models.BooleanField(_("used for new events"), default=False)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="training_instrument_version_once"),
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="training_one_default_instrument"
            ),
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"

    @property
    def in_use(self) -> bool:
        return self.events.exists() or self.responses.exists()


class Construct(Translated, models.Model):
    """What a group of items measures (knowledge, beliefs, comfort) and the scale they share."""

    TRANSLATED = ("title", "question", "anchors")
    TRANSLATED_LISTS = ("anchors",)

    instrument = models.ForeignKey(SurveyInstrument, on_delete=models.CASCADE, related_name="constructs")
    position = models.PositiveSmallIntegerField()
    # The same code across versions, so that results can be compared across instruments.
    code = models.SlugField(max_length=40)
    title = models.CharField(_("title"), max_length=200)
    question = models.CharField(_("question"), max_length=300)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"))
    lower_is_better = models.BooleanField(_("lower is better"), default=False)
    # The words at points of the scale, as printed: [[1, "No knowledge"], [3, "Knowledgeable"], ...].
    anchors = models.JSONField(default=list)
    # The title, question and the scale's words in the other languages (``bloom.translated``):
    # part of the version, changed only with it. The anchors' translation is the words alone,
    # one per point, in order: ["Ningún conocimiento", ...].
    translations = translations_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="training_construct_code_once"),
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")) & Q(scale_max__lte=10), name="training_construct_scale"
            ),
            models.CheckConstraint(condition=~Q(title="") & ~Q(question=""), name="training_construct_worded"),
        ]

    def __str__(self):
        return self.title

    @property
    def scale(self) -> range:
        return range(self.scale_min, self.scale_max + 1)

    def anchor_for(self, value: float | None) -> str:
        """The scale's words nearest ``value`` (an average), as the state's report prints them, in
        the reader's language."""
        if value is None or not self.anchors:
            return ""
        _point, words = min(self.local("anchors"), key=lambda anchor: abs(anchor[0] - value))
        return words


class Item(Translated, models.Model):
    TRANSLATED = ("text",)

    construct = models.ForeignKey(Construct, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("text"), max_length=300)
    # The text in the other languages (``bloom.translated``): the same item, answered in either,
    # and pooled in one evaluation.
    translations = translations_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["construct__position", "position"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="training_item_worded")]

    def __str__(self):
        return self.text


def new_survey_token() -> str:
    return secrets.token_urlsafe(16)


class TrainingEvent(models.Model):
    """One training given: when, which course, who taught, for whom, and its survey link."""

    curriculum = models.ForeignKey(
        Curriculum, on_delete=models.PROTECT, related_name="events", verbose_name=_("curriculum")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    trainers = models.ManyToManyField(Trainer, related_name="events", verbose_name=_("trainers"))
    host = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host organization"),
    )
    town = models.ForeignKey(
        Town, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("town")
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    attendee_count = models.PositiveIntegerField(
        _("attendees"), null=True, blank=True, help_text=_("How many came. Leave empty until it is known.")
    )
    fields_of_work = models.JSONField(_("fields of work"), default=list, blank=True)
    positions = models.CharField(
        _("positions"), max_length=300, blank=True, help_text=_("For example: teachers, school counselors, nurses.")
    )
    instrument = models.ForeignKey(
        SurveyInstrument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("survey"),
    )
    # The public link's secret; a new one is drawn if a link must be withdrawn.
    survey_token = models.CharField(max_length=40, unique=True, default=new_survey_token, editable=False)
    survey_closes_at = models.DateTimeField(_("survey closes"))
    notes = models.TextField(_("notes"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)

    history = HistoricalRecords(m2m_fields=[trainers])

    class Meta:
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["starts_at"], name="training_event_start")]
        permissions = [("view_evaluation", "Can see survey results and training totals")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="training_event_ends_after_start"),
            models.CheckConstraint(
                condition=Q(survey_closes_at__gte=F("ends_at")), name="training_event_survey_closes_after"
            ),
            models.CheckConstraint(
                condition=Q(attendee_count__isnull=True) | Q(attendee_count__lte=LARGEST_HEADCOUNT),
                name="training_event_headcount",
            ),
            models.CheckConstraint(condition=Q(audience__in=Audience.values), name="training_event_audience"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("notes"), LONGEST_NOTE), name="training_event_notes_length"
            ),
            # Fewer characters than this would be a secret someone could guess (``new_survey_token``).
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("survey_token"), 16), name="training_event_token_length"
            ),
        ]

    def __str__(self):
        return f"{self.curriculum.name} {self.starts_at:%Y-%m-%d}"

    @property
    def pre_opens_at(self):
        return self.starts_at - PRE_SURVEY_OPENS


class Attendee(models.Model):
    """Someone on an event's sign-in sheet, where one is kept. Never linked to a survey response."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="attendees")
    full_name = models.CharField(_("full name"), max_length=150)
    organization = models.CharField(_("organization"), max_length=200, blank=True)
    field_of_work = models.CharField(_("field of work"), max_length=20, choices=FieldOfWork.choices, blank=True)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices, blank=True)
    email = models.EmailField(_("email"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["full_name", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(full_name=""), name="training_attendee_named"),
            models.CheckConstraint(
                condition=Q(field_of_work__in=["", *FieldOfWork.values]), name="training_attendee_field_of_work"
            ),
            models.CheckConstraint(condition=Q(position__in=["", *Position.values]), name="training_attendee_position"),
        ]

    def __str__(self):
        return self.full_name


class SurveyPhase(models.TextChoices):
    PRE = "pre", _("Before the training")
    POST = "post", _("After the training")


class ResponseSource(models.TextChoices):
    PAPER = "paper", _("Paper, entered by staff")
    LINK = "link", _("Answered through the link")


class SurveyResponse(models.Model):
    """One trainee's survey before or after an event: anonymous, from paper or from the link."""

    Phase = SurveyPhase
    Source = ResponseSource

    event = models.ForeignKey(TrainingEvent, on_delete=models.PROTECT, related_name="responses")
    instrument = models.ForeignKey(SurveyInstrument, on_delete=models.PROTECT, related_name="responses")
    phase = models.CharField(_("survey"), max_length=4, choices=Phase.choices)
    source = models.CharField(max_length=5, choices=Source.choices)
    field_of_work = models.CharField(_("field of work"), max_length=20, choices=FieldOfWork.choices, blank=True)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices, blank=True)
    experience = models.CharField(_("years of experience"), max_length=5, choices=Experience.choices, blank=True)
    # The language the survey was answered in (a code of ``settings.LANGUAGES``; no choices here, so
    # that a language added to the settings needs no migration; English, the language of the
    # items' own fields, for every survey answered before languages were kept). Answers in every
    # language answer the same items and are pooled; the evaluation says how many came in each.
    language = models.CharField(_("language"), max_length=10, default="en")
    submitted_at = models.DateTimeField(auto_now_add=True)
    # Staff who typed in a paper survey; empty for one answered through the link.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A paper survey typed in wrongly is set aside (left out of every result), never deleted.
    set_aside = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["event", "phase", "pk"]
        indexes = [models.Index(fields=["event", "phase"], name="training_response_event_phase")]
        constraints = [
            models.CheckConstraint(condition=Q(phase__in=SurveyPhase.values), name="training_response_phase"),
            # Typed in from paper by someone on the staff, or answered through the link by nobody.
            models.CheckConstraint(
                condition=Q(source=ResponseSource.PAPER, entered_by__isnull=False)
                | Q(source=ResponseSource.LINK, entered_by__isnull=True),
                name="training_response_source",
            ),
            models.CheckConstraint(
                condition=Q(field_of_work__in=["", *FieldOfWork.values]), name="training_response_field_of_work"
            ),
            models.CheckConstraint(condition=Q(position__in=["", *Position.values]), name="training_response_position"),
            models.CheckConstraint(
                condition=Q(experience__in=["", *Experience.values]), name="training_response_experience"
            ),
        ]

    def __str__(self):
        return f"{self.get_phase_display()} #{self.pk}"


class Answer(models.Model):
    """One item's score on a response.

    No history: answers are written once, with their response, and never changed; the
    response's history row records the submission, and a wrong one is set aside whole.
    """

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="training_answer_once"),
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=10), name="training_answer_score"),
        ]

    def __str__(self):
        return f"{self.item_id}: {self.score}"


class SubmissionMark(models.Model):
    """That a device and a network answered an event's survey, for the rate limit only.

    Keyed digests, never the address or the cookie itself, and not linked to the response.
    No history: bookkeeping, deleted once the event's survey has closed (``services.forget_marks``).
    """

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="+")
    phase = models.CharField(max_length=4, choices=SurveyResponse.Phase.choices)
    device = models.CharField(max_length=64)
    network = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["event", "device"], name="training_mark_device"),
            models.Index(fields=["event", "network", "at"], name="training_mark_network"),
        ]

    def __str__(self):
        return f"{self.event_id} {self.phase} {self.at:%Y-%m-%d %H:%M}"
