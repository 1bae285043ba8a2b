"""What the program keeps, for how long, and what a purge left behind.

The policy says how many months after a case ends its narratives, its documents' files and
its survivor's identity are kept. A hold stops every purge of a case until it is lifted. A
tombstone says, for one case, what was purged and when; the rows themselves stay, holding
only the de-identified facts the reports count. Deleting a survivor's record at once, before
the policy would, takes a director's written reason and a second authorised person.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Case, Survivor

# The longest any period may be set to: fifty years is "keep it".
LONGEST_MONTHS = 600
LONGEST_BACKUP_DAYS = 3650


class Level(models.TextChoices):
    """What a purge takes, from least to most. Identity takes everything the others take."""

    NARRATIVES = "narratives", _("Narratives and notes")
    DOCUMENTS = "documents", _("Documents' files")
    IDENTITY = "identity", _("Identity and everything else")


class RetentionPolicy(models.Model):
    """The program's retention periods. One row, changed only by ``retention.services.set_policy``."""

    narratives_months = models.PositiveSmallIntegerField(
        _("narratives and notes kept for (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(LONGEST_MONTHS)],
        help_text=_("After a case closes, or after the last contact of a case never enrolled."),
    )
    documents_months = models.PositiveSmallIntegerField(
        _("documents' files kept for (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(LONGEST_MONTHS)],
    )
    identity_months = models.PositiveSmallIntegerField(
        _("identifying information kept for (months)"),
        default=36,
        validators=[MinValueValidator(1), MaxValueValidator(LONGEST_MONTHS)],
        help_text=_("Names, birth date, contact details, addresses; a survivor with several enrollments keeps "
                    "them until the latest one is due."),
    )  # fmt: skip
    reopen_months = models.PositiveSmallIntegerField(
        _("a closed case is kept whole for at least (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(LONGEST_MONTHS)],
        help_text=_("So that a survivor who comes back soon after closing finds their record as they left it. "
                    "No purge period may be shorter."),
    )  # fmt: skip
    # The day the director last set the policy; none until they first do, and nothing is
    # purged before. The daily run takes nothing sooner than 30 days after it (``schedule``).
    set_on = models.DateField(_("in force since"), null=True, blank=True, editable=False)
    backup_days = models.PositiveSmallIntegerField(
        _("backups kept for (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(LONGEST_BACKUP_DAYS)],
        help_text=_("Purged information survives in backups at most this many days after the purge."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policy")
        permissions = [("manage_retention", "Can set the retention policy, preview and run the purge")]
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="retention_policy_single_row"),
            models.CheckConstraint(
                condition=Q(
                    narratives_months__gte=1,
                    documents_months__gte=1,
                    identity_months__gte=1,
                    reopen_months__gte=1,
                    backup_days__gte=1,
                ),
                name="retention_periods_positive",
            ),
        ]

    def __str__(self):
        return str(_("Retention policy"))

    @classmethod
    def load(cls) -> "RetentionPolicy":
        return cls.objects.get_or_create(pk=1)[0]

    def months_for(self, level: str) -> int:
        return {
            Level.NARRATIVES: self.narratives_months,
            Level.DOCUMENTS: self.documents_months,
            Level.IDENTITY: self.identity_months,
        }[level]

    def snapshot(self) -> dict[str, int]:
        """The policy's numbers, as the purge log keeps them."""
        return {
            "narratives_months": self.narratives_months,
            "documents_months": self.documents_months,
            "identity_months": self.identity_months,
            "reopen_months": self.reopen_months,
            "backup_days": self.backup_days,
        }


class Hold(models.Model):
    """A reason not to purge a case (a court order, an open investigation), until it is lifted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="holds")
    reason = models.TextField(_("reason"))
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(_("placed"), auto_now_add=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lift_note = models.TextField(_("why it is lifted"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        ordering = ["-placed_at", "-pk"]
        permissions = [("place_hold", "Can place and lift holds on the cases they see")]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="hold_has_reason"),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True)
                | Q(lifted_at__isnull=False, lifted_by__isnull=False),
                name="hold_lifted_by_someone",
            ),
        ]
        indexes = [models.Index(fields=["case"], condition=Q(lifted_at__isnull=True), name="hold_active_by_case")]

    def __str__(self):
        return f"{self.case} hold {self.pk}"

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class Tombstone(models.Model):
    """What was purged of one case, and when. The case's rows remain, de-identified."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="tombstone")
    narratives_purged_on = models.DateField(_("narratives purged on"), null=True, blank=True)
    documents_purged_on = models.DateField(_("documents purged on"), null=True, blank=True)
    identity_purged_on = models.DateField(_("identity purged on"), null=True, blank=True)
    # Payments, receipts and what a grant audit needs are kept, without the survivor's
    # identity, until the last of the case's awards ends its own retention.
    audit_kept_until = models.DateField(_("audit records kept until"), null=True, blank=True)
    audit_purged_on = models.DateField(_("audit records purged on"), null=True, blank=True)
    # Set when the record was deleted at once by an authorised deletion, not by the schedule.
    deletion = models.ForeignKey(
        "DeletionRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="tombstones"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tombstone")
        verbose_name_plural = _("tombstones")

    def __str__(self):
        return f"{self.case} tombstone"

    def purged(self, level: str) -> bool:
        return getattr(self, f"{level}_purged_on") is not None


class DeletionRequest(models.Model):
    """A director's request to delete one survivor's record at once, and its confirmation.

    Confirmed by a second authorised person, never the one who asked; the result is the
    whole purge of every case of the survivor.
    """

    class Why(models.TextChoices):
        ASKED = "asked", _("The survivor asked for their record to be deleted")
        MISTAKE = "mistake", _("The record was entered by mistake")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for confirmation")
        DONE = "done", _("Deleted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    survivor = models.ForeignKey(Survivor, on_delete=models.PROTECT, related_name="deletion_requests")
    why = models.CharField(_("why"), max_length=10, choices=Why.choices)
    reason = models.TextField(
        _("reason"), help_text=_("Kept after the deletion, so write it without the survivor's name or details.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("asked"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")
        ordering = ["-requested_at", "-pk"]
        permissions = [("delete_survivor_record", "Can ask for or confirm the deletion of a survivor's record")]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="deletion_has_reason"),
            models.CheckConstraint(
                condition=~Q(status="done") | (Q(decided_by__isnull=False) & ~Q(decided_by=models.F("requested_by"))),
                name="deletion_confirmed_by_another",
            ),
            models.UniqueConstraint(
                fields=["survivor"], condition=Q(status="waiting"), name="deletion_one_waiting_per_survivor"
            ),
        ]

    def __str__(self):
        return f"{self.survivor} deletion {self.pk}"
