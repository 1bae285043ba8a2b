from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from bloom.said import render


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The access log is append-only.")

    def delete(self):
        raise PermissionError("The access log is append-only.")


class AccessLogEntry(models.Model):
    """One read of a survivor record, an export, a print or a download: who, what, when, where, why.

    Append-only for the application (updates and deletes raise), so it has no history
    table of its own: there is nothing to change. Written only by ``services.log_access``.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        VIEW_HISTORY = "view history", _("Viewed history")
        PRINT = "print", _("Requested a printout")
        DOWNLOAD = "download", _("Downloaded")
        EXPORT = "export", _("Exported")
        EMERGENCY = "emergency", _("Emergency access")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("who")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    # A label that names the record without identifying the survivor (a client code).
    target_label = models.CharField(_("record"), max_length=100)
    ip_address = models.GenericIPAddressField(_("from"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        ordering = ["-at", "-pk"]
        # A record's access log, newest first, read a page at a time from the index in the
        # page's order (``-pk`` breaks ties of the same instant): never a sort of its entries.
        indexes = [models.Index(fields=["target_type", "target_id", "-at", "-id"], name="access_log_of_record")]

    def __str__(self):
        return f"{self.user} {self.action} {self.target_label} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only.")

    def get_reason_display(self) -> str:
        """The reason in the reader's language when Bloom wrote it, else as the person typed it."""
        return render(self.reason)


class PurgeLogEntry(models.Model):
    """One purge: when, why (the schedule, a person running it, an authorised deletion), under
    which policy, and how much it took. Append-only, like the access log.

    The cases are named by id, whose tombstones remain: a client code or a name would be a
    copy of what was purged.
    """

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("The daily purge")
        BY_HAND = "by hand", _("Run by hand")
        DELETION = "deletion", _("An authorised deletion")
        AUDIT_ENDED = "audit ended", _("An award's retention ended")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    trigger = models.CharField(_("why"), max_length=20, choices=Trigger.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("who"),
    )  # fmt: skip
    # The retention policy's numbers when it ran.
    policy = models.JSONField(default=dict)
    # {level: {"cases": n, "rows": n, "history rows": n, "files": n, ...}}
    counts = models.JSONField(default=dict)
    # {level: [case id, ...]}
    cases = models.JSONField(default=dict)
    # Cases that were due but on hold, by count only.
    held = models.PositiveIntegerField(default=0)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("purge log entry")
        verbose_name_plural = _("purge log entries")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.trigger} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The purge log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The purge log is append-only.")
