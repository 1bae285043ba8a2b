"""Services delivered: the program's catalogue of services, each with its codes in the
funders' schemes, and the dated service events on a case.

The codes are data, not code: funders change them, and the program director follows
without a release. Rules in code name a service only by its ``key``, which never changes.
Events a specialist ticks on a contact are stored here; events implied by other records
(a payment, a shelter stay, a referral) are derived when a report counts them
(``cases.delivered``), so they can never drift from the records that imply them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bloom.translated import Translated, translations_field
from cases.models.casework import Contact
from cases.models.core import Case


class FunderScheme(models.TextChoices):
    """The funders' coding schemes a report counts by. A new scheme comes with its report."""

    VICTIM_SERVICES = "victim services", _("Federal victim-services funder")
    HHS = "hhs", _("HHS trafficking grants")


class FunderCode(models.Model):
    """One code in a funder's scheme, such as the victim-services funder's "B9"."""

    scheme = models.CharField(_("scheme"), max_length=20, choices=FunderScheme.choices)
    code = models.CharField(_("code"), max_length=20)
    label = models.CharField(_("funder's name for it"), max_length=200)
    # The funder's category, as the report groups it ("A. Information and referral").
    category = models.CharField(_("category"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # Set when a submitted report first counted under this code: from then on the code
    # cannot be renamed, so what was reported can always be read again.
    first_reported_on = models.DateField(_("first reported on"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("funder's code")
        verbose_name_plural = _("funders' codes")
        ordering = ["scheme", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="funder_code_unique_in_scheme"),
            models.CheckConstraint(condition=~Q(code=""), name="funder_code_not_blank"),
        ]

    def __str__(self):
        return f"{self.code} {self.label}"


class Service(Translated, models.Model):
    """A service the program gives, in its own words, with its code in each funder's scheme."""

    TRANSLATED = ("name",)

    class Group(models.TextChoices):
        """How the contact form groups the services (the victim-services funder's categories)."""

        INFORMATION = "information", _("Information and referral")
        ADVOCACY = "advocacy", _("Advocacy and accompaniment")
        SUPPORT = "support", _("Emotional support and safety")
        HOUSING = "housing", _("Shelter and housing")
        JUSTICE = "justice", _("Criminal and civil justice")
        NEEDS = "needs", _("Basic needs and other help")

    # Stable forever: rules and derived events name a service by it.
    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=150)
    # The name in the other languages (``bloom.translated``): what a specialist ticks on a contact
    # and a survivor reads on their service report. Funders' reports count codes, never names.
    translations = translations_field()
    group = models.CharField(_("group"), max_length=20, choices=Group.choices)
    usual = models.BooleanField(
        _("usual"), default=False, help_text=_("Shown first on the contact form: the services given most often.")
    )
    is_active = models.BooleanField(
        _("offered"), default=True, help_text=_("Clear this to stop offering it; past events keep it.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # One service per victim-services code, so that a sub-service's people and times are
    # the people and times of exactly one service. HHS categories are broader: several
    # services fall under one.
    victim_services_code = models.ForeignKey(
        FunderCode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"scheme": FunderScheme.VICTIM_SERVICES},
        verbose_name=_("victim-services code"),
    )
    hhs_code = models.ForeignKey(
        FunderCode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"scheme": FunderScheme.HHS},
        verbose_name=_("HHS category"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["group", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["victim_services_code"],
                condition=Q(victim_services_code__isnull=False),
                name="service_victim_services_code_once",
            ),
            models.UniqueConstraint(fields=["name"], name="service_name_unique"),
        ]
        permissions = [("manage_service_catalogue", "Can change the service catalogue and the funders' codes")]

    def __str__(self):
        return self.name


class ServiceEvent(models.Model):
    """A service given to the survivor of a case on a day, ticked on a contact."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="service_events")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="events")
    provided_on = models.DateField(_("given on"))
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="service_events")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service given")
        verbose_name_plural = _("services given")
        ordering = ["-provided_on", "-pk"]
        indexes = [models.Index(fields=["provided_on", "service"], name="service_event_day")]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "service"], condition=Q(contact__isnull=False), name="service_event_once_per_contact"
            ),
        ]

    def __str__(self):
        return f"{self.service} {self.provided_on}"
