import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ReportJob(models.Model):
    """A report someone asked for: built in the background, downloaded through a checked view.

    No history table: a job's only changes are its own progress, and who asked for what
    is in the access log. The file is deleted after BLOOM_REPORT_RETENTION.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Could not be prepared")
        EXPIRED = "expired", _("Expired")

    # A random public id: job URLs reveal nothing about how many reports exist.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=50)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="reports/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    # A key of ERRORS, so the message is shown in the reader's language.
    error = models.CharField(max_length=20, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_progress_percent"),
        ]
        indexes = [models.Index(fields=["requested_by", "kind", "target_id", "-created"])]

    def __str__(self):
        return f"{self.kind} {self.public_id}"

    ERRORS = {
        "no_access": _("This record is no longer available to you."),
        "failed": _("Something went wrong while preparing the report. Please try again."),
    }

    @property
    def error_message(self) -> str:
        return str(self.ERRORS.get(self.error, self.ERRORS["failed"])) if self.error else ""

    @property
    def is_pending(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}


class SubmittedReport(models.Model):
    """The figures of a funder or program report as the director submitted them.

    Kept so that a later run of the same period can show what changed since (late entries,
    corrections) and a resubmission can be explained. Figures are counts only.
    """

    kind = models.CharField(_("report"), max_length=50)
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    # The award whose cases were counted; empty when every case was.
    fund = models.ForeignKey(
        "assistance.Fund", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("award")
    )
    # {table key: {row key: {column key: count}}}; row and column keys are codes, never names.
    figures = models.JSONField(default=dict)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("submitted report")
        verbose_name_plural = _("submitted reports")
        ordering = ["-submitted_at", "-pk"]
        permissions = [("produce_program_reports", "Can produce funder and program reports over every case")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="submitted_report_period_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.period_start} to {self.period_end}"
