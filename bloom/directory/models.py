from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
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


class ServiceType(models.TextChoices):
    """What a partner offers, and (later) what a survivor is referred for."""

    IMMIGRATION_LEGAL_AID = "immigration legal aid", _("Immigration legal aid")
    VACATUR = "vacatur", _("Vacatur and criminal-record relief")
    THERAPY = "therapy", _("Therapy")
    MEDICAL = "medical", _("Medical or dental care")
    HOUSING = "housing", _("Housing")
    EDUCATION = "education", _("Education")
    EMPLOYMENT = "employment", _("Employment")
    SUBSTANCE_USE = "substance use", _("Substance use")
    SPIRITUAL_CARE = "spiritual care", _("Spiritual care")
    OTHER = "other", _("Other")


def validate_services(value) -> None:
    """A list of distinct ``ServiceType`` values."""
    if not isinstance(value, list):
        raise ValidationError(_("Services must be a list."), code="not_a_list")
    unknown = [item for item in value if item not in ServiceType.values]
    if unknown:
        raise ValidationError(
            _("Not a service type: %(values)s."),
            code="unknown_service",
            params={"values": ", ".join(str(item) for item in unknown)},
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("A service is listed more than once."), code="duplicate")


class Organization(models.Model):
    """A partner organization: a referral source or destination, a training host."""

    class Kind(models.TextChoices):
        HOTLINE = "hotline", _("Hotline")
        LAW_ENFORCEMENT = "law enforcement", _("Law enforcement")
        CHILD_WELFARE = "child welfare", _("Child welfare")
        SOCIAL_SERVICE = "social service", _("Social service agency")
        VICTIM_SERVICES = "victim services", _("Victim services")
        LEGAL = "legal", _("Legal aid")
        HEALTH = "health", _("Health or therapy")
        HOUSING = "housing", _("Housing")
        EDUCATION = "education", _("Education")
        EMPLOYMENT = "employment", _("Employment")
        FAITH = "faith", _("Faith community")
        OTHER = "other", _("Other")

    class HousingProgram(models.TextChoices):
        EMERGENCY = "emergency", _("Emergency shelter")
        TRANSITIONAL = "transitional", _("Transitional housing")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    # A shelter or transitional program is never long-term housing (DOMAIN.md): a placement
    # with such a provider is refused as long-term housing (``assistance.services.housing``).
    housing_program = models.CharField(
        _("runs"),
        max_length=20,
        choices=HousingProgram.choices,
        blank=True,
        help_text=_("If the organization runs an emergency shelter or transitional housing."),
    )
    # A JSON list rather than PostgreSQL's ArrayField: `make run` works on SQLite with no
    # server installed (DESIGN.md, "Embedded defaults"), and an ArrayField cannot be
    # created there. `validate_services` keeps the list to ServiceType values, and
    # `bloom.directory.queries.offering` filters it the same way on both databases.
    services = models.JSONField(
        _("services"),
        default=list,
        blank=True,
        validators=[validate_services],
        help_text=_("What the organization offers survivors."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    hotline = models.CharField(_("hotline"), max_length=40, blank=True)
    text_line = models.CharField(
        _("text line"), max_length=40, blank=True, help_text=_("A number people can text, e.g. 233733.")
    )
    open_24_7 = models.BooleanField(_("answers 24/7"), default=False)
    address = models.TextField(_("address"), blank=True, help_text=_("Street lines, as written on an envelope."))
    town = models.ForeignKey(Town, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("town"))
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(
        _("listed in the directory"),
        default=True,
        help_text=_("Clear this to take the organization out of the directory; past records still name it."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:detail", args=[self.pk])

    @property
    def service_labels(self) -> list[str]:
        """The services' labels, in the order of ``ServiceType``."""
        return [label for value, label in ServiceType.choices if value in self.services]
