"""Street outreach: volunteers, outreach sessions and what they gave and saw, hand-offs to
intake, and community partnership activities.

Nothing here is a survivor record. A session holds counts and an area described in general
terms, never where a person can be found; a hand-off keeps only that a request was passed to
intake (what the person shared went to ``cases`` through ``bloom.intake``). Rows are written
only by ``outreach.services``; each model keeps its history.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bloom.directory.models import Organization, Town

# Counts entered by hand on a phone: anything above this is a typing slip.
LARGEST_COUNT = 10_000
# A session is an outing, not a shift pattern: longer than this is a slip of the date.
LONGEST_SESSION_HOURS = 16
# Notes are a few lines; a pasted essay is refused with a message, not cut.
LONGEST_NOTE = 4000
# A training is counted in the hours of one day.
LONGEST_TRAINING_HOURS = 24


def within_longest_note(*names: str) -> Q:
    """Each of the text fields ``names`` holds at most ``LONGEST_NOTE`` characters."""
    return Q(*(LessThanOrEqual(Length(name), LONGEST_NOTE) for name in names))


class Volunteer(models.Model):
    """A volunteer, from application to active service; they may or may not sign in."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        SCREENED = "screened", _("Screened")
        BACKGROUND_CHECKED = "background checked", _("Background check done")
        TRAINED = "trained", _("Trained")
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    # Statuses that need the background check on record; active also needs the training.
    CHECKED_STATUSES = (Status.BACKGROUND_CHECKED, Status.TRAINED, Status.ACTIVE)
    TRAINED_STATUSES = (Status.TRAINED, Status.ACTIVE)
    DETAIL_FIELDS = (
        "full_name", "email", "phone", "status", "applied_on", "background_checked_on", "trained_on",
        "languages", "skills", "availability", "emergency_contact_name", "emergency_contact_phone", "notes",
    )  # fmt: skip

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_record",
        verbose_name=_("sign-in account"),
    )
    full_name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.APPLIED)
    applied_on = models.DateField(_("applied on"))
    background_checked_on = models.DateField(_("background check done on"), null=True, blank=True)
    trained_on = models.DateField(_("volunteer training completed on"), null=True, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True, help_text=_("Separate them with commas."))
    skills = models.TextField(_("skills"), blank=True)
    availability = models.TextField(_("availability"), blank=True, help_text=_("For example: weekday evenings."))
    emergency_contact_name = models.CharField(_("emergency contact"), max_length=150, blank=True)
    emergency_contact_phone = models.CharField(_("emergency contact's phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["full_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["background checked", "trained", "active"])
                | Q(background_checked_on__isnull=False),
                name="volunteer_checked_before_service",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["trained", "active"]) | Q(trained_on__isnull=False),
                name="volunteer_trained_before_service",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["applied", "screened", "background checked", "trained", "active", "inactive"]),
                name="volunteer_status_from_the_list",
            ),
            models.CheckConstraint(condition=~Q(full_name=""), name="volunteer_has_a_name"),
            models.CheckConstraint(
                condition=Q(background_checked_on__isnull=True) | Q(background_checked_on__gte=F("applied_on")),
                name="volunteer_checked_after_applying",
            ),
            models.CheckConstraint(
                condition=Q(trained_on__isnull=True) | Q(trained_on__gte=F("applied_on")),
                name="volunteer_trained_after_applying",
            ),
            models.CheckConstraint(
                condition=within_longest_note("skills", "availability", "notes"), name="volunteer_notes_within_limit"
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def may_serve(self) -> bool:
        return self.status == self.Status.ACTIVE


class VolunteerTraining(models.Model):
    """A training a volunteer took after the first one (a refresher, a skill)."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="trainings")
    on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MaxValueValidator(LONGEST_TRAINING_HOURS)],
        null=True,
        blank=True,
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("volunteer training")
        verbose_name_plural = _("volunteer trainings")
        ordering = ["-on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(topic=""), name="volunteer_training_has_a_topic"),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0, hours__lte=LONGEST_TRAINING_HOURS),
                name="volunteer_training_hours_of_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.topic} ({self.on:%Y-%m-%d})"


class OutreachSession(models.Model):
    """One outing: when, in which town and kinds of venue, who went, and what was given and seen."""

    COUNT_FIELDS = (
        "people_contacted", "hotline_cards", "hygiene_kits", "food_items", "resource_sheets",
        "possibly_identified", "safety_incidents",
    )  # fmt: skip
    MATERIAL_FIELDS = ("hotline_cards", "hygiene_kits", "food_items", "resource_sheets")

    starts_at = models.DateTimeField(_("started"))
    ends_at = models.DateTimeField(_("ended"))
    # Kept by the services from the times: hours are summed in the database.
    minutes = models.PositiveIntegerField(editable=False)
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="+", verbose_name=_("town"))
    venue_types = models.JSONField(_("kinds of venue"), default=list)
    area = models.CharField(
        _("area"),
        max_length=300,
        help_text=_("The streets or kind of place in general terms. Never where a person can be found."),
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("outreach worker")
    )
    volunteers = models.ManyToManyField(Volunteer, related_name="sessions", blank=True, verbose_name=_("volunteers"))
    people_contacted = models.PositiveIntegerField(_("people contacted"), default=0)
    hotline_cards = models.PositiveIntegerField(_("hotline cards"), default=0)
    hygiene_kits = models.PositiveIntegerField(_("hygiene kits"), default=0)
    food_items = models.PositiveIntegerField(_("food"), default=0)
    resource_sheets = models.PositiveIntegerField(_("resource sheets"), default=0)
    possibly_identified = models.PositiveIntegerField(_("people possibly identified"), default=0)
    safety_incidents = models.PositiveIntegerField(_("safety incidents"), default=0)
    incident_notes = models.TextField(_("what happened"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False)

    history = HistoricalRecords(m2m_fields=[volunteers])

    class Meta:
        verbose_name = _("outreach session")
        verbose_name_plural = _("outreach sessions")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["starts_at"], name="outreach_session_start")]
        permissions = [("view_outreach_dashboard", "Can see the outreach dashboard and export it")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="outreach_session_ends_after_start"),
            models.CheckConstraint(
                condition=Q(possibly_identified__lte=F("people_contacted")),
                name="outreach_session_identified_among_contacted",
            ),
            models.CheckConstraint(
                condition=Q(
                    people_contacted__lte=LARGEST_COUNT,
                    hotline_cards__lte=LARGEST_COUNT,
                    hygiene_kits__lte=LARGEST_COUNT,
                    food_items__lte=LARGEST_COUNT,
                    resource_sheets__lte=LARGEST_COUNT,
                    possibly_identified__lte=LARGEST_COUNT,
                    safety_incidents__lte=LARGEST_COUNT,
                ),
                name="outreach_session_counts_at_most_largest",
            ),
            models.CheckConstraint(
                condition=Q(minutes__lte=LONGEST_SESSION_HOURS * 60), name="outreach_session_at_most_longest"
            ),
            models.CheckConstraint(condition=~Q(area=""), name="outreach_session_area_described"),
            models.CheckConstraint(
                condition=Q(safety_incidents=0) | ~Q(incident_notes=""), name="outreach_session_incident_described"
            ),
            models.CheckConstraint(
                condition=within_longest_note("incident_notes", "notes"), name="outreach_session_notes_within_limit"
            ),
        ]

    def __str__(self):
        return f"{self.town} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def materials(self) -> int:
        return sum(getattr(self, name) for name in self.MATERIAL_FIELDS)


class HandOff(models.Model):
    """That a person's request for help was passed to intake from a session, and by whom.

    What the person shared is not here: it went to the intake queue, where outreach roles
    cannot read it.
    """

    session = models.ForeignKey(OutreachSession, on_delete=models.PROTECT, related_name="handoffs")
    passed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    passed_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hand-off to intake")
        verbose_name_plural = _("hand-offs to intake")
        ordering = ["passed_at", "pk"]
        permissions = [("pass_to_intake", "Can pass a request for help to intake")]

    def __str__(self):
        return f"hand-off #{self.pk}"


class PartnershipActivity(models.Model):
    """Work with a partner organization: a referral, sharing information, a joint program."""

    class Kind(models.TextChoices):
        REFERRAL = "referral", _("Referral")
        INFORMATION_SHARING = "information sharing", _("Information sharing")
        JOINT_PROGRAMMING = "joint programming", _("Joint service programming")

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    on = models.DateField(_("date"))
    people_involved = models.TextField(
        _("people involved"), blank=True, help_text=_("Staff and partners by name or role; no survivor names.")
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("No survivor names or details."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partnership activity")
        verbose_name_plural = _("partnership activities")
        ordering = ["-on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["referral", "information sharing", "joint programming"]),
                name="partnership_kind_from_the_list",
            ),
            models.CheckConstraint(
                condition=within_longest_note("people_involved", "notes"), name="partnership_notes_within_limit"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on:%Y-%m-%d}"
