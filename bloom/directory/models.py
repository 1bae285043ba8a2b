from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Town(models.Model):
    """A town or city; the program's service area is the set marked ``in_service_area``."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    state = models.CharField(_("state"), max_length=2, default="CT")
    in_service_area = models.BooleanField(_("in the service area"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("town")
        verbose_name_plural = _("towns")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Organization(models.Model):
    """A partner organization: a referral source or destination, a training host."""

    class Kind(models.TextChoices):
        HOTLINE = "hotline", _("Hotline")
        LAW_ENFORCEMENT = "law enforcement", _("Law enforcement")
        CHILD_WELFARE = "child welfare", _("Child welfare")
        SOCIAL_SERVICE = "social service", _("Social service agency")
        LEGAL = "legal", _("Legal aid")
        HEALTH = "health", _("Health or therapy")
        HOUSING = "housing", _("Housing")
        FAITH = "faith", _("Faith community")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    hotline = models.CharField(_("hotline"), max_length=40, blank=True)
    open_24_7 = models.BooleanField(_("answers 24/7"), default=False)
    town = models.ForeignKey(Town, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("town"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self):
        return self.name
