"""Requests for help passed to intake from outside a case (street outreach), before a case exists.

What the person agreed to share is survivor data from the moment it arrives: it is read only
through ``cases.permissions`` (the team's intake, the program director), and once an intake
starts from it the request belongs to its case and leaves the queue.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bloom.accounts.models import Team
from cases.models.core import Case, ReferralSource

# The widest age a person may give (the same bound as a survivor's estimated age).
OLDEST_AGE = 120


class IntakeRequest(models.Model):
    """A person's request for help, waiting in a team's intake queue."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        STARTED = "started", _("Intake started")
        CLOSED = "closed", _("Closed without an intake")

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    source = models.CharField(_("passed on by"), max_length=20, choices=ReferralSource.choices)
    where = models.CharField(_("where they were met"), max_length=200)
    met_on = models.DateField(_("met on"))
    passed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    passed_at = models.DateTimeField(auto_now_add=True)
    name = models.CharField(_("what they want to be called"), max_length=200)
    age = models.PositiveSmallIntegerField(_("age, if they said"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    safe_to_call = models.BooleanField(_("safe to call"), null=True, blank=True)
    safe_to_text = models.BooleanField(_("safe to text"), null=True, blank=True)
    safe_to_leave_message = models.BooleanField(_("safe to leave a message"), null=True, blank=True)
    how_to_reach = models.TextField(_("how and when to reach them safely"), blank=True)
    needs = models.JSONField(_("what they asked for help with"), default=list, blank=True)
    in_their_words = models.TextField(_("in their words"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.WAITING)
    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="intake_request", verbose_name=_("case")
    )
    closed_reason = models.TextField(_("why no intake"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("request for help")
        verbose_name_plural = _("requests for help")
        ordering = ["passed_at", "pk"]
        indexes = [
            models.Index(fields=["team", "passed_at"], condition=Q(status="waiting"), name="intake_request_waiting"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(age__isnull=True) | Q(age__lte=OLDEST_AGE), name="intake_request_age"),
            models.CheckConstraint(
                condition=(Q(status="started") & Q(case__isnull=False)) | (~Q(status="started") & Q(case__isnull=True)),
                name="intake_request_case_when_started",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(closed_reason=""), name="intake_request_closed_reason"
            ),
        ]

    def __str__(self):
        # No name: the string shows in logs and the admin's history.
        return f"request for help #{self.pk}"
