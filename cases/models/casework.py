"""The daily work on a case: contacts, stages of change, referrals, releases, documents,
closure, handoffs, and who may open a restricted case or one outside their reach.

Everything here hangs off a case and is visible exactly when the case is (see
``cases.permissions``). Each model keeps its history; rows are written only by the
services in ``cases.services``.
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bloom.accounts.models import Team
from bloom.directory.models import Organization, ServiceType
from bloom.said import render
from cases.models.core import Case

# The longest a contact can last, in minutes: a whole day (an accompaniment to court, say).
LONGEST_CONTACT_MINUTES = 24 * 60


class Contact(models.Model):
    """A dated interaction with the survivor, or an attempt to reach them."""

    class Kind(models.TextChoices):
        IN_PERSON = "in person", _("In person")
        PHONE = "phone", _("Phone")
        TEXT = "text", _("Text message")
        VIDEO = "video", _("Video call")
        ATTEMPT = "attempt", _("Attempt, not reached")

    class Initiator(models.TextChoices):
        SURVIVOR = "survivor", _("The survivor")
        STAFF = "staff", _("Program staff")
        OTHER = "other", _("Someone else")

    class Topic(models.TextChoices):
        BUDGETING = "budgeting", _("Budgeting")
        GOALS = "goals", _("Goals")
        SAFETY = "safety", _("Safety")
        RELATIONSHIPS = "healthy relationships", _("Healthy relationships")
        HOUSING = "housing", _("Housing")
        LEGAL = "legal", _("Legal")
        HEALTH = "health", _("Health")
        WORK = "work and income", _("Work and income")
        EDUCATION = "education", _("Education")
        EMOTIONAL_SUPPORT = "emotional support", _("Emotional support")
        OTHER = "other", _("Other")

    # A contact of these kinds reached the survivor; an attempt did not.
    REACHED = (Kind.IN_PERSON, Kind.PHONE, Kind.TEXT, Kind.VIDEO)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("date and time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"), null=True, blank=True)
    initiated_by = models.CharField(_("who initiated it"), max_length=20, choices=Initiator.choices)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Blank when not asked; a contact with an interpreter counts as interpreter services.
    interpreter_used = models.BooleanField(_("an interpreter was used"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-occurred_at", "-pk"]
        # ``kind`` carried in the index: the team dashboard counts a team's contacts by month and
        # kind from the index alone, without reading each contact's row.
        indexes = [models.Index(fields=["case", "-occurred_at"], include=["kind"], name="contact_case_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__lte=LONGEST_CONTACT_MINUTES),
                name="contact_duration_within_a_day",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def reached(self) -> bool:
        return self.kind in self.REACHED

    @property
    def topic_labels(self) -> list[str]:
        labels = dict(self.Topic.choices)
        return [str(labels.get(topic, topic)) for topic in self.topics]


class StageOfChange(models.TextChoices):
    """The Stages of Change, as adapted for commercially sexually exploited youth."""

    PRECONTEMPLATION = "precontemplation", _("Precontemplation")
    CONTEMPLATION = "contemplation", _("Contemplation")
    PREPARATION = "preparation", _("Preparation")
    ACTION = "action", _("Action")
    MAINTENANCE = "maintenance", _("Maintenance")
    RELAPSE = "relapse", _("Relapse")


class StageObservation(models.Model):
    """Where the survivor seemed to stand on a given day, in the specialist's judgement."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stage_observations")
    stage = models.CharField(_("stage of change"), max_length=20, choices=StageOfChange.choices)
    observed_on = models.DateField(_("observed on"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stage of change")
        verbose_name_plural = _("stages of change")
        ordering = ["-observed_on", "-pk"]

    def __str__(self):
        return f"{self.get_stage_display()} {self.observed_on}"


def document_path(instance, filename: str) -> str:
    # A random name: neither the survivor nor the original file name shows on disk.
    return f"documents/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}"


class Document(models.Model):
    """A private file kept on a case: an ID, a signed form, a receipt, a letter.

    Stored under the private root (never a public media path) and served only through a
    permission-checked, logged view. Deleting keeps the row, with who and why, and removes
    the file itself.
    """

    class Kind(models.TextChoices):
        IDENTIFICATION = "identification", _("Identification")
        SIGNED_FORM = "signed form", _("Signed form")
        RECEIPT = "receipt", _("Receipt")
        LETTER = "letter", _("Letter")
        OTHER = "other", _("Other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("description"), max_length=200)
    file = models.FileField(upload_to=document_path, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deletion_reason = models.TextField(_("reason for deleting"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=True, deleted_by__isnull=True, deletion_reason="")
                | (Q(deleted_at__isnull=False, deleted_by__isnull=False) & ~Q(deletion_reason="")),
                name="document_deleted_with_reason",
            ),
        ]

    def __str__(self):
        return self.get_title_display()

    def get_title_display(self) -> str:
        """The title in the reader's language when Bloom wrote it (a release's signed form), else as typed."""
        return render(self.title)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class InformationKind(models.TextChoices):
    """What a release lets the program share."""

    IDENTIFYING = "identifying", _("Name, date of birth and contact details")
    IMMIGRATION = "immigration", _("Immigration status")
    HEALTH = "health", _("Health information")
    CASE_PLAN = "case plan", _("Case plan, goals and progress")
    EXPERIENCE = "experience", _("What happened to them")
    DOCUMENTS = "documents", _("Copies of documents")
    OTHER = "other", _("Other information")


class Release(models.Model):
    """The survivor's written, time-limited consent to share named information with someone.

    Signing one is never a condition of service. A release is active from its signing
    until it expires or is revoked; only an active release that covers an organization
    lets a referral carry identifying information to it.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXPIRING = "expiring", _("Expiring soon")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    # The longest a release may run, in months, and how early its expiry is announced.
    LONGEST_MONTHS = 12
    EXPIRY_NOTICE_DAYS = 30

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="releases")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    recipient = models.CharField(
        _("person or body"),
        max_length=200,
        blank=True,
        help_text=_("A person at the organization, or whoever receives the information if it is not listed."),
    )
    information = models.JSONField(_("information that may be shared"), default=list)
    purpose = models.TextField(_("purpose"))
    signed_on = models.DateField(_("signed on"))
    expires_on = models.DateField(_("expires on"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_note = models.TextField(_("note on the revocation"), blank=True)
    signed_form = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed form"),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("release of information")
        verbose_name_plural = _("releases of information")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(expires_on__gt=F("signed_on")), name="release_expires_after_signed"),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=F("signed_on")),
                name="release_revoked_after_signed",
            ),
            models.CheckConstraint(
                condition=Q(organization__isnull=False) | ~Q(recipient=""), name="release_names_a_recipient"
            ),
            models.CheckConstraint(condition=~Q(information=[]), name="release_shares_something"),
        ]

    def __str__(self):
        return str(self.organization or self.recipient)

    def status_on(self, day: date) -> str:
        if self.revoked_on is not None and self.revoked_on <= day:
            return self.Status.REVOKED
        if self.expires_on < day:
            return self.Status.EXPIRED
        if (self.expires_on - day).days <= self.EXPIRY_NOTICE_DAYS:
            return self.Status.EXPIRING
        return self.Status.ACTIVE

    @property
    def information_labels(self) -> list[str]:
        labels = dict(InformationKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.information]

    def is_active_on(self, day: date) -> bool:
        return self.signed_on <= day and self.status_on(day) in (self.Status.ACTIVE, self.Status.EXPIRING)


class Referral(models.Model):
    """A referral out to a partner, or in from one, for a kind of service."""

    class Direction(models.TextChoices):
        OUT = "out", _("Out: we referred the survivor to a partner")
        IN = "in", _("In: a partner referred the survivor to us")

    class Status(models.TextChoices):
        MADE = "made", _("Made")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Completed")
        NO_RESPONSE = "no response", _("No response")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, default=Direction.OUT)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    service_type = models.CharField(_("service"), max_length=30, choices=ServiceType.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.MADE)
    made_on = models.DateField(_("date made"))
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    # Whether the survivor's identifying information went with it; only ever true with the
    # active release that allowed it.
    identifying_information_shared = models.BooleanField(_("identifying information shared"), default=False)
    release = models.ForeignKey(
        Release, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals", verbose_name=_("release")
    )
    note = models.TextField(_("note"), blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-made_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(identifying_information_shared=False)
                | Q(identifying_information_shared=True, release__isnull=False, direction="out"),
                name="referral_identifying_needs_release",
            ),
            models.CheckConstraint(
                condition=Q(status="made", outcome_on__isnull=True) | (~Q(status="made") & Q(outcome_on__isnull=False)),
                name="referral_outcome_date_iff_outcome",
            ),
            models.CheckConstraint(
                condition=Q(outcome_on__isnull=True) | Q(outcome_on__gte=F("made_on")),
                name="referral_outcome_after_made",
            ),
        ]

    def __str__(self):
        return f"{self.get_service_type_display()}: {self.organization}"


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals met", _("Goals met")
    MOVED = "moved", _("Moved away")
    DECLINED = "declined further services", _("Declined further services")
    LOST_CONTACT = "lost contact", _("Lost contact")
    REFERRED = "referred elsewhere", _("Referred elsewhere")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


class LivingSituation(models.TextChoices):
    OWN_HOME = "own home", _("Own rented or owned home")
    FAMILY_OR_FRIENDS = "family or friends", _("With family or friends")
    TRANSITIONAL = "transitional housing", _("Transitional housing")
    SHELTER = "emergency shelter", _("Emergency shelter")
    INSTITUTION = "institution", _("Hospital, treatment or detention")
    WITHOUT_HOUSING = "without housing", _("Without housing")
    RETURNED_HOME = "returned to home country", _("Returned to home country")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not known")


class ImmigrationRelief(models.TextChoices):
    """Whether Continued Presence or a T visa was obtained while served."""

    CONTINUED_PRESENCE = "continued presence", _("Continued Presence")
    T_VISA = "t visa", _("T visa")
    BOTH = "both", _("Both")
    NEITHER = "neither", _("Neither")
    NOT_APPLICABLE = "not applicable", _("Not applicable")
    UNKNOWN = "unknown", _("Not known")


class HHSCertification(models.TextChoices):
    CERTIFICATION = "certification", _("HHS certification letter (adult)")
    ELIGIBILITY = "eligibility", _("HHS eligibility letter (minor)")
    NEITHER = "neither", _("Neither")
    NOT_APPLICABLE = "not applicable", _("Not applicable")
    UNKNOWN = "unknown", _("Not known")


class Closure(models.Model):
    """A request to close a case, with what funders ask at closure, and a supervisor's decision.

    The case closes only when a supervisor approves; a request returned for changes, or
    withdrawn by those working on the case, can be asked again. At most one request waits per case.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for changes")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closures")
    reason = models.CharField(_("reason for closing"), max_length=30, choices=ClosureReason.choices)
    reason_note = models.TextField(_("about the reason"), blank=True)
    closed_on = models.DateField(_("closing date"))
    living_situation = models.CharField(
        _("living situation at closure"), max_length=30, choices=LivingSituation.choices
    )
    immigration_relief = models.CharField(
        _("Continued Presence or T visa obtained"), max_length=20, choices=ImmigrationRelief.choices
    )
    hhs_certification = models.CharField(
        _("HHS certification or eligibility letter"), max_length=20, choices=HHSCertification.choices
    )
    continued_care = models.BooleanField(_("referred for continued care"), default=False)
    continued_care_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("continued care with"),
    )
    note = models.TextField(_("closing summary"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="requested"), name="closure_one_waiting_per_case"
            ),
            # A case closes once: a survivor who comes back is enrolled in a new case.
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="approved"), name="closure_one_approved_per_case"
            ),
            models.CheckConstraint(
                condition=Q(status="requested", decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(status="requested") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="closure_decided_iff_not_waiting",
            ),
            models.CheckConstraint(condition=~Q(reason="other") | ~Q(reason_note=""), name="closure_other_explained"),
        ]

    def __str__(self):
        return f"{self.case}: {self.get_reason_display()}"


class Handoff(models.Model):
    """A reassignment or a transfer to another team, with the note for whoever takes over."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handoffs")
    from_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("from team"))
    to_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("to team"))
    # Names as they were at the time, so the record still reads right when people leave.
    from_specialists = models.CharField(_("from"), max_length=500, blank=True)
    to_specialists = models.CharField(_("to"), max_length=500, blank=True)
    note = models.TextField(_("handoff note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handoff")
        verbose_name_plural = _("handoffs")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.case}: {self.from_team} → {self.to_team}"


class NamedPerson(models.Model):
    """Someone besides the assigned specialists who may see a restricted case.

    Naming never widens access: a named supervisor or director must also be able to see
    the case without the restriction. It only narrows who, of those, still may.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="named_people")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person named on a restricted case")
        verbose_name_plural = _("people named on a restricted case")
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="named_person_once_per_case")]

    def __str__(self):
        return f"{self.case}: {self.user}"


class EmergencyAccess(models.Model):
    """A time-boxed opening of a case outside the user's reach, for a crisis, with the reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="emergency_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_grants")
    reason = models.TextField(_("reason"))
    granted_at = models.DateTimeField(_("granted"))
    expires_at = models.DateTimeField(_("expires"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency access")
        ordering = ["-granted_at", "-pk"]
        indexes = [models.Index(fields=["user", "expires_at"], name="emergency_user_expiry")]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=F("granted_at")), name="emergency_expires_after_granted"),
            models.CheckConstraint(condition=~Q(reason=""), name="emergency_has_reason"),
        ]

    def __str__(self):
        return f"{self.user} → {self.case} until {self.expires_at:%Y-%m-%d %H:%M}"
