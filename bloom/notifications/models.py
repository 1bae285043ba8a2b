from datetime import date

from django.conf import settings
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bloom.translated import in_active_language


class Notification(models.Model):
    """Something a person should know or do, shown in the header and on their list.

    Written in bulk by periodic tasks through ``services.notify``; ``dedupe_key`` makes
    that idempotent. No history table: a notification is never edited except to mark it
    read, and that mark is its own timestamp.
    """

    class Kind(models.TextChoices):
        CONTACT_OVERDUE = "contact overdue", _("Contact overdue")
        CARELINE_REPORT_DUE = "careline report due", _("Careline report due")
        RELEASE_EXPIRING = "release expiring", _("Release expiring")
        EMERGENCY_ACCESS = "emergency access", _("Emergency access")
        CLOSURE_REQUESTED = "closure requested", _("Closure waiting for approval")
        CLOSURE_RETURNED = "closure returned", _("Closure returned")
        PHASE_MOVE_REQUESTED = "phase move requested", _("Phase move waiting for sign-off")
        PHASE_MOVE_RETURNED = "phase move returned", _("Phase move returned")
        STEP_OVERDUE = "step overdue", _("Action step overdue")
        SAFETY_PLAN_REVIEW = "safety plan review", _("Safety plan review due")
        ASSISTANCE_WAITING = "assistance waiting", _("Assistance request waiting for approval")
        ASSISTANCE_SECOND = "assistance second", _("Assistance request waiting for a second approval")
        ASSISTANCE_APPROVED = "assistance approved", _("Assistance request approved")
        ASSISTANCE_DENIED = "assistance denied", _("Assistance request denied")
        ASSISTANCE_PAID = "assistance paid", _("Assistance request paid")
        ASSISTANCE_TO_PAY = "assistance to pay", _("Assistance request waiting for payment")
        HOUSING_LIMIT_NEAR = "housing limit near", _("Housing stay near its limit")
        HOUSING_LIMIT_PASSED = "housing limit passed", _("Housing stay past its limit")
        INTAKE_REQUEST_WAITING = "intake request waiting", _("Request for help waiting for intake")
        PURGE_COMING = "purge coming", _("Purge coming")
        DELETION_WAITING = "deletion waiting", _("Deletion waiting for confirmation")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    # What the message needs (a client code, a date): never a survivor's name, since
    # notifications may be read over a shoulder or in an email. The text itself is
    # written when shown, in the reader's language.
    data = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=200)
    created = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notification_once_per_key"),
        ]
        # A person's list and the header's unread ones, newest first, read from an index in
        # that order; the unread one also finds what ``mark_read`` marks.
        indexes = [
            models.Index(fields=["recipient", "-created", "-id"], name="notification_list"),
            models.Index(
                fields=["recipient", "-created", "-id"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        # A phase's name is the director's words: ``data`` holds it in each language it is
        # written in, and the reader's is shown (``bloom.translated.data_words``).
        values = in_active_language(self.data)
        for name in ("since", "until"):
            if name in values:
                values[name] = date_format(date.fromisoformat(values[name]), "SHORT_DATE_FORMAT")
        return MESSAGES[self.kind] % values


MESSAGES = {
    Notification.Kind.CONTACT_OVERDUE: _("No contact recorded with %(code)s since %(since)s."),
    Notification.Kind.CARELINE_REPORT_DUE: _(
        "%(code)s was under 18 at intake (%(since)s) and no DCF Careline report is recorded yet."
    ),
    Notification.Kind.RELEASE_EXPIRING: _("A release of information for %(code)s expires on %(until)s."),
    Notification.Kind.EMERGENCY_ACCESS: _("%(who)s opened %(code)s under emergency access."),
    Notification.Kind.CLOSURE_REQUESTED: _("Closing %(code)s is waiting for your approval."),
    Notification.Kind.CLOSURE_RETURNED: _("Closing %(code)s was returned for changes."),
    Notification.Kind.PHASE_MOVE_REQUESTED: _("Moving %(code)s to %(phase)s is waiting for your sign-off."),
    Notification.Kind.PHASE_MOVE_RETURNED: _("Moving %(code)s to %(phase)s was returned for changes."),
    Notification.Kind.STEP_OVERDUE: _("A step towards a goal of %(code)s was due on %(since)s."),
    Notification.Kind.SAFETY_PLAN_REVIEW: _("The safety plan of %(code)s is due for review on %(until)s."),
    Notification.Kind.ASSISTANCE_WAITING: _(
        "Assistance request %(number)s for %(code)s (%(amount)s) is waiting for your approval."
    ),
    Notification.Kind.ASSISTANCE_SECOND: _(
        "Assistance request %(number)s (%(amount)s) is waiting for a second approval."
    ),
    Notification.Kind.ASSISTANCE_APPROVED: _("Assistance request %(number)s for %(code)s was approved."),
    Notification.Kind.ASSISTANCE_DENIED: _("Assistance request %(number)s for %(code)s was denied."),
    Notification.Kind.ASSISTANCE_PAID: _("Assistance request %(number)s for %(code)s was paid."),
    Notification.Kind.ASSISTANCE_TO_PAY: _(
        "Assistance request %(number)s (%(amount)s) is approved and waiting for payment."
    ),
    Notification.Kind.HOUSING_LIMIT_NEAR: _("A housing stay of %(code)s reaches its limit on %(until)s."),
    Notification.Kind.HOUSING_LIMIT_PASSED: _("A housing stay of %(code)s passed its limit on %(since)s."),
    Notification.Kind.INTAKE_REQUEST_WAITING: _(
        "A request for help from %(where)s is waiting in %(team)s's intake queue."
    ),
    Notification.Kind.PURGE_COMING: _(
        "Part of the record of %(code)s will be purged on %(until)s under the retention policy, unless a hold "
        "is placed."
    ),
    Notification.Kind.DELETION_WAITING: _(
        "Deleting the record of %(code)s is waiting for a second person to confirm it."
    ),
}
